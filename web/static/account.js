// Trainer: own account — who is signed in, and a password change (ends every other session).
"use strict";
(function () {
  const el = PTSP.el;
  PTSP.api("/review/api/me").then((me) => {
    const status = el("p", { class: "note", role: "status", id: "password-status" });
    const old = el("input", { type: "password", id: "old-password", autocomplete: "current-password", required: true });
    const fresh = el("input", { type: "password", id: "new-password", autocomplete: "new-password", minlength: 10, required: true });
    const form = el("form", { id: "password-form", class: "card narrow" },
      el("h3", { text: "Ganti kata sandi" }),
      el("label", {}, "Kata sandi lama ", old), el("label", {}, "Kata sandi baru (minimal 10 karakter) ", fresh),
      el("button", { type: "submit", text: "Simpan" }), status);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await PTSP.api("/review/api/password", { json: { old: old.value, new: fresh.value } });
        status.textContent = "Kata sandi diganti. Semua sesi masuk yang lain sudah diakhiri.";
        old.value = ""; fresh.value = "";
      } catch (err) { status.textContent = err.message; }
    });
    document.getElementById("page").replaceChildren(
      el("h2", { text: "Akun saya" }),
      el("p", { text: me.name + " · " + (me.role === "admin" ? "admin" : "pelatih") +
        (me.units.length ? " · unit: " + me.units.join(", ") : " · semua unit") }),
      me.account ? form : el("p", { class: "note", text: "Anda masuk dengan kata sandi bersama. Buat akun pelatih dengan python -m review users add." }));
  }).catch((err) => { document.getElementById("error").textContent = err.message; });
})();
