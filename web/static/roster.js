// Trainer: *Daftar peserta* — the trainees enrolled in the trainer's units (search, unit
// filter, status), enrolling one trainee or a whole CSV/Excel list, the one-time enrolment
// codes of new enrolments (shown once: to print or copy), a new code or disabling per trainee;
// and, for admins, the managed list of units.
"use strict";
(function () {
  const el = PTSP.el;
  const $ = (id) => document.getElementById(id);
  const STATUS = {
    menunggu: "menunggu kode dipakai",
    aktif: "aktif",
    nonaktif: "nonaktif",
  };
  let me = null;
  let units = [];   // [{name, trainees}] the managed list (as far as the trainer sees it)
  let mine = [];    // names of the units the trainer may use
  const codes = []; // new codes of this page view: [{id, name, unit, code}]

  const unitName = (u) => (typeof u === "string" ? u : (u && u.name) || "");

  function unitOptions(select, first) {
    const keep = select.value;
    select.replaceChildren(...(first ? [el("option", { value: "", text: first })] : []),
      ...mine.map((name) => el("option", { value: name, text: name })));
    if ([...select.options].some((o) => o.value === keep)) select.value = keep;
  }

  function showError(message) { $("error").textContent = message || ""; }

  // --- the codes handed out now -----------------------------------------------------------
  function addCodes(rows) {
    for (const row of rows) {
      const i = codes.findIndex((c) => c.id === row.id);
      if (i >= 0) codes.splice(i, 1);  // a newer code replaces an older one of this page view
      codes.push(row);
    }
    renderCodes();
  }

  function codesAsText() {
    return ["ID pegawai\tNama\tUnit kerja\tKode pendaftaran",
      ...codes.map((c) => [c.id, c.name, c.unit || "", c.code].join("\t"))].join("\n");
  }

  async function copyCodes(status) {
    const text = codesAsText();
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = "Tersalin. Tempel ke lembar kerja atau pesan untuk peserta.";
      return;
    } catch (err) { /* older browsers or an insecure origin: the selection below */ }
    const area = el("textarea", { class: "copy-area", readonly: true, "aria-hidden": "true" });
    area.value = text;
    document.body.appendChild(area);
    area.select();
    let done = false;
    try { done = document.execCommand("copy"); } catch (err) { done = false; }
    area.remove();
    status.textContent = done ? "Tersalin. Tempel ke lembar kerja atau pesan untuk peserta."
      : "Tidak dapat menyalin otomatis. Pilih isi tabel lalu salin dengan Ctrl+C.";
  }

  function renderCodes() {
    const box = $("codes");
    if (!codes.length) { box.hidden = true; box.replaceChildren(); return; }
    const status = el("p", { class: "note", role: "status", id: "codes-status" });
    box.replaceChildren(
      el("h3", { text: "Kode pendaftaran baru" }),
      el("p", { class: "warn once", "data-testid": "codes-once" },
        el("strong", { text: "Kode ini hanya ditampilkan sekali." }),
        " Cetak atau salin sekarang, lalu berikan kepada masing-masing peserta. Setiap kode berlaku 14 hari " +
        "dan hanya bisa dipakai satu kali untuk masuk pertama; setelah itu peserta membuat kata sandi sendiri."),
      el("p", { class: "note", text: "Peserta masuk di halaman latihan dengan ID pegawai dan kode ini." }),
      el("table", { class: "data codes-table", id: "codes-table", "data-testid": "codes" },
        el("thead", {}, el("tr", {}, ["ID pegawai", "Nama", "Unit kerja", "Kode pendaftaran"].map((h) => el("th", { text: h })))),
        el("tbody", {}, codes.map((c) => el("tr", { "data-id": c.id },
          el("td", { "data-label": "ID pegawai", text: c.id }),
          el("td", { "data-label": "Nama", text: c.name }),
          el("td", { "data-label": "Unit kerja", text: c.unit || "–" }),
          el("td", { "data-label": "Kode", class: "code", text: c.code }))))),
      el("div", { class: "buttons no-print" },
        el("button", { type: "button", id: "codes-print", onclick: () => window.print() }, "Cetak"),
        el("button", { type: "button", id: "codes-copy", class: "secondary", onclick: () => copyCodes(status) }, "Salin"),
        el("button", { type: "button", id: "codes-hide", class: "secondary", onclick: (event) => {
          const button = event.currentTarget;
          if (!button.dataset.sure) {  // the codes cannot be shown again: a slip must not lose them
            button.dataset.sure = "1";
            button.textContent = "Kode tidak bisa ditampilkan lagi. Klik lagi untuk menyembunyikan";
            button.classList.add("confirming");
            return;
          }
          codes.length = 0;
          renderCodes();
        } }, "Sudah dicatat, sembunyikan")),
      status);
    box.hidden = false;
    box.scrollIntoView({ block: "start" });
  }

  // --- enrolling ----------------------------------------------------------------------------
  function enrolForm() {
    const status = el("p", { class: "note", role: "status", id: "enrol-status" });
    const idInput = el("input", { id: "r-id", maxlength: 40, required: true, autocomplete: "off",
      pattern: "[A-Za-z0-9_\\-]{1,40}", title: "Huruf, angka, '-' atau '_'" });
    const nameInput = el("input", { id: "r-name", maxlength: 80, required: true, autocomplete: "off" });
    const unitSelect = el("select", { id: "r-unit", required: true });
    const form = el("form", { id: "enrol-form", class: "card no-print", novalidate: true },
      el("h3", { text: "Daftarkan satu peserta" }),
      el("div", { class: "filters" },
        el("label", {}, "ID pegawai / NIP ", idInput),
        el("label", {}, "Nama lengkap ", nameInput),
        el("label", {}, "Unit kerja ", unitSelect),
        el("button", { type: "submit", text: "Daftarkan" })),
      el("p", { class: "note", id: "enrol-units-note", hidden: true }),
      status);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const id = idInput.value.trim();
      const name = nameInput.value.trim();
      if (!id || !/^[A-Za-z0-9_-]{1,40}$/.test(id)) { status.textContent = "ID pegawai wajib diisi: huruf, angka, '-' atau '_' (maks. 40)."; return; }
      if (!name) { status.textContent = "Nama lengkap wajib diisi."; return; }
      if (!unitSelect.value) { status.textContent = "Pilih unit kerja peserta."; return; }
      status.textContent = "Mendaftarkan…";
      try {
        const data = await PTSP.api("/review/api/roster", { json: { employee_id: id, name: name, unit: unitSelect.value } });
        const t = data.trainee || {};
        addCodes([{ id: t.id || id, name: t.name || name, unit: t.unit || unitSelect.value, code: data.code }]);
        status.textContent = (t.name || name) + " sudah terdaftar. Kodenya ada di tabel kode di atas.";
        idInput.value = "";
        nameInput.value = "";
        loadRoster();
        loadUnits();
      } catch (err) { status.textContent = err.message; }
    });
    return form;
  }

  function uploadForm() {
    const status = el("p", { class: "note", role: "status", id: "upload-status" });
    const problems = el("ul", { class: "upload-errors", id: "upload-errors", "data-testid": "upload-errors", hidden: true });
    const file = el("input", { type: "file", id: "r-file", name: "file", required: true,
      accept: ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" });
    const unitSelect = el("select", { id: "r-upload-unit", name: "unit" });
    const form = el("form", { id: "upload-form", class: "card no-print", novalidate: true },
      el("h3", { text: "Unggah daftar peserta (CSV atau Excel)" }),
      el("p", { class: "note", text: "Baris pertama berisi judul kolom: ID pegawai (atau NIP), Nama, dan Unit kerja. " +
        "Berkas CSV boleh dipisah titik koma atau koma; berkas Excel dibaca dari lembar pertama (.xlsx)." }),
      el("div", { class: "filters" },
        el("label", {}, "Berkas ", file),
        el("label", {}, "Unit kerja untuk semua baris ", unitSelect),
        el("button", { type: "submit", id: "upload", text: "Unggah dan daftarkan" })),
      status, problems);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!file.files.length) { status.textContent = "Pilih berkas CSV atau Excel terlebih dahulu."; return; }
      const body = new FormData();
      body.append("file", file.files[0]);
      if (unitSelect.value) body.append("unit", unitSelect.value);
      status.textContent = "Mengunggah…";
      problems.hidden = true;
      try {
        const data = await PTSP.api("/review/api/roster/upload", { method: "POST", body: body });
        const enrolled = data.enrolled || [];
        const errors = data.errors || [];
        if (enrolled.length) addCodes(enrolled.map((t) => ({ id: t.id, name: t.name, unit: t.unit, code: t.code })));
        status.textContent = enrolled.length + " peserta didaftarkan" +
          (errors.length ? "; " + errors.length + " baris tidak dapat diproses (lihat di bawah)." : ".");
        problems.replaceChildren(...errors.map((e) => el("li", { text: "Baris " + e.row + ": " + e.error })));
        problems.hidden = errors.length === 0;
        form.reset();
        loadRoster();
        loadUnits();
      } catch (err) { status.textContent = err.message; }
    });
    return form;
  }

  // --- the list -------------------------------------------------------------------------------
  // The code's expiry: seconds since 1970 (or an ISO date); null when there is no open code.
  function expiry(value) {
    if (value === null || value === undefined || value === "") return null;
    const d = typeof value === "number" ? new Date(value < 1e12 ? value * 1000 : value) : new Date(value);
    return isNaN(d) ? null : d;
  }

  function statusView(t) {
    const label = STATUS[t.status] || t.status;
    const until = t.status === "menunggu" ? expiry(t.code_expires) : null;
    return [el("span", { class: "tag status-" + t.status, "data-status": t.status, text: label }),
      until ? el("span", { class: "note small" + (until < new Date() ? " expired" : ""),
        text: until < new Date() ? " kode sudah kedaluwarsa; buat kode baru"
          : " kode berlaku sampai " + PTSP.formatDate(until.toISOString()) }) : null];
  }

  async function newCode(t, button) {
    if (!button.dataset.sure) {  // the trainee's password and sign-ins end: asks first
      button.dataset.sure = "1";
      button.textContent = "Kata sandi lama tidak berlaku lagi. Klik lagi";
      button.classList.add("confirming");
      return;
    }
    try {
      const data = await PTSP.api("/review/api/roster/" + encodeURIComponent(t.id) + "/code", { json: {} });
      addCodes([{ id: t.id, name: t.name, unit: t.unit, code: data.code }]);
      loadRoster();
    } catch (err) { showError(err.message); }
  }

  async function toggle(t) {
    try {
      await PTSP.api("/review/api/roster/" + encodeURIComponent(t.id) + "/disable", { json: { disabled: t.status !== "nonaktif" } });
      loadRoster();
    } catch (err) { showError(err.message); }
  }

  function rosterRow(t) {
    return el("tr", { "data-id": t.id, "data-testid": "roster-row" },
      el("td", { "data-label": "ID pegawai", text: t.id }),
      el("td", { "data-label": "Nama", text: t.name }),
      el("td", { "data-label": "Unit kerja", text: t.unit || "–" }),
      el("td", { "data-label": "Status" }, statusView(t)),
      el("td", { class: "row-actions" },
        el("button", { type: "button", class: "secondary new-code", onclick: (event) => newCode(t, event.currentTarget) }, "Buat kode baru"), " ",
        el("button", { type: "button", class: "secondary toggle", onclick: () => toggle(t) },
          t.status === "nonaktif" ? "Aktifkan" : "Nonaktifkan")));
  }

  let shown = 0;
  async function loadRoster() {
    const mark = ++shown;  // answers to an older search are dropped
    const q = new URLSearchParams();
    if ($("r-q").value.trim()) q.set("q", $("r-q").value.trim());
    if ($("r-filter-unit").value) q.set("unit", $("r-filter-unit").value);
    try {
      const data = await PTSP.api("/review/api/roster" + (q.toString() ? "?" + q.toString() : ""));
      if (mark !== shown) return;
      const filtered = Boolean(q.toString());
      $("roster-table").querySelector("tbody").replaceChildren(...data.trainees.map(rosterRow));
      $("roster-table").hidden = data.trainees.length === 0;
      $("roster-empty").hidden = data.trainees.length > 0;
      $("roster-empty").textContent = filtered ? "Tidak ada peserta yang sesuai dengan pencarian ini." : "Belum ada peserta terdaftar.";
      $("roster-count").textContent = data.trainees.length + " peserta";
    } catch (err) { showError(err.message); }
  }

  function listSection() {
    const search = el("input", { id: "r-q", type: "search", maxlength: 80, placeholder: "Nama atau ID pegawai", autocomplete: "off" });
    const unitFilter = el("select", { id: "r-filter-unit" });
    let typing = null;
    search.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(loadRoster, 250); });
    unitFilter.addEventListener("change", loadRoster);
    const form = el("form", { class: "filters", id: "roster-filters" },
      el("label", {}, "Cari peserta ", search), el("label", {}, "Unit kerja ", unitFilter),
      el("button", { type: "submit", text: "Cari" }));
    form.addEventListener("submit", (event) => { event.preventDefault(); loadRoster(); });
    return el("section", { class: "card no-print", "data-testid": "roster" },
      el("h3", {}, "Peserta terdaftar ", el("span", { class: "note small", id: "roster-count" })),
      form,
      el("table", { class: "data roster-table", id: "roster-table" },
        el("thead", {}, el("tr", {}, ["ID pegawai", "Nama", "Unit kerja", "Status", ""].map((h) => el("th", { text: h })))),
        el("tbody")),
      el("p", { class: "note", id: "roster-empty", hidden: true }),
      el("p", { class: "note", text: "Buat kode baru bila peserta lupa kata sandi atau kodenya kedaluwarsa: kata sandi lamanya " +
        "tidak berlaku lagi. Peserta nonaktif tidak dapat masuk; riwayat latihannya tetap tersimpan." }));
  }

  // --- units (admins) -------------------------------------------------------------------------
  function unitsSection() {
    const status = el("p", { class: "note", role: "status", id: "unit-status" });
    const input = el("input", { id: "u-name", maxlength: 80, required: true, placeholder: "mis. DPMPTSP Kota Bogor" });
    const form = el("form", { id: "unit-form", class: "filters" },
      el("label", {}, "Unit kerja baru ", input), el("button", { type: "submit", text: "Tambah unit" }));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const name = input.value.trim();
      if (!name) { status.textContent = "Nama unit kerja wajib diisi."; return; }
      try {
        await PTSP.api("/review/api/units", { json: { name: name } });
        status.textContent = "Unit " + name + " ditambahkan.";
        input.value = "";
        await loadUnits();
      } catch (err) { status.textContent = err.message; }
    });
    return el("section", { class: "card no-print", id: "units", "data-testid": "units" },
      el("h3", { text: "Unit kerja" }),
      el("p", { class: "note", text: "Daftar unit kerja yang dapat dipilih untuk peserta dan tugas. Hanya admin yang dapat menambah unit." }),
      el("ul", { class: "plain unit-list", id: "unit-list" }), form, status);
  }

  async function loadUnits() {
    const data = await PTSP.api("/review/api/units");
    units = data.units || [];
    mine = (data.mine || []).map(unitName).filter(Boolean);
    unitOptions($("r-unit"), mine.length === 1 ? null : "— pilih unit kerja —");
    unitOptions($("r-upload-unit"), "— dari kolom Unit di berkas —");
    unitOptions($("r-filter-unit"), "Semua unit");
    const note = $("enrol-units-note");
    note.hidden = mine.length > 0;
    note.textContent = me && me.role === "admin" ? "Belum ada unit kerja. Tambahkan unit kerja di bagian bawah halaman ini terlebih dahulu."
      : "Belum ada unit kerja untuk akun Anda. Minta admin menambahkan unit kerja Anda.";
    if ($("unit-list")) {
      $("unit-list").replaceChildren(...(units.length ? units.map((u) => el("li", { "data-testid": "unit" },
        el("strong", { text: unitName(u) }), typeof u === "object" && u.trainees !== undefined ? " · " + u.trainees + " peserta" : ""))
        : [el("li", { class: "note", text: "Belum ada unit kerja." })]));
    }
  }

  async function start() {
    me = await PTSP.api("/review/api/me");
    const admin = me.role === "admin";
    $("page").replaceChildren(
      el("h2", { class: "no-print", text: "Daftar peserta" }),
      el("p", { class: "note no-print", text: "Peserta terdaftar masuk di halaman latihan dengan ID pegawai dan kata sandinya; " +
        "masuk pertama memakai kode pendaftaran dari Anda." }),
      el("section", { class: "card codes", id: "codes", "data-testid": "codes-box", hidden: true }),
      enrolForm(), uploadForm(), listSection(),
      ...(admin ? [unitsSection()] : []));
    await loadUnits();
    await loadRoster();
  }

  start().catch((err) => showError(err.message));
})();
