"""Who is who (issue 22) in a real headless Chromium: a trainer of one unit enrols trainees
from a spreadsheet on *Daftar peserta*, hands out the one-time codes, assigns an exam through
the assignments page's picker; the trainee signs in with the code, chooses a password, does the
task from *Tugas saya* and passes; *Riwayat saya* lists the visit; the trainer sees it done and
passed; a trainer of another unit sees nothing of it.

A web service of its own (its own review database, with trainer accounts: from the first
account on the shared trainer password opens nothing) beside the shared live stack.
Screenshots in tests/artifacts/roster-*.png.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
import yaml

from tests.browser import DESKTOP, NEEDS_CHROMIUM, PHONE, finish, new_page, say, shot
from tests.stack import ROOT, web_service_with_accounts
from tests.webclient import WebClient

pytestmark = NEEDS_CHROMIUM

GOOD = yaml.safe_load((ROOT / "tests/scenarios/renewal_complete.yml").read_text("utf-8"))
TOMORROW = (date.today() + timedelta(days=1)).isoformat()
CITY = "DPMPTSP Kota Uji Roster"
REGENCY = "DPMPTSP Kabupaten Uji Roster"
TRAINERS = {  # username: (password, unit or None for the admin, full name)
    "wati": ("wati-rahasia-12", CITY, "Bu Wati"),
    "joko": ("joko-rahasia-12", REGENCY, "Pak Joko"),
    "adi": ("adi-admin-rahasia-1", None, "Pak Adi"),
}
TRAINEE_PASSWORD = "sandi-baru-sri-1"


def uid(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:6]}"


@pytest.fixture(scope="module")
def roster_web(stack, tmp_path_factory):
    with web_service_with_accounts(stack, tmp_path_factory.mktemp("roster-web"),
                                   "bersama-rahasia-roster", (CITY, REGENCY), TRAINERS) as web:
        yield web


def trainer_page(browser, roster_web, username: str, viewport=DESKTOP):
    """A browser signed in to the review with a trainer account."""
    page = new_page(browser, viewport)
    page.goto(roster_web.url + "/review/login")
    page.wait_for_selector("#username-box:visible")
    page.fill("#username", username)
    page.fill("#password", TRAINERS[username][0])
    page.click("button[type=submit]")
    page.wait_for_url("**/review")
    return page


def trainer_client(roster_web, username: str) -> WebClient:
    client = WebClient(roster_web.url)
    assert client.login(TRAINERS[username][0], username=username) == 303
    return client


def enrol(roster_web, name: str, unit: str = CITY) -> tuple[str, str]:
    """One trainee enrolled by Bu Wati through the API: (employee ID, code)."""
    who = uid("rb-")
    status, _, body = trainer_client(roster_web, "wati").request(
        "POST", "/review/api/roster", {"employee_id": who, "name": name, "unit": unit})
    assert status == 200, body
    return who, body["code"]


def write_sheet(path, rows) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["ID pegawai", "Nama", "Unit kerja"])
    for row in rows:
        sheet.append(list(row))
    book.save(path)


def test_spreadsheet_enrolment_to_a_passed_exam_seen_only_in_its_unit(
        roster_web, browser, tmp_path):
    sri, bambang = uid("sri-"), uid("bam-")
    sheet = tmp_path / "peserta.xlsx"
    write_sheet(sheet, [(sri, "Sri Wahyuni", CITY), (bambang, "Bambang Prasetyo", CITY),
                        ("ID salah!", "Tanpa ID Benar", CITY)])

    # the trainer enrols the list and sees each new code once
    wati = trainer_page(browser, roster_web, "wati")
    wati.click("nav a:text('Peserta')")
    wati.wait_for_url("**/review/roster")
    wati.wait_for_selector("#upload-form")
    assert wati.locator("[data-testid=units]").count() == 0  # units are the admin's
    wati.set_input_files("#r-file", str(sheet))
    wati.click("#upload")
    wati.wait_for_selector("[data-testid=codes] tbody tr")
    codes = wati.locator("[data-testid=codes] tbody tr")
    assert codes.count() == 2
    assert "hanya ditampilkan sekali" in wati.locator("[data-testid=codes-once]").inner_text()
    assert wati.locator("#upload-errors li").count() == 1  # the bad row, by its number
    assert wati.locator("#upload-errors li").inner_text().startswith("Baris ")
    code = codes.filter(has_text=sri).locator("td.code").inner_text().strip()
    assert len(code) == 9 and code[4] == "-"
    row = wati.locator(f"[data-testid=roster-row][data-id='{sri}']")
    row.wait_for()
    assert "menunggu kode dipakai" in row.inner_text() and "Sri Wahyuni" in row.inner_text()
    shot(wati, "roster-01-codes")

    # an exam assigned through the picker, before the trainee's first visit
    wati.goto(roster_web.url + "/review/assignments")
    wati.wait_for_selector(f"#a-trainee option[value='{sri}']", state="attached")
    assert [o.strip() for o in wati.locator("#a-unit option").all_inner_texts()][1:] == [CITY]
    wati.fill("#a-trainee-q", "Sri Wah")
    assert wati.locator("#a-trainee").input_value() == sri  # the one match is picked
    wati.check("input[name=scenario][value=renewal_complete]")
    wati.select_option("#a-mode", "exam")
    wati.fill("#a-due", TOMORROW)
    wati.fill("#a-note", "Ujian akhir modul 1")
    wati.click("#assign-form button[type=submit]")
    task = wati.locator("[data-testid=assignment]", has_text="Sri Wahyuni")
    task.wait_for()
    assert "ujian" in task.inner_text()

    # the trainee, on a phone: not signed in no exam; the code, a password, *Tugas saya*
    trainee = new_page(browser, PHONE)
    trainee.goto(roster_web.url + "/")
    trainee.wait_for_selector("#login-form")
    assert trainee.locator("#exam").is_disabled()
    assert "hanya untuk peserta terdaftar" in trainee.locator("#exam-why").inner_text()
    trainee.fill("#login-id", sri)
    trainee.fill("#login-secret", code)
    trainee.click("#login")
    trainee.wait_for_selector("[data-testid=new-password]:visible")
    trainee.fill("#new-password", TRAINEE_PASSWORD)
    trainee.fill("#new-password-again", TRAINEE_PASSWORD)
    trainee.click("#login")
    trainee.wait_for_selector("[data-testid=me]:visible")
    me = trainee.locator("[data-testid=me]").inner_text()
    assert "Sri Wahyuni" in me and sri in me and CITY in me
    trainee.wait_for_selector("[data-testid=task]")
    assert "Ujian akhir modul 1" in trainee.locator("[data-testid=task]").inner_text()
    shot(trainee, "roster-02-trainee-tasks")
    trainee.click("button.do-task")
    trainee.wait_for_selector(".msg.scene")
    assert trainee.locator("#exam-note").is_visible()  # in the assignment's mode
    for turn in GOOD["good"]["turns"]:
        if trainee.locator("[data-testid=debrief]").count():
            break
        say(trainee, turn["text"])
    if not trainee.locator("[data-testid=debrief]").count():
        finish(trainee)
    assert trainee.locator("[data-testid=debrief] h3").inner_text() == "LULUS"
    trainee.click("#result-history")  # *Riwayat saya*: the visit, an exam, passed
    trainee.wait_for_selector("[data-testid=history-row]")
    rows = trainee.locator("[data-testid=history-row]")
    assert rows.count() == 1
    assert "Ujian" in rows.first.inner_text() and "LULUS" in rows.first.inner_text()
    shot(trainee, "roster-03-trainee-history")
    trainee.context.close()

    # the trainer: done and passed; the roster says the code was used
    wati.reload()
    task = wati.locator("[data-testid=assignment]", has_text="Sri Wahyuni")
    task.wait_for()
    item = task.locator(".assign-item")
    assert item.count() == 1 and "lulus" in item.inner_text() and "met" in item.get_attribute(
        "class")
    shot(wati, "roster-04-assignment-passed")
    wati.goto(roster_web.url + "/review/roster")
    wati.fill("#r-q", "Sri")
    row = wati.locator(f"[data-testid=roster-row][data-id='{sri}']")
    row.wait_for()
    wati.wait_for_function(
        "() => document.querySelectorAll('[data-testid=roster-row]').length === 1")
    assert "aktif" in row.inner_text() and "menunggu" not in row.inner_text()
    wati.context.close()

    # a trainer of another unit sees nothing of it
    joko = trainer_page(browser, roster_web, "joko")
    joko.goto(roster_web.url + "/review/roster")
    joko.wait_for_selector("#roster-empty:visible")
    assert sri not in joko.locator("#page").inner_text()
    joko.fill("#r-q", sri)
    joko.wait_for_selector("#roster-empty:has-text('Tidak ada peserta')")
    joko.goto(roster_web.url + "/review/assignments")
    joko.wait_for_selector("[data-testid=assignments]")
    assert sri not in joko.locator("#page").inner_text()
    assert "Sri Wahyuni" not in joko.locator("#page").inner_text()
    assert joko.locator(f"#a-trainee option[value='{sri}']").count() == 0
    joko.goto(roster_web.url + "/review?all=1")
    joko.wait_for_selector("[data-testid=page-info]:has-text('Halaman')")
    assert sri not in joko.locator("#sessions").inner_text()
    assert joko.request.get(roster_web.url + f"/review/api/sessions?trainee={sri}&all=1"
                            ).json()["total"] == 0
    shot(joko, "roster-05-other-unit")
    joko.context.close()


def test_a_new_code_and_disabling_from_the_list(roster_web, browser):
    who, _ = enrol(roster_web, "Dedi Kurniawan")
    page = trainer_page(browser, roster_web, "wati", PHONE)
    page.goto(roster_web.url + "/review/roster")
    row = page.locator(f"[data-testid=roster-row][data-id='{who}']")
    row.wait_for()
    row.locator("button.new-code").click()  # asks first: the old password ends
    assert page.locator("[data-testid=codes] tbody tr").count() == 0
    row.locator("button.new-code").click()
    page.wait_for_selector(f"[data-testid=codes] tr[data-id='{who}']")
    code = page.locator(f"[data-testid=codes] tr[data-id='{who}'] td.code").inner_text().strip()
    shot(page, "roster-06-phone-new-code")
    row.locator("button.toggle:text('Nonaktifkan')").click()
    page.wait_for_selector(f"[data-testid=roster-row][data-id='{who}'] [data-status=nonaktif]")
    assert "nonaktif" in row.inner_text()
    refused = WebClient(roster_web.url).request("POST", "/api/login", {
        "employee_id": who, "secret": code, "new_password": "sandi-dedi-123"})
    assert refused[0] == 401  # a disabled trainee cannot sign in
    row.locator("button.toggle:text('Aktifkan')").click()
    page.wait_for_selector(f"[data-testid=roster-row][data-id='{who}'] [data-status=menunggu]")
    assert WebClient(roster_web.url).request("POST", "/api/login", {
        "employee_id": who, "secret": code, "new_password": "sandi-dedi-123"})[0] == 200
    page.context.close()


def test_one_trainee_enrolled_by_hand_and_units_kept_by_the_admin(roster_web, browser):
    unit = f"DPMPTSP Kota Baru {uuid.uuid4().hex[:4]}"
    adi = trainer_page(browser, roster_web, "adi")
    adi.goto(roster_web.url + "/review/roster")
    adi.wait_for_selector("[data-testid=units]")
    assert CITY in adi.locator("#unit-list").inner_text()
    adi.fill("#u-name", unit)
    adi.click("#unit-form button[type=submit]")
    adi.wait_for_selector(f"#unit-list:has-text('{unit}')")
    assert unit in adi.locator("#r-unit option").all_inner_texts()  # offered to enrol into
    who = uid("rh-")
    adi.fill("#r-id", who)
    adi.fill("#r-name", "Nyoman Sudarsana")
    adi.select_option("#r-unit", unit)
    adi.click("#enrol-form button[type=submit]")
    adi.wait_for_selector(f"[data-testid=codes] tr[data-id='{who}']")
    assert unit in adi.locator(f"[data-testid=codes] tr[data-id='{who}']").inner_text()
    adi.wait_for_selector(f"[data-testid=roster-row][data-id='{who}']")
    shot(adi, "roster-07-admin-units")
    adi.context.close()
