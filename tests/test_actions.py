"""Tests of every custom action, with trackers built from dicts."""

from __future__ import annotations

import pytest

from actions import catalog, citizen
from actions.actions import (
    ActionFinishVisit,
    ActionProcessTurn,
    ActionSessionStart,
    ActionStartScenario,
)
from tests.helpers import make_tracker, run_action, slot_values

SEED_VISIT = [
    ("Selamat pagi Bapak, ada yang bisa kami bantu?", "greet", "purpose_stated", "state_purpose"),
    ("Apakah Bapak sudah membawa dokumennya?", "ask_documents", "documents_handed",
     "hand_documents"),
    ("Izinkan saya memeriksa dokumennya", "check_documents", "checking", "wait_for_check"),
    (
        "Sudah lengkap, Pak, prosesnya 2 hari kerja. Ada lagi?",
        "inform_documents_complete",
        "result_given",
        "relieved",
    ),
    ("Ada lagi yang bisa kami bantu?", "offer_more_help", "closing", "no_more_questions"),
    ("Ini tanda terimanya, Pak.", "give_receipt", "closing", "thanks_for_receipt"),
    ("Terima kasih, selamat pagi.", "goodbye", "ended", "farewell"),
]


def test_session_start_sets_up_a_visit_without_speaking():
    tracker = make_tracker("", None, slots={"scenario": None, "stage": None})
    dispatcher, events = run_action(ActionSessionStart(), tracker)
    assert events[0]["event"] == "session_started"
    assert events[-1] == {"event": "action", "name": "action_listen", "policy": None,
                          "confidence": None, "timestamp": None}
    slots = slot_values(events)
    assert slots["scenario"] == "renewal_complete"
    assert slots["citizen_honorific"] in ("Bapak", "Ibu")
    # the rest of the visit (stage, facts, scene_shown ...) starts from the domain's initial
    # values, which SessionStarted restores
    assert "stage" not in slots and "scene_shown" not in slots
    assert dispatcher.messages == []


def test_after_a_restart_the_new_visit_is_drawn_at_random():
    """`/restart` in the shell: a fresh scenario, not the seed visit every time."""
    def scenario_after_restart(stamp: float) -> str:
        tracker = make_tracker("/restart", "restart", sender_id="shell-1", timestamp=stamp,
                               events=[{"event": "restart", "timestamp": stamp}])
        return slot_values(run_action(ActionSessionStart(), tracker)[1])["scenario"]

    drawn = {scenario_after_restart(1000.0 + i) for i in range(30)}
    assert len(drawn) >= 3 and drawn <= set(catalog.scenario_ids())


def test_persona_is_deterministic_per_conversation():
    first = slot_values(run_action(ActionSessionStart(), make_tracker("", None))[1])
    again = slot_values(run_action(ActionSessionStart(), make_tracker("", None))[1])
    assert first["citizen_name"] == again["citizen_name"]
    names = {
        slot_values(run_action(ActionSessionStart(), make_tracker("", None, sender_id=f"t{i}"))[1])[
            "citizen_honorific"
        ]
        for i in range(20)
    }
    assert names == {"Bapak", "Ibu"}


def record_events(records: list[dict]) -> list[dict]:
    """Tracker events of earlier turns: each clerk message with its turn record."""
    out: list[dict] = []
    for record in records:
        out.append({"event": "user", "text": record["reply"], "timestamp": 900.0,
                    "parse_data": {"intent": {"name": record["move"]}}})
        out.append({"event": "slot", "name": "turn_record", "value": record})
    return out


def test_seed_visit_moves_through_every_stage():
    slots: dict = {}
    records: list[dict] = []
    for text, move, stage, event in SEED_VISIT:
        tracker = make_tracker(text, move, slots=slots, events=record_events(records))
        _, events = run_action(ActionProcessTurn(), tracker)
        new = slot_values(events)
        record = new["turn_record"]
        assert (record["stage_after"], record["visit_event"]) == (stage, event), text
        assert record["turn"] == len(records) + 1
        slots.update(new)
        records.append(record)
    assert slots["debrief"]["turns"] == len(SEED_VISIT)  # the last turn brought the debrief
    lines = [key for r in records for key in r["lines"]]
    assert len(lines) == len(set(lines))  # the citizen never said a line twice


@pytest.mark.parametrize(
    "stage,text,move,event,next_stage",
    [
        ("opening", "mana dokumennya", "ask_documents", "hand_documents_with_purpose",
         "documents_handed"),
        ("purpose_stated", "bukan urusan saya", "dismiss", "pleads_for_help", "purpose_stated"),
        ("opening", "asdf qwer", "nlu_fallback", "confused", "opening"),
        ("opening", "2 hari kerja ya", "inform_duration", "duration_early", "documents_handed"),
        ("checking", "kurang NPWP", "inform_documents_incomplete", "objects_document_present",
         "checking"),  # audit 22: the document named is in its map
        ("opening", "dadah", "goodbye", "not_done_yet", "opening"),
        ("purpose_stated", "Syaratnya KTP dan NPWP", "explain_requirements", "has_all_documents",
         "documents_handed"),
        ("result_given", "sudah ya", "goodbye", "feels_brushed_off", "result_given"),
        ("ended", "halo?", "greet", "after_end", "ended"),
    ],
)
def test_deviations_get_a_plausible_reaction(stage, text, move, event, next_stage):
    _, events = run_action(ActionProcessTurn(), make_tracker(text, move, slots={"stage": stage}))
    slots = slot_values(events)
    assert slots["turn_record"]["visit_event"] == event
    assert slots.get("stage", stage) == next_stage  # only a changed slot is set


def test_duration_in_the_words_counts_even_without_the_move():
    tracker = make_tracker("Lengkap ya Pak, selesai 2 hari kerja", "inform_documents_complete",
                           slots={"stage": "checking"})
    slots = slot_values(run_action(ActionProcessTurn(), tracker)[1])
    assert slots["visit_facts"]["duration_told"] is True
    assert slots["turn_record"]["visit_event"] == "relieved"


@pytest.mark.parametrize("text", ["", "   \n\t ", "x" * 10_000])
def test_empty_and_very_long_messages_still_get_an_event(text):
    _, events = run_action(ActionProcessTurn(), make_tracker(text, None))
    slots = slot_values(events)
    assert slots["turn_record"]["visit_event"] in ("empty_message", "too_long")
    assert "stage" not in slots  # still "opening"
    assert len(slots["turn_record"]["reply"]) <= 4000


def test_first_turn_shows_the_scene_line():
    dispatcher, events = run_action(
        ActionProcessTurn(), make_tracker("Selamat pagi", "greet", slots={"scene_shown": False})
    )
    assert dispatcher.messages[0]["type"] == "scene"
    assert dispatcher.messages[0]["text"].startswith("[Pukul 09.15 WIB.")
    assert dispatcher.messages[-1]["type"] == "citizen"
    assert slot_values(events)["scene_shown"] is True


def test_turn_record_holds_context_and_scores():
    events = [
        {"event": "bot", "text": "[Pukul 09.15 WIB. Seorang bapak datang.]", "timestamp": 980.0,
         "metadata": {"type": "scene"}},
        {"event": "bot", "text": "Selamat pagi, saya ingin perpanjang izin usaha.",
         "timestamp": 990.0, "metadata": {"type": "citizen"}},
    ]
    tracker = make_tracker("Baik Pak, boleh saya lihat dokumennya?", "ask_documents",
                           slots={"stage": "purpose_stated"}, events=events)
    record = slot_values(run_action(ActionProcessTurn(), tracker)[1])["turn_record"]
    assert record["customer_turn"] == "Selamat pagi, saya ingin perpanjang izin usaha."
    assert record["latency_seconds"] == 10.0
    assert record["move"] == "ask_documents"
    assert record["stage_before"] == "purpose_stated"
    assert record["scored"] is (record["scores"] is not None)


def test_a_slow_scorer_leaves_the_turn_unscored_but_the_visit_goes_on(monkeypatch):
    monkeypatch.setenv("PTSP_SCORING_DELAY_SECONDS", "2")
    monkeypatch.setenv("PTSP_SCORING_TIMEOUT", "0.2")
    tracker = make_tracker("Selamat pagi Bapak, ada yang bisa kami bantu?", "greet")
    dispatcher, events = run_action(ActionProcessTurn(), tracker)
    slots = slot_values(events)
    record = slots["turn_record"]
    assert record["scored"] is False and "timed out" in record["scoring_error"]
    assert slots["stage"] == "purpose_stated"  # the visit moved on without the score
    assert not [m for m in dispatcher.messages if (m.get("custom") or {}).get("type")
                == "feedback"]


def test_a_sentence_with_a_control_word_is_a_reply_not_a_control():
    """Audit 34: "Sebelum mulai, …" through REST was read as "start" and replaced the visit;
    "selesai" inside a sentence ended it. A control typed as words is a few words at most."""
    slots = {"scenario": "renewal_complete", "stage": "purpose_stated"}
    for text, intent, action in (
            ("Sebelum mulai, boleh saya lihat KTP dan NPWP Bapak?", "start_scenario",
             ActionStartScenario()),
            ("Kalau sudah selesai diisi, formulirnya serahkan ke saya ya Pak.", "selesai",
             ActionFinishVisit())):
        dispatcher, events = run_action(action, make_tracker(text, intent, slots=slots))
        assert not any(e["event"] == "session_started" for e in events), text
        assert slot_values(events)["turn_record"]["reply"] == text  # played as a turn
        assert any(m.get("type") == "citizen" for m in dispatcher.messages), text
    tracker = make_tracker("mulai latihan", "start_scenario", slots=slots)  # a command still
    assert run_action(ActionStartScenario(), tracker)[1][0]["event"] == "session_started"


def test_start_scenario_starts_a_new_session_with_its_scene_line():
    tracker = make_tracker(
        '/start_scenario{"scenario":"upset_customer","feedback":"off"}', "start_scenario",
        slots={"stage": "ended", "mood": "satisfied"},
        entities=[{"entity": "scenario", "value": "upset_customer"},
                  {"entity": "feedback", "value": "off"}],
    )
    dispatcher, events = run_action(ActionStartScenario(), tracker)
    assert events[0]["event"] == "session_started"  # the visit's events begin here
    assert events[-1]["event"] == "bot"  # the scene line belongs to the new visit
    assert events[-1]["metadata"]["type"] == "scene"
    card = events[-1]["metadata"]["case"]  # the scenario card comes with the scene line
    assert card["title"] == catalog.scenario_title("upset_customer")
    assert card["mood"] == "angry"  # the badge starts angry, in exam mode too
    assert "objectives" not in card  # exam mode: objectives only in the debrief
    assert card["citizen"].startswith(("Pak ", "Bu "))
    assert "tanda terima" in events[-1]["text"]
    assert dispatcher.messages == []
    slots = slot_values(events)
    assert slots["scenario"] == "upset_customer"
    assert slots["mood"] == "angry"  # the scenario's starting mood
    assert slots["feedback_on"] is False
    assert slots["scene_shown"] is True


def test_start_scenario_keeps_the_trainees_feedback_setting():
    tracker = make_tracker("/start_scenario", "start_scenario", slots={"feedback_on": False})
    assert slot_values(run_action(ActionStartScenario(), tracker)[1])["feedback_on"] is False


@pytest.mark.parametrize("kind, honorific", [("ibu", "Ibu"), ("bapak", "Bapak"), ("IBU", "Ibu")])
def test_start_scenario_can_choose_who_comes_to_the_counter(kind, honorific):
    tracker = make_tracker(
        '/start_scenario{"scenario":"upset_customer","citizen":"' + kind + '"}', "start_scenario",
        entities=[{"entity": "scenario", "value": "upset_customer"},
                  {"entity": "citizen", "value": kind}],
    )
    slots = slot_values(run_action(ActionStartScenario(), tracker)[1])
    assert slots["citizen_honorific"] == honorific
    assert slots["scenario"] == "upset_customer"


def test_an_unknown_citizen_kind_is_drawn_as_usual():
    tracker = make_tracker(
        '/start_scenario{"citizen":"tuan"}', "start_scenario",
        entities=[{"entity": "citizen", "value": "tuan"}],
    )
    slots = slot_values(run_action(ActionStartScenario(), tracker)[1])
    assert slots["citizen_honorific"] in ("Bapak", "Ibu")


@pytest.mark.parametrize("entities", [[], [{"entity": "scenario", "value": "acak"}]])
def test_start_scenario_without_a_choice_picks_one_at_random(entities):
    def chosen(sender: str) -> str:
        tracker = make_tracker("/start_scenario", "start_scenario", entities=entities,
                               sender_id=sender)
        return slot_values(run_action(ActionStartScenario(), tracker)[1])["scenario"]

    picks = {chosen(f"acak-{i}") for i in range(30)}
    assert picks == set(catalog.scenario_ids())  # every scenario comes up
    assert chosen("acak-7") == chosen("acak-7")  # and the same conversation gets the same one


def test_unknown_scenario_falls_back_with_a_note():
    tracker = make_tracker(
        '/start_scenario{"scenario":"nope"}', "start_scenario",
        entities=[{"entity": "scenario", "value": "nope"}],
    )
    events = run_action(ActionStartScenario(), tracker)[1]
    assert slot_values(events)["scenario"] == "renewal_complete"
    note = events[-1]["text"]
    assert note.startswith("[Skenario yang diminta tidak dikenal")
    assert all(scenario in note for scenario in catalog.scenario_ids())


def test_finish_visit_ends_the_visit_with_a_summary():
    record = {"turn": 1, "reply": "Selamat pagi", "move": "greet",
              "scores": {"politeness": 80, "clarity": 60, "responsiveness": 70, "overall": 70}}
    events = record_events([record])
    dispatcher, out = run_action(ActionFinishVisit(), make_tracker("/selesai", "selesai",
                                                                   events=events))
    assert "Kesopanan 80" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[0]["custom"]["type"] == "debrief"  # one message: text + data
    slots = slot_values(out)
    assert slots["stage"] == "ended"
    assert slots["debrief"]["averages"]["politeness"] == 80
    assert slots["ended_by"] == "trainee_finished"


def test_the_turn_that_ends_the_visit_brings_the_debrief_once():
    dispatcher, out = run_action(ActionProcessTurn(), make_tracker(
        "Terima kasih, selamat pagi.", "goodbye", slots={"stage": "closing"}))
    assert slot_values(out)["debrief"]["type"] == "debrief"
    assert [m["custom"]["type"] for m in dispatcher.messages if m.get("custom")][-1] == "debrief"
    dispatcher, out = run_action(ActionProcessTurn(), make_tracker(
        "halo?", "greet", slots={"stage": "ended", "debrief": {"type": "debrief"}}))
    assert "debrief" not in slot_values(out)
    assert not [m for m in dispatcher.messages if (m.get("custom") or {}).get("type")
                == "debrief"]


def test_one_turn_sets_few_slots():
    _, events = run_action(ActionProcessTurn(), make_tracker(
        "Baik Pak, boleh saya lihat dokumennya?", "ask_documents",
        slots={"stage": "purpose_stated"}))
    # the stage, and the citizen's memory that it has handed over its documents
    assert [e["name"] for e in events] == ["turn_record", "stage", "visit_facts"]


def test_rude_dismissal_to_an_angry_citizen_makes_them_walk_out():
    slots = {"stage": "purpose_stated", "mood": "angry", "angry_strikes": 1}
    dispatcher, events = run_action(
        ActionProcessTurn(), make_tracker("bukan urusan saya, pergi sana", "dismiss", slots=slots)
    )
    new = slot_values(events)
    assert new.get("mood", slots["mood"]) == "angry"  # unchanged slots are not set again
    assert new["stage"] == "ended"
    assert new["ended_by"] == "walked_out"
    walk_out_lines = {line.text for line in citizen.lines_for("tone_walked_out")}
    assert any(m.get("text") in walk_out_lines for m in dispatcher.messages)


def test_after_walking_out_the_citizen_does_not_react_again():
    slots = {"stage": "ended", "mood": "angry", "angry_strikes": 2}
    dispatcher, events = run_action(
        ActionProcessTurn(), make_tracker("pergi sana", "dismiss", slots=slots)
    )
    assert slot_values(events)["turn_record"]["visit_event"] == "after_end"
    tone_lines = {line.text for event in citizen.events() if event.startswith("tone_")
                  for line in citizen.lines_for(event)}
    assert not any(m.get("text") in tone_lines for m in dispatcher.messages)


def test_the_documents_on_the_counter_are_shown_once_they_are_handed_over():
    slots = {"scenario": "renewal_incomplete", "stage": "purpose_stated"}
    dispatcher, _ = run_action(ActionProcessTurn(), make_tracker(
        "Boleh saya lihat dokumennya, Pak?", "ask_documents", slots=slots))
    narrator = [m["text"] for m in dispatcher.messages if m.get("type") == "narrator"]
    assert narrator == ["[Berkas di meja: Fotokopi KTP (ada); NPWP (ada); NIB (ada); Izin usaha "
                        "yang lama (ada); Surat Keterangan Domisili Usaha (tidak ada).]"]
    said = [{"event": "bot", "text": narrator[0], "metadata": {"type": "narrator"}}]
    dispatcher, _ = run_action(ActionProcessTurn(), make_tracker(
        "Saya periksa dulu dokumennya ya, Pak.", "check_documents",
        slots={**slots, "stage": "documents_handed"}, events=said))
    assert not [m for m in dispatcher.messages if m.get("type") == "narrator"]  # said once


def test_the_file_status_appears_only_when_the_clerk_looks_it_up():
    slots = {"scenario": "upset_customer", "stage": "opening", "mood": "angry"}
    dispatcher, _ = run_action(ActionProcessTurn(), make_tracker(
        "Selamat pagi, Bu, ada yang bisa saya bantu?", "greet", slots=slots))
    assert not [m for m in dispatcher.messages if m.get("type") == "narrator"]
    dispatcher, _ = run_action(ActionProcessTurn(), make_tracker(
        "Mohon maaf, Bu, saya cek dulu status berkas Ibu di sistem.", "check_documents",
        slots={**slots, "stage": "purpose_stated"}))
    narrator = " ".join(m["text"] for m in dispatcher.messages if m.get("type") == "narrator")
    assert "menunggu tanda tangan kepala dinas" in narrator
