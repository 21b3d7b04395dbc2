"""Keeping the review store (review/db.py: sessions, turns, trainees) up to date.

Rasa streams every event to its event broker (endpoints.yml ``event_broker``): the SQL event
broker on the embedded default, RabbitMQ (Rasa's Pika broker) in the production profile. The
broker is the change feed: each event names its conversation, and a conversation whose events
arrived is re-read from the tracker store (the source of truth) and its rows replaced —
through :func:`visits_from_events`, the one reading of a conversation. Replaying the same events
twice therefore changes nothing, and ``python -m review rebuild`` (every conversation of the
tracker store) recovers the store from scratch.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional

import sqlalchemy as sa
import yaml

from actions.catalog import DIMENSIONS
from actions.visits import Visit, visits_from_events, web_trainee
from review import verdicts
from review.db import engine, ingest_offsets, sessions, trainees, turns
from review.store import ROOT, TrackerStore, _expand

logger = logging.getLogger(__name__)
BATCH = 200  # conversations per transaction
# Event broker types that write Rasa's SQL broker table (lower case).
SQL_BROKER_TYPES = {"sql", "ptsp_stores.event_broker.batchedsqleventbroker"}


@dataclass
class IngestReport:
    conversations: int = 0
    events: int = 0
    sessions: int = 0
    turns: int = 0
    seconds: float = 0.0

    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


def _session_row(visit: Visit, override: Optional[verdicts.Override] = None
                 ) -> dict[str, Any]:
    summary = verdicts.apply(visit.summary(), override)
    detail = verdicts.apply(visit.detail(), override)
    return {
        "id": visit.id, "sender_id": visit.sender_id, "visit": visit.index,
        "trainee_id": visit.trainee_id, "trainee_name": visit.trainee_name,
        "unit": visit.unit, "signed_in": visit.signed_in,
        "web": web_trainee(visit.sender_id) is not None, "scenario": visit.scenario,
        "exam_mode": bool(visit.exam), "started": visit.started,
        "duration_seconds": summary["duration_seconds"], "turns": len(visit.turns),
        "finished": bool(visit.debrief), "passed": summary["passed"],
        **{dim: summary.get(dim) for dim in DIMENSIONS},
        "summary": json.dumps(summary, ensure_ascii=False),
        "detail": json.dumps(detail, ensure_ascii=False),
    }


def _turn_rows(visit: Visit) -> list[dict[str, Any]]:
    rows = []
    for turn in visit.turns:
        data = {"session_id": visit.id, "trainee_id": visit.trainee_id,
                "scenario": visit.scenario, "exam_mode": bool(visit.exam), **turn.as_dict()}
        scores = turn.scores or {}
        reading = turn.record.reading if turn.record else None
        rows.append({
            "session_id": visit.id, "turn": turn.number, "sender_id": visit.sender_id,
            "trainee_id": visit.trainee_id, "scenario": visit.scenario,
            "started": visit.started, "reply": turn.reply,
            **{dim: scores.get(dim) for dim in DIMENSIONS},
            "reading": json.dumps(reading, ensure_ascii=False) if reading else None,
            "data": json.dumps(data, ensure_ascii=False),
        })
    return rows


class ReviewIngest:
    """Replaces the review rows of conversations from the tracker store."""

    def __init__(self, tracker: TrackerStore, review_url: Optional[str] = None) -> None:
        self.tracker = tracker
        self.review_url = review_url

    @property
    def db(self) -> sa.engine.Engine:
        return engine(self.review_url)

    def sync(self, sender_ids: Iterable[str]) -> IngestReport:
        """Re-read these conversations and replace their rows (idempotent)."""
        report = IngestReport()
        began = time.perf_counter()
        wanted = sorted(set(sender_ids))
        for start in range(0, len(wanted), BATCH):
            batch = wanted[start:start + BATCH]
            conversations = self.tracker.conversations(batch)
            overrides = verdicts.overrides_for(batch, self.review_url)
            session_rows, turn_rows = [], []
            for sender, events in conversations.items():
                report.events += len(events)
                for visit in visits_from_events(sender, events):
                    session_rows.append(_session_row(visit, overrides.get(visit.id)))
                    turn_rows += _turn_rows(visit)
            with self.db.begin() as conn:
                conn.execute(sa.delete(turns).where(turns.c.sender_id.in_(batch)))
                conn.execute(sa.delete(sessions).where(sessions.c.sender_id.in_(batch)))
                if session_rows:
                    conn.execute(sa.insert(sessions), session_rows)
                if turn_rows:
                    conn.execute(sa.insert(turns), turn_rows)
                self._refresh_trainees(conn, {r["trainee_id"] for r in session_rows
                                              if r["trainee_id"]})
            report.conversations += len(batch)
            report.sessions += len(session_rows)
            report.turns += len(turn_rows)
        report.seconds = time.perf_counter() - began
        return report

    @staticmethod
    def _refresh_trainees(conn: sa.engine.Connection, ids: set[str]) -> None:
        if not ids:
            return
        query = sa.select(
            sessions.c.trainee_id, sa.func.max(sessions.c.trainee_name),
            sa.func.max(sa.case((sessions.c.web, 1), else_=0)), sa.func.count(),
            sa.func.max(sessions.c.started),
        ).where(sessions.c.trainee_id.in_(ids)).group_by(sessions.c.trainee_id)
        rows = [{"trainee_id": tid, "name": name, "web": bool(web), "sessions": count,
                 "last_started": last} for tid, name, web, count, last in conn.execute(query)]
        conn.execute(sa.delete(trainees).where(trainees.c.trainee_id.in_(ids)))
        if rows:
            conn.execute(sa.insert(trainees), rows)

    def rebuild(self) -> IngestReport:
        """Every conversation of the tracker store, replayed into the review store."""
        return self.sync(self.tracker.sender_ids())


class SqlBrokerFeed:
    """Rasa's SQL event broker as a change feed: its ``events`` rows after the last position
    this feed processed (kept in ``ingest_offsets``)."""

    NAME = "sql-broker"

    def __init__(self, ingest: ReviewIngest, broker_url: str) -> None:
        self.ingest = ingest
        self.broker = sa.create_engine(broker_url, future=True)
        self.events = sa.Table("events", sa.MetaData(),
                               sa.Column("id", sa.Integer, primary_key=True),
                               sa.Column("sender_id", sa.String(255)),
                               sa.Column("data", sa.Text))

    def position(self) -> int:
        with self.ingest.db.connect() as conn:
            found = conn.execute(sa.select(ingest_offsets.c.position).where(
                ingest_offsets.c.feed == self.NAME)).scalar()
        return int(found or 0)

    def _save(self, position: int) -> None:
        with self.ingest.db.begin() as conn:
            if not conn.execute(sa.update(ingest_offsets).where(
                    ingest_offsets.c.feed == self.NAME).values(position=position)).rowcount:
                conn.execute(sa.insert(ingest_offsets).values(feed=self.NAME,
                                                              position=position))

    def catch_up(self, limit: int = 5000) -> IngestReport:
        """Process every broker event not processed yet (in chunks of ``limit``)."""
        total = IngestReport()
        if not sa.inspect(self.broker).has_table("events"):
            return total
        while True:
            after = self.position()
            query = (sa.select(self.events.c.id, self.events.c.sender_id)
                     .where(self.events.c.id > after).order_by(self.events.c.id).limit(limit))
            with self.broker.connect() as conn:
                rows = conn.execute(query).all()
            if not rows:
                return total
            report = self.ingest.sync({sender for _, sender in rows if sender})
            total.conversations += report.conversations
            total.events += report.events
            total.sessions += report.sessions
            total.turns += report.turns
            total.seconds += report.seconds
            self._save(rows[-1][0])


def broker_config() -> dict[str, Any]:
    """The event broker of the endpoints file (``PTSP_ENDPOINTS``, else endpoints.yml), with
    ``${VAR}`` expanded; ``{}`` when there is none."""
    path = Path(os.environ.get("PTSP_ENDPOINTS") or ROOT / "endpoints.yml")
    path = path if path.is_absolute() else ROOT / path
    config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {k: _expand(v) for k, v in (config.get("event_broker") or {}).items()}


def broker_db_url(broker: Optional[dict[str, Any]] = None) -> Optional[str]:
    """The SQLAlchemy URL of the SQL event broker: ``PTSP_BROKER_DB_URL``, else the endpoints
    file's ``event_broker`` of type SQL (Rasa's or ours, batched); ``None`` for another broker
    or none."""
    if os.environ.get("PTSP_BROKER_DB_URL"):
        return os.environ["PTSP_BROKER_DB_URL"]
    broker = broker_config() if broker is None else broker
    if str(broker.get("type", "")).lower() not in SQL_BROKER_TYPES:
        return None
    dialect = broker.get("dialect") or "sqlite"
    if dialect == "sqlite":
        db = Path(broker.get("db") or "events.db")
        return f"sqlite:///{db if db.is_absolute() else ROOT / db}"
    return sa.engine.URL.create(
        drivername=dialect, username=broker.get("username") or None,
        password=broker.get("password") or None, host=broker.get("url") or None,
        port=int(broker["port"]) if broker.get("port") else None,
        database=broker.get("db") or None).render_as_string(hide_password=False)
