"""Who may use the trainer review, and as whom (review/accounts.py).

* An account (``python -m review users add``) signs in with its user name and password; the
  cookie carries a random session token whose hash is stored server-side, so logout, a
  password change and disabling the account end every session at once.
* Until the first account exists, the shared trainer password (``PTSP_TRAINER_PASSWORD``)
  signs in on the login form as a built-in admin, with the name the trainer types (a fresh
  install can be used and its first accounts made); once an account exists it opens nothing.
* Scripts send ``Authorization: Bearer <API token>`` (``python -m review users token NAME``):
  they act as that account; wrong tokens are limited per address like logins.
* Sign-in attempts are counted before the password is checked (review/limits.py): 5 per
  account from one address or 30 per address in 15 minutes, then refused (429 for scripts, a
  message on the login page); attempts on one account from anywhere only slow it down, so an
  attacker cannot lock the owner out.
"""

from __future__ import annotations

import asyncio
from functools import wraps
from pathlib import Path
from typing import Any, Callable, Optional
from urllib.parse import quote

from sanic import Blueprint, response
from sanic.request import Request

from actions.cleaning import clean_text
from review import accounts, notes
from review.accounts import Trainer
from web.security import TRAINER_COOKIE, TRAINER_TTL, set_cookie, sign, verify
from web.threads import in_thread

bp = Blueprint("review_auth", url_prefix="/review")
STATIC = Path(__file__).resolve().parent / "static"


async def current_trainer(request: Request) -> Optional[Trainer]:
    """The signed-in trainer of this request, or ``None``: an account's API token
    (``Authorization: Bearer``), an account's login session, or — only while no account
    exists — the shared password's login. :class:`~review.limits.RateLimited` after too many
    wrong tokens from this address."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        try:
            return await in_thread(accounts.token_trainer, auth[7:].strip(),
                                   request.remote_addr or request.ip or "?")
        except accounts.LoginRefused:
            return None
    settings = request.app.ctx.settings
    payload = verify(settings.cookie_secret, request.cookies.get(TRAINER_COOKIE))
    if not payload:
        return None
    if isinstance(payload.get("sid"), str):
        return await in_thread(accounts.session_trainer, payload["sid"])
    if payload.get("role") == "trainer" and not await in_thread(accounts.any_accounts):
        name = payload.get("name") if isinstance(payload.get("name"), str) else ""
        return Trainer(name.strip()[:80] or "Pelatih", "admin")
    return None


def trainer_only(api: bool, admin: bool = False) -> Callable:
    """Refuse without a trainer login: 401 for data, a redirect to the login page for pages.
    The trainer is ``request.ctx.trainer``; ``admin``: admins only (403 otherwise)."""

    def decorate(handler: Callable) -> Callable:
        @wraps(handler)
        async def guarded(request: Request, *args: Any, **kwargs: Any) -> Any:
            try:
                trainer = await current_trainer(request)
            except accounts.RateLimited:
                return response.json({"error": "Terlalu banyak token salah dari alamat ini. "
                                               "Coba lagi dalam 15 menit."}, status=429)
            if trainer is None:
                if api:
                    return response.json({"error": "Perlu masuk sebagai pelatih."}, status=401)
                target = quote(request.path + ("?" + request.query_string
                                               if request.query_string else ""))
                return response.redirect(f"/review/login?next={target}", status=303)
            if admin and trainer.role != "admin":
                return response.json({"error": "Hanya untuk admin."}, status=403)
            request.ctx.trainer = trainer
            return await handler(request, *args, **kwargs)

        return guarded

    return decorate


def trainer_of(request: Request) -> Trainer:
    return request.ctx.trainer


def units_of(request: Request) -> Optional[tuple[str, ...]]:
    """The units whose sessions this trainer sees (``None``: every unit)."""
    trainer = trainer_of(request)
    return None if trainer.sees_everything else trainer.units


@bp.get("/login")
async def login_page(request: Request) -> response.HTTPResponse:
    return await response.file(STATIC / "login.html")


@bp.get("/api/login-mode")
async def login_mode(request: Request) -> response.HTTPResponse:
    """Whether accounts exist (the login page then asks for a user name)."""
    return response.json({"accounts": await in_thread(accounts.any_accounts)})


def _form(request: Request, key: str) -> str:
    value = request.form.get(key) if request.form else None
    return value if isinstance(value, str) else ""


@bp.post("/login")
async def login(request: Request) -> response.HTTPResponse:
    """Form post: user name and password (or, before any account exists, the shared password
    and a name); sets the trainer cookie."""
    settings = request.app.ctx.settings
    username, given = _form(request, "username").strip(), _form(request, "password")
    target = _form(request, "next") or "/review"
    if not target.startswith("/review") or target.startswith("//"):
        target = "/review"
    address = request.remote_addr or request.ip or "?"
    scripted = "text/html" not in request.headers.get("accept", "")
    try:
        if await in_thread(accounts.any_accounts):
            trainer = await in_thread(accounts.authenticate, username, given, address)
            token = await in_thread(accounts.open_session, trainer)
            payload: dict[str, Any] = {"sid": token}
        else:
            trainer = await in_thread(accounts.authenticate_shared, given,
                                      settings.trainer_password, address)
            name = " ".join(clean_text(_form(request, "trainer")).split())[:80] or "Pelatih"
            payload = {"role": "trainer", "name": name}
    except accounts.RateLimited:
        if scripted:
            return response.json({"error": "Terlalu banyak percobaan masuk. Coba lagi dalam "
                                           "15 menit."}, status=429)
        return response.redirect("/review/login?gagal=batas", status=303)
    except accounts.LoginRefused:
        await asyncio.sleep(0.5)  # slows down guessing
        return response.redirect("/review/login?gagal=1", status=303)
    await in_thread(notes.audit, trainer.name, "login",
                    {"account": username or "(bersama)", "address": address})
    reply = response.redirect(target, status=303)
    set_cookie(reply, TRAINER_COOKIE, sign(settings.cookie_secret, payload, TRAINER_TTL),
               TRAINER_TTL, settings.secure_cookies)
    return reply


@bp.post("/logout")
async def logout(request: Request) -> response.HTTPResponse:
    """Ends this login session server-side (the token no longer opens anything)."""
    payload = verify(request.app.ctx.settings.cookie_secret, request.cookies.get(TRAINER_COOKIE))
    if payload and isinstance(payload.get("sid"), str):
        await in_thread(accounts.close_session, payload["sid"])
    reply = response.redirect("/review/login", status=303)
    del reply.cookies[TRAINER_COOKIE]
    return reply


@bp.get("/api/me")
@trainer_only(api=True)
async def me(request: Request) -> response.HTTPResponse:
    trainer = trainer_of(request)
    return response.json({"name": trainer.name, "role": trainer.role,
                          "units": list(trainer.units), "account": trainer.user_id is not None})


@bp.post("/api/password")
@trainer_only(api=True)
async def change_password(request: Request) -> response.HTTPResponse:
    """The signed-in trainer's own password; every session of the account ends, this one gets
    a new cookie."""
    data = request.json if "json" in request.headers.get("content-type", "") else None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str)
                                             for k in ("old", "new")):
        return response.json({"error": "Isi kata sandi lama dan baru."}, status=400)
    trainer = trainer_of(request)
    try:
        await in_thread(accounts.change_password, trainer, data["old"], data["new"])
    except ValueError as exc:
        return response.json({"error": str(exc).capitalize() + "."}, status=400)
    token = await in_thread(accounts.open_session, trainer)
    await in_thread(notes.audit, trainer.name, "password", {"user_id": trainer.user_id})
    settings = request.app.ctx.settings
    reply = response.json({"changed": True})
    set_cookie(reply, TRAINER_COOKIE, sign(settings.cookie_secret, {"sid": token}, TRAINER_TTL),
               TRAINER_TTL, settings.secure_cookies)
    return reply
