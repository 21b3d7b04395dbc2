"""Reading the clerk's turn out of a tracker: text, move, the citizen's previous line, latency."""

from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker

from actions.visits import COMMAND_INTENTS, message_type

MAX_STORED_TEXT = 4000  # characters of a reply kept in the turn record


def latest_text(tracker: Tracker) -> str:
    """The clerk's latest message as typed (never None)."""
    return str((tracker.latest_message or {}).get("text") or "")


COMMAND_MAX_WORDS = 4  # "mulai latihan", "selesai": a control typed as words is this short


def typed_reply(tracker: Tracker) -> bool:
    """The latest message is a reply to the citizen, whatever NLU reads in it, never a practice
    control (start, finish): typed on the page (the web service marks it), or a sentence
    rather than a command ("Sebelum mulai, boleh saya lihat KTP-nya?" through REST or the
    terminal: audit 34). Commands are ``/start_scenario``-style or a few words."""
    if ((tracker.latest_message or {}).get("metadata") or {}).get("reply") is True:
        return True
    text = latest_text(tracker).strip()
    return not text.startswith("/") and len(text.split()) > COMMAND_MAX_WORDS


def latest_move(tracker: Tracker) -> tuple[str, float]:
    """The NLU move of the latest message and its confidence (``nlu_fallback`` if none, or
    if NLU read a practice control in a typed reply)."""
    intent = (tracker.latest_message or {}).get("intent") or {}
    name = intent.get("name") or "nlu_fallback"
    if name in COMMAND_INTENTS:
        return "nlu_fallback", 0.0
    return name, float(intent.get("confidence") or 0.0)


def previous_citizen_line(tracker: Tracker) -> Optional[str]:
    """The citizen's last line before the latest clerk message (scene lines excluded)."""
    seen_user = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            if seen_user:
                continue
            seen_user = True
            continue
        if kind == "bot" and seen_user:
            text = event.get("text") or ""
            if text and message_type(event) == "citizen":
                return text
    return None


def reply_latency(tracker: Tracker) -> Optional[float]:
    """Seconds between the citizen's last line and the latest clerk message."""
    user_ts: Optional[float] = None
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user" and user_ts is None:
            user_ts = event.get("timestamp")
        elif kind == "bot" and user_ts is not None:
            bot_ts = event.get("timestamp")
            if bot_ts is None:
                return None
            return max(0.0, float(user_ts) - float(bot_ts))
    return None
