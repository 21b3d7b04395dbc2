// Trainer: one session — transcript with per-turn scores, evidence, tips, mood; objectives;
// debrief. The same script renders the printable transcript (print.html).
"use strict";
(function () {
  const el = PTSP.el;
  const $ = (id) => document.getElementById(id);
  const id = new URLSearchParams(window.location.search).get("id") || "";
  const printing = document.body.classList.contains("print-page");

  function turnCard(turn) {
    return el("div", { class: "turn-scores", "data-testid": "turn-scores" },
      el("div", { class: "scores" }, PTSP.DIMENSIONS.map(([k, label]) => PTSP.scoreBadge(label, turn[k]))),
      el("p", { class: "meta", text: "Gerakan: " + (turn.move_label || "–") +
        (turn.mood_after ? " · Suasana hati pelanggan: " + (PTSP.MOODS[turn.mood_before] || turn.mood_before || "?") +
          " → " + (PTSP.MOODS[turn.mood_after] || turn.mood_after) : "") +
        (turn.latency_seconds !== null && turn.latency_seconds !== undefined ? " · Waktu balas: " + turn.latency_seconds + " dtk" : "") +
        (turn.rescored ? " · dinilai ulang (" + (turn.scorer_version || "") + ")" : "") }),
      turn.scored ? null : el("p", { class: "warn", text: "Balasan ini belum dinilai (" + (turn.scoring_error || "tanpa catatan") + ")." }),
      (turn.tips || []).length ? el("ul", { class: "tips" }, turn.tips.map((t) => el("li", { text: "Saran: " + t }))) : null,
      printing ? PTSP.evidenceList(turn.evidence)
        : el("details", { open: true }, el("summary", { text: "Bukti penilaian" }), PTSP.evidenceList(turn.evidence)));
  }

  let titles = {};

  function render(s) {
    const turns = Object.fromEntries(s.turns.map((t) => [t.turn, t]));
    const header = el("section", { class: "card" },
      el("h2", { text: "Sesi " + (s.trainee_name || s.trainee_id) + " — " + (titles[s.scenario] || s.scenario) }),
      el("p", { text: "Peserta: " + (s.trainee_name ? s.trainee_name + " (" + s.trainee_id + ")" : s.trainee_id) +
        " · Tanggal: " + PTSP.formatDate(s.started) + " · Durasi: " + PTSP.formatDuration(s.duration_seconds) +
        " · Pelanggan: " + [s.citizen.citizen_honorific, s.citizen.citizen_name].filter(Boolean).join(" ") +
        (s.citizen.business_name ? " (" + s.citizen.business_name + ")" : "") }),
      el("div", { class: "scores" }, PTSP.DIMENSIONS.map(([k, label]) => PTSP.scoreBadge(label, s[k]))),
      el("p", {}, s.finished ? el("span", { class: "tag " + (s.passed ? "pass" : "fail"), text: s.passed ? "lulus" : "tidak lulus" })
        : el("span", { class: "tag open", text: "belum selesai" }), " ", s.reason || ""),
      printing ? null : el("p", { class: "actions" },
        el("a", { href: "/review/print?id=" + encodeURIComponent(s.id), text: "Versi cetak" }), " · ",
        el("a", { href: "/review/trainee?id=" + encodeURIComponent(s.trainee_id), text: "Perkembangan peserta" })));
    const transcript = el("ol", { class: "transcript", "data-testid": "transcript" });
    for (const line of s.transcript) {
      if (line.speaker === "command") continue;
      const li = el("li", { class: "line " + line.speaker },
        el("span", { class: "who", text: line.speaker === "clerk" ? "Petugas" : line.speaker === "citizen" ? "Pelanggan" : "" }),
        el("span", { class: "text", text: line.text }));
      if (line.speaker === "clerk" && turns[line.turn]) li.appendChild(turnCard(turns[line.turn]));
      transcript.appendChild(li);
    }
    const parts = [header, el("section", { class: "card" }, el("h3", { text: "Transkrip" }), transcript)];
    if (s.objectives.length) {
      parts.push(el("section", { class: "card" }, el("h3", { text: "Sasaran" }),
        el("ul", { class: "checklist" }, s.objectives.map((o) => el("li", { class: o.met ? "met" : "unmet" },
          el("span", { class: "mark", text: o.met ? "✔" : "✘" }), " ", o.label)))));
    }
    if (s.debrief) parts.push(el("section", { class: "card" }, el("h3", { text: "Ringkasan akhir" }), PTSP.debriefView(s.debrief)));
    $("page").replaceChildren(...parts);
    if (printing) {
      const button = el("button", { type: "button", class: "no-print", text: "Cetak" });
      button.addEventListener("click", () => window.print());
      $("page").prepend(button);
    }
  }

  PTSP.api("/api/scenarios").then((data) => {
    titles = Object.fromEntries(data.scenarios.map((x) => [x.id, x.title]));
  }).catch(() => {}).then(() => PTSP.api("/review/api/session?id=" + encodeURIComponent(id))).then(render)
    .catch((err) => { $("error").textContent = err.message; });
})();
