// A searchable list of trainees (and units) for the trainer pages: a search box that filters
// a list of "Nama (ID pegawai)" and unit names by name or ID. What is chosen travels as the
// option's value (an employee ID, or "trainee:<ID>" / "unit:<name>" when units are offered);
// the trainer only ever reads names.
"use strict";
(function () {
  const el = PTSP.el;

  PTSP.personText = function (t) {
    return t.name ? t.name + " (" + t.id + ")" : t.id;
  };

  // opts: id, label, people [{id, name, unit}], units [name] (offered only if given),
  // none (the empty choice's text), placeholder, more(q) -> Promise of more people (search on
  // the server as the trainer types; optional).
  PTSP.picker = function (opts) {
    const withUnits = Array.isArray(opts.units);
    const people = new Map();
    const units = withUnits ? opts.units.slice() : [];
    const search = el("input", { id: opts.id + "-q", type: "search", maxlength: 80, autocomplete: "off",
      class: "picker-search", placeholder: opts.placeholder || "Cari nama atau ID", "aria-label": "Cari " + opts.label.toLowerCase() });
    const select = el("select", { id: opts.id, class: "picker-list", "aria-label": opts.label });
    const valueOf = (t) => (withUnits ? "trainee:" + t.id : t.id);

    function add(list) {
      for (const t of list || []) {
        const known = people.get(t.id);
        people.set(t.id, Object.assign({}, known || {}, t, { name: t.name || (known && known.name) || null }));
      }
    }
    add(opts.people);

    function fill() {
      const q = search.value.trim().toLowerCase();
      const keep = select.value;
      const matches = (text) => !q || (text || "").toLowerCase().includes(q);
      const found = [...people.values()].filter((t) => matches(t.name) || matches(t.id))
        .sort((a, b) => (a.name || a.id).localeCompare(b.name || b.id, "id"));
      const foundUnits = units.filter(matches);
      const children = [el("option", { value: "", text: opts.none || "— pilih —" })];
      if (found.length) {
        children.push(el("optgroup", { label: "Peserta" }, found.map((t) => el("option", { value: valueOf(t),
          text: PTSP.personText(t) + (t.unit ? " · " + t.unit : "") }))));
      }
      if (foundUnits.length) {
        children.push(el("optgroup", { label: "Unit kerja" }, foundUnits.map((u) => el("option", { value: "unit:" + u, text: "Unit " + u }))));
      }
      select.replaceChildren(...children);
      const options = [...select.options].filter((o) => o.value);
      if (keep && options.some((o) => o.value === keep)) select.value = keep;
      else if (q && options.length === 1) select.value = options[0].value;
      else select.value = "";
      select.dispatchEvent(new Event("change"));
    }

    let lookup = null;
    search.addEventListener("input", () => {
      fill();
      if (!opts.more) return;
      clearTimeout(lookup);
      const q = search.value.trim();
      lookup = setTimeout(async () => {
        try { add(await opts.more(q)); } catch (err) { return; }  // the list is a help
        if (search.value.trim() === q) fill();
      }, 250);
    });
    fill();

    return {
      search: search, select: select,
      box: el("span", { class: "picker" }, search, select),
      empty: () => people.size === 0 && units.length === 0,
      // choose a value (e.g. from the URL), adding the trainee it names if not listed yet
      choose: function (value, person) {
        if (!value) return;
        if (value.startsWith("trainee:") || !withUnits) {
          const id = withUnits ? value.slice(8) : value;
          if (!people.has(id)) add([person || { id: id, name: null }]);
        }
        search.value = "";
        fill();
        select.value = value;
      },
      add: function (list) { add(list); fill(); },
      label: function () {
        const chosen = select.options[select.selectedIndex];
        return chosen && chosen.value ? chosen.textContent.split(" · ")[0] : "";
      },
    };
  };
})();
