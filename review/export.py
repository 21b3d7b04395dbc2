"""CSV and JSON exports of sessions and turns (the CLI and the review pages share them)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any, Iterable, Mapping

from actions.catalog import DIMENSIONS
from actions.cleaning import exportable
from actions.visits import Visit
from review import export_people as people
from review.notes import Note, TurnKey, attach, latest

# one score per visit: ``visit_score`` is the debrief's (it decides the verdict), beside the
# replies' mean; the dimensions are the replies' means; ``verdict_by``: machine or trainer
SESSION_COLUMNS = [
    "id", "trainee_id", "trainee_name", "unit", "scenario", "exam_mode", "started",
    "duration_seconds",
    "turns", "scored_turns", "finished", "visit_score", "reply_mean", "passed", "fail_reasons",
    "verdict_by", "reason", "ended_by", "final_mood",
    *(d for d in DIMENSIONS if d != "overall"),
]
TURN_COLUMNS = [
    "session_id", "trainee_id", "scenario", "exam_mode", "turn", "time", "reply", "move",
    "move_label", "customer_turn",
    "citizen_answer", "mood_before", "mood_after", "scored", "rescored", "scorer_version",
    *DIMENSIONS, "tips",
    "evidence", "trainer_scores", "trainer_comment",
]
FORMATS = ("csv", "json", "xlsx")
SEPARATORS = {",": ",", ";": ";", "tab": "\t", "\t": "\t"}
Notes = Mapping[TurnKey, list[Note]]


Detail = Mapping[str, Any]  # a session as Visit.detail() gives it (and the review store keeps)


def _details(sessions: Iterable[Visit | Detail]) -> list[Detail]:
    return [s.detail() if isinstance(s, Visit) else s for s in sessions]


def session_json(session: Visit | Detail, notes: Notes | None = None) -> dict[str, Any]:
    """A session with its turns, as exported (the README documents this shape)."""
    detail = attach(json.loads(json.dumps(_details([session])[0])), notes or {})
    detail.pop("transcript", None)
    for turn in detail["turns"]:
        turn.pop("trainer_notes", None)
    return detail


def turn_dicts(sessions: Iterable[Visit | Detail], notes: Notes | None = None
               ) -> list[dict[str, Any]]:
    """Every clerk turn with its session's keys and the trainers' notes (JSON shape)."""
    return [{"session_id": d["id"], "trainee_id": d["trainee_id"], "scenario": d["scenario"],
             "exam_mode": d["exam_mode"], **t,
             **latest((notes or {}).get((d["sender_id"], d["visit"], t["turn"]), []))}
            for d in _details(sessions) for t in d["turns"]]


def turn_rows(sessions: Iterable[Visit | Detail], notes: Notes | None = None
              ) -> list[dict[str, Any]]:
    """One flat row per clerk turn."""
    rows = []
    for row in turn_dicts(sessions, notes):
        row = exportable(row)
        tips = row["tips"] if isinstance(row["tips"], list) else []
        evidence = row["evidence"] if isinstance(row["evidence"], list) else []
        rows.append({
            **row,
            "tips": " | ".join(str(t) for t in tips),
            "evidence": "; ".join(
                f"{e.get('label') or 'penilaian'}:{e.get('effect')}"
                for e in evidence if isinstance(e, dict)),
        })
    return rows


FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%", "\uff1d", "\uff0b",
                 "\uff0d", "\uff20")


def _safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text (CSV/formula injection), whatever the
    separator: a text cell whose first non-blank character could start a formula gets a
    leading apostrophe. Numbers stay numbers; lists and dicts are written as JSON."""
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.lstrip(" \u00a0").startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(rows: list[dict[str, Any]], columns: list[str], sep: str = ",") -> str:
    """Rows as CSV text (UTF-8, header line first); ``sep`` ``;`` for Indonesian Excel."""
    if sep not in SEPARATORS:
        raise ValueError("separator must be ',', ';' or 'tab'")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore",
                            delimiter=SEPARATORS[sep])
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _safe_cell(row.get(k)) for k in columns})
    return buffer.getvalue()


def to_xlsx(rows: list[dict[str, Any]], columns: list[str], title: str) -> bytes:
    """Rows as an Excel workbook (one sheet); every text cell is stored as text, never a
    formula."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(columns)
    for row in rows:
        cells = []
        for key in columns:
            value = _safe_cell(row.get(key))
            cells.append(value if value is None or isinstance(value, (int, float))
                         else str(value))
        sheet.append(cells)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, even if it looks like a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def people_csv(headers: list[str], values: list[list[Any]], sep: str) -> str:
    """The export for people as CSV text (header line first)."""
    if sep not in SEPARATORS:
        raise ValueError("separator must be ',', ';' or 'tab'")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=SEPARATORS[sep])
    writer.writerow(headers)
    for row in values:
        writer.writerow([_safe_cell(people.csv_value(v)) for v in row])
    return buffer.getvalue()


def people_xlsx(headers: list[str], values: list[list[Any]], widths: list[int],
                title: str) -> bytes:
    """The export for people as a workbook: real dates, numbers as numbers, text never a
    formula, the header row frozen with filters, column widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in values:
        sheet.append([v if v is None or isinstance(v, (int, float, datetime)) else
                      str(_safe_cell(v)) for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # text, even if it looks like a formula
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, sheet.max_row)}"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export(sessions: list[Visit] | list[Detail], fmt: str, what: str = "sessions",
           sep: str = ",", notes: Notes | None = None, raw: bool = False) -> str | bytes:
    """Export ``sessions`` or ``turns`` as ``csv``, ``json`` (text) or ``xlsx`` (bytes).

    ``sessions``: visits, or their details as the review store keeps them. CSV and Excel are
    for people (Indonesian headers and values, local time) unless ``raw`` (the machine format:
    snake_case keys, JSON values, UTC); JSON is always the machine format.
    """
    if fmt not in FORMATS or what not in ("sessions", "turns"):
        raise ValueError("format must be csv|json|xlsx and what sessions|turns")
    sessions = _details(sessions)
    if fmt != "json" and not raw:
        rows = sessions if what == "sessions" else [exportable(t)
                                                    for t in turn_dicts(sessions, notes)]
        headers, values, widths = people.table(rows, what)
        if fmt == "xlsx":
            return people_xlsx(headers, values, widths, "Kunjungan" if what == "sessions"
                               else "Balasan")
        return people_csv(headers, values, sep)
    if fmt == "json":
        payload: Any = ([session_json(s, notes) for s in sessions] if what == "sessions"
                        else turn_dicts(sessions, notes))
        return json.dumps(exportable(payload), ensure_ascii=False, indent=2)
    rows = ([{**d, "turns": len(d["turns"]) if isinstance(d.get("turns"), list) else d.get("turns"),
              "fail_reasons": " | ".join(str(r) for r in d.get("fail_reasons") or [])}
             for d in sessions] if what == "sessions" else turn_rows(sessions, notes))
    columns = SESSION_COLUMNS if what == "sessions" else TURN_COLUMNS
    if fmt == "xlsx":
        return to_xlsx(rows, columns, what)
    return to_csv(rows, columns, sep)
