"""The trainee page as a trainee meets it (issue 11), in headless Chromium on a desktop and on
a phone (390×844): the case on the counter, the scenario card and its objectives, the mood
badge, waiting, the guards against accidents, resuming, and *Riwayat saya*.

Real Rasa server, action server, SQLite tracker store and web service; screenshots in
tests/artifacts/trainee-page-*.png.
"""

from __future__ import annotations

import uuid

import pytest

from tests.browser import DESKTOP, NEEDS_CHROMIUM, PHONE, finish, new_page, say, shot, start_visit

pytestmark = NEEDS_CHROMIUM

VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
GREET = "Selamat pagi, Bapak/Ibu, selamat datang di PTSP. Ada yang bisa saya bantu?"
ASK = "Baik, boleh saya lihat dokumen persyaratannya, Bapak/Ibu?"
CHECK = "Terima kasih, izinkan saya memeriksa dokumennya terlebih dahulu."
# what the counter shows in each scenario once the documents are checked (scenarios.yml)
COUNTER = {
    "renewal_complete": ("Izin usaha yang lama", "ada", None),
    "renewal_incomplete": ("Surat Keterangan Domisili Usaha", "tidak ada", None),
    "upset_customer": ("Tanda terima berkas dari minggu lalu", "ada",
                       "menunggu tanda tangan kepala dinas"),
    "confused_customer": ("NIB", "ada", None),
    "gratuity_offer": ("NPWP", "ada", None),
}


def employee() -> str:
    return f"pg-{uuid.uuid4().hex[:8]}"


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
    page.locator("#desk").scroll_into_view_if_needed()
    assert page.locator("#desk-documents li.problem").inner_text().startswith(
        "Surat Keterangan Domisili Usaha")
    shot(page, "trainee-page-phone-desk")
    page.context.close()


def test_objectives_tick_in_practice_and_are_hidden_in_an_exam(screen, web):
    start_visit(screen, web, "Siti Rahmawati", employee(), "renewal_complete")
    card = screen.locator("[data-testid=scenario-card]")
    assert "dokumen lengkap" in card.inner_text()
    assert screen.locator("[data-objective=greeted].unmet").count() == 1
    say(screen, GREET)
    assert screen.locator("[data-objective=greeted].met").count() == 1
    assert screen.locator("[data-objective=gave_receipt].unmet").count() == 1
    say(screen, CHECK)  # "Terima kasih, ..." in mid-visit is no closing
    assert screen.locator("[data-objective=closed_politely].open").count() == 1
    met = {screen.locator(".checklist li.met").nth(i).get_attribute("data-objective")
           for i in range(screen.locator("#card-objectives li.met").count())}
    assert "greeted" in met and met <= {"greeted", "asked_documents", "checked_documents"}
    assert "2 hari kerja" in screen.locator("[data-testid=sop]").inner_text()  # the SOP
    assert screen.locator("[data-testid=legend]").inner_text().count("60") >= 1
    shot(screen, f"trainee-page-objectives-{screen.screen_name}")

    exam = new_page(screen.context.browser, VIEWPORTS[screen.screen_name])
    start_visit(exam, web, "Siti Rahmawati", employee(), "renewal_complete", exam=True)
    assert exam.locator("#card-objectives-box").is_hidden()
    say(exam, GREET)
    assert exam.locator("#card-objectives li").count() == 0
    assert exam.locator("[data-testid=turn-feedback]").count() == 0
    assert exam.locator("[data-testid=score-chip]").count() == 0
    finish(exam)  # the debrief shows the objectives, and the card now too
    assert exam.locator("[data-testid=debrief] .checklist li").count() > 0
    assert exam.locator("#card-objectives li").count() > 0
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
def test_the_mood_badge_starts_angry_and_follows_the_citizen_in_an_exam_too(page, web, exam):
    start_visit(page, web, "Hendra Wijaya", employee(), "upset_customer", exam=exam)
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


def test_a_lost_cookie_is_recovered_by_employee_id_and_name(page, web):
    who = employee()
    start_visit(page, web, "Yusuf Hidayat", who, "renewal_incomplete")
    say(page, GREET)
    say(page, ASK)
    documents = page.locator("#desk-documents li").count()
    page.context.clear_cookies()
    page.reload()
    page.wait_for_selector("[data-testid=unfinished]:visible")  # name and ID were remembered
    assert page.locator("#name").input_value() == "Yusuf Hidayat"
    assert page.locator("#employee-id").input_value() == who
    shot(page, "trainee-page-unfinished")
    page.click("#unfinished-list button.resume")
    page.wait_for_selector("[data-testid=resume-note]:visible")
    assert page.locator(".msg.clerk").count() == 2
    assert page.locator("#desk-documents li").count() == documents  # the counter comes back
    say(page, CHECK)
    assert page.locator("[data-testid=turn-feedback] h3").first.inner_text() == "Balasan ke-3"

    page.context.clear_cookies()
    page.reload()
    page.wait_for_selector("[data-testid=unfinished]:visible")
    page.click("#unfinished-list button.abandon")  # a slip: asks first
    assert page.locator("[data-testid=unfinished]").is_visible()
    page.click("#unfinished-list button.abandon")
    page.wait_for_selector("[data-testid=unfinished]", state="hidden")
    assert "ditinggalkan" in page.locator("#start-status").inner_text()


def test_history_shows_the_trainees_own_visits_with_their_debrief(screen, web):
    start_visit(screen, web, "Budi Santoso", employee(), "renewal_complete")
    say(screen, GREET)
    finish(screen)
    screen.click("#result-history")
    screen.wait_for_selector("[data-testid=history-row]")
    rows = screen.locator("[data-testid=history-row]")
    assert rows.count() == 1 and "BELUM LULUS" in rows.first.inner_text()
    rows.first.locator("button").click()
    screen.wait_for_selector("[data-testid=history-visit] [data-testid=debrief]")
    assert GREET in screen.locator("[data-testid=history-visit]").inner_text()
    shot(screen, f"trainee-page-history-{screen.screen_name}")
    screen.click("#history-close")
    assert screen.locator("#result").is_visible()


def test_starting_anew_with_an_unfinished_visit_says_so_first(page, web):
    who = employee()
    start_visit(page, web, "Ratna Sari", who, "renewal_complete")
    say(page, GREET)
    page.context.clear_cookies()
    page.goto(web.web_url + "/")
    page.evaluate("localStorage.clear()")
    page.reload()
    page.fill("#name", "Ratna Sari")
    page.fill("#employee-id", who)
    page.click("#start")
    page.wait_for_selector("[data-testid=unfinished]:visible")
    assert "belum selesai" in page.locator("#start-status").inner_text()
    assert page.locator(".msg.scene").count() == 0  # nothing started yet
    page.click("#start")  # deliberately a new one
    page.wait_for_selector(".msg.scene")
    assert len(web.store_senders(f"web.{who}.")) == 2


def test_history_on_another_device_by_name_and_id(browser, web):
    who = employee()
    first = new_page(browser, DESKTOP)
    start_visit(first, web, "Agus Setiawan", who, "renewal_complete")
    say(first, GREET)
    finish(first)
    first.context.close()
    other = new_page(browser, DESKTOP)  # no cookie, nothing remembered
    other.goto(web.web_url + "/")
    other.click("#history-open")
    other.wait_for_selector("#history-error:has-text('nama dan ID')")
    assert other.locator("#history-table").is_hidden()
    other.click("#history-close")
    other.fill("#name", "Agus Setiawan")
    other.fill("#employee-id", who)
    other.click("#history-open")
    other.wait_for_selector("[data-testid=history-row]")
    assert other.locator("[data-testid=history-row]").count() == 1
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
