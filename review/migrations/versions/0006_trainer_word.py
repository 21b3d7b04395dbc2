"""The trainer's word reaches the trainee: a trainer's verdict on a visit (replacing the
machine's), and, per note on a reply, when its trainee read it and their one answer.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "verdict_overrides",
        sa.Column("session_id", sa.String(300), primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("visit", sa.Integer, nullable=False),
        sa.Column("passed", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("trainer", sa.String(120), nullable=False),
        sa.Column("updated", sa.Float, nullable=False),
    )
    op.create_index("ix_verdict_overrides_sender", "verdict_overrides", ["sender_id"])
    with op.batch_alter_table("turn_notes") as batch:
        batch.add_column(sa.Column("read_at", sa.Float))
        batch.add_column(sa.Column("trainee_reply", sa.Text))
        batch.add_column(sa.Column("trainee_reply_at", sa.Float))


def downgrade() -> None:
    with op.batch_alter_table("turn_notes") as batch:
        batch.drop_column("trainee_reply_at")
        batch.drop_column("trainee_reply")
        batch.drop_column("read_at")
    op.drop_index("ix_verdict_overrides_sender", "verdict_overrides")
    op.drop_table("verdict_overrides")
