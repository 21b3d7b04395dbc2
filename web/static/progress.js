// Trainer: one trainee's progress over time — dates on the x-axis, one line per dimension,
// one scenario at a time if chosen (scenarios differ in difficulty); exams counted apart.
"use strict";
(function () {
  const el = PTSP.el;
  const params = new URLSearchParams(window.location.search);
  const id = params.get("id") || "";
  const scenario = params.get("scenario") || "";
  const q = new URLSearchParams({ id: id });
  if (scenario) q.set("scenario", scenario);
  Promise.all([PTSP.api("/review/api/trainee?" + q.toString()), PTSP.api("/api/scenarios")]).then(([p, s]) => {
    const titles = Object.fromEntries(s.scenarios.map((x) => [x.id, x.title]));
    const picker = el("select", { id: "p-scenario", "aria-label": "Skenario" },
      el("option", { value: "", text: "Semua skenario" }),
      p.scenarios.map((k) => el("option", { value: k, text: titles[k] || k })));
    picker.value = scenario;
    picker.addEventListener("change", () => {
      const next = new URLSearchParams({ id: id });
      if (picker.value) next.set("scenario", picker.value);
      window.location.search = next.toString();
    });
    const points = p.points.map((pt) => Object.assign({ label: PTSP.shortDate(pt.started) }, pt));
    document.getElementById("page").replaceChildren(
      el("h2", { text: "Perkembangan " + (p.trainee_name ? p.trainee_name + " (" + p.trainee_id + ")" : p.trainee_id) }),
      el("label", {}, "Skenario ", picker),
      el("p", { text: "Sesi: " + p.sessions + " · Lulus: " + p.passed + " · Ujian: " + p.exams + " (lulus " + p.exams_passed + ")" +
        (p.first_overall !== null ? " · Nilai total pertama " + p.first_overall + ", terakhir " + p.last_overall : "") }),
      el("div", { "data-testid": "progress-chart" }, PTSP.lineChart(points, PTSP.DIMENSIONS,
        "Rata-rata per sesi menurut tanggal" + (scenario ? " — " + (titles[scenario] || scenario) : ""))),
      el("table", { class: "data" },
        el("thead", {}, el("tr", {}, ["Tanggal", "Skenario", "Mode", "Hasil", ...PTSP.DIMENSION_LABELS, ""].map((h) => el("th", { text: h })))),
        el("tbody", {}, p.points.map((pt) => el("tr", {},
          el("td", { text: PTSP.formatDate(pt.started) }), el("td", { text: titles[pt.scenario] || pt.scenario }),
          el("td", { text: pt.exam_mode ? "ujian" : "latihan" }),
          el("td", { text: pt.passed === null ? "belum selesai" : pt.passed ? "lulus" : "tidak lulus" }),
          ...["politeness", "clarity", "responsiveness", "overall"].map((k) => el("td", { class: "num", text: pt[k] === null ? "–" : pt[k] })),
          el("td", {}, el("a", { href: "/review/session?id=" + encodeURIComponent(pt.id), text: "Buka" })))))));
  }).catch((err) => { document.getElementById("error").textContent = err.message; });
})();
