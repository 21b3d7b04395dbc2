"""Assignments: a trainer sets scenarios (one, or a sequence) for a trainee or for every
trainee of a unit, in practice or exam mode, with a due date.

Assignments go to trainees of the roster (exact employee ID, before their first visit too) or
to a managed unit (every trainee the roster puts there). An item is done by the first
*finished*, *signed-in* visit of that scenario the trainee starts after the assignment was made
(a REST script or an open-practice visit under the same ID never counts) — in exam mode only
an exam visit counts; passed tells whether that visit passed. Progress is read from the review
store.
"""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timezone
from typing import Any, Optional

import sqlalchemy as sa

from actions import catalog
from review import roster
from review.db import assignments, engine, sessions
from review.db import roster as roster_table

MODES = ("practice", "exam")
MAX_SCENARIOS = 10


def create(created_by: str, scenarios: Any, mode: Any, due: Any,
           trainee_id: Optional[str] = None, unit: Optional[str] = None, note: Any = None,
           url: Optional[str] = None) -> dict[str, Any]:
    """A new assignment; ``ValueError`` (Indonesian) for anything invalid."""
    known = set(catalog.scenario_ids())
    if not isinstance(scenarios, list) or not scenarios or len(scenarios) > MAX_SCENARIOS or \
            not all(isinstance(s, str) and s in known for s in scenarios):
        raise ValueError(f"Pilih 1–{MAX_SCENARIOS} skenario dari daftar.")
    if mode not in MODES:
        raise ValueError("Mode harus latihan atau ujian.")
    if not isinstance(due, str):
        raise ValueError("Tanggal tenggat wajib diisi (YYYY-MM-DD).")
    try:
        day = date.fromisoformat(due)
    except ValueError as exc:
        raise ValueError("Tanggal tenggat tidak valid (YYYY-MM-DD).") from exc
    trainee_id = (trainee_id or "").strip() or None
    unit = (unit or "").strip() or None
    if (trainee_id is None) == (unit is None):
        raise ValueError("Tugaskan kepada satu peserta (ID) atau satu unit.")
    if trainee_id is not None:
        enrolled = roster.entry(trainee_id, url)
        if enrolled is None:
            raise ValueError(f"Peserta {trainee_id} belum terdaftar. Daftarkan dulu di "
                             "halaman Peserta.")
        trainee_id = enrolled["id"]
    if unit is not None:
        unit = roster.canonical_unit(unit, url)
        if unit is None:
            raise ValueError("Unit tidak ada dalam daftar unit kerja.")
    if note is not None and (not isinstance(note, str) or len(note) > 500):
        raise ValueError("Catatan paling banyak 500 karakter.")
    row = {"created_by": created_by[:120], "trainee_id": trainee_id,
           "unit": unit[:120] if unit else None, "scenarios": json.dumps(scenarios),
           "mode": mode, "due": day.isoformat(), "note": (note or "").strip() or None,
           "created": time.time(), "archived": False}
    with engine(url).begin() as conn:
        row["id"] = conn.execute(sa.insert(assignments).values(**row)).inserted_primary_key[0]
    return _shown(row)


def scope_unit(assignment: dict[str, Any], url: Optional[str] = None) -> str:
    """The unit an assignment belongs to: its own, or its trainee's in the roster."""
    return assignment.get("unit") or roster.unit_of(assignment.get("trainee_id") or "", url) \
        or ""


def find(assignment_id: int, url: Optional[str] = None) -> Optional[dict[str, Any]]:
    with engine(url).connect() as conn:
        row = conn.execute(sa.select(assignments).where(assignments.c.id == assignment_id)
                           ).first()
    return _shown(row) if row is not None else None


def archive(assignment_id: int, url: Optional[str] = None) -> bool:
    with engine(url).begin() as conn:
        return bool(conn.execute(sa.update(assignments).where(
            assignments.c.id == assignment_id).values(archived=True)).rowcount)


def _shown(row: Any) -> dict[str, Any]:
    data = dict(row._mapping) if hasattr(row, "_mapping") else dict(row)
    data["scenarios"] = json.loads(data["scenarios"])
    data["titles"] = [catalog.scenario_title(s) for s in data["scenarios"]]
    return data


def _due_end(due: str) -> float:
    day = date.fromisoformat(due)
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp() + 86400


def progress_of(assignment: dict[str, Any], trainee_id: str, url: Optional[str] = None
                ) -> list[dict[str, Any]]:
    """Each scenario of the assignment for one trainee: done (and passed, on time) or not.

    An exam has one attempt: the first exam visit started is it, and while it is open the
    item is in progress (leaving a bad attempt open and starting again does not erase it)."""
    exam = assignment["mode"] == "exam"
    query = sa.select(sessions.c.scenario, sessions.c.passed, sessions.c.started,
                      sessions.c.id, sessions.c.finished).where(
        sessions.c.trainee_id == trainee_id, sessions.c.signed_in.is_(True),
        sessions.c.started >= assignment["created"]).order_by(sessions.c.started)
    query = query.where(sessions.c.exam_mode.is_(True)) if exam else \
        query.where(sessions.c.finished.is_(True))
    with engine(url).connect() as conn:
        visits = conn.execute(query).all()
    items = []
    for scenario in assignment["scenarios"]:
        first = next((v for v in visits if v.scenario == scenario), None)
        if first is not None and not first.finished:  # the exam attempt is still open
            items.append({"scenario": scenario, "title": catalog.scenario_title(scenario),
                          "done": False, "in_progress": True, "passed": None,
                          "on_time": False, "session_id": first.id})
            continue
        items.append({"scenario": scenario, "title": catalog.scenario_title(scenario),
                      "done": first is not None, "in_progress": False,
                      "passed": bool(first.passed) if first is not None else None,
                      "on_time": first is not None and first.started <= _due_end(
                          assignment["due"]),
                      "session_id": first.id if first is not None else None})
    return items


def for_trainee(trainee_id: str, unit: Optional[str], url: Optional[str] = None
                ) -> list[dict[str, Any]]:
    """A trainee's open assignments (their own and their unit's), with their progress."""
    clauses = [assignments.c.trainee_id == trainee_id]
    if unit:
        clauses.append(assignments.c.unit == unit)  # the roster's listed spelling
    query = sa.select(assignments).where(assignments.c.archived.is_(False), sa.or_(*clauses)
                                         ).order_by(assignments.c.due, assignments.c.id)
    with engine(url).connect() as conn:
        rows = [_shown(r) for r in conn.execute(query)]
    for row in rows:
        row["items"] = progress_of(row, trainee_id, url)
        row["overdue"] = time.time() > _due_end(row["due"]) and not all(
            i["done"] for i in row["items"])
    return rows


def listing(units: Optional[tuple[str, ...]] = None, url: Optional[str] = None
            ) -> list[dict[str, Any]]:
    """Open assignments with every assigned trainee's progress (a unit's: its trainees in the
    roster). ``units``: only those of a trainer's units."""
    query = sa.select(assignments).where(assignments.c.archived.is_(False)).order_by(
        assignments.c.due.desc(), assignments.c.id.desc())
    with engine(url).connect() as conn:
        rows = [_shown(r) for r in conn.execute(query)]
        members = conn.execute(sa.select(roster_table.c.employee_id, roster_table.c.unit,
                                         roster_table.c.name)).all()
    unit_trainees: dict[str, list[str]] = {}
    for employee_id, unit, _ in members:
        unit_trainees.setdefault(unit.casefold(), []).append(employee_id)
    trainee_units = {employee_id: unit for employee_id, unit, _ in members}
    names = {employee_id: name for employee_id, _, name in members}
    allowed = {u.lower() for u in units} if units is not None else None
    shown = []
    for row in rows:
        scope_unit = row["unit"] or trainee_units.get(row["trainee_id"]) or ""
        if allowed is not None and scope_unit.lower() not in allowed:
            continue
        people = sorted(unit_trainees.get(row["unit"].casefold(), [])) if row["unit"] else \
            [row["trainee_id"]]
        row["trainees"] = [{"trainee_id": t, "name": names.get(t),
                            "items": progress_of(row, t, url)} for t in people]
        shown.append(row)
    return shown
