// Shared helpers for the PTSP pages. Every string from users or the server is put into the
// page with textContent (never innerHTML), so "<script>" in a reply shows as text.
"use strict";

const PTSP = {};

PTSP.el = function (tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = String(value);
    else if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(typeof child === "string" || typeof child === "number"
      ? document.createTextNode(String(child)) : child);
  }
  return node;
};

PTSP.api = async function (url, options) {
  const opts = Object.assign({ credentials: "same-origin", headers: {} }, options || {});
  if (opts.json !== undefined) {
    opts.method = opts.method || "POST";
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(opts.json);
    delete opts.json;
  }
  const response = await fetch(url, opts);
  let data = null;
  try { data = await response.json(); } catch (e) { data = null; }
  if (!response.ok) {
    const message = (data && data.error) || ("Terjadi kesalahan (HTTP " + response.status + ").");
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return data;
};

// The scored dimensions and their Indonesian names come from the one catalog
// (actions/data/scenarios.yml), served as /catalog.js before this file.
PTSP.DIMENSIONS = window.PTSP_CATALOG.dimensions;
PTSP.DIMENSION_LABELS = PTSP.DIMENSIONS.map(([, label]) => label);

PTSP.MOODS = window.PTSP_CATALOG.moods;  // one catalog (actions/data/scenarios.yml)
PTSP.ENDED_BY = window.PTSP_CATALOG.ended_by;

PTSP.scoreClass = function (value) {
  if (value === null || value === undefined) return "score none";
  if (value >= 80) return "score good";
  if (value >= 60) return "score fair";
  return "score poor";
};

PTSP.scoreBadge = function (label, value) {
  return PTSP.el("span", { class: PTSP.scoreClass(value), title: label },
    PTSP.el("span", { class: "score-label", text: label }),
    PTSP.el("span", { class: "score-value", text: value === null || value === undefined ? "–" : value }));
};

// The scorer names every evidence item in Indonesian (`label`); internal signal codes are never shown.
PTSP.signalLabel = function (item) {
  return (item && item.label) || "penilaian";
};

PTSP.evidenceList = function (evidence) {
  const list = PTSP.el("ul", { class: "evidence" });
  for (const item of evidence || []) {
    const effect = Number(item.effect || 0);
    list.appendChild(PTSP.el("li", { class: effect > 0 ? "plus" : effect < 0 ? "minus" : "zero" },
      PTSP.el("span", { class: "effect", text: (effect > 0 ? "+" : "") + effect }),
      PTSP.el("span", { class: "signal", text: PTSP.signalLabel(item) }),
      item.text ? PTSP.el("q", { text: item.text }) : null,
      PTSP.el("span", { class: "dim", text: PTSP.dimLabel(item.dimension) })));
  }
  return list;
};

PTSP.dimLabel = function (key) {
  const found = PTSP.DIMENSIONS.find(([k]) => k === key);
  return found ? found[1] : (key || "");
};

PTSP.formatDate = function (iso) {
  if (!iso) return "–";
  const d = new Date(iso);
  return d.toLocaleString("id-ID", { dateStyle: "medium", timeStyle: "short" });
};

PTSP.shortDate = function (iso) {
  if (!iso) return "–";
  return new Date(iso).toLocaleDateString("id-ID", { day: "numeric", month: "short" });
};

PTSP.formatDuration = function (seconds) {
  const s = Math.max(0, Number(seconds || 0));
  const m = Math.floor(s / 60);
  return m ? m + " mnt " + (s % 60) + " dtk" : s + " dtk";
};

// One objective of the checklist: ✔ met, ○ not (yet) reached, ✘ broken; optional ones say so.
PTSP.objectiveItem = function (o) {
  const state = o.state || (o.met ? "met" : "broken");
  const mark = state === "met" ? "✔" : state === "broken" && !o.optional ? "✘" : "○";
  const cls = state === "met" ? "met" : state === "broken" && !o.optional ? "unmet" : "pending";
  return PTSP.el("li", { class: cls, "data-state": state },
    PTSP.el("span", { class: "mark", text: mark }), " ", o.label,
    o.optional ? PTSP.el("span", { class: "optional", text: " (opsional)" }) : null);
};

PTSP.debriefView = function (d) {
  const el = PTSP.el;
  const override = d.override;  // a trainer's verdict replaces the machine's, and says so
  const box = el("section", { class: "debrief " + (d.passed ? "passed" : "failed"), "data-testid": "debrief" },
    el("h3", { text: d.passed ? "LULUS" : "BELUM LULUS" }),
    override ? el("p", { class: "override", "data-testid": "debrief-override",
      text: "Keputusan pelatih " + override.trainer + ": " + (override.passed ? "lulus" : "belum lulus") + ". " + override.reason }) : null,
    el("p", { class: "reason", text: override ? "Penilaian mesin: " + (override.machine_passed ? "lulus" : "belum lulus") + ". " + (override.machine_reason || "") : d.reason }),
    el("p", { text: "Balasan Anda: " + d.turns + (d.scored_turns !== d.turns ? " (dinilai " + d.scored_turns + ")" : "") +
      ". Akhir kunjungan: " + (PTSP.ENDED_BY[d.ended_by] || d.ended_by) + ". Suasana hati pelanggan: " +
      (PTSP.MOODS[d.final_mood] || d.final_mood) + "." }),
    el("div", { class: "scores" },
      PTSP.DIMENSIONS.filter(([k]) => k !== "overall").map(([k, label]) => PTSP.scoreBadge(label, (d.averages || {})[k])),
      d.reply_overall !== undefined ? PTSP.scoreBadge("Rata-rata balasan", d.reply_overall) : null,
      PTSP.scoreBadge("Nilai kunjungan", (d.averages || {}).overall)),
    (d.deductions || []).length ? el("ul", { class: "deductions", "data-testid": "deductions" },
      el("li", { text: "Nilai kunjungan = rata-rata balasan " + d.reply_overall }),
      d.deductions.map((x) => el("li", { text: "−" + x.points + ": " + x.why }))) : null,
    el("h4", { text: "Sasaran" }),
    el("ul", { class: "checklist" }, (d.objectives || []).map(PTSP.objectiveItem)));
  for (const [key, title] of [["best_reply", "Balasan terbaik"], ["weakest_reply", "Balasan terlemah"]]) {
    const q = d[key];
    if (!q) continue;
    box.appendChild(el("div", { class: "quote" },
      el("h4", { text: title + " (balasan ke-" + q.turn + ", nilai " + q.overall + ")" }),
      el("blockquote", { text: q.reply }),
      el("p", { class: "why", text: "Alasan: " + q.why })));
  }
  if ((d.top_tips || []).length) {
    box.appendChild(el("h4", { text: "Saran utama" }));
    box.appendChild(el("ol", { class: "tips" }, d.top_tips.map((t) => el("li", { text: t }))));
  }
  return box;
};

// --- charts: inline SVG drawn from data ---------------------------------------------------
const SVG_NS = "http://www.w3.org/2000/svg";
PTSP.svg = function (tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") node.textContent = String(v); else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) if (c) node.appendChild(c);
  return node;
};

PTSP.COLORS = { politeness: "#1b7f5a", clarity: "#2360a5", responsiveness: "#b5651d", overall: "#333" };

PTSP.lineChart = function (points, keys, title) {
  const W = 640, H = 260, L = 40, R = 120, T = 24, B = 40;
  const n = points.length;
  const x = (i) => L + (n <= 1 ? (W - L - R) / 2 : i * (W - L - R) / (n - 1));
  const y = (v) => T + (100 - v) * (H - T - B) / 100;
  const chart = PTSP.svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": title });
  chart.appendChild(PTSP.svg("text", { x: L, y: 14, class: "chart-title", text: title }));
  for (const v of [0, 25, 50, 75, 100]) {
    chart.appendChild(PTSP.svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "grid" }));
    chart.appendChild(PTSP.svg("text", { x: L - 6, y: y(v) + 4, class: "axis", "text-anchor": "end", text: v }));
  }
  points.forEach((p, i) => chart.appendChild(PTSP.svg("text", {
    x: x(i), y: H - B + 16, class: "axis", "text-anchor": "middle", text: p.label || "#" + (i + 1) })));
  keys.forEach(([key, label], k) => {
    const coords = points.map((p, i) => p[key] === null || p[key] === undefined ? null : [x(i), y(p[key])]).filter(Boolean);
    if (coords.length > 1) chart.appendChild(PTSP.svg("polyline", {
      points: coords.map((c) => c.join(",")).join(" "), fill: "none", stroke: PTSP.COLORS[key], "stroke-width": key === "overall" ? 3 : 2 }));
    for (const c of coords) chart.appendChild(PTSP.svg("circle", { cx: c[0], cy: c[1], r: 3.5, fill: PTSP.COLORS[key] }));
    chart.appendChild(PTSP.svg("rect", { x: W - R + 12, y: T + k * 20, width: 12, height: 12, fill: PTSP.COLORS[key] }));
    chart.appendChild(PTSP.svg("text", { x: W - R + 30, y: T + k * 20 + 11, class: "legend", text: label }));
  });
  return chart;
};

PTSP.barChart = function (rows, title) {
  // rows: [{label, value}] with values 0..100
  const W = 820, rowH = 30, L = 340, T = 26;
  const H = T + rows.length * rowH + 10;
  const chart = PTSP.svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": title });
  chart.appendChild(PTSP.svg("text", { x: 0, y: 14, class: "chart-title", text: title }));
  rows.forEach((row, i) => {
    const yy = T + i * rowH;
    const w = (row.value || 0) * (W - L - 50) / 100;
    chart.appendChild(PTSP.svg("text", { x: L - 8, y: yy + 16, class: "axis", "text-anchor": "end", text: row.label }));
    chart.appendChild(PTSP.svg("rect", { x: L, y: yy + 4, width: Math.max(0, w), height: rowH - 8, fill: row.color || "#2360a5" }));
    chart.appendChild(PTSP.svg("text", { x: L + w + 6, y: yy + 16, class: "axis", text: row.value === null || row.value === undefined ? "–" : row.value }));
  });
  return chart;
};

window.PTSP = PTSP;
