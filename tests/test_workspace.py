"""The trainer's workspace (issue 23): pickers instead of syntax, assignments that certify.

* API: a pass mark (verdict *and* visit score), an attempt limit, due soon / overdue, the
  completion date, a passed exam's certificate (readable by its trainee and the trainers of
  their unit only, 404 for everyone else) and the certificates that expire soon.
* Real Chromium, desktop and 390×844: two trainees compared by picking them from the list, an
  exam assigned by picking a name, the sessions exported as Excel from the review page (read
  back with openpyxl), a passed exam's certificate printed on exactly one A4 page.

A web service of its own (its own review database, trainer accounts) beside the shared live
stack; trainees sign in and make their visits through it. Screenshots in
tests/artifacts/workspace-*.png (look at them).
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from review.assignments import add_months
from tests.browser import ARTIFACTS, DESKTOP, NEEDS_CHROMIUM, PHONE, new_page, shot
from tests.stack import ROOT, web_service_with_accounts
from tests.webclient import WebClient, sign_in

GOOD = yaml.safe_load((ROOT / "tests/scenarios/renewal_complete.yml").read_text("utf-8"))
GOOD_TURNS = [t["text"] for t in GOOD["good"]["turns"]]
BAD_TURNS = ["pagi. perlu apa", "udah sana"]
CITY = "DPMPTSP Kota Uji Tugas"
REGENCY = "DPMPTSP Kabupaten Uji Tugas"
TRAINERS = {  # username: (password, unit or None for the admin, full name)
    "wati": ("wati-rahasia-23", CITY, "Bu Wati Susanti"),
    "joko": ("joko-rahasia-23", REGENCY, "Pak Joko"),
    "adi": ("adi-admin-rahasia-23", None, "Pak Adi"),
}
PASSWORD = "sandi-peserta-23"
TODAY = datetime.now(timezone.utc).date()  # due dates end at midnight UTC
INTERNAL = re.compile(r"trainee:|unit:|renewal_complete|_[a-z]+_|\bnull\b|undefined")


def uid(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:6]}"


@pytest.fixture(scope="module")
def site(stack, tmp_path_factory):
    with web_service_with_accounts(stack, tmp_path_factory.mktemp("workspace-web"),
                                   "bersama-rahasia-tugas", (CITY, REGENCY), TRAINERS) as web:
        yield web


def trainer(site, username: str = "wati") -> WebClient:
    client = WebClient(site.url)
    assert client.login(TRAINERS[username][0], username=username) == 303
    return client


def trainee(site, name: str, unit: str = CITY) -> tuple[str, WebClient]:
    """A trainee enrolled by the unit's trainer (or the admin), signed in: (ID, client)."""
    employee = uid("ws-")
    enrolling = trainer(site, "wati" if unit == CITY else "adi")
    status, _, body = enrolling.request("POST", "/review/api/roster", {
        "employee_id": employee, "name": name, "unit": unit})
    assert status == 200, body
    client, status, answer = sign_in(site.url, employee, body["code"], PASSWORD)
    assert status == 200, answer
    return employee, client


def play(client: WebClient, turns: list[str], exam: bool = False) -> None:
    """One signed-in visit of renewal_complete through the web service, to its debrief."""
    status, _, body = client.request("POST", "/api/visit/start",
                                     {"scenario": "renewal_complete", "exam": exam})
    assert status == 200, body
    for text in turns:
        status, _, body = client.say(text)
        assert status == 200, body
        if any(m.get("type") == "debrief" for m in body.get("messages", [])):
            return
    status, _, body = client.request("POST", "/api/visit/finish", {})
    assert status == 200, body


def assign(site, employee: str, username: str = "wati", **fields) -> dict:
    payload = {"trainee_id": employee, "scenarios": ["renewal_complete"], "mode": "practice",
               "due": (TODAY + timedelta(days=7)).isoformat(), **fields}
    status, _, body = trainer(site, username).request("POST", "/review/api/assignments",
                                                      payload)
    assert status == 200, body
    return body["assignment"]


def mine(client: WebClient, assignment_id: int) -> dict:
    status, _, body = client.request("GET", "/api/assignments")
    assert status == 200, body
    return next(a for a in body["assignments"] if a["id"] == assignment_id)


def listed(site, assignment_id: int, username: str = "wati") -> dict:
    _, _, body = trainer(site, username).request("GET", "/review/api/assignments")
    return next(a for a in body["assignments"] if a["id"] == assignment_id)


# --- API: pass mark, attempts, due dates, certificates ----------------------------------------

def test_a_pass_mark_and_an_attempt_limit_decide_what_counts(site):
    employee, client = trainee(site, "Rina Marlina")
    one = assign(site, employee, attempts=1)
    two = assign(site, employee, attempts=2)
    strict = assign(site, employee, pass_mark=100)
    lenient = assign(site, employee, pass_mark=0)
    fresh = mine(client, one["id"])
    assert fresh["attempts_allowed"] == 1 and fresh["attempts_used"] == 0
    assert fresh["pass_mark"] is None and fresh["completed_at"] is None
    assert fresh["certificate"] is None and fresh["items"][0]["score"] is None
    assert mine(client, strict["id"])["pass_mark"] == 100
    assert mine(client, strict["id"])["attempts_allowed"] is None  # practice: every visit

    play(client, BAD_TURNS)  # a failed first attempt
    play(client, GOOD_TURNS)  # a passed second one
    [bad_score] = [mine(client, one["id"])["items"][0]["score"]]
    first = mine(client, one["id"])
    assert first["items"][0]["done"] is True and first["items"][0]["passed"] is False
    assert first["attempts_used"] == 1  # the second visit is over the limit: it never counts
    assert first["complete"] is True and first["completed_at"]
    assert isinstance(bad_score, int)

    second = mine(client, two["id"])
    [item] = second["items"]
    assert item["passed"] is True and second["attempts_used"] == item["attempts_used"] == 2
    good_score = item["score"]
    assert isinstance(good_score, int) and good_score > bad_score
    assert datetime.fromisoformat(second["completed_at"]) >= datetime.fromisoformat(
        first["completed_at"])

    # the verdict passed, but the visit score must also reach the mark
    [held] = mine(client, strict["id"])["items"]
    assert held["passed"] is (good_score >= 100) and held["attempts_used"] == 2
    assert mine(client, lenient["id"])["items"][0]["passed"] is True

    # the trainer reads the same, the trainee's name beside the ID
    row = listed(site, two["id"])
    assert row["trainee_name"] == "Rina Marlina" and row["pass_mark"] is None
    [person] = row["trainees"]
    assert person["name"] == "Rina Marlina" and person["items"][0]["score"] == good_score
    assert person["completed_at"] == second["completed_at"]


def test_bad_pass_marks_attempts_and_validity_are_refused(site):
    employee, _ = trainee(site, "Yusuf Hidayat")
    wati = trainer(site)
    for extra, word in (({"pass_mark": 101}, "nilai lulus"), ({"pass_mark": "enam"}, "nilai"),
                        ({"attempts": 0}, "percobaan"), ({"attempts": 99}, "percobaan"),
                        ({"valid_months": 12}, "ujian"),
                        ({"mode": "exam", "valid_months": 0}, "berlaku")):
        status, _, body = wati.request("POST", "/review/api/assignments", {
            "trainee_id": employee, "scenarios": ["renewal_complete"], "mode": "practice",
            "due": TODAY.isoformat(), **extra})
        assert status == 400 and word in body["error"].lower(), (extra, body)


def test_due_soon_and_overdue_are_flagged_until_complete(site):
    employee, client = trainee(site, "Dewi Lestari")
    soon = assign(site, employee, due=TODAY.isoformat())
    later = assign(site, employee, due=(TODAY + timedelta(days=10)).isoformat())
    late = assign(site, employee, due=(TODAY - timedelta(days=1)).isoformat(),
                  scenarios=["confused_customer"])
    flags = {key: (mine(client, a["id"])["due_soon"], mine(client, a["id"])["overdue"])
             for key, a in (("soon", soon), ("later", later), ("late", late))}
    assert flags == {"soon": (True, False), "later": (False, False), "late": (False, True)}
    row = listed(site, late["id"])
    assert row["overdue"] is True and row["trainees"][0]["overdue"] is True
    assert listed(site, soon["id"])["due_soon"] is True

    play(client, GOOD_TURNS)  # completes soon and later, not the late one
    assert (mine(client, soon["id"])["due_soon"], mine(client, soon["id"])["complete"]) == (
        False, True)
    assert listed(site, soon["id"])["due_soon"] is False
    assert mine(client, late["id"])["overdue"] is True


def _shift_back(site, employee: str, assignment_id: int, days: int) -> None:
    """As if the exam (assigned and passed) happened ``days`` earlier."""
    engine = sa.create_engine(site.db)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE assignments SET created = created - :s WHERE id = :i"),
                     {"s": days * 86400, "i": assignment_id})
        conn.execute(sa.text("UPDATE sessions SET started = started - :s "
                             "WHERE trainee_id = :t"), {"s": days * 86400, "t": employee})
    engine.dispose()


def test_a_passed_exam_certifies_and_only_its_people_read_it(site):
    employee, client = trainee(site, "Sri Wahyuni")
    other, stranger = trainee(site, "Bambang Prasetyo")
    exam = assign(site, employee, mode="exam", valid_months=12, pass_mark=60)
    practice = assign(site, employee)
    path = f"/api/certificate/{exam['id']}/{employee}"
    assert client.request("GET", path)[0] == 404  # not passed yet
    play(client, GOOD_TURNS, exam=True)
    row = mine(client, exam["id"])
    assert row["attempts_allowed"] == 1 and row["attempts_used"] == 1
    cert = row["certificate"]
    assert cert["url"] == f"/certificate/{exam['id']}/{employee}" and cert["expired"] is False
    assert cert["expires"] == add_months(date.fromisoformat(cert["passed_on"]), 12).isoformat()
    assert mine(client, practice["id"])["certificate"] is None  # practice never certifies

    status, _, body = client.request("GET", path)
    assert status == 200, body
    shown = body["certificate"]
    assert shown["name"] == "Sri Wahyuni" and shown["trainee_id"] == employee
    assert shown["unit"] == CITY and shown["set_by"] == "Bu Wati Susanti"
    assert shown["scenarios"][0]["title"] == "Perpanjangan izin usaha, dokumen lengkap"
    assert shown["scenarios"][0]["score"] == row["items"][0]["score"] >= 60
    assert shown["expires"] == cert["expires"]
    for reader in (trainer(site, "wati"), trainer(site, "adi")):
        assert reader.request("GET", path)[0] == 200
        assert reader.request("GET", cert["url"])[0] == 200
    for outsider in (stranger, trainer(site, "joko"), WebClient(site.url)):
        assert outsider.request("GET", path)[0] == 404
        status, _, page = outsider.request("GET", cert["url"])
        assert status == 404 and "tidak ditemukan" in page
    assert stranger.request("GET", f"/api/certificate/{exam['id']}/{other}")[0] == 404
    assert client.request("GET", f"/api/certificate/{practice['id']}/{employee}")[0] == 404
    assert client.request("GET", f"/api/certificate/{2**40}/{employee}")[0] == 404

    # valid for a year: not listed now; listed once it expires within 30 days, then expired
    def expiring(username: str = "wati") -> list:
        _, _, body = trainer(site, username).request("GET", "/review/api/assignments")
        return [c for c in body["expiring"] if c["trainee_id"] == employee]

    assert expiring() == []
    _shift_back(site, employee, exam["id"], 350)
    [soon] = expiring()
    assert soon["expired"] is False and soon["name"] == "Sri Wahyuni"
    assert date.fromisoformat(soon["expires"]) <= TODAY + timedelta(days=30)
    assert expiring("joko") == []  # another unit's certificates are not listed
    _shift_back(site, employee, exam["id"], 40)
    [gone] = expiring()
    assert gone["expired"] is True and date.fromisoformat(gone["expires"]) < TODAY
    assert mine(client, exam["id"])["certificate"]["expired"] is True


# --- the pages in a real browser ----------------------------------------------------------------

def trainer_page(browser, site, username: str = "wati", viewport=DESKTOP):
    page = new_page(browser, viewport)
    page.goto(site.url + "/review/login")
    page.wait_for_selector("#username-box:visible")
    page.fill("#username", username)
    page.fill("#password", TRAINERS[username][0])
    page.click("button[type=submit]")
    page.wait_for_url("**/review")
    return page


def visible_text(page) -> str:
    return page.locator("body").inner_text()


@pytest.fixture(scope="module")
def people(site):
    """Two trainees of Bu Wati's unit with finished visits (the first two on one day)."""
    first, one = trainee(site, "Agus Salim")
    second, two = trainee(site, "Nyoman Sudarsana")
    play(one, BAD_TURNS)
    play(one, GOOD_TURNS)
    play(two, GOOD_TURNS)
    return {"first": first, "second": second}


VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])


@NEEDS_CHROMIUM
def test_the_login_page_speaks_to_a_trainer(site, browser):
    page = new_page(browser, PHONE)
    page.goto(site.url + "/review/login")
    page.wait_for_selector("#account-note:visible")
    text = visible_text(page)
    assert "Hubungi admin pelatihan" in text
    assert not re.search(r"python|make run|var/|PTSP_", text)
    shot(page, "workspace-01-login-phone")
    page.context.close()


@NEEDS_CHROMIUM
@VIEWPORTS
def test_two_trainees_compared_by_picking_them_from_the_list(site, browser, people, viewport):
    page = trainer_page(browser, site, viewport=viewport)
    page.goto(site.url + "/review/cohort")
    page.wait_for_selector(f"#c-a option[value='trainee:{people['first']}']", state="attached")
    assert f"unit:{CITY}" in page.locator("#c-b option").evaluate_all(
        "options => options.map(o => o.value)")  # the trainer's unit is offered too
    assert REGENCY not in page.locator("#c-b").inner_text()  # never another unit
    page.fill("#c-a-q", "Agus")
    assert page.locator("#c-a").input_value() == f"trainee:{people['first']}"
    page.fill("#c-b-q", "nyoman")
    assert page.locator("#c-b").input_value() == f"trainee:{people['second']}"
    page.click("#compare-form button[type=submit]")
    page.wait_for_selector("[data-testid=compare] svg rect")
    sides = page.locator("[data-testid=compare-sides]").inner_text()
    assert f"Agus Salim ({people['first']})" in sides
    assert f"Nyoman Sudarsana ({people['second']})" in sides
    assert "a=trainee" in page.url  # a shared link shows the same comparison
    assert not INTERNAL.search(page.locator("#page").inner_text())
    shot(page, f"workspace-02-compare-{'phone' if viewport == PHONE else 'desktop'}")
    # a trainee against their unit
    page.fill("#c-b-q", "Kota Uji Tugas")  # units are searched by name as well
    assert page.locator("#c-b").input_value() == f"unit:{CITY}"
    page.click("#compare-form button[type=submit]")
    page.wait_for_selector(f"[data-testid=compare-sides]:has-text('Unit {CITY}')")
    # the progress chart labels each visit of a day with its number: "4 Des (1)", "4 Des (2)"
    page.goto(site.url + f"/review/trainee?id={people['first']}")
    page.wait_for_selector("[data-testid=progress-chart] svg circle")
    labels = page.locator("[data-testid=progress-chart] svg text.axis").evaluate_all(
        "texts => texts.map(t => t.textContent)")
    assert any(label.endswith("(1)") for label in labels), labels
    assert any(label.endswith("(2)") for label in labels), labels
    page.context.close()


@NEEDS_CHROMIUM
@VIEWPORTS
def test_an_exam_assigned_by_picking_a_name(site, browser, people, viewport):
    page = trainer_page(browser, site, viewport=viewport)
    page.goto(site.url + "/review/assignments")
    page.wait_for_selector(f"#a-trainee option[value='{people['second']}']", state="attached")
    options = page.locator("#a-trainee option").all_inner_texts()
    assert any(o.startswith(f"Nyoman Sudarsana ({people['second']})") for o in options)
    page.fill("#a-trainee-q", "Nyoman Sud")  # by name
    assert page.locator("#a-trainee").input_value() == people["second"]
    page.fill("#a-trainee-q", people["first"])  # or by ID
    assert page.locator("#a-trainee").input_value() == people["first"]
    assert page.locator("#a-valid-box").is_hidden()  # validity is for exams only
    page.check("input[name=scenario][value=renewal_complete]")
    page.select_option("#a-mode", "exam")
    assert page.locator("#a-valid-box").is_visible()
    page.fill("#a-due", (TODAY + timedelta(days=1)).isoformat())
    page.fill("#a-pass", "75")
    page.fill("#a-attempts", "2")
    page.fill("#a-valid", "24")
    page.fill("#a-note", "Ujian sertifikasi loket")
    page.click("#assign-form button[type=submit]")
    task = page.locator("[data-testid=assignment]", has_text="Ujian sertifikasi loket").first
    task.wait_for()
    text = task.inner_text()
    assert f"Agus Salim ({people['first']})" in text and "ujian" in text
    assert "Nilai lulus: 75" in text and "percobaan: 2 kali" in text
    assert "berlaku 24 bulan" in text and "Bu Wati Susanti" in text
    assert "tenggat sudah dekat" in text  # due tomorrow, not done: highlighted
    assert "due-soon" in task.get_attribute("class")
    assert not INTERNAL.search(page.locator("#page").inner_text())
    shot(page, f"workspace-03-assign-{'phone' if viewport == PHONE else 'desktop'}")
    page.context.close()


@NEEDS_CHROMIUM
def test_sessions_exported_as_excel_from_the_review_page(site, browser, people, tmp_path):
    from openpyxl import load_workbook

    wati = trainer(site)
    _, _, listing = wati.request("GET", f"/review/api/sessions?trainee={people['second']}")
    session = listing["sessions"][0]["id"]
    assert wati.request("POST", "/review/api/note", {
        "session": session, "turn": 1, "scores": {"politeness": 55, "clarity": 65}})[0] == 200

    page = trainer_page(browser, site)
    page.wait_for_selector("#f-unit option[value='" + CITY + "']", state="attached")
    assert page.locator("#f-unit option").all_inner_texts() == ["Semua unit", CITY]
    assert "Sembunyikan percakapan uji coba sistem" in visible_text(page)
    page.select_option("#f-unit", CITY)
    page.fill("#f-trainee", people["second"])
    page.click("#filters button[type=submit]")
    page.wait_for_url("**unit=**")
    page.wait_for_function("() => document.querySelectorAll('#sessions tbody tr').length === 1")
    row = page.locator("#sessions tbody tr").first
    assert row.locator("td[data-col=unit]").inner_text() == CITY
    assert "Nyoman Sudarsana" in row.inner_text()
    assert "Unit kerja" in page.locator("#sessions thead").inner_text()
    shot(page, "workspace-04-sessions")

    books = {}
    for button in ("#x-sessions-xlsx", "#x-turns-xlsx"):
        with page.expect_download() as download:
            page.click(button)
        target = tmp_path / download.value.suggested_filename
        download.value.save_as(target)
        assert target.suffix == ".xlsx"
        books[button] = load_workbook(target).active
    sessions = books["#x-sessions-xlsx"]
    header = [c.value for c in sessions[1]]
    assert {"ID pegawai", "Nama peserta", "Unit kerja", "Skenario", "Mulai (WIB)",
            "Nilai kunjungan", "Hasil"} <= set(header)
    assert not any("_" in h for h in header)
    assert sessions.freeze_panes == "A2" and sessions.auto_filter.ref.startswith("A1:")
    rows = [dict(zip(header, [c.value for c in r], strict=True))
            for r in sessions.iter_rows(min_row=2)]
    assert len(rows) == 1 and rows[0]["Nama peserta"] == "Nyoman Sudarsana"
    assert rows[0]["Unit kerja"] == CITY and rows[0]["Hasil"] == "Lulus"
    assert isinstance(rows[0]["Mulai (WIB)"], datetime)  # a real date cell
    turns = books["#x-turns-xlsx"]
    header = [c.value for c in turns[1]]
    assert {"Nilai pelatih: Kesopanan", "Nilai pelatih: Kejelasan",
            "Nilai pelatih: Responsif"} <= set(header)
    assert turns.freeze_panes == "A2" and turns.auto_filter.ref.startswith("A1:")
    first = dict(zip(header, [c.value for c in turns[2]], strict=True))
    assert first["Nilai pelatih: Kesopanan"] == 55 and first["Nilai pelatih: Kejelasan"] == 65
    assert isinstance(first[next(h for h in header if h.startswith("Waktu"))], datetime)
    page.context.close()

    phone = trainer_page(browser, site, viewport=PHONE)
    phone.wait_for_selector("#sessions tbody tr")
    shot(phone, "workspace-05-sessions-phone")
    phone.context.close()


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@NEEDS_CHROMIUM
def test_a_passed_exam_prints_its_certificate_on_one_page(site, browser):
    employee, client = trainee(site, "Ni Luh Putu Ayu Kartika Dewi Sukmawati")
    exam = assign(site, employee, mode="exam", valid_months=12, note="Ujian akhir modul 1")
    play(client, GOOD_TURNS, exam=True)
    cert = mine(client, exam["id"])["certificate"]
    assert cert is not None

    # the trainee, signed in on a phone: reads it
    page = new_page(browser, PHONE)
    page.goto(site.url + "/")
    page.wait_for_selector("#login-form")
    page.fill("#login-id", employee)
    page.fill("#login-secret", PASSWORD)
    page.click("#login")
    page.wait_for_selector("[data-testid=me]:visible")
    page.goto(site.url + cert["url"])
    page.wait_for_selector("[data-testid=certificate]:visible")
    text = page.locator("[data-testid=certificate]").inner_text()
    assert "Ni Luh Putu Ayu Kartika Dewi Sukmawati" in text and employee in text
    assert CITY in text and "Perpanjangan izin usaha, dokumen lengkap" in text
    assert "Bu Wati Susanti" in text and "Berlaku sampai" in text
    assert not INTERNAL.search(text)
    shot(page, "workspace-06-certificate-phone")
    page.context.close()

    # the trainer of the unit: from the assignments page to the printed page
    page = trainer_page(browser, site)
    page.goto(site.url + "/review/assignments")
    link = page.locator(f"[data-testid=assigned][data-id='{employee}'] "
                        "[data-testid=certificate-link]")
    link.wait_for()
    assert "berlaku sampai" in link.inner_text()
    page.goto(site.url + link.get_attribute("href"))
    page.wait_for_selector("[data-testid=certificate]:visible")
    shot(page, "workspace-07-certificate")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # an A4 sheet at 96 dpi
    shot(page, "workspace-08-certificate-print")
    pdf = page.pdf(format="A4", print_background=True)
    Path(ARTIFACTS / "workspace-certificate.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF") and pdf_pages(pdf) == 1, pdf_pages(pdf)

    # the longest exam (10 scenarios) still fits one page, nothing cut off
    long = {**page.evaluate("() => fetch('/api/certificate/' + location.pathname.split('/')"
                            ".slice(2).join('/')).then(r => r.json())")["certificate"]}
    long["scenarios"] = [{"title": f"Skenario panjang nomor {n}: pelanggan bingung dengan "
                                   "istilah NIB, OSS, dan KBLI", "score": 80 + n,
                          "passed_on": TODAY.isoformat()} for n in range(10)]
    page.route("**/api/certificate/**", lambda route: route.fulfill(json={"certificate": long}))
    page.reload()
    page.wait_for_selector("[data-testid=certificate]:visible")
    assert page.locator("#c-scenarios tr").count() == 10
    box = page.locator("[data-testid=certificate]").bounding_box()
    for part in ("#c-name", "#c-scenarios", "#c-trainer", "#c-number"):
        inner = page.locator(part).bounding_box()
        assert box["y"] <= inner["y"] and inner["y"] + inner["height"] <= box["y"] + box[
            "height"], part
    shot(page, "workspace-10-certificate-long-print")
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf_pages(pdf) == 1, pdf_pages(pdf)
    page.context.close()

    # another unit's trainer: no such certificate
    page = trainer_page(browser, site, "joko")
    assert page.goto(site.url + cert["url"]).status == 404
    page.context.close()


@NEEDS_CHROMIUM
def test_expiring_certificates_are_listed_for_the_trainer(site, browser):
    employee, client = trainee(site, "Hendra Gunawan")
    exam = assign(site, employee, mode="exam", valid_months=6)
    play(client, GOOD_TURNS, exam=True)
    assert mine(client, exam["id"])["certificate"]["expired"] is False  # the store caught up
    _shift_back(site, employee, exam["id"], 170)  # expires within 30 days
    page = trainer_page(browser, site, viewport=PHONE)
    page.goto(site.url + "/review/assignments")
    row = page.locator("[data-testid=expiring-row]", has_text="Hendra Gunawan")
    row.wait_for()
    assert "berlaku sampai" in row.inner_text()
    shot(page, "workspace-09-expiring-phone")
    page.context.close()
