// Trainer: assign scenarios (one or a sequence) to an enrolled trainee (picked by name from the
// roster) or one of the trainer's units, practice or exam, with a due date; and see every
// assigned trainee's progress.
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

  let names = {};  // employee ID → name, from the roster

  function dueText(due) {
    const d = /^\d{4}-\d{2}-\d{2}$/.test(due || "") ? new Date(due + "T00:00:00") : null;
    return d && !isNaN(d) ? d.toLocaleDateString("id-ID", { day: "numeric", month: "long", year: "numeric" }) : (due || "–");
  }

  const who = (id) => (names[id] ? names[id] + " (" + id + ")" : id);

  function traineePicker(roster) {
    const people = roster.filter((t) => t.status !== "nonaktif");
    const select = el("select", { id: "a-trainee" });
    const search = el("input", { id: "a-trainee-q", type: "search", maxlength: 80, autocomplete: "off",
      placeholder: "Cari nama atau ID", "aria-label": "Cari peserta" });
    function fill() {
      const q = search.value.trim().toLowerCase();
      const keep = select.value;
      const found = people.filter((t) => !q || t.name.toLowerCase().includes(q) || t.id.toLowerCase().includes(q));
      select.replaceChildren(
        el("option", { value: "", text: people.length ? "— tidak untuk satu peserta —" : "— belum ada peserta terdaftar —" }),
        ...found.map((t) => el("option", { value: t.id, text: t.name + " (" + t.id + ")" + (t.unit ? " · " + t.unit : "") })));
      if (found.some((t) => t.id === keep)) select.value = keep;
      else if (q && found.length === 1) select.value = found[0].id;
      select.dispatchEvent(new Event("change"));
    }
    search.addEventListener("input", fill);
    fill();
    return { select: select, search: search, empty: people.length === 0 };
  }

  function render(data, roster, mine) {
    names = Object.fromEntries(roster.map((t) => [t.id, t.name]));
    const picker = traineePicker(roster);
    const unitSelect = el("select", { id: "a-unit" },
      el("option", { value: "", text: "— tidak untuk satu unit —" }),
      mine.map((u) => el("option", { value: u, text: u })));
    picker.select.addEventListener("change", () => { if (picker.select.value) unitSelect.value = ""; });
    unitSelect.addEventListener("change", () => { if (unitSelect.value) picker.select.value = ""; });
    const scenarioBoxes = data.scenarios.map((s) => el("label", { class: "check" },
      el("input", { type: "checkbox", name: "scenario", value: s.id }), " " + s.title));
    const status = el("p", { class: "note", role: "status", id: "assign-status" });
    const form = el("form", { id: "assign-form", class: "card" },
      el("h3", { text: "Tugas baru" }),
      el("p", { class: "note", text: "Tugaskan kepada satu peserta terdaftar, atau kepada semua peserta satu unit kerja." }),
      el("div", { class: "filters" },
        el("label", {}, "Peserta ", picker.search, picker.select),
        el("label", {}, "atau seluruh unit kerja ", unitSelect)),
      picker.empty ? el("p", { class: "note" }, "Belum ada peserta terdaftar. ",
        el("a", { href: "/review/roster", text: "Daftarkan peserta" }), " terlebih dahulu.") : null,
      el("fieldset", {}, el("legend", { text: "Skenario (dikerjakan berurutan)" }), scenarioBoxes),
      el("label", {}, "Mode ", el("select", { id: "a-mode" },
        el("option", { value: "practice", text: "Latihan" }), el("option", { value: "exam", text: "Ujian (dihitung sebagai sertifikasi)" }))),
      el("label", {}, "Tenggat ", el("input", { id: "a-due", type: "date", required: true })),
      el("label", {}, "Catatan untuk peserta ", el("input", { id: "a-note", maxlength: 500 })),
      el("button", { type: "submit", text: "Tugaskan" }), status);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const chosen = [...form.querySelectorAll("input[name=scenario]:checked")].map((x) => x.value);
      if (!$("a-trainee").value && !$("a-unit").value) { status.textContent = "Pilih peserta atau unit kerja yang ditugaskan."; return; }
      try {
        await PTSP.api("/review/api/assignments", { json: { trainee_id: $("a-trainee").value, unit: $("a-unit").value,
          scenarios: chosen, mode: $("a-mode").value, due: $("a-due").value, note: $("a-note").value.trim() || null } });
        load();
      } catch (err) { status.textContent = err.message; }
    });
    const list = el("section", { class: "card", "data-testid": "assignments" }, el("h3", { text: "Tugas yang berjalan" }),
      data.assignments.length ? null : el("p", { class: "note", text: "Belum ada tugas." }),
      data.assignments.map((a) => el("article", { class: "assignment", "data-testid": "assignment" },
        el("h4", { text: (a.trainee_id ? "Peserta " + who(a.trainee_id) : "Unit " + a.unit) + " · " + (a.mode === "exam" ? "ujian" : "latihan") +
          " · tenggat " + dueText(a.due) }),
        a.note ? el("p", { class: "note", text: a.note }) : null,
        a.trainees.length ? null : el("p", { class: "note", text: "Belum ada peserta dari unit ini yang berlatih." }),
        a.trainees.map((t) => el("div", {}, el("strong", { text: who(t.trainee_id) }), el("ul", { class: "checklist" }, t.items.map(itemView)))),
        el("button", { type: "button", class: "secondary", onclick: async () => {
          await PTSP.api("/review/api/assignments/" + a.id + "/archive", { json: {} }); load();
        } }, "Arsipkan"))));
    $("page").replaceChildren(el("h2", { text: "Tugas peserta" }), form, list);
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
