"""Assignments and exams (issue 12): a trainer assigns scenarios to a trainee or a unit; the
trainee sees *Tugas saya* and does them; an exam item counts only an exam visit.

Real Rasa server, action server, SQLite tracker store and web service (the shared one: the
shared trainer password signs in as an admin there).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from tests.webclient import WebClient, enrol, sign_in

GREET = "Selamat pagi, Bapak, selamat datang di PTSP. Ada yang bisa saya bantu?"
TOMORROW = (date.today() + timedelta(days=1)).isoformat()


def trainer(web) -> WebClient:
    client = WebClient(web.web_url)
    assert client.login(web.trainer_password, trainer="Bu Wati") == 303
    return client


def signed_in(web, employee: str, unit: str = "DPMPTSP Uji") -> WebClient:
    """A trainee enrolled in ``unit`` and signed in (assignments are for the roster)."""
    code = enrol(trainer(web), employee, "Peserta Tugas", unit)
    client, status, body = sign_in(web.web_url, employee, code, "sandi-peserta-1")
    assert status == 200, body
    return client


def play(client: WebClient, scenario: str, exam: bool) -> None:
    status, _, body = client.request("POST", "/api/visit/start",
                                     {"scenario": scenario, "exam": exam})
    assert status == 200, body
    client.say(GREET)
    assert client.request("POST", "/api/visit/finish", {})[0] == 200


def tasks(client: WebClient) -> list[dict]:
    status, _, body = client.request("GET", "/api/assignments")
    assert status == 200
    return body["assignments"]


def test_an_exam_assignment_counts_only_exam_visits(web):
    employee = f"as-{uuid.uuid4().hex[:8]}"
    wati = trainer(web)
    client = signed_in(web, employee)
    status, _, body = wati.request("POST", "/review/api/assignments", {
        "trainee_id": employee, "scenarios": ["renewal_complete", "gratuity_offer"],
        "mode": "exam", "due": TOMORROW, "note": "Ujian akhir modul 1"})
    assert status == 200, body
    [task] = tasks(client)
    assert [i["done"] for i in task["items"]] == [False, False] and task["mode"] == "exam"
    play(client, "renewal_complete", exam=False)  # practice does not count
    assert [i["done"] for i in tasks(client)[0]["items"]] == [False, False]
    play(client, "renewal_complete", exam=True)
    items = tasks(client)[0]["items"]
    assert [i["done"] for i in items] == [True, False]
    assert items[0]["passed"] is False and items[0]["on_time"] is True
    _, _, listing = wati.request("GET", "/review/api/assignments")
    mine = next(a for a in listing["assignments"] if a["trainee_id"] == employee)
    assert [i["done"] for i in mine["trainees"][0]["items"]] == [True, False]
    # the exam visit is flagged in the list and in the progress
    _, _, sessions = wati.request("GET", f"/review/api/sessions?trainee={employee}&exam=ya")
    assert sessions["total"] == 1 and sessions["sessions"][0]["exam_mode"] is True
    _, _, progress = wati.request("GET", f"/review/api/trainee?id={employee}")
    assert progress["exams"] == 1 and progress["sessions"] == 2


def test_a_unit_assignment_reaches_every_trainee_of_the_unit(web):
    unit = f"Unit Uji {uuid.uuid4().hex[:4]}"
    first, second = f"au-{uuid.uuid4().hex[:6]}", f"au-{uuid.uuid4().hex[:6]}"
    wati = trainer(web)
    assert wati.request("POST", "/review/api/units", {"name": unit})[0] == 200
    assert wati.request("POST", "/review/api/assignments", {
        "unit": unit, "scenarios": ["confused_customer"], "mode": "practice",
        "due": TOMORROW})[0] == 200  # before anyone of the unit has made a visit
    one, two = signed_in(web, first, unit), signed_in(web, second, unit)
    outsider = signed_in(web, f"au-{uuid.uuid4().hex[:6]}")
    play(one, "confused_customer", exam=False)
    play(two, "renewal_complete", exam=False)
    assert tasks(one)[0]["items"][0]["done"] is True
    assert tasks(two)[0]["items"][0]["done"] is False
    assert tasks(outsider) == []  # not of that unit
    _, _, listing = wati.request("GET", "/review/api/assignments")
    mine = next(a for a in listing["assignments"] if a["unit"] == unit)
    assert {t["trainee_id"] for t in mine["trainees"]} == {first, second}
    assert wati.request("POST", f"/review/api/assignments/{mine['id']}/archive", {})[0] == 200
    assert tasks(one) == []


def test_bad_assignments_get_a_clear_answer(web):
    wati = trainer(web)
    for payload, word in (
            ({"trainee_id": "x", "scenarios": [], "mode": "exam", "due": TOMORROW}, "skenario"),
            ({"trainee_id": "x", "scenarios": ["tidak_ada"], "mode": "exam", "due": TOMORROW},
             "skenario"),
            ({"trainee_id": "x", "scenarios": ["renewal_complete"], "mode": "lomba",
              "due": TOMORROW}, "Mode"),
            ({"trainee_id": "x", "scenarios": ["renewal_complete"], "mode": "exam",
              "due": "besok"}, "tenggat"),
            ({"scenarios": ["renewal_complete"], "mode": "exam", "due": TOMORROW}, "unit"),
            ({"trainee_id": "x", "unit": "y", "scenarios": ["renewal_complete"],
              "mode": "exam", "due": TOMORROW}, "unit")):
        status, _, body = wati.request("POST", "/review/api/assignments", payload)
        assert status == 400 and word.lower() in body["error"].lower(), (payload, body)
    assert WebClient(web.web_url).request("POST", "/review/api/assignments", {})[0] == 401
