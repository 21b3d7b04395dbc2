"""The web service over HTTP: trainee API, trainer login, review data, exports, security.

Real Rasa server, real action server, real SQLite tracker store and the real web service.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import uuid

import pytest
import yaml

from tests.stack import ROOT
from tests.webclient import WebClient, roster_trainee

GOOD = yaml.safe_load((ROOT / "tests/scenarios/renewal_complete.yml").read_text("utf-8"))


def trainee_id() -> str:
    return f"uji-{uuid.uuid4().hex[:8]}"


def play_good_visit(web, employee: str, name: str = "Sari Wulandari") -> WebClient:
    client = WebClient(web.web_url)
    status, _, body = client.start(name, employee, "renewal_complete")
    assert status == 200, body
    assert body["messages"][0]["kind"] == "scene"
    for turn in GOOD["good"]["turns"]:
        status, _, body = client.say(turn["text"])
        assert status == 200, body
        assert any(m["kind"] == "citizen" for m in body["messages"]), body
    return client


@pytest.fixture(scope="module")
def finished_visit(web):
    """One good seed visit through the web service, finished with its debrief."""
    employee = trainee_id()
    client = play_good_visit(web, employee)
    status, _, body = client.request("POST", "/api/visit/finish", {})
    assert status == 200
    return employee, client, body


def trainer(web) -> WebClient:
    client = WebClient(web.web_url)
    assert client.login(web.trainer_password) == 303
    return client


def test_a_web_visit_gets_scores_and_a_debrief(finished_visit):
    _, _, body = finished_visit
    kinds = [m["kind"] for m in body["messages"]]
    assert "debrief" in kinds
    debrief = next(m["data"] for m in body["messages"] if m["kind"] == "debrief")
    assert debrief["passed"] is True, debrief["reason"]


def test_feedback_comes_with_each_reply_unless_exam_mode(web):
    client = WebClient(web.web_url)
    client.start("Budi", trainee_id(), "renewal_complete")
    _, _, body = client.say("Selamat pagi Bapak/Ibu, ada yang bisa kami bantu?")
    feedback = [m["data"] for m in body["messages"] if m["kind"] == "feedback"]
    assert feedback and {"politeness", "clarity", "responsiveness"} <= set(feedback[0]["scores"])

    _, exam = roster_trainee(web, "Budi")
    exam.start("Budi", "", "renewal_complete", exam=True)
    _, _, body = exam.say("Selamat pagi Bapak/Ibu, ada yang bisa kami bantu?")
    assert not [m for m in body["messages"] if m["kind"] == "feedback"]
    assert [m for m in body["messages"] if m["kind"] == "citizen"]


def test_an_unfinished_visit_can_be_resumed_after_a_reload(web):
    client = WebClient(web.web_url)
    assert client.request("GET", "/api/visit/current")[2] == {"visit": None}  # no cookie
    client.start("Rudi Hartono", trainee_id(), "renewal_complete")
    _, _, said = client.say(GOOD["good"]["turns"][0]["text"])
    status, _, body = client.request("GET", "/api/visit/current")
    assert status == 200, body
    visit = body["visit"]
    assert visit["name"] == "Rudi Hartono" and visit["exam"] is False
    assert visit["scenario"] == "renewal_complete"
    kinds = [m["kind"] for m in visit["messages"]]
    assert kinds == ["scene", "clerk", "feedback", "citizen"], kinds
    live = next(m["data"] for m in said["messages"] if m["kind"] == "feedback")
    stored = visit["messages"][2]["data"]
    assert stored["turn"] == live["turn"] == 1
    assert stored["scores"]["overall"] == live["scores"]["overall"]
    assert visit["messages"][3]["text"] in [m.get("text") for m in said["messages"]]

    client.request("POST", "/api/visit/finish", {})
    assert client.request("GET", "/api/visit/current")[2] == {"visit": None}  # finished


def test_a_resumed_exam_visit_shows_no_scores(web):
    _, client = roster_trainee(web, "Budi")
    client.start("Budi", "", "renewal_complete", exam=True)
    client.say(GOOD["good"]["turns"][0]["text"])
    visit = client.request("GET", "/api/visit/current")[2]["visit"]
    assert visit["exam"] is True
    assert [m["kind"] for m in visit["messages"]] == ["scene", "clerk", "citizen"]


def test_the_sender_id_is_set_by_the_server(web, finished_visit):
    employee, _, _ = finished_visit
    client = WebClient(web.web_url)
    status, _, _ = client.request("POST", "/api/visit/start", {
        "name": "X", "employee_id": "x1", "scenario": "", "sender": "someone-else"})
    assert status == 200
    cookie = next(c for c in client.jar if c.name == "ptsp_trainee")
    assert "someone-else" not in cookie.value
    rows = trainer(web).request("GET", f"/review/api/sessions?trainee={employee}")[2]["sessions"]
    assert rows and all(r["sender_id"].startswith(f"web.{employee}.") for r in rows)


def test_a_trainee_cannot_open_another_trainees_session(web, finished_visit):
    _, owner, _ = finished_visit
    own_sender = next(c for c in owner.jar if c.name == "ptsp_trainee")
    mine = trainer(web).request("GET", "/review/api/sessions")[2]["sessions"][0]["sender_id"]
    other = WebClient(web.web_url)
    other.start("Lain", trainee_id(), "renewal_complete")
    status, _, body = other.request("GET", f"/api/visit/{mine}")
    assert status == 403, body
    assert own_sender  # the owner holds a signed cookie for their own visit
    forged = WebClient(web.web_url)
    status, _, _ = forged.request("GET", f"/api/visit/{mine}",
                                  headers={"Cookie": "ptsp_trainee=e30.forged"})
    assert status == 403


@pytest.mark.parametrize("path", [
    "/review", "/review/session?id=x:0", "/review/cohort", "/review/trainee?id=x",
    "/review/print?id=x:0",
])
def test_review_pages_redirect_to_login_without_a_trainer_login(web, path):
    status, headers, _ = WebClient(web.web_url).request("GET", path)
    assert status == 303 and "/review/login" in headers.get("Location", "")


@pytest.mark.parametrize("path", [
    "/review/api/sessions", "/review/api/session?id=x:0", "/review/api/cohort",
    "/review/api/trainee?id=x", "/review/export/sessions.csv", "/review/export/turns.json",
])
def test_review_data_and_exports_are_refused_without_login(web, path):
    method = "POST" if "/export/" in path else "GET"  # downloads are POSTs
    status, _, body = WebClient(web.web_url).request(method, path)
    assert status == 401, body
    status, _, _ = WebClient(web.web_url).request(
        method, path, headers={"Authorization": "Bearer wrong-password"})
    assert status in (401, 429)  # wrong tokens are limited per address


def test_wrong_password_does_not_log_in(web):
    client = WebClient(web.web_url)
    assert client.login("salah") == 303
    assert not [c for c in client.jar if c.name == "ptsp_trainer"]
    assert client.request("GET", "/review/api/sessions")[0] == 401


def test_trainer_sees_the_session_with_per_turn_scores(web, finished_visit):
    employee, _, _ = finished_visit
    client = trainer(web)
    rows = client.request("GET", f"/review/api/sessions?trainee={employee}")[2]["sessions"]
    assert len(rows) == 1 and rows[0]["passed"] is True and rows[0]["trainee_name"]
    detail = client.request("GET", f"/review/api/session?id={rows[0]['id']}")[2]
    assert len(detail["turns"]) == len(GOOD["good"]["turns"])
    assert all(t["scored"] and t["evidence"] for t in detail["turns"])
    assert detail["objectives"] and detail["debrief"]["passed"] is True
    assert [line["speaker"] for line in detail["transcript"]][:2] == ["scene", "clerk"]
    progress = client.request("GET", f"/review/api/trainee?id={employee}")[2]
    assert progress["points"] and progress["points"][0]["overall"] == rows[0]["overall"]
    cohort = client.request("GET", "/review/api/cohort")[2]
    assert cohort["weakest_dimension"] in ("politeness", "clarity", "responsiveness")


def test_filters_and_sorting(web, finished_visit):
    employee, _, _ = finished_visit
    client = trainer(web)
    rows = client.request("GET", "/review/api/sessions?scenario=gratuity_offer")[2]["sessions"]
    assert all(r["scenario"] == "gratuity_offer" for r in rows)
    rows = client.request("GET", "/review/api/sessions?since=2999-01-01")[2]["sessions"]
    assert rows == []
    rows = client.request("GET", "/review/api/sessions?sort=overall&order=asc")[2]["sessions"]
    values = [r["overall"] for r in rows if r["overall"] is not None]
    assert values == sorted(values)
    status, _, body = client.request("GET", "/review/api/sessions?since=kemarin")
    assert status == 400 and "tanggal" in body["error"]


def test_csv_and_json_exports(web, finished_visit):
    employee, _, _ = finished_visit
    client = trainer(web)
    status, headers, text = client.request(
        "POST", f"/review/export/turns.csv?format=raw&trainee={employee}")
    assert status == 200 and "attachment" in headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == len(GOOD["good"]["turns"]) and all(r["overall"] for r in rows)
    status, _, data = client.request("POST", f"/review/export/sessions.json?trainee={employee}")
    assert status == 200 and data[0]["turns"][0]["politeness"] is not None


def test_cli_export_has_the_visit_with_every_turn_scored(web, finished_visit):
    employee, _, _ = finished_visit
    result = subprocess.run(
        [sys.executable, "-m", "review", "--db-url", f"sqlite:///{web.db_path}", "export",
         "--format", "json", "--trainee", employee],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
        env={**os.environ, "PTSP_DATA_DIR": str(web.workdir / "web"),
             "PTSP_BROKER_DB_URL": f"sqlite:///{web.broker_path}"})
    sessions = json.loads(result.stdout)
    assert len(sessions) == 1
    assert all(t["scored"] and t["overall"] is not None for t in sessions[0]["turns"])


@pytest.mark.parametrize("payload", [
    b"", b"not json", b"[1,2]", b'{"text": 5}', b'{"text": null}', b"\xff\xfe\xfd",
    json.dumps({"text": "x" * 100_000}).encode(),
])
def test_bad_input_to_the_web_service_gets_a_4xx(web, payload):
    client = WebClient(web.web_url)
    client.start("Uji", trainee_id(), "renewal_complete")
    status, _, body = client.request("POST", "/api/visit/say", raw=payload)
    assert 400 <= status < 500, (status, body)
    assert isinstance(body, dict) and body.get("error")


@pytest.mark.parametrize("text", ["🙂🙂", "<script>alert(1)</script>",
                                  "'; DROP TABLE events; --", "a\x00b\x07c", "/selesai"])
def test_odd_messages_get_a_citizen_answer(web, text):
    """(An empty reply is not sent at all: tests/test_trainee_api.py.)"""
    client = WebClient(web.web_url)
    client.start("Uji", trainee_id(), "renewal_complete")
    status, _, body = client.say(text)
    assert status == 200, body
    assert any(m["kind"] in ("citizen", "debrief") for m in body["messages"]), body


@pytest.mark.parametrize("payload,reason", [
    ({"name": "", "employee_id": "a1"}, "Nama"),
    ({"name": "A", "employee_id": "a b<script>"}, "ID pegawai"),
    ({"name": "A", "employee_id": "a1", "scenario": "tidak_ada"}, "Skenario"),
    ({"name": "A", "employee_id": "a1", "exam": "ya"}, "ujian"),
])
def test_start_rejects_bad_fields_clearly(web, payload, reason):
    status, _, body = WebClient(web.web_url).request("POST", "/api/visit/start", payload)
    assert status == 400 and reason in body["error"]


def test_foreign_origins_are_refused_and_no_cors_is_granted(web):
    client = WebClient(web.web_url)
    status, headers, _ = client.request(
        "POST", "/api/visit/start", {"name": "A", "employee_id": "a1"},
        headers={"Origin": "http://evil.example"})
    assert status == 403
    status, headers, _ = client.request("GET", "/api/scenarios",
                                        headers={"Origin": "http://evil.example"})
    assert "Access-Control-Allow-Origin" not in headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]


def test_rasa_http_api_is_not_exposed(web):
    status, _, _ = WebClient(f"http://127.0.0.1:{web.rasa_port}").request(
        "GET", "/conversations/anyone/tracker")
    assert status in (401, 403, 404)
