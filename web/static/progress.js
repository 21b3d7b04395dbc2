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
    // one label per visit: the date, with the visit's number of the day when a day has several
    const perDay = {};
    for (const pt of p.points) perDay[PTSP.shortDate(pt.started)] = (perDay[PTSP.shortDate(pt.started)] || 0) + 1;
    const seen = {};
    const points = p.points.map((pt) => {
      const day = PTSP.shortDate(pt.started);
      seen[day] = (seen[day] || 0) + 1;
      return Object.assign({ label: perDay[day] > 1 ? day + " (" + seen[day] + ")" : day }, pt);
    });
    const KEYS = PTSP.DIMENSIONS.map(([k, label]) => [k, k === "overall" ? "Nilai kunjungan" : label]);
    document.getElementById("page").replaceChildren(
      el("h2", { text: "Perkembangan " + (p.trainee_name ? p.trainee_name + " (" + p.trainee_id + ")" : p.trainee_id) }),
      el("label", {}, "Skenario ", picker),
      el("p", { text: "Sesi: " + p.sessions + " · Lulus: " + p.passed + " · Ujian: " + p.exams + " (lulus " + p.exams_passed + ")" +
        (p.first_overall !== null && p.first_overall !== undefined ? " · Nilai kunjungan pertama " + p.first_overall + ", terakhir " + p.last_overall : "") }),
      el("div", { "data-testid": "progress-chart" }, PTSP.lineChart(points, KEYS,
        "Nilai kunjungan dan rata-rata balasan per dimensi" + (scenario ? " — " + (titles[scenario] || scenario) : ""))),
      el("div", { class: "table-scroll" }, el("table", { class: "data" },
        el("thead", {}, el("tr", {}, ["Tanggal", "Skenario", "Mode", "Hasil", ...PTSP.DIMENSION_LABELS.slice(0, 3), "Nilai kunjungan", "Rata-rata balasan", ""].map((h) => el("th", { text: h })))),
        el("tbody", {}, p.points.map((pt) => el("tr", {},
          el("td", { text: PTSP.formatDate(pt.started) }), el("td", { text: titles[pt.scenario] || pt.scenario }),
          el("td", { text: pt.exam_mode ? "ujian" : "latihan" }),
          el("td", { text: (pt.passed === null ? "belum selesai" : pt.passed ? "lulus" : "tidak lulus") +
            (pt.verdict_by && pt.verdict_by !== "mesin" ? " (keputusan pelatih)" : "") }),
          ...["politeness", "clarity", "responsiveness", "overall", "reply_mean"].map((k) => el("td", { class: "num", "data-col": k, text: pt[k] === null || pt[k] === undefined ? "–" : pt[k] })),
          el("td", {}, el("a", { href: "/review/session?id=" + encodeURIComponent(pt.id), text: "Buka" }))))))));
  }).catch((err) => { document.getElementById("error").textContent = err.message; });
})();
