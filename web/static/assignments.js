// Trainer: assign scenarios (one or a sequence) to a trainee or a unit, practice or exam, with
// a due date; and see every assigned trainee's progress.
"use strict";
(function () {
  const el = PTSP.el;
  const $ = (id) => document.getElementById(id);

  function itemView(item) {
    const state = !item.done ? "belum" : item.passed ? "lulus" : "tidak lulus";
    return el("li", { class: "assign-item " + (item.done ? (item.passed ? "met" : "unmet") : "open") },
      el("span", { class: "mark", text: !item.done ? "○" : item.passed ? "✔" : "✘" }), " ", item.title + " — " + state +
      (item.done && !item.on_time ? " (terlambat)" : ""), " ",
      item.session_id ? el("a", { href: "/review/session?id=" + encodeURIComponent(item.session_id), text: "buka" }) : null);
  }

  function render(data) {
    const scenarioBoxes = data.scenarios.map((s) => el("label", { class: "check" },
      el("input", { type: "checkbox", name: "scenario", value: s.id }), " " + s.title));
    const status = el("p", { class: "note", role: "status", id: "assign-status" });
    const form = el("form", { id: "assign-form", class: "card" },
      el("h3", { text: "Tugas baru" }),
      el("label", {}, "ID peserta ", el("input", { id: "a-trainee", maxlength: 40, placeholder: "kosongkan bila untuk satu unit" })),
      el("label", {}, "atau unit kerja ", el("input", { id: "a-unit", maxlength: 80, placeholder: "mis. DPMPTSP Kota Bogor" })),
      el("fieldset", {}, el("legend", { text: "Skenario (dikerjakan berurutan)" }), scenarioBoxes),
      el("label", {}, "Mode ", el("select", { id: "a-mode" },
        el("option", { value: "practice", text: "Latihan" }), el("option", { value: "exam", text: "Ujian (dihitung sebagai sertifikasi)" }))),
      el("label", {}, "Tenggat ", el("input", { id: "a-due", type: "date", required: true })),
      el("label", {}, "Catatan untuk peserta ", el("input", { id: "a-note", maxlength: 500 })),
      el("button", { type: "submit", text: "Tugaskan" }), status);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const chosen = [...form.querySelectorAll("input[name=scenario]:checked")].map((x) => x.value);
      try {
        await PTSP.api("/review/api/assignments", { json: { trainee_id: $("a-trainee").value.trim(), unit: $("a-unit").value.trim(),
          scenarios: chosen, mode: $("a-mode").value, due: $("a-due").value, note: $("a-note").value.trim() || null } });
        load();
      } catch (err) { status.textContent = err.message; }
    });
    const list = el("section", { class: "card", "data-testid": "assignments" }, el("h3", { text: "Tugas yang berjalan" }),
      data.assignments.length ? null : el("p", { class: "note", text: "Belum ada tugas." }),
      data.assignments.map((a) => el("article", { class: "assignment", "data-testid": "assignment" },
        el("h4", { text: (a.trainee_id ? "Peserta " + a.trainee_id : "Unit " + a.unit) + " · " + (a.mode === "exam" ? "ujian" : "latihan") +
          " · tenggat " + a.due }),
        a.note ? el("p", { class: "note", text: a.note }) : null,
        a.trainees.length ? null : el("p", { class: "note", text: "Belum ada peserta dari unit ini yang berlatih." }),
        a.trainees.map((t) => el("div", {}, el("strong", { text: t.trainee_id }), el("ul", { class: "checklist" }, t.items.map(itemView)))),
        el("button", { type: "button", class: "secondary", onclick: async () => {
          await PTSP.api("/review/api/assignments/" + a.id + "/archive", { json: {} }); load();
        } }, "Arsipkan"))));
    $("page").replaceChildren(el("h2", { text: "Tugas peserta" }), form, list);
  }

  function load() {
    PTSP.api("/review/api/assignments").then(render).catch((err) => { $("error").textContent = err.message; });
  }
  load();
})();
