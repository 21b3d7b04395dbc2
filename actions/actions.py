"""Rasa custom actions: the visit's set-up, each clerk turn, and the end of the visit."""

from __future__ import annotations

import logging
import os
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import debrief, objectives, persona, turn, turns, visit_flow
from actions.live_scoring import feedback_line, score_turn_async

try:  # load the scorer's lexicons and tokenizer when the action server starts, not on turn 1
    from actions.scoring import warm_up

    warm_up()
except Exception:  # noqa: BLE001 - a broken scorer must not stop the visit (turns go unscored)
    logging.getLogger(__name__).exception("scorer warm-up failed")

# Slots that describe the trainee, not the visit: kept when a new session or visit starts.
TRAINEE_SLOTS = ("feedback_on",)


RANDOM_CHOICES = ("", "acak", "random")


def _feedback_default() -> bool:
    return os.environ.get("PTSP_EXAM_MODE", "").lower() not in ("1", "true", "yes", "on")


def visit_setup_events(
    conversation_id: str, visit_number: int, scenario: Optional[str],
    citizen_kind: Optional[str] = None,
) -> List[EventType]:
    """Slot events that start a fresh visit with a new citizen (a Bapak or an Ibu if given)."""
    scenario = scenario or persona.default_scenario(conversation_id, visit_number)
    citizen = persona.pick_persona(conversation_id, visit_number, citizen_kind)
    hour, clock = persona.visit_time(conversation_id, visit_number)
    events: List[EventType] = [SlotSet("scenario", scenario)]
    events += [SlotSet(name, value) for name, value in citizen.items()]
    events += [
        SlotSet("visit_hour", hour),
        SlotSet("visit_clock", clock),
        SlotSet("time_greeting", persona.time_greeting(hour)),
        SlotSet("stage", "opening"),
        SlotSet("visit_event", None),
        SlotSet("last_move", None),
        SlotSet("visit_facts", {}),
        SlotSet("mood", objectives.scenario_spec(scenario).get("start_mood", "calm")),
        SlotSet("angry_strikes", 0),
        SlotSet("debrief", None),
        SlotSet("ended_by", None),
        SlotSet("turn_count", 0),
        SlotSet("scene_shown", False),
        SlotSet("lines_used", []),
        SlotSet("press_count", 0),
        SlotSet("citizen_line", None),
    ]
    return events


def _visit_number(tracker: Tracker) -> int:
    return sum(1 for e in tracker.events if e.get("event") == "user")


class ActionSessionStart(Action):
    """Start a session: pick the scenario and the citizen; the scene line comes with the visit."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        events: List[EventType] = [SessionStarted()]
        feedback = tracker.get_slot("feedback_on")
        events.append(
            SlotSet("feedback_on", _feedback_default() if feedback is None else feedback)
        )
        events += visit_setup_events(tracker.sender_id, _visit_number(tracker), None)
        events.append(ActionExecuted("action_listen"))
        return events


class ActionStartScenario(Action):
    """``/start_scenario{"scenario": "<id>", "citizen": "bapak"|"ibu"}``: a new visit.

    No scenario (or "acak"/"random"): one at random; an unknown id: the seed visit with a note
    naming the valid ids. ``citizen`` fixes who comes (else drawn from the conversation id).
    """

    def name(self) -> str:
        return "action_start_scenario"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        requested = next(tracker.get_latest_entity_values("scenario"), None)
        visit_number = _visit_number(tracker)
        if str(requested or "").strip().lower() in RANDOM_CHOICES:  # no choice: at random
            chosen: Optional[str] = persona.random_scenario(tracker.sender_id, visit_number)
        else:
            chosen = requested if requested in persona.scenario_ids() else None
        kind = str(next(tracker.get_latest_entity_values("citizen"), "") or "").lower()
        events = visit_setup_events(tracker.sender_id, visit_number, chosen, kind or None)
        if chosen is None:
            events.append(SlotSet("visit_event", "unknown_scenario"))
        feedback = next(tracker.get_latest_entity_values("feedback"), None)
        if feedback in ("on", "off"):
            events.append(SlotSet("feedback_on", feedback == "on"))
        # The scene line itself is the rule's next step (utter_scene), conditioned on these slots.
        events.append(SlotSet("scene_shown", True))
        return events


class ActionProcessTurn(Action):
    """Every clerk message: score it, then move the visit on (sets ``visit_event``)."""

    def name(self) -> str:
        return "action_process_turn"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        events: List[EventType] = []
        if not tracker.get_slot("scene_shown"):
            dispatcher.utter_message(response="utter_scene")
            events.append(SlotSet("scene_shown", True))

        text = turns.latest_text(tracker)
        move, confidence = turns.latest_move(tracker)
        state = turn.VisitState(
            scenario=tracker.get_slot("scenario") or visit_flow.BASE_SCENARIO,
            stage=tracker.get_slot("stage") or "opening",
            facts=dict(tracker.get_slot("visit_facts") or {}),
            mood=tracker.get_slot("mood") or "calm",
            angry_strikes=int(tracker.get_slot("angry_strikes") or 0),
            press_count=int(tracker.get_slot("press_count") or 0),
            lines_used=tuple(tracker.get_slot("lines_used") or ()),
            turn=int(tracker.get_slot("turn_count") or 0),
        )
        customer_turn = turns.previous_citizen_line(tracker)
        latency = turns.reply_latency(tracker)
        scores, error = await score_turn_async(
            text,
            customer_turn=customer_turn,
            scenario=state.scenario,
            move=move,
            honorific=tracker.get_slot("citizen_honorific"),
            latency_seconds=latency,
            hour=int(tracker.get_slot("visit_hour") or persona.local_now().hour),
            known_terms=turn.known_terms(turns.visit_records(tracker)),
            open_need=turn.open_need(state),
        )
        outcome = turn.take_turn(
            state, text, move, scores, confidence=confidence, customer_turn=customer_turn,
            latency=latency, scoring_error=error, line_values=_line_values(tracker),
            seed=tracker.sender_id, max_stored_text=turns.MAX_STORED_TEXT,
        )
        record, feeling, after = outcome.record, outcome.feeling, outcome.state
        if record.get("scores") and tracker.get_slot("feedback_on") is not False:
            if tracker.get_latest_input_channel() == "cmdline":
                dispatcher.utter_message(text=feedback_line(record["scores"]))
            else:
                shown = {k: v for k, v in record.items() if k != "reading"}  # stored, not sent
                dispatcher.utter_message(json_message={"type": "feedback", **shown})
        if outcome.tone_line is not None:  # the citizen reacts to the tone first
            dispatcher.utter_message(text=outcome.tone_line.text)

        events += [
            SlotSet("turn_record", record),
            SlotSet("turn_count", after.turn),
            SlotSet("stage", after.stage),
            SlotSet("visit_event", record["visit_event"]),
            SlotSet("citizen_line", outcome.line.text),
            SlotSet("lines_used", list(after.lines_used)),
        ]
        # the rest only when it changed: fewer events for Rasa to store and replay every turn
        for name, value in (("visit_facts", dict(after.facts)), ("mood", after.mood),
                            ("angry_strikes", after.angry_strikes),
                            ("press_count", after.press_count), ("last_move", move)):
            if tracker.get_slot(name) != value:
                events.append(SlotSet(name, value))
        if feeling.walked_out:
            events.append(SlotSet("ended_by", "walked_out"))
        return events


def _line_values(tracker: Tracker) -> Dict[str, Any]:
    """Slot values the citizen's lines may name ({time_greeting}, {citizen_name} ...)."""
    names = ("time_greeting", "citizen_name", "business_name", "citizen_honorific",
             "visit_clock", "citizen_intro", "scenario")
    return {name: tracker.get_slot(name) for name in names}


def _show_debrief(
    dispatcher: CollectingDispatcher, tracker: Tracker, ended_by: str
) -> List[EventType]:
    """Build the debrief, show it (text; plus a custom payload for the web page), store it."""
    scenario = tracker.get_slot("scenario") or visit_flow.BASE_SCENARIO
    result = debrief.build(
        scenario, turns.visit_records(tracker), ended_by, tracker.get_slot("mood") or "calm"
    )
    dispatcher.utter_message(text=debrief.as_text(result))
    if tracker.get_latest_input_channel() != "cmdline":
        dispatcher.utter_message(json_message=result)
    return [SlotSet("debrief", result), SlotSet("stage", visit_flow.ENDED),
            SlotSet("ended_by", ended_by)]


class ActionCloseVisit(Action):
    """After the citizen's line: when the visit has just ended, show the debrief once."""

    def name(self) -> str:
        return "action_close_visit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        if tracker.get_slot("stage") != visit_flow.ENDED or tracker.get_slot("debrief"):
            return []
        return _show_debrief(dispatcher, tracker, tracker.get_slot("ended_by") or "closed")


class ActionFinishVisit(Action):
    """``/selesai``: end the visit now and show the debrief."""

    def name(self) -> str:
        return "action_finish_visit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        ended_by = tracker.get_slot("ended_by") or "trainee_finished"
        return _show_debrief(dispatcher, tracker, ended_by)
