// Trainer: sessions list with filters, sorting and exports.
"use strict";
(function () {
  const el = PTSP.el;
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(window.location.search);
  let sort = params.get("sort") || "started";
  let order = params.get("order") || "desc";
  let scenarioTitles = {};

  function query() {
    const q = new URLSearchParams();
    for (const [key, id] of [["trainee", "f-trainee"], ["scenario", "f-scenario"], ["since", "f-since"], ["until", "f-until"]]) {
      if ($(id).value) q.set(key, $(id).value);
    }
    return q;
  }

  function result(row) {
    if (!row.finished) return el("span", { class: "tag open", text: "belum selesai" });
    return el("span", { class: "tag " + (row.passed ? "pass" : "fail"), text: row.passed ? "lulus" : "tidak lulus" });
  }

  async function load(first) {
    $("error").textContent = "";
    const q = query();
    q.set("sort", sort); q.set("order", order);
    let data;
    try { data = await PTSP.api("/review/api/sessions?" + q.toString()); } catch (err) {
      $("error").textContent = err.message; return;
    }
    if (first) {
      for (const t of data.trainees) $("f-trainee").appendChild(el("option", { value: t.id, text: t.name ? t.name + " (" + t.id + ")" : t.id }));
      for (const s of data.scenarios) { scenarioTitles[s.id] = s.title; $("f-scenario").appendChild(el("option", { value: s.id, text: s.title })); }
      for (const key of ["trainee", "scenario", "since", "until"]) if (params.get(key)) $("f-" + key).value = params.get(key);
      if ([...params.keys()].some((k) => ["trainee", "scenario", "since", "until"].includes(k))) return load(false);
    }
    const filters = query().toString();
    for (const id of ["sessions-csv", "sessions-json", "turns-csv", "turns-json", "sessions-xlsx", "turns-xlsx"]) {
      const a = $("x-" + id);
      a.href = a.getAttribute("href").split("?")[0] + (filters ? "?" + filters : "");
    }
    const body = $("sessions").querySelector("tbody");
    body.replaceChildren(...data.sessions.map((row) => el("tr", { "data-id": row.id },
      el("td", {}, el("a", { href: "/review/trainee?id=" + encodeURIComponent(row.trainee_id || ""), text: row.trainee_name ? row.trainee_name + " (" + row.trainee_id + ")" : row.trainee_id })),
      el("td", { text: scenarioTitles[row.scenario] || row.scenario }),
      el("td", { text: PTSP.formatDate(row.started) }),
      el("td", { text: PTSP.formatDuration(row.duration_seconds) }),
      el("td", { class: "num", text: row.turns }),
      el("td", {}, result(row)),
      ...["politeness", "clarity", "responsiveness", "overall"].map((k) => el("td", { class: "num" }, PTSP.scoreBadge("", row[k]))),
      el("td", {}, el("a", { href: "/review/session?id=" + encodeURIComponent(row.id), text: "Buka" })))));
    $("empty").hidden = data.sessions.length > 0;
    for (const th of $("sessions").querySelectorAll("th[data-sort]")) {
      th.classList.toggle("sorted", th.dataset.sort === sort);
      th.dataset.order = th.dataset.sort === sort ? order : "";
    }
  }

  for (const th of document.querySelectorAll("th[data-sort]")) {
    th.addEventListener("click", () => {
      if (sort === th.dataset.sort) order = order === "desc" ? "asc" : "desc";
      else { sort = th.dataset.sort; order = "desc"; }
      load(false);
    });
  }
  $("filters").addEventListener("submit", (event) => { event.preventDefault(); load(false); });
  load(true);
})();
