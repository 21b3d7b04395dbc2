// Trainer: one trainee's progress over time (chart drawn from the session averages).
"use strict";
(function () {
  const el = PTSP.el;
  const id = new URLSearchParams(window.location.search).get("id") || "";
  PTSP.api("/review/api/trainee?id=" + encodeURIComponent(id)).then((p) => {
    const box = document.getElementById("page");
    box.replaceChildren(
      el("h2", { text: "Perkembangan " + (p.trainee_name ? p.trainee_name + " (" + p.trainee_id + ")" : p.trainee_id) }),
      el("p", { text: "Sesi: " + p.sessions + " · Lulus: " + p.passed +
        (p.first_overall !== null ? " · Nilai total pertama " + p.first_overall + ", terakhir " + p.last_overall : "") }),
      el("div", { "data-testid": "progress-chart" }, PTSP.lineChart(p.points, PTSP.DIMENSIONS, "Rata-rata per sesi (urut waktu)")),
      el("table", { class: "data" },
        el("thead", {}, el("tr", {}, ["#", "Tanggal", "Skenario", "Hasil", ...PTSP.DIMENSION_LABELS, ""].map((h) => el("th", { text: h })))),
        el("tbody", {}, p.points.map((pt, i) => el("tr", {},
          el("td", { text: i + 1 }), el("td", { text: PTSP.formatDate(pt.started) }), el("td", { text: pt.scenario }),
          el("td", { text: pt.passed === null ? "belum selesai" : pt.passed ? "lulus" : "tidak lulus" }),
          ...["politeness", "clarity", "responsiveness", "overall"].map((k) => el("td", { class: "num", text: pt[k] === null ? "–" : pt[k] })),
          el("td", {}, el("a", { href: "/review/session?id=" + encodeURIComponent(pt.id), text: "Buka" })))))));
  }).catch((err) => { document.getElementById("error").textContent = err.message; });
})();
