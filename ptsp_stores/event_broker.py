"""Rasa's SQL event broker, writing a turn's events in one transaction.

``rasa.core.brokers.sql.SQLEventBroker`` commits every event on its own: about ten commits per
clerk turn, which on SQLite (one fsync each) added ~15 ms to every turn (measured: p50 24-27 ms
without the broker, 39-42 ms with it). This subclass keeps the same table and rows but buffers
the events Rasa publishes while it saves a tracker and writes them together as soon as the
save is done (``loop.call_soon``: before the answer goes out), and opens SQLite in WAL mode
with ``synchronous=NORMAL``. The broker is the review store's change feed (review/ingest.py),
and the review store can always be rebuilt from the tracker store (``python -m review
rebuild``), so a write lost to a power cut costs nothing that cannot be recovered.

Select it in endpoints.yml with ``type: ptsp_stores.event_broker.BatchedSQLEventBroker`` (every
key of ``type: SQL`` applies).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Dict, List

import sqlalchemy as sa
from rasa.core.brokers.sql import SQLEventBroker

logger = logging.getLogger(__name__)


class BatchedSQLEventBroker(SQLEventBroker):
    """Same ``events`` table as Rasa's SQL broker; one commit per saved tracker."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending: List[Dict[str, Any]] = []
        self._scheduled = False
        if self.engine.dialect.name == "sqlite":
            # one kept connection (SQLAlchemy 1.4 opens a new one per session for a SQLite
            # file), in WAL mode with synchronous=NORMAL: a commit without an fsync
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=1,
                                           max_overflow=2,
                                           connect_args={"check_same_thread": False})
            sa.event.listen(self.engine, "connect", _sqlite_wal)
            self.sessionmaker.configure(bind=self.engine)

    def publish(self, event: Dict[str, Any]) -> None:
        self._pending.append(event)
        if self._scheduled:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (a script): write at once
            self.flush()
            return
        self._scheduled = True
        loop.call_soon(self.flush)

    def flush(self) -> None:
        """Write every buffered event in one transaction."""
        self._scheduled = False
        events, self._pending = self._pending, []
        if not events:
            return
        try:
            with self.session_scope() as session:
                session.add_all([self.SQLBrokerEvent(sender_id=e.get("sender_id"),
                                                      data=json.dumps(e)) for e in events])
                session.commit()
        except Exception:  # noqa: BLE001 - the review store can be rebuilt; Rasa goes on
            logger.exception("could not write %d events to the event broker", len(events))

    async def close(self) -> None:
        self.flush()


def _sqlite_wal(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
