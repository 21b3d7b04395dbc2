// Navigation bar of the trainer pages.
"use strict";
(function () {
  const el = PTSP.el;
  const nav = el("nav", { class: "nav" },
    el("a", { href: "/review", text: "Daftar sesi" }),
    el("a", { href: "/review/cohort", text: "Ringkasan kelompok" }),
    el("a", { href: "/review/roster", text: "Peserta" }),
    el("a", { href: "/review/assignments", text: "Tugas peserta" }),
    el("a", { href: "/review/account", text: "Akun saya" }),
    el("form", { method: "post", action: "/review/logout", class: "logout" },
      el("button", { type: "submit", class: "link", text: "Keluar" })));
  document.querySelector("header.top").appendChild(nav);
})();
