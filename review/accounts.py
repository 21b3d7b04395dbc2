"""Trainer and admin accounts of the review: Argon2id password hashes (argon2-cffi), server-side
login sessions (a random token in the cookie, its SHA-256 in ``auth_sessions``), revoked on
logout, on a password change and when the account is disabled; sign-in attempts limited per
account and address (review/limits.py); API tokens for scripts, stored hashed and revocable.

A *trainer* sees the sessions of the trainees of their unit(s); an *admin*, or a trainer with
no unit, sees every session. Until the first account exists, the shared trainer password
(``PTSP_TRAINER_PASSWORD``) signs in as a built-in admin, so a fresh install can be reviewed
and the first accounts made (``python -m review users add``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa
from argon2 import PasswordHasher

from review import limits, roster
from review.db import api_tokens, auth_sessions, engine, users
from review.limits import LoginRefused, RateLimited

ROLES = ("trainer", "admin")
SESSION_TTL = 8 * 3600
MIN_PASSWORD = 10
_hasher = PasswordHasher()
__all__ = ["LoginRefused", "RateLimited", "Trainer"]


@dataclass(frozen=True)
class Trainer:
    """Who is signed in to the review."""

    name: str
    role: str
    units: tuple[str, ...] = ()
    user_id: Optional[int] = None  # None: the shared bootstrap password, or a script's token

    @property
    def sees_everything(self) -> bool:
        return self.role == "admin" or not self.units


def _units(raw: str) -> tuple[str, ...]:
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return ()
    return tuple(str(u) for u in value if str(u).strip()) if isinstance(value, list) else ()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"kata sandi minimal {MIN_PASSWORD} karakter")


def any_accounts(url: Optional[str] = None) -> bool:
    with engine(url).connect() as conn:
        return bool(conn.execute(sa.select(sa.func.count()).select_from(users)).scalar())


def add_user(username: str, name: str, role: str, units: list[str], password: str,
             url: Optional[str] = None) -> None:
    username = username.strip().lower()
    if not username or not username.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise ValueError("nama pengguna: huruf, angka, '.', '-' atau '_'")
    if role not in ROLES:
        raise ValueError(f"peran harus salah satu dari {', '.join(ROLES)}")
    _check_password(password)
    units = roster.ensure_units(units, url)  # a unit named for an account joins the list
    with engine(url).begin() as conn:
        if conn.execute(sa.select(users.c.id).where(users.c.username == username)).first():
            raise ValueError(f"pengguna {username} sudah ada")
        shown = " ".join(name.split()) or username
        # the name signs notes and the audit log: two accounts never share one
        if conn.execute(sa.select(users.c.id).where(
                sa.func.lower(users.c.name) == shown.lower())).first():
            raise ValueError(f"nama {shown} sudah dipakai akun lain; pakai --full-name lain")
        conn.execute(sa.insert(users).values(
            username=username, name=shown, role=role,
            units=json.dumps([u.strip() for u in units if u.strip()]),
            password_hash=_hasher.hash(password), disabled=False, created=time.time()))


def set_password(username: str, password: str, url: Optional[str] = None) -> None:
    """A new password; every open session of the account is revoked."""
    _check_password(password)
    with engine(url).begin() as conn:
        user_id = conn.execute(sa.select(users.c.id).where(
            users.c.username == username.strip().lower())).scalar()
        if user_id is None:
            raise ValueError(f"pengguna {username} tidak ada")
        conn.execute(sa.update(users).where(users.c.id == user_id).values(
            password_hash=_hasher.hash(password)))
        conn.execute(sa.update(auth_sessions).where(auth_sessions.c.user_id == user_id)
                     .values(revoked=True))


def set_disabled(username: str, disabled: bool = True, url: Optional[str] = None) -> None:
    with engine(url).begin() as conn:
        user_id = conn.execute(sa.select(users.c.id).where(
            users.c.username == username.strip().lower())).scalar()
        if user_id is None:
            raise ValueError(f"pengguna {username} tidak ada")
        conn.execute(sa.update(users).where(users.c.id == user_id).values(disabled=disabled))
        if disabled:
            conn.execute(sa.update(auth_sessions).where(auth_sessions.c.user_id == user_id)
                         .values(revoked=True))


def list_users(url: Optional[str] = None) -> list[dict]:
    with engine(url).connect() as conn:
        return [{"username": r.username, "name": r.name, "role": r.role,
                 "units": list(_units(r.units)), "disabled": r.disabled}
                for r in conn.execute(sa.select(users).order_by(users.c.username))]


def authenticate(username: str, password: str, address: str,
                 url: Optional[str] = None) -> Trainer:
    """The account for this name and password; :class:`RateLimited` after too many attempts
    (per account and address, per address), :class:`LoginRefused` otherwise. The attempt is
    counted before the password is checked, so concurrent guesses get no extra checks."""
    username = username.strip().lower()[:80]
    attempt = limits.reserve("login", username, address, url)
    time.sleep(attempt.delay)
    with engine(url).connect() as conn:
        row = conn.execute(sa.select(users).where(users.c.username == username)).first()
    usable = row is not None and not row.disabled
    if not roster.verify_secret(row.password_hash if usable else None, password):
        raise LoginRefused()
    limits.succeeded(attempt, url)
    return Trainer(row.name, row.role, _units(row.units), row.id)


def authenticate_shared(given: str, password: str, address: str,
                        url: Optional[str] = None) -> Trainer:
    """The shared trainer password: only while no account exists, limited like a login."""
    attempt = limits.reserve("shared", "(bersama)", address, url)
    time.sleep(attempt.delay)
    if any_accounts(url) or not (given and hmac.compare_digest(
            given.encode("utf-8"), password.encode("utf-8"))):
        raise LoginRefused()
    limits.succeeded(attempt, url)
    return Trainer("Pelatih", "admin")


# --- API tokens of accounts (scripts: ``Authorization: Bearer <token>``) ---------------------

def new_token(username: str, label: str = "", url: Optional[str] = None) -> str:
    """A new API token of an account, returned once (only its SHA-256 is stored)."""
    token = "ptsp_" + secrets.token_urlsafe(32)
    with engine(url).begin() as conn:
        user_id = conn.execute(sa.select(users.c.id).where(
            users.c.username == username.strip().lower())).scalar()
        if user_id is None:
            raise ValueError(f"pengguna {username} tidak ada")
        conn.execute(sa.insert(api_tokens).values(
            id=_digest(token), user_id=user_id, label=(label.strip() or "skrip")[:80],
            created=time.time(), revoked=False))
    return token


def revoke_tokens(username: str, url: Optional[str] = None) -> int:
    """Revoke every API token of an account; how many were live."""
    with engine(url).begin() as conn:
        user_id = conn.execute(sa.select(users.c.id).where(
            users.c.username == username.strip().lower())).scalar()
        if user_id is None:
            raise ValueError(f"pengguna {username} tidak ada")
        return conn.execute(sa.update(api_tokens).where(
            api_tokens.c.user_id == user_id, api_tokens.c.revoked.is_(False))
            .values(revoked=True)).rowcount


def token_trainer(token: str, address: str, url: Optional[str] = None) -> Trainer:
    """The account of a live API token. A wrong one is counted per address like a failed
    login (:class:`RateLimited` once too many); a right one is never refused."""
    query = sa.select(users, api_tokens.c.revoked.label("token_revoked")).join(
        api_tokens, api_tokens.c.user_id == users.c.id).where(
        api_tokens.c.id == _digest(token[:200]))
    with engine(url).connect() as conn:
        row = conn.execute(query).first()
    if row is None or row.token_revoked or row.disabled:
        attempt = limits.reserve("token", "(token)", address, url)
        time.sleep(attempt.delay)
        raise LoginRefused()
    return Trainer(row.name, row.role, _units(row.units), row.id)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(trainer: Trainer, url: Optional[str] = None) -> str:
    """A new login session of an account; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = time.time()
    with engine(url).begin() as conn:
        conn.execute(sa.insert(auth_sessions).values(
            id=_digest(token), user_id=trainer.user_id, created=now,
            expires=now + SESSION_TTL, revoked=False))
    return token


def session_trainer(token: Optional[str], url: Optional[str] = None) -> Optional[Trainer]:
    """The account of a live session (not expired, revoked or disabled), else ``None``."""
    if not token or len(token) > 100:
        return None
    query = sa.select(users, auth_sessions.c.expires, auth_sessions.c.revoked).join(
        auth_sessions, auth_sessions.c.user_id == users.c.id).where(
        auth_sessions.c.id == _digest(token))
    with engine(url).connect() as conn:
        row = conn.execute(query).first()
    if row is None or row.revoked or row.disabled or row.expires < time.time():
        return None
    return Trainer(row.name, row.role, _units(row.units), row.id)


def close_session(token: Optional[str], url: Optional[str] = None) -> None:
    if token:
        with engine(url).begin() as conn:
            conn.execute(sa.update(auth_sessions).where(auth_sessions.c.id == _digest(token))
                         .values(revoked=True))


def change_password(trainer: Trainer, old: str, new: str, url: Optional[str] = None) -> None:
    """The signed-in trainer's own password; every session of the account is revoked."""
    if trainer.user_id is None:
        raise ValueError("akun bersama tidak punya kata sandi sendiri")
    with engine(url).connect() as conn:
        row = conn.execute(sa.select(users).where(users.c.id == trainer.user_id)).first()
    if not roster.verify_secret(row.password_hash, old):
        raise ValueError("kata sandi lama salah")
    set_password(row.username, new, url)
