"""Assignments that certify: a pass mark (visit score), an attempt limit and, for an exam,
how many months the certificate it gives is valid.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assignments") as batch:
        batch.add_column(sa.Column("pass_mark", sa.Integer))
        batch.add_column(sa.Column("attempts", sa.Integer))
        batch.add_column(sa.Column("valid_months", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("assignments") as batch:
        batch.drop_column("valid_months")
        batch.drop_column("attempts")
        batch.drop_column("pass_mark")
