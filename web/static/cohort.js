// Trainer: cohort view — averages per dimension and per scenario, weakest dimension, common
// tips; and a comparison of two trainees, or a trainee and a unit, side by side.
"use strict";
(function () {
  const el = PTSP.el;
  const params = new URLSearchParams(window.location.search);

  // ``overall`` of the cohort is the mean visit score (the debrief's), not the replies' mean
  const LABELS = PTSP.DIMENSIONS.map(([k, label]) => [k, k === "overall" ? "Nilai kunjungan" : label]);

  function compareView(titles) {
    const a = el("input", { id: "c-a", value: params.get("a") || "", placeholder: "trainee:ID", "aria-label": "Yang dibandingkan" });
    const b = el("input", { id: "c-b", value: params.get("b") || "", placeholder: "trainee:ID atau unit:nama unit", "aria-label": "Pembanding" });
    const out = el("div", { "data-testid": "compare" });
    const form = el("form", { class: "filters", id: "compare-form" },
      el("label", {}, "Peserta ", a), el("label", {}, "dibandingkan dengan ", b), el("button", { type: "submit", text: "Bandingkan" }));
    async function show() {
      if (!a.value.trim() || !b.value.trim()) return;
      try {
        const q = new URLSearchParams({ a: a.value.trim(), b: b.value.trim() });
        const data = await PTSP.api("/review/api/compare?" + q.toString());
        const rows = [];
        for (const [k, label] of LABELS) {
          rows.push({ label: label + " — " + data.a.label, value: data.a.per_dimension[k], color: "#2360a5" });
          rows.push({ label: label + " — " + data.b.label, value: data.b.per_dimension[k], color: "#b5651d" });
        }
        out.replaceChildren(
          el("p", { text: data.a.label + ": " + data.a.sessions + " sesi · " + data.b.label + ": " + data.b.sessions + " sesi" }),
          PTSP.barChart(rows, "Rata-rata per dimensi, berdampingan"));
        history.replaceState(null, "", "/review/cohort?" + q.toString());
      } catch (err) { out.replaceChildren(el("p", { class: "error", text: err.message })); }
    }
    form.addEventListener("submit", (event) => { event.preventDefault(); show(); });
    show();
    return el("section", {}, el("h3", { text: "Bandingkan" }), form, out);
  }

  Promise.all([PTSP.api("/review/api/cohort" + window.location.search.replace(/[?&](a|b)=[^&]*/g, "")), PTSP.api("/api/scenarios")]).then(([c, s]) => {
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
      el("table", { class: "data" },
        el("thead", {}, el("tr", {}, ["Skenario", "Sesi", "Tingkat lulus", ...LABELS.map(([, label]) => label), "Rata-rata balasan"].map((h) => el("th", { text: h })))),
        el("tbody", {}, Object.entries(c.per_scenario).map(([k, v]) => el("tr", {},
          el("td", { text: titles[k] || k }), el("td", { class: "num", text: v.sessions }),
          el("td", { class: "num", text: v.pass_rate === null ? "–" : v.pass_rate + "%" }),
          ...["politeness", "clarity", "responsiveness", "overall", "reply_mean"].map((d) => el("td", { class: "num", "data-col": d, text: v[d] === null || v[d] === undefined ? "–" : v[d] })))))),
      el("h3", { text: "Saran yang paling sering muncul" }),
      el("ol", { class: "tips" }, c.common_tips.map((t) => el("li", { text: t.tip + " (" + t.count + "×)" }))),
      compareView(titles));
  }).catch((err) => { document.getElementById("error").textContent = err.message; });
})();
