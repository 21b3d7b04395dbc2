"""Access to the ``events`` table of Rasa's SQL tracker store (SQLite or PostgreSQL)."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any, Iterable, Optional

import sqlalchemy as sa
import yaml

ROOT = Path(__file__).resolve().parent.parent
ENV_VAR = re.compile(r"\$\{([^}:]+)(?::-([^}]*))?\}")

# Event types the review needs; everything else (action executions, ...) is left in the store.
REVIEW_EVENT_TYPES = ("user", "bot", "slot", "session_started")
# Tracker store types that write Rasa's SQL ``events`` table (lower case).
SQL_STORE_TYPES = {"sql", "ptsp_stores.tracker_store.ptspsqltrackerstore"}


def _expand(value: Any) -> Any:
    """Substitute ``${VAR}`` (and ``${VAR:-default}``) like Rasa does in endpoints files."""
    if not isinstance(value, str):
        return value
    return ENV_VAR.sub(lambda m: os.environ.get(m.group(1), m.group(2) or ""), value)


def url_from_endpoints(path: Path) -> str:
    """SQLAlchemy URL of the SQL tracker store configured in a Rasa endpoints file."""
    config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    store = {k: _expand(v) for k, v in (config.get("tracker_store") or {}).items()}
    if str(store.get("type", "")).lower() not in SQL_STORE_TYPES:
        raise ValueError(f"{path}: the review needs an SQL tracker store, got {store.get('type')}")
    dialect = store.get("dialect") or "sqlite"
    if dialect == "sqlite":
        db = Path(store.get("db") or "rasa.db")
        if not db.is_absolute():
            db = ROOT / db
        return f"sqlite:///{db}"
    url = sa.engine.URL.create(
        drivername=dialect,
        username=store.get("username") or None,
        password=store.get("password") or None,
        host=store.get("url") or None,
        port=int(store["port"]) if store.get("port") else None,
        database=store.get("db") or "rasa",
    )
    return url.render_as_string(hide_password=False)


def default_url() -> str:
    """``PTSP_TRACKER_DB_URL`` if set, else the store in ``PTSP_ENDPOINTS`` (endpoints.yml)."""
    if os.environ.get("PTSP_TRACKER_DB_URL"):
        return os.environ["PTSP_TRACKER_DB_URL"]
    endpoints = Path(os.environ.get("PTSP_ENDPOINTS") or ROOT / "endpoints.yml")
    if not endpoints.is_absolute():
        endpoints = ROOT / endpoints
    return url_from_endpoints(endpoints)


class TrackerStore:
    """Reads conversations from, and appends review events to, Rasa's ``events`` table."""

    def __init__(self, url: Optional[str] = None) -> None:
        self.url = url or default_url()
        self.engine = sa.create_engine(self.url, pool_pre_ping=True, future=True)
        self.events = sa.Table(
            "events",
            sa.MetaData(),
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("sender_id", sa.String(255)),
            sa.Column("type_name", sa.String(255)),
            sa.Column("timestamp", sa.Float),
            sa.Column("intent_name", sa.String(255)),
            sa.Column("action_name", sa.String(255)),
            sa.Column("data", sa.Text),
        )

    def exists(self) -> bool:
        """Whether Rasa has created its ``events`` table yet."""
        return sa.inspect(self.engine).has_table("events")

    def sender_ids(self, prefix: str = "") -> list[str]:
        """Every conversation id in the store (only those starting with ``prefix`` if given)."""
        if not self.exists():
            return []
        query = sa.select(self.events.c.sender_id).distinct()
        if prefix:
            escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(self.events.c.sender_id.like(escaped + "%", escape="\\"))
        with self.engine.connect() as conn:
            return sorted(row[0] for row in conn.execute(query))

    def conversations(
        self, sender_ids: Optional[Iterable[str]] = None
    ) -> dict[str, list[dict[str, Any]]]:
        """Events (decoded, oldest first) of the given or of all conversations, by sender id."""
        if not self.exists():
            return {}
        table = self.events
        query = sa.select(table.c.sender_id, table.c.data).where(
            table.c.type_name.in_(REVIEW_EVENT_TYPES)
        )
        if sender_ids is not None:
            query = query.where(table.c.sender_id.in_(list(sender_ids)))
        query = query.order_by(table.c.id)
        result: dict[str, list[dict[str, Any]]] = {}
        with self.engine.connect() as conn:
            for sender_id, data in conn.execute(query):
                try:
                    result.setdefault(sender_id, []).append(json.loads(data))
                except (TypeError, ValueError):
                    continue  # a damaged row must not hide the rest of the conversation
        return result

    def append_slot_events(self, sender_id: str, slot: str, values: list[Any]) -> int:
        """Append ``slot`` events (Rasa's own JSON shape) to a conversation; returns the count."""
        rows = []
        for value in values:
            now = time.time()
            data = {"event": "slot", "timestamp": now, "name": slot, "value": value,
                    "metadata": {"source": "review"}}
            rows.append({"sender_id": sender_id, "type_name": "slot", "timestamp": now,
                         "intent_name": None, "action_name": None, "data": json.dumps(data)})
        if rows:
            with self.engine.begin() as conn:
                conn.execute(sa.insert(self.events), rows)
        return len(rows)
