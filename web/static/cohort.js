// Trainer: cohort view — averages per dimension and per scenario, weakest dimension, common tips.
"use strict";
(function () {
  const el = PTSP.el;
  Promise.all([PTSP.api("/review/api/cohort" + window.location.search), PTSP.api("/api/scenarios")]).then(([c, s]) => {
    const titles = Object.fromEntries(s.scenarios.map((x) => [x.id, x.title]));
    const dims = PTSP.DIMENSIONS.map(([k, label]) => ({ label: label, value: c.per_dimension[k], color: PTSP.COLORS[k] }));
    const scen = Object.entries(c.per_scenario).map(([k, v]) => ({ label: titles[k] || k, value: v.overall }));
    document.getElementById("page").replaceChildren(
      el("h2", { text: "Ringkasan kelompok" }),
      el("p", { text: "Peserta: " + c.trainees + " · Sesi: " + c.sessions + " · Balasan dinilai: " + c.scored_turns }),
      el("p", { class: "weakest", "data-testid": "weakest" }, "Dimensi terlemah: ",
        el("strong", { text: c.weakest_dimension_label || "–" })),
      el("div", { "data-testid": "dimension-chart" }, PTSP.barChart(dims, "Rata-rata per dimensi")),
      el("div", { "data-testid": "scenario-chart" }, PTSP.barChart(scen, "Rata-rata nilai total per skenario")),
      el("table", { class: "data" },
        el("thead", {}, el("tr", {}, ["Skenario", "Sesi", "Tingkat lulus", ...PTSP.DIMENSION_LABELS].map((h) => el("th", { text: h })))),
        el("tbody", {}, Object.entries(c.per_scenario).map(([k, v]) => el("tr", {},
          el("td", { text: titles[k] || k }), el("td", { class: "num", text: v.sessions }),
          el("td", { class: "num", text: v.pass_rate === null ? "–" : v.pass_rate + "%" }),
          ...["politeness", "clarity", "responsiveness", "overall"].map((d) => el("td", { class: "num", text: v[d] === null ? "–" : v[d] })))))),
      el("h3", { text: "Saran yang paling sering muncul" }),
      el("ol", { class: "tips" }, c.common_tips.map((t) => el("li", { text: t.tip + " (" + t.count + "×)" }))));
  }).catch((err) => { document.getElementById("error").textContent = err.message; });
})();
