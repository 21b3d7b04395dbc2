"""CSV and JSON exports of sessions and turns (the CLI and the review pages share them)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterable

from actions.catalog import DIMENSIONS
from actions.cleaning import exportable
from actions.visits import Visit

SESSION_COLUMNS = [
    "id", "trainee_id", "trainee_name", "scenario", "exam_mode", "started", "duration_seconds",
    "turns", "scored_turns", "finished", "passed", "reason", "ended_by", "final_mood",
    *DIMENSIONS,
]
TURN_COLUMNS = [
    "session_id", "trainee_id", "scenario", "turn", "time", "reply", "move", "move_label",
    "customer_turn",
    "citizen_answer", "mood_before", "mood_after", "scored", "rescored", *DIMENSIONS, "tips",
    "evidence",
]


def session_json(session: Visit) -> dict[str, Any]:
    """A session with its turns, as exported (the README documents this shape)."""
    detail = session.detail()
    detail.pop("transcript", None)
    return detail


def turn_rows(sessions: Iterable[Visit]) -> list[dict[str, Any]]:
    """One flat row per clerk turn."""
    rows = []
    for session in sessions:
        for turn in session.turns:
            row = exportable(turn.as_dict())
            tips = row["tips"] if isinstance(row["tips"], list) else []
            evidence = row["evidence"] if isinstance(row["evidence"], list) else []
            rows.append(exportable({
                "session_id": session.id, "trainee_id": session.trainee_id,
                "scenario": session.scenario, **row,
                "tips": " | ".join(str(t) for t in tips),
                "evidence": "; ".join(
                    f"{e.get('label') or 'penilaian'}:{e.get('effect')}"
                    for e in evidence if isinstance(e, dict)),
            }))
    return rows


def _safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in free text (CSV injection); lists/dicts as JSON."""
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """Rows as CSV text (UTF-8, header line first)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _safe_cell(row.get(k)) for k in columns})
    return buffer.getvalue()


def export(sessions: list[Visit], fmt: str, what: str = "sessions") -> str:
    """Export ``sessions`` or ``turns`` as ``csv`` or ``json`` text."""
    if fmt not in ("csv", "json") or what not in ("sessions", "turns"):
        raise ValueError("format must be csv|json and what sessions|turns")
    if fmt == "json":
        if what == "sessions":
            payload: Any = [session_json(s) for s in sessions]
        else:
            payload = [
                {"session_id": s.id, "trainee_id": s.trainee_id, "scenario": s.scenario,
                 **t.as_dict()} for s in sessions for t in s.turns
            ]
        return json.dumps(exportable(payload), ensure_ascii=False, indent=2)
    if what == "sessions":
        return to_csv([s.summary() for s in sessions], SESSION_COLUMNS)
    return to_csv(turn_rows(sessions), TURN_COLUMNS)
