"""The trainer's side of the roster: units, enrolling trainees (one, or a CSV/Excel sheet),
new enrolment codes, disabling. A trainer acts within their units; admins add units. Every
change is written to the audit log under the trainer's name."""

from __future__ import annotations

from typing import Any, Optional

from sanic import Blueprint, response
from sanic.request import Request

from actions.cleaning import exportable
from review import notes, roster
from web.threads import in_thread
from web.trainer_auth import trainer_of, trainer_only, units_of

bp = Blueprint("roster", url_prefix="/review")
MAX_UPLOAD = 2_000_000


def _json(request: Request) -> Optional[dict[str, Any]]:
    data = request.json if "json" in request.headers.get("content-type", "") else None
    return exportable(data) if isinstance(data, dict) else None  # clean strings only


def _error(status: int, message: str) -> response.HTTPResponse:
    return response.json({"error": message}, status=status)


async def _audit(request: Request, action: str, detail: dict[str, Any]) -> None:
    await in_thread(notes.audit, trainer_of(request).name, action, detail)


async def _mine(request: Request, employee_id: str) -> Optional[dict[str, Any]]:
    """The roster entry of this exact ID if it is in the trainer's units, else ``None``."""
    found = await in_thread(roster.entry, employee_id)
    units = units_of(request)
    if found is None or (units is not None and found["unit"].casefold() not in
                         {u.casefold() for u in units}):
        return None
    return found


@bp.get("/api/units")
@trainer_only(api=True)
async def units_api(request: Request) -> response.HTTPResponse:
    """Every managed unit with its number of trainees, and the ones this trainer may use."""
    listed = await in_thread(roster.unit_counts)
    units = units_of(request)
    mine = [u["name"] for u in listed if units is None or u["name"] in units]
    for unit in listed:  # how many trainees another unit has is not this trainer's business
        if unit["name"] not in mine:
            unit["trainees"] = None
    return response.json({"units": listed, "mine": mine})


@bp.post("/api/units")
@trainer_only(api=True, admin=True)
async def add_unit_api(request: Request) -> response.HTTPResponse:
    data = _json(request)
    if data is None or not isinstance(data.get("name"), str):
        return _error(400, "Tulis nama unit.")
    try:
        name = await in_thread(roster.add_unit, data["name"])
    except ValueError as exc:
        return _error(409 if "sudah ada" in str(exc) else 400, str(exc))
    await _audit(request, "unit-add", {"unit": name})
    return response.json({"unit": name})


@bp.get("/api/roster")
@trainer_only(api=True)
async def roster_api(request: Request) -> response.HTTPResponse:
    """The enrolled trainees of the trainer's units (``q``: part of ID or name; ``unit``)."""
    found = await in_thread(roster.members, units_of(request),
                            (request.args.get("q") or "")[:80],
                            (request.args.get("unit") or "")[:120])
    return response.json({"trainees": found})


@bp.post("/api/roster")
@trainer_only(api=True)
async def enrol_api(request: Request) -> response.HTTPResponse:
    """Enrol one trainee; the answer carries their one-time enrolment code (shown once)."""
    data = _json(request)
    if data is None:
        return _error(400, "Permintaan tidak valid: isi harus objek JSON.")
    try:
        trainee, code = await in_thread(roster.enrol, data.get("employee_id"), data.get("name"),
                                        data.get("unit"), trainer_of(request).name,
                                        units_of(request))
    except PermissionError as exc:
        return _error(403, str(exc))
    except ValueError as exc:
        return _error(409 if "sudah terdaftar" in str(exc) else 400, str(exc))
    await _audit(request, "enrol", trainee)
    return response.json({"trainee": trainee, "code": code})


@bp.post("/api/roster/upload")
@trainer_only(api=True)
async def upload_api(request: Request) -> response.HTTPResponse:
    """Enrol every row of an uploaded CSV or Excel sheet (ID pegawai, Nama, Unit)."""
    upload = request.files.get("file") if request.files else None
    if upload is None or not upload.body:
        return _error(400, "Pilih berkas .csv atau .xlsx berisi daftar peserta.")
    if len(upload.body) > MAX_UPLOAD:
        return _error(413, "Berkas terlalu besar (maks. 2 MB).")
    default_unit = request.form.get("unit") if request.form else None
    try:
        rows = await in_thread(roster.read_sheet, upload.name or "", upload.body)
    except ValueError as exc:
        return _error(400, str(exc))
    enrolled, errors = await in_thread(roster.enrol_sheet, rows, trainer_of(request).name,
                                       default_unit if isinstance(default_unit, str) else None,
                                       units_of(request))
    await _audit(request, "enrol-sheet", {"file": (upload.name or "")[:120],
                                          "enrolled": [t["id"] for t in enrolled],
                                          "errors": len(errors)})
    return response.json({"enrolled": enrolled, "errors": errors})


@bp.post("/api/roster/<employee_id>/code")
@trainer_only(api=True)
async def new_code_api(request: Request, employee_id: str) -> response.HTTPResponse:
    """A new one-time enrolment code; the trainee's password and sign-ins end."""
    found = await _mine(request, employee_id)
    if found is None:
        return _error(404, "Peserta tidak ditemukan di unit Anda.")
    code = await in_thread(roster.new_enrolment_code, found["id"])
    await _audit(request, "enrol-code", {"trainee_id": found["id"]})
    return response.json({"trainee": found, "code": code})


@bp.post("/api/roster/<employee_id>/disable")
@trainer_only(api=True)
async def disable_api(request: Request, employee_id: str) -> response.HTTPResponse:
    data = _json(request) or {}
    disabled = data.get("disabled", True)
    if not isinstance(disabled, bool):
        return _error(400, "Pilihan nonaktif harus benar/salah.")
    found = await _mine(request, employee_id)
    if found is None:
        return _error(404, "Peserta tidak ditemukan di unit Anda.")
    await in_thread(roster.set_disabled, found["id"], disabled)
    await _audit(request, "enrol-disable" if disabled else "enrol-enable",
                 {"trainee_id": found["id"]})
    return response.json({"disabled": disabled})
