"""Limits kept in the review database, so that they hold across threads, processes and
replicas: fixed-window counters incremented atomically *before* the work they limit.

Sign-ins (trainers, trainees, API tokens) are limited so that an attacker cannot lock the owner
out: an attempt is counted per account *and address* (5 in 15 minutes, then refused from that
address only), per address (100: an office behind one address must not be locked out by a
few typos), and per account from anywhere, which never refuses but slows
every further attempt down (up to 3 s). A successful sign-in gives its attempt back.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from review.db import engine, limits

WINDOW = 15 * 60
# the office may set other limits (the shared test stack, where every test signs in from
# 127.0.0.1 and some on purpose with a wrong password, raises them)
PER_ACCOUNT_AND_ADDRESS = int(os.environ.get("PTSP_SIGNIN_ATTEMPTS", "5"))
PER_ADDRESS = int(os.environ.get("PTSP_SIGNIN_ATTEMPTS_PER_ADDRESS", "100"))
SLOW_AFTER = 5  # attempts on one account (from anywhere) before each further one is slowed
SLOW_STEP = 0.25  # seconds per attempt over SLOW_AFTER
MAX_SLOW = 3.0


class LoginRefused(Exception):
    """Wrong name or secret (the page never says which of the two)."""


class RateLimited(Exception):
    """Too many attempts for this account from this address, or from this address."""


def _ensure_row(conn: sa.engine.Connection, key: str, now: float) -> None:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(limits).values(key=key, window_start=now, count=0)
                 .on_conflict_do_nothing(index_elements=["key"]))


def hit(key: str, window: float, url: Optional[str] = None, now: Optional[float] = None
        ) -> int:
    """Count one event for ``key``; the count in the current window, this one included.

    The row is locked by the update until the transaction ends (a row lock in PostgreSQL, the
    write lock in SQLite), so concurrent hits are counted one after the other."""
    now = time.time() if now is None else now
    key = key[:200]
    expired = limits.c.window_start <= now - window
    with engine(url).begin() as conn:
        _ensure_row(conn, key, now)
        conn.execute(sa.update(limits).where(limits.c.key == key).values(
            count=sa.case((expired, 1), else_=limits.c.count + 1),
            window_start=sa.case((expired, now), else_=limits.c.window_start)))
        return int(conn.execute(sa.select(limits.c.count).where(limits.c.key == key)).scalar())


def give_back(key: str, url: Optional[str] = None) -> None:
    """Undo one counted event of ``key`` (a sign-in that succeeded)."""
    with engine(url).begin() as conn:
        conn.execute(sa.update(limits).where(limits.c.key == key[:200], limits.c.count > 0)
                     .values(count=limits.c.count - 1))


@dataclass(frozen=True)
class Attempt:
    """One reserved sign-in attempt: the keys it counted and how long to slow it down."""

    keys: tuple[str, ...]
    delay: float


def reserve(kind: str, account: str, address: str, url: Optional[str] = None) -> Attempt:
    """Count a sign-in attempt before the secret is checked; :class:`RateLimited` when this
    account from this address, or this address, tried too often lately."""
    account, address = account.strip().lower()[:80], address[:64]
    pair = f"{kind}:{account}|{address}"
    by_address = f"{kind}@{address}"
    by_account = f"{kind}#{account}"
    # one after the other: an attempt refused for its pair counts against nobody else
    if hit(pair, WINDOW, url) > PER_ACCOUNT_AND_ADDRESS:
        raise RateLimited()
    if hit(by_address, WINDOW, url) > PER_ADDRESS:
        give_back(pair, url)
        raise RateLimited()
    delay = min(MAX_SLOW, SLOW_STEP * max(0, hit(by_account, WINDOW, url) - SLOW_AFTER))
    return Attempt((pair, by_address, by_account), delay)


def succeeded(attempt: Attempt, url: Optional[str] = None) -> None:
    """A sign-in that succeeded does not count against anyone."""
    for key in attempt.keys:
        give_back(key, url)


def allow(key: str, limit: int, window: float, url: Optional[str] = None) -> bool:
    """Count one event of ``key`` (e.g. a visit start); False when over ``limit``."""
    return hit(key, window, url) <= limit
