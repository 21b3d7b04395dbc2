"""Assignments on the trainer's side (*Tugas peserta*) and the certificate of a passed exam.

* ``/review/api/assignments``: open assignments with every assigned trainee's standing, the
  certificates that expire soon; a new assignment; archiving. A trainer acts within their
  units only (the roster's), an admin everywhere; everything is audited.
* ``/certificate/<assignment id>/<employee id>`` (the printable page) and
  ``/api/certificate/...`` (its data): readable by that trainee, signed in on this browser, and
  by the trainers of their unit (admins too); everyone else gets a plain 404, as if there were
  no such certificate.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from sanic import Blueprint, response
from sanic.request import Request

from actions.cleaning import exportable
from review import accounts, assignments, notes, roster
from web import members
from web.threads import in_thread
from web.trainer_auth import current_trainer, trainer_of, trainer_only, units_of

bp = Blueprint("assignments", url_prefix="/review")
certificates = Blueprint("certificates")
STATIC = Path(__file__).resolve().parent / "static"
NOT_FOUND = "Sertifikat tidak ditemukan."
NOT_FOUND_PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Tidak ditemukan — PTSP</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/style.css"></head>
<body><header class="top"><h1>Sertifikat Pelatihan PTSP</h1></header>
<main><section class="card narrow"><h2>Sertifikat tidak ditemukan</h2>
<p>Sertifikat ini tidak ada, atau Anda belum masuk dengan akun yang berhak membukanya.</p>
<p><a href="/">Halaman latihan</a> · <a href="/review">Tinjauan pelatih</a></p>
</section></main></body></html>
"""


async def _fresh(request: Request) -> None:
    """The review store caught up with the event broker (a no-op when nothing is new)."""
    catch_up = getattr(request.app.ctx, "review_catch_up", None)
    if catch_up is not None:
        await catch_up()


def _error(status: int, message: str) -> response.HTTPResponse:
    return response.json({"error": message}, status=status)


@bp.get("/api/assignments")
@trainer_only(api=True)
async def assignments_api(request: Request) -> response.HTTPResponse:
    """Open assignments with each assigned trainee's standing (within the trainer's units) and
    the certificates expiring within 30 days or expired."""
    await _fresh(request)
    units = units_of(request)
    return response.json({"assignments": await in_thread(assignments.listing, units),
                          "expiring": await in_thread(assignments.expiring, units),
                          "scenarios": request.app.ctx.scenarios})


@bp.post("/api/assignments")
@trainer_only(api=True)
async def assign_api(request: Request) -> response.HTTPResponse:
    """Assign scenarios to a trainee (``trainee_id``) or a unit (``unit``): ``scenarios`` in
    order, ``mode`` practice|exam, ``due`` YYYY-MM-DD, optional ``note``, ``pass_mark``
    (0-100), ``attempts`` (1-20) and, for an exam, ``valid_months`` (1-120)."""
    data = request.json if "json" in request.headers.get("content-type", "") else None
    if not isinstance(data, dict):
        return _error(400, "Permintaan tidak valid: isi harus objek JSON.")
    data = exportable(data)  # no lone surrogate reaches a check or the database
    trainee_id = data.get("trainee_id") if isinstance(data.get("trainee_id"), str) else None
    unit = data.get("unit") if isinstance(data.get("unit"), str) else None
    units = units_of(request)
    if units is not None:  # a trainer assigns within their own units only (the roster's)
        own = {u.casefold() for u in units}
        if unit and (await in_thread(roster.canonical_unit, unit) or "").casefold() not in own:
            return _error(403, "Unit itu bukan unit Anda.")
        if trainee_id:
            enrolled = await in_thread(roster.entry, trainee_id)
            if enrolled is not None and enrolled["unit"].casefold() not in own:
                return _error(403, "Peserta itu bukan peserta unit Anda.")
    name = trainer_of(request).name
    try:
        made = await in_thread(
            lambda: assignments.create(
                name, data.get("scenarios"), data.get("mode"), data.get("due"), trainee_id,
                unit, data.get("note"), pass_mark=data.get("pass_mark"),
                attempts=data.get("attempts"), valid_months=data.get("valid_months")))
    except ValueError as exc:
        return _error(400, str(exc))
    await in_thread(notes.audit, name, "assign", {
        key: made[key] for key in ("id", "trainee_id", "unit", "mode", "due", "pass_mark",
                                   "attempts_allowed", "valid_months")})
    return response.json({"assignment": made})


@bp.post("/api/assignments/<assignment_id:int>/archive")
@trainer_only(api=True)
async def archive_api(request: Request, assignment_id: int) -> response.HTTPResponse:
    """Archive an assignment of the trainer's units (audited)."""
    if not 0 < assignment_id < 2**31:
        return _error(404, "Tugas tidak ditemukan.")
    found = await in_thread(assignments.find, assignment_id)
    units = units_of(request)
    if found is None:
        return _error(404, "Tugas tidak ditemukan.")
    if units is not None and (await in_thread(assignments.scope_unit, found)).casefold() \
            not in {u.casefold() for u in units}:
        return _error(403, "Tugas itu bukan tugas unit Anda.")
    await in_thread(assignments.archive, assignment_id)
    await in_thread(notes.audit, trainer_of(request).name, "assignment-archive",
                    {"id": assignment_id, "trainee_id": found["trainee_id"],
                     "unit": found["unit"]})
    return response.json({"archived": assignment_id})


async def _may_read(request: Request, trainee_id: str) -> bool:
    """The trainee themself (signed in on this browser), or a trainer of their unit."""
    member = await members.signed_in(request)
    if member is not None and member.id.casefold() == trainee_id.casefold():
        return True
    try:
        trainer = await current_trainer(request)
    except accounts.RateLimited:
        return False
    if trainer is None:
        return False
    if trainer.sees_everything:
        return True
    unit = await in_thread(roster.unit_of, trainee_id)
    return unit is not None and unit.casefold() in {u.casefold() for u in trainer.units}


async def _certificate(request: Request, assignment_id: int, trainee_id: str
                       ) -> Optional[dict[str, Any]]:
    if not 0 < assignment_id < 2**31 or len(trainee_id) > 40 or \
            not await _may_read(request, trainee_id):
        return None
    await _fresh(request)
    return await in_thread(assignments.certificate, assignment_id, trainee_id)


@certificates.get("/certificate/<assignment_id:int>/<trainee_id>")
async def certificate_page(request: Request, assignment_id: int, trainee_id: str
                           ) -> response.HTTPResponse:
    """The printable certificate (one A4 page); drawn by certificate.js from the data."""
    if await _certificate(request, assignment_id, trainee_id) is None:
        return response.html(NOT_FOUND_PAGE, status=404)
    return await response.file(STATIC / "certificate.html")


@certificates.get("/api/certificate/<assignment_id:int>/<trainee_id>")
async def certificate_api(request: Request, assignment_id: int, trainee_id: str
                          ) -> response.HTTPResponse:
    """What the certificate shows: trainee, unit, scenarios with their visit scores, the day
    it was passed, who set the exam, until when it is valid."""
    found = await _certificate(request, assignment_id, trainee_id)
    if found is None:
        return _error(404, NOT_FOUND)
    return response.json({"certificate": found})
