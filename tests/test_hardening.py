"""Issue 13's findings, one test each: one guarded way in, identity only from the web service,
exports that never break, commands only by design, secrets kept, loopback, idempotent turns."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import urllib.request
import uuid
from types import SimpleNamespace

import pytest

from actions.cleaning import clean_text, exportable
from actions.visits import visits_from_events
from review import export
from tests.stack import ROOT, VENV_BIN, free_port, post_json, wait_http
from tests.test_review_data import make_store
from tests.webclient import WebClient, roster_trainee


def sender() -> str:
    return f"hard-{uuid.uuid4().hex[:10]}"


def sender_of(client: WebClient) -> str:
    """The sender id of the client's visit, read from its (signed, not secret) cookie."""
    import base64

    value = next(c.value for c in client.jar if c.name == "ptsp_trainee").strip('"')
    body = value.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))["sender"]


def user_events(stack, who: str) -> list[dict]:
    return [e for e in stack.tracker_events(who) if e["event"] == "user"]


# --- one way in -------------------------------------------------------------------------------

def test_socketio_is_off(stack):
    url = f"http://127.0.0.1:{stack.rasa_port}/socket.io/?EIO=4&transport=polling"
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            status = resp.status
    except urllib.error.HTTPError as err:
        status = err.code
    assert status == 404


# --- identity only from the web service; metadata capped -----------------------------------

def test_trainee_metadata_without_the_token_is_not_an_identity(stack):
    who = sender()
    status, _ = stack.say(who, {"sender": who, "message": "Selamat pagi",
                                "metadata": {"trainee": {"id": "KORBAN-1", "name": "Korban"}}})
    assert status == 200
    [event] = user_events(stack, who)
    assert "trainee" not in event["metadata"]  # kept aside, never read as who the trainee is
    assert event["metadata"]["client"]["trainee"]["id"] == "KORBAN-1"
    [visit] = visits_from_events(who, stack.tracker_events(who))
    assert visit.trainee_id == who


def test_metadata_of_any_shape_never_breaks_the_review(web):
    who = sender()
    status, _ = web.say(who, {"sender": who, "message": "Selamat pagi",
                              "metadata": {"trainee": "x", "deep": [[[{"a": None}]]]}})
    assert status == 200
    client = WebClient(web.web_url)
    assert client.login(web.trainer_password) in (200, 302, 303)
    for path in ("/review/api/sessions", "/review/api/cohort",
                 "/review/export/sessions.csv", "/review/export/turns.csv",
                 "/review/export/sessions.json", "/review/export/turns.json"):
        status, _, _ = client.request("POST" if "/export/" in path else "GET", path)
        assert status == 200, path


def test_metadata_over_8_kb_gets_413(stack):
    status, body = stack.say("x", {"sender": sender(), "message": "halo",
                                   "metadata": {"blob": "a" * 9000}})
    assert status == 413 and "8 KB" in body["error"]


# --- exports never break; input cleaned at every door ----------------------------------------

JUNK = ["nul\x00byte", "lone \ud800 surrogate", "x" * 100_000, "\u200b\u202e\ufeff", "=1+1"]


def test_exports_tolerate_any_stored_string_and_shape(tmp_path):
    events = [{"event": "session_started", "timestamp": 1.0},
              {"event": "slot", "name": "scenario", "value": "renewal_complete",
               "timestamp": 1.0}]
    for n, junk in enumerate(JUNK, 1):
        events += [
            {"event": "user", "text": junk, "timestamp": 1.0 + n,
             "metadata": {"trainee": {"id": junk, "name": junk}},
             "parse_data": {"intent": "not a dict"}},
            {"event": "slot", "name": "turn_record", "timestamp": 1.0 + n,
             "value": {"turn": n, "reply": junk, "scores": {
                 "overall": 50, "politeness": 50, "clarity": 50, "responsiveness": 50,
                 "tips": [junk, {"x": 1}], "evidence": [junk, {"label": junk}]}}},
            {"event": "bot", "text": junk, "timestamp": 1.0 + n, "metadata": [junk],
             "data": "not a dict"},
        ]
    events.append({"event": "slot", "name": "debrief", "value": {"passed": junk},
                   "timestamp": 9.0})
    store = make_store(tmp_path, {"web.A1.0123456789abcdef": events})
    from actions.visits import build_visits

    visits = build_visits(store.conversations())
    for fmt in ("csv", "json"):
        for what in ("sessions", "turns"):
            for raw in (False, True):
                text = export.export(visits, fmt, what, raw=raw)
                text.encode("utf-8")  # writable as UTF-8: no lone surrogate left
                assert "\x00" not in text and "\u200b" not in text
    rows = export.turn_rows(visits)
    assert rows[0]["reply"] == "nulbyte" and rows[1]["reply"] == "lone \ufffd surrogate"


def test_the_doors_clean_text_the_same_way(stack, web):
    assert clean_text("\u200b/re\x00start\ud800") == "/restart\ufffd"
    assert exportable({"k\x00": ["\ud800"]}) == {"k": ["\ufffd"]}
    who = sender()
    status, _ = stack.say(who, "Selamat\x00 pagi \ud800")
    assert status == 200
    assert user_events(stack, who)[0]["text"] == "Selamat pagi \ufffd"
    client = WebClient(web.web_url)
    assert client.start("Sari\u200b \ud800", f"uji-{uuid.uuid4().hex[:6]}")[0] == 200
    status, _, _ = client.say("Selamat\x00 pagi \ud800")
    assert status == 200


# --- commands only by design; exam hides scores ----------------------------------------------

@pytest.mark.parametrize("trick", ["\u200b/restart", "\x00/restart", "\ufeff/selesai",
                                   '\u200b/start_scenario{"feedback":"on"}'])
def test_invisible_characters_do_not_turn_a_reply_into_a_command(web, trick):
    _, client = roster_trainee(web, "Sari")
    assert client.start("Sari", "", "renewal_complete", exam=True)[0] == 200
    status, _, body = client.say(trick)
    assert status == 200
    kinds = [m["kind"] for m in body["messages"]]
    assert "debrief" not in kinds and "feedback" not in kinds and "scene" not in kinds
    who = client.request("GET", "/api/visit/current")[2]
    assert who["visit"] is not None  # the same visit goes on


def test_an_exam_visit_shows_no_scores_before_its_end(web):
    _, client = roster_trainee(web, "Sari")
    status, headers, _ = client.start("Sari", "", "renewal_complete", exam=True)
    assert status == 200
    client.say("Selamat pagi, Bapak, ada yang bisa saya bantu?")
    sender_id = sender_of(client)
    status, _, body = client.request("GET", f"/api/visit/{sender_id}")
    assert status == 200
    text = json.dumps(body)
    assert '"overall"' not in text and '"tips"' not in text and '"evidence"' not in text
    client.request("POST", "/api/visit/finish", {})
    status, _, body = client.request("GET", f"/api/visit/{sender_id}")
    assert body["sessions"][-1]["turns"][0]["overall"] is not None  # shown in the debrief


# --- junk at the web service: 4xx, never 5xx --------------------------------------------------

def test_junk_requests_get_4xx(web):
    client = WebClient(web.web_url)
    deep = b"[" * 100_000 + b"]" * 100_000
    for path in ("/api/visit/start", "/api/visit/say"):
        status, _, _ = client.request("POST", path, raw=deep)
        assert 400 <= status < 500, path
    for path in ("/static/", "/static/.", "/static/x%00", "/static/../app.py"):
        status, _, _ = client.request("GET", path)
        assert status == 404, path
    status, _, _ = client.request("GET", "/api/visit/current",
                                  headers={"Cookie": "ptsp_trainee=\xe9.abc"})
    assert status == 200


# --- idempotent turns ---------------------------------------------------------------------------

def test_a_resent_message_counts_once(stack):
    who = sender()
    message = {"sender": who, "message": "Selamat pagi, Bapak, ada yang bisa kami bantu?",
               "metadata": {"message_id": "m-0001-abcdef"}}
    first = stack.say(who, message)
    again = stack.say(who, message)
    assert first[0] == again[0] == 200
    assert [m.get("text") for m in first[1]] == [m.get("text") for m in again[1]]
    assert len(user_events(stack, who)) == 1
    other = stack.say(who, {**message, "metadata": {"message_id": "m-0002-abcdef"}})
    assert other[0] == 200 and len(user_events(stack, who)) == 2


def test_a_retry_while_the_first_is_still_handled_counts_once(stack):
    from concurrent.futures import ThreadPoolExecutor

    who = sender()
    message = {"sender": who, "message": "Apakah dokumennya sudah dibawa, Pak?",
               "metadata": {"message_id": "dup-7777-abcdef"}}
    with ThreadPoolExecutor(3) as pool:
        answers = list(pool.map(lambda _: post_json(stack.webhook, message), range(3)))
    assert all(status == 200 for status, _ in answers)
    assert len(user_events(stack, who)) == 1


# --- secrets and loopback ---------------------------------------------------------------------

def test_the_generated_trainer_password_is_never_logged_and_the_web_binds_loopback(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("PTSP_TRAINER_PASSWORD", "PTSP_BIND", "WEB_HOST")}
    env.update({"PTSP_DATA_DIR": str(tmp_path), "WEB_PORT": str(port),
                "PTSP_TRACKER_DB_URL": f"sqlite:///{tmp_path / 't.db'}"})
    log = tmp_path / "web.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(VENV_BIN / "python"), "-m", "web"], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", 60, proc)
        addresses = subprocess.run(["hostname", "-I"], capture_output=True, text=True,
                                   check=False).stdout.split()
        for address in [a for a in addresses if not a.startswith("127.") and ":" not in a]:
            with pytest.raises(OSError):
                socket.create_connection((address, port), timeout=2).close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    password = (tmp_path / "trainer_password").read_text().strip()
    assert password and password not in log.read_text(errors="replace")
    assert (tmp_path / "trainer_password").stat().st_mode & 0o777 == 0o600


def test_run_prod_refuses_the_example_secrets():
    env = {**os.environ, "RASA_TOKEN": "change-me-local-token"}
    result = subprocess.run(["bash", "scripts/run_prod.sh"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "RASA_TOKEN is still the public example value" in result.stderr


def test_forwarded_proto_is_believed_only_from_a_trusted_proxy(monkeypatch):
    from web.security import foreign_origin

    def request(ip: str) -> SimpleNamespace:
        return SimpleNamespace(ip=ip, scheme="http", host="latihan.example.go.id",
                               headers={"origin": "https://latihan.example.go.id",
                                        "x-forwarded-proto": "https"})

    monkeypatch.delenv("PTSP_TRUSTED_PROXIES", raising=False)
    assert foreign_origin(request("10.0.0.5"))  # untrusted: its header is ignored
    monkeypatch.setenv("PTSP_TRUSTED_PROXIES", "10.0.0.5, 10.0.0.6")
    assert not foreign_origin(request("10.0.0.5"))
    assert foreign_origin(request("10.9.9.9"))


def test_var_files_are_private_under_make_run(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    (var / "trackers.db").write_text("x")
    (var / "trackers.db").chmod(0o644)
    subprocess.run(["bash", "-c", f'source scripts/common.sh; private_dir "{var}"; '
                                  f'echo log > "{var}/web.log"'], cwd=ROOT, check=True)
    for path in (var / "trackers.db", var / "web.log"):
        assert path.stat().st_mode & 0o777 == 0o600, path
    assert var.stat().st_mode & 0o777 == 0o700
