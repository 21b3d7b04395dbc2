// Trainer: one session — transcript with per-turn scores, evidence, tips, mood; objectives;
// debrief. The same script renders the printable transcript (print.html).
"use strict";
(function () {
  const el = PTSP.el;
  const $ = (id) => document.getElementById(id);
  const id = new URLSearchParams(window.location.search).get("id") || "";
  const printing = document.body.classList.contains("print-page");

  // A trainer's comment and own scores beside the machine's: saved per reply, replacing the
  // trainer's earlier note; the exports carry them and the scorer is calibrated against them.
  function noteForm(session, turn) {
    const mine = turn.trainer_scores || {};
    const inputs = PTSP.DIMENSIONS.map(([k, label]) => el("label", { class: "note-score" }, label,
      el("input", { type: "number", min: 0, max: 100, step: 1, name: k, value: mine[k] === undefined ? "" : mine[k],
        "aria-label": "Nilai pelatih " + label })));
    const comment = el("textarea", { rows: 2, maxlength: 4000, name: "comment", placeholder: "Komentar untuk balasan ini…" });
    comment.value = turn.trainer_comment || "";
    const status = el("span", { class: "note", role: "status" });
    const form = el("form", { class: "trainer-note", "data-testid": "trainer-note" },
      el("p", { class: "meta", text: "Koreksi pelatih (0–100; kosongkan yang sesuai dengan mesin):" }),
      el("div", { class: "note-scores" }, inputs), comment,
      el("div", { class: "buttons" }, el("button", { type: "submit", text: "Simpan catatan" }), status));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const scores = {};
      for (const input of form.querySelectorAll("input[type=number]")) if (input.value !== "") scores[input.name] = Number(input.value);
      status.textContent = "Menyimpan…";
      try {
        const data = await PTSP.api("/review/api/note", { json: { session: session.id, turn: turn.turn, comment: comment.value, scores: scores } });
        status.textContent = "Tersimpan (" + data.note.trainer + ").";
      } catch (err) {
        status.textContent = err.message;
      }
    });
    return form;
  }

  function trainerScores(turn) {
    if (!turn.trainer_scores && !turn.trainer_comment) return null;
    const scores = turn.trainer_scores || {};
    // what the trainee did with the notes: read them, and their one answer
    const answers = (turn.trainer_notes || []).map((n) => el("p", { class: "meta", "data-testid": "note-status" },
      n.trainer + ": " + (n.read ? "sudah dibaca peserta" : "belum dibaca peserta"),
      n.trainee_reply ? el("span", { class: "trainee-reply", "data-testid": "trainee-reply", text: " · Tanggapan peserta: " + n.trainee_reply }) : null));
    return el("div", { class: "trainer-view", "data-testid": "trainer-scores" },
      el("span", { class: "meta", text: "Pelatih: " }),
      el("div", { class: "scores" }, PTSP.DIMENSIONS.filter(([k]) => scores[k] !== undefined).map(([k, label]) => PTSP.scoreBadge(label, scores[k]))),
      turn.trainer_comment ? el("p", { class: "trainer-comment", text: "Komentar pelatih: " + turn.trainer_comment }) : null,
      printing ? null : answers);
  }

  // A trainer's verdict on a finished visit: it replaces the machine's everywhere (audited).
  function verdictForm(s) {
    if (!s.finished || printing) return null;
    const current = s.verdict_override;
    const choice = el("select", { name: "passed", "aria-label": "Keputusan pelatih" },
      el("option", { value: "ya", text: "Lulus" }), el("option", { value: "tidak", text: "Belum lulus" }));
    choice.value = (current ? current.passed : !s.passed) ? "ya" : "tidak";
    const reason = el("textarea", { rows: 2, maxlength: 1000, name: "reason", placeholder: "Alasan keputusan (wajib)…" });
    reason.value = current ? current.reason : "";
    const status = el("span", { class: "note", role: "status" });
    async function send(body) {
      status.textContent = "Menyimpan…";
      try {
        await PTSP.api("/review/api/verdict", { json: Object.assign({ session: s.id }, body) });
        load();
      } catch (err) { status.textContent = err.message; }
    }
    const form = el("form", { class: "verdict-form", "data-testid": "verdict-form" },
      el("p", { class: "meta", text: current ? "Keputusan pelatih " + current.trainer + " menggantikan penilaian mesin (" +
        (s.machine_verdict && s.machine_verdict.passed ? "lulus" : "tidak lulus") + ")." :
        "Keputusan mesin: " + (s.passed ? "lulus" : "tidak lulus") + ". Anda dapat menggantinya dengan keputusan Anda:" }),
      el("label", {}, "Keputusan ", choice), reason,
      el("div", { class: "buttons" }, el("button", { type: "submit", text: "Simpan keputusan" }),
        current ? el("button", { type: "button", class: "secondary", onclick: () => send({ withdraw: true }), text: "Kembalikan ke penilaian mesin" }) : null,
        status));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      send({ passed: choice.value === "ya", reason: reason.value });
    });
    return el("details", { class: "verdict-box", open: Boolean(current) }, el("summary", { text: "Keputusan pelatih" }), form);
  }

  function turnCard(turn, session) {
    return el("div", { class: "turn-scores", "data-testid": "turn-scores" },
      el("span", { class: "meta", text: "Mesin: " }),
      el("div", { class: "scores" }, PTSP.DIMENSIONS.map(([k, label]) => PTSP.scoreBadge(label, turn[k]))),
      trainerScores(turn),
      el("p", { class: "meta", text: "Gerakan: " + (turn.move_label || "–") +
        (turn.mood_after ? " · Suasana hati pelanggan: " + (PTSP.MOODS[turn.mood_before] || turn.mood_before || "?") +
          " → " + (PTSP.MOODS[turn.mood_after] || turn.mood_after) : "") +
        (turn.latency_seconds !== null && turn.latency_seconds !== undefined ? " · Waktu balas: " + turn.latency_seconds + " dtk" : "") +
        (turn.scorer_version ? " · Versi penilai: " + turn.scorer_version + (turn.rescored ? " (dinilai ulang)" : "") : "") }),
      turn.scored ? null : el("p", { class: "warn", text: "Balasan ini belum dinilai (" + (turn.scoring_error || "tanpa catatan") + ")." }),
      (turn.tips || []).length ? el("ul", { class: "tips" }, turn.tips.map((t) => el("li", { text: "Saran: " + t }))) : null,
      printing ? null  // the print is a compact record: scores and tips, the evidence stays on screen
        : el("details", { open: true }, el("summary", { text: "Bukti penilaian" }), PTSP.evidenceList(turn.evidence)),
      printing ? null : el("details", { class: "note-box", open: Boolean(turn.trainer_notes && turn.trainer_notes.length) },
        el("summary", { text: "Koreksi dan komentar pelatih" }), noteForm(session, turn)));
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
      el("div", { class: "scores", "data-testid": "session-scores" },
        PTSP.DIMENSIONS.filter(([k]) => k !== "overall").map(([k, label]) => PTSP.scoreBadge(label, s[k])),
        PTSP.scoreBadge("Rata-rata balasan", s.reply_mean), PTSP.scoreBadge("Nilai kunjungan", s.visit_score)),
      el("p", {}, s.finished ? el("span", { class: "tag " + (s.passed ? "pass" : "fail"), "data-testid": "session-verdict", text: s.passed ? "lulus" : "tidak lulus" })
        : el("span", { class: "tag open", text: "belum selesai" }), " ",
        s.verdict_override ? el("span", { class: "tag override", text: "keputusan pelatih" }) : null, " ",
        s.exam_mode ? el("span", { class: "tag exam", "data-testid": "exam-tag", text: "ujian" }) : null, " ", s.reason || ""),
      verdictForm(s),
      printing ? null : el("p", { class: "actions" },
        el("a", { href: "/review/print?id=" + encodeURIComponent(s.id), text: "Versi cetak" }), " · ",
        el("a", { href: "/review/trainee?id=" + encodeURIComponent(s.trainee_id), text: "Perkembangan peserta" })));
    const transcript = el("ol", { class: "transcript", "data-testid": "transcript" });
    for (const line of s.transcript) {
      if (line.speaker === "command") continue;
      const li = el("li", { class: "line " + line.speaker },
        el("span", { class: "who", text: line.speaker === "clerk" ? "Petugas" : line.speaker === "citizen" ? "Pelanggan" : "" }),
        el("span", { class: "text", text: line.text }));
      if (line.speaker === "clerk" && turns[line.turn]) li.appendChild(turnCard(turns[line.turn], s));
      transcript.appendChild(li);
    }
    const parts = [header, el("section", { class: "card" }, el("h3", { text: "Transkrip" }), transcript)];
    if (s.objectives.length) {
      parts.push(el("section", { class: "card" }, el("h3", { text: "Sasaran" }),
        el("ul", { class: "checklist" }, s.objectives.map(PTSP.objectiveItem))));
    }
    if (s.debrief) parts.push(el("section", { class: "card" }, el("h3", { text: "Ringkasan akhir" }), PTSP.debriefView(s.debrief)));
    $("page").replaceChildren(...parts);
    if (printing) {
      const button = el("button", { type: "button", class: "no-print", text: "Cetak" });
      button.addEventListener("click", () => window.print());
      $("page").prepend(button);
    }
  }

  function load() {
    return PTSP.api("/review/api/session?id=" + encodeURIComponent(id)).then(render)
      .catch((err) => { $("error").textContent = err.message; });
  }

  PTSP.api("/api/scenarios").then((data) => {
    titles = Object.fromEntries(data.scenarios.map((x) => [x.id, x.title]));
  }).catch(() => {}).then(load);
})();
