"""Building Rasa SDK trackers from plain dicts for action tests (as in RasaHQ's financial-demo)."""

from __future__ import annotations

import asyncio
from typing import Any, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

VISIT_SLOTS = {
    "scenario": "renewal_complete",
    "citizen_honorific": "Bapak",
    "citizen_intro": "Seorang bapak",
    "citizen_name": "Budi Santoso",
    "business_name": "Toko Sembako Berkah",
    "time_greeting": "pagi",
    "stage": "opening",
    "visit_facts": {},
    "visit_hour": 9,
    "visit_clock": "09.15",
    "mood": "calm",
    "angry_strikes": 0.0,
    "press_count": 0.0,
    "feedback_on": True,
    "turn_record": None,
    "scene_shown": True,
}


def make_tracker(
    text: str,
    intent: Optional[str],
    slots: Optional[dict[str, Any]] = None,
    events: Optional[list[dict[str, Any]]] = None,
    entities: Optional[list[dict[str, Any]]] = None,
    channel: str = "rest",
    sender_id: str = "trainee-1",
    timestamp: float = 1000.0,
) -> Tracker:
    """A tracker whose latest message is ``text`` classified as ``intent``."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9} if intent else {},
        "entities": entities or [],
    }
    history = list(events or [])
    history.append(
        {"event": "user", "text": text, "timestamp": timestamp, "parse_data": latest,
         "input_channel": channel}
    )
    return Tracker.from_dict(
        {
            "sender_id": sender_id,
            "slots": {**VISIT_SLOTS, **(slots or {})},
            "latest_message": latest,
            "events": history,
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def run_action(action: Any, tracker: Tracker) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    """Run an action and return the dispatcher (messages) and the returned events."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher, events


def slot_values(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The last value set for every slot in ``events``."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
