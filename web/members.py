"""Trainees of the roster on the trainee page: sign in with employee ID + enrolment code
(then a password of their own) or ID + password; who is signed in; sign out.

The sign-in cookie carries the employee ID and the roster entry's generation: a new enrolment
code, disabling or a password chosen elsewhere ends it. Name and unit always come from the
roster (review/roster.py), never from the page.
"""

from __future__ import annotations

from typing import Any, Optional

from sanic import Blueprint, response
from sanic.request import Request

from actions.cleaning import exportable
from review import notes, roster
from review.limits import LoginRefused, RateLimited
from review.roster import Member, NeedPassword
from web.security import (
    MEMBER_COOKIE,
    MEMBER_TTL,
    TRAINEE_COOKIE,
    set_cookie,
    sign,
    verify,
)
from web.threads import in_thread

bp = Blueprint("members", url_prefix="/api")
SIGN_IN_FIRST = "Masuk dulu dengan ID pegawai dan kata sandi Anda."


def address_of(request: Request) -> str:
    return request.remote_addr or request.ip or "?"


async def signed_in(request: Request) -> Optional[Member]:
    """The trainee signed in on this browser, if their sign-in is still valid."""
    if hasattr(request.ctx, "member"):
        return request.ctx.member
    payload = verify(request.app.ctx.settings.cookie_secret, request.cookies.get(MEMBER_COOKIE))
    found = None
    if payload and isinstance(payload.get("tid"), str) and isinstance(payload.get("gen"), int):
        found = await in_thread(roster.member, payload["tid"], payload["gen"])
    request.ctx.member = found
    return found


def _error(status: int, message: str, **extra: Any) -> response.HTTPResponse:
    return response.json({"error": message, **extra}, status=status)


@bp.get("/units")
async def units(request: Request) -> response.HTTPResponse:
    """The managed list of units (what the page offers to pick)."""
    return response.json({"units": await in_thread(roster.list_units)})


@bp.get("/me")
async def me(request: Request) -> response.HTTPResponse:
    member = await signed_in(request)
    return response.json({"trainee": member.as_dict() if member else None,
                          "open_practice": request.app.ctx.settings.open_practice})


@bp.post("/login")
async def login(request: Request) -> response.HTTPResponse:
    """ID + password, or ID + one-time enrolment code and a new password (409 asks for it)."""
    data = request.json if "json" in request.headers.get("content-type", "") else None
    if not isinstance(data, dict):
        return _error(400, "Permintaan tidak valid: isi harus objek JSON.")
    data = exportable(data)  # no lone surrogate or control character reaches a check
    try:
        member = await in_thread(roster.sign_in, data.get("employee_id"), data.get("secret"),
                                 data.get("new_password"), address_of(request))
    except RateLimited:
        return _error(429, "Terlalu banyak percobaan masuk dari perangkat ini. Coba lagi "
                           "dalam 15 menit.")
    except NeedPassword:
        return _error(409, "Kode pendaftaran benar. Buat kata sandi Anda sendiri (minimal "
                           f"{roster.MIN_PASSWORD} karakter) untuk masuk berikutnya.",
                      need_password=True)
    except ValueError as exc:
        return _error(400, str(exc))
    except LoginRefused:
        return _error(401, "ID pegawai atau kata sandi/kode salah.")
    await in_thread(notes.audit, f"peserta:{member.id}", "trainee-login",
                    {"trainee_id": member.id})
    settings = request.app.ctx.settings
    reply = response.json({"trainee": member.as_dict()})
    set_cookie(reply, MEMBER_COOKIE, sign(settings.cookie_secret,
                                          {"tid": member.id, "gen": member.generation},
                                          MEMBER_TTL), MEMBER_TTL, settings.secure_cookies)
    return reply


@bp.post("/logout")
async def logout(request: Request) -> response.HTTPResponse:
    reply = response.json({"signed_out": True})
    for name in (MEMBER_COOKIE, TRAINEE_COOKIE):
        reply.cookies[name] = ""
        reply.cookies[name]["max-age"] = 0
        reply.cookies[name]["path"] = "/"
    return reply
