"""The trainee's API: start a visit, talk to the citizen, finish, re-read one's own visit."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import uuid
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request

from actions import counter
from actions.cleaning import as_reply, clean_text
from actions.visits import Visit, visits_from_events
from review import limits, roster
from web import members, rasa_client
from web.security import TRAINEE_COOKIE, TRAINEE_TTL, set_cookie, sign, verify
from web.threads import in_thread

bp = Blueprint("trainee", url_prefix="/api")

EMPLOYEE_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
MESSAGE_ID = re.compile(r"^[A-Za-z0-9_-]{8,40}$")
MAX_MESSAGE = 10_000
MAX_NAME = 80
START_WINDOW = 600  # visit starts are counted over 10 minutes


def error(status: int, message: str) -> response.HTTPResponse:
    """A JSON error the page shows as is (Indonesian)."""
    return response.json({"error": message}, status=status)


def body_of(request: Request) -> dict[str, Any]:
    """The JSON object of a request, or ``{}`` if there is none or it is not an object."""
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise ValueError("Permintaan tidak valid: isi harus JSON.") from exc
    if not isinstance(data, dict):
        raise ValueError("Permintaan tidak valid: isi harus objek JSON.")
    return data


async def visit_of(request: Request) -> dict[str, Any] | None:
    """The trainee's current visit from the signed cookie (sender id set by the server). A
    signed-in trainee's visit lives only as long as their sign-in: disabled, given a new code
    or signed out, they cannot go on with it (an exam under way included)."""
    visit = verify(request.app.ctx.settings.cookie_secret, request.cookies.get(TRAINEE_COOKIE))
    if visit is not None and visit.get("signed_in"):
        member = await members.signed_in(request)
        if member is None or member.id != visit.get("trainee_id"):
            return None
    return visit


async def _talk(request: Request, visit: dict[str, Any], text: str,
                message_id: str | None = None, reply: bool = False) -> response.HTTPResponse:
    trainee = {"id": visit["trainee_id"], "name": visit["name"]}
    if visit.get("unit"):
        trainee["unit"] = visit["unit"]
    if visit.get("signed_in"):
        trainee["signed_in"] = True  # the roster's trainee, signed in on this page
    metadata = {"trainee": trainee, "channel": "web",
                "message_id": message_id or uuid.uuid4().hex}
    if reply:  # typed by the trainee: never a practice control, whatever NLU reads in it
        metadata["reply"] = True
    try:
        settings = request.app.ctx.settings
        messages = await rasa_client.send(request.app.ctx.http, settings.rasa_url,
                                          visit["sender"], text, metadata, settings.channel_token)
    except rasa_client.RasaUnavailable:
        return error(503, "Server latihan sedang tidak dapat dihubungi. Coba lagi sebentar.")
    return response.json({"messages": rasa_client.classify(messages)})


@bp.get("/scenarios")
async def scenarios(request: Request) -> response.HTTPResponse:
    """Scenario ids with their Indonesian titles and briefs."""
    return response.json({"scenarios": request.app.ctx.scenarios})


@bp.post("/visit/start")
async def start(request: Request) -> response.HTTPResponse:
    """Start a new visit: a fresh sender id made from the employee id and a random part.

    A signed-in trainee of the roster starts under their own ID, name and unit (the body's
    are ignored); anyone else only practises (open practice, if the office allows it) under
    an employee ID that is not on the roster, never an exam."""
    try:
        data = body_of(request)
    except ValueError as exc:
        return error(400, str(exc))
    scenario = data.get("scenario") or ""
    exam = data.get("exam", False)
    known = {s["id"] for s in request.app.ctx.scenarios}
    if not isinstance(scenario, str) or (scenario and scenario not in known):
        return error(400, "Skenario tidak dikenal. Pilih dari daftar atau 'Acak'.")
    if not isinstance(exam, bool):
        return error(400, "Pilihan mode ujian harus benar/salah.")
    start_id = data.get("start_id")
    if start_id is not None and not (isinstance(start_id, str) and MESSAGE_ID.match(start_id)):
        return error(400, "Permintaan tidak valid: penanda mulai latihan tidak dikenali.")
    member = await members.signed_in(request)
    if member is not None:
        who = {"trainee_id": member.id, "name": member.name, "unit": member.unit,
               "signed_in": True}
    else:
        refused = await _open_practice_refusal(request, data, exam)
        if isinstance(refused, response.HTTPResponse):
            return refused
        who = refused
    settings = request.app.ctx.settings
    address = members.address_of(request)
    # per address only open practice: many anonymous starts never block a signed-in trainee
    if not await in_thread(limits.allow, f"start:{who['trainee_id'].lower()}",
                           settings.starts_per_trainee, START_WINDOW) or \
            (member is None and not await in_thread(
                limits.allow, f"start@{address}", settings.starts_per_address, START_WINDOW)):
        return error(429, "Terlalu banyak latihan dimulai dalam waktu singkat. Tunggu beberapa "
                          "menit, lalu mulai lagi.")
    visit = {"sender": _sender(request, who["trainee_id"], start_id), **who, "exam": exam}
    entities = {"feedback": "off" if exam else "on"}
    if scenario:
        entities["scenario"] = scenario
    command = "/start_scenario" + json.dumps(entities, separators=(",", ":"))
    # The page's start id is the start message's id: the REST channel answers a repeated start
    # (double click, retry) with the visit it already started instead of starting another.
    reply = await _talk(request, visit, command, message_id=start_id)
    if reply.status == 200:
        set_cookie(reply, TRAINEE_COOKIE, sign(settings.cookie_secret, visit, TRAINEE_TTL),
                   TRAINEE_TTL, settings.secure_cookies)
    return reply


async def _open_practice_refusal(request: Request, data: dict[str, Any], exam: bool
                                 ) -> dict[str, Any] | response.HTTPResponse:
    """Who practises without signing in, or the answer refusing it."""
    if not request.app.ctx.settings.open_practice:
        return error(403, "Latihan hanya untuk peserta terdaftar. " + members.SIGN_IN_FIRST)
    if exam:
        return error(403, "Mode ujian hanya untuk peserta terdaftar yang sudah masuk. "
                          + members.SIGN_IN_FIRST)
    name = clean_text(data["name"]) if isinstance(data.get("name"), str) else None
    employee_id = data.get("employee_id")
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_NAME:
        return error(400, f"Nama wajib diisi (paling banyak {MAX_NAME} karakter).")
    if not isinstance(employee_id, str) or not EMPLOYEE_ID.match(employee_id.strip()):
        return error(400, "ID pegawai wajib diisi: huruf, angka, '-' atau '_' (maks. 40).")
    if await in_thread(roster.entry, employee_id.strip()) is not None:
        return error(403, "ID pegawai ini sudah terdaftar. " + members.SIGN_IN_FIRST)
    return {"trainee_id": employee_id.strip(), "name": " ".join(name.split()), "unit": ""}


def _sender(request: Request, employee_id: str, start_id: str | None) -> str:
    """The conversation id of a new visit: the employee id and a random part, or, for a start
    the page marked with its own id, a part derived from that id (the same start, the same
    visit)."""
    if start_id is None:
        return f"web.{employee_id}.{uuid.uuid4().hex[:16]}"
    secret = request.app.ctx.settings.cookie_secret
    digest = hmac.new(secret, f"{employee_id}|{start_id}".encode(), hashlib.sha256).hexdigest()
    return f"web.{employee_id}.{digest[:16]}"


@bp.post("/visit/say")
async def say(request: Request) -> response.HTTPResponse:
    """One clerk reply to the citizen."""
    visit = await visit_of(request)
    if visit is None:
        return error(401, "Belum ada latihan yang berjalan. Mulai latihan terlebih dahulu.")
    try:
        data = body_of(request)
    except ValueError as exc:
        return error(400, str(exc))
    text = data.get("text")
    if not isinstance(text, str):
        return error(400, "Pesan harus berupa teks.")
    if len(text) > MAX_MESSAGE:
        return error(413, f"Pesan terlalu panjang (maks. {MAX_MESSAGE:,} karakter)."
                     .replace(",", "."))
    text = as_reply(text)  # slash commands are the server's, never the trainee's
    if not text.strip():  # nothing said: not sent to the citizen, not scored
        return error(400, "Balasan masih kosong. Tulis balasan Anda terlebih dahulu.")
    message_id = data.get("message_id")
    if not (isinstance(message_id, str) and MESSAGE_ID.match(message_id)):
        message_id = None  # the page's id of this message makes a resend count once
    return await _talk(request, visit, text, message_id, reply=True)


@bp.post("/visit/finish")
async def finish(request: Request) -> response.HTTPResponse:
    """End the visit now (``/selesai``): the debrief follows."""
    visit = await visit_of(request)
    if visit is None:
        return error(401, "Belum ada latihan yang berjalan.")
    return await _talk(request, visit, "/selesai")


@bp.get("/visit/current")
async def current_visit(request: Request) -> response.HTTPResponse:
    """The trainee's unfinished visit as the page renders it, so that a reload loses nothing.

    ``{"visit": null}`` when there is none (no cookie, or the visit has its debrief already).
    """
    visit = await visit_of(request)
    if visit is None:
        return response.json({"visit": None})
    session = await latest_visit(request, visit["sender"])
    if session is None or session.debrief:
        return response.json({"visit": None})
    return response.json({"visit": page_visit(session, visit)})


async def latest_visit(request: Request, sender: str) -> Visit | None:
    """The conversation's visit that was started last (even before its first reply)."""
    conversations = await in_thread(request.app.ctx.store.conversations, [sender])
    started = [v for v in visits_from_events(sender, conversations.get(sender, []),
                                             keep_empty=True)
               if v.turns or v.debrief or any(m["speaker"] == "scene" for m in v.messages)]
    return started[-1] if started else None


def page_visit(session: Visit, visit: dict[str, Any]) -> dict[str, Any]:
    """An unfinished visit as the page shows it when it comes back (reload, resume)."""
    exam = bool(visit.get("exam") or session.exam)
    return {"name": visit["name"], "exam": exam, "scenario": session.scenario,
            "mood": session.mood or "calm", "messages": replay(session, exam)}


def replay(visit: Visit, exam: bool) -> list[dict[str, Any]]:
    """A stored visit as the messages the page got live: scene, clerk, feedback, citizen."""
    turns = {turn.number: turn for turn in visit.turns}
    scenario = visit.scenario or ""
    shown: list[dict[str, Any]] = []
    for line in visit.messages:
        speaker = line["speaker"]
        if speaker in ("scene", "citizen", "narrator"):
            again = {"kind": speaker, "text": line["text"]}
            if line.get("case"):
                again["case"] = line["case"]
            shown.append(again)
        elif speaker == "clerk":
            shown.append({"kind": "clerk", "text": line["text"]})
            turn = turns.get(line.get("turn"))
            if not exam and turn is not None and turn.record and turn.scores:
                so_far = [t.record for t in visit.turns[:turn.number] if t.record]
                shown.append({"kind": "feedback", "data": {
                    **turn.record.as_dict(with_reading=False), "scores": turn.scores,
                    "objectives": counter.objectives_so_far(scenario, so_far)}})
    return shown


def as_trainee_sees(session: Visit, visit: dict[str, Any]) -> dict[str, Any]:
    """A visit as its trainee may see it: in an exam, no scores or tips before the end."""
    detail = session.detail()
    exam = session.exam or (visit.get("exam") and visit["sender"] == session.sender_id)
    if not exam or session.debrief:
        return detail
    hidden = ("politeness", "clarity", "responsiveness", "overall", "reply_mean",
              "visit_score", "evidence", "tips", "scorer_version")
    detail["turns"] = [{k: v for k, v in turn.items() if k not in hidden}
                       for turn in detail["turns"]]
    for key in hidden:
        detail.pop(key, None)
    return detail
