"""Re-score stored turns after the rubric changed, or fill in turns that went unscored.

Old scores are kept: the live ``turn_record`` events are never changed. Each re-score is
appended to the conversation as a ``turn_rescore`` slot event (``visit``, ``turn``, ``scores``,
``scorer_version``, ``rescored_at``); the review shows the newest scores of a turn.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Optional

from actions.visits import Visit, VisitTurn, build_visits
from review.store import TrackerStore


@dataclass
class RescoreReport:
    """What one rescore run did."""

    sessions: int = 0
    turns_seen: int = 0
    rescored: int = 0
    skipped: int = 0


def _needs_score(turn: VisitTurn, everything: bool, version: str) -> bool:
    scores = turn.scores
    if scores is None:
        return True
    return everything and scores.get("version") != version


def score_turn(session: Visit, turn: VisitTurn) -> dict[str, Any]:
    """The current scorer's scores of a stored turn (its context as stored)."""
    from actions.scoring import score_reply

    record = turn.record or {}
    hour = session.citizen.get("visit_hour")
    return score_reply(
        turn.reply,
        customer_turn=record.get("customer_turn", turn.customer_turn),
        scenario=session.scenario,
        move=record.get("move") or turn.move,
        honorific=session.citizen.get("citizen_honorific"),
        latency_seconds=record.get("latency_seconds"),
        hour=int(hour) if hour is not None else None,
    )


def rescore(
    store: TrackerStore,
    everything: bool = False,
    sender_ids: Optional[list[str]] = None,
    dry_run: bool = False,
) -> RescoreReport:
    """Score unscored turns (``everything``: also turns scored by another rubric version)."""
    from actions.scoring import SCORER_VERSION

    report = RescoreReport()
    conversations = store.conversations(sender_ids)
    for session in build_visits(conversations):
        report.sessions += 1
        values = []
        for turn in session.turns:
            report.turns_seen += 1
            if not _needs_score(turn, everything, SCORER_VERSION):
                report.skipped += 1
                continue
            values.append({
                "visit": session.index, "turn": turn.number, "scores": score_turn(session, turn),
                "scorer_version": SCORER_VERSION, "rescored_at": time.time(),
            })
        report.rescored += len(values)
        if values and not dry_run:
            store.append_slot_events(session.sender_id, "turn_rescore", values)
    return report
