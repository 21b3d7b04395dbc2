"""SQL tracker store that survives a PostgreSQL restart.

Rasa 3.6's ``SQLTrackerStore`` creates its SQLAlchemy engine without ``pool_pre_ping``. After
PostgreSQL restarts, every connection left in the pool is dead, and the first request on each
fails. Rasa wraps the store in ``FailSafeTrackerStore``, which does not retry: a failed
``retrieve`` returns "no tracker", so the replica answers as if the visit had just begun and
then saves the turn into an in-memory fallback store, not into PostgreSQL.

``PtspSQLTrackerStore`` does everything ``SQLTrackerStore`` does (same URL, same engine kwargs
from ``create_engine_kwargs``: SQL_POOL_SIZE, SQL_MAX_OVERFLOW, POSTGRESQL_SCHEMA; same table;
the same wait for the database at start-up) and then rebuilds the engine with
``pool_pre_ping=True``: each connection is tested (``SELECT 1``) when it leaves the pool and
replaced transparently if the server closed it.

Select it in an endpoints file (all the keys of ``type: SQL`` apply unchanged)::

    tracker_store:
      type: ptsp_stores.tracker_store.PtspSQLTrackerStore
      dialect: postgresql
      url: ${DB_HOST}
      ...

Rasa imports the class with ``class_from_module_path`` and calls it with ``host=<url>``,
``domain``, ``event_broker`` and the remaining keys. If the import fails, Rasa only warns and
falls back to an in-memory store, so ``rasa run`` must start in the project root (it puts the
working directory on ``sys.path``), as scripts/run_prod.sh and the Docker image do.
"""

from __future__ import annotations

from typing import Any, Optional

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs, validate_port
from rasa.shared.core.domain import Domain


class PtspSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` whose connection pool checks connections before use."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        dialect: str = "sqlite",
        host: Optional[str] = None,
        port: Optional[int] = None,
        db: str = "rasa.db",
        username: Optional[str] = None,
        password: Optional[str] = None,
        event_broker: Optional[EventBroker] = None,
        login_db: Optional[str] = None,
        query: Optional[dict] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            domain=domain, dialect=dialect, host=host, port=port, db=db, username=username,
            password=password, event_broker=event_broker, login_db=login_db, query=query,
            **kwargs,
        )
        # The URL Rasa built (as in SQLTrackerStore.__init__) decides the engine kwargs; the
        # engine's own URL is the database actually used (`db`, also when `login_db` is set).
        rasa_url = self.get_db_url(
            dialect, host, validate_port(port), db, username, password, login_db, query
        )
        url = self.engine.url
        previous = self.engine
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(rasa_url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        previous.dispose()  # the start-up connection of Rasa's own engine
