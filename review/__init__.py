"""Trainer review over the Rasa tracker store: sessions, turns, progress, exports, re-scoring.

Everything here reads (and, for ``rescore``, appends to) the ``events`` table that Rasa's own
SQL tracker store writes: SQLite in the embedded default, PostgreSQL in production. There is no
second database.
"""
