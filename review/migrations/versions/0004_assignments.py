"""Assignments: scenarios a trainer sets for a trainee or a unit, with a due date and mode.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("trainee_id", sa.String(255)),
        sa.Column("unit", sa.String(120)),
        sa.Column("scenarios", sa.Text, nullable=False),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("due", sa.String(10), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("archived", sa.Boolean, nullable=False),
    )
    op.create_index("ix_assignments_trainee", "assignments", ["trainee_id"])
    op.create_index("ix_assignments_unit", "assignments", ["unit"])


def downgrade() -> None:
    op.drop_index("ix_assignments_unit", "assignments")
    op.drop_index("ix_assignments_trainee", "assignments")
    op.drop_table("assignments")
