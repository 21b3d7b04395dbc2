"""review/: sessions built from tracker events, reports, exports and rescoring (no servers)."""

from __future__ import annotations

import csv
import io
import json

import pytest
import sqlalchemy as sa

from actions.visits import build_visits as build_sessions
from actions.visits import visits_from_events as split_sessions
from review import export
from review.rescore import rescore
from review.store import TrackerStore, url_from_endpoints
from tests.stack import ROOT

SCORES = {"politeness": 80, "clarity": 70, "responsiveness": 60, "overall": 70,
          "evidence": [{"dimension": "politeness", "signal": "greeting", "text": "selamat pagi",
                        "effect": 6}], "tips": ["Sebutkan lama proses."], "version": "v1"}


def user(text, ts, intent="greet", trainee=None):
    meta = {"trainee": {"id": trainee, "name": "Sari"}} if trainee else {}
    return {"event": "user", "text": text, "timestamp": ts, "metadata": meta,
            "parse_data": {"intent": {"name": intent, "confidence": 0.9}}}


def bot(text, ts):
    return {"event": "bot", "text": text, "timestamp": ts}


def slot(name, value, ts):
    return {"event": "slot", "name": name, "value": value, "timestamp": ts}


def record(turn, scores=SCORES, reply="Selamat pagi, Bapak"):
    return {"turn": turn, "reply": reply, "move": "greet", "scored": scores is not None,
            "scores": scores, "mood_before": "calm", "mood_after": "calm",
            "customer_turn": None, "scoring_error": None if scores else "ConnectionError"}


def visit_events(trainee="A1", t0=1_700_000_000.0, second_unscored=False):
    return [
        user("/start_scenario{\"scenario\":\"upset_customer\"}", t0, "start_scenario", trainee),
        slot("scenario", "upset_customer", t0 + 0.1),
        slot("citizen_honorific", "Ibu", t0 + 0.1),
        bot("[Pukul 09.00 WIB. Seorang ibu datang ke loket dengan wajah kesal.]", t0 + 0.2),
        user("Selamat pagi, Ibu", t0 + 5, trainee=trainee),
        slot("turn_record", record(1), t0 + 5.1),
        slot("mood", "annoyed", t0 + 5.1),
        bot("Pagi. Saya sudah dua kali ke sini!", t0 + 5.2),
        user("<script>alert(1)</script>", t0 + 20, intent="nlu_fallback", trainee=trainee),
        *([] if second_unscored else [slot("turn_record", record(2, reply="<script>"), t0 + 20)]),
        bot("Maksudnya bagaimana?", t0 + 20.2),
        user("/selesai", t0 + 30, "selesai", trainee),
        slot("debrief", {"type": "debrief", "passed": False, "reason": "Sasaran belum tercapai",
                         "averages": {"politeness": 80, "clarity": 70, "responsiveness": 60,
                                      "overall": 62}, "reply_overall": 70,
                         "fail_reasons": ["Sasaran belum tercapai: Meminta maaf."],
                         "objectives": [{"id": "apologized", "label": "Meminta maaf",
                                         "met": False}], "ended_by": "trainee_finished"},
             t0 + 30.1),
    ]


def test_a_visit_becomes_one_session_with_its_turns():
    sessions = split_sessions("web.A1.0123456789abcdef", visit_events())
    assert len(sessions) == 1
    s = sessions[0]
    assert (s.scenario, s.trainee_id, s.trainee_name) == ("upset_customer", "A1", "Sari")
    assert [t.reply for t in s.turns] == ["Selamat pagi, Ibu", "<script>alert(1)</script>"]
    assert s.turns[0].citizen_answer == ["Pagi. Saya sudah dua kali ke sini!"]
    assert s.summary()["passed"] is False and s.summary()["duration_seconds"] == 30
    assert [line["speaker"] for line in s.transcript] == [
        "command", "scene", "clerk", "citizen", "clerk", "citizen", "command"]
    assert s.citizen["citizen_honorific"] == "Ibu"


def test_empty_visits_are_not_listed_and_visits_split_on_scenario():
    events = [slot("scenario", "renewal_complete", 1.0), *visit_events(t0=100.0)]
    sessions = split_sessions("x", events)
    assert len(sessions) == 1 and sessions[0].index == 1


def test_unscored_turns_show_as_unscored():
    session = split_sessions("x", visit_events(second_unscored=True))[0]
    turn = session.turns[1].as_dict()
    assert turn["scored"] is False and turn["overall"] is None and turn["scoring_error"]
    assert session.averages()["overall"] == 70


def test_csv_export_neutralises_formulas_and_keeps_text():
    events = visit_events()
    events[4] = user("=HYPERLINK(\"http://x\")", 1_700_000_005.0, trainee="A1")
    text = export.export(build_sessions({"a": events}), "csv", "turns", raw=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["reply"].startswith("'=HYPERLINK")
    assert rows[1]["reply"] == "<script>alert(1)</script>"
    data = json.loads(export.export(build_sessions({"a": events}), "json", "sessions"))
    assert data[0]["turns"][0]["evidence"][0]["signal"] == "greeting"


def make_store(tmp_path, conversations):
    """An SQLite file with Rasa's events table (same columns as rasa's SQLTrackerStore)."""
    store = TrackerStore(f"sqlite:///{tmp_path / 'trackers.db'}")
    store.events.metadata.create_all(store.engine)
    with store.engine.begin() as conn:
        for sender, events in conversations.items():
            conn.execute(sa.insert(store.events), [
                {"sender_id": sender, "type_name": e["event"], "timestamp": e["timestamp"],
                 "data": json.dumps(e)} for e in events])
    return store


def test_rescore_fills_unscored_turns_and_keeps_old_scores(tmp_path):
    store = make_store(tmp_path, {"a": visit_events(second_unscored=True)})
    report = rescore(store)
    assert (report.turns_seen, report.rescored, report.skipped) == (2, 1, 1)
    session = build_sessions(store.conversations())[0]
    fresh = session.turns[1].as_dict()
    assert fresh["scored"] and fresh["rescored"] and fresh["overall"] is not None
    assert session.turns[0].record["scores"] == SCORES  # the live record is untouched
    assert rescore(store).rescored == 0  # nothing left to do
    everything = rescore(store, everything=True)  # v1 scores are another rubric version
    assert everything.rescored == 1
    assert build_sessions(store.conversations())[0].turns[0].as_dict()["rescored"]


def test_endpoints_files_give_the_right_database_url(tmp_path, monkeypatch):
    monkeypatch.setenv("DB_PASSWORD", "rahasia")
    path = tmp_path / "endpoints.yml"
    path.write_text("tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: db.local\n"
                    "  port: 5432\n  db: ptsp\n  username: rasa\n  password: ${DB_PASSWORD}\n")
    assert url_from_endpoints(path) == "postgresql://rasa:rahasia@db.local:5432/ptsp"
    for key, value in {"DB_HOST": "127.0.0.1", "DB_PORT": "5432", "DB_NAME": "ptsp",
                       "DB_USER": "postgres", "DB_PASSWORD": ""}.items():
        monkeypatch.setenv(key, value)
    prod = url_from_endpoints(ROOT / "endpoints.prod.yml")
    assert prod == "postgresql://postgres@127.0.0.1:5432/ptsp"
    path.write_text("tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: var/trackers.db\n")
    assert url_from_endpoints(path).endswith("/var/trackers.db")
    path.write_text("tracker_store:\n  type: redis\n")
    with pytest.raises(ValueError):
        url_from_endpoints(path)


def typed_bot(kind, text, ts):
    return {"event": "bot", "text": text, "timestamp": ts, "metadata": {"type": kind}}


def session_visit(scenario, t0, replies, feedback_on=True):
    """A visit as stored since visits are sessions: session_started, then typed messages."""
    events = [{"event": "session_started", "timestamp": t0},
              slot("feedback_on", feedback_on, t0), slot("scenario", scenario, t0),
              typed_bot("scene", "[Pukul 09.00 WIB. Seorang bapak datang.]", t0)]
    for n, reply in enumerate(replies, 1):
        events += [user(reply, t0 + n, trainee="A1"), slot("turn_record", record(n, reply=reply),
                                                           t0 + n),
                   {"event": "bot", "timestamp": t0 + n, "text": None,
                    "data": {"custom": {"type": "feedback", "turn": n}}},
                   typed_bot("citizen", f"[dalam hati] jawaban {n}", t0 + n)]
    return events


def test_each_session_is_one_visit_and_messages_are_read_by_their_type():
    events = [*session_visit("renewal_complete", 100.0, ["Selamat pagi", "Ada yang bisa dibantu?"]),
              user("/start_scenario", 150.0, "start_scenario", "A1"),
              *session_visit("gratuity_offer", 200.0, ["Mohon maaf, tidak bisa"],
                             feedback_on=False)]
    first, second = split_sessions("web.A1.0123456789abcdef", events)
    assert (first.scenario, len(first.turns), first.exam) == ("renewal_complete", 2, False)
    assert (second.scenario, len(second.turns), second.exam) == ("gratuity_offer", 1, True)
    assert second.turns[0].number == 1  # the second visit counts only its own turns
    # a citizen line that happens to start with "[" is still the citizen's (typed, not guessed)
    assert first.turns[0].citizen_answer == ["[dalam hati] jawaban 1"]
    assert first.turns[1].customer_turn == "[dalam hati] jawaban 1"
    assert [m["speaker"] for m in first.messages] == [
        "scene", "clerk", "feedback", "citizen", "clerk", "feedback", "citizen", "command"]
    assert "feedback" not in [m["speaker"] for m in first.transcript]
    assert second.summary()["exam_mode"] is True


def test_turn_records_round_trip_and_old_records_still_read():
    from actions.turn_record import RECORD_VERSION, TurnRecord, mean_scores

    old = record(1)  # version 1: no version, lines
    parsed = TurnRecord.from_dict(old)
    assert parsed.version == 1 and parsed.lines == () and parsed["move"] == "greet"
    again = TurnRecord.from_dict({**parsed.as_dict(), "version": RECORD_VERSION,
                                  "new_key": 1})
    assert again.get("new_key") == 1 and again.as_dict()["new_key"] == 1
    assert TurnRecord.from_dict("not a record") is None
    assert TurnRecord.from_dict({"turn": "x"}) is None
    assert mean_scores([SCORES, None, {**SCORES, "overall": 81}])["overall"] == 76
    assert mean_scores([])["politeness"] is None
