"use strict";
(function () {
  const params = new URLSearchParams(window.location.search);
  const next = params.get("next");
  if (next && next.startsWith("/review") && !next.startsWith("//")) document.getElementById("next").value = next;
  if (params.get("gagal")) document.getElementById("login-error").textContent = "Kata sandi salah. Coba lagi.";
})();
