"""Trainer review: login, pages, JSON data, exports. Everything here needs a trainer login."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from sanic import Blueprint, response
from sanic.request import Request

from review import export as exports
from review import notes, queries, roster, verdicts
from web.threads import in_thread
from web.trainer_auth import trainer_of, trainer_only, units_of

bp = Blueprint("review", url_prefix="/review")
STATIC = Path(__file__).resolve().parent / "static"
# Review pages whose content is drawn by one script into one container: (title, script, class).
SHELL_PAGES = {
    "session": ("Sesi latihan", "session.js", "session-page"),
    "print": ("Transkrip (cetak)", "session.js", "print-page"),
    "trainee": ("Perkembangan peserta", "progress.js", "progress-page"),
    "cohort": ("Ringkasan kelompok", "cohort.js", "cohort-page"),
    "account": ("Akun saya", "account.js", "account-page"),
    "assignments": ("Tugas peserta", "assignments.js", "assignments-page"),
    "roster": ("Daftar peserta", "roster.js", "roster-page"),
}
SHELL = """<!doctype html>
<html lang="id">
<head>
  <meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title} — PTSP</title>
  <link rel="stylesheet" href="/static/style.css">
  <link rel="stylesheet" href="/static/workspace.css">
</head>
<body class="review {body_class}">
  <header class="top"><h1>Tinjauan Pelatih PTSP</h1></header>
  <main>
    <p id="error" class="error" role="alert"></p>
    <div id="page"></div>
  </main>
  <script src="/catalog.js"></script>
  <script src="/static/common.js"></script>
  <script src="/static/picker.js"></script>
  {nav}<script src="/static/{script}"></script>
</body>
</html>
"""


@bp.get("/", strict_slashes=False)
@trainer_only(api=False)
async def sessions_page(request: Request) -> response.HTTPResponse:
    return await response.file(STATIC / "review.html")


def _shell_handler(title: str, script: str, body_class: str) -> Callable:
    nav = "" if body_class == "print-page" else '<script src="/static/nav.js"></script>\n  '
    page_html = SHELL.format(title=title, script=script, body_class=body_class, nav=nav)

    @trainer_only(api=False)
    async def page(request: Request) -> response.HTTPResponse:
        return response.html(page_html)

    return page


for _path, (_title, _script, _class) in SHELL_PAGES.items():
    bp.add_route(_shell_handler(_title, _script, _class), f"/{_path}", methods=["GET"],
                 name=f"page_{_path}")


async def _fresh(request: Request) -> None:
    """The review store caught up with the event broker (a no-op when nothing is new)."""
    catch_up = getattr(request.app.ctx, "review_catch_up", None)
    if catch_up is not None:
        await catch_up()


async def _filters(request: Request) -> queries.Filters:
    """The request's filters, within the units the trainer sees."""
    await _fresh(request)
    return queries.Filters.from_args(request.args, units_of(request))


def trainer_name(request: Request) -> str:
    return trainer_of(request).name


async def _in_scope(request: Request, detail: dict[str, Any]) -> bool:
    """A trainer with units sees only the signed-in sessions of the trainees the roster puts
    in those units (what a visit declares never decides)."""
    units = units_of(request)
    if units is None:
        return True
    if not detail.get("signed_in") or not detail.get("trainee_id"):
        return False
    unit = await in_thread(roster.unit_of, detail["trainee_id"])
    return unit is not None and unit.casefold() in {u.casefold() for u in units}


def _bad_request(exc: Exception) -> response.HTTPResponse:
    return response.json({"error": str(exc)}, status=400)


def _int_arg(request: Request, name: str, default: int) -> int:
    value = request.args.get(name)
    if value in (None, ""):
        return default
    if not str(value).isdigit() or len(str(value)) > 9:
        raise ValueError(f"{name} harus bilangan bulat positif (paling banyak 9 angka).")
    return int(value)


@bp.get("/api/sessions")
@trainer_only(api=True)
async def sessions_api(request: Request) -> response.HTTPResponse:
    """One page of sessions: filters (trainee, scenario, since, until, finished, passed, exam,
    q: text in the replies, web: only the web page's trainees), sort/order, page/per_page."""
    try:
        filters = await _filters(request)
        page = await in_thread(
            queries.list_sessions, filters, request.args.get("sort") or "started",
            (request.args.get("order") or "desc") != "asc", _int_arg(request, "page", 1),
            _int_arg(request, "per_page", 50))
    except ValueError as exc:
        return _bad_request(exc)
    return response.json({**page, "scenarios": request.app.ctx.scenarios})


@bp.get("/api/trainees")
@trainer_only(api=True)
async def trainees_api(request: Request) -> response.HTTPResponse:
    """Trainees by name or ID for the picker (web trainees only unless ``all=1``)."""
    await _fresh(request)
    everyone = (request.args.get("all") or "") in queries.YES
    found = await in_thread(queries.find_trainees, request.args.get("q") or "", everyone, 50,
                             None, units_of(request))
    return response.json({"trainees": found})


@bp.get("/api/session")
@trainer_only(api=True)
async def session_api(request: Request) -> response.HTTPResponse:
    """One session: transcript, per-turn scores and evidence, mood, objectives, debrief, and
    the trainers' notes beside the machine's scores."""
    await _fresh(request)
    wanted = request.args.get("id") or ""
    detail = await in_thread(queries.session_detail, wanted)
    if detail is None or not await _in_scope(request, detail):
        return response.json({"error": "Sesi tidak ditemukan."}, status=404)
    found = await in_thread(notes.notes_for, [detail["sender_id"]])
    return response.json(notes.attach(detail, found))


@bp.post("/api/note")
@trainer_only(api=True)
async def note_api(request: Request) -> response.HTTPResponse:
    """A trainer's comment and/or own scores (0-100) on one reply; replaces their earlier one."""
    data = request.json if request.headers.get("content-type", "").startswith(
        "application/json") else None
    if not isinstance(data, dict):
        return _bad_request(ValueError("Permintaan tidak valid: isi harus objek JSON."))
    session_id, turn = data.get("session"), data.get("turn")
    if not isinstance(session_id, str) or ":" not in session_id or \
            isinstance(turn, bool) or not isinstance(turn, int):
        return _bad_request(ValueError("Sebutkan sesi dan nomor balasan."))
    sender, _, visit = session_id.rpartition(":")
    await _fresh(request)
    detail = await in_thread(queries.session_detail, session_id)
    if detail is None or not await _in_scope(request, detail) or \
            not any(t["turn"] == turn for t in detail["turns"]):
        return response.json({"error": "Balasan tidak ditemukan."}, status=404)
    try:
        saved = await in_thread(notes.save_note, (sender, int(visit), turn),
                                 trainer_name(request), data.get("comment"), data.get("scores"))
    except ValueError as exc:
        return _bad_request(exc)
    return response.json({"note": saved.as_dict()})


@bp.post("/api/verdict")
@trainer_only(api=True)
async def verdict_api(request: Request) -> response.HTTPResponse:
    """A trainer's verdict on a finished visit (``passed`` and ``reason``), replacing the
    machine's everywhere; ``withdraw: true`` gives the machine's back. Audited."""
    data = request.json if request.headers.get("content-type", "").startswith(
        "application/json") else None
    if not isinstance(data, dict) or not isinstance(data.get("session"), str):
        return _bad_request(ValueError("Permintaan tidak valid: sebutkan sesinya."))
    await _fresh(request)
    detail = await in_thread(queries.session_detail, data["session"])
    if detail is None or not await _in_scope(request, detail):
        return response.json({"error": "Sesi tidak ditemukan."}, status=404)
    if data.get("withdraw") is True:
        await in_thread(verdicts.withdraw, detail["id"], trainer_name(request))
    else:
        try:
            await in_thread(verdicts.decide, detail, trainer_name(request), data.get("passed"),
                            data.get("reason"))
        except ValueError as exc:
            return _bad_request(exc)
    found = await in_thread(queries.session_detail, detail["id"])
    return response.json({key: found.get(key) for key in (
        "passed", "reason", "verdict_by", "verdict_override", "machine_verdict",
        "fail_reasons")})


@bp.get("/api/trainee")
@trainer_only(api=True)
async def trainee_api(request: Request) -> response.HTTPResponse:
    """A trainee's progress over time (``scenario``: one scenario only)."""
    await _fresh(request)
    found = await in_thread(queries.progress, request.args.get("id") or "",
                             request.args.get("scenario") or None, None, units_of(request))
    if found is None:
        return response.json({"error": "Peserta tidak ditemukan."}, status=404)
    return response.json(found)


@bp.get("/api/cohort")
@trainer_only(api=True)
async def cohort_api(request: Request) -> response.HTTPResponse:
    """Cohort view over the filtered sessions."""
    try:
        filters = await _filters(request)
    except ValueError as exc:
        return _bad_request(exc)
    return response.json(await in_thread(queries.cohort, filters))


@bp.get("/export/<filename>")
async def export_by_link(request: Request, filename: str) -> response.HTTPResponse:
    """Downloads are POSTs: a link or an image on another page cannot start one."""
    return response.json({"error": "Unduh lewat tombol Unduh di halaman tinjauan (ekspor "
                                   "dikirim dengan POST)."}, status=405,
                         headers={"Allow": "POST"})


class _Fields(dict):
    """Query arguments and form fields of a request as one ``get``-able mapping."""

    @classmethod
    def of(cls, request: Request) -> _Fields:
        fields = cls({k: v[0] for k, v in request.args.items() if v})
        if request.form:
            fields.update({k: v[0] for k, v in request.form.items() if v})
        return fields


@bp.post("/export/<filename>")
@trainer_only(api=True)
async def export_api(request: Request, filename: str) -> response.HTTPResponse:
    """CSV, JSON or Excel download of the filtered sessions or their turns (sessions.csv,
    turns.xlsx…); CSV separated by ``;`` unless ``sep=,`` (an Indonesian Excel expects ``;``).
    CSV and Excel are for people (Indonesian headers and values, local time) unless
    ``format=raw`` (the machine format, as JSON always is).
    Filters as query arguments or form fields. Every download is written to the audit log."""
    what, _, fmt = filename.partition(".")
    if what not in ("sessions", "turns") or fmt not in exports.FORMATS:
        return response.json({"error": "Ekspor tidak dikenal."}, status=404)
    args = _Fields.of(request)
    try:
        await _fresh(request)
        sessions = await in_thread(queries.details,
                                   queries.Filters.from_args(args, units_of(request)))
        found = await in_thread(notes.notes_for, [s["sender_id"] for s in sessions])
        data = await in_thread(exports.export, sessions, fmt, what, args.get("sep") or ";",
                               found, args.get("format") == "raw")
    except ValueError as exc:
        return _bad_request(exc)
    await in_thread(notes.audit, trainer_name(request), "export", {
        "what": what, "format": fmt, "sessions": len(sessions),
        "filters": {k: args.get(k) for k in ("trainee", "unit", "scenario", "since", "until",
                                             "finished", "passed", "exam", "q")}})
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d")
    headers = {"Content-Disposition": f'attachment; filename="ptsp-{what}-{stamp}.{fmt}"'}
    if isinstance(data, bytes):
        return response.raw(data, headers=headers, content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    mime = "text/csv; charset=utf-8" if fmt == "csv" else "application/json; charset=utf-8"
    body = ("\ufeff" + data) if fmt == "csv" else data  # BOM: Excel reads UTF-8 correctly
    return response.text(body, content_type=mime, headers=headers)


@bp.get("/api/audit")
@trainer_only(api=True, admin=True)
async def audit_api(request: Request) -> response.HTTPResponse:
    """The newest audit entries (exports, overrides, comments, logins); ``action`` keeps one
    kind, ``before`` (an entry id) pages back, ``limit`` up to 1000."""
    try:
        limit = min(_int_arg(request, "limit", 200), 1000) or 200
        before = _int_arg(request, "before", 0) or None
    except ValueError as exc:
        return _bad_request(exc)
    entries = await in_thread(notes.audit_entries, limit, None,
                              (request.args.get("action") or "")[:40] or None, before)
    return response.json({"entries": entries})


async def _side(request: Request, spec: str) -> queries.Filters:
    """``trainee:<id>`` or ``unit:<name>`` as filters within the trainer's units."""
    kind, _, value = spec.partition(":")
    value = value.strip()
    units = units_of(request)
    if kind == "trainee" and value:  # one trainee, by the exact employee ID
        return queries.Filters(trainee=value, units=units, exact_trainee=True)
    if kind == "unit" and value:
        listed = await in_thread(roster.canonical_unit, value)
        if listed is None:
            raise ValueError("Unit itu tidak ada dalam daftar unit kerja.")
        if units is not None and listed not in units:
            raise PermissionError("Unit itu bukan unit Anda.")
        return queries.Filters(units=(listed,))
    raise ValueError("Pilih peserta atau unit kerja yang dibandingkan dari daftar.")


@bp.get("/api/compare")
@trainer_only(api=True)
async def compare_api(request: Request) -> response.HTTPResponse:
    """Two trainees, or a trainee and a unit, side by side: averages per dimension, sessions,
    pass rate (``a`` and ``b`` as ``trainee:<id>`` or ``unit:<name>``)."""
    await _fresh(request)
    sides = {}
    for key in ("a", "b"):
        try:
            filters = await _side(request, request.args.get(key) or "")
        except PermissionError as exc:
            return response.json({"error": str(exc)}, status=403)
        except ValueError as exc:
            return _bad_request(exc)
        label = (request.args.get(key) or "").partition(":")[2].strip()
        if filters.trainee:
            found = await in_thread(queries.find_trainees, filters.trainee, True, 50, None,
                                    units_of(request))
            exact = next((t for t in found if t["id"] == filters.trainee), None)
            if exact is not None and exact["name"]:
                label = f"{exact['name']} ({exact['id']})"
        else:
            label = f"Unit {filters.units[0]}"
        sides[key] = {"label": label, **await in_thread(queries.cohort, filters)}
    return response.json(sides)
