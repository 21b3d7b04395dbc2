"""Rasa custom actions: the visit's set-up, each clerk turn, and the end of the visit.

A visit is a Rasa conversation session: ``action_start_scenario`` begins one with
``SessionStarted``, so Rasa loads only the current visit's events. Each clerk message costs one
action-server call (``action_process_turn``): it scores the reply, moves the visit on, sends the
citizen's line and, when the visit has just ended, the debrief.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, BotUttered, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import (
    catalog,
    citizen,
    counter,
    debrief,
    persona,
    turn,
    turns,
    visit_flow,
    visits,
)
from actions.live_scoring import feedback_line, score_turn_async

try:  # load the scorer's lexicons and tokenizer when the action server starts, not on turn 1
    from actions.scoring import warm_up

    warm_up()
except Exception:  # noqa: BLE001 - a broken scorer must not stop the visit (turns go unscored)
    logging.getLogger(__name__).exception("scorer warm-up failed")

RANDOM_CHOICES = ("", "acak", "random")
TERMINAL = "cmdline"  # `rasa shell`: plain text instead of the page's structured messages
HOW_TO_GO_ON_TERMINAL = ("Ketik /selesai untuk melihat ringkasan latihan, atau /restart untuk "
                         "memulai kunjungan baru.")
HOW_TO_GO_ON = ("Ringkasan latihan sudah ditampilkan; mulailah kunjungan baru untuk berlatih "
                "lagi.")


def _feedback_default() -> bool:
    return os.environ.get("PTSP_EXAM_MODE", "").lower() not in ("1", "true", "yes", "on")


def visit_setup_events(
    conversation_id: str, visit_number: int | str, scenario: Optional[str],
    citizen_kind: Optional[str] = None,
) -> List[EventType]:
    """Slot events that start a fresh visit with a new citizen (a Bapak or an Ibu if given)."""
    scenario = scenario or persona.default_scenario(conversation_id, visit_number)
    person = persona.pick_persona(conversation_id, visit_number, citizen_kind)
    hour, clock = persona.visit_time(conversation_id, visit_number)
    events: List[EventType] = [SlotSet("scenario", scenario)]
    events += [SlotSet(name, value) for name, value in person.items()]
    events += [
        SlotSet("visit_hour", hour),
        SlotSet("visit_clock", clock),
        SlotSet("time_greeting", persona.time_greeting(hour)),
        SlotSet("mood", catalog.scenario_spec(scenario).get("start_mood", "calm")),
    ]
    return events


def _visit_key(tracker: Tracker) -> str:
    """What makes this visit's random draws its own: the clerk messages so far and the time of
    the latest one (after ``/restart`` the count starts again, the time does not)."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    stamp = users[-1].get("timestamp") if users else None
    return f"{len(users)}@{stamp}" if stamp is not None else str(len(users))


def _setup_values(events: List[EventType]) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


class ActionSessionStart(Action):
    """A session Rasa starts (first message, expiry, ``/restart``): a visit of the default
    scenario, or after ``/restart`` (the trainee asked for a new visit) a scenario drawn at
    random; its scene line comes with the clerk's first reply."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        feedback = tracker.get_slot("feedback_on")
        events: List[EventType] = [SessionStarted()]
        events.append(
            SlotSet("feedback_on", _feedback_default() if feedback is None else feedback)
        )
        key = _visit_key(tracker)
        restarted = any(e.get("event") == "restart" for e in tracker.events)
        scenario = persona.random_scenario(tracker.sender_id, key) if restarted else None
        events += visit_setup_events(tracker.sender_id, key, scenario)
        metadata = tracker.get_slot("session_started_metadata")
        if metadata:
            events.append(SlotSet("session_started_metadata", metadata))
        events.append(ActionExecuted("action_listen"))
        return events


class ActionStartScenario(Action):
    """``/start_scenario{"scenario": "<id>", "citizen": "bapak"|"ibu"}``: a new visit.

    Starts a new Rasa session (the visit's events begin here; the trainee's feedback setting
    carries over). No scenario (or "acak"/"random"): one at random; an unknown id: the seed
    visit with a note naming the valid ids. ``citizen`` fixes who comes.
    """

    def name(self) -> str:
        return "action_start_scenario"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        if turns.typed_reply(tracker):  # "mulai lagi" typed to the citizen: a reply, not a start
            return await ActionProcessTurn().run(dispatcher, tracker, domain)
        requested = next(tracker.get_latest_entity_values("scenario"), None)
        visit_key = _visit_key(tracker)
        if str(requested or "").strip().lower() in RANDOM_CHOICES:  # no choice: at random
            chosen: Optional[str] = persona.random_scenario(tracker.sender_id, visit_key)
        else:
            chosen = requested if requested in catalog.scenario_ids() else None
        kind = str(next(tracker.get_latest_entity_values("citizen"), "") or "").lower()
        feedback = next(tracker.get_latest_entity_values("feedback"), None)
        if feedback in ("on", "off"):
            feedback_on = feedback == "on"
        else:
            kept = tracker.get_slot("feedback_on")
            feedback_on = _feedback_default() if kept is None else bool(kept)
        setup = visit_setup_events(tracker.sender_id, visit_key, chosen, kind or None)
        events: List[EventType] = [SessionStarted(), SlotSet("feedback_on", feedback_on)]
        metadata = (tracker.latest_message or {}).get("metadata")
        if metadata:
            events.append(SlotSet("session_started_metadata", metadata))
        events += setup
        events.append(SlotSet("scene_shown", True))
        # The scene line is an event after SessionStarted, so that it belongs to the new visit;
        # it carries the scenario card (title, situation, mood, objectives in practice mode).
        scenario = _setup_values(setup)["scenario"]
        case = {**counter.card(scenario, practice=feedback_on),
                "citizen": _citizen_short(_setup_values(setup)),
                "clock": _setup_values(setup).get("visit_clock")}  # shown beside the mood
        events.append(BotUttered(text=_scene(tracker, setup, unknown=chosen is None),
                                 metadata={"type": "scene", "case": case}))
        if tracker.get_latest_input_channel() == TERMINAL:  # the card as text in `rasa shell`
            events.append(BotUttered(text=counter.card_text(case), metadata={"type": "narrator"}))
        return events


def _citizen_short(values: Dict[str, Any]) -> str:
    """How the clerk would call the citizen: "Pak Budi", "Bu Siti" (for the page's header)."""
    name = str(values.get("citizen_name") or "").split()
    short = {"Bapak": "Pak", "Ibu": "Bu"}.get(str(values.get("citizen_honorific")), "")
    return f"{short} {name[0]}" if short and name else "Pelanggan"


def _scene(tracker: Tracker, setup: List[EventType], unknown: bool = False) -> str:
    values = {**_line_values(tracker), **_setup_values(setup)}
    values["scenario_ids"] = ", ".join(catalog.scenario_ids())
    return citizen.scene_line(values.get("scenario") or catalog.DEFAULT_SCENARIO, values,
                              seed=f"{tracker.sender_id}|{_visit_key(tracker)}",
                              unknown=unknown)


class ActionProcessTurn(Action):
    """Every clerk message: score it, move the visit on, let the citizen answer and, when the
    visit has just ended, show the debrief — all in this one call."""

    def name(self) -> str:
        return "action_process_turn"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        events: List[EventType] = []
        terminal = tracker.get_latest_input_channel() == TERMINAL
        if not tracker.get_slot("scene_shown"):  # a visit Rasa started (no /start_scenario)
            case = {**counter.card(tracker.get_slot("scenario") or catalog.DEFAULT_SCENARIO,
                                   practice=tracker.get_slot("feedback_on") is not False),
                    "citizen": _citizen_short(_line_values(tracker)),
                    "clock": tracker.get_slot("visit_clock")}
            dispatcher.utter_message(text=_scene(tracker, []), type="scene", case=case)
            if terminal:
                dispatcher.utter_message(text=counter.card_text(case), type="narrator")
            events.append(SlotSet("scene_shown", True))

        visit = visits.current_visit(tracker.sender_id, tracker.events)
        records = visit.records
        text = turns.latest_text(tracker)
        move, confidence = turns.latest_move(tracker)
        state = turn.VisitState(
            scenario=tracker.get_slot("scenario") or visit_flow.BASE_SCENARIO,
            stage=tracker.get_slot("stage") or "opening",
            facts=dict(tracker.get_slot("visit_facts") or {}),
            mood=tracker.get_slot("mood") or "calm",
            angry_strikes=int(tracker.get_slot("angry_strikes") or 0),
            press_count=int(tracker.get_slot("press_count") or 0),
            told=turn.told_claims(records),
            lines_used=tuple(key for r in [*records, *visit.late_records] for key in r.lines),
            turn=max(len(visit.turns) - 1, 0),  # clerk turns before this one (stored or not)
        )
        customer_turn = turns.previous_citizen_line(tracker)
        latency = turn.reply_latency(turns.reply_latency(tracker), customer_turn)
        scores, error = await score_turn_async(
            text,
            customer_turn=customer_turn,
            scenario=state.scenario,
            move=move,
            honorific=tracker.get_slot("citizen_honorific"),
            latency_seconds=latency,
            hour=int(tracker.get_slot("visit_hour") or persona.local_now().hour),
            known_terms=turn.known_terms(records),
            open_need=turn.open_need(state),
        )
        outcome = turn.take_turn(
            state, text, move, scores, confidence=confidence, customer_turn=customer_turn,
            latency=latency, scoring_error=error, line_values=_line_values(tracker),
            seed=tracker.sender_id, max_stored_text=turns.MAX_STORED_TEXT,
        )
        record, after = outcome.record, outcome.state
        if record.scores and tracker.get_slot("feedback_on") is not False:
            if terminal:
                dispatcher.utter_message(text=feedback_line(record.scores), type="feedback")
            else:  # the reading is stored, not sent; the card's checklist comes along
                dispatcher.utter_message(json_message={
                    "type": "feedback", **record.as_dict(with_reading=False),
                    "objectives": counter.objectives_so_far(state.scenario, [*records, record])})
        mood: Dict[str, Any] = {"mood": after.mood}  # the badge follows the citizen, exams too
        if tracker.get_slot("debrief"):  # over already (e.g. ended in another tab): a page
            mood["visit_over"] = True     # shows the summary it may have missed
        if outcome.tone_line is not None:  # the citizen reacts to the tone first
            dispatcher.utter_message(text=outcome.tone_line.text, type="citizen", case=mood)
        # nobody at the counter: the notice is the narrator's, not the citizen's (audit 33)
        kind = "narrator" if outcome.step.event == visit_flow.AFTER_END else "citizen"
        dispatcher.utter_message(text=outcome.line.text, type=kind, case=mood)
        said = [m["text"] for m in visit.messages if m["speaker"] == "narrator"]
        if state.stage != visit_flow.ENDED:
            for item in counter.narration(state.scenario, outcome.step.acts, after.stage, said):
                # what the clerk now sees, as text and structured for the page's panel
                dispatcher.utter_message(text=item.text, type="narrator", case=item.case)

        events.append(SlotSet("turn_record", record.as_dict()))
        # only what changed: fewer events for Rasa to store and load every turn
        for name, value in (("stage", after.stage), ("visit_facts", dict(after.facts)),
                            ("mood", after.mood), ("angry_strikes", after.angry_strikes),
                            ("press_count", after.press_count)):
            if tracker.get_slot(name) != value:
                events.append(SlotSet(name, value))
        if after.stage == visit_flow.ENDED and not tracker.get_slot("debrief"):
            ended_by = "walked_out" if outcome.feeling.walked_out else "closed"
            events += _show_debrief(dispatcher, tracker, [*records, record], ended_by,
                                    after.mood)
        return events


def _line_values(tracker: Tracker) -> Dict[str, Any]:
    """Slot values the citizen's lines may name ({time_greeting}, {citizen_name} ...)."""
    names = ("time_greeting", "citizen_name", "business_name", "citizen_honorific",
             "visit_clock", "citizen_intro", "scenario")
    values = {name: tracker.get_slot(name) for name in names}
    # how a trainee goes on once the citizen has left: commands in a terminal, buttons on a page
    values["how_to_go_on"] = (HOW_TO_GO_ON_TERMINAL if tracker.get_latest_input_channel()
                              == TERMINAL else HOW_TO_GO_ON)
    return values


def _show_debrief(
    dispatcher: CollectingDispatcher, tracker: Tracker, records: List[Any], ended_by: str,
    mood: str,
) -> List[EventType]:
    """Build the debrief, show it (text, and the structured form for pages), store it."""
    scenario = tracker.get_slot("scenario") or visit_flow.BASE_SCENARIO
    result = debrief.build(scenario, records, ended_by, mood)
    if tracker.get_latest_input_channel() == TERMINAL:
        dispatcher.utter_message(text=debrief.as_text(result), type="debrief")
    else:
        dispatcher.utter_message(text=debrief.as_text(result), json_message=result)
    return [SlotSet("debrief", result), SlotSet("ended_by", ended_by)]


class ActionFinishVisit(Action):
    """``/selesai``: end the visit now and show the debrief."""

    def name(self) -> str:
        return "action_finish_visit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        if turns.typed_reply(tracker):  # "selesai" typed to the citizen: a reply
            return await ActionProcessTurn().run(dispatcher, tracker, domain)
        asked = next(tracker.get_latest_entity_values("ended_by"), None)
        ended_by = tracker.get_slot("ended_by") or (
            "abandoned" if asked == "abandoned" else "trainee_finished")
        records = visits.current_visit(tracker.sender_id, tracker.events).records
        events = _show_debrief(dispatcher, tracker, records, ended_by,
                               tracker.get_slot("mood") or "calm")
        if tracker.get_slot("stage") != visit_flow.ENDED:
            events.append(SlotSet("stage", visit_flow.ENDED))
        return events
