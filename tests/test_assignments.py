"""Assignments and exams (issue 12): a trainer assigns scenarios to a trainee or a unit; the
trainee sees *Tugas saya* and does them; an exam item counts only an exam visit.

Real Rasa server, action server, SQLite tracker store and web service (the shared one: the
shared trainer password signs in as an admin there).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from tests.browser import DESKTOP, new_page, say, shot, trainer_login
from tests.webclient import WebClient

GREET = "Selamat pagi, Bapak, selamat datang di PTSP. Ada yang bisa saya bantu?"
TOMORROW = (date.today() + timedelta(days=1)).isoformat()


def trainer(web) -> WebClient:
    client = WebClient(web.web_url)
    assert client.login(web.trainer_password, trainer="Bu Wati") == 303
    return client


def play(web, employee: str, scenario: str, exam: bool, unit: str = "") -> None:
    client = WebClient(web.web_url)
    status, _, _ = client.request("POST", "/api/visit/start", {
        "name": "Peserta Tugas", "employee_id": employee, "scenario": scenario, "exam": exam,
        "unit": unit})
    assert status == 200
    client.say(GREET)
    assert client.request("POST", "/api/visit/finish", {})[0] == 200


def tasks(web, employee: str, unit: str = "") -> list[dict]:
    status, _, body = WebClient(web.web_url).request(
        "POST", "/api/assignments", {"employee_id": employee, "unit": unit})
    assert status == 200
    return body["assignments"]


def test_an_exam_assignment_counts_only_exam_visits(web):
    employee = f"as-{uuid.uuid4().hex[:8]}"
    wati = trainer(web)
    status, _, body = wati.request("POST", "/review/api/assignments", {
        "trainee_id": employee, "scenarios": ["renewal_complete", "gratuity_offer"],
        "mode": "exam", "due": TOMORROW, "note": "Ujian akhir modul 1"})
    assert status == 200, body
    [task] = tasks(web, employee)
    assert [i["done"] for i in task["items"]] == [False, False] and task["mode"] == "exam"
    play(web, employee, "renewal_complete", exam=False)  # practice does not count
    assert [i["done"] for i in tasks(web, employee)[0]["items"]] == [False, False]
    play(web, employee, "renewal_complete", exam=True)
    items = tasks(web, employee)[0]["items"]
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
    assert wati.request("POST", "/review/api/assignments", {
        "unit": unit, "scenarios": ["confused_customer"], "mode": "practice",
        "due": TOMORROW})[0] == 200
    play(web, first, "confused_customer", exam=False, unit=unit)
    play(web, second, "renewal_complete", exam=False, unit=unit)
    assert tasks(web, first, unit)[0]["items"][0]["done"] is True
    assert tasks(web, second, unit)[0]["items"][0]["done"] is False
    assert tasks(web, second, "") == []  # not of that unit
    _, _, listing = wati.request("GET", "/review/api/assignments")
    mine = next(a for a in listing["assignments"] if a["unit"] == unit)
    assert {t["trainee_id"] for t in mine["trainees"]} == {first, second}
    assert wati.request("POST", f"/review/api/assignments/{mine['id']}/archive", {})[0] == 200
    assert tasks(web, first, unit) == []


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


def test_tugas_saya_on_the_trainee_page_starts_the_assigned_visit(web, browser):
    employee = f"ap-{uuid.uuid4().hex[:8]}"
    trainer(web).request("POST", "/review/api/assignments", {
        "trainee_id": employee, "scenarios": ["upset_customer"], "mode": "exam",
        "due": TOMORROW, "note": "Kerjakan sebelum rapat Jumat"})
    page = new_page(browser, DESKTOP)
    page.goto(web.web_url + "/")
    page.fill("#name", "Peserta Tugas")
    page.fill("#employee-id", employee)
    page.dispatch_event("#employee-id", "change")
    page.wait_for_selector("[data-testid=task]")
    assert "rapat Jumat" in page.locator("[data-testid=task]").inner_text()
    shot(page, "trainee-page-tasks")
    page.click("button.do-task")
    page.wait_for_selector(".msg.scene")
    assert page.locator("#exam-note").is_visible()  # started in the assignment's mode
    assert "kesal" in page.locator("#card-title").inner_text().lower()
    say(page, GREET)
    page.context.close()

    review = new_page(browser, DESKTOP)
    trainer_login(review, web, "Bu Wati")
    review.goto(web.web_url + "/review/assignments")
    review.wait_for_selector("[data-testid=assignment]")
    assert employee in review.locator("[data-testid=assignments]").inner_text()
    shot(review, "trainer-06-assignments")
    review.context.close()
