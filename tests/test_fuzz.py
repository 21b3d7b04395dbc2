"""Property-based fuzzing (hypothesis) of every door: the REST channel and the web service.

Arbitrary JSON shapes, strings (control and format characters, lone surrogates), sizes,
nesting and cookies: the answer is always 2xx or 4xx, never 5xx, and the tracker store holds
each message the REST channel accepted exactly once. ``make test`` runs a short profile (under a
minute); ``make fuzz`` the long one (``PTSP_FUZZ=long``).
"""

from __future__ import annotations

import http.client
import json
import os
import uuid
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

LONG = os.environ.get("PTSP_FUZZ") == "long"
settings.register_profile("door", max_examples=400 if LONG else 25, deadline=None,
                          suppress_health_check=list(HealthCheck), derandomize=not LONG)
settings.load_profile("door")

ANY_TEXT = st.text(st.characters(blacklist_categories=()), max_size=60) | st.sampled_from([
    "\u200b/restart", "\x00/selesai", "/start_scenario{\"feedback\":\"on\"}", "\ud800",
    "a" * 5000, "", "   ", "web.x.0123456789abcdef"])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=12)
RUN = uuid.uuid4().hex[:8]


def post(port: int, path: str, body: bytes, headers: dict[str, str] | None = None
         ) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json",
                                                        **(headers or {})})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def get(port: int, path: str, cookie: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.putrequest("GET", path)
        conn.putheader("Cookie", cookie.encode("latin-1", "replace"))
        conn.endheaders()
        return conn.getresponse().status
    finally:
        conn.close()


def dumps(value) -> bytes:
    return json.dumps(value).encode("utf-8")  # lone surrogates travel as \\ud800 escapes


REST_BODY = st.one_of(
    JSON,
    st.fixed_dictionaries({"sender": st.just(None), "message": JSON},
                          optional={"metadata": JSON, "input_channel": JSON}),
    st.fixed_dictionaries({"message": ANY_TEXT},
                          optional={"metadata": st.dictionaries(ANY_TEXT, JSON, max_size=3)}),
)


def test_rest_channel_never_answers_5xx_and_stores_each_accepted_message_once(stack):
    accepted: Counter[str] = Counter()

    @given(body=REST_BODY, n=st.integers(0, 3))
    def door(body, n):
        sender = f"fuzz-{RUN}-{n}"
        if isinstance(body, dict) and "message" in body and body.get("sender") is None:
            body = {**body, "sender": sender}
        status, raw = post(stack.rasa_port, "/webhooks/rest/webhook", dumps(body))
        assert status < 500, (status, raw[:300], body)
        if status == 200:
            assert isinstance(json.loads(raw), list)
            accepted[body["sender"]] += 1

    door()
    assert accepted, "no request was accepted: the fuzzing did not reach the assistant"
    for sender, count in accepted.items():
        stored = [e for e in stack.tracker_events(sender) if e["event"] == "user"]
        assert len(stored) == count, (sender, len(stored), count)


WEB_PATHS = st.sampled_from(["/api/visit/start", "/api/visit/say", "/api/visit/finish",
                             "/review/login", "/review/logout"])
GET_PATHS = st.sampled_from(["/api/visit/current", "/api/scenarios", "/review/api/sessions",
                             "/review/api/session?id=x", "/static/", "/static/x%00",
                             "/api/visit/web.x.0123456789abcdef", "/review/export/turns.csv"])
COOKIE = st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=80).map(
    lambda v: f"ptsp_trainee={v}; ptsp_trainer={v[::-1]}")


def test_web_service_never_answers_5xx(web):
    port = int(web.web_url.rsplit(":", 1)[1])

    @given(path=WEB_PATHS, body=JSON | st.binary(max_size=200).map(lambda b: b), cookie=COOKIE)
    def door_post(path, body, cookie):
        raw = body if isinstance(body, bytes) else dumps(body)
        status, answer = post(port, path, raw, {"Cookie": cookie.encode("latin-1").decode(
            "latin-1")})
        assert status < 500, (path, status, answer[:300], body)

    @given(path=GET_PATHS, cookie=COOKIE)
    def door_get(path, cookie):
        assert get(port, path, cookie) < 500

    door_post()
    door_get()
