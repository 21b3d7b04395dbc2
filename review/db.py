"""The review's own tables, beside Rasa's tracker store: trainers' notes on replies (comment
and score override) and the audit log. Schema changes go through Alembic migrations
(``review/migrations/``); :func:`migrate` brings any database to the newest schema and is run
by the web service at start-up and by ``python -m review migrate``.

The database is ``PTSP_REVIEW_DB_URL`` (an SQLAlchemy URL; PostgreSQL in production), else
``review.db`` (SQLite) in the data directory (``PTSP_DATA_DIR``, default ``var/``).
"""

from __future__ import annotations

import os
import threading
from functools import cache
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = Path(__file__).resolve().parent / "migrations"

metadata = sa.MetaData()

turn_notes = sa.Table(
    "turn_notes", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("visit", sa.Integer, nullable=False),
    sa.Column("turn", sa.Integer, nullable=False),
    sa.Column("trainer", sa.String(120), nullable=False),
    sa.Column("comment", sa.Text),
    sa.Column("politeness", sa.Integer),
    sa.Column("clarity", sa.Integer),
    sa.Column("responsiveness", sa.Integer),
    sa.Column("overall", sa.Integer),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("updated", sa.Float, nullable=False),
    sa.Column("read_at", sa.Float),  # when the trainee read it (None: new to them)
    sa.Column("trainee_reply", sa.Text),  # the trainee's one answer, shown to the trainer
    sa.Column("trainee_reply_at", sa.Float),
    sa.UniqueConstraint("sender_id", "visit", "turn", "trainer", name="uq_turn_notes_author"),
)
sa.Index("ix_turn_notes_sender", turn_notes.c.sender_id)

# A trainer's verdict on a finished visit (review/verdicts.py): it replaces the machine's
# pass/fail everywhere, with the reason and the trainer's name.
verdict_overrides = sa.Table(
    "verdict_overrides", metadata,
    sa.Column("session_id", sa.String(300), primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("visit", sa.Integer, nullable=False),
    sa.Column("passed", sa.Boolean, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("trainer", sa.String(120), nullable=False),
    sa.Column("updated", sa.Float, nullable=False),
)
sa.Index("ix_verdict_overrides_sender", verdict_overrides.c.sender_id)

audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("ts", sa.Float, nullable=False),
    sa.Column("actor", sa.String(120), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("detail", sa.Text),
)
sa.Index("ix_audit_log_ts", audit_log.c.ts)


# The review store (issue 12): what the review pages and exports read, kept up to date from
# Rasa's event broker by review/ingest.py and rebuilt from the tracker store on demand.
sessions = sa.Table(
    "sessions", metadata,
    sa.Column("id", sa.String(300), primary_key=True),  # "<sender id>:<visit index>"
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("visit", sa.Integer, nullable=False),
    sa.Column("trainee_id", sa.String(255)),
    sa.Column("trainee_name", sa.String(255)),
    sa.Column("web", sa.Boolean, nullable=False),  # a trainee of the web page
    sa.Column("scenario", sa.String(80)),
    sa.Column("exam_mode", sa.Boolean, nullable=False),
    sa.Column("started", sa.Float),
    sa.Column("duration_seconds", sa.Integer),
    sa.Column("turns", sa.Integer, nullable=False),
    sa.Column("finished", sa.Boolean, nullable=False),
    sa.Column("passed", sa.Boolean),
    sa.Column("politeness", sa.Integer),
    sa.Column("clarity", sa.Integer),
    sa.Column("responsiveness", sa.Integer),
    sa.Column("overall", sa.Integer),
    sa.Column("unit", sa.String(120)),  # the unit the visit was made under (roster or page)
    # the web service vouched for a signed-in trainee of the roster (only these count for a
    # trainee: exams, assignments, a unit's lists)
    sa.Column("signed_in", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("summary", sa.Text, nullable=False),  # Visit.summary() as JSON
    sa.Column("detail", sa.Text, nullable=False),  # Visit.detail() as JSON
)
sa.Index("ix_sessions_started", sessions.c.started)
sa.Index("ix_sessions_trainee", sessions.c.trainee_id, sessions.c.started)
sa.Index("ix_sessions_scenario", sessions.c.scenario, sessions.c.started)
sa.Index("ix_sessions_sender", sessions.c.sender_id)

turns = sa.Table(
    "turns", metadata,
    sa.Column("session_id", sa.String(300), primary_key=True),
    sa.Column("turn", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("trainee_id", sa.String(255)),
    sa.Column("scenario", sa.String(80)),
    sa.Column("started", sa.Float),  # the session's start (date filters)
    sa.Column("reply", sa.Text, nullable=False),
    sa.Column("politeness", sa.Integer),
    sa.Column("clarity", sa.Integer),
    sa.Column("responsiveness", sa.Integer),
    sa.Column("overall", sa.Integer),
    sa.Column("reading", sa.Text),  # the reply's reading (actions/scoring/reading.py), JSON
    sa.Column("data", sa.Text, nullable=False),  # the turn as exported (JSON)
)
sa.Index("ix_turns_sender", turns.c.sender_id)
sa.Index("ix_turns_trainee", turns.c.trainee_id)

trainees = sa.Table(
    "trainees", metadata,
    sa.Column("trainee_id", sa.String(255), primary_key=True),
    sa.Column("name", sa.String(255)),
    sa.Column("web", sa.Boolean, nullable=False),
    sa.Column("sessions", sa.Integer, nullable=False),
    sa.Column("last_started", sa.Float),
)
sa.Index("ix_trainees_name", trainees.c.name)

ingest_offsets = sa.Table(
    "ingest_offsets", metadata,
    sa.Column("feed", sa.String(80), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
)


# Trainer and admin accounts (review/accounts.py): server-side sessions that logout and a
# password change revoke, and failed logins for the rate limit.
users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(80), nullable=False, unique=True),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),  # trainer | admin
    sa.Column("units", sa.Text, nullable=False),  # JSON list; empty: every unit
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False),
    sa.Column("created", sa.Float, nullable=False),
)

auth_sessions = sa.Table(
    "auth_sessions", metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # SHA-256 of the cookie's token
    sa.Column("user_id", sa.Integer, nullable=False),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("expires", sa.Float, nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False),
)
sa.Index("ix_auth_sessions_user", auth_sessions.c.user_id)

login_failures = sa.Table(
    "login_failures", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("ts", sa.Float, nullable=False),
    sa.Column("username", sa.String(80), nullable=False),
    sa.Column("address", sa.String(64), nullable=False),
)
sa.Index("ix_login_failures_ts", login_failures.c.ts)


# Assignments (review/assignments.py): scenarios a trainer sets for a trainee or a unit.
assignments = sa.Table(
    "assignments", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_by", sa.String(120), nullable=False),
    sa.Column("trainee_id", sa.String(255)),  # one trainee, or
    sa.Column("unit", sa.String(120)),  # every trainee of a unit
    sa.Column("scenarios", sa.Text, nullable=False),  # JSON list, in the order to play
    sa.Column("mode", sa.String(20), nullable=False),  # practice | exam
    sa.Column("due", sa.String(10), nullable=False),  # YYYY-MM-DD (end of that day, UTC)
    sa.Column("note", sa.Text),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("archived", sa.Boolean, nullable=False),
    sa.Column("pass_mark", sa.Integer),  # visit score needed to pass (None: the verdict only)
    sa.Column("attempts", sa.Integer),  # attempts that count (None: exam 1, practice all)
    sa.Column("valid_months", sa.Integer),  # an exam's certificate: months it is valid
)
sa.Index("ix_assignments_trainee", assignments.c.trainee_id)
sa.Index("ix_assignments_unit", assignments.c.unit)


# The roster (review/roster.py): managed units, enrolled trainees with their credentials, and
# the scripts' API tokens of accounts (review/accounts.py).
units = sa.Table(
    "units", metadata,
    sa.Column("name", sa.String(120), primary_key=True),
    sa.Column("created", sa.Float, nullable=False),
)

roster = sa.Table(
    "roster", metadata,
    sa.Column("employee_id", sa.String(40), primary_key=True),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("unit", sa.String(120), nullable=False),
    sa.Column("password_hash", sa.String(255)),  # None until the trainee chose one
    sa.Column("code_hash", sa.String(255)),  # the one-time enrolment code (Argon2), if open
    sa.Column("code_expires", sa.Float),
    sa.Column("generation", sa.Integer, nullable=False),  # bumped: every sign-in ends
    sa.Column("disabled", sa.Boolean, nullable=False),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("created_by", sa.String(120), nullable=False),
)
sa.Index("ix_roster_unit", roster.c.unit)

api_tokens = sa.Table(
    "api_tokens", metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # SHA-256 of the token
    sa.Column("user_id", sa.Integer, nullable=False),
    sa.Column("label", sa.String(80), nullable=False),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False),
)
sa.Index("ix_api_tokens_user", api_tokens.c.user_id)

# Fixed-window counters (review/limits.py): failed sign-ins, visit starts; one row per key,
# incremented atomically before the work it limits.
limits = sa.Table(
    "limits", metadata,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("window_start", sa.Float, nullable=False),
    sa.Column("count", sa.Integer, nullable=False),
)


def review_db_url() -> str:
    url = os.environ.get("PTSP_REVIEW_DB_URL", "").strip()
    if url:
        return url
    data_dir = Path(os.environ.get("PTSP_DATA_DIR") or ROOT / "var")
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'review.db'}"


# Two first requests at once (the web service runs the store in threads) must not migrate
# concurrently: alembic's context is global, and `cache` alone lets both threads in.
_ENGINE_LOCK = threading.Lock()


def engine(url: str | None = None) -> sa.engine.Engine:
    """The review database's engine, migrated to the newest schema on first use."""
    with _ENGINE_LOCK:
        return _engine(url)


@cache
def _engine(url: str | None) -> sa.engine.Engine:
    created = sa.create_engine(url or review_db_url(), pool_pre_ping=True, future=True)
    migrate(created)
    return created


def migrate(target: sa.engine.Engine) -> None:
    """Upgrade the database to the newest migration (a no-op when it is there already)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with target.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
