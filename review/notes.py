"""Trainers' notes on a clerk reply: a comment and, optionally, their own scores (0-100) per
dimension — an override the review shows beside the machine's scores, the exports carry
(``trainer_scores``, ``trainer_comment``) and ``python -m review calibrate`` reads as
ratings. One note per trainer and reply (saving again replaces it); every save is audited.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional

import sqlalchemy as sa

from actions.catalog import DIMENSIONS
from actions.cleaning import clean_text
from review.db import audit_log, engine, sessions, turn_notes

MAX_COMMENT = 4000
TurnKey = tuple[str, int, int]  # (sender id, visit index, turn number)


MAX_ANSWER = 500  # the trainee's one answer to a note


@dataclass(frozen=True)
class Note:
    trainer: str
    comment: Optional[str]
    scores: Optional[dict[str, int]]
    updated: float
    id: Optional[int] = None
    read_at: Optional[float] = None  # when the trainee read it (None: new to them)
    trainee_reply: Optional[str] = None  # the trainee's one answer
    trainee_reply_at: Optional[float] = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "trainer": self.trainer, "comment": self.comment,
                "scores": self.scores, "updated": self.updated, "read": self.read_at is not None,
                "trainee_reply": self.trainee_reply, "trainee_reply_at": self.trainee_reply_at}


def parse_scores(value: Any) -> Optional[dict[str, int]]:
    """A trainer's scores: ``{dimension: 0..100}`` for some dimensions, or ``None``.

    ``ValueError`` (Indonesian, for the page) on anything else.
    """
    if value in (None, {}):
        return None
    if not isinstance(value, Mapping):
        raise ValueError("Nilai pelatih harus berupa objek {dimensi: angka}.")
    scores: dict[str, int] = {}
    for key, raw in value.items():
        if key not in DIMENSIONS:
            raise ValueError(f"Dimensi nilai tidak dikenal: {str(key)[:40]}.")
        if raw is None or raw == "":
            continue
        if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
            raise ValueError("Nilai pelatih harus angka 0–100.")
        try:
            number = float(raw)
        except ValueError as exc:
            raise ValueError("Nilai pelatih harus angka 0–100.") from exc
        if not 0 <= number <= 100 or number != number:
            raise ValueError("Nilai pelatih harus angka 0–100.")
        scores[key] = round(number)
    return scores or None


def save_note(key: TurnKey, trainer: str, comment: Any, scores: Any,
              url: Optional[str] = None) -> Note:
    """Store (or replace) ``trainer``'s note on one reply; audited. ``ValueError`` if invalid."""
    sender, visit, turn = key
    if comment is not None and not isinstance(comment, str):
        raise ValueError("Komentar harus berupa teks.")
    text = clean_text(comment).strip() if comment else None
    if text and len(text) > MAX_COMMENT:
        raise ValueError(f"Komentar terlalu panjang (maks. {MAX_COMMENT} karakter).")
    parsed = parse_scores(scores)
    if not text and parsed is None:
        raise ValueError("Tulis komentar atau isi setidaknya satu nilai.")
    now = time.time()
    # a changed note is new to the trainee again
    values = {"comment": text or None, "updated": now, "read_at": None,
              **{dim: (parsed or {}).get(dim) for dim in DIMENSIONS}}
    db = engine(url)
    where = sa.and_(turn_notes.c.sender_id == sender, turn_notes.c.visit == visit,
                    turn_notes.c.turn == turn, turn_notes.c.trainer == trainer)
    with db.begin() as conn:
        updated = conn.execute(sa.update(turn_notes).where(where).values(**values)).rowcount
        if not updated:
            conn.execute(sa.insert(turn_notes).values(
                sender_id=sender, visit=visit, turn=turn, trainer=trainer, created=now,
                **values))
        conn.execute(sa.insert(audit_log).values(
            ts=now, actor=trainer, action="override" if parsed else "comment",
            detail=json.dumps({"session": f"{sender}:{visit}", "turn": turn,
                               "scores": parsed, "comment": bool(text)})))
    return Note(trainer, text or None, parsed, now)


def notes_for(sender_ids: Optional[Iterable[str]] = None, url: Optional[str] = None
              ) -> dict[TurnKey, list[Note]]:
    """Notes by reply (oldest first) of these conversations, or of all."""
    query = sa.select(turn_notes).order_by(turn_notes.c.updated)
    if sender_ids is not None:
        query = query.where(turn_notes.c.sender_id.in_(list(sender_ids)))
    found: dict[TurnKey, list[Note]] = {}
    with engine(url).connect() as conn:
        for row in conn.execute(query).mappings():
            found.setdefault((row["sender_id"], row["visit"], row["turn"]), []).append(
                _note(row))
    return found


def for_trainee(trainee_id: str, url: Optional[str] = None) -> dict[TurnKey, list[Note]]:
    """The notes a trainee may read: those on their own signed-in visits (the review store's
    sessions say whose a visit is; a script under the same ID is not theirs)."""
    own = sa.select(sessions.c.sender_id, sessions.c.visit).where(
        sessions.c.trainee_id == trainee_id, sessions.c.signed_in.is_(True)).subquery()
    query = sa.select(turn_notes).join(own, sa.and_(
        own.c.sender_id == turn_notes.c.sender_id, own.c.visit == turn_notes.c.visit)
    ).order_by(turn_notes.c.updated)
    found: dict[TurnKey, list[Note]] = {}
    with engine(url).connect() as conn:
        for row in conn.execute(query).mappings():
            found.setdefault((row["sender_id"], row["visit"], row["turn"]), []).append(
                _note(row))
    return found


def _note(row: Mapping[str, Any]) -> Note:
    scores = {dim: row[dim] for dim in DIMENSIONS if row[dim] is not None} or None
    return Note(row["trainer"], row["comment"], scores, row["updated"], row["id"],
                row["read_at"], row["trainee_reply"], row["trainee_reply_at"])


def mark_read(sender: str, visit: int, url: Optional[str] = None) -> int:
    """The trainee opened this visit: its notes are read (how many were new)."""
    with engine(url).begin() as conn:
        return conn.execute(sa.update(turn_notes).where(
            turn_notes.c.sender_id == sender, turn_notes.c.visit == visit,
            turn_notes.c.read_at.is_(None)).values(read_at=time.time())).rowcount


def note_key(note_id: int, url: Optional[str] = None) -> Optional[TurnKey]:
    """The reply a note is on, or ``None`` for no such note."""
    with engine(url).connect() as conn:
        row = conn.execute(sa.select(turn_notes.c.sender_id, turn_notes.c.visit,
                                     turn_notes.c.turn).where(turn_notes.c.id == note_id)).first()
    return (row.sender_id, row.visit, row.turn) if row else None


def answer_note(note_id: int, trainee: str, text: Any, url: Optional[str] = None) -> Note:
    """The trainee's one answer to a note (the trainer sees it under the note); audited.

    ``ValueError`` (Indonesian) for an empty or too long answer; ``LookupError`` when the note
    was answered already."""
    if not isinstance(text, str) or not clean_text(text).strip():
        raise ValueError("Tulis tanggapan Anda terlebih dahulu.")
    answer = clean_text(text).strip()
    if len(answer) > MAX_ANSWER:
        raise ValueError(f"Tanggapan terlalu panjang (maks. {MAX_ANSWER} karakter).")
    now = time.time()
    with engine(url).begin() as conn:
        done = conn.execute(sa.update(turn_notes).where(
            turn_notes.c.id == note_id, turn_notes.c.trainee_reply.is_(None)).values(
                trainee_reply=answer, trainee_reply_at=now,
                read_at=sa.func.coalesce(turn_notes.c.read_at, now))).rowcount
        if not done:
            raise LookupError("Komentar ini sudah Anda tanggapi.")
        row = conn.execute(sa.select(turn_notes).where(turn_notes.c.id == note_id)
                           ).mappings().one()
        conn.execute(sa.insert(audit_log).values(
            ts=now, actor=f"peserta {trainee}"[:120], action="trainee_reply",
            detail=json.dumps({"session": f"{row['sender_id']}:{row['visit']}",
                               "turn": row["turn"], "note": note_id})))
    return _note(row)


def latest(notes: list[Note]) -> dict[str, Any]:
    """``trainer_scores`` and ``trainer_comment`` of a reply: the newest note that has each."""
    scores = next((n.scores for n in reversed(notes) if n.scores), None)
    comment = next((n.comment for n in reversed(notes) if n.comment), None)
    return {"trainer_scores": scores, "trainer_comment": comment}


def audit(actor: str, action: str, detail: Mapping[str, Any], url: Optional[str] = None) -> None:
    """One line in the audit log (exports, overrides)."""
    with engine(url).begin() as conn:
        conn.execute(sa.insert(audit_log).values(ts=time.time(), actor=actor[:120],
                                                 action=action[:40],
                                                 detail=json.dumps(dict(detail))))


def audit_entries(limit: int = 200, url: Optional[str] = None, action: Optional[str] = None,
                  before: Optional[int] = None) -> list[dict[str, Any]]:
    """The newest entries (of one ``action``; older than entry id ``before``: the next page,
    so no burst of entries hides an older one)."""
    query = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if action:
        query = query.where(audit_log.c.action == action)
    if before:
        query = query.where(audit_log.c.id < before)
    with engine(url).connect() as conn:
        return [{**dict(row), "detail": json.loads(row["detail"] or "{}")}
                for row in conn.execute(query).mappings()]


def attach(detail: dict[str, Any], notes: Mapping[TurnKey, list[Note]]) -> dict[str, Any]:
    """A session's detail with each turn's trainer notes beside the machine's scores."""
    sender, visit = detail["sender_id"], detail["visit"]
    for turn in detail.get("turns") or []:
        found = notes.get((sender, visit, turn["turn"]), [])
        turn.update(latest(found))
        turn["trainer_notes"] = [n.as_dict() for n in found]
    return detail
