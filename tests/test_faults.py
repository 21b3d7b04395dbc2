"""Faults on the live stack: the action server dies, the scorer is slow.

(A restart of the Rasa server is in tests/test_rest_visit.py; PostgreSQL restarts and replicas
in tests/test_prod_replicas.py.) Each test leaves the shared stack as it found it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

from tests.stack import ROOT, SEED, citizen_lines


def turn_records(stack, sender):
    return [e["value"] for e in stack.tracker_events(sender)
            if e.get("event") == "slot" and e.get("name") == "turn_record"]


def export_turns(stack, sender):
    result = subprocess.run(
        [sys.executable, "-m", "review", "--db-url", f"sqlite:///{stack.db_path}", "export",
         "--format", "json", "--what", "turns"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    return [t for t in json.loads(result.stdout) if t["session_id"].startswith(sender + ":")]


def test_action_server_killed_mid_visit_then_rescore_fills_the_gap(stack):
    sender = f"fault-{uuid.uuid4().hex[:8]}"
    assert stack.say(sender, SEED[0])[0] == 200
    stack.stop("actions")
    try:
        status, body = stack.say(sender, SEED[1])
        # stored, and the trainee is told so instead of silence
        assert status == 200 and [m["type"] for m in body] == ["narrator"], body
        assert "tersimpan" in body[0]["text"]
    finally:
        stack.start_actions()
    status, body = stack.say(sender, SEED[2])
    assert status == 200 and citizen_lines(body)

    turns = export_turns(stack, sender)
    assert [t["scored"] for t in turns] == [True, False, True]
    assert [t["turn"] for t in turns] == [1, 2, 3]
    assert turn_records(stack, sender)[-1]["turn"] == 3  # the record counts the lost turn too
    assert turns[1]["reply"] == SEED[1]

    result = subprocess.run(
        [sys.executable, "-m", "review", "--db-url", f"sqlite:///{stack.db_path}", "rescore",
         "--sender", sender], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    assert "re-scored 1" in result.stdout, result.stdout
    turns = export_turns(stack, sender)
    assert all(t["scored"] for t in turns) and turns[1]["rescored"] is True
    assert turns[1]["overall"] is not None and turns[0]["rescored"] is False


def test_a_slow_scorer_does_not_hold_up_the_citizen(stack):
    saved = dict(stack.env)
    stack.stop("actions")
    stack.env.update({"PTSP_SCORING_DELAY_SECONDS": "4", "PTSP_SCORING_TIMEOUT": "1"})
    try:
        stack.start_actions()
        sender = f"slow-{uuid.uuid4().hex[:8]}"
        status, body = stack.say(sender, SEED[0])
        assert status == 200 and citizen_lines(body)
        assert "perpanjang" in citizen_lines(body)[-1]  # the visit moved on
        record = turn_records(stack, sender)[-1]
        assert record["scored"] is False and "timed out" in record["scoring_error"]
    finally:
        stack.stop("actions")
        stack.env.clear()
        stack.env.update(saved)
        stack.start_actions()
