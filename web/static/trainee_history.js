// Trainee page: *Riwayat saya* — the signed-in trainee's own visits (verdict, scores, debrief
// and transcript), on any device they sign in on.
"use strict";
(function () {
  const el = PTSP.el;
  const $ = (id) => document.getElementById(id);
  const VIEWS = ["tasks", "account", "setup", "practice", "result"];

  // "komentar baru dari pelatih": shown beside *Riwayat saya* until the trainee reads them
  const marker = el("span", { class: "tag new-note", "data-testid": "unread-marker", hidden: true });
  $("history-open").after(" ", marker);
  async function refreshMarker() {
    if ($("history-open").hidden) { marker.hidden = true; return; }
    try {
      const data = await PTSP.api("/api/notes/unread");
      marker.textContent = data.unread === 1 ? "1 komentar baru dari pelatih" : data.unread + " komentar baru dari pelatih";
      marker.hidden = !data.unread;
    } catch (err) { marker.hidden = true; }
  }
  new MutationObserver(refreshMarker).observe($("history-open"), { attributes: true, attributeFilter: ["hidden"] });
  setInterval(refreshMarker, 60000);
  refreshMarker();

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
      $("history-who").textContent = data.trainee.name + " (ID " + data.trainee.id + ") · " + data.visits.length + " kunjungan" +
        (data.unread_notes ? " · " + data.unread_notes + " komentar baru dari pelatih" : "");
      for (const v of data.visits) body.appendChild(historyRow(v));
      if (!data.visits.length) $("history-error").textContent = "Belum ada kunjungan yang tercatat.";
    } catch (err) {
      $("history-error").textContent = err.message;
      $("history-table").hidden = true;
    }
    $("history").scrollIntoView({ block: "start" });
  }

  // One visit of *Riwayat saya*: scenario, date and time, mode, replies, the visit score and
  // the verdict, each named (on a phone a row is a card, the cells' labels show there).
  const VERDICTS = {
    passed: { text: "Lulus", cls: "pass" },
    failed: { text: "Tidak lulus", cls: "fail" },
    open: { text: "Belum selesai", cls: "open" },
  };
  function historyRow(v) {
    const verdict = !v.finished ? "open" : v.passed ? "passed" : "failed";
    const label = (text) => el("span", { class: "cell-label", text: text });
    const hasScore = v.finished && v.visit_score !== null && v.visit_score !== undefined;
    return el("tr", { "data-testid": "history-row", "data-verdict": verdict },
      el("td", { class: "h-title", "data-testid": "history-scenario", text: v.scenario_title || "Skenario tidak dikenal" }),
      el("td", { class: "h-when", "data-testid": "history-when", text: PTSP.formatDate(v.started) }),
      el("td", { class: "h-mode", text: v.exam_mode ? "Ujian" : "Latihan" }),
      el("td", { class: "num h-turns" }, String(v.turns), el("span", { class: "cell-suffix", text: " balasan" })),
      // the one visit score (it decides the verdict); an unfinished visit has none yet
      el("td", { class: "num h-score", "data-testid": "history-score" }, label("Nilai kunjungan "),
        hasScore ? PTSP.scoreBadge("", v.visit_score) : el("span", { class: "note", text: v.finished ? "–" : "belum ada" })),
      el("td", { class: "h-verdict" },
        el("span", { class: "tag verdict " + VERDICTS[verdict].cls, "data-testid": "history-verdict", text: VERDICTS[verdict].text }),
        v.verdict_by && v.verdict_by !== "mesin" ? el("span", { class: "note", text: " (keputusan pelatih)" }) : null,
        v.unread_notes ? el("span", { class: "tag new-note", "data-testid": "row-unread", text: "komentar baru dari pelatih" }) : null),
      el("td", { class: "h-open" }, el("button", { type: "button", class: "secondary", onclick: () => openVisit(v),
        "aria-label": "Lihat " + (v.scenario_title || "kunjungan") + ", " + PTSP.formatDate(v.started) }, "Lihat")));
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
            el("div", { class: "scores" }, PTSP.DIMENSIONS.map(([k, label]) => PTSP.scoreBadge(label, scores[l.turn][k]))) : null,
          l.speaker === "clerk" && scores[l.turn] ? (scores[l.turn].trainer_notes || []).map(noteView) : null))));
      $("history-detail").replaceChildren(el("div", { class: "history-visit", "data-testid": "history-visit" }, ...parts));
      $("history-detail").scrollIntoView({ block: "start" });
      if (visit.unread_notes) {  // opened: the notes are read now (the marker stays on this view)
        PTSP.api("/api/notes/read", { json: { sender: visit.sender_id, visit: visit.visit } })
          .then(refreshMarker).catch(() => {});
      }
    } catch (err) {
      $("history-error").textContent = err.message;
    }
  }

  // A trainer's note under the reply: name, corrected scores, comment; one answer from the trainee.
  function noteView(note) {
    const scores = note.scores || {};
    const box = el("div", { class: "trainer-note-view" + (note.new ? " new" : ""), "data-testid": "trainer-note-view" },
      el("p", { class: "meta" }, note.new ? el("span", { class: "tag new-note", text: "baru" }) : null,
        " Dari pelatih " + note.trainer + ":"),
      Object.keys(scores).length ? el("div", { class: "scores" }, PTSP.DIMENSIONS.filter(([k]) => scores[k] !== undefined)
        .map(([k, label]) => PTSP.scoreBadge(label + " (koreksi)", scores[k]))) : null,
      note.comment ? el("p", { class: "trainer-comment", text: note.comment }) : null);
    if (note.trainee_reply) {
      box.appendChild(el("p", { class: "trainee-reply", "data-testid": "trainee-reply", text: "Tanggapan Anda: " + note.trainee_reply }));
      return box;
    }
    if (!note.comment) return box;
    const text = el("textarea", { rows: 2, maxlength: 500, "aria-label": "Tanggapan untuk pelatih", placeholder: "Tanggapan singkat untuk pelatih (sekali saja)…" });
    const status = el("span", { class: "note", role: "status" });
    const form = el("form", { class: "answer-note", "data-testid": "answer-note" }, text,
      el("div", { class: "buttons" }, el("button", { type: "submit", class: "secondary", text: "Kirim tanggapan" }), status));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      status.textContent = "Mengirim…";
      try {
        const data = await PTSP.api("/api/notes/answer", { json: { note: note.id, text: text.value } });
        form.replaceWith(el("p", { class: "trainee-reply", "data-testid": "trainee-reply", text: "Tanggapan Anda: " + data.note.trainee_reply }));
      } catch (err) { status.textContent = err.message; }
    });
    box.appendChild(form);
    return box;
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
