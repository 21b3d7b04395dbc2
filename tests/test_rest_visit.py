"""The visit played through the REST channel of a real Rasa server and action server."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from tests.stack import SEED, citizen_lines, is_scene_line, texts


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"


def test_seed_visit_every_turn_gets_a_citizen_reply(stack):
    sender = new_sender()
    replies = []
    for message in SEED:
        status, body = stack.say(sender, message)
        assert status == 200
        lines = citizen_lines(body)
        assert lines, f"citizen silent after {message!r}: {body}"
        replies.append(lines[-1])
    # first turn opens with the scene line, then the citizen states the purpose
    _, body = stack.say(new_sender(), SEED[0])
    assert is_scene_line(texts(body)[0]), texts(body)[0]
    assert "perpanjang" in replies[0]
    assert "dokumen" in replies[1].lower() or "map" in replies[1].lower()
    assert "selamat" in replies[-1].lower() or "terima kasih" in replies[-1].lower()


def test_every_turn_has_a_record_in_the_tracker_store(stack):
    sender = new_sender()
    for message in SEED[:3]:
        stack.say(sender, message)
    records = [
        e["value"] for e in stack.tracker_events(sender)
        if e.get("event") == "slot" and e.get("name") == "turn_record"
    ]
    assert [r["turn"] for r in records] == [1, 2, 3]
    assert [r["move"] for r in records] == ["greet", "ask_documents", "check_documents"]


@pytest.mark.parametrize(
    "message",
    ["", "   ", "\n\t", "a" * 10_000, "🙂🙂🙂", "<script>alert(1)</script>",
     "Good morning, how can I help you?", "'; DROP TABLE events; --", "???"],
)
def test_odd_input_gets_an_answer(stack, message):
    status, body = stack.say(new_sender(), message)
    assert status == 200
    assert citizen_lines(body), f"no citizen reply to {message[:40]!r}: {body}"


@pytest.mark.parametrize(
    "opening",
    [
        ["mana dokumennya"],  # documents before greeting
        ["Selamat pagi Pak", "itu bukan urusan saya, tanya loket lain"],  # dismissal
        ["Selamat pagi Pak", "Selamat pagi Pak", "Selamat pagi Pak"],  # repetition
        ["prosesnya 2 hari kerja", "biayanya gratis pak"],  # unprompted duration and cost
        ["Syaratnya KTP, NPWP, NIB dan izin lama"],  # requirements before anything
        ["ok dadah"],  # goodbye too early
    ],
)
def test_deviations_never_leave_the_citizen_silent(stack, opening):
    sender = new_sender()
    for message in opening:
        status, body = stack.say(sender, message)
        assert status == 200 and citizen_lines(body), (message, body)


def test_conversation_survives_a_restart_of_the_rasa_server(stack):
    sender = new_sender()
    stack.say(sender, SEED[0])
    stack.say(sender, SEED[1])
    stack.stop("rasa")
    stack.start_rasa()
    _, body = stack.say(sender, SEED[2])
    # the visit continues where it was: the citizen waits for the check (not a new opening)
    line = citizen_lines(body)[-1].lower()
    assert "tunggu" in line or "silakan" in line, line
    assert not is_scene_line(texts(body)[0])


def test_two_visits_in_one_conversation_do_not_leak(stack):
    """A visit is a Rasa session: the second visit's debrief and tracker hold only its own."""
    from rasa.core.tracker_store import SQLTrackerStore

    from actions.visits import visits_from_events

    sender = new_sender()
    stack.say(sender, '/start_scenario{"scenario":"renewal_complete"}')
    for message in SEED[:3]:
        stack.say(sender, message)
    status, body = stack.say(sender, '/start_scenario{"scenario":"upset_customer"}')
    assert status == 200
    assert [m.get("type") for m in body] == ["scene"], body  # only the new scene line
    status, body = stack.say(sender, "/selesai")
    debrief = next(m["custom"] for m in body if m.get("type") == "debrief")
    assert debrief["turns"] == 0 and debrief["scenario"] == "upset_customer"
    assert "Belum ada balasan" in debrief["reason"]

    # what Rasa loads for the conversation now: the second visit only
    store = SQLTrackerStore(dialect="sqlite", db=str(stack.db_path))
    loaded = [e.as_dict() for e in asyncio.run(store.retrieve(sender)).events]
    assert loaded[0]["event"] == "session_started"
    assert not [e for e in loaded if e["event"] == "user" and e["text"] in SEED]
    assert not [e for e in loaded if e["event"] == "slot" and e["name"] == "turn_record"]

    # and every reader splits the stored conversation the same way
    visits = visits_from_events(sender, stack.tracker_events(sender), keep_empty=True)
    played = [v for v in visits if v.turns or v.debrief]
    assert [(v.scenario, len(v.turns)) for v in played] == [
        ("renewal_complete", 3), ("upset_customer", 0)]
    assert played[0].messages[0]["speaker"] == "scene"
    assert played[1].debrief["turns"] == 0


def test_every_message_of_the_assistant_says_what_it_is(stack):
    from actions.visits import MESSAGE_TYPES

    sender = new_sender()
    bodies = [stack.say(sender, text)[1] for text in SEED]
    kinds = [[m.get("type") for m in body] for body in bodies]
    assert all(kind in MESSAGE_TYPES for turn in kinds for kind in turn), kinds
    assert kinds[0][0] == "scene" and kinds[0][-1] == "citizen"
    assert all("feedback" in turn and "citizen" in turn for turn in kinds)
    assert "debrief" in kinds[-1]  # the goodbye ends the visit: the debrief in the same answer
    debrief = next(m for m in bodies[-1] if m["type"] == "debrief")
    assert debrief["text"].startswith("[Ringkasan latihan") and "passed" in debrief["custom"]
    # stored the same way: the review reads the kinds from the events, not from the texts
    stored = [e.get("metadata", {}).get("type") or e["data"]["custom"]["type"]
              for e in stack.tracker_events(sender) if e["event"] == "bot"]
    assert stored == [kind for turn in kinds for kind in turn]


def test_a_rest_script_learns_the_missing_document_from_the_bot_alone(stack):
    """renewal_incomplete: the citizen says "semuanya di map ini"; the counter tells the truth."""
    sender = new_sender()
    stack.say(sender, '/start_scenario{"scenario":"renewal_incomplete"}')
    said, cases = [], []
    for text in ("Selamat pagi, Bapak, ada yang bisa saya bantu?",
                 "Boleh saya lihat dokumen persyaratannya, Pak?",
                 "Baik, saya periksa dulu dokumennya ya, Pak."):
        status, body = stack.say(sender, text)
        assert status == 200
        said += [m["text"] for m in body if m.get("type") == "narrator"]
        cases += [m["case"] for m in body if m.get("type") == "narrator" and "case" in m]
    assert any("Surat Keterangan Domisili Usaha (tidak ada)" in line for line in said), said
    assert len(said) == len(set(said))  # shown once
    documents = next(c["documents"] for c in cases if "documents" in c)  # and structured
    assert {"name": "Surat Keterangan Domisili Usaha", "state": "tidak ada"} in documents


def test_a_retried_start_is_answered_with_the_visit_it_started(stack):
    """The same start message id twice (a retry): one visit; without an id: a new visit."""
    sender, start_id = new_sender(), uuid.uuid4().hex
    command = {"sender": sender, "message": '/start_scenario{"scenario":"upset_customer"}',
               "metadata": {"message_id": start_id}}
    status, first = stack.say(sender, command)
    status_again, again = stack.say(sender, command)
    assert status == status_again == 200 and again == first
    assert first[0]["type"] == "scene" and first[0]["case"]["mood"] == "angry"
    events = stack.tracker_events(sender)
    assert sum(1 for e in events if e["event"] == "user") == 1
    stack.say(sender, '/start_scenario{"scenario":"upset_customer"}')  # deliberate: new visit
    events = stack.tracker_events(sender)
    assert sum(1 for e in events if e["event"] == "user") == 2
