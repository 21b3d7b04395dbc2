"""Assignments: a trainer sets scenarios (one, or a sequence) for a trainee or for every
trainee of a unit, in practice or exam mode, with a due date — and, optionally, a pass mark,
an attempt limit and (exam) how long the certificate it gives stays valid.

Assignments go to trainees of the roster (exact employee ID, before their first visit too) or
to a managed unit (every trainee the roster puts there). Only *signed-in* visits the trainee
starts after the assignment was made count (a REST script or an open-practice visit under the
same ID never does); in exam mode only exam visits. Per scenario:

* the attempts that count are the first ``attempts_allowed`` visits: finished visits in
  practice (every one when no limit is set), exam visits *started* in an exam (1 unless the
  trainer allows more; an open attempt stays one — starting again erases nothing);
* a visit passes when its verdict (the machine's, or the trainer's) says so and, when the
  assignment has a pass mark, its visit score is at least the mark; the item passed when one
  of its counted attempts passed; it is done once a counted attempt finished;
* the assignment is complete when every item is done (``completed_at``: when the last one
  was); a passed exam (every item passed) gives a certificate, valid ``valid_months`` from the
  day it was passed.

Progress is read from the review store.
"""

from __future__ import annotations

import calendar
import json
import time
from datetime import date, datetime, timedelta, timezone
from typing import Any, Optional
from urllib.parse import quote

import sqlalchemy as sa

from actions import catalog
from actions.visits import iso
from review import export_people as people
from review import roster
from review.db import assignments, engine, sessions
from review.db import roster as roster_table

MODES = ("practice", "exam")
MAX_SCENARIOS = 10
MAX_ATTEMPTS = 20
MAX_VALID_MONTHS = 120
DUE_SOON_DAYS = 2  # due today, tomorrow or the day after, and not complete
EXPIRY_WARNING_DAYS = 30


def _office_tz() -> timezone:
    """The office's zone for the dates a certificate shows (PTSP_TIMEZONE: WIB, WITA, WIT)."""
    return people.zone()[1]


def _whole(value: Any, low: int, high: int, message: str) -> Optional[int]:
    """An optional whole number in [low, high] (a form may send it as text)."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(message)
    return value


def create(created_by: str, scenarios: Any, mode: Any, due: Any,
           trainee_id: Optional[str] = None, unit: Optional[str] = None, note: Any = None,
           url: Optional[str] = None, *, pass_mark: Any = None, attempts: Any = None,
           valid_months: Any = None) -> dict[str, Any]:
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
    pass_mark = _whole(pass_mark, 0, 100, "Nilai lulus harus bilangan bulat 0–100.")
    attempts = _whole(attempts, 1, MAX_ATTEMPTS,
                      f"Batas percobaan harus 1–{MAX_ATTEMPTS} kali.")
    valid_months = _whole(valid_months, 1, MAX_VALID_MONTHS,
                          f"Masa berlaku sertifikat harus 1–{MAX_VALID_MONTHS} bulan.")
    if valid_months is not None and mode != "exam":
        raise ValueError("Masa berlaku sertifikat hanya untuk tugas ujian.")
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
           "created": time.time(), "archived": False, "pass_mark": pass_mark,
           "attempts": attempts, "valid_months": valid_months}
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
    data["attempts_allowed"] = data.pop("attempts", None) or (
        1 if data["mode"] == "exam" else None)
    data["created_at"] = iso(data.get("created"))
    return data


def _due_end(due: str) -> float:
    day = date.fromisoformat(due)
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp() + 86400


def _office_day(ts: float) -> date:
    return datetime.fromtimestamp(ts, tz=_office_tz()).date()


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _passes(visit: Any, pass_mark: Optional[int]) -> bool:
    return bool(visit.passed) and (pass_mark is None or (
        visit.overall is not None and visit.overall >= pass_mark))


def _ended(visit: Any) -> float:
    return (visit.started or 0) + (visit.duration_seconds or 0)


def progress_of(assignment: dict[str, Any], trainee_id: str, url: Optional[str] = None
                ) -> list[dict[str, Any]]:
    """Each scenario of the assignment for one trainee: attempts used, done (a counted attempt
    finished), passed (one of them passed), on time, the visit score of the visit shown (the
    passing one, else the latest finished). ``in_progress``: an exam attempt is still open and
    none passed yet (leaving a bad attempt open and starting again does not erase it)."""
    exam = assignment["mode"] == "exam"
    query = sa.select(sessions.c.scenario, sessions.c.passed, sessions.c.started,
                      sessions.c.id, sessions.c.finished, sessions.c.overall,
                      sessions.c.duration_seconds).where(
        sessions.c.trainee_id == trainee_id, sessions.c.signed_in.is_(True),
        sessions.c.started >= assignment["created"]).order_by(sessions.c.started)
    query = query.where(sessions.c.exam_mode.is_(True)) if exam else \
        query.where(sessions.c.finished.is_(True))
    with engine(url).connect() as conn:
        visits = conn.execute(query).all()
    allowed, mark = assignment.get("attempts_allowed"), assignment.get("pass_mark")
    items = []
    for scenario in assignment["scenarios"]:
        counted = [v for v in visits if v.scenario == scenario][:allowed or None]
        finished = [v for v in counted if v.finished]
        passing = [v for v in finished if _passes(v, mark)]
        shown = passing[0] if passing else finished[-1] if finished else None
        still_open = next((v for v in counted if not v.finished), None)
        in_progress = not passing and still_open is not None
        items.append({
            "scenario": scenario, "title": catalog.scenario_title(scenario),
            "done": shown is not None, "in_progress": in_progress,
            "passed": bool(passing) if shown is not None else None,
            "on_time": shown is not None and shown.started <= _due_end(assignment["due"]),
            "score": shown.overall if shown is not None else None,
            "attempts_used": len(counted),
            "done_at": iso(_ended(shown)) if shown is not None else None,
            "session_id": shown.id if shown is not None else
            still_open.id if still_open is not None else None})
    return items


def _certificate(assignment: dict[str, Any], trainee_id: str, items: list[dict[str, Any]],
                 today: date) -> Optional[dict[str, Any]]:
    """A passed exam's certificate: its address, passing day, expiry (or ``None``)."""
    if assignment["mode"] != "exam" or not items or not all(i["passed"] for i in items):
        return None
    passed_at = max(datetime.fromisoformat(i["done_at"]).timestamp() for i in items)
    passed_on = _office_day(passed_at)
    months = assignment.get("valid_months")
    expires = add_months(passed_on, months) if months else None
    return {"url": f"/certificate/{assignment['id']}/{quote(trainee_id, safe='')}",
            "passed_on": passed_on.isoformat(),
            "expires": expires.isoformat() if expires else None,
            "expired": expires is not None and expires < today}


def standing(assignment: dict[str, Any], trainee_id: str, url: Optional[str] = None,
             now: Optional[float] = None) -> dict[str, Any]:
    """One trainee's standing in an assignment: the items and what they add up to."""
    now = time.time() if now is None else now
    items = progress_of(assignment, trainee_id, url)
    complete = all(i["done"] for i in items)
    due_end = _due_end(assignment["due"])
    days_left = (date.fromisoformat(assignment["due"]) -
                 datetime.fromtimestamp(now, tz=timezone.utc).date()).days
    return {
        "items": items, "complete": complete,
        "completed_at": max(i["done_at"] for i in items) if complete and items else None,
        "overdue": now > due_end and not complete,
        "due_soon": not complete and now <= due_end and days_left <= DUE_SOON_DAYS,
        "attempts_used": max((i["attempts_used"] for i in items), default=0),
        "certificate": _certificate(assignment, trainee_id, items,
                                    datetime.fromtimestamp(now, tz=_office_tz()).date()),
    }


def for_trainee(trainee_id: str, unit: Optional[str], url: Optional[str] = None
                ) -> list[dict[str, Any]]:
    """A trainee's open assignments (their own and their unit's), with their standing."""
    clauses = [assignments.c.trainee_id == trainee_id]
    if unit:
        clauses.append(assignments.c.unit == unit)  # the roster's listed spelling
    query = sa.select(assignments).where(assignments.c.archived.is_(False), sa.or_(*clauses)
                                         ).order_by(assignments.c.due, assignments.c.id)
    with engine(url).connect() as conn:
        rows = [_shown(r) for r in conn.execute(query)]
    return [{**row, **standing(row, trainee_id, url)} for row in rows]


def _assigned(rows: list[dict[str, Any]], units: Optional[tuple[str, ...]],
              url: Optional[str]) -> list[tuple[dict[str, Any], list[tuple[str, Any, str]]]]:
    """Each assignment within the trainer's units with its trainees (ID, name, unit)."""
    with engine(url).connect() as conn:
        members = conn.execute(sa.select(roster_table.c.employee_id, roster_table.c.unit,
                                         roster_table.c.name)).all()
    by_unit: dict[str, list[tuple[str, Any, str]]] = {}
    for employee_id, unit, name in sorted(members, key=lambda m: (m.name.casefold(), m[0])):
        by_unit.setdefault(unit.casefold(), []).append((employee_id, name, unit))
    people = {m.employee_id: (m.employee_id, m.name, m.unit) for m in members}
    allowed = {u.casefold() for u in units} if units is not None else None
    found = []
    for row in rows:
        trainee = people.get(row["trainee_id"] or "")
        scope = row["unit"] or (trainee[2] if trainee else "")
        if allowed is not None and scope.casefold() not in allowed:
            continue
        who = by_unit.get(row["unit"].casefold(), []) if row["unit"] else \
            [trainee or (row["trainee_id"], None, "")]
        found.append((row, who))
    return found


def listing(units: Optional[tuple[str, ...]] = None, url: Optional[str] = None
            ) -> list[dict[str, Any]]:
    """Open assignments with every assigned trainee's standing (a unit's: its trainees in the
    roster), names beside IDs. ``units``: only those of a trainer's units."""
    query = sa.select(assignments).where(assignments.c.archived.is_(False)).order_by(
        assignments.c.due.desc(), assignments.c.id.desc())
    with engine(url).connect() as conn:
        rows = [_shown(r) for r in conn.execute(query)]
    shown = []
    for row, who in _assigned(rows, units, url):
        row["trainee_name"] = who[0][1] if row["trainee_id"] and who else None
        row["trainees"] = [{"trainee_id": t, "name": name, "unit": unit,
                            **standing(row, t, url)} for t, name, unit in who]
        row["overdue"] = any(t["overdue"] for t in row["trainees"])
        row["due_soon"] = any(t["due_soon"] for t in row["trainees"])
        shown.append(row)
    return shown


def expiring(units: Optional[tuple[str, ...]] = None, url: Optional[str] = None,
             days: int = EXPIRY_WARNING_DAYS) -> list[dict[str, Any]]:
    """Certificates (of exams with a validity, archived ones too) that expire within ``days``
    or have expired, soonest first."""
    query = sa.select(assignments).where(assignments.c.mode == "exam",
                                         assignments.c.valid_months.is_not(None))
    with engine(url).connect() as conn:
        rows = [_shown(r) for r in conn.execute(query)]
    limit = (datetime.now(_office_tz()).date() + timedelta(days=days)).isoformat()
    found = []
    for row, who in _assigned(rows, units, url):
        for trainee_id, name, unit in who:
            held = standing(row, trainee_id, url)["certificate"]
            if held is not None and held["expires"] <= limit:
                found.append({"assignment_id": row["id"], "trainee_id": trainee_id,
                              "name": name, "unit": unit, "titles": row["titles"], **held})
    return sorted(found, key=lambda c: (c["expires"], c["name"] or "", c["trainee_id"]))


def certificate(assignment_id: int, trainee_id: str, url: Optional[str] = None
                ) -> Optional[dict[str, Any]]:
    """What a passed exam's certificate shows, or ``None`` (no such assignment for this
    trainee, not an exam, not passed)."""
    found = find(assignment_id, url)
    member = roster.entry(trainee_id, url)
    if found is None or member is None or found["mode"] != "exam":
        return None
    if found["trainee_id"] != member["id"] and (
            not found["unit"] or found["unit"].casefold() != member["unit"].casefold()):
        return None
    held = standing(found, member["id"], url)
    if held["certificate"] is None:
        return None
    return {"assignment_id": found["id"], "trainee_id": member["id"], "name": member["name"],
            "unit": member["unit"], "set_by": found["created_by"],
            "set_on": _office_day(found["created"]).isoformat(),
            "pass_mark": found["pass_mark"], "note": found["note"],
            "scenarios": [{"title": i["title"], "score": i["score"],
                           "passed_on": _office_day(datetime.fromisoformat(
                               i["done_at"]).timestamp()).isoformat()}
                          for i in held["items"]],
            **held["certificate"]}
