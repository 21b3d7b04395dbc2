"""Alembic environment: migrations run on the connection review/db.py hands over."""

from __future__ import annotations

from alembic import context

from review.db import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - always run through review.db.migrate
    raise RuntimeError("run migrations through review.db.migrate()")
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
