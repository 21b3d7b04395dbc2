"""Signed cookies, the trainer check, same-origin checks and security headers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from typing import Any, Optional

from sanic.request import Request

TRAINEE_COOKIE = "ptsp_trainee"  # the trainee's current visit
MEMBER_COOKIE = "ptsp_member"  # a signed-in trainee of the roster
TRAINER_COOKIE = "ptsp_trainer"
TRAINEE_TTL = 12 * 3600
MEMBER_TTL = 12 * 3600
TRAINER_TTL = 8 * 3600

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(secret: bytes, payload: dict[str, Any], ttl: int) -> str:
    """A tamper-proof cookie value carrying ``payload`` until ``ttl`` seconds from now."""
    body = _b64(json.dumps({**payload, "exp": int(time.time()) + ttl}).encode("utf-8"))
    mac = _b64(hmac.new(secret, body.encode("ascii"), hashlib.sha256).digest())
    return f"{body}.{mac}"


def verify(secret: bytes, value: Optional[str]) -> Optional[dict[str, Any]]:
    """The payload of a cookie signed by :func:`sign`, or ``None`` if forged or expired."""
    if not value or value.count(".") != 1 or not value.isascii():
        return None
    body, mac = value.split(".")
    expected = _b64(hmac.new(secret, body.encode("ascii"), hashlib.sha256).digest())
    if not hmac.compare_digest(mac.encode("ascii"), expected.encode("ascii")):
        return None
    try:
        payload = json.loads(_unb64(body))
    except (ValueError, RecursionError):
        return None
    if not isinstance(payload, dict) or payload.get("exp", 0) < time.time():
        return None
    return payload


def trusted_proxies() -> frozenset[str]:
    """Addresses whose ``X-Forwarded-Proto`` is believed (``PTSP_TRUSTED_PROXIES``, commas)."""
    return frozenset(p.strip() for p in os.environ.get("PTSP_TRUSTED_PROXIES", "").split(",")
                     if p.strip())


def scheme_of(request: Request) -> str:
    """The scheme the browser used: ``X-Forwarded-Proto`` only from a trusted proxy (a TLS
    ingress), else the connection's own."""
    if request.ip in trusted_proxies():
        forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
        if forwarded in ("http", "https"):
            return forwarded
    return request.scheme


def foreign_origin(request: Request) -> bool:
    """True when a browser sent this request from another origin (CSRF / CORS guard)."""
    origin = request.headers.get("origin")
    if not origin:
        return False  # same-origin GETs and non-browser clients send none
    own = f"{scheme_of(request)}://{request.host}"
    return origin != own


def set_cookie(response: Any, name: str, value: str, ttl: int, secure: bool) -> None:
    """HttpOnly, SameSite=Strict cookie on the whole site."""
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = "/"
    cookie["max-age"] = ttl
    if secure:
        cookie["secure"] = True
