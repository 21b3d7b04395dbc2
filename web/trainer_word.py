"""The trainer's word on the trainee's side: their comments and corrected scores under the
replies in *Riwayat saya*, a trainer's verdict in place of the machine's, the marker "komentar
baru dari pelatih" until read, and the trainee's one answer to a comment.

Only a signed-in trainee of the roster reaches these, and only for their own signed-in visits
(``review.notes.for_trainee``).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from sanic import Blueprint, response
from sanic.request import Request

from review import notes, verdicts
from review.notes import Note, TurnKey
from web import members
from web.threads import in_thread
from web.trainee import body_of, error

bp = Blueprint("trainer_word", url_prefix="/api/notes")
SIGN_IN = "Masuk dulu untuk membaca komentar pelatih."

Notes = Mapping[TurnKey, list[Note]]


def trainee_notes(found: list[Note]) -> list[dict[str, Any]]:
    """A reply's notes as the trainee reads them (the trainer's name, comment, scores)."""
    return [{"id": n.id, "trainer": n.trainer, "comment": n.comment, "scores": n.scores,
             "new": n.read_at is None, "trainee_reply": n.trainee_reply} for n in found]


def with_trainer_word(detail: dict[str, Any], found: Notes,
                      overrides: Mapping[str, verdicts.Override]) -> dict[str, Any]:
    """A visit as its trainee sees it, with the trainer's verdict and notes. While an exam's
    scores are hidden (not ended yet), so are the notes."""
    verdicts.apply(detail, overrides.get(detail.get("id") or ""))
    hidden = bool(detail.get("exam_mode")) and not detail.get("debrief")
    unread = 0
    for turn in detail.get("turns") or []:
        mine = [] if hidden else trainee_notes(
            found.get((detail["sender_id"], detail["visit"], turn["turn"]), []))
        turn["trainer_notes"] = mine
        unread += sum(1 for n in mine if n["new"])
    detail["unread_notes"] = unread
    return detail


async def word_of(member_id: str, senders: Iterable[str]
                  ) -> tuple[Notes, dict[str, verdicts.Override]]:
    """The notes a trainee may read and the trainers' verdicts on these conversations."""
    found = await in_thread(notes.for_trainee, member_id)
    overrides = await in_thread(verdicts.overrides_for, list(senders))
    return found, overrides


@bp.get("/unread")
async def unread(request: Request) -> response.HTTPResponse:
    """How many trainer's notes the signed-in trainee has not read yet (the page's marker)."""
    member = await members.signed_in(request)
    if member is None:
        return error(401, SIGN_IN)
    found = await in_thread(notes.for_trainee, member.id)
    count = sum(1 for items in found.values() for n in items if n.read_at is None)
    return response.json({"unread": count})


@bp.post("/read")
async def read(request: Request) -> response.HTTPResponse:
    """The trainee opened a visit: its notes are read."""
    member = await members.signed_in(request)
    if member is None:
        return error(401, SIGN_IN)
    try:
        data = body_of(request)
    except ValueError as exc:
        return error(400, str(exc))
    sender, visit = data.get("sender"), data.get("visit")
    if not isinstance(sender, str) or isinstance(visit, bool) or not isinstance(visit, int):
        return error(400, "Sebutkan kunjungannya.")
    found = await in_thread(notes.for_trainee, member.id)
    if not any(key[:2] == (sender, visit) for key in found):
        return response.json({"read": 0})
    return response.json({"read": await in_thread(notes.mark_read, sender, visit)})


@bp.post("/answer")
async def answer(request: Request) -> response.HTTPResponse:
    """The trainee's one answer to a trainer's note (at most 500 characters)."""
    member = await members.signed_in(request)
    if member is None:
        return error(401, SIGN_IN)
    try:
        data = body_of(request)
    except ValueError as exc:
        return error(400, str(exc))
    note_id = data.get("note")
    if isinstance(note_id, bool) or not isinstance(note_id, int):
        return error(400, "Sebutkan komentar yang ditanggapi.")
    found = await in_thread(notes.for_trainee, member.id)
    if not any(n.id == note_id for items in found.values() for n in items):
        return error(404, "Komentar itu tidak ditemukan.")
    try:
        saved = await in_thread(notes.answer_note, note_id, member.id, data.get("text"))
    except ValueError as exc:
        return error(400, str(exc))
    except LookupError as exc:
        return error(409, str(exc))
    return response.json({"note": trainee_notes([saved])[0]})
