// The certificate of a passed exam (one A4 page when printed): trainee, unit, the scenarios
// with their visit scores, the day it was passed, until when it is valid, who set the exam.
"use strict";
(function () {
  const el = PTSP.el;
  const $ = (id) => document.getElementById(id);
  const day = (value) => (value ? new Date(value + "T00:00:00").toLocaleDateString("id-ID",
    { day: "numeric", month: "long", year: "numeric" }) : "–");
  const parts = window.location.pathname.split("/").filter(Boolean);  // certificate, id, employee
  $("print").addEventListener("click", () => window.print());
  PTSP.api("/api/certificate/" + encodeURIComponent(parts[1] || "") + "/" + (parts[2] || "")).then((data) => {
    const c = data.certificate;
    document.title = "Sertifikat " + c.name + " — PTSP";
    $("c-name").textContent = c.name;
    $("c-who").textContent = "ID pegawai " + c.trainee_id + " · " + c.unit;
    $("c-scenarios").replaceChildren(...c.scenarios.map((s) => el("tr", {},
      el("td", { text: s.title }), el("td", { class: "num", text: s.score === null ? "–" : s.score }),
      el("td", { text: day(s.passed_on) }))));
    $("c-passed").textContent = day(c.passed_on);
    $("c-expires").textContent = c.expires ? day(c.expires) : "tanpa batas waktu";
    $("c-mark").textContent = c.pass_mark === null || c.pass_mark === undefined ?
      "sesuai aturan setiap skenario" : c.pass_mark + " dari 100";
    $("c-set-by").textContent = c.set_by + ", " + day(c.set_on);
    $("c-trainer").textContent = c.set_by;
    $("c-expired").hidden = !c.expired;
    $("c-number").textContent = "Nomor sertifikat: PTSP-" + c.assignment_id + "-" + c.trainee_id;
    $("certificate").classList.toggle("many", c.scenarios.length > 4);  // still one page
    $("certificate").hidden = false;
  }).catch((err) => { $("error").textContent = err.message; });
})();
