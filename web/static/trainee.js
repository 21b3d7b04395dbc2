// Trainee page: start a visit, chat with the citizen, see per-reply feedback and the debrief.
"use strict";
(function () {
  const el = PTSP.el;
  const $ = (id) => document.getElementById(id);
  let scenarios = [];
  let exam = false;
  let busy = false;

  function addMessage(kind, text) {
    const li = el("li", { class: "msg " + kind },
      kind === "clerk" ? el("span", { class: "who", text: "Anda" }) :
        kind === "citizen" ? el("span", { class: "who", text: "Pelanggan" }) : null,
      el("span", { class: "text", text: text }));
    $("messages").appendChild(li);
    li.scrollIntoView({ block: "end" });
  }

  function showFeedback(record) {
    if (record.mood_after) setMood(record.mood_after);
    const scores = record.scores;
    if (!scores) return;
    const card = el("article", { class: "turn-feedback", "data-testid": "turn-feedback" },
      el("h3", { text: "Balasan ke-" + record.turn }),
      el("blockquote", { text: record.reply }),
      el("div", { class: "scores" }, PTSP.DIMENSIONS.map(([k, label]) => PTSP.scoreBadge(label, scores[k]))),
      (scores.tips || []).length ? el("p", { class: "tip", text: "Saran: " + scores.tips[0] }) : null,
      el("details", {}, el("summary", { text: "Bukti penilaian" }), PTSP.evidenceList(scores.evidence)));
    $("feedback").prepend(card);
  }

  function setMood(mood) {
    $("mood").textContent = "Suasana hati pelanggan: " + (PTSP.MOODS[mood] || mood);
    $("mood").className = "mood " + mood;
  }

  function render(messages) {
    for (const m of messages || []) {
      if (m.kind === "feedback") showFeedback(m.data);
      else if (m.kind === "debrief") showDebrief(m.data);
      else addMessage(m.kind, m.text);
    }
  }

  function showDebrief(data) {
    $("debrief").replaceChildren(PTSP.debriefView(data));
    $("result").hidden = false;
    $("text").disabled = true;
    $("send").disabled = true;
    $("finish").disabled = true;
    $("result").scrollIntoView({ block: "start" });
  }

  async function loadScenarios() {
    const data = await PTSP.api("/api/scenarios");
    scenarios = data.scenarios;
    for (const s of scenarios) $("scenario").appendChild(el("option", { value: s.id, text: s.title }));
  }

  $("scenario").addEventListener("change", () => {
    const s = scenarios.find((x) => x.id === $("scenario").value);
    $("scenario-brief").textContent = s ? s.brief : "Skenario dipilih secara acak.";
  });

  function enterPractice(name, examMode, messages, mood) {
    exam = examMode;
    $("setup").hidden = true;
    $("practice").hidden = false;
    $("exam-note").hidden = !exam;
    $("who").textContent = "Petugas: " + name;
    setMood("calm");
    render(messages);
    if (mood) setMood(mood);
    $("text").focus();
  }

  $("setup-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("setup-error").textContent = "";
    try {
      const data = await PTSP.api("/api/visit/start", { json: {
        name: $("name").value, employee_id: $("employee-id").value.trim(),
        scenario: $("scenario").value, exam: $("exam").checked } });
      enterPractice($("name").value.trim(), $("exam").checked, data.messages, null);
    } catch (err) {
      $("setup-error").textContent = err.message;
    }
  });

  // After a reload the unfinished visit comes back from the tracker store (nothing is lost).
  async function resumeVisit() {
    const data = await PTSP.api("/api/visit/current");
    if (!data.visit) return;
    $("resume-note").hidden = false;
    enterPractice(data.visit.name, data.visit.exam, data.visit.messages,
      data.visit.exam ? null : data.visit.mood);
  }

  async function send(path, body, echo) {
    if (busy) return;
    busy = true;
    $("say-error").textContent = "";
    $("send").disabled = true;
    try {
      const data = await PTSP.api(path, { json: body });
      if (echo !== null) addMessage("clerk", echo);
      render(data.messages);
      return true;
    } catch (err) {
      $("say-error").textContent = err.message;
      return false;
    } finally {
      busy = false;
      if (!$("text").disabled) $("send").disabled = false;
    }
  }

  // Each message gets an id; sending the same text again after a failure reuses it, so the
  // server counts a resent message once.
  let pending = null;
  function newMessageId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  $("say-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $("text").value;
    if (!pending || pending.text !== text) pending = { text: text, id: newMessageId() };
    if (await send("/api/visit/say", { text: text, message_id: pending.id }, text)) {
      $("text").value = "";
      pending = null;
    }
    $("text").focus();
  });

  $("text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      $("say-form").requestSubmit();
    }
  });

  $("finish").addEventListener("click", () => send("/api/visit/finish", {}, null));
  $("again").addEventListener("click", () => window.location.reload());

  loadScenarios().catch((err) => { $("setup-error").textContent = err.message; });
  resumeVisit().catch((err) => { $("setup-error").textContent = err.message; });
})();
