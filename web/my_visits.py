"""A trainee's own visits: the unfinished ones after a lost cookie, and *Riwayat saya*.

Who a trainee is on the page is their employee id and name (there are no trainee passwords);
the signed cookie of their latest visit proves it on later requests. A lost cookie is
recovered with the same employee id *and* the same name as given when the visit started: the
server then lists that trainee's unfinished visits, to go on with one (a new cookie) or to
close it as abandoned (its debrief says so).
"""

from __future__ import annotations

import json
from typing import Any, Optional

from sanic import Blueprint, response
from sanic.request import Request

from actions.cleaning import clean_text
from actions.visits import Visit, iso
from review import assignments
from web.security import TRAINEE_COOKIE, TRAINEE_TTL, set_cookie, sign
from web.threads import in_thread
from web.trainee import (
    EMPLOYEE_ID,
    MAX_NAME,
    _talk,
    as_trainee_sees,
    body_of,
    error,
    latest_visit,
    page_visit,
    same_name,
    visit_of,
)

bp = Blueprint("my_visits", url_prefix="/api")
MAX_LISTED = 50
ABANDON = '/selesai{"ended_by":"abandoned"}'


def _who(data: dict[str, Any]) -> tuple[str, str]:
    """(employee id, name) of a request, or ``ValueError`` with the page's message."""
    employee_id, name = data.get("employee_id"), data.get("name")
    if not isinstance(employee_id, str) or not EMPLOYEE_ID.match(employee_id.strip()):
        raise ValueError("ID pegawai wajib diisi: huruf, angka, '-' atau '_' (maks. 40).")
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_NAME:
        raise ValueError(f"Nama wajib diisi (paling banyak {MAX_NAME} karakter).")
    return employee_id.strip(), clean_text(name)


async def _unfinished(request: Request, employee_id: str, name: str) -> list[Visit]:
    """The trainee's visits without a debrief whose trainee gave this name, newest first."""
    found = []
    for sender in await request.app.ctx.senders_of(employee_id):
        visit = await latest_visit(request, sender)
        if visit is not None and not visit.debrief and same_name(name, visit.trainee_name):
            found.append(visit)
    found.sort(key=lambda v: v.started or 0, reverse=True)
    return found[:MAX_LISTED]


def _row(visit: Visit) -> dict[str, Any]:
    summary = visit.summary()
    return {key: summary[key] for key in ("sender_id", "scenario", "scenario_title", "started",
                                          "turns", "exam_mode", "finished")}


@bp.post("/visits/unfinished")
async def unfinished(request: Request) -> response.HTTPResponse:
    """The unfinished visits of the trainee with this employee id and name."""
    try:
        employee_id, name = _who(body_of(request))
    except ValueError as exc:
        return error(400, str(exc))
    visits = await _unfinished(request, employee_id, name)
    return response.json({"visits": [_row(v) for v in visits]})


async def _chosen(request: Request
                  ) -> tuple[Optional[Visit], dict[str, Any], Optional[response.HTTPResponse]]:
    """The unfinished visit the request names and the cookie payload it would get, or the
    error to answer (400 bad fields, 404 no such unfinished visit of this trainee)."""
    try:
        data = body_of(request)
        employee_id, name = _who(data)
    except ValueError as exc:
        return None, {}, error(400, str(exc))
    sender = data.get("sender")
    for visit in await _unfinished(request, employee_id, name):
        if visit.sender_id == sender:
            return visit, {"sender": sender, "trainee_id": employee_id,
                           "name": visit.trainee_name or name, "exam": visit.exam,
                           "unit": visit.unit or ""}, None
    return None, {}, error(404, "Latihan yang belum selesai itu tidak ditemukan untuk ID dan "
                                "nama ini.")


@bp.post("/visit/resume")
async def resume(request: Request) -> response.HTTPResponse:
    """Go on with an unfinished visit after the cookie was lost."""
    visit, cookie, refused = await _chosen(request)
    if visit is None:
        return refused
    reply = response.json({"visit": page_visit(visit, cookie)})
    settings = request.app.ctx.settings
    set_cookie(reply, TRAINEE_COOKIE, sign(settings.cookie_secret, cookie, TRAINEE_TTL),
               TRAINEE_TTL, settings.secure_cookies)
    return reply


@bp.post("/visit/abandon")
async def abandon(request: Request) -> response.HTTPResponse:
    """Close an unfinished visit as abandoned: its debrief is written, it is no longer open."""
    visit, cookie, refused = await _chosen(request)
    if visit is None:
        return refused
    answer = await _talk(request, cookie, ABANDON)
    if answer.status != 200:
        return answer
    return response.json({"closed": visit.sender_id,
                          "messages": json.loads(answer.body).get("messages", [])})


async def own_sessions(request: Request, trainee_id: str, name: str) -> list[Visit]:
    """The trainee's visits under this employee id *and* name, newest first."""
    senders = await request.app.ctx.senders_of(trainee_id)
    sessions = await request.app.ctx.load_sessions(senders) if senders else []
    return [s for s in sessions if same_name(name, s.trainee_name)]


@bp.post("/history/open")
async def open_history(request: Request) -> response.HTTPResponse:
    """*Riwayat saya* on a device without the cookie: the employee id and the name given at
    the start of the visits find them (the same rule as resuming); a cookie follows."""
    try:
        employee_id, name = _who(body_of(request))
    except ValueError as exc:
        return error(400, str(exc))
    sessions = await own_sessions(request, employee_id, name)
    if not sessions:
        return error(404, "Belum ada kunjungan untuk nama dan ID pegawai ini.")
    latest = max(sessions, key=lambda s: s.started or 0)
    cookie = {"sender": latest.sender_id, "trainee_id": employee_id,
              "name": latest.trainee_name or name, "exam": latest.exam,
              "unit": latest.unit or ""}
    reply = response.json({"opened": True})
    settings = request.app.ctx.settings
    set_cookie(reply, TRAINEE_COOKIE, sign(settings.cookie_secret, cookie, TRAINEE_TTL),
               TRAINEE_TTL, settings.secure_cookies)
    return reply


@bp.get("/visit/last")
async def last_visit(request: Request) -> response.HTTPResponse:
    """The cookie's visit as its trainee may see it (after an exam: every reply's scores)."""
    visit = visit_of(request)
    if visit is None:
        return error(401, "Belum ada latihan yang berjalan.")
    session = await latest_visit(request, visit["sender"])
    if session is None:
        return error(404, "Kunjungan tidak ditemukan.")
    return response.json({"visit": as_trainee_sees(session, visit)})


@bp.get("/history")
async def history(request: Request) -> response.HTTPResponse:
    """*Riwayat saya*: the trainee's own visits, newest first (exam scores only once ended)."""
    visit = visit_of(request)
    if visit is None:
        return error(401, "Isi nama dan ID pegawai Anda untuk membuka riwayat.")
    sessions = await own_sessions(request, visit["trainee_id"], visit["name"])
    rows = []
    for session in sessions:
        seen = as_trainee_sees(session, visit)
        rows.append({
            "sender_id": session.sender_id, "visit": session.index,
            "scenario_title": seen["scenario_title"], "started": iso(session.started),
            "turns": len(seen["turns"]), "finished": seen["finished"],
            "passed": seen["passed"], "exam_mode": seen["exam_mode"],
            "reason": seen["reason"], "ended_by": seen["ended_by"],
            **{key: seen.get(key) for key in ("politeness", "clarity", "responsiveness",
                                               "overall")},
            # a finished visit is judged by its visit score (the debrief's), as on the page
            "visit_overall": ((seen.get("debrief") or {}).get("averages") or {}).get("overall"),
        })
    return response.json({"trainee": {"id": visit["trainee_id"], "name": visit["name"]},
                          "visits": rows[:200]})


@bp.post("/assignments")
async def my_assignments(request: Request) -> response.HTTPResponse:
    """*Tugas saya*: the open assignments of this employee id (and of their unit)."""
    try:
        data = body_of(request)
    except ValueError as exc:
        return error(400, str(exc))
    employee_id, unit = data.get("employee_id"), data.get("unit") or ""
    if not isinstance(employee_id, str) or not EMPLOYEE_ID.match(employee_id.strip()):
        return error(400, "ID pegawai wajib diisi: huruf, angka, '-' atau '_' (maks. 40).")
    if not isinstance(unit, str) or len(unit) > MAX_NAME:
        return error(400, f"Unit kerja paling banyak {MAX_NAME} karakter.")
    catch_up = getattr(request.app.ctx, "review_catch_up", None)
    if catch_up is not None:
        await catch_up()
    found = await in_thread(assignments.for_trainee, employee_id.strip(),
                            clean_text(unit).strip() or None)
    return response.json({"assignments": found})
