// Trainee page: start a visit, chat with the citizen, see the case as a clerk would (scenario
// card, documents on the counter, the citizen's mood), per-reply feedback, the debrief, and
// one's own history. Every fact shown comes structured from the server (a message's `case`);
// the page never reads it out of a text. Who the trainee is comes from the roster: an enrolled
// trainee signs in (employee ID + password, or the one-time enrolment code and then a new
// password) for exams, *Riwayat saya*, *Tugas saya* and unfinished visits; anyone else may
// practise openly with a name and an ID that is not enrolled.
"use strict";
(function () {
  const el = PTSP.el;
  const $ = (id) => document.getElementById(id);
  const STORE = { name: "ptsp.name", employee: "ptsp.employee" };
  const MIN_PASSWORD = 8;
  const STATES = { ada: "ada", "tidak ada": "tidak ada", "kedaluwarsa": "kedaluwarsa", "nama berbeda": "nama berbeda" };
  let scenarios = [];
  let exam = false;
  let busy = false;
  let citizen = "Pelanggan";
  let startId = null;
  let me = null;  // the signed-in trainee {id, name, unit}, or null
  let openPractice = true;

  function randomId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function remember() {
    try {
      localStorage.setItem(STORE.name, $("name").value.trim());
      localStorage.setItem(STORE.employee, $("employee-id").value.trim());
    } catch (e) { /* storage may be off: the form still works */ }
  }

  function recall() {
    try {
      $("name").value = localStorage.getItem(STORE.name) || "";
      $("employee-id").value = localStorage.getItem(STORE.employee) || "";
    } catch (e) { /* ignore */ }
  }

  // --- the chat ---------------------------------------------------------------------------
  function addMessage(kind, text) {
    const li = el("li", { class: "msg " + kind },
      kind === "clerk" ? el("span", { class: "who", text: "Anda" }) :
        kind === "citizen" ? el("span", { class: "who", text: citizen }) : null,
      el("span", { class: "text", text: text }));
    $("messages").appendChild(li);
    li.scrollIntoView({ block: "end" });
    return li;
  }

  function typing(on) {
    $("typing").hidden = !on;
    $("typing").textContent = on ? citizen + " sedang mengetik…" : "";
    if (on) $("typing").scrollIntoView({ block: "end" });
  }

  function setMood(mood) {
    if (!mood) return;
    $("mood").textContent = "Suasana hati pelanggan: " + (PTSP.MOODS[mood] || mood);
    $("mood").className = "mood " + mood;
    $("mood").dataset.mood = mood;
  }

  // --- what the clerk sees ------------------------------------------------------------------
  function showCard(card) {
    if (card.title) $("card-title").textContent = card.title;
    if (card.situation) $("card-situation").textContent = card.situation;
    if (card.citizen) citizen = card.citizen;
    if (card.mood) setMood(card.mood);
    if (Array.isArray(card.sop) && card.sop.length) {
      $("card-sop").replaceChildren(...card.sop.map((line) => el("li", { text: line })));
      $("card-sop-box").hidden = false;
    }
    if (Array.isArray(card.objectives)) showObjectives(card.objectives);
  }

  const MARKS = { met: "✔", open: "○", broken: "✘" };
  function showObjectives(objectives) {
    if (exam) return;
    $("card-objectives").replaceChildren(...objectives.map((o) => {
      const state = o.state || (o.met ? "met" : "broken");  // the debrief: met or not
      return el("li", { class: (state === "met" ? "met" : "unmet") + " " + state, "data-objective": o.id },
        el("span", { class: "mark", text: MARKS[state] }), " ", o.label);
    }));
  }

  function showDocuments(documents) {
    $("desk-empty").hidden = true;
    $("desk-documents").replaceChildren(...documents.map((d) =>
      el("li", { class: "doc " + (d.state === "ada" ? "ok" : "problem") },
        el("span", { class: "doc-name", text: d.name }),
        el("span", { class: "doc-state", text: STATES[d.state] || d.state }))));
  }

  function showLookup(lines) {
    $("desk-lookup-box").hidden = false;
    for (const line of lines) $("desk-lookup").appendChild(el("li", { text: line }));
  }

  function applyCase(kind, c) {
    if (!c) return;
    if (kind === "scene") showCard(c);
    if (c.mood && kind !== "scene") setMood(c.mood);
    if (Array.isArray(c.documents)) showDocuments(c.documents);
    if (Array.isArray(c.lookup)) showLookup(c.lookup);
    if (c.visit_over) fetchDebrief();  // ended elsewhere (another tab): show its summary here
  }

  // The visit's own record: its debrief and, once the visit is over, every reply's scores
  // (an exam shows them only now).
  async function fetchDebrief() {
    try {
      const data = await PTSP.api("/api/visit/last");
      const visit = data.visit;
      if (visit.debrief && !document.querySelector("[data-testid=turn-feedback]")) {
        exam = false;
        $("exam-note").hidden = true;
        for (const t of visit.turns) {
          if (t.overall === null || t.overall === undefined) continue;
          showFeedback({ turn: t.turn, reply: t.reply, scores: { politeness: t.politeness, clarity: t.clarity,
            responsiveness: t.responsiveness, overall: t.overall, tips: t.tips, evidence: t.evidence } },
          document.querySelectorAll(".msg.clerk:not(.after)")[t.turn - 1]);
        }
      }
      if (visit.debrief && $("result").hidden) showDebrief(visit.debrief);
    } catch (err) { /* the chat goes on; the history has it too */ }
  }

  // --- feedback -------------------------------------------------------------------------------
  function showFeedback(record, bubble) {
    if (Array.isArray(record.objectives)) showObjectives(record.objectives);
    const scores = record.scores;
    if (!scores) return;
    const id = "feedback-" + record.turn;
    const card = el("article", { class: "turn-feedback", id: id, "data-testid": "turn-feedback" },
      el("h3", { text: "Balasan ke-" + record.turn }),
      el("blockquote", { text: record.reply }),
      el("div", { class: "scores" }, PTSP.DIMENSIONS.map(([k, label]) => PTSP.scoreBadge(label, scores[k]))),
      (scores.tips || []).length ? el("p", { class: "tip", text: "Saran: " + scores.tips[0] }) : null,
      el("details", {}, el("summary", { text: "Bukti penilaian" }), PTSP.evidenceList(scores.evidence)));
    $("feedback").prepend(card);
    // A chip under the reply: the score is visible where the trainee is looking (phones too).
    const clerkBubbles = document.querySelectorAll(".msg.clerk");
    const target = bubble || clerkBubbles[clerkBubbles.length - 1];
    if (!target) return;
    const chip = el("button", { type: "button", class: "chip " + PTSP.scoreClass(scores.overall), "data-testid": "score-chip",
      onclick: () => { card.open = true; card.scrollIntoView({ block: "start", behavior: "smooth" }); } },
      "Nilai " + scores.overall + " dari 100" +
      ((scores.tips || []).length ? " · Saran: " + scores.tips[0] : ""));
    target.appendChild(chip);
  }

  function render(messages) {
    let lastClerk = null;
    for (const m of messages || []) {
      if (m.kind === "feedback") showFeedback(m.data, lastClerk);
      else if (m.kind === "debrief") showDebrief(m.data);
      else {
        applyCase(m.kind, m.case);
        const li = addMessage(m.kind, m.text);
        if (m.kind === "clerk") lastClerk = li;
      }
    }
  }

  function showDebrief(data) {
    const wasExam = exam;
    $("debrief").replaceChildren(PTSP.debriefView(data));
    if (Array.isArray(data.objectives)) {
      exam = false;  // the checklist is no secret any more
      $("card-objectives-box").hidden = false;
      $("card-exam").hidden = true;
      showObjectives(data.objectives);
    }
    if (data.final_mood) setMood(data.final_mood);
    $("result").hidden = false;
    $("text").disabled = true;
    $("send").disabled = true;
    $("finish").disabled = true;
    $("finish-confirm").hidden = true;
    $("result").scrollIntoView({ block: "start" });
    if (wasExam) fetchDebrief();  // now the exam's scores may be shown
  }

  // --- signing in ---------------------------------------------------------------------------
  // The page as the trainee's state makes it: signed in (identity from the roster, exams,
  // history, tasks, unfinished visits) or not (open practice only, if the service allows it).
  function showWho() {
    const signedIn = Boolean(me);
    $("signed-out").hidden = signedIn;
    $("signed-in").hidden = !signedIn;
    if (signedIn) {
      $("me").replaceChildren("Anda masuk sebagai ", el("strong", { text: me.name }),
        " (ID " + me.id + ")" + (me.unit ? " · " + me.unit : ""));
    }
    $("open-fields").hidden = signedIn;
    $("open-fields").disabled = signedIn;
    $("setup-form").hidden = !signedIn && !openPractice;
    $("practice-closed").hidden = signedIn || openPractice;
    $("exam").disabled = !signedIn;
    if (!signedIn) $("exam").checked = false;
    $("exam-why").hidden = signedIn;
    $("find-unfinished").hidden = !signedIn;
    $("member-note").hidden = signedIn;
    $("history-open").hidden = !signedIn;
    $("result-history").hidden = !signedIn;
    if (!signedIn) {
      $("tasks").hidden = true;
      $("unfinished").hidden = true;
    }
  }

  async function loadMe() {
    const data = await PTSP.api("/api/me");
    me = data.trainee || null;
    openPractice = data.open_practice !== false;
    showWho();
  }

  function askNewPassword(message) {
    $("new-password-box").hidden = false;
    if (message) $("new-password-intro").textContent = message;
    $("login").textContent = "Simpan kata sandi dan masuk";
    $("login-id").readOnly = true;
    $("login-secret").readOnly = true;
    $("new-password").focus();
  }

  function resetLogin() {
    $("new-password-box").hidden = true;
    $("login").textContent = "Masuk";
    $("login-id").readOnly = false;
    $("login-secret").readOnly = false;
    for (const id of ["login-secret", "new-password", "new-password-again"]) $(id).value = "";
  }

  function loginProblem(choosing) {
    if (!$("login-id").value.trim()) return "ID pegawai / NIP wajib diisi.";
    if (!$("login-secret").value) return "Kata sandi atau kode pendaftaran wajib diisi.";
    if (!choosing) return null;
    const fresh = $("new-password").value;
    if (fresh.length < MIN_PASSWORD) return "Kata sandi baru minimal " + MIN_PASSWORD + " karakter.";
    if (fresh !== $("new-password-again").value) return "Kedua kata sandi baru tidak sama. Ketik ulang dengan teliti.";
    return null;
  }

  let signingIn = false;
  $("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (signingIn) return;
    const choosing = !$("new-password-box").hidden;
    const problem = loginProblem(choosing);
    $("login-error").textContent = problem || "";
    if (problem) return;
    const body = { employee_id: $("login-id").value.trim(), secret: $("login-secret").value };
    if (choosing) body.new_password = $("new-password").value;
    signingIn = true;
    $("login").disabled = true;
    try {
      // Not PTSP.api: the 409 answer's body says whether a new password is asked for.
      const response = await fetch("/api/login", { method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      let data = null;
      try { data = await response.json(); } catch (e) { data = null; }
      if (response.status === 409 && data && data.need_password) {
        askNewPassword(null);
        return;
      }
      if (!response.ok) {
        $("login-error").textContent = (data && data.error) || "Gagal masuk. Coba lagi sebentar lagi.";
        if (response.status === 401 && choosing) resetLogin();  // e.g. the code expired meanwhile
        return;
      }
      resetLogin();
      $("login-id").value = "";
      await signedIn();
    } catch (err) {
      $("login-error").textContent = "Tidak dapat terhubung ke server. Periksa koneksi Anda lalu coba lagi.";
    } finally {
      signingIn = false;
      $("login").disabled = false;
    }
  });

  // Signed in just now: who, then the trainee's tasks and unfinished visits.
  async function signedIn() {
    await loadMe();
    $("setup-error").textContent = "";
    newConfirmed = false;
    tasksShownFor = null;
    if (me) {
      loadTasks();
      findUnfinished(true);
    }
  }

  $("logout").addEventListener("click", async () => {
    try {
      await PTSP.api("/api/logout", { json: {} });
    } catch (err) {
      $("setup-error").textContent = err.message;
      return;
    }
    window.location.reload();
  });

  // --- setting up ---------------------------------------------------------------------------
  async function loadScenarios() {
    const data = await PTSP.api("/api/scenarios");
    scenarios = data.scenarios;
    for (const s of scenarios) $("scenario").appendChild(el("option", { value: s.id, text: s.title }));
  }

  $("scenario").addEventListener("change", () => {
    const s = scenarios.find((x) => x.id === $("scenario").value);
    $("scenario-brief").textContent = s ? s.brief : "Skenario dipilih secara acak dan diumumkan saat latihan dimulai.";
  });

  function enterPractice(name, examMode, messages, mood) {
    exam = examMode;
    $("account").hidden = true;
    $("setup").hidden = true;
    $("history").hidden = true;
    $("practice").hidden = false;
    $("exam-note").hidden = !exam;
    $("card-exam").hidden = !exam;
    $("card-objectives-box").hidden = exam;
    $("who").textContent = "Petugas: " + name;
    setMood(mood || "calm");
    render(messages);
    if (mood) setMood(mood);
    $("text").focus();
  }

  // Signed in: the roster says who; the body names the scenario and the mode only.
  function startBody() {
    const body = { scenario: $("scenario").value, start_id: startId };
    if (me) {
      body.exam = $("exam").checked;
    } else {
      body.name = $("name").value;
      body.employee_id = $("employee-id").value.trim();
      body.exam = false;
    }
    return body;
  }

  function setupProblem() {
    if (me) return null;
    const name = $("name").value.trim();
    const id = $("employee-id").value.trim();
    if (!name) return "Nama lengkap wajib diisi.";
    if (!id) return "ID pegawai / NIP wajib diisi.";
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(id)) return "ID pegawai hanya boleh berisi huruf, angka, '-' atau '_' (maks. 40).";
    return null;
  }

  let newConfirmed = false;  // the trainee saw their unfinished visits and still starts anew
  $("setup-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    const problem = setupProblem();
    $("setup-error").textContent = problem || "";
    if (problem) return;
    busy = true;  // from here on a second click waits for this one
    $("start").disabled = true;
    if (me && !newConfirmed && await findUnfinished(true)) {
      newConfirmed = true;
      busy = false;
      $("start").disabled = false;
      $("start-status").textContent = "Anda masih punya latihan yang belum selesai (di bawah). " +
        "Lanjutkan atau tutup latihan itu, atau tekan Mulai latihan sekali lagi untuk memulai latihan baru.";
      return;
    }
    $("setup-error").textContent = "";
    $("start").disabled = true;
    $("start-status").textContent = "Menyiapkan pelanggan…";
    startId = startId || randomId();  // a retry of this start is the same start
    const body = startBody();
    try {
      const data = await PTSP.api("/api/visit/start", { json: body });
      if (!me) remember();
      startId = null;
      tasksShownFor = null;  // back at the form after this visit, the list is fetched anew
      enterPractice(me ? me.name : $("name").value.trim(), body.exam, data.messages, null);
    } catch (err) {
      $("setup-error").textContent = err.message;
      if (err.status === 401 && me) loadMe().catch(() => {});  // signed out elsewhere
      else if (err.status === 403 && !me && body.employee_id) {
        $("login-id").value = body.employee_id;  // an enrolled ID: sign in above
        $("login-secret").focus();
      }
    } finally {
      busy = false;
      $("start").disabled = false;
      $("start-status").textContent = "";
    }
  });

  // After a reload the unfinished visit comes back from the tracker store (nothing is lost).
  async function resumeVisit() {
    const data = await PTSP.api("/api/visit/current");
    if (!data.visit) return false;
    $("resume-note").hidden = false;
    enterPractice(data.visit.name, data.visit.exam, data.visit.messages, data.visit.mood);
    return true;
  }

  // The signed-in trainee's unfinished visits (another device, a lost visit cookie).
  async function findUnfinished(quiet) {
    if (!me) {
      if (!quiet) $("setup-error").textContent = "Masuk terlebih dahulu untuk melihat latihan Anda yang belum selesai.";
      return false;
    }
    try {
      const data = await PTSP.api("/api/visits/unfinished", { json: {} });
      const list = $("unfinished-list");
      list.replaceChildren(...data.visits.map((v) => el("li", { class: "unfinished-visit" },
        el("span", { text: v.scenario_title + " · " + PTSP.formatDate(v.started) + " · " + v.turns +
          " balasan" + (v.exam_mode ? " · ujian" : "") }), " ",
        el("button", { type: "button", class: "resume", onclick: () => resumeOne(v.sender_id) }, "Lanjutkan"), " ",
        el("button", { type: "button", class: "secondary abandon", onclick: (event) => abandonOne(v.sender_id, event.currentTarget) }, "Tutup"))));
      $("unfinished").hidden = data.visits.length === 0;
      if (!quiet && data.visits.length === 0) $("start-status").textContent = "Tidak ada latihan Anda yang belum selesai.";
      return data.visits.length > 0;
    } catch (err) {
      if (!quiet) $("setup-error").textContent = err.message;
      return false;
    }
  }

  async function resumeOne(sender) {
    $("setup-error").textContent = "";
    try {
      const data = await PTSP.api("/api/visit/resume", { json: { sender: sender } });
      $("unfinished").hidden = true;
      $("resume-note").hidden = false;
      enterPractice(data.visit.name, data.visit.exam, data.visit.messages, data.visit.mood);
    } catch (err) {
      $("setup-error").textContent = err.message;
    }
  }

  async function abandonOne(sender, button) {
    if (!button.dataset.sure) {  // a second click closes it: nothing is lost by a slip
      button.dataset.sure = "1";
      button.textContent = "Yakin tutup? Klik lagi";
      button.classList.add("confirming");
      return;
    }
    $("setup-error").textContent = "";
    try {
      await PTSP.api("/api/visit/abandon", { json: { sender: sender } });
      $("start-status").textContent = "Latihan itu sudah ditutup dan dicatat sebagai ditinggalkan.";
      await findUnfinished(true);
    } catch (err) {
      $("setup-error").textContent = err.message;
    }
  }

  $("find-unfinished").addEventListener("click", () => {
    $("setup-error").textContent = "";
    $("start-status").textContent = "";
    findUnfinished(false);
  });

  // *Tugas saya*: what the trainer assigned to the signed-in trainee (or their roster unit);
  // a pending scenario is one click from starting, in the assignment's mode.
  let tasksShownFor = null;
  const DUE = { day: "numeric", month: "long", year: "numeric" };
  function dueText(due) {
    const d = /^\d{4}-\d{2}-\d{2}$/.test(due || "") ? new Date(due + "T00:00:00") : null;
    return d && !isNaN(d) ? d.toLocaleDateString("id-ID", DUE) : (due || "–");
  }

  async function loadTasks() {
    if (!me) return;
    // The list is already shown for this trainee: it is not re-rendered under a click.
    if (me.id === tasksShownFor) return;
    tasksShownFor = me.id;
    try {
      const data = await PTSP.api("/api/assignments");
      $("task-list").replaceChildren(...data.assignments.map((a) => el("li", { class: "task" + (a.overdue ? " overdue" : ""), "data-testid": "task" },
        el("strong", { text: (a.mode === "exam" ? "Ujian" : "Latihan") + " · tenggat " + dueText(a.due) + (a.overdue ? " (lewat tenggat)" : "") }),
        a.note ? el("span", { class: "note", text: " — " + a.note }) : null,
        el("ul", { class: "checklist" }, a.items.map((item) => el("li", { class: item.done ? "met" : "open" },
          el("span", { class: "mark", text: item.done ? "✔" : "○" }), " " + item.title + (item.done ? (item.passed ? " — lulus" : " — belum lulus") : "") + " ",
          item.done ? null : el("button", { type: "button", class: "secondary do-task", onclick: () => {
            $("scenario").value = item.scenario;
            $("scenario").dispatchEvent(new Event("change"));
            $("exam").checked = a.mode === "exam";
            newConfirmed = true;  // the trainee chose this task: start it now
            $("setup-form").requestSubmit();
          } }, "Kerjakan")))))));
      $("tasks").hidden = data.assignments.length === 0;
    } catch (err) { tasksShownFor = null; /* the page works without the task list */ }
  }

  // --- talking --------------------------------------------------------------------------------
  async function send(path, body, echo) {
    if (busy) return false;
    busy = true;
    $("say-error").textContent = "";
    $("send").disabled = true;
    $("finish").disabled = true;
    const bubble = echo !== null ? addMessage("clerk", echo) : null;  // shown at once
    typing(true);
    try {
      const data = await PTSP.api(path, { json: body });
      render(data.messages);  // the feedback's chip goes under the last clerk bubble
      return true;
    } catch (err) {
      if (bubble) {
        bubble.classList.add("failed");
        bubble.appendChild(el("span", { class: "failed-note", text: "Belum terkirim. Tekan Kirim untuk mencoba lagi." }));
      }
      $("say-error").textContent = err.message;
      return false;
    } finally {
      typing(false);
      busy = false;
      if (!$("text").disabled) {
        $("send").disabled = false;
        $("finish").disabled = false;
      }
    }
  }

  // Each message gets an id; sending the same text again after a failure reuses it, so the
  // server counts a resent message once.
  let pending = null;

  $("say-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    const text = $("text").value;
    if (!text.trim()) {
      $("say-error").textContent = "Balasan masih kosong. Tulis balasan Anda terlebih dahulu.";
      $("text").focus();
      return;
    }
    if (!pending || pending.text !== text) pending = { text: text, id: randomId() };
    for (const failed of document.querySelectorAll(".msg.clerk.failed")) failed.remove();
    $("text").value = "";
    if (await send("/api/visit/say", { text: text, message_id: pending.id }, text)) {
      pending = null;
    } else if (!$("text").value) {
      $("text").value = text;  // not sent: the text is back in the box, ready to resend
    }
    $("text").focus();
  });

  $("text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      $("say-form").requestSubmit();
    }
  });

  $("finish").addEventListener("click", () => {
    $("finish-confirm").hidden = false;
    $("finish-yes").focus();
  });
  $("finish-no").addEventListener("click", () => {
    $("finish-confirm").hidden = true;
    $("text").focus();
  });
  $("finish-yes").addEventListener("click", async () => {
    $("finish-confirm").hidden = true;
    await send("/api/visit/finish", {}, null);
  });
  $("again").addEventListener("click", () => window.location.reload());

  // for trainee_history.js: who is signed in (the history is theirs only)
  PTSP.trainee = { me: () => me, refresh: () => loadMe() };

  recall();
  showWho();
  loadScenarios().catch((err) => { $("setup-error").textContent = err.message; });
  loadMe().catch(() => { /* the page still offers open practice and the sign-in */ })
    .then(() => resumeVisit())
    .then((resumed) => {
      if (!resumed && me) {
        loadTasks();
        findUnfinished(true);
      }
    }).catch((err) => { $("setup-error").textContent = err.message; });
})();
