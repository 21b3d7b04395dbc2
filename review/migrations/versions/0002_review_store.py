"""The review store: sessions, turns and trainees, fed by Rasa's event broker.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SCORES = ("politeness", "clarity", "responsiveness", "overall")


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(300), primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("visit", sa.Integer, nullable=False),
        sa.Column("trainee_id", sa.String(255)),
        sa.Column("trainee_name", sa.String(255)),
        sa.Column("web", sa.Boolean, nullable=False),
        sa.Column("scenario", sa.String(80)),
        sa.Column("exam_mode", sa.Boolean, nullable=False),
        sa.Column("started", sa.Float),
        sa.Column("duration_seconds", sa.Integer),
        sa.Column("turns", sa.Integer, nullable=False),
        sa.Column("finished", sa.Boolean, nullable=False),
        sa.Column("passed", sa.Boolean),
        *[sa.Column(name, sa.Integer) for name in SCORES],
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_sessions_started", "sessions", ["started"])
    op.create_index("ix_sessions_trainee", "sessions", ["trainee_id", "started"])
    op.create_index("ix_sessions_scenario", "sessions", ["scenario", "started"])
    op.create_index("ix_sessions_sender", "sessions", ["sender_id"])
    op.create_table(
        "turns",
        sa.Column("session_id", sa.String(300), primary_key=True),
        sa.Column("turn", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("trainee_id", sa.String(255)),
        sa.Column("scenario", sa.String(80)),
        sa.Column("started", sa.Float),
        sa.Column("reply", sa.Text, nullable=False),
        *[sa.Column(name, sa.Integer) for name in SCORES],
        sa.Column("reading", sa.Text),
        sa.Column("data", sa.Text, nullable=False),
    )
    op.create_index("ix_turns_sender", "turns", ["sender_id"])
    op.create_index("ix_turns_trainee", "turns", ["trainee_id"])
    op.create_table(
        "trainees",
        sa.Column("trainee_id", sa.String(255), primary_key=True),
        sa.Column("name", sa.String(255)),
        sa.Column("web", sa.Boolean, nullable=False),
        sa.Column("sessions", sa.Integer, nullable=False),
        sa.Column("last_started", sa.Float),
    )
    op.create_index("ix_trainees_name", "trainees", ["name"])
    op.create_table(
        "ingest_offsets",
        sa.Column("feed", sa.String(80), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ingest_offsets")
    op.drop_index("ix_trainees_name", "trainees")
    op.drop_table("trainees")
    op.drop_index("ix_turns_trainee", "turns")
    op.drop_index("ix_turns_sender", "turns")
    op.drop_table("turns")
    for name in ("ix_sessions_sender", "ix_sessions_scenario", "ix_sessions_trainee",
                 "ix_sessions_started"):
        op.drop_index(name, "sessions")
    op.drop_table("sessions")
