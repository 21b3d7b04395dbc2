// Trainer: sessions list — filters, sorting and page in the URL (Back keeps them), paging,
// text search in the replies, a trainee picker by name or ID, a unit column and a filter by
// one of the trainer's units, exports of the same selection
// (downloaded through a POST form of this page: a link or an image elsewhere cannot start one).
"use strict";
(function () {
  const el = PTSP.el;
  const $ = (id) => document.getElementById(id);
  const FILTERS = ["trainee", "unit", "scenario", "since", "until", "finished", "passed", "exam", "q"];
  let scenarioTitles = {};
  let state = {};

  function fromUrl() {
    const params = new URLSearchParams(window.location.search);
    state = { sort: params.get("sort") || "started", order: params.get("order") || "desc",
      page: Math.max(1, parseInt(params.get("page") || "1", 10) || 1), web: params.get("web") === "1",
      per_page: Math.min(200, Math.max(1, parseInt(params.get("per_page") || "50", 10) || 50)) };
    for (const key of FILTERS) state[key] = params.get(key) || "";
    for (const key of FILTERS) $("f-" + key).value = state[key];
    $("f-web").checked = state.web;
  }

  function fromForm() {
    for (const key of FILTERS) state[key] = $("f-" + key).value.trim();
    state.web = $("f-web").checked;
  }

  function filterQuery() {
    const q = new URLSearchParams();
    for (const key of FILTERS) if (state[key]) q.set(key, state[key]);
    if (state.web) q.set("web", "1");
    return q;
  }

  function fullQuery() {
    const q = filterQuery();
    q.set("sort", state.sort); q.set("order", state.order); q.set("page", String(state.page));
    if (state.per_page !== 50) q.set("per_page", String(state.per_page));
    return q;
  }

  // The export links of the page become buttons of one POST form (same ids, same labels); the
  // selection travels as hidden fields, kept in step with the list by load().
  function exportForm() {
    const links = [...document.querySelectorAll(".exports a")];
    if (!links.length) return;
    const form = el("form", { method: "post", action: links[0].getAttribute("href").split("?")[0],
      id: "export-form", class: "export-form" });
    links[0].parentNode.insertBefore(form, links[0]);
    for (const a of links) {
      const button = el("button", { type: "submit", class: "link", id: a.id,
        formaction: a.getAttribute("href").split("?")[0], text: a.textContent });
      a.replaceWith(button);
      form.appendChild(button);
    }
    // the " · " separators between the links stay readable between the buttons
    const box = form.parentNode;
    for (const node of [...box.childNodes]) {
      if (node !== form && node.nodeType === Node.TEXT_NODE && node.textContent.trim() === "·") {
        node.remove();
      }
    }
    for (const button of form.querySelectorAll("button")) {
      if (button.nextElementSibling) button.after(" · ");
    }
  }

  function exportFields() {
    const form = $("export-form");
    if (!form) return;
    for (const old of form.querySelectorAll("input[type=hidden]")) old.remove();
    for (const [key, value] of filterQuery()) form.prepend(el("input", { type: "hidden", name: key, value: value }));
  }

  function result(row) {
    const parts = [];
    if (!row.finished) parts.push(el("span", { class: "tag open", text: "belum selesai" }));
    else parts.push(el("span", { class: "tag " + (row.passed ? "pass" : "fail"), text: row.passed ? "lulus" : "tidak lulus" }));
    if (row.verdict_override) parts.push(" ", el("span", { class: "tag override", "data-testid": "override-tag", title: row.verdict_override.reason, text: "keputusan pelatih" }));
    if (row.exam_mode) parts.push(" ", el("span", { class: "tag exam", "data-testid": "exam-tag", text: "ujian" }));
    // only a signed-in trainee's visit counts for them; say so for the others
    const source = { open_practice: "latihan tanpa masuk", script: "uji coba sistem" }[row.source];
    if (source) parts.push(" ", el("span", { class: "tag source", "data-testid": "source-tag", text: source }));
    return parts;
  }

  async function load(push) {
    $("error").textContent = "";
    const q = fullQuery();
    if (push) history.pushState(null, "", "/review?" + q.toString());
    let data;
    try { data = await PTSP.api("/review/api/sessions?" + q.toString()); } catch (err) {
      $("error").textContent = err.message; return;
    }
    if (!Object.keys(scenarioTitles).length) {
      for (const s of data.scenarios) { scenarioTitles[s.id] = s.title; $("f-scenario").appendChild(el("option", { value: s.id, text: s.title })); }
      $("f-scenario").value = state.scenario;
    }
    exportFields();
    const body = $("sessions").querySelector("tbody");
    body.replaceChildren(...data.sessions.map((row) => el("tr", { "data-id": row.id },
      el("td", {}, el("a", { href: "/review/trainee?id=" + encodeURIComponent(row.trainee_id || ""), text: row.trainee_name ? row.trainee_name + " (" + row.trainee_id + ")" : row.trainee_id })),
      el("td", { "data-col": "unit", text: row.unit || "–" }),
      el("td", { text: scenarioTitles[row.scenario] || row.scenario }),
      el("td", { text: PTSP.formatDate(row.started) }),
      el("td", { text: PTSP.formatDuration(row.duration_seconds) }),
      el("td", { class: "num", text: row.turns }),
      el("td", {}, result(row)),
      ...["politeness", "clarity", "responsiveness", "visit_score", "reply_mean"].map((k) => el("td", { class: "num", "data-col": k }, PTSP.scoreBadge("", row[k]))),
      el("td", {}, el("a", { href: "/review/session?id=" + encodeURIComponent(row.id), text: "Buka" })))));
    $("empty").hidden = data.sessions.length > 0;
    $("page-info").textContent = "Halaman " + data.page + " dari " + data.pages + " · " + data.total + " sesi";
    $("prev").disabled = data.page <= 1;
    $("next").disabled = data.page >= data.pages;
    for (const th of $("sessions").querySelectorAll("th[data-sort]")) {
      th.classList.toggle("sorted", th.dataset.sort === state.sort);
      th.dataset.order = th.dataset.sort === state.sort ? state.order : "";
    }
  }

  let lookup = null;
  $("f-trainee").addEventListener("input", () => {
    clearTimeout(lookup);
    lookup = setTimeout(async () => {
      // web trainees first; REST and test senders only when no trainee of the page matches
      const q = new URLSearchParams({ q: $("f-trainee").value.trim() });
      try {
        let data = await PTSP.api("/review/api/trainees?" + q.toString());
        if (!data.trainees.length && q.get("q")) {
          q.set("all", "1");
          data = await PTSP.api("/review/api/trainees?" + q.toString());
        }
        $("trainee-list").replaceChildren(...data.trainees.map((t) =>
          el("option", { value: t.id, label: (t.name ? t.name + " · " : "") + t.sessions + " sesi" })));
      } catch (err) { /* the picker is a help; typing the ID still works */ }
    }, 250);
  });

  for (const th of document.querySelectorAll("th[data-sort]")) {
    th.addEventListener("click", () => {
      if (state.sort === th.dataset.sort) state.order = state.order === "desc" ? "asc" : "desc";
      else { state.sort = th.dataset.sort; state.order = "desc"; }
      state.page = 1;
      load(true);
    });
  }
  $("prev").addEventListener("click", () => { state.page -= 1; load(true); });
  $("next").addEventListener("click", () => { state.page += 1; load(true); });
  $("filters").addEventListener("submit", (event) => { event.preventDefault(); fromForm(); state.page = 1; load(true); });
  window.addEventListener("popstate", () => { fromUrl(); load(false); });
  // the units this trainer may see (an admin: every unit), for the unit filter
  PTSP.api("/review/api/units").then((data) => {
    const keep = state.unit;
    $("f-unit").replaceChildren(el("option", { value: "", text: "Semua unit" }),
      ...(data.mine || []).map((u) => el("option", { value: u, text: u })));
    $("f-unit").value = (data.mine || []).includes(keep) ? keep : "";
  }).catch(() => {});

  exportForm();
  fromUrl();
  exportFields();
  load(false);
})();
