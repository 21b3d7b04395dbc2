"""The trainee page as a trainee meets it (issue 11), in headless Chromium on a desktop and on
a phone (390×844): the case on the counter, the scenario card and its objectives, the mood
badge, waiting, the guards against accidents, resuming, and *Riwayat saya*; and since issue 22
who is who: exams, history and unfinished visits are for a trainee of the roster who signed
in (enrolment code, then a password of their own), open practice for anyone else.

Real Rasa server, action server, SQLite tracker store and web service; screenshots in
tests/artifacts/trainee-page-*.png.
"""

from __future__ import annotations

import json
import uuid

import pytest

from tests.browser import DESKTOP, NEEDS_CHROMIUM, PHONE, finish, new_page, say, shot, start_visit
from tests.webclient import WebClient

pytestmark = NEEDS_CHROMIUM

VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
GREET = "Selamat pagi, Bapak/Ibu, selamat datang di PTSP. Ada yang bisa saya bantu?"
ASK = "Baik, boleh saya lihat dokumen persyaratannya, Bapak/Ibu?"
CHECK = "Terima kasih, izinkan saya memeriksa dokumennya terlebih dahulu."
# what the counter shows in each scenario once the documents are checked (scenarios.yml)
COUNTER = {
    "renewal_complete": ("Izin usaha yang lama", "ada", None),
    "renewal_incomplete": ("Surat Keterangan Domisili Usaha", "tidak ada", None),
    "upset_customer": ("Surat Keterangan Domisili Usaha", "ada",
                       "menunggu tanda tangan kepala dinas"),
    "confused_customer": ("NIB", "ada", None),
    "gratuity_offer": ("NPWP", "ada", None),
}


UNIT = "DPMPTSP Kota Uji Halaman"
PASSWORD = "sandi-peserta-1"


def employee() -> str:
    return f"pg-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def trainer(web) -> WebClient:
    """The shared trainer password (an admin on the shared stack): makes the unit once."""
    client = WebClient(web.web_url)
    assert client.login(web.trainer_password, trainer="Bu Wati") == 303
    status, _, body = client.request("POST", "/review/api/units", {"name": UNIT})
    assert status in (200, 409), body
    return client


def enrol(trainer: WebClient, name: str) -> tuple[str, str]:
    """A new trainee of the roster: (employee ID, one-time enrolment code)."""
    who = employee()
    status, _, body = trainer.request("POST", "/review/api/roster", {
        "employee_id": who, "name": name, "unit": UNIT})
    assert status == 200, body
    return who, body["code"]


def member(trainer: WebClient, page, web, name: str) -> str:
    """Enrol a trainee and sign this browser in as them (code and new password at once, as
    the page sends them after its 409); returns the employee ID."""
    who, code = enrol(trainer, name)
    sign_in(page, web, who, code, PASSWORD)
    return who


def sign_in(page, web, who: str, secret: str, new_password: str | None = None) -> None:
    body = {"employee_id": who, "secret": secret}
    if new_password:
        body["new_password"] = new_password
    answer = page.request.post(web.web_url + "/api/login", data=body)
    assert answer.status == 200, answer.text()


def start_signed_in(page, web, scenario: str = "renewal_complete", exam: bool = False) -> None:
    """The start form of a signed-in trainee: no name or ID, only scenario and mode."""
    page.goto(web.web_url + "/")
    page.wait_for_selector("[data-testid=me]:visible")
    assert page.locator("#open-fields").is_hidden()
    page.select_option("#scenario", scenario)
    if exam:
        page.check("#exam")
    page.click("#start")
    page.wait_for_selector(".msg.scene")


@pytest.fixture(params=list(VIEWPORTS))
def screen(request, browser):
    page = new_page(browser, VIEWPORTS[request.param])
    page.screen_name = request.param
    yield page
    page.context.close()


def test_chromium_runs_on_both_screens(screen):
    """The viewport fixture is what the tests below claim it is (not a desktop twice)."""
    assert screen.viewport_size == VIEWPORTS[screen.screen_name]


@pytest.mark.parametrize("scenario", list(COUNTER))
def test_the_counter_shows_the_documents_once_they_are_checked(page, web, scenario):
    start_visit(page, web, "Ratna Sari", employee(), scenario)
    assert page.locator("#desk-empty").is_visible()  # nothing before the clerk looks
    assert page.locator("#desk-documents li").count() == 0
    for text in (GREET, ASK, CHECK):
        say(page, text)
    name, state, lookup = COUNTER[scenario]
    row = page.locator("#desk-documents li", has_text=name)
    assert row.count() == 1 and row.locator(".doc-state").inner_text() == state
    assert page.locator("#desk-empty").is_hidden()
    narrator = page.locator(".msg.narrator", has_text="Berkas di meja")
    assert narrator.count() == 1 and f"{name} ({state})" in narrator.inner_text()
    if lookup:
        assert lookup in page.locator("#desk-lookup").inner_text()
    if state != "ada":
        assert "problem" in row.get_attribute("class")
    shot(page, f"trainee-page-desk-{scenario}")


def test_on_a_phone_the_missing_document_and_the_latest_score_are_in_view(web, browser):
    page = new_page(browser, PHONE)
    start_visit(page, web, "Ketut Ariani", employee(), "renewal_incomplete")
    for text in (GREET, ASK, CHECK):
        say(page, text)
    chip = page.locator("[data-testid=score-chip]").last
    box = chip.bounding_box()
    assert box and 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]  # no scrolling
    assert "Nilai" in chip.inner_text()
    shot(page, "trainee-page-phone-chip")
    # what the clerk must never do is not ticked for merely not doing it yet
    assert page.locator("[data-objective=no_blame].open").count() == 1
    page.click("#tab-desk")  # on a phone the desk is a tab above the chat (tests/test_phone.py)
    assert page.locator("#desk").is_visible()
    assert page.locator("#desk-documents li.problem").inner_text().startswith(
        "Surat Keterangan Domisili Usaha")
    shot(page, "trainee-page-phone-desk")
    page.context.close()


def test_objectives_tick_in_practice_and_are_hidden_in_an_exam(screen, web, trainer):
    start_visit(screen, web, "Siti Rahmawati", employee(), "renewal_complete")
    card = screen.locator("[data-testid=scenario-card]")
    assert "dokumen lengkap" in card.inner_text()
    # before the first reply every objective is pending (○), none broken (✘)
    assert screen.locator("[data-objective=greeted].pending").count() == 1
    assert screen.locator("#card-objectives li.unmet").count() == 0
    say(screen, GREET)
    assert screen.locator("[data-objective=greeted].met").count() == 1
    assert screen.locator("[data-objective=gave_receipt].pending").count() == 1
    say(screen, CHECK)  # "Terima kasih, ..." in mid-visit is no closing
    assert screen.locator("[data-objective=closed_politely].open").count() == 1
    met = {screen.locator(".checklist li.met").nth(i).get_attribute("data-objective")
           for i in range(screen.locator("#card-objectives li.met").count())}
    assert "greeted" in met and met <= {"greeted", "asked_documents", "checked_documents"}
    assert "2 hari kerja" in screen.locator("[data-testid=sop]").inner_text()  # the SOP
    assert screen.locator("[data-testid=legend]").inner_text().count("60") >= 1
    shot(screen, f"trainee-page-objectives-{screen.screen_name}")

    exam = new_page(screen.context.browser, VIEWPORTS[screen.screen_name])
    member(trainer, exam, web, "Siti Rahmawati")  # exams are for a signed-in trainee
    start_signed_in(exam, web, "renewal_complete", exam=True)
    assert exam.locator("#card-objectives-box").is_hidden()
    say(exam, GREET)
    assert exam.locator("#card-objectives li").count() == 0
    assert exam.locator("[data-testid=turn-feedback]").count() == 0
    assert exam.locator("[data-testid=score-chip]").count() == 0
    finish(exam)  # the debrief shows the objectives, and the card now too
    assert exam.locator("[data-testid=debrief] .checklist li").count() > 0
    assert exam.locator("#card-objectives li").count() > 0
    if screen.screen_name == "phone":  # the feedback is a tab of its own there
        exam.click("#tab-feedback")
    exam.wait_for_selector("[data-testid=turn-feedback]")  # now every reply's scores
    assert exam.locator("[data-testid=turn-feedback]").count() == 1
    shot(exam, f"trainee-page-exam-debrief-{screen.screen_name}")
    exam.context.close()


def test_random_scenario_is_revealed_once_the_visit_starts(page, web):
    start_visit(page, web, "Agus Setiawan", employee(), "")
    title = page.locator("#card-title").inner_text()
    assert title and title != "Skenario"
    assert page.locator("#card-situation").inner_text()


@pytest.mark.parametrize("exam", [False, True], ids=["practice", "exam"])
def test_the_mood_badge_starts_angry_and_follows_the_citizen_in_an_exam_too(page, web, exam,
                                                                            trainer):
    if exam:
        member(trainer, page, web, "Hendra Wijaya")
        start_signed_in(page, web, "upset_customer", exam=True)
    else:
        start_visit(page, web, "Hendra Wijaya", employee(), "upset_customer")
    assert page.locator("[data-testid=mood]").get_attribute("data-mood") == "angry"
    assert "marah" in page.locator("[data-testid=mood]").inner_text()
    say(page, "Mohon maaf sekali, Bapak/Ibu, atas ketidaknyamanan ini dan karena Bapak/Ibu "
              "harus datang lagi. Saya memahami kekecewaan Bapak/Ibu.")
    assert page.locator("[data-testid=mood]").get_attribute("data-mood") != "angry"
    shot(page, f"trainee-page-mood-{'exam' if exam else 'practice'}")


def test_the_reply_shows_at_once_with_a_typing_indicator_until_the_answer(screen, web):
    start_visit(screen, web, "Made Suartana", employee(), "renewal_complete")
    held = []
    screen.route("**/api/visit/say", lambda route: held.append(route))  # a slow answer
    screen.fill("#text", GREET)
    screen.click("#send")
    screen.wait_for_selector("[data-testid=typing]:visible")
    assert "sedang mengetik" in screen.locator("[data-testid=typing]").inner_text()
    assert screen.locator(".msg.clerk").last.inner_text().endswith(GREET)  # shown at once
    assert screen.locator("#text").input_value() == ""
    assert screen.locator("#send").is_disabled() and screen.locator("#finish").is_disabled()
    shot(screen, f"trainee-page-typing-{screen.screen_name}")
    held[0].continue_()
    screen.unroute("**/api/visit/say")
    screen.wait_for_selector("[data-testid=typing]", state="hidden")
    assert screen.locator(".msg.citizen").count() == 1
    assert screen.locator("#send").is_enabled()


def test_a_double_click_on_start_starts_one_visit(page, web):
    who = employee()
    page.goto(web.web_url + "/")
    page.fill("#name", "Rudi Hartono")
    page.fill("#employee-id", who)
    page.select_option("#scenario", "renewal_complete")
    page.dblclick("#start")
    page.wait_for_selector(".msg.scene")
    page.wait_for_timeout(1500)
    assert page.locator(".msg.scene").count() == 1
    assert len(web.store_senders(f"web.{who}.")) == 1


def test_an_empty_send_is_not_a_turn(page, web):
    start_visit(page, web, "Nur Aini", employee(), "renewal_complete")
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.fill("#text", "   ")
    page.click("#send")
    assert "kosong" in page.locator("#say-error").inner_text()
    page.keyboard.press("Enter")
    assert page.locator(".msg.clerk").count() == 0 and posts == []
    say(page, GREET)
    assert page.locator("[data-testid=turn-feedback] h3").first.inner_text() == "Balasan ke-1"


def test_selesai_asks_first(screen, web):
    start_visit(screen, web, "Dewi Lestari", employee(), "renewal_complete")
    say(screen, GREET)
    screen.click("#finish")
    assert screen.locator("[data-testid=finish-confirm]").is_visible()
    shot(screen, f"trainee-page-confirm-{screen.screen_name}")
    screen.click("#finish-no")
    assert screen.locator("[data-testid=finish-confirm]").is_hidden()
    assert screen.locator("[data-testid=debrief]").count() == 0
    say(screen, ASK)  # still practising
    finish(screen)
    assert screen.locator("#result").is_visible()


def test_an_unfinished_visit_is_found_again_after_signing_in_elsewhere(browser, web, trainer):
    first = new_page(browser, DESKTOP)
    who, code = enrol(trainer, "Yusuf Hidayat")
    sign_in(first, web, who, code, PASSWORD)
    start_signed_in(first, web, "renewal_incomplete")
    say(first, GREET)
    say(first, ASK)
    documents = first.locator("#desk-documents li").count()
    first.context.close()

    page = new_page(browser, DESKTOP)  # another device: no visit cookie, nothing remembered
    page.goto(web.web_url + "/")
    assert page.locator("#find-unfinished").is_hidden()  # for a signed-in trainee only
    assert "Masuk untuk melihat riwayat" in page.locator("#member-note").inner_text()
    sign_in(page, web, who, PASSWORD)
    page.reload()
    page.wait_for_selector("[data-testid=unfinished]:visible")  # listed at once after sign-in
    shot(page, "trainee-page-unfinished")
    page.click("#unfinished-list button.resume")
    page.wait_for_selector("[data-testid=resume-note]:visible")
    assert page.locator(".msg.clerk").count() == 2
    assert page.locator("#desk-documents li").count() == documents  # the counter comes back
    say(page, CHECK)
    assert page.locator("[data-testid=turn-feedback] h3").first.inner_text() == "Balasan ke-3"

    page.context.clear_cookies()  # signed out and the visit cookie gone: sign in once more
    sign_in(page, web, who, PASSWORD)
    page.goto(web.web_url + "/")
    page.wait_for_selector("[data-testid=unfinished]:visible")
    page.click("#unfinished-list button.abandon")  # a slip: asks first
    assert page.locator("[data-testid=unfinished]").is_visible()
    page.click("#unfinished-list button.abandon")
    page.wait_for_selector("[data-testid=unfinished]", state="hidden")
    assert "ditinggalkan" in page.locator("#start-status").inner_text()
    page.click("#find-unfinished")
    page.wait_for_selector("#start-status:has-text('Tidak ada latihan')")
    page.context.close()


def test_history_shows_the_trainees_own_visits_with_their_debrief(screen, web, trainer):
    member(trainer, screen, web, "Budi Santoso")
    start_signed_in(screen, web, "renewal_complete")
    say(screen, GREET)
    finish(screen)
    screen.click("#result-history")
    screen.wait_for_selector("[data-testid=history-row]")
    rows = screen.locator("[data-testid=history-row]")
    assert rows.count() == 1 and rows.first.get_attribute("data-verdict") == "failed"
    assert rows.first.locator("[data-testid=history-verdict]").text_content() == "Tidak lulus"
    rows.first.locator("button").click()
    screen.wait_for_selector("[data-testid=history-visit] [data-testid=debrief]")
    assert GREET in screen.locator("[data-testid=history-visit]").inner_text()
    shot(screen, f"trainee-page-history-{screen.screen_name}")
    screen.click("#history-close")
    assert screen.locator("#result").is_visible()


def test_starting_anew_with_an_unfinished_visit_says_so_first(page, web, trainer):
    who = member(trainer, page, web, "Ratna Sari")
    start_signed_in(page, web, "renewal_complete")
    say(page, GREET)
    page.context.clear_cookies()
    sign_in(page, web, who, PASSWORD)  # the same trainee, without the visit's cookie
    page.goto(web.web_url + "/")
    page.wait_for_selector("[data-testid=me]:visible")
    page.wait_for_selector("[data-testid=unfinished]:visible")
    page.click("#start")
    page.wait_for_selector("#start-status:has-text('belum selesai')")
    assert page.locator(".msg.scene").count() == 0  # nothing started yet
    page.click("#start")  # deliberately a new one
    page.wait_for_selector(".msg.scene")
    assert len(web.store_senders(f"web.{who}.")) == 2


def test_history_on_another_device_after_signing_in(browser, web, trainer):
    first = new_page(browser, DESKTOP)
    who = member(trainer, first, web, "Agus Setiawan")
    start_signed_in(first, web, "renewal_complete")
    say(first, GREET)
    finish(first)
    first.context.close()
    other = new_page(browser, DESKTOP)  # no cookie, nothing remembered
    other.goto(web.web_url + "/")
    other.wait_for_selector("#member-note:visible")
    assert other.locator("#history-open").is_hidden()  # not signed in: no history to open
    assert other.request.get(web.web_url + "/api/history").status == 401
    sign_in(other, web, who, PASSWORD)
    other.reload()
    other.click("#history-open")
    other.wait_for_selector("[data-testid=history-row]")
    assert other.locator("[data-testid=history-row]").count() == 1
    assert "Agus Setiawan" in other.locator("#history-who").inner_text()
    other.context.close()


def test_a_visit_finished_in_another_tab_shows_its_summary_here(browser, web):
    page = new_page(browser, DESKTOP)
    start_visit(page, web, "Dewi Lestari", employee(), "renewal_complete")
    say(page, GREET)
    second = page.context.new_page()  # same browser, same cookie
    second.goto(web.web_url + "/")
    second.wait_for_selector("[data-testid=resume-note]:visible")
    finish(second)
    page.fill("#text", ASK)
    page.click("#send")
    page.wait_for_selector("[data-testid=debrief]")  # the summary it had missed
    assert page.locator("#text").is_disabled()
    page.context.close()


def test_signing_in_with_the_code_asks_for_a_new_password_then_shows_who(screen, web, trainer):
    who, code = enrol(trainer, "Wulan Sari")
    screen.goto(web.web_url + "/")
    screen.wait_for_selector("#login-form")
    assert screen.locator("#exam").is_disabled()  # not signed in: no exam
    assert screen.locator("#exam-why").inner_text() == (
        "Mode ujian hanya untuk peserta terdaftar yang sudah masuk.")
    assert screen.locator("#name").is_visible() and screen.locator("#unit").count() == 0
    screen.fill("#login-id", who)
    screen.fill("#login-secret", "SALAH-KODE")
    screen.click("#login")
    screen.wait_for_selector("#login-error:has-text('salah')")
    screen.fill("#login-secret", code)
    screen.click("#login")
    screen.wait_for_selector("[data-testid=new-password]:visible")
    shot(screen, f"trainee-page-new-password-{screen.screen_name}")
    screen.fill("#new-password", "pendek")
    screen.fill("#new-password-again", "pendek")
    screen.click("#login")
    assert "minimal 8" in screen.locator("#login-error").inner_text()
    screen.fill("#new-password", PASSWORD)
    screen.fill("#new-password-again", PASSWORD + "x")
    screen.click("#login")
    assert "tidak sama" in screen.locator("#login-error").inner_text()
    screen.fill("#new-password-again", PASSWORD)
    screen.click("#login")
    screen.wait_for_selector("[data-testid=me]:visible")
    me = screen.locator("[data-testid=me]").inner_text()
    assert "Wulan Sari" in me and who in me and UNIT in me
    assert screen.locator("#open-fields").is_hidden()  # identity from the roster
    assert screen.locator("#exam").is_enabled() and screen.locator("#exam-why").is_hidden()
    assert screen.locator("#history-open").is_visible()
    assert screen.locator("#member-note").is_hidden()
    shot(screen, f"trainee-page-signed-in-{screen.screen_name}")

    screen.click("#logout")  # *Keluar*: back to open practice
    screen.wait_for_selector("#login-form:visible")
    assert screen.locator("#exam").is_disabled() and screen.locator("#history-open").is_hidden()
    screen.fill("#login-id", who)  # the code is used up: the password from now on
    screen.fill("#login-secret", code)
    screen.click("#login")
    screen.wait_for_selector("#login-error:has-text('salah')")
    assert screen.locator("[data-testid=new-password]").is_hidden()
    screen.fill("#login-secret", PASSWORD)
    screen.click("#login")
    screen.wait_for_selector("[data-testid=me]:visible")


def test_open_practice_refuses_an_enrolled_id_and_offers_the_sign_in(page, web, trainer):
    who, _ = enrol(trainer, "Rahmat Hidayat")
    page.goto(web.web_url + "/")
    page.fill("#name", "Rahmat Hidayat")
    page.fill("#employee-id", who)
    page.locator("#exam").click(force=True)  # a disabled box does not tick
    assert not page.locator("#exam").is_checked()
    page.click("#start")
    page.wait_for_selector("#setup-error:has-text('terdaftar')")
    assert page.locator(".msg.scene").count() == 0
    assert page.locator("#login-id").input_value() == who  # sign in above, ID filled in
    answer = page.request.post(web.web_url + "/api/visit/start", data={
        "name": "Tamu", "employee_id": employee(), "scenario": "renewal_complete", "exam": True})
    assert answer.status == 403  # and the server says no as well


def test_without_open_practice_only_the_sign_in_is_offered(page, web):
    def closed(route):
        route.fulfill(status=200, content_type="application/json",
                      body=json.dumps({"trainee": None, "open_practice": False}))

    page.route("**/api/me", closed)
    page.goto(web.web_url + "/")
    page.wait_for_selector("#practice-closed:visible")
    assert page.locator("#setup-form").is_hidden()
    assert page.locator("#login-form").is_visible()
