"""The trainee page on a phone (390×844) and on a desktop (issue 23, part 4), in headless
Chromium: on a phone the scenario card, the service rules and *Berkas di meja* are one tap away
while the chat stays where it was; the visit's clock time stays beside the citizen's mood;
*Tugas saya* comes first while a task is open and shows the due state, the pass mark, the
attempts, the completion and the certificate when the server sends them; the rows of *Riwayat
saya* name the scenario, the date, the visit score and the verdict.

Real Rasa server, action server, SQLite tracker store and web service; screenshots in
tests/artifacts/phone-*.png.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import date, timedelta

import pytest

from tests.browser import (
    ARTIFACTS,
    DESKTOP,
    NEEDS_CHROMIUM,
    PHONE,
    finish,
    new_page,
    say,
    start_visit,
)
from tests.webclient import WebClient

pytestmark = NEEDS_CHROMIUM

VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
GREET = "Selamat pagi, Bapak/Ibu, selamat datang di PTSP. Ada yang bisa saya bantu?"
ASK = "Baik, boleh saya lihat dokumen persyaratannya, Bapak/Ibu?"
CHECK = "Terima kasih, izinkan saya memeriksa dokumennya terlebih dahulu."
EXPLAIN = "Untuk perpanjangan izin, prosesnya dua hari kerja setelah berkas lengkap, Bapak/Ibu."
UNIT = "DPMPTSP Kota Uji Ponsel"
PASSWORD = "sandi-peserta-1"
TOMORROW = (date.today() + timedelta(days=1)).isoformat()
# what a trainee never reads: internal codes, or a value the page failed to fill in
LEAKS = re.compile(r"undefined|null|NaN|\[object|renewal_|_complete|due_soon|pass_mark|"
                   r"attempts_|completed_at|overdue|certificate")
# a mode followed by a number that does not say what it counts ("Latihan 7")
BARE_NUMBER = re.compile(r"\b(Latihan|Ujian)\s+\d+(?!\d| balasan)")

# true when the element's box is inside the viewport and not covered (the sticky bar)
IN_VIEW = """el => {
  const r = el.getBoundingClientRect();
  if (!r.width || !r.height) return false;
  if (r.top < 0 || r.left < 0) return false;
  if (r.bottom > innerHeight + 1 || r.right > innerWidth + 1) return false;
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 8));
  return el === hit || el.contains(hit);
}"""


def shot(page, name: str) -> None:
    """What the trainee sees on the screen (the viewport: the bar stays at its top), and the
    whole page beside it."""
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.screenshot(path=str(ARTIFACTS / f"{name}-full.png"), full_page=True)


def in_view(locator) -> bool:
    return locator.evaluate(IN_VIEW)


def employee() -> str:
    return f"ph-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def trainer(web) -> WebClient:
    """The shared trainer password (an admin on the shared stack): makes the unit once."""
    client = WebClient(web.web_url)
    assert client.login(web.trainer_password, trainer="Bu Wati") == 303
    status, _, body = client.request("POST", "/review/api/units", {"name": UNIT})
    assert status in (200, 409), body
    return client


def member(trainer: WebClient, page, web, name: str) -> str:
    """A trainee of the roster, signed in in this browser (the code and a new password)."""
    who = employee()
    status, _, body = trainer.request("POST", "/review/api/roster", {
        "employee_id": who, "name": name, "unit": UNIT})
    assert status == 200, body
    answer = page.request.post(web.web_url + "/api/login", data={
        "employee_id": who, "secret": body["code"], "new_password": PASSWORD})
    assert answer.status == 200, answer.text()
    return who


def start_signed_in(page, web, scenario: str = "renewal_complete") -> None:
    page.goto(web.web_url + "/")
    page.wait_for_selector("[data-testid=me]:visible")
    page.select_option("#scenario", scenario)
    page.click("#start")
    page.wait_for_selector(".msg.scene")


def title_of(page, web, scenario: str) -> str:
    scenarios = page.request.get(web.web_url + "/api/scenarios").json()["scenarios"]
    return next(s["title"] for s in scenarios if s["id"] == scenario)


@pytest.fixture(params=list(VIEWPORTS))
def screen(request, browser):
    page = new_page(browser, VIEWPORTS[request.param])
    page.screen_name = request.param
    yield page
    page.context.close()


def test_on_a_phone_the_card_and_the_desk_are_a_tap_away_from_the_chat(browser, web):
    page = new_page(browser, PHONE)
    start_visit(page, web, "Ketut Ariani", employee(), "renewal_incomplete")
    tabs = page.locator("[role=tab]")
    assert tabs.all_inner_texts()[:1] == ["Percakapan"] and tabs.count() == 4
    assert in_view(page.locator("#tab-card")) and in_view(page.locator("#tab-desk"))
    assert page.locator("#card").is_hidden() and page.locator("#desk").is_hidden()
    for text in (GREET, ASK, CHECK):
        say(page, text)
    last = page.locator("#messages > li").last
    said = last.inner_text()
    assert in_view(last) and in_view(page.locator("#text"))  # the newest line and the box
    assert in_view(page.locator("#tab-desk"))  # the tabs stay at the top of the screen
    documents = page.locator("#desk-documents li").count()  # counted on the desk's tab
    assert documents and page.locator("#tab-desk .tab-badge").inner_text() == str(documents)
    shot(page, "phone-01-chat")

    page.click("#tab-card")  # the scenario card and the service rules, right under the tabs
    assert page.locator("#tab-card").get_attribute("aria-selected") == "true"
    assert in_view(page.locator("#card-title"))
    assert page.locator("#card-title").inner_text() not in ("", "Skenario")
    assert page.locator("#chat").is_hidden()
    page.locator("#card-sop-box h3").scroll_into_view_if_needed()
    assert page.locator("#card-sop-box h3").inner_text() == "Ketentuan layanan"
    assert in_view(page.locator("#card-sop li").first)
    assert in_view(page.locator("#tab-chat"))  # the way back is in reach while scrolled down
    shot(page, "phone-02-card")

    page.click("#tab-desk")  # what lies on the counter
    assert in_view(page.locator("#desk h2"))
    problem = page.locator("#desk-documents li.problem")
    assert problem.inner_text().startswith("Surat Keterangan Domisili Usaha")
    assert in_view(problem)
    shot(page, "phone-03-desk")

    page.click("#tab-chat")  # back: the chat as it was, its newest line in view
    assert page.locator("#messages > li").last.inner_text() == said
    assert in_view(page.locator("#messages > li").last) and in_view(page.locator("#text"))
    assert page.locator("#card").is_hidden()
    say(page, EXPLAIN)  # and it goes on from there
    assert in_view(page.locator("#messages > li").last)

    page.locator("[data-testid=score-chip]").last.click()  # the chip opens the feedback tab
    assert page.locator("#tab-feedback").get_attribute("aria-selected") == "true"
    assert page.locator("[data-testid=turn-feedback]").first.is_visible()
    assert page.locator("#chat").is_hidden()
    shot(page, "phone-04-feedback")
    page.click("#tab-chat")
    assert in_view(page.locator("#messages > li").last)
    page.context.close()


def test_on_a_phone_a_line_said_while_the_card_is_open_is_marked_on_the_chat_tab(browser, web):
    page = new_page(browser, PHONE)
    start_visit(page, web, "Made Suartana", employee(), "renewal_complete")
    held = []  # the reply is held until the card is open: no race with a fast citizen
    page.route("**/api/visit/say", lambda route: held.append(route))
    page.fill("#text", GREET)
    page.click("#send")
    for _ in range(200):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the reply was never sent"
    page.click("#tab-card")  # reading the card while the citizen answers
    held[0].continue_()
    page.unroute("**/api/visit/say")
    page.wait_for_selector("#tab-chat .tab-badge.new:visible", timeout=60_000)
    assert page.locator("#tab-chat .tab-badge").inner_text() == "baru"
    shot(page, "phone-05-new-line-marked")
    page.click("#tab-chat")
    assert page.locator("#tab-chat .tab-badge").is_hidden()
    assert page.locator(".msg.citizen").count() == 1
    assert in_view(page.locator("#messages > li").last)
    page.context.close()


def test_the_desktop_shows_every_pane_side_by_side_without_tabs(page, web):
    start_visit(page, web, "Dewi Lestari", employee(), "renewal_complete")
    assert page.locator("#tabs").is_hidden()
    for pane in ("#card", "#desk", "#chat", "#feedback-panel"):
        assert page.locator(pane).is_visible()
    # the status line stays in the chat card
    assert page.locator("#chat #chat-head [data-testid=mood]").is_visible()
    chat, card = page.locator("#chat").bounding_box(), page.locator("#card").bounding_box()
    assert card["x"] + card["width"] <= chat["x"]  # the card left of the chat, as before


def test_the_clock_stays_beside_the_mood_after_several_replies(screen, web):
    start_visit(screen, web, "Hendra Wijaya", employee(), "renewal_complete")
    clock, mood = screen.locator("[data-testid=clock]"), screen.locator("[data-testid=mood]")
    assert clock.inner_text() == "Pukul 09.00 WIB"  # PTSP_VISIT_HOUR=9 on the test stack
    for text in (GREET, ASK, CHECK, EXPLAIN):
        say(screen, text)
    assert clock.inner_text() == "Pukul 09.00 WIB"
    assert in_view(clock) and in_view(mood)
    a, b = clock.bounding_box(), mood.bounding_box()
    assert abs((a["y"] + a["height"] / 2) - (b["y"] + b["height"] / 2)) < 12  # one line
    assert a["x"] > b["x"] and a["x"] - (b["x"] + b["width"]) < 200  # right beside it
    shot(screen, f"phone-06-clock-{screen.screen_name}")


def test_the_clock_comes_back_with_a_resumed_visit(page, web):
    start_visit(page, web, "Nur Aini", employee(), "renewal_complete")
    say(page, GREET)
    page.reload()
    page.wait_for_selector("[data-testid=resume-note]:visible")
    assert page.locator("[data-testid=clock]").inner_text() == "Pukul 09.00 WIB"


def test_tugas_saya_comes_first_for_a_trainee_with_an_open_task(screen, web, trainer):
    who = member(trainer, screen, web, "Sri Wahyuni")
    status, _, body = trainer.request("POST", "/review/api/assignments", {
        "trainee_id": who, "scenarios": ["renewal_complete"], "mode": "practice",
        "due": TOMORROW, "note": "Latihan sebelum ujian modul 1"})
    assert status == 200, body
    screen.goto(web.web_url + "/")
    screen.wait_for_selector("[data-testid=task]")
    tasks = screen.locator("[data-testid=tasks]")
    first = screen.evaluate("() => [...document.querySelectorAll('main > section')]"
                            ".find((s) => !s.hidden).id")
    assert first == "tasks"
    assert tasks.bounding_box()["y"] < screen.locator("#account").bounding_box()["y"]
    assert in_view(tasks.locator("h2")) and in_view(screen.locator("button.do-task"))
    text = tasks.inner_text()
    assert "Tugas saya" in text and "1 tugas belum selesai" in text
    assert "Latihan sebelum ujian modul 1" in text
    assert title_of(screen, web, "renewal_complete") in text
    assert not LEAKS.search(text), text  # fields the server does not send are left out
    shot(screen, f"phone-07-tasks-first-{screen.screen_name}")
    screen.click("button.do-task")  # one tap starts it
    screen.wait_for_selector(".msg.scene")
    assert tasks.is_hidden()


def fake_tasks(route):
    """*Tugas saya* with every field the server may send (web/my_visits.py my_assignments)."""
    def item(scenario, title, **more):
        return {"scenario": scenario, "title": title, "done": False, "in_progress": False,
                "passed": None, "on_time": False, "score": None, "attempts_used": 0,
                "done_at": None, "session_id": None, **more}

    body = {"assignments": [
        {"id": 1, "mode": "exam", "due": TOMORROW, "note": "Ujian akhir modul 1",
         "due_soon": True, "overdue": False, "complete": False, "completed_at": None,
         "pass_mark": 75, "attempts_allowed": 2, "attempts_used": 1, "certificate": None,
         "items": [item("renewal_complete", "Perpanjangan dengan berkas lengkap", done=True,
                        passed=False, score=64, attempts_used=1,
                        done_at="2026-12-02T03:00:00Z")]},
        {"id": 2, "mode": "practice", "due": "2026-11-20", "overdue": True, "due_soon": False,
         "complete": False, "pass_mark": None, "attempts_allowed": None, "attempts_used": 0,
         "items": [item("gratuity_offer", "Pelanggan menawarkan imbalan")]},
        {"id": 3, "mode": "exam", "due": "2026-12-01", "pass_mark": 70, "attempts_allowed": 2,
         "attempts_used": 2, "complete": True, "completed_at": "2026-12-03T02:15:00Z",
         "overdue": False, "due_soon": False,
         "certificate": {"url": "/certificate/3/ph-1", "expires": "2027-12-03",
                         "expired": False, "passed_on": "2026-12-03"},
         "items": [item("upset_customer", "Pelanggan yang kecewa", done=True, passed=True,
                        score=82, attempts_used=2, done_at="2026-12-03T02:15:00Z"),
                   item("confused_customer", "Pelanggan yang bingung", done=True,
                        passed=True, score=90, attempts_used=1,
                        done_at="2026-12-02T02:15:00Z")]},
        {"id": 4, "mode": "exam", "due": "2025-01-10", "completed_at": "2025-01-09T03:00:00Z",
         "attempts_allowed": 1, "attempts_used": 1,
         "certificate": {"url": "javascript:alert(1)", "expires": "2026-01-09", "expired": True},
         "items": [{"scenario": "confused_customer", "title": "Pelanggan yang bingung",
                    "done": True, "passed": True, "score": 77.6}]},
    ]}
    route.fulfill(status=200, content_type="application/json", body=json.dumps(body))


def test_tugas_saya_shows_due_state_pass_mark_attempts_and_certificate(screen, web, trainer):
    member(trainer, screen, web, "Wulan Sari")
    screen.route("**/api/assignments", fake_tasks)
    screen.goto(web.web_url + "/")
    screen.wait_for_selector("[data-testid=task]")
    tasks = screen.locator("[data-testid=task]")
    assert tasks.count() == 4
    soon, late, done, old = (tasks.nth(i) for i in range(4))  # open ones first
    assert soon.locator("[data-testid=task-due-soon]").inner_text() == "Segera jatuh tempo"
    assert "Nilai lulus: 75 · Percobaan 1 dari 2" in soon.inner_text()
    assert "tidak lulus, nilai 64" in soon.inner_text()
    assert soon.locator("button.do-task").inner_text() == "Coba lagi"  # one attempt left
    assert late.locator("[data-testid=task-overdue]").inner_text() == "Terlambat"
    assert late.locator("button.do-task").inner_text() == "Kerjakan"
    assert "Nilai lulus" not in late.inner_text() and "Percobaan" not in late.inner_text()
    assert done.locator("[data-testid=task-done]").inner_text() == "Selesai 3 Des 2026"
    assert "Maksimal 2 kali percobaan per skenario" in done.inner_text()
    assert "lulus, nilai 82, 3 Des 2026 · percobaan 2 dari 2" in done.inner_text()
    link = done.locator("[data-testid=certificate] a")
    assert link.inner_text() == "Lihat sertifikat"
    assert link.get_attribute("href") == "/certificate/3/ph-1"
    assert "berlaku sampai 3 Desember 2027" in done.inner_text()
    assert done.locator("button.do-task").count() == 0
    assert "kedaluwarsa" in old.inner_text() and "nilai 78" in old.inner_text()
    assert old.locator("[data-testid=certificate] a").count() == 0  # no script link
    summary = screen.locator("[data-testid=tasks-summary]").inner_text()
    assert summary == "2 tugas belum selesai, 1 terlambat."
    text = screen.locator("[data-testid=tasks]").inner_text()
    assert not LEAKS.search(text), text
    screen.locator("[data-testid=tasks]").scroll_into_view_if_needed()
    shot(screen, f"phone-08-task-fields-{screen.screen_name}")


def test_done_tasks_follow_the_start_form(page, web, trainer):
    member(trainer, page, web, "Agus Setiawan")

    def all_done(route):
        route.fulfill(status=200, content_type="application/json", body=json.dumps(
            {"assignments": [{"id": 9, "mode": "practice", "due": "2026-12-01",
                              "items": [{"scenario": "renewal_complete", "title": "Perpanjangan",
                                         "done": True, "passed": False}]}]}))

    page.route("**/api/assignments", all_done)
    page.goto(web.web_url + "/")
    page.wait_for_selector("[data-testid=task]")
    assert page.locator("#tasks").bounding_box()["y"] > page.locator("#setup").bounding_box()["y"]
    assert page.locator("[data-testid=tasks-summary]").inner_text() == "Semua tugas sudah selesai."
    assert "tidak lulus" in page.locator("[data-testid=task]").inner_text()


def test_history_rows_name_scenario_date_score_and_verdict(screen, web, trainer):
    member(trainer, screen, web, "Budi Santoso")
    start_signed_in(screen, web, "renewal_complete")
    say(screen, GREET)
    finish(screen)  # one reply only: a visit that does not pass
    start_signed_in(screen, web, "renewal_incomplete")
    say(screen, GREET)  # left unfinished
    screen.click("#history-open")
    screen.wait_for_selector("[data-testid=history-row]")
    rows = screen.locator("[data-testid=history-row]")
    assert rows.count() == 2
    unfinished, failed = rows.nth(0), rows.nth(1)  # newest first
    when = re.compile(r"\d{1,2} \w{3} \d{4},? \d{2}[.:]\d{2}")
    for row, scenario in ((unfinished, "renewal_incomplete"), (failed, "renewal_complete")):
        assert row.locator("[data-testid=history-scenario]").inner_text() == title_of(
            screen, web, scenario)
        assert when.search(row.locator("[data-testid=history-when]").inner_text())
        text = row.inner_text()
        assert not LEAKS.search(text), text
        if screen.screen_name == "phone":  # no bare "Latihan 7": the number says what it is
            assert not BARE_NUMBER.search(text), text
    assert failed.get_attribute("data-verdict") == "failed"
    assert failed.locator("[data-testid=history-verdict]").text_content() == "Tidak lulus"
    assert re.fullmatch(r"\d{1,3}", failed.locator(".score-value").inner_text())
    assert unfinished.get_attribute("data-verdict") == "open"
    assert unfinished.locator("[data-testid=history-verdict]").text_content() == "Belum selesai"
    if screen.screen_name == "phone":  # a card per visit: the score is named on it
        assert "Nilai kunjungan" in failed.inner_text()
        assert "1 balasan" in failed.inner_text()
        box = failed.bounding_box()
        assert box["width"] <= PHONE["width"]
    else:
        headers = screen.locator("#history-table thead th").all_inner_texts()
        assert headers[:2] == ["Skenario", "Waktu"] and "Nilai kunjungan" in headers
    shot(screen, f"phone-09-history-{screen.screen_name}")


def test_history_says_lulus_for_a_passed_visit(screen, web, trainer):
    member(trainer, screen, web, "Rina Marlina")

    def history(route):
        route.fulfill(status=200, content_type="application/json", body=json.dumps({
            "trainee": {"id": "x", "name": "Rina Marlina"}, "unread_notes": 0, "visits": [
                {"sender_id": "web.x.1", "visit": 1, "scenario": "renewal_complete",
                 "scenario_title": "Perpanjangan dengan berkas lengkap",
                 "started": "2026-12-03T02:15:00Z", "turns": 7, "finished": True,
                 "passed": True, "exam_mode": True, "visit_score": 84, "unread_notes": 0}]}))

    screen.route("**/api/history", history)
    screen.goto(web.web_url + "/")
    screen.wait_for_selector("#history-open:visible")
    screen.click("#history-open")
    row = screen.locator("[data-testid=history-row]")
    row.wait_for()
    assert row.get_attribute("data-verdict") == "passed"
    assert row.locator("[data-testid=history-verdict]").text_content() == "Lulus"
    assert "3 Des 2026" in row.inner_text() and "84" in row.inner_text()
    assert "Ujian" in row.inner_text()
    if screen.screen_name == "phone":
        assert "7 balasan" in row.inner_text() and not BARE_NUMBER.search(row.inner_text())
    shot(screen, f"phone-10-history-passed-{screen.screen_name}")
