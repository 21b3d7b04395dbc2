// Trainer: cohort view — averages per dimension and per scenario, weakest dimension, common
// tips; and a comparison of two trainees, or a trainee and a unit, side by side.
"use strict";
(function () {
  const el = PTSP.el;
  const params = new URLSearchParams(window.location.search);

  // ``overall`` of the cohort is the mean visit score (the debrief's), not the replies' mean
  const LABELS = PTSP.DIMENSIONS.map(([k, label]) => [k, k === "overall" ? "Nilai kunjungan" : label]);

  // Two trainees, or a trainee and a unit, picked by name from searchable lists (only the
  // trainer's own trainees and units are offered); the choice is kept in the URL.
  function compareView(people, units) {
    async function more(q) {
      const query = new URLSearchParams({ q: q });
      let data = await PTSP.api("/review/api/trainees?" + query.toString());
      if (!data.trainees.length && q) { query.set("all", "1"); data = await PTSP.api("/review/api/trainees?" + query.toString()); }
      return data.trainees;
    }
    const a = PTSP.picker({ id: "c-a", label: "Peserta atau unit kerja", people: people, units: units, more: more,
      none: "— pilih peserta atau unit —", placeholder: "Cari nama, ID, atau unit" });
    const b = PTSP.picker({ id: "c-b", label: "Pembanding", people: people, units: units, more: more,
      none: "— pilih peserta atau unit —", placeholder: "Cari nama, ID, atau unit" });
    for (const [picker, key] of [[a, "a"], [b, "b"]]) {
      const wanted = params.get(key) || "";
      if (wanted.startsWith("trainee:")) more(wanted.slice(8)).then((found) => {
        picker.choose(wanted, found.find((t) => "trainee:" + t.id === wanted));
      }).catch(() => {});
      picker.choose(wanted);
    }
    const out = el("div", { "data-testid": "compare" });
    const status = el("p", { class: "note", role: "status", id: "compare-status" });
    const form = el("form", { class: "filters compare-form", id: "compare-form" },
      el("label", {}, "Peserta atau unit kerja ", a.box), el("label", {}, "dibandingkan dengan ", b.box),
      el("button", { type: "submit", text: "Bandingkan" }));
    async function show(fromUrl) {
      const first = fromUrl ? params.get("a") || "" : a.select.value;
      const second = fromUrl ? params.get("b") || "" : b.select.value;
      status.textContent = "";
      if (!first || !second) {
        if (!fromUrl) status.textContent = "Pilih dua peserta, atau satu peserta dan satu unit kerja, dari daftar.";
        return;
      }
      try {
        const q = new URLSearchParams({ a: first, b: second });
        const data = await PTSP.api("/review/api/compare?" + q.toString());
        const rows = [];
        for (const [k, label] of LABELS) {
          rows.push({ label: label + " — " + data.a.label, value: data.a.per_dimension[k], color: "#2360a5" });
          rows.push({ label: label + " — " + data.b.label, value: data.b.per_dimension[k], color: "#b5651d" });
        }
        const value = (v) => (v === null || v === undefined ? "–" : v);
        out.replaceChildren(
          el("p", { "data-testid": "compare-sides", text: data.a.label + ": " + data.a.sessions + " sesi · " + data.b.label + ": " + data.b.sessions + " sesi" }),
          el("div", { class: "table-scroll" }, el("table", { class: "data compare-table", "data-testid": "compare-table" },
            el("thead", {}, el("tr", {}, el("th", { text: "Dimensi" }), el("th", { class: "side-a", text: data.a.label }), el("th", { class: "side-b", text: data.b.label }))),
            el("tbody", {}, LABELS.map(([k, label]) => el("tr", {}, el("td", { text: label }),
              el("td", { class: "num", text: value(data.a.per_dimension[k]) }), el("td", { class: "num", text: value(data.b.per_dimension[k]) })))))),
          PTSP.barChart(rows, "Rata-rata per dimensi, berdampingan"));
        history.replaceState(null, "", "/review/cohort?" + q.toString());
      } catch (err) { out.replaceChildren(el("p", { class: "error", text: err.message })); }
    }
    form.addEventListener("submit", (event) => { event.preventDefault(); show(false); });
    show(true);
    return el("section", { class: "compare" }, el("h3", { text: "Bandingkan" }), form, status, out);
  }

  Promise.all([PTSP.api("/review/api/cohort" + window.location.search.replace(/[?&](a|b)=[^&]*/g, "")), PTSP.api("/api/scenarios"),
    PTSP.api("/review/api/trainees").then((t) => t.trainees).catch(() => []),
    PTSP.api("/review/api/units").then((u) => u.mine || []).catch(() => [])]).then(([c, s, people, units]) => {
    const titles = Object.fromEntries(s.scenarios.map((x) => [x.id, x.title]));
    const dims = LABELS.map(([k, label]) => ({ label: label, value: c.per_dimension[k], color: PTSP.COLORS[k] }));
    const scen = Object.entries(c.per_scenario).map(([k, v]) => ({ label: titles[k] || k, value: v.overall }));
    document.getElementById("page").replaceChildren(
      el("h2", { text: "Ringkasan kelompok" }),
      el("p", { text: "Peserta: " + c.trainees + " · Sesi: " + c.sessions + " · Balasan dinilai: " + c.scored_turns }),
      el("p", { class: "weakest", "data-testid": "weakest" }, "Dimensi terlemah: ",
        el("strong", { text: c.weakest_dimension_label || "–" })),
      el("div", { "data-testid": "dimension-chart" }, PTSP.barChart(dims, "Rata-rata per dimensi")),
      el("div", { "data-testid": "scenario-chart" }, PTSP.barChart(scen, "Rata-rata nilai kunjungan per skenario")),
      el("div", { class: "table-scroll" }, el("table", { class: "data" },
        el("thead", {}, el("tr", {}, ["Skenario", "Sesi", "Tingkat lulus", ...LABELS.map(([, label]) => label), "Rata-rata balasan"].map((h) => el("th", { text: h })))),
        el("tbody", {}, Object.entries(c.per_scenario).map(([k, v]) => el("tr", {},
          el("td", { text: titles[k] || k }), el("td", { class: "num", text: v.sessions }),
          el("td", { class: "num", text: v.pass_rate === null ? "–" : v.pass_rate + "%" }),
          ...["politeness", "clarity", "responsiveness", "overall", "reply_mean"].map((d) => el("td", { class: "num", "data-col": d, text: v[d] === null || v[d] === undefined ? "–" : v[d] }))))))),
      el("h3", { text: "Saran yang paling sering muncul" }),
      el("ol", { class: "tips" }, c.common_tips.map((t) => el("li", { text: t.tip + " (" + t.count + "×)" }))),
      compareView(people, units));
  }).catch((err) => { document.getElementById("error").textContent = err.message; });
})();
