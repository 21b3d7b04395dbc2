// Trainer login: a user name and password once accounts exist, else the shared password.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(window.location.search);
  const next = params.get("next");
  if (next && next.startsWith("/review") && !next.startsWith("//")) $("next").value = next;
  const failed = params.get("gagal");
  if (failed === "batas") $("login-error").textContent = "Terlalu banyak percobaan masuk. Coba lagi dalam 15 menit.";
  else if (failed) $("login-error").textContent = "Nama pengguna atau kata sandi salah. Coba lagi.";
  fetch("/review/api/login-mode", { credentials: "same-origin" }).then((r) => r.json()).then((mode) => {
    $("username-box").hidden = !mode.accounts;
    $("trainer-box").hidden = mode.accounts;
    $("shared-note").hidden = mode.accounts;
    $("account-note").hidden = !mode.accounts;
    if (mode.accounts) { $("username").required = true; $("username").focus(); }
  }).catch(() => {});
})();
