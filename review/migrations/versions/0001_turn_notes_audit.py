"""Trainers' notes on replies (comment, score override) and the audit log.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "turn_notes",
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
        sa.UniqueConstraint("sender_id", "visit", "turn", "trainer",
                            name="uq_turn_notes_author"),
    )
    op.create_index("ix_turn_notes_sender", "turn_notes", ["sender_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ts", sa.Float, nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("detail", sa.Text),
    )
    op.create_index("ix_audit_log_ts", "audit_log", ["ts"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_ts", "audit_log")
    op.drop_table("audit_log")
    op.drop_index("ix_turn_notes_sender", "turn_notes")
    op.drop_table("turn_notes")
