// Trainer: assign scenarios (one or a sequence) to an enrolled trainee (picked by name from the
// roster) or one of the trainer's units, practice or exam, with a due date, a pass mark, an
// attempt limit and, for an exam, how long its certificate stays valid; see every assigned
// trainee's progress (late and nearly due ones marked), completion dates and certificates, and
// the certificates that expire soon.
"use strict";
(function () {
  const el = PTSP.el;
  const $ = (id) => document.getElementById(id);

  function dayText(value) {  // "YYYY-MM-DD" or an ISO timestamp, as a date in words
    if (!value) return "–";
    const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(value + "T00:00:00") : new Date(value);
    return isNaN(d) ? value : d.toLocaleDateString("id-ID", { day: "numeric", month: "long", year: "numeric" });
  }

  const who = (id, name) => (name ? name + " (" + id + ")" : id);

  function itemView(item, allowed) {
    const state = item.in_progress && !item.done ? "sedang dikerjakan" : !item.done ? "belum" : item.passed ? "lulus" : "tidak lulus";
    const extra = [];
    if (item.score !== null && item.score !== undefined) extra.push("nilai " + item.score);
    if (allowed) extra.push("percobaan " + item.attempts_used + " dari " + allowed);
    else if (item.attempts_used > 1) extra.push(item.attempts_used + " kali dikerjakan");
    if (item.done && !item.on_time) extra.push("terlambat");
    return el("li", { class: "assign-item " + (item.done ? (item.passed ? "met" : "unmet") : "open") },
      el("span", { class: "mark", text: !item.done ? "○" : item.passed ? "✔" : "✘" }), " ", item.title + " — " + state +
      (extra.length ? " (" + extra.join(", ") + ")" : ""), " ",
      item.session_id ? el("a", { href: "/review/session?id=" + encodeURIComponent(item.session_id), text: "buka" }) : null);
  }

  function standingTags(s) {
    const tags = [];
    if (s.overdue) tags.push(el("span", { class: "tag late", "data-testid": "overdue", text: "terlambat" }));
    else if (s.due_soon) tags.push(el("span", { class: "tag soon", "data-testid": "due-soon", text: "tenggat sudah dekat" }));
    if (s.completed_at) tags.push(el("span", { class: "tag done", "data-testid": "completed", text: "selesai " + dayText(s.completed_at) }));
    return tags;
  }

  function certificateLink(cert) {
    if (!cert) return null;
    const until = cert.expires ? (cert.expired ? " — berakhir " : " — berlaku sampai ") + dayText(cert.expires) : "";
    return el("a", { class: "cert-link" + (cert.expired ? " expired" : ""), href: cert.url, target: "_blank",
      "data-testid": "certificate-link", text: "Sertifikat" + until });
  }

  function rulesText(a) {
    const parts = ["Nilai lulus: " + (a.pass_mark === null || a.pass_mark === undefined ? "sesuai aturan skenario" : a.pass_mark)];
    parts.push("percobaan: " + (a.attempts_allowed ? a.attempts_allowed + " kali" : "tanpa batas"));
    if (a.mode === "exam") parts.push("sertifikat berlaku " + (a.valid_months ? a.valid_months + " bulan" : "tanpa batas waktu"));
    parts.push("dibuat oleh " + a.created_by + " pada " + dayText(a.created_at));
    return parts.join(" · ");
  }

  function assignmentView(a) {
    const title = (a.trainee_id ? "Peserta " + who(a.trainee_id, a.trainee_name) : "Unit " + a.unit) + " · " +
      (a.mode === "exam" ? "ujian" : "latihan") + " · tenggat " + dayText(a.due);
    return el("article", { class: "assignment" + (a.overdue ? " overdue" : a.due_soon ? " due-soon" : ""), "data-testid": "assignment",
      "data-id": a.id },
      el("h4", {}, title, " ", a.overdue ? el("span", { class: "tag late", text: "ada yang terlambat" }) :
        a.due_soon ? el("span", { class: "tag soon", text: "tenggat sudah dekat" }) : null),
      el("p", { class: "note small rules", text: rulesText(a) }),
      a.note ? el("p", { class: "note", text: a.note }) : null,
      a.trainees.length ? null : el("p", { class: "note", text: "Belum ada peserta terdaftar di unit ini." }),
      a.trainees.map((t) => el("div", { class: "assigned" + (t.overdue ? " overdue" : t.due_soon ? " due-soon" : ""), "data-testid": "assigned",
        "data-id": t.trainee_id },
        el("p", { class: "assigned-head" }, el("strong", { text: who(t.trainee_id, t.name) }), " ", standingTags(t), " ", certificateLink(t.certificate)),
        el("ul", { class: "checklist" }, t.items.map((item) => itemView(item, a.attempts_allowed))))),
      el("button", { type: "button", class: "secondary", onclick: async () => {
        await PTSP.api("/review/api/assignments/" + a.id + "/archive", { json: {} }); load();
      } }, "Arsipkan"));
  }

  function expiringView(list) {
    if (!list.length) return null;
    return el("section", { class: "card expiring", "data-testid": "expiring" },
      el("h3", { text: "Sertifikat yang segera berakhir atau sudah berakhir" }),
      el("ul", { class: "plain" }, list.map((c) => el("li", { class: c.expired ? "expired" : "soon", "data-testid": "expiring-row" },
        el("strong", { text: who(c.trainee_id, c.name) }), " · " + (c.unit || "–") + " · " + c.titles.join(", ") + " · ",
        el("span", { class: "tag " + (c.expired ? "late" : "soon"), text: (c.expired ? "berakhir " : "berlaku sampai ") + dayText(c.expires) }), " ",
        el("a", { href: c.url, target: "_blank", text: "lihat sertifikat" })))));
  }

  function numberField(id, label, hint, max) {
    return el("label", { id: id + "-box" }, label, " ",
      el("input", { id: id, type: "number", min: id === "a-pass" ? 0 : 1, max: max, step: 1, inputmode: "numeric" }),
      el("span", { class: "note small", text: hint }));
  }

  function render(data, roster, mine) {
    const people = roster.filter((t) => t.status !== "nonaktif");
    const picker = PTSP.picker({ id: "a-trainee", label: "Peserta", people: people,
      none: people.length ? "— tidak untuk satu peserta —" : "— belum ada peserta terdaftar —" });
    const unitSelect = el("select", { id: "a-unit" },
      el("option", { value: "", text: "— tidak untuk satu unit —" }),
      mine.map((u) => el("option", { value: u, text: u })));
    picker.select.addEventListener("change", () => { if (picker.select.value) unitSelect.value = ""; });
    unitSelect.addEventListener("change", () => { if (unitSelect.value) picker.select.value = ""; });
    const scenarioBoxes = data.scenarios.map((s) => el("label", { class: "check" },
      el("input", { type: "checkbox", name: "scenario", value: s.id }), " " + s.title));
    const status = el("p", { class: "note", role: "status", id: "assign-status" });
    const mode = el("select", { id: "a-mode" },
      el("option", { value: "practice", text: "Latihan" }), el("option", { value: "exam", text: "Ujian (dihitung sebagai sertifikasi)" }));
    const validity = numberField("a-valid", "Masa berlaku sertifikat (bulan)", "kosong: tanpa batas waktu", 120);
    const attempts = numberField("a-attempts", "Batas percobaan", "kosong: latihan tanpa batas, ujian 1 kali", 20);
    const passMark = numberField("a-pass", "Nilai lulus (0–100)", "kosong: sesuai aturan skenario", 100);
    const syncMode = () => { validity.hidden = mode.value !== "exam"; };
    mode.addEventListener("change", syncMode);
    syncMode();
    const form = el("form", { id: "assign-form", class: "card" },
      el("h3", { text: "Tugas baru" }),
      el("p", { class: "note", text: "Tugaskan kepada satu peserta terdaftar, atau kepada semua peserta satu unit kerja." }),
      el("div", { class: "filters" },
        el("label", {}, "Peserta (cari nama atau ID) ", picker.box),
        el("label", {}, "atau seluruh unit kerja ", unitSelect)),
      picker.empty() ? el("p", { class: "note" }, "Belum ada peserta terdaftar. ",
        el("a", { href: "/review/roster", text: "Daftarkan peserta" }), " terlebih dahulu.") : null,
      el("fieldset", {}, el("legend", { text: "Skenario (dikerjakan berurutan)" }), scenarioBoxes),
      el("div", { class: "filters" },
        el("label", {}, "Mode ", mode),
        el("label", {}, "Tenggat ", el("input", { id: "a-due", type: "date", required: true }))),
      el("div", { class: "filters" }, passMark, attempts, validity),
      el("label", {}, "Catatan untuk peserta ", el("input", { id: "a-note", maxlength: 500 })),
      el("button", { type: "submit", text: "Tugaskan" }), status);
    const number = (id) => ($(id).value.trim() === "" ? null : Number($(id).value));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const chosen = [...form.querySelectorAll("input[name=scenario]:checked")].map((x) => x.value);
      if (!$("a-trainee").value && !$("a-unit").value) { status.textContent = "Pilih peserta atau unit kerja yang ditugaskan."; return; }
      try {
        await PTSP.api("/review/api/assignments", { json: { trainee_id: $("a-trainee").value, unit: $("a-unit").value,
          scenarios: chosen, mode: mode.value, due: $("a-due").value, note: $("a-note").value.trim() || null,
          pass_mark: number("a-pass"), attempts: number("a-attempts"),
          valid_months: mode.value === "exam" ? number("a-valid") : null } });
        load();
      } catch (err) { status.textContent = err.message; }
    });
    const list = el("section", { class: "card", "data-testid": "assignments" }, el("h3", { text: "Tugas yang berjalan" }),
      data.assignments.length ? el("p", { class: "note small legend-line" },
        el("span", { class: "tag late", text: "terlambat" }), " lewat tenggat dan belum selesai · ",
        el("span", { class: "tag soon", text: "tenggat sudah dekat" }), " jatuh tempo dalam 2 hari") :
        el("p", { class: "note", text: "Belum ada tugas." }),
      data.assignments.map(assignmentView));
    $("page").replaceChildren(...[el("h2", { text: "Tugas peserta" }), expiringView(data.expiring || []), form, list].filter(Boolean));
  }

  function load() {
    Promise.all([
      PTSP.api("/review/api/assignments"),
      PTSP.api("/review/api/roster").then((r) => r.trainees || []).catch(() => []),
      PTSP.api("/review/api/units").then((u) => (u.mine || []).map((x) => (typeof x === "string" ? x : x.name)))
        .catch(() => []),
    ]).then(([data, roster, mine]) => render(data, roster, mine))
      .catch((err) => { $("error").textContent = err.message; });
  }
  load();
})();
