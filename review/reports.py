"""Queries over sessions: filtering, sorting, a trainee's progress and the cohort view."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timezone
from typing import Any, Iterable, Optional

from actions.catalog import DIMENSION_LABELS, DIMENSIONS
from actions.turn_record import mean_scores
from actions.visits import Visit

SORT_KEYS = {"started", "trainee_id", "scenario", "duration_seconds", "turns", "passed",
             *DIMENSIONS}


def parse_day(value: Optional[str], end: bool = False) -> Optional[float]:
    """``YYYY-MM-DD`` (or a full ISO timestamp) as a Unix timestamp; ``None`` if empty.

    Raises ``ValueError`` with a readable message for anything else.
    """
    if not value:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            moment = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
            return moment.timestamp() + (86400 if end else 0)
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"tanggal tidak valid: {value!r} (format YYYY-MM-DD)") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def filter_sessions(
    sessions: Iterable[Visit],
    trainee: Optional[str] = None,
    scenario: Optional[str] = None,
    since: Optional[str] = None,
    until: Optional[str] = None,
) -> list[Visit]:
    """Sessions of one trainee / scenario / date range (dates inclusive, UTC)."""
    start, end = parse_day(since), parse_day(until, end=True)
    chosen = []
    for session in sessions:
        if trainee and session.trainee_id != trainee:
            continue
        if scenario and session.scenario != scenario:
            continue
        if start is not None and (session.started or 0) < start:
            continue
        if end is not None and (session.started or 0) >= end:
            continue
        chosen.append(session)
    return chosen


def sort_rows(rows: list[dict[str, Any]], key: str = "started", descending: bool = True
              ) -> list[dict[str, Any]]:
    """Sort summary rows; empty values always go last."""
    if key not in SORT_KEYS:
        raise ValueError(f"kolom urut tidak dikenal: {key}")
    present = [r for r in rows if r.get(key) is not None]
    missing = [r for r in rows if r.get(key) is None]
    present.sort(key=lambda r: r[key], reverse=descending)
    return present + missing


def progress(sessions: Iterable[Visit]) -> dict[str, Any]:
    """A trainee's sessions in time order with their averages (the progress chart's data)."""
    ordered = sorted(sessions, key=lambda s: s.started or 0)
    points = [s.summary() for s in ordered if any(t.scores for t in s.turns)]
    first = points[0] if points else None
    return {
        "trainee_id": ordered[0].trainee_id if ordered else None,
        "trainee_name": next((s.trainee_name for s in ordered if s.trainee_name), None),
        "sessions": len(ordered),
        "passed": sum(1 for s in ordered if (s.debrief or {}).get("passed")),
        "points": [
            {"id": p["id"], "started": p["started"], "scenario": p["scenario"],
             "passed": p["passed"], **{k: p[k] for k in DIMENSIONS}}
            for p in points
        ],
        "first_overall": first["overall"] if first else None,
        "last_overall": points[-1]["overall"] if points else None,
    }


def cohort(sessions: Iterable[Visit]) -> dict[str, Any]:
    """Cohort view: averages per dimension and per scenario, weakest dimension, common tips."""
    sessions = list(sessions)
    scores = [t.scores for s in sessions for t in s.turns if t.scores]
    per_dimension = mean_scores(scores)
    per_scenario: dict[str, Any] = {}
    for scenario in sorted({s.scenario for s in sessions if s.scenario}):
        mine = [s for s in sessions if s.scenario == scenario]
        turn_scores = [t.scores for s in mine for t in s.turns if t.scores]
        finished = [s for s in mine if s.debrief]
        per_scenario[scenario] = {
            "sessions": len(mine),
            "pass_rate": round(100 * sum(1 for s in finished if s.debrief.get("passed"))
                               / len(finished)) if finished else None,
            **mean_scores(turn_scores),
        }
    rated = {k: v for k, v in per_dimension.items() if k != "overall" and v is not None}
    weakest = min(rated, key=rated.get) if rated else None
    tips = Counter(tip for sc in scores for tip in
                   (sc.get("tips") if isinstance(sc.get("tips"), list) else [])
                   if isinstance(tip, str))
    trainees = {s.trainee_id for s in sessions if s.trainee_id}
    return {
        "sessions": len(sessions),
        "trainees": len(trainees),
        "scored_turns": len(scores),
        "per_dimension": per_dimension,
        "per_scenario": per_scenario,
        "weakest_dimension": weakest,
        "weakest_dimension_label": DIMENSION_LABELS.get(weakest) if weakest else None,
        "common_tips": [{"tip": tip, "count": n} for tip, n in tips.most_common(5)],
    }
