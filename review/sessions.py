"""Turn a conversation's tracker events into practice sessions (one per visit) and turns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import yaml


@lru_cache(maxsize=1)
def _move_labels() -> dict[str, str]:
    path = Path(__file__).resolve().parents[1] / "actions" / "scoring" / "data" / "labels.yml"
    return dict(yaml.safe_load(path.read_text(encoding="utf-8")).get("moves") or {})


def move_label(move: Optional[str]) -> str:
    """The Indonesian name of a clerk move (never the intent name itself)."""
    return _move_labels().get(move or "", "tidak dikenali")

# Clerk messages that are commands to the trainer, not replies to the citizen.
COMMAND_INTENTS = {"start_scenario", "selesai", "session_start", "restart"}
DIMENSIONS = ("politeness", "clarity", "responsiveness", "overall")
WEB_SENDER = re.compile(r"^web\.(?P<trainee>[A-Za-z0-9_-]{1,40})\.[0-9a-f]{8,32}$")


def iso(ts: Optional[float]) -> Optional[str]:
    """A Unix timestamp as ISO 8601 in UTC (seconds precision)."""
    if ts is None:
        return None
    return datetime.fromtimestamp(float(ts), tz=timezone.utc).isoformat(timespec="seconds")


@dataclass
class Turn:
    """One clerk reply with its record (scores, move, mood) and the citizen's answer."""

    number: int
    timestamp: Optional[float]
    reply: str
    move: Optional[str]
    customer_turn: Optional[str]
    record: Optional[dict[str, Any]] = None
    rescored: Optional[dict[str, Any]] = None
    citizen_answer: list[str] = field(default_factory=list)

    @property
    def scores(self) -> Optional[dict[str, Any]]:
        """The newest scores: a re-score replaces the live score in the review."""
        if self.rescored and self.rescored.get("scores"):
            return self.rescored["scores"]
        return (self.record or {}).get("scores")

    def as_dict(self) -> dict[str, Any]:
        record = self.record or {}
        scores = self.scores
        return {
            "turn": self.number,
            "time": iso(self.timestamp),
            "reply": self.reply,
            "move": record.get("move") or self.move,
            "move_label": move_label(record.get("move") or self.move),
            "move_confidence": record.get("move_confidence"),
            "customer_turn": record.get("customer_turn", self.customer_turn),
            "citizen_answer": " ".join(self.citizen_answer),
            "mood_before": record.get("mood_before"),
            "mood_after": record.get("mood_after"),
            "latency_seconds": record.get("latency_seconds"),
            "scored": scores is not None,
            "scoring_error": None if scores else record.get("scoring_error", "no turn record"),
            "rescored": bool(self.rescored and self.rescored.get("scores")),
            "scorer_version": (self.rescored or {}).get("scorer_version")
            or (scores or {}).get("version"),
            **{key: (scores or {}).get(key) for key in DIMENSIONS},
            "evidence": (scores or {}).get("evidence") or [],
            "tips": (scores or {}).get("tips") or [],
        }


@dataclass
class Session:
    """One practice visit: a scenario from its start to its debrief (or to now)."""

    sender_id: str
    index: int
    scenario: Optional[str] = None
    started: Optional[float] = None
    last: Optional[float] = None
    trainee_id: Optional[str] = None
    trainee_name: Optional[str] = None
    citizen: dict[str, Any] = field(default_factory=dict)
    turns: list[Turn] = field(default_factory=list)
    transcript: list[dict[str, Any]] = field(default_factory=list)
    debrief: Optional[dict[str, Any]] = None
    mood: Optional[str] = None

    @property
    def id(self) -> str:
        return f"{self.sender_id}:{self.index}"

    def averages(self) -> dict[str, Optional[int]]:
        """Mean of each dimension over the scored turns (newest scores)."""
        scored = [t.scores for t in self.turns if t.scores]
        return {
            key: round(sum(s[key] for s in scored) / len(scored)) if scored else None
            for key in DIMENSIONS
        }

    def summary(self) -> dict[str, Any]:
        """The row of the sessions list."""
        debrief = self.debrief or {}
        return {
            "id": self.id,
            "sender_id": self.sender_id,
            "visit": self.index,
            "trainee_id": self.trainee_id,
            "trainee_name": self.trainee_name,
            "scenario": self.scenario,
            "started": iso(self.started),
            "duration_seconds": round((self.last or 0) - (self.started or 0)),
            "turns": len(self.turns),
            "scored_turns": sum(1 for t in self.turns if t.scores),
            "finished": bool(self.debrief),
            "passed": debrief.get("passed") if self.debrief else None,
            "reason": debrief.get("reason"),
            "ended_by": debrief.get("ended_by"),
            "final_mood": self.mood,
            **self.averages(),
        }

    def detail(self) -> dict[str, Any]:
        """Everything a trainer sees for one session."""
        return {
            **self.summary(),
            "citizen": self.citizen,
            "transcript": self.transcript,
            "turns": [t.as_dict() for t in self.turns],
            "objectives": (self.debrief or {}).get("objectives") or [],
            "debrief": self.debrief,
        }


def trainee_of(sender_id: str, events: list[dict[str, Any]]) -> tuple[Optional[str], Optional[str]]:
    """Trainee id and name: from the web page's message metadata, else from the sender id."""
    for event in events:
        if event.get("event") == "user":
            trainee = (event.get("metadata") or {}).get("trainee") or {}
            if trainee.get("id"):
                return str(trainee["id"]), str(trainee.get("name") or "") or None
    match = WEB_SENDER.match(sender_id)
    return (match.group("trainee"), None) if match else (sender_id, None)


def split_sessions(sender_id: str, events: list[dict[str, Any]]) -> list[Session]:
    """Split a conversation into visits: each ``scenario`` slot event starts a new one.

    Visits in which the clerk said nothing are dropped (a page opened and left).
    """
    trainee_id, trainee_name = trainee_of(sender_id, events)
    sessions: list[Session] = []
    current: Optional[Session] = None
    visit_index = -1
    pending_user: Optional[dict[str, Any]] = None  # a command or reply before its visit starts
    last_citizen_line: Optional[str] = None
    rescores: dict[tuple[int, int], dict[str, Any]] = {}

    for event in events:
        kind = event.get("event")
        ts = event.get("timestamp")
        if kind == "slot" and event.get("name") == "turn_rescore":
            value = event.get("value")
            if isinstance(value, dict):  # appended later by `python -m review rescore`
                rescores[(value.get("visit"), value.get("turn"))] = value
            continue
        if kind == "slot" and event.get("name") == "scenario":
            visit_index += 1
            current = Session(sender_id, visit_index, scenario=event.get("value"),
                              started=ts, last=ts, trainee_id=trainee_id,
                              trainee_name=trainee_name)
            sessions.append(current)
            last_citizen_line = None
            if pending_user is not None:
                current.started = pending_user.get("timestamp") or ts
            continue
        if current is None:
            if kind == "user":
                pending_user = event
            continue
        if ts is not None:
            current.last = max(current.last or ts, ts)
        if kind == "user":
            _user_event(current, event, last_citizen_line)
        elif kind == "bot":
            last_citizen_line = _bot_event(current, event) or last_citizen_line
        elif kind == "slot":
            _slot_event(current, event)
    for session in sessions:
        for turn in session.turns:
            turn.rescored = rescores.get((session.index, turn.number))
    return [s for s in sessions if s.turns or s.debrief]


def _user_event(session: Session, event: dict[str, Any], last_citizen: Optional[str]) -> None:
    intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
    text = str(event.get("text") or "")
    if intent in COMMAND_INTENTS or text.startswith("/"):
        session.transcript.append({"speaker": "command", "text": text, "time": iso(
            event.get("timestamp"))})
        return
    turn = Turn(number=len(session.turns) + 1, timestamp=event.get("timestamp"), reply=text,
                move=intent, customer_turn=last_citizen)
    session.turns.append(turn)
    session.transcript.append({"speaker": "clerk", "text": text, "turn": turn.number,
                               "time": iso(event.get("timestamp"))})


def _bot_event(session: Session, event: dict[str, Any]) -> Optional[str]:
    text = event.get("text")
    if not text:
        return None  # custom payloads (feedback, debrief) are kept in slots
    if text.startswith("[Umpan balik]") or text.startswith("[Ringkasan latihan"):
        return None  # the terminal's feedback and debrief text, shown in the review anyway
    speaker = "scene" if text.startswith("[") else "citizen"
    session.transcript.append({"speaker": speaker, "text": text,
                               "time": iso(event.get("timestamp"))})
    if speaker == "citizen":
        if session.turns:
            session.turns[-1].citizen_answer.append(text)
        return text
    return None


def _slot_event(session: Session, event: dict[str, Any]) -> None:
    name, value = event.get("name"), event.get("value")
    if name == "turn_record" and isinstance(value, dict) and session.turns:
        session.turns[-1].record = value
    elif name == "debrief" and isinstance(value, dict):
        session.debrief = value
    elif name == "mood" and value:
        session.mood = value
    elif name in ("citizen_name", "citizen_honorific", "business_name", "visit_hour") and value:
        session.citizen[name] = value


def build_sessions(conversations: dict[str, list[dict[str, Any]]]) -> list[Session]:
    """All sessions of all conversations, newest first."""
    sessions = [s for sender, events in conversations.items()
                for s in split_sessions(sender, events)]
    sessions.sort(key=lambda s: s.started or 0, reverse=True)
    return sessions
