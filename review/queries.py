"""What the review pages and exports read: queries over the review store (review/db.py).

Lists page through the ``sessions`` table with indexes (filters, sorting, text search in the
replies); a session's page reads its stored detail; exports and the cohort read the filtered
sessions' stored rows. Nothing here reads the tracker store.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Optional

import sqlalchemy as sa

from actions.catalog import DIMENSION_LABELS, DIMENSIONS
from actions.turn_record import mean_scores
from review.db import engine, roster, sessions, trainees, turns

SORTABLE = {"started", "trainee_id", "unit", "scenario", "duration_seconds", "turns", "passed",
            *DIMENSIONS}
MAX_PER_PAGE = 200
MAX_PAGE = 100_000
YES = ("1", "ya", "yes", "true")
NO = ("0", "tidak", "no", "false")


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


@dataclass
class Filters:
    """The review's filters, as the URL carries them."""

    trainee: Optional[str] = None
    scenario: Optional[str] = None
    since: Optional[str] = None
    until: Optional[str] = None
    finished: Optional[bool] = None
    passed: Optional[bool] = None
    exam: Optional[bool] = None
    q: Optional[str] = None
    web_only: bool = False  # only the trainees of the web page (not REST or test senders)
    exact_trainee: bool = False  # ``trainee`` is an exact employee ID (compare), not a search
    units: Optional[tuple[str, ...]] = None  # a trainer's units: only their trainees
    unit: Optional[str] = None  # one unit (its listed name): only its trainees, within units

    @classmethod
    def from_args(cls, args: Any, units: Optional[tuple[str, ...]] = None) -> Filters:
        """From query arguments; ``ValueError`` (Indonesian) for a bad value."""
        def flag(name: str) -> Optional[bool]:
            value = (args.get(name) or "").strip().lower()
            if not value:
                return None
            if value in YES:
                return True
            if value in NO:
                return False
            raise ValueError(f"nilai {name} tidak dikenal: {value[:20]!r} (ya/tidak)")

        filters = cls(trainee=args.get("trainee") or None, scenario=args.get("scenario") or None,
                      since=args.get("since") or None, until=args.get("until") or None,
                      finished=flag("finished"), passed=flag("passed"), exam=flag("exam"),
                      q=(args.get("q") or "").strip()[:200] or None,
                      web_only=flag("web") is True, units=units,
                      unit=(args.get("unit") or "").strip()[:120] or None)
        filters.where()  # dates are checked now
        return filters

    def where(self) -> list[Any]:
        clauses: list[Any] = []
        if self.units is not None:
            clauses.append(_unit_clause(self.units))
        if self.unit:
            clauses.append(_unit_clause((self.unit,)))
        if self.web_only:
            clauses.append(sessions.c.web.is_(True))
        if self.trainee and self.exact_trainee:
            clauses.append(sessions.c.trainee_id == self.trainee)
        elif self.trainee:  # the exact ID, or part of the ID or name, in any case
            pattern = _like(self.trainee)
            clauses.append(sa.or_(sessions.c.trainee_id == self.trainee,
                                  sessions.c.trainee_id.ilike(pattern, escape="\\"),
                                  sessions.c.trainee_name.ilike(pattern, escape="\\")))
        if self.scenario:
            clauses.append(sessions.c.scenario == self.scenario)
        start, end = parse_day(self.since), parse_day(self.until, end=True)
        if start is not None:
            clauses.append(sessions.c.started >= start)
        if end is not None:
            clauses.append(sessions.c.started < end)
        for column, value in ((sessions.c.finished, self.finished),
                              (sessions.c.passed, self.passed),
                              (sessions.c.exam_mode, self.exam)):
            if value is not None:
                clauses.append(column.is_(value))
        if self.q:
            pattern = _like(self.q)
            clauses.append(sessions.c.id.in_(
                sa.select(turns.c.session_id).where(turns.c.reply.ilike(pattern, escape="\\"))))
        return clauses


def list_sessions(filters: Filters, sort: str = "started", descending: bool = True,
                  page: int = 1, per_page: int = 50, url: Optional[str] = None
                  ) -> dict[str, Any]:
    """One page of session rows (their summaries), newest first by default, with the total."""
    if sort not in SORTABLE:
        raise ValueError(f"kolom urut tidak dikenal: {sort}")
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    page = max(1, int(page))
    if page > MAX_PAGE:
        raise ValueError(f"halaman paling banyak {MAX_PAGE:,}".replace(",", "."))
    column = sessions.c[sort]
    order = [column.is_(None), column.desc() if descending else column.asc(), sessions.c.id]
    where = filters.where()
    with engine(url).connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(sessions).where(*where)
                             ).scalar() or 0
        rows = conn.execute(sa.select(sessions.c.summary).where(*where).order_by(*order)
                            .limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return {"sessions": [json.loads(r) for r in rows], "total": total, "page": page,
            "per_page": per_page, "pages": max(1, -(-total // per_page))}


def session_detail(session_id: str, url: Optional[str] = None) -> Optional[dict[str, Any]]:
    with engine(url).connect() as conn:
        found = conn.execute(sa.select(sessions.c.detail).where(sessions.c.id == session_id)
                             ).scalar()
    return json.loads(found) if found else None


def details(filters: Filters, url: Optional[str] = None) -> list[dict[str, Any]]:
    """The stored details of every session the filters select, newest first (exports)."""
    query = sa.select(sessions.c.detail).where(*filters.where()).order_by(
        sessions.c.started.desc(), sessions.c.id)
    with engine(url).connect() as conn:
        return [json.loads(r) for r in conn.execute(query).scalars()]


def _like(text: str) -> str:
    """A LIKE pattern that finds ``text`` literally anywhere (``%`` and ``_`` escaped)."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _unit_clause(units: Optional[tuple[str, ...]]) -> Any:
    """The sessions of these units: signed-in visits of trainees the roster puts there now
    (what a visit declares never decides whose it is)."""
    members = sa.select(roster.c.employee_id).where(roster.c.unit.in_(list(units or ())))
    return sa.and_(sessions.c.signed_in.is_(True), sessions.c.trainee_id.in_(members))


def find_trainees(q: str = "", all_senders: bool = False, limit: int = 50,
                  url: Optional[str] = None, units: Optional[tuple[str, ...]] = None
                  ) -> list[dict[str, Any]]:
    """Trainees by name or ID: a trainer with units finds the roster's trainees of those
    units (before their first visit too); everyone else also finds the trainees seen in
    visits (web trainees only unless ``all_senders``)."""
    pattern = _like(q.strip()[:80]) if q else None
    counts = sa.select(trainees.c.trainee_id, trainees.c.sessions).subquery()
    listed = sa.select(roster.c.employee_id, roster.c.name, roster.c.unit,
                       counts.c.sessions).select_from(roster.outerjoin(
                           counts, counts.c.trainee_id == roster.c.employee_id))
    if units is not None:
        listed = listed.where(roster.c.unit.in_(list(units)))
    if pattern:
        listed = listed.where(sa.or_(roster.c.name.ilike(pattern, escape="\\"),
                                     roster.c.employee_id.ilike(pattern, escape="\\")))
    with engine(url).connect() as conn:
        found = {r.employee_id: {"id": r.employee_id, "name": r.name, "unit": r.unit,
                                 "sessions": r.sessions or 0}
                 for r in conn.execute(listed.order_by(roster.c.name).limit(limit))}
        if units is None:
            query = sa.select(trainees).order_by(trainees.c.name, trainees.c.trainee_id
                                                 ).limit(limit)
            if not all_senders:
                query = query.where(trainees.c.web.is_(True))
            if pattern:
                query = query.where(sa.or_(trainees.c.name.ilike(pattern, escape="\\"),
                                           trainees.c.trainee_id.ilike(pattern, escape="\\")))
            for r in conn.execute(query):
                found.setdefault(r.trainee_id, {"id": r.trainee_id, "name": r.name,
                                                "unit": None, "sessions": r.sessions})
    return sorted(found.values(), key=lambda t: ((t["name"] or "").casefold(), t["id"]))[:limit]


def progress(trainee: str, scenario: Optional[str] = None, url: Optional[str] = None,
             units: Optional[tuple[str, ...]] = None) -> Optional[dict[str, Any]]:
    """A trainee's sessions in time order (dates), per dimension; one scenario if given."""
    query = sa.select(sessions.c.summary).where(sessions.c.trainee_id == trainee).order_by(
        sessions.c.started)
    if units is not None:
        query = query.where(_unit_clause(units))
    with engine(url).connect() as conn:
        enrolled = conn.execute(sa.select(roster.c.employee_id).where(
            roster.c.employee_id == trainee)).first() is not None
    if enrolled:  # a trainee of the roster: only their signed-in visits are theirs
        query = query.where(sessions.c.signed_in.is_(True))
    with engine(url).connect() as conn:
        rows = [json.loads(r) for r in conn.execute(query).scalars()]
    if not rows:
        return None
    chosen = [r for r in rows if not scenario or r["scenario"] == scenario]
    points = [r for r in chosen if r.get("scored_turns")]
    return {
        "trainee_id": trainee,
        "trainee_name": next((r["trainee_name"] for r in rows if r.get("trainee_name")), None),
        "sessions": len(chosen),
        "passed": sum(1 for r in chosen if r.get("passed")),
        "exams": sum(1 for r in chosen if r.get("exam_mode")),
        "exams_passed": sum(1 for r in chosen if r.get("exam_mode") and r.get("passed")),
        "scenarios": sorted({r["scenario"] for r in rows if r.get("scenario")}),
        "scenario": scenario,
        # ``overall`` is the visit score (the debrief's); ``reply_mean`` the replies' mean
        "points": [{"id": p["id"], "started": p["started"], "scenario": p["scenario"],
                    "passed": p["passed"], "exam_mode": p.get("exam_mode", False),
                    "finished": p.get("finished", False), "reply_mean": p.get("reply_mean"),
                    "verdict_by": p.get("verdict_by"),
                    **{k: p.get(k) for k in DIMENSIONS}} for p in points],
        "first_overall": points[0]["overall"] if points else None,
        "last_overall": points[-1]["overall"] if points else None,
    }


def cohort(filters: Filters, url: Optional[str] = None) -> dict[str, Any]:
    """Averages per dimension and scenario, the weakest dimension, the most common tips."""
    where = filters.where()
    session_query = sa.select(sessions.c.id, sessions.c.scenario, sessions.c.trainee_id,
                              sessions.c.finished, sessions.c.passed, sessions.c.overall
                              ).where(*where)
    turn_query = sa.select(turns.c.scenario, turns.c.data).where(
        turns.c.session_id.in_(sa.select(sessions.c.id).where(*where)))
    with engine(url).connect() as conn:
        chosen = conn.execute(session_query).all()
        turn_rows = [(scenario, json.loads(data)) for scenario, data in conn.execute(turn_query)]
    scored = [(scenario, t) for scenario, t in turn_rows if t.get("overall") is not None]
    # the replies' means per dimension; ``overall`` is the mean visit score of finished visits
    per_dimension = _with_visit_score(mean_scores([t for _, t in scored]), chosen)
    per_scenario: dict[str, Any] = {}
    for scenario in sorted({row.scenario for row in chosen if row.scenario}):
        mine = [row for row in chosen if row.scenario == scenario]
        finished = [row for row in mine if row.finished]
        per_scenario[scenario] = {
            "sessions": len(mine),
            "pass_rate": round(100 * sum(1 for row in finished if row.passed) / len(finished))
            if finished else None,
            **_with_visit_score(mean_scores([t for s, t in scored if s == scenario]), mine),
        }
    rated = {k: v for k, v in per_dimension.items()
             if k not in ("overall", "reply_mean") and v is not None}
    weakest = min(rated, key=rated.get) if rated else None
    tips = Counter(tip for _, t in scored for tip in (t.get("tips") or [])
                   if isinstance(tip, str))
    return {
        "sessions": len(chosen),
        "trainees": len({row.trainee_id for row in chosen if row.trainee_id}),
        "scored_turns": len(scored),
        "per_dimension": per_dimension,
        "per_scenario": per_scenario,
        "weakest_dimension": weakest,
        "weakest_dimension_label": DIMENSION_LABELS.get(weakest) if weakest else None,
        "common_tips": [{"tip": tip, "count": n} for tip, n in tips.most_common(5)],
    }


def _with_visit_score(means: dict[str, Optional[int]], rows: list[Any]
                      ) -> dict[str, Optional[int]]:
    """Replies' means with ``overall`` the mean visit score of the finished visits (and the
    replies' mean kept as ``reply_mean``)."""
    scores = [row.overall for row in rows if row.finished and row.overall is not None]
    return {**means, "reply_mean": means.get("overall"),
            "overall": round(sum(scores) / len(scores)) if scores else None}
