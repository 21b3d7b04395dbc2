"""Events -> visits -> turns: the one reading of a conversation's tracker events.

A visit is a Rasa conversation session: ``/start_scenario`` (and *mulai latihan*) starts a new
session (``SessionStarted``), so a visit is the events from one ``session_started`` to the next.
The action server (the current visit's turn records), the review, the exports and the web page
all use :func:`visits_from_events`.

Every bot message of the assistant says what it is in its metadata (``{"type": ...}``: scene,
citizen, narrator, feedback, debrief); clerk messages are replies or, for the practice
controls, commands. Conversations stored before visits were sessions (no ``type``, several
visits in one session) are still read: a ``scenario`` slot after clerk turns starts a new visit,
and untyped bot texts are told apart the old way (``[`` opens a scene line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping, Optional

from actions import catalog
from actions.cleaning import clean_text, exportable
from actions.turn_record import TurnRecord, mean_scores

# Clerk messages that are commands to the trainer, not replies to the citizen.
COMMAND_INTENTS = frozenset({"start_scenario", "selesai", "session_start", "restart"})
MESSAGE_TYPES = ("scene", "citizen", "narrator", "feedback", "debrief")
WEB_SENDER = re.compile(r"^web\.(?P<trainee>[A-Za-z0-9_-]{1,40})\.[0-9a-f]{8,32}$")
CITIZEN_SLOTS = ("citizen_name", "citizen_honorific", "business_name", "visit_hour")


def iso(ts: Optional[float]) -> Optional[str]:
    """A Unix timestamp as ISO 8601 in UTC (seconds precision)."""
    if not isinstance(ts, (int, float)):
        return None
    return datetime.fromtimestamp(float(ts), tz=timezone.utc).isoformat(timespec="seconds")


def _map(value: Any) -> Mapping[str, Any]:
    """``value`` if it is a mapping, else an empty one (stored data may have any shape)."""
    return value if isinstance(value, Mapping) else {}


def message_type(event: Mapping[str, Any]) -> Optional[str]:
    """The kind of a bot event or REST message: from its custom payload or its metadata (an
    action's ``type=...``, or a domain response's ``metadata: {type: ...}``), else ``None``."""
    custom = _map(event.get("data")).get("custom")
    if isinstance(custom, Mapping) and custom.get("type") in MESSAGE_TYPES:
        return str(custom["type"])
    metadata = _map(event.get("metadata"))
    kind = metadata.get("type") or _map(metadata.get("metadata")).get("type")
    return str(kind) if isinstance(kind, str) and kind in MESSAGE_TYPES else None


def rest_message_type(message: Mapping[str, Any]) -> Optional[str]:
    """The kind of a message as the REST channel answers it (``type``, or its ``custom``)."""
    return message_type({"metadata": message, "data": {"custom": message.get("custom")}})


@dataclass
class VisitTurn:
    """One clerk reply with its record and the citizen's answer."""

    number: int
    timestamp: Optional[float]
    reply: str
    move: Optional[str]
    customer_turn: Optional[str]
    record: Optional[TurnRecord] = None
    rescored: Optional[dict[str, Any]] = None
    citizen_answer: list[str] = field(default_factory=list)

    @property
    def scores(self) -> Optional[dict[str, Any]]:
        """The newest scores: a re-score replaces the live score in the review."""
        if self.rescored and isinstance(self.rescored.get("scores"), dict):
            return self.rescored["scores"]
        return self.record.scores if self.record else None

    def as_dict(self) -> dict[str, Any]:
        record = self.record
        scores = self.scores or {}
        move = (record.move if record else None) or self.move
        return {
            "turn": self.number,
            "time": iso(self.timestamp),
            "reply": self.reply,
            "move": move,
            "move_label": catalog.move_label(move),
            "move_confidence": record.move_confidence if record else None,
            "customer_turn": record.customer_turn if record else self.customer_turn,
            "citizen_answer": " ".join(self.citizen_answer),
            "mood_before": record.mood_before if record else None,
            "mood_after": record.mood_after if record else None,
            "latency_seconds": record.latency_seconds if record else None,
            "scored": bool(self.scores),
            "scoring_error": None if self.scores else (
                record.scoring_error if record else "no turn record"),
            "rescored": bool(self.rescored and self.rescored.get("scores")),
            "scorer_version": (self.rescored or {}).get("scorer_version")
            or scores.get("version"),
            **{key: scores.get(key) for key in catalog.DIMENSIONS},
            "evidence": scores.get("evidence") or [],
            "tips": scores.get("tips") or [],
        }


@dataclass
class Visit:
    """One practice visit: a scenario from its start to its debrief (or to now)."""

    sender_id: str
    index: int
    scenario: Optional[str] = None
    started: Optional[float] = None
    last: Optional[float] = None
    trainee_id: Optional[str] = None
    trainee_name: Optional[str] = None
    unit: Optional[str] = None  # the trainee's unit: from the roster when signed in
    signed_in: bool = False  # the web service vouched for a signed-in trainee of the roster
    citizen: dict[str, Any] = field(default_factory=dict)
    turns: list[VisitTurn] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    debrief: Optional[dict[str, Any]] = None
    mood: Optional[str] = None
    exam: bool = False
    # records of replies written after the debrief (not turns of the visit; their citizen
    # lines still count as said)
    late_records: list[TurnRecord] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.sender_id}:{self.index}"

    @property
    def records(self) -> list[TurnRecord]:
        """The turn records of the visit, in order (turns without one are left out)."""
        return [t.record for t in self.turns if t.record is not None]

    def averages(self) -> dict[str, Optional[int]]:
        """Mean of each dimension over the scored turns (newest scores)."""
        return mean_scores([t.scores for t in self.turns])

    @property
    def verdict(self) -> Optional[dict[str, Any]]:
        """The visit's debrief with the newest scores: the stored one, or, when replies were
        re-scored since (``python -m review rescore``), the same debrief built again from the
        newest scores, so the visit score and verdict follow the replies' scores."""
        if self.debrief is None or not any(t.rescored for t in self.turns):
            return self.debrief
        from actions.debrief import build

        records = [{**dict(t.record), "scores": t.scores} for t in self.turns if t.record]
        rebuilt = build(self.scenario or "", records, str(self.debrief.get("ended_by") or ""),
                        str(self.debrief.get("final_mood") or self.mood or ""))
        return {**self.debrief, **rebuilt, "rescored": True}

    def scores_of_visit(self) -> dict[str, Any]:
        """The one score of the visit everywhere (lists, charts, exports): the debrief's visit
        score, the replies' mean beside it, the verdict and the reasons it failed."""
        verdict = self.verdict
        reply_mean = self.averages()["overall"]
        if verdict is None:
            return {"visit_score": None, "reply_mean": reply_mean, "passed": None,
                    "fail_reasons": []}
        reasons = verdict.get("fail_reasons")
        if not isinstance(reasons, list):  # a debrief stored before the reasons were listed
            reasons = [] if verdict.get("passed") else [verdict.get("reason") or ""]
        return {"visit_score": (verdict.get("averages") or {}).get("overall"),
                "reply_mean": verdict.get("reply_overall", reply_mean),
                "passed": bool(verdict.get("passed")),
                "fail_reasons": [str(r) for r in reasons if r]}

    def summary(self) -> dict[str, Any]:
        """The row of the sessions list (every string safe to export)."""
        debrief = self.verdict or {}
        visit = self.scores_of_visit()
        return exportable({
            "id": self.id,
            "sender_id": self.sender_id,
            "visit": self.index,
            "trainee_id": self.trainee_id,
            "trainee_name": self.trainee_name,
            "unit": self.unit,
            "signed_in": self.signed_in,
            # who made the visit: a signed-in trainee of the roster, open practice on the
            # page, or a script (REST, terminal): only the first counts for a trainee
            "source": "signed_in" if self.signed_in else
            "open_practice" if WEB_SENDER.match(self.sender_id) else "script",
            "scenario": self.scenario,
            "scenario_title": catalog.scenario_title(self.scenario),
            "exam_mode": self.exam,
            "started": iso(self.started),
            "duration_seconds": round((self.last or 0) - (self.started or 0)),
            "turns": len(self.turns),
            "scored_turns": sum(1 for t in self.turns if t.scores),
            "finished": bool(self.debrief),
            "reason": debrief.get("reason"),
            "ended_by": debrief.get("ended_by"),
            "final_mood": self.mood,
            # the replies' mean per dimension; ``overall`` is the visit score (see below)
            **self.averages(),
            **visit,
            "overall": visit["visit_score"],
        })

    def detail(self) -> dict[str, Any]:
        """Everything a trainer sees for one session (every string safe to export)."""
        return {
            **self.summary(),
            **exportable({
                "citizen": self.citizen,
                "transcript": self.transcript,
                "turns": [t.as_dict() for t in self.turns],
                "objectives": (self.verdict or {}).get("objectives") or [],
                "debrief": self.verdict,
            }),
        }

    @property
    def transcript(self) -> list[dict[str, Any]]:
        """The spoken lines in order (speaker, text, time, turn) without scores or debriefs."""
        return [{k: v for k, v in m.items() if k not in ("data", "case")} for m in self.messages
                if m["speaker"] not in ("feedback", "debrief")]


Trainee = tuple[Optional[str], Optional[str], Optional[str], bool]


def trainee_of(sender_id: str, events: Iterable[Mapping[str, Any]]) -> Trainee:
    """Trainee id, name, unit and whether they were signed in: from the web service's message
    metadata (believed only from the web service, channels/rest.py), else the id from the
    sender id."""
    for event in events:
        if event.get("event") == "user":
            trainee = _map(event.get("metadata")).get("trainee")
            if isinstance(trainee, Mapping) and isinstance(trainee.get("id"), str) and \
                    trainee["id"].strip():
                name, unit = trainee.get("name"), trainee.get("unit")
                return (clean_text(trainee["id"].strip()[:80]),
                        clean_text(name[:120]) if isinstance(name, str) and name else None,
                        clean_text(unit.strip()[:120]) if isinstance(unit, str) and
                        unit.strip() else None,
                        trainee.get("signed_in") is True)
    match = WEB_SENDER.match(sender_id)
    return (match.group("trainee"), None, None, False) if match else \
        (sender_id, None, None, False)


class _Reader:
    """Walks a conversation's events once, building its visits."""

    def __init__(self, sender_id: str, trainee: Trainee) -> None:
        self.sender_id = sender_id
        self.trainee = trainee
        self.visits: list[Visit] = []
        self.current: Optional[Visit] = None
        self.last_citizen: Optional[str] = None
        self.rescores: dict[tuple[Any, Any], dict[str, Any]] = {}
        self.after_end = False  # the latest clerk message came after the visit's debrief

    def new_visit(self, ts: Optional[float]) -> Visit:
        visit = Visit(self.sender_id, len(self.visits), started=ts, last=ts,
                      trainee_id=self.trainee[0], trainee_name=self.trainee[1],
                      unit=self.trainee[2], signed_in=self.trainee[3])
        self.visits.append(visit)
        self.current, self.last_citizen, self.after_end = visit, None, False
        return visit

    def feed(self, event: Mapping[str, Any]) -> None:
        kind, ts = event.get("event"), event.get("timestamp")
        ts = ts if isinstance(ts, (int, float)) else None
        if kind == "session_started":
            self.new_visit(ts)
            return
        if kind == "slot" and event.get("name") == "turn_rescore":
            value = event.get("value")
            if isinstance(value, Mapping):  # appended later by `python -m review rescore`
                self.rescores[(value.get("visit"), value.get("turn"))] = dict(value)
            return
        visit = self.current
        if kind == "slot" and event.get("name") == "scenario":
            if visit is None or visit.scenario is not None:
                visit = self.new_visit(ts)  # a conversation stored before visits were sessions
            visit.scenario = event.get("value") if isinstance(event.get("value"), str) else None
            return
        if visit is None:
            if kind in ("user", "bot"):
                visit = self.new_visit(ts)
            else:
                return
        if ts is not None:
            visit.started = visit.started if visit.started is not None else ts
            visit.last = max(visit.last or ts, ts)
        if kind == "user":
            self.user(visit, event)
        elif kind == "bot":
            self.bot(visit, event)
        elif kind == "slot":
            self.slot(visit, event.get("name"), event.get("value"))

    def user(self, visit: Visit, event: Mapping[str, Any]) -> None:
        intent = _map(_map(event.get("parse_data")).get("intent")).get("name")
        intent = intent if isinstance(intent, str) else None
        text = event.get("text") if isinstance(event.get("text"), str) else ""
        time = iso(event.get("timestamp"))
        typed = _map(event.get("metadata")).get("reply") is True  # a reply typed on the page
        if not typed and (intent in COMMAND_INTENTS or text.startswith("/")):
            visit.messages.append({"speaker": "command", "text": text, "time": time})
            return
        if visit.debrief is not None:  # written after the visit had ended: kept, not a turn
            visit.messages.append({"speaker": "clerk", "text": text, "time": time,
                                   "after_end": True})
            self.after_end = True
            return
        self.after_end = False
        turn = VisitTurn(number=len(visit.turns) + 1, timestamp=event.get("timestamp"),
                         reply=text, move=intent, customer_turn=self.last_citizen)
        visit.turns.append(turn)
        visit.messages.append({"speaker": "clerk", "text": text, "turn": turn.number,
                               "time": time})

    def bot(self, visit: Visit, event: Mapping[str, Any]) -> None:
        kind = message_type(event)
        text = event.get("text")
        time = iso(event.get("timestamp"))
        if kind is None:  # stored before messages carried their type
            if not isinstance(text, str) or not text or \
                    text.startswith(("[Umpan balik]", "[Ringkasan latihan")):
                return
            kind = "scene" if text.startswith("[") else "citizen"
        if kind in ("feedback", "debrief"):
            data = _map(event.get("data")).get("custom")
            if isinstance(data, Mapping):  # the structured form; its text twin is not shown
                visit.messages.append({"speaker": kind, "data": dict(data), "time": time,
                                       "turn": len(visit.turns) or None})
            return
        if not isinstance(text, str) or not text:
            return
        message: dict[str, Any] = {"speaker": kind, "text": text, "time": time}
        case = _map(event.get("metadata")).get("case")
        if isinstance(case, Mapping) and case:  # the facts the line shows (actions/counter.py)
            message["case"] = dict(case)
        visit.messages.append(message)
        if kind == "citizen":
            if visit.turns:
                visit.turns[-1].citizen_answer.append(text)
            self.last_citizen = text

    def slot(self, visit: Visit, name: Any, value: Any) -> None:
        if name == "turn_record":
            record = TurnRecord.from_dict(value)
            if record is not None and self.after_end:
                visit.late_records.append(record)
            elif record is not None and visit.turns:
                visit.turns[-1].record = record
        elif name == "debrief" and isinstance(value, Mapping):
            visit.debrief = dict(value)
        elif name == "mood" and isinstance(value, str) and value:
            visit.mood = value
        elif name == "feedback_on" and isinstance(value, bool):
            visit.exam = not value
        elif name in CITIZEN_SLOTS and value is not None:
            visit.citizen[name] = value


def visits_from_events(sender_id: str, events: Iterable[Mapping[str, Any]],
                       keep_empty: bool = False) -> list[Visit]:
    """The visits of one conversation, in order.

    Visits in which the clerk said nothing are dropped (a page opened and left) unless
    ``keep_empty`` (the action server reads the visit that has just begun).
    """
    events = [e for e in events if isinstance(e, Mapping)]
    reader = _Reader(sender_id, trainee_of(sender_id, events))
    for event in events:
        reader.feed(event)
    for visit in reader.visits:
        if visit.mood is None and visit.turns and visit.turns[-1].record:
            visit.mood = visit.turns[-1].record.mood_after
        for turn in visit.turns:
            turn.rescored = reader.rescores.get((visit.index, turn.number))
    if keep_empty:
        return reader.visits
    return [v for v in reader.visits if v.turns or v.debrief]


def current_visit(sender_id: str, events: Iterable[Mapping[str, Any]]) -> Visit:
    """The visit the conversation is in now (an empty one if nothing has happened yet)."""
    visits = visits_from_events(sender_id, events, keep_empty=True)
    return visits[-1] if visits else Visit(sender_id, 0)


def web_trainee(sender_id: str) -> Optional[str]:
    """The employee id in a sender id of the web page (``web.<id>.<random>``), else ``None``."""
    match = WEB_SENDER.match(sender_id)
    return match.group("trainee") if match else None


def build_visits(conversations: Mapping[str, Iterable[Mapping[str, Any]]],
                 keep_empty: bool = False) -> list[Visit]:
    """All visits of all conversations, newest first (``keep_empty``: see visits_from_events)."""
    visits = [v for sender, events in conversations.items()
              for v in visits_from_events(sender, events, keep_empty)]
    visits.sort(key=lambda v: v.started or 0, reverse=True)
    return visits
