// Trainee page: *Riwayat saya* — the signed-in trainee's own visits (verdict, scores, debrief
// and transcript), on any device they sign in on.
"use strict";
(function () {
  const el = PTSP.el;
  const $ = (id) => document.getElementById(id);
  const VIEWS = ["account", "setup", "practice", "result"];

  let before = null;
  async function openHistory() {
    before = before || VIEWS.filter((id) => !$(id).hidden);
    for (const id of VIEWS) $(id).hidden = true;
    $("history").hidden = false;
    $("history-error").textContent = "";
    $("history-detail").replaceChildren();
    const body = $("history-table").querySelector("tbody");
    body.replaceChildren();
    $("history-table").hidden = false;
    $("history-who").textContent = "";
    try {
      let data;
      try {
        data = await PTSP.api("/api/history");
      } catch (err) {
        if (err.status !== 401) throw err;
        PTSP.trainee.refresh().catch(() => {});  // signed out meanwhile: the page says so
        throw new Error("Masuk terlebih dahulu untuk melihat riwayat latihan Anda.");
      }
      $("history-who").textContent = data.trainee.name + " (ID " + data.trainee.id + ") · " + data.visits.length + " kunjungan";
      for (const v of data.visits) {
        const verdict = !v.finished ? el("span", { class: "tag open", text: "Belum selesai" }) :
          el("span", { class: "tag " + (v.passed ? "pass" : "fail"), text: v.passed ? "LULUS" : "BELUM LULUS" });
        body.appendChild(el("tr", { "data-testid": "history-row" },
          el("td", { text: PTSP.formatDate(v.started) }), el("td", { text: v.scenario_title }),
          el("td", { text: v.exam_mode ? "Ujian" : "Latihan" }), el("td", { class: "num", text: v.turns }),
          el("td", {}, verdict), el("td", { class: "num" }, PTSP.scoreBadge("", v.finished && v.visit_overall !== null && v.visit_overall !== undefined ? v.visit_overall : v.overall)),
          el("td", {}, el("button", { type: "button", class: "secondary", onclick: () => openVisit(v) }, "Lihat"))));
      }
      if (!data.visits.length) $("history-error").textContent = "Belum ada kunjungan yang tercatat.";
    } catch (err) {
      $("history-error").textContent = err.message;
      $("history-table").hidden = true;
    }
    $("history").scrollIntoView({ block: "start" });
  }

  const SPEAKERS = { clerk: "Anda", citizen: "Pelanggan", scene: "Adegan", narrator: "Catatan" };
  async function openVisit(row) {
    try {
      const data = await PTSP.api("/api/visit/" + encodeURIComponent(row.sender_id));
      const visit = data.sessions.find((s) => s.visit === row.visit) || data.sessions[data.sessions.length - 1];
      const parts = [el("h3", { text: visit.scenario_title + " · " + PTSP.formatDate(visit.started) })];
      if (visit.debrief) parts.push(PTSP.debriefView(visit.debrief));
      else parts.push(el("p", { class: "note", text: "Kunjungan ini belum selesai" + (visit.exam_mode ? "; nilai ujian ditampilkan setelah selesai." : ".") }));
      const scores = {};
      for (const t of visit.turns) scores[t.turn] = t;
      parts.push(el("ol", { class: "transcript" }, visit.transcript.filter((l) => SPEAKERS[l.speaker]).map((l) =>
        el("li", { class: "line " + l.speaker },
          el("span", { class: "who", text: SPEAKERS[l.speaker] }),
          el("span", { class: "text", text: l.text }),
          l.speaker === "clerk" && scores[l.turn] && scores[l.turn].overall !== undefined ?
            el("div", { class: "scores" }, PTSP.DIMENSIONS.map(([k, label]) => PTSP.scoreBadge(label, scores[l.turn][k]))) : null))));
      $("history-detail").replaceChildren(el("div", { class: "history-visit", "data-testid": "history-visit" }, ...parts));
      $("history-detail").scrollIntoView({ block: "start" });
    } catch (err) {
      $("history-error").textContent = err.message;
    }
  }

  function closeHistory() {
    $("history").hidden = true;
    for (const id of before || ["account", "setup"]) $(id).hidden = false;
    before = null;
  }

  $("history-open").addEventListener("click", openHistory);
  $("result-history").addEventListener("click", openHistory);
  $("history-close").addEventListener("click", closeHistory);

})();
