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

  // --- on a phone: tabs above the chat ------------------------------------------------------
  // A narrow screen shows one pane at a time under a bar that stays at the top: the visit's
  // status (mood, clock) and the tabs Percakapan / Kartu skenario / Berkas di meja / Umpan
  // balik. The chat is never scrolled away to read the card; a wide screen shows every pane
  // side by side as before (the tabs are hidden there, style.css).
  const PHONE = window.matchMedia("(max-width: 700px)");
  const TAB_OF_PANE = { chat: "tab-chat", card: "tab-card", desk: "tab-desk", feedback: "tab-feedback" };
  const onPhone = () => PHONE.matches;
  const currentTab = () => $("practice").dataset.tab || "chat";

  // The status line (who, mood, clock) sits in the phone's bar, in the chat card otherwise;
  // the exam's note, on a phone, above the chat (the feedback panel is a tab there).
  function placeStatus() {
    const head = $("chat-head");
    if (onPhone()) {
      $("visit-bar").prepend(head);
      $("resume-note").after($("exam-note"));
    } else {
      $("chat").prepend(head);
      $("feedback").before($("exam-note"));
    }
    barHeight();
  }

  function barHeight() {
    $("practice").style.setProperty("--bar-h", $("visit-bar").offsetHeight + "px");
  }

  // A mark on a tab whose pane changed while another pane was shown ("baru"); the desk's tab
  // also counts the documents on it.
  function badgeOf(pane) {
    return $(TAB_OF_PANE[pane]).querySelector(".tab-badge");
  }

  function drawBadge(pane) {
    const badge = badgeOf(pane);
    const fresh = badge.dataset.fresh === "1";
    badge.textContent = badge.dataset.count || (fresh ? "baru" : "");
    badge.classList.toggle("new", fresh);
    badge.hidden = !badge.textContent;
  }

  function markTab(pane, count) {
    const badge = badgeOf(pane);
    if (count !== undefined) badge.dataset.count = count;
    if (onPhone() && currentTab() !== pane) badge.dataset.fresh = "1";
    drawBadge(pane);
  }

  function showTab(pane) {
    $("practice").dataset.tab = pane;
    for (const [name, id] of Object.entries(TAB_OF_PANE)) {
      $(id).setAttribute("aria-selected", String(name === pane));
      $(id).classList.toggle("active", name === pane);
    }
    badgeOf(pane).dataset.fresh = "";
    drawBadge(pane);
    if (!onPhone()) return;
    if (pane === "chat") {
      revealChat();
    } else {  // the pane starts right under the bar
      const top = $("practice").getBoundingClientRect().top + window.scrollY;
      window.scrollTo({ top: top, behavior: "instant" });
    }
  }

  for (const [pane, id] of Object.entries(TAB_OF_PANE)) $(id).addEventListener("click", () => showTab(pane));
  $("tabs").addEventListener("keydown", (event) => {  // arrow keys move between the tabs
    const panes = Object.keys(TAB_OF_PANE);
    const at = panes.indexOf(currentTab());
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    const next = panes[(at + step + panes.length) % panes.length];
    showTab(next);
    $(TAB_OF_PANE[next]).focus();
  });
  PHONE.addEventListener("change", placeStatus);
  window.addEventListener("resize", barHeight);

  // The newest line in view: on a phone the chat under the bar with the reply box below it.
  function revealChat(line) {
    if (!onPhone()) {
      if (line) line.scrollIntoView({ block: "end" });
      return;
    }
    if (currentTab() !== "chat") return;
    const box = $("messages");
    box.scrollTop = box.scrollHeight;
    $("say-form").scrollIntoView({ block: "end" });
  }

  // --- the chat ---------------------------------------------------------------------------
  function addMessage(kind, text) {
    const li = el("li", { class: "msg " + kind },
      kind === "clerk" ? el("span", { class: "who", text: "Anda" }) :
        kind === "citizen" ? el("span", { class: "who", text: citizen }) : null,
      el("span", { class: "text", text: text }));
    $("messages").appendChild(li);
    revealChat(li);
    if (kind !== "clerk") markTab("chat");
    return li;
  }

  function typing(on) {
    $("typing").hidden = !on;
    $("typing").textContent = on ? citizen + " sedang mengetik…" : "";
    if (on) revealChat($("typing"));
  }

  // The visit's clock time (the scene's time of day), beside the mood for the whole visit: the
  // scene line's case carries it as `clock` ("09.15"), never read out of the line's text.
  function setClock(c) {
    const value = c && c.clock;
    if (!value) return;
    $("clock").textContent = "Pukul " + String(value).replace(":", ".") + " WIB";
    $("clock").hidden = false;
    barHeight();
  }

  function setMood(mood) {
    if (!mood) return;
    // "Suasana hati pelanggan: tenang"; a phone's bar leaves out "pelanggan" (style.css)
    $("mood").replaceChildren("Suasana hati", el("span", { class: "mood-long", text: " pelanggan" }),
      ": " + (PTSP.MOODS[mood] || mood));
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

  // The checklist: ✔ met, ○ pending (not yet, the visit goes on), ✘ broken (it can no longer be
  // met). Before the first reply nothing is broken; an optional objective says so and is never
  // a red ✘ (as in the debrief, common.js).
  const MARKS = { met: "✔", pending: "○", broken: "✘" };
  const STATE_TITLES = { met: "tercapai", pending: "belum tercapai", broken: "tidak tercapai" };
  function objectiveState(o, over) {
    if (o.state === "open") return "pending";  // the checklist sent with the feedback
    if (o.state) return o.state;
    return o.met ? "met" : (over ? "broken" : "pending");  // the card as the visit starts
  }

  function objectiveItem(o, over) {
    const state = objectiveState(o, over);
    const shown = state === "broken" && o.optional ? "pending" : state;  // no red ✘ if optional
    const cls = { met: "met", pending: "pending open", broken: "unmet broken" }[shown];
    return el("li", { class: cls, "data-objective": o.id, "data-state": state,
      title: STATE_TITLES[state] + (o.optional ? " (opsional)" : "") },
    el("span", { class: "mark", text: MARKS[shown] }), " ", o.label,
    o.optional ? el("span", { class: "optional", text: " (opsional)" }) : null);
  }

  function showObjectives(objectives, over) {
    if (exam) return;
    $("card-objectives").replaceChildren(...objectives.map((o) => objectiveItem(o, over)));
  }

  function showDocuments(documents) {
    markTab("desk", String(documents.length));
    $("desk-empty").hidden = true;
    $("desk-documents").replaceChildren(...documents.map((d) =>
      el("li", { class: "doc " + (d.state === "ada" ? "ok" : "problem") },
        el("span", { class: "doc-name", text: d.name }),
        el("span", { class: "doc-state", text: STATES[d.state] || d.state }))));
  }

  function showLookup(lines) {
    markTab("desk");
    $("desk-lookup-box").hidden = false;
    for (const line of lines) $("desk-lookup").appendChild(el("li", { text: line }));
  }

  function applyCase(kind, c, text) {
    if (kind === "scene") setClock(c);
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
  // The one tip shown under a reply, in its chip and its feedback panel alike: the first of the
  // scorer's tips (actions/scoring/tips.py SHOWN_TIPS); the debrief's main tips come from these.
  function shownTip(scores) {
    return (scores.tips || [])[0] || "";
  }

  // The evidence, one line per reason: the same fault seen in two dimensions (a wrong fact costs
  // clarity and responsiveness) is one line with its points summed and both dimensions named.
  function evidenceList(evidence) {
    const lines = [];
    const byKey = new Map();
    for (const item of evidence || []) {
      const effect = Number(item.effect || 0);
      const key = [PTSP.signalLabel(item), item.text || "", Math.sign(effect)].join("\u0000");
      let line = byKey.get(key);
      if (!line) {
        line = { label: PTSP.signalLabel(item), text: item.text || "", effect: 0, dims: [] };
        byKey.set(key, line);
        lines.push(line);
      }
      line.effect += effect;
      const dim = PTSP.dimLabel(item.dimension);
      if (dim && !line.dims.includes(dim)) line.dims.push(dim);
    }
    return el("ul", { class: "evidence" }, lines.map((x) =>
      el("li", { class: x.effect > 0 ? "plus" : x.effect < 0 ? "minus" : "zero" },
        el("span", { class: "effect", text: (x.effect > 0 ? "+" : "") + x.effect }),
        el("span", { class: "signal", text: x.label }),
        x.text ? el("q", { text: x.text }) : null,
        el("span", { class: "dim", text: x.dims.join(" · ") }))));
  }

  function showFeedback(record, bubble) {
    if (Array.isArray(record.objectives)) showObjectives(record.objectives);
    const scores = record.scores;
    if (!scores) return;
    const tip = shownTip(scores);
    const id = "feedback-" + record.turn;
    const card = el("article", { class: "turn-feedback", id: id, "data-testid": "turn-feedback" },
      el("h3", { text: "Balasan ke-" + record.turn }),
      el("blockquote", { text: record.reply }),
      el("div", { class: "scores" }, PTSP.DIMENSIONS.map(([k, label]) => PTSP.scoreBadge(label, scores[k]))),
      tip ? el("p", { class: "tip", text: "Saran: " + tip }) : null,
      el("details", {}, el("summary", { text: "Bukti penilaian" }), evidenceList(scores.evidence)));
    $("feedback").prepend(card);
    markTab("feedback");
    // A chip under the reply: the score is visible where the trainee is looking (phones too).
    const clerkBubbles = document.querySelectorAll(".msg.clerk");
    const target = bubble || clerkBubbles[clerkBubbles.length - 1];
    if (!target) return;
    const chip = el("button", { type: "button", class: "chip " + PTSP.scoreClass(scores.overall), "data-testid": "score-chip",
      onclick: () => {
        if (onPhone()) showTab("feedback");  // its panel is a tab of its own on a phone
        card.open = true;
        card.scrollIntoView({ block: onPhone() ? "center" : "start", behavior: "smooth" });
      } },
      "Nilai " + scores.overall + " dari 100" + (tip ? " · Saran: " + tip : ""));
    target.appendChild(chip);
  }

  function render(messages) {
    let lastClerk = null;
    for (const m of messages || []) {
      if (m.kind === "feedback") showFeedback(m.data, lastClerk);
      else if (m.kind === "debrief") showDebrief(m.data);
      else {
        applyCase(m.kind, m.case, m.text);
        const li = addMessage(m.kind, m.text);
        if (m.kind === "clerk") lastClerk = li;
      }
    }
  }

  function showDebrief(data) {
    const wasExam = exam;
    const view = PTSP.debriefView(data);
    const reasons = data.fail_reasons || [];
    const reason = view.querySelector(".reason");
    if (!data.passed && reasons.length > 1 && reason && !view.querySelector(".fail-reasons")) {
      // the reason names the first fault; every fault that made the visit fail is listed
      reason.after(el("ul", { class: "fail-reasons", "data-testid": "fail-reasons" },
        reasons.map((r) => el("li", { text: r }))));
    }
    $("debrief").replaceChildren(view);
    if (Array.isArray(data.objectives)) {
      exam = false;  // the checklist is no secret any more
      $("card-objectives-box").hidden = false;
      $("card-exam").hidden = true;
      showObjectives(data.objectives, true);
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
    $("tasks").hidden = true;
    $("history").hidden = true;
    $("practice").hidden = false;
    placeStatus();
    $("exam-note").hidden = !exam;
    $("card-exam").hidden = !exam;
    $("card-objectives-box").hidden = exam;
    $("who").textContent = "Petugas: " + name;
    setMood(mood || "calm");
    render(messages);
    if (mood) setMood(mood);
    showTab("chat");
    $("text").focus({ preventScroll: onPhone() });
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
  // a pending scenario is one click from starting, in the assignment's mode. While a task is
  // open the list is the first thing on the page; once all are done it follows the start form.
  // Fields another version of the server may add are shown when present, never assumed:
  // due_soon, overdue, pass_mark, attempts_allowed / attempts_used, completed_at, certificate
  // {url, expires, expired} and each item's score.
  let tasksShownFor = null;
  const LONG_DATE = { day: "numeric", month: "long", year: "numeric" };
  const SHORT_DATE = { day: "numeric", month: "short", year: "numeric" };
  function dayOf(value) {  // "2026-12-03", an ISO time, or seconds / milliseconds since 1970
    if (value === null || value === undefined || value === "") return null;
    let d;
    if (typeof value === "number") d = new Date(value < 1e12 ? value * 1000 : value);
    else if (/^\d{4}-\d{2}-\d{2}$/.test(value)) d = new Date(value + "T00:00:00");
    else d = new Date(value);
    return isNaN(d) ? null : d;
  }
  function dateText(value, style) {
    const d = dayOf(value);
    return d ? d.toLocaleDateString("id-ID", style || SHORT_DATE) : "";
  }
  function dueText(due) {
    return dateText(due, LONG_DATE) || (due || "–");
  }
  const isNumber = (x) => typeof x === "number" && isFinite(x);
  // a link the page may open: this site's own path or a web address, nothing else
  const safeUrl = (url) => typeof url === "string" && /^(\/(?!\/)|https?:\/\/)/i.test(url) ? url : null;

  // "Percobaan 1 dari 2": the attempts used of those allowed (per scenario); nothing when
  // there is no limit (every finished practice visit counts).
  function attemptsText(used, allowed) {
    if (!isNumber(allowed)) return "";
    if (!isNumber(used) || used <= 0) return allowed === 1 ? "Hanya 1 kali percobaan" : "Maksimal " + allowed + " kali percobaan";
    return "Percobaan " + Math.min(used, allowed) + " dari " + allowed;
  }

  function itemResult(item) {
    const bits = [];
    if (item.in_progress) bits.push("sedang dikerjakan");
    else if (item.done) bits.push(item.passed ? "lulus" : item.passed === false ? "tidak lulus" : "selesai");
    if (isNumber(item.score)) bits.push("nilai " + Math.round(item.score));
    const on = item.done ? dateText(item.done_at || item.completed_at) : "";
    if (on) bits.push(on);
    return bits.length ? " — " + bits.join(", ") : "";
  }

  function certificateView(cert) {
    if (!cert || typeof cert !== "object") return null;
    const url = safeUrl(cert.url);
    const expired = cert.expired === true;
    const until = dateText(cert.expires, LONG_DATE);
    return el("p", { class: "certificate" + (expired ? " expired" : ""), "data-testid": "certificate" },
      url ? el("a", { href: url, target: "_blank", rel: "noopener", text: "Lihat sertifikat" }) :
        el("span", { text: "Sertifikat" }),
      expired ? el("span", { class: "tag overdue", text: "kedaluwarsa" + (until ? " sejak " + until : "") }) :
        until ? el("span", { class: "note", text: " berlaku sampai " + until }) : null);
  }

  function startTask(a, item) {
    $("scenario").value = item.scenario;
    $("scenario").dispatchEvent(new Event("change"));
    $("exam").checked = a.mode === "exam";
    newConfirmed = true;  // the trainee chose this task: start it now
    $("setup-form").requestSubmit();
  }

  function taskOpen(a) {
    if (typeof a.complete === "boolean") return !a.complete;
    return !a.completed_at && (a.items || []).some((item) => !item.done);
  }

  function taskItem(a, item, several) {
    const allowed = isNumber(item.attempts_allowed) ? item.attempts_allowed : a.attempts_allowed;
    const used = isNumber(item.attempts_used) ? item.attempts_used : several ? null : a.attempts_used;
    const left = !isNumber(allowed) || !isNumber(used) || used < allowed;
    const failed = item.done && item.passed === false;
    const mark = item.done ? (failed ? "✘" : "✔") : "○";
    const attempts = several ? attemptsText(used, allowed) : "";
    let action = null;
    if (!item.done && !item.in_progress && left) action = "Kerjakan";
    else if (failed && left) action = "Coba lagi";
    return el("li", { class: "task-item " + (item.done ? (failed ? "unmet" : "met") : "open"), "data-testid": "task-item" },
      el("span", { class: "mark", text: mark }),
      " " + (item.title || "Skenario") + itemResult(item),
      attempts ? el("span", { class: "note", text: " · " + attempts.charAt(0).toLowerCase() + attempts.slice(1) }) : null,
      !left && !item.passed && !item.in_progress ? el("span", { class: "note", text: " · percobaan habis" }) : null, " ",
      action ? el("button", { type: "button", class: "secondary do-task", onclick: () => startTask(a, item) }, action) : null);
  }

  function taskView(a) {
    const items = a.items || [];
    const several = items.length > 1;
    const open = taskOpen(a);
    const late = a.overdue === true && open;
    const soon = a.due_soon === true && open && !late;
    const facts = [
      isNumber(a.pass_mark) ? "Nilai lulus: " + a.pass_mark : "",
      !isNumber(a.attempts_allowed) ? "" : several ? "Maksimal " + a.attempts_allowed + " kali percobaan per skenario" :
        attemptsText(isNumber((items[0] || {}).attempts_used) ? items[0].attempts_used : a.attempts_used, a.attempts_allowed),
    ].filter(Boolean);
    const completed = dateText(a.completed_at);
    return el("li", { class: "task" + (late ? " overdue" : "") + (soon ? " due-soon" : "") + (open ? " open" : " done"),
      "data-testid": "task", "data-open": String(open) },
    el("div", { class: "task-head" },
      el("strong", { text: a.mode === "exam" ? "Ujian" : "Latihan" }),
      el("span", { class: "due", text: "· tenggat " + dueText(a.due) }),
      late ? el("span", { class: "tag overdue", "data-testid": "task-overdue", text: "Terlambat" }) : null,
      soon ? el("span", { class: "tag due-soon", "data-testid": "task-due-soon", text: "Segera jatuh tempo" }) : null,
      !open ? el("span", { class: "tag pass", "data-testid": "task-done",
        text: completed ? "Selesai " + completed : "Selesai" }) : null),
    a.note ? el("p", { class: "task-note", text: "Pesan pelatih: " + a.note }) : null,
    facts.length ? el("p", { class: "task-facts", "data-testid": "task-facts", text: facts.join(" · ") }) : null,
    el("ul", { class: "checklist" }, items.map((item) => taskItem(a, item, several))),
    certificateView(a.certificate));
  }

  function showTasks(list) {
    const shown = list.filter((a) => a && Array.isArray(a.items));
    const open = shown.filter(taskOpen);
    const done = shown.filter((a) => !taskOpen(a));
    $("task-list").replaceChildren(...open.concat(done).map(taskView));
    const late = open.filter((a) => a.overdue === true).length;
    $("tasks-summary").textContent = open.length ?
      open.length + " tugas belum selesai" + (late ? ", " + late + " terlambat" : "") + "." :
      "Semua tugas sudah selesai.";
    // open tasks first on the page (above the sign-in card); done ones after the start form
    if (open.length) $("account").before($("tasks"));
    else $("setup").after($("tasks"));
    $("tasks").classList.toggle("first", open.length > 0);
    $("tasks").hidden = shown.length === 0 || !$("practice").hidden || !$("history").hidden;
  }

  async function loadTasks() {
    if (!me) return;
    // The list is already shown for this trainee: it is not re-rendered under a click.
    if (me.id === tasksShownFor) return;
    tasksShownFor = me.id;
    try {
      const data = await PTSP.api("/api/assignments");
      showTasks(Array.isArray(data.assignments) ? data.assignments : []);
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
