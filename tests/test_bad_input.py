"""Bad input through Rasa's REST channel (channels/rest.py): a clear answer or a 4xx, never a
5xx or silence, and nothing already stored is lost. (The web service: tests/test_web.py.)"""

from __future__ import annotations

import json
import urllib.request
import uuid

import pytest

from tests.stack import SEED, citizen_lines, post_json, texts


@pytest.fixture(scope="module")
def stored_visit(stack):
    """A conversation stored before the bad input arrives, with its events."""
    sender = f"keep-{uuid.uuid4().hex[:8]}"
    for message in SEED[:3]:
        assert stack.say(sender, message)[0] == 200
    return sender, stack.tracker_events(sender)


def raw_post(stack, data: bytes, headers: dict | None = None):
    request = urllib.request.Request(stack.webhook, data=data, method="POST",
                                     headers={"Content-Type": "application/json",
                                              **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


@pytest.mark.parametrize("body", [
    b"", b"not json", b"[1, 2]", b'"halo"', b"\xff\xfe{", b'{"sender": "a", "message": "\xff"}',
    b'{"sender": 5, "message": "halo"}', b'{"sender": "a", "message": 7}',
    b'{"sender": "a", "message": null}', b'{"sender": "a"}', b'{"message": "halo"}',
    b'{"sender": "", "message": "halo"}', b'{"sender": "a", "message": {"x": 1}}',
    b'{"sender": "a", "message": "halo", "metadata": "x"}',
    b'{"sender": "a\\u0000b", "message": "halo"}',
    json.dumps({"sender": "s" * 500, "message": "halo"}).encode(),
    json.dumps({"sender": "a", "message": "x" * 100_001}).encode(),
])
def test_malformed_requests_get_a_4xx_with_a_reason(stack, body):
    status, answer = raw_post(stack, body)
    assert 400 <= status < 500, (status, answer)
    assert answer["error"]


@pytest.mark.parametrize("message", [
    "", "   ", "\n\t ", "a" * 10_000, "kata " * 20_000, "🙂🙏😡" * 10,
    "<script>alert('x')</script><b>tebal</b>", "'; DROP TABLE events; -- ", "1 OR 1=1",
    "a\u0000b\u0007c\u001b[31m", "\u202eterbalik", "Good morning sir",
    "早上好，我想续签营业执照", "/selesai_tidak_ada", '/start_scenario{"scenario": 5}',
])
def test_odd_messages_get_a_citizen_answer(stack, message):
    status, body = stack.say(f"odd-{uuid.uuid4().hex[:8]}", message)
    assert status == 200, body
    assert texts(body), f"silence for {message[:30]!r}"


def test_unknown_scenario_id_gets_a_clear_line(stack):
    status, body = stack.say(f"scn-{uuid.uuid4().hex[:8]}",
                             '/start_scenario{"scenario": "tidak_ada"}')
    assert status == 200
    assert "tidak dikenal" in texts(body)[0]


def test_a_web_trainees_conversation_cannot_be_written_from_outside(stack):
    sender = f"web.korban.{uuid.uuid4().hex[:16]}"
    status, answer = post_json(stack.webhook, {"sender": sender, "message": "halo"})
    assert status == 403 and answer["error"]
    status, answer = raw_post(stack, json.dumps({"sender": sender, "message": "halo"}).encode(),
                              {"Authorization": "Bearer salah"})
    assert status == 403
    status, body = raw_post(stack, json.dumps({"sender": sender, "message": SEED[0]}).encode(),
                            {"Authorization": f"Bearer {stack.env['PTSP_CHANNEL_TOKEN']}"})
    assert status == 200 and citizen_lines(body)


def test_nothing_stored_is_lost_and_the_visit_goes_on(stack, stored_visit):
    sender, before = stored_visit
    for body in (b"", b"[1]", b'{"sender": "' + sender.encode() + b'", "message": 5}'):
        raw_post(stack, body)
    assert stack.tracker_events(sender) == before
    status, body = stack.say(sender, SEED[3])
    assert status == 200 and citizen_lines(body)
    records = [e["value"]["turn"] for e in stack.tracker_events(sender)
               if e.get("event") == "slot" and e.get("name") == "turn_record"]
    assert records == [1, 2, 3, 4]
