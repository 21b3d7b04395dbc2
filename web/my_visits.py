"""A signed-in trainee's own visits: the unfinished ones after a lost visit cookie, *Riwayat
saya* and *Tugas saya*.

Only a trainee of the roster who signed in on this browser (web/members.py) reaches any of
these: an employee ID and a name are no credential. Only the visits they made signed in are
theirs (an open-practice visit or a REST script under the same ID is not).
"""

from __future__ import annotations

import json
from typing import Any, Optional

from sanic import Blueprint, response
from sanic.request import Request

from actions.visits import Visit, iso, web_trainee
from review import assignments
from review.roster import Member
from web import members
from web.security import TRAINEE_COOKIE, TRAINEE_TTL, set_cookie, sign
from web.threads import in_thread
from web.trainee import (
    _talk,
    as_trainee_sees,
    body_of,
    error,
    latest_visit,
    page_visit,
    visit_of,
)
from web.trainer_word import with_trainer_word, word_of

bp = Blueprint("my_visits", url_prefix="/api")
MAX_LISTED = 50
ABANDON = '/selesai{"ended_by":"abandoned"}'
SIGN_IN = "Masuk dulu untuk membuka riwayat, tugas, dan latihan yang belum selesai."


async def _unfinished(request: Request, member: Member) -> list[Visit]:
    """The trainee's signed-in visits without a debrief, newest first."""
    found = []
    for sender in await request.app.ctx.senders_of(member.id):
        visit = await latest_visit(request, sender)
        if visit is not None and not visit.debrief and visit.signed_in:
            found.append(visit)
    found.sort(key=lambda v: v.started or 0, reverse=True)
    return found[:MAX_LISTED]


def _row(visit: Visit) -> dict[str, Any]:
    summary = visit.summary()
    return {key: summary[key] for key in ("sender_id", "scenario", "scenario_title", "started",
                                          "turns", "exam_mode", "finished")}


@bp.post("/visits/unfinished")
async def unfinished(request: Request) -> response.HTTPResponse:
    """The signed-in trainee's unfinished visits."""
    member = await members.signed_in(request)
    if member is None:
        return error(401, SIGN_IN)
    visits = await _unfinished(request, member)
    return response.json({"visits": [_row(v) for v in visits]})


async def _chosen(request: Request
                  ) -> tuple[Optional[Visit], dict[str, Any], Optional[response.HTTPResponse]]:
    """The unfinished visit the request names and the cookie payload it would get, or the
    error to answer (401 not signed in, 400 bad body, 404 no such unfinished visit)."""
    member = await members.signed_in(request)
    if member is None:
        return None, {}, error(401, SIGN_IN)
    try:
        data = body_of(request)
    except ValueError as exc:
        return None, {}, error(400, str(exc))
    sender = data.get("sender")
    for visit in await _unfinished(request, member):
        if visit.sender_id == sender:
            return visit, {"sender": sender, "trainee_id": member.id, "name": member.name,
                           "exam": visit.exam, "unit": member.unit, "signed_in": True}, None
    return None, {}, error(404, "Latihan yang belum selesai itu tidak ditemukan.")


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


async def own_sessions(request: Request, member: Member) -> list[Visit]:
    """The signed-in trainee's own visits (made signed in), newest first."""
    senders = await request.app.ctx.senders_of(member.id)
    sessions = await request.app.ctx.load_sessions(senders) if senders else []
    return [s for s in sessions if s.signed_in]


@bp.get("/visit/last")
async def last_visit(request: Request) -> response.HTTPResponse:
    """The cookie's visit as its trainee may see it (after an exam: every reply's scores)."""
    visit = await visit_of(request)
    if visit is None:
        return error(401, "Belum ada latihan yang berjalan.")
    session = await latest_visit(request, visit["sender"])
    if session is None:
        return error(404, "Kunjungan tidak ditemukan.")
    return response.json({"visit": as_trainee_sees(session, visit)})


@bp.get("/visit/<sender>")
async def own_visit(request: Request, sender: str) -> response.HTTPResponse:
    """A trainee may re-read their own visits, never another trainee's: the visit of their
    visit cookie, and, signed in, every signed-in visit under their employee ID (with the
    trainer's notes and verdict)."""
    visit = await visit_of(request)
    member = await members.signed_in(request)
    by_cookie = visit is not None and visit["sender"] == sender
    if not by_cookie and (member is None or web_trainee(sender) != member.id):
        return error(403, "Anda hanya dapat membuka sesi latihan Anda sendiri.")
    sessions = [s for s in await request.app.ctx.load_sessions([sender])
                if by_cookie or s.signed_in]
    if not sessions:
        return error(403, "Anda hanya dapat membuka sesi latihan Anda sendiri.")
    seen = visit if by_cookie and visit is not None else {"sender": "", "exam": False}
    found, overrides = ({}, {}) if member is None else await word_of(member.id, [sender])
    return response.json({"sessions": [
        with_trainer_word(as_trainee_sees(s, seen), found if s.signed_in else {}, overrides)
        for s in sessions]})


@bp.get("/history")
async def history(request: Request) -> response.HTTPResponse:
    """*Riwayat saya*: the trainee's own visits, newest first (exam scores only once ended),
    each with its one visit score, the trainer's verdict if any and the unread notes."""
    member = await members.signed_in(request)
    if member is None:
        return error(401, SIGN_IN)
    visit = await visit_of(request) or {"sender": "", "exam": False}
    own = await own_sessions(request, member)
    found, overrides = await word_of(member.id, {s.sender_id for s in own})
    rows = []
    for session in own:
        seen = with_trainer_word(as_trainee_sees(session, visit), found, overrides)
        rows.append({
            "sender_id": session.sender_id, "visit": session.index,
            "scenario": seen["scenario"], "scenario_title": seen["scenario_title"],
            "started": iso(session.started),
            "turns": len(seen["turns"]), "finished": seen["finished"],
            "passed": seen["passed"], "exam_mode": seen["exam_mode"],
            "reason": seen["reason"], "ended_by": seen["ended_by"],
            "verdict_by": seen.get("verdict_by"), "unread_notes": seen["unread_notes"],
            "notes": sum(len(t["trainer_notes"]) for t in seen["turns"]),
            # the one visit score (the debrief's) and the replies' mean beside it
            **{key: seen.get(key) for key in ("politeness", "clarity", "responsiveness",
                                               "visit_score", "reply_mean")},
        })
    return response.json({"trainee": member.as_dict(), "visits": rows[:200],
                          "unread_notes": sum(r["unread_notes"] for r in rows)})


@bp.route("/assignments", methods=["GET", "POST"])
async def my_assignments(request: Request) -> response.HTTPResponse:
    """*Tugas saya*: the open assignments of the signed-in trainee and of their unit.

    ``{"assignments": [row, ...]}``, by due date. Each row (review/assignments.py):

    * ``id``, ``mode`` (practice|exam), ``scenarios`` (ids), ``titles``, ``due``
      (YYYY-MM-DD), ``note``, ``created_by`` (the trainer), ``trainee_id`` or ``unit``;
    * ``pass_mark``: int 0-100 or null — a visit passes when its verdict says so *and* its
      visit score is at least this mark (null: the verdict alone);
    * ``attempts_allowed``: int or null (null: every finished practice visit counts; an exam
      allows 1 unless the trainer set more); ``attempts_used``: int, the most attempts used
      on any one scenario (each scenario has its own ``attempts_allowed``);
    * ``overdue`` (bool: past the due date and not complete), ``due_soon`` (bool: due within
      2 days and not complete), ``complete`` (bool: every item done), ``completed_at``: ISO
      timestamp (UTC) when the last item was done, or null;
    * ``certificate``: null, or for a passed exam ``{"url": "/certificate/<id>/<employee
      id>", "expires": "YYYY-MM-DD" | null, "expired": bool, "passed_on": "YYYY-MM-DD"}``;
    * ``items``, one per scenario in order: ``scenario``, ``title``, ``done`` (a counted
      attempt finished), ``in_progress`` (an exam attempt is open, none passed yet),
      ``passed`` (bool, null until done), ``on_time``, ``score`` (the visit score of the
      visit shown — the passing one, else the latest finished — int or null),
      ``attempts_used`` (int), ``done_at`` (ISO or null), ``session_id``.
    """
    member = await members.signed_in(request)
    if member is None:
        return error(401, SIGN_IN)
    catch_up = getattr(request.app.ctx, "review_catch_up", None)
    if catch_up is not None:
        await catch_up()
    found = await in_thread(assignments.for_trainee, member.id, member.unit)
    return response.json({"assignments": found})
