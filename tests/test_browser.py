"""The trainee page and the trainer review in a real headless Chromium (Playwright).

Drives Debian's /usr/bin/chromium (scripts/setup_system.sh installs it); no browser download.
Screenshots are kept in tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path

import pytest
import yaml

from tests.browser import (
    ARTIFACTS,
    NEEDS_CHROMIUM,
    finish,
    say,
    shot,
    start_visit,
    trainer_login,
)
from tests.stack import ROOT

GOOD = yaml.safe_load((ROOT / "tests/scenarios/renewal_complete.yml").read_text("utf-8"))
XSS = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'

pytestmark = NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def seed_visit(browser, web):
    """A trainee plays the seed visit in the browser; returns their employee id."""
    employee = f"pw-{uuid.uuid4().hex[:6]}"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    start_visit(page, web, "Rina Kusuma", employee)
    shot(page, "trainee-01-scene")
    for turn in GOOD["good"]["turns"]:
        say(page, turn["text"])
    if not page.locator("[data-testid=debrief]").count():
        finish(page)
    page.wait_for_selector("[data-testid=debrief]")
    feedback = page.locator("[data-testid=turn-feedback]").count()
    verdict = page.locator("[data-testid=debrief] h3").inner_text()
    shot(page, "trainee-02-debrief")
    context.close()
    return {"employee": employee, "feedback_cards": feedback, "verdict": verdict}


def test_trainee_completes_the_seed_visit_and_sees_scores_and_debrief(seed_visit):
    assert seed_visit["feedback_cards"] == len(GOOD["good"]["turns"])
    assert seed_visit["verdict"] == "LULUS"


def test_trainer_finds_the_session_sees_turn_scores_and_exports_csv(page, web, seed_visit):
    employee = seed_visit["employee"]
    page.goto(web.web_url + "/review")
    assert "/review/login" in page.url
    page.fill("#password", web.trainer_password)
    page.click("button[type=submit]")
    page.wait_for_selector("#sessions tbody tr")
    page.fill("#f-trainee", employee)
    page.click("#filters button[type=submit]")
    page.wait_for_url(f"**trainee={employee}**")  # the filter is in the URL
    page.wait_for_function(
        "id => [...document.querySelectorAll('#sessions tbody tr')].length === 1 && "
        "document.querySelector('#sessions tbody tr').textContent.includes(id)", arg=employee)
    shot(page, "trainer-01-sessions")

    posts = []
    page.on("request", lambda r: posts.append(r.method) if "/review/export/" in r.url else None)
    with page.expect_download() as download:
        page.click("#x-turns-csv")  # a button of a POST form, the filters as its fields
    text = Path(download.value.path()).read_text("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    # the people's format: Indonesian headers, every turn scored
    assert len(rows) == len(GOOD["good"]["turns"]) and all(r["Kesopanan"] for r in rows)
    assert posts == ["POST"]
    # a link or an <img> of a foreign page (a GET) cannot start a download, even signed in
    assert page.request.get(web.web_url + "/review/export/turns.csv").status == 405

    page.click("#sessions tbody tr a:text('Buka')")
    page.wait_for_selector("[data-testid=turn-scores]")
    assert page.locator("[data-testid=turn-scores]").count() == len(GOOD["good"]["turns"])
    assert page.locator(".evidence li").count() > 0
    assert page.locator(".checklist li.met").count() > 0
    shot(page, "trainer-02-session")

    page.click("a:text('Perkembangan peserta')")
    page.wait_for_selector("[data-testid=progress-chart] svg circle")
    shot(page, "trainer-03-progress")
    page.goto(web.web_url + "/review/cohort")
    page.wait_for_selector("[data-testid=dimension-chart] svg rect")
    assert page.locator("[data-testid=weakest] strong").inner_text() in (
        "Kesopanan", "Kejelasan", "Responsif")
    shot(page, "trainer-04-cohort")


def test_unauthenticated_review_is_refused(page, web):
    page.goto(web.web_url + "/review/cohort")
    assert "/review/login" in page.url
    response = page.goto(web.web_url + "/review/api/sessions")
    assert response.status == 401
    assert page.request.post(web.web_url + "/review/export/sessions.csv").status == 401
    assert page.request.get(web.web_url + "/review/export/sessions.csv").status in (401, 405)
    shot(page, "refused-login-page")


def test_a_reload_mid_visit_restores_the_chat_and_the_visit_goes_on(page, web):
    start_visit(page, web, "Dewi Lestari", f"pw-{uuid.uuid4().hex[:6]}")
    turns = GOOD["good"]["turns"]
    for turn in turns[:2]:
        say(page, turn["text"])
    before = page.locator("#messages").inner_text()
    page.reload()
    page.wait_for_selector("[data-testid=resume-note]:visible")
    assert page.locator("#setup").is_hidden()
    assert page.locator("#messages").inner_text() == before  # same lines, same order
    assert page.locator(".msg.clerk").count() == 2
    assert page.locator("[data-testid=turn-feedback]").count() == 2
    shot(page, "trainee-03-restored")
    say(page, turns[2]["text"])  # the visit goes on in the same conversation
    assert page.locator(".msg.clerk").count() == 3
    finish(page)
    page.wait_for_selector("[data-testid=debrief]")
    page.reload()  # a finished visit is not resumed: the page offers a new one
    page.wait_for_selector("#setup-form")
    page.wait_for_timeout(500)
    assert page.locator("#setup").is_visible() and page.locator("#practice").is_hidden()


def test_an_xss_attempt_renders_as_text(page, web):
    employee = f"xss-{uuid.uuid4().hex[:6]}"
    start_visit(page, web, XSS, employee)
    say(page, XSS)
    clerk = page.locator(".msg.clerk .text").last.inner_text()
    assert clerk == XSS
    assert page.evaluate("window.__xss") is None
    assert not page.dialogs
    shot(page, "xss-trainee")

    trainer_login(page, web)
    page.goto(web.web_url + f"/review?trainee={employee}")
    page.wait_for_selector("#sessions tbody tr")
    assert XSS in page.locator("#sessions tbody").inner_text()
    page.click("#sessions tbody tr a:text('Buka')")
    page.wait_for_selector(".transcript .clerk")
    assert page.locator(".transcript .clerk .text").first.inner_text() == XSS
    assert page.evaluate("window.__xss") is None and not page.dialogs
    shot(page, "xss-trainer")


def test_trainer_corrects_a_score_and_comments_beside_the_machine(page, web, seed_visit):
    employee = seed_visit["employee"]
    trainer_login(page, web, "Bu Wati")
    page.goto(web.web_url + f"/review?trainee={employee}")
    page.wait_for_selector("#sessions tbody tr")
    page.click("#sessions tbody tr a:text('Buka')")
    page.locator(".note-box summary").nth(1).click()
    form = page.locator("[data-testid=trainer-note]").nth(1)
    form.wait_for()
    form.locator("input[name=politeness]").fill("55")
    form.locator("textarea").fill("Sapaan kurang hangat; sebut nama pelanggan.")
    form.locator("button[type=submit]").click()
    form.locator("text=Tersimpan (Bu Wati)").wait_for()
    page.reload()
    trainer_view = page.locator("[data-testid=trainer-scores]")
    trainer_view.first.wait_for()
    assert trainer_view.count() == 1
    assert "55" in trainer_view.inner_text() and "sebut nama pelanggan" in trainer_view.inner_text()
    assert page.locator("[data-testid=trainer-note]").nth(1).locator(
        "input[name=politeness]").input_value() == "55"
    shot(page, "trainer-05-note")


def test_the_printed_transcript_of_six_replies_is_one_page(page, web, seed_visit):
    import re

    employee = seed_visit["employee"]
    trainer_login(page, web)
    page.goto(web.web_url + f"/review?trainee={employee}")
    page.wait_for_selector("#sessions tbody tr")
    session_id = page.locator("#sessions tbody tr").first.get_attribute("data-id")
    page.goto(web.web_url + "/review/print?id=" + session_id)
    page.wait_for_selector("[data-testid=turn-scores]")
    assert page.locator("[data-testid=turn-scores]").count() == len(GOOD["good"]["turns"])
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    (ARTIFACTS / "trainer-07-print.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1, pages


def test_two_trainees_compared_side_by_side(page, web, seed_visit):
    employee = seed_visit["employee"]
    trainer_login(page, web)
    page.goto(web.web_url + f"/review/cohort?a=trainee:{employee}&b=trainee:{employee}")
    page.wait_for_selector("[data-testid=compare] svg rect")
    assert page.locator("[data-testid=compare] svg rect").count() == 2 * len(
        page.evaluate("PTSP.DIMENSIONS"))
    shot(page, "trainer-08-compare")
    status = page.goto(web.web_url + "/review/api/compare?a=nobody").status
    assert status == 400


def test_the_sessions_list_keeps_filters_and_page_in_the_url(page, web, seed_visit):
    trainer_login(page, web)
    page.goto(web.web_url + "/review?all=1&per_page=1")
    page.wait_for_selector("#sessions tbody tr")
    info = page.locator("[data-testid=page-info]").inner_text()
    assert info.startswith("Halaman 1 dari ")
    first = page.locator("#sessions tbody tr").first.get_attribute("data-id")
    page.click("#next")
    page.wait_for_url("**page=2**")
    page.wait_for_function("id => document.querySelector('#sessions tbody tr').dataset.id !== id",
                           arg=first)
    page.select_option("#f-finished", "ya")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**finished=ya**")
    page.go_back()  # Back: the page before the filter, as it was
    page.wait_for_url("**page=2**")
    assert "finished" not in page.url
    assert page.locator("#f-finished").input_value() == ""
    page.reload()  # a shared link shows the same list
    page.wait_for_selector("#sessions tbody tr")
    assert page.locator("[data-testid=page-info]").inner_text().startswith("Halaman 2 dari ")
