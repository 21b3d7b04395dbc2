"""A trainer's verdict on a finished visit: it replaces the machine's pass/fail everywhere.

The override (pass or fail, a reason, the trainer's name) is kept in ``verdict_overrides``
and applied by :func:`apply` to a visit's summary or detail wherever one is shown: the review
store's rows (written by ``review/ingest.py`` and rewritten here when a trainer decides), the
trainee's *Riwayat saya* and the exports. The machine's verdict stays beside it
(``machine_verdict``); every decision and withdrawal is audited.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional

import sqlalchemy as sa

from actions.cleaning import clean_text
from review.db import audit_log, engine, sessions, verdict_overrides

MAX_REASON = 1000


@dataclass(frozen=True)
class Override:
    passed: bool
    reason: str
    trainer: str
    updated: float

    def as_dict(self) -> dict[str, Any]:
        return {"passed": self.passed, "reason": self.reason, "trainer": self.trainer,
                "updated": self.updated}


def verdict_word(passed: Optional[bool]) -> str:
    return "LULUS" if passed else "BELUM LULUS"


def apply(row: dict[str, Any], override: Optional[Override]) -> dict[str, Any]:
    """``row`` (a visit's summary or detail) with the trainer's verdict, or with the machine's
    again when there is none (idempotent: the machine's verdict is kept in the row)."""
    machine = row.get("machine_verdict") or {
        "passed": row.get("passed"), "reason": row.get("reason"),
        "fail_reasons": list(row.get("fail_reasons") or [])}
    debrief = row.get("debrief") if isinstance(row.get("debrief"), dict) else None
    if override is None or not row.get("finished"):
        row.pop("machine_verdict", None)
        row.pop("verdict_override", None)
        row.update(passed=machine["passed"], reason=machine["reason"],
                   fail_reasons=machine["fail_reasons"], verdict_by="mesin")
        if debrief is not None:
            debrief.pop("override", None)
            debrief.update(passed=machine["passed"], reason=machine["reason"])
        return row
    reason = (f"Keputusan pelatih ({override.trainer}): {verdict_word(override.passed)}. "
              f"{override.reason} (Penilaian mesin: {verdict_word(machine['passed'])}.)")
    row.update(machine_verdict=machine, verdict_override=override.as_dict(),
               passed=override.passed, reason=reason, verdict_by=f"pelatih: {override.trainer}",
               fail_reasons=[] if override.passed else
               [f"Keputusan pelatih: {override.reason}"])
    if debrief is not None:
        debrief.update(passed=override.passed, reason=reason, override={
            **override.as_dict(), "machine_passed": machine["passed"],
            "machine_reason": machine["reason"]})
    return row


def overrides_for(sender_ids: Optional[Iterable[str]] = None, url: Optional[str] = None
                  ) -> dict[str, Override]:
    """The trainers' verdicts by session id (of these conversations, or all)."""
    query = sa.select(verdict_overrides)
    if sender_ids is not None:
        query = query.where(verdict_overrides.c.sender_id.in_(list(sender_ids)))
    with engine(url).connect() as conn:
        return {row.session_id: Override(row.passed, row.reason, row.trainer, row.updated)
                for row in conn.execute(query)}


def _rewrite(conn: sa.engine.Connection, session_id: str, override: Optional[Override]) -> None:
    """The review store's row of the session with (or without) the trainer's verdict."""
    row = conn.execute(sa.select(sessions.c.summary, sessions.c.detail).where(
        sessions.c.id == session_id)).first()
    if row is None:
        return
    summary = apply(json.loads(row.summary), override)
    detail = apply(json.loads(row.detail), override)
    conn.execute(sa.update(sessions).where(sessions.c.id == session_id).values(
        passed=summary["passed"], summary=json.dumps(summary, ensure_ascii=False),
        detail=json.dumps(detail, ensure_ascii=False)))


def decide(session: Mapping[str, Any], trainer: str, passed: Any, reason: Any,
           url: Optional[str] = None) -> Override:
    """Store ``trainer``'s verdict on a finished session (replacing an earlier one); audited.

    ``ValueError`` (Indonesian) for a missing reason, a non-boolean verdict or an unfinished
    visit."""
    if not isinstance(passed, bool):
        raise ValueError("Pilih keputusan: lulus atau belum lulus.")
    text = clean_text(reason).strip() if isinstance(reason, str) else ""
    if not text:
        raise ValueError("Tuliskan alasan keputusan Anda.")
    if len(text) > MAX_REASON:
        raise ValueError(f"Alasan terlalu panjang (maks. {MAX_REASON} karakter).")
    if not session.get("finished"):
        raise ValueError("Kunjungan ini belum selesai; keputusan diberikan setelah selesai.")
    now = time.time()
    override = Override(passed, text, trainer, now)
    values = {"passed": passed, "reason": text, "trainer": trainer, "updated": now}
    with engine(url).begin() as conn:
        key = verdict_overrides.c.session_id == session["id"]
        if not conn.execute(sa.update(verdict_overrides).where(key).values(**values)).rowcount:
            conn.execute(sa.insert(verdict_overrides).values(
                session_id=session["id"], sender_id=session["sender_id"],
                visit=session["visit"], **values))
        _rewrite(conn, session["id"], override)
        conn.execute(sa.insert(audit_log).values(
            ts=now, actor=trainer, action="verdict", detail=json.dumps(
                {"session": session["id"], "passed": passed,
                 "machine_passed": (session.get("machine_verdict") or session).get("passed"),
                 "reason": text[:200]}, ensure_ascii=False)))
    return override


def withdraw(session_id: str, trainer: str, url: Optional[str] = None) -> bool:
    """The machine's verdict again (``False`` if there was no trainer's verdict); audited."""
    with engine(url).begin() as conn:
        gone = conn.execute(sa.delete(verdict_overrides).where(
            verdict_overrides.c.session_id == session_id)).rowcount
        if gone:
            _rewrite(conn, session_id, None)
            conn.execute(sa.insert(audit_log).values(
                ts=time.time(), actor=trainer, action="verdict_withdrawn",
                detail=json.dumps({"session": session_id})))
    return bool(gone)
