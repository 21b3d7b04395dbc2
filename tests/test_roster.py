"""Who is who (issue 22): the roster, trainee sign-in, API tokens instead of the shared
password, authorisation by the roster, and the second round of hardening. Each test replays
an attack of the adversarial review and shows it now does no harm.

A web service of its own with accounts (its own review database) beside the shared live stack.
"""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actions.cleaning import as_reply, clean_text
from tests.stack import ROOT, own_web_service, post_json
from tests.webclient import WebClient, enrol, sign_in

PASSWORDS = {"adi": "admin-rahasia-1", "wati": "wati-rahasia-12", "joko": "joko-rahasia-12",
             "rudi": "rudi-rahasia-12"}
UNIT_A, UNIT_B = "DPMPTSP Kota A", "DPMPTSP Kota B"
SHARED = "bersama-rahasia"
TOMORROW = (date.today() + timedelta(days=1)).isoformat()
GREET = "Selamat pagi, Bapak, selamat datang di PTSP. Ada yang bisa saya bantu?"


@pytest.fixture(scope="module")
def site(stack, tmp_path_factory):
    proc, url, env = own_web_service(stack, tmp_path_factory.mktemp("roster-web"), SHARED,
                                     PTSP_STARTS_PER_TRAINEE="4")

    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "review", *args], input=stdin, cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=60)

    for name, role, unit in (("adi", "admin", None), ("wati", "trainer", UNIT_A),
                             ("joko", "trainer", UNIT_B), ("rudi", "trainer", UNIT_B)):
        extra = ["--unit", unit] if unit else []
        done = cli("users", "add", name, "--role", role, *extra, "--password-stdin",
                   stdin=PASSWORDS[name] + "\n")
        assert done.returncode == 0, done.stderr
    yield {"url": url, "cli": cli, "env": env, "stack": stack}
    proc.terminate()
    proc.wait(timeout=20)


def login(site, username: str) -> WebClient:
    client = WebClient(site["url"])
    assert client.login(PASSWORDS[username], username=username) == 303
    assert client.request("GET", "/review/api/me")[0] == 200
    return client


def new_id(prefix: str = "R") -> str:
    return f"{prefix}{uuid.uuid4().hex[:7]}"


def member(site, trainer: str = "wati", unit: str = UNIT_A) -> tuple[str, WebClient]:
    employee = new_id()
    code = enrol(login(site, trainer), employee, "Dewi Lestari", unit)
    client, status, body = sign_in(site["url"], employee, code, "sandi-dewi-123")
    assert status == 200, body
    return employee, client


def play(client: WebClient, scenario: str = "renewal_complete", exam: bool = False) -> None:
    status, _, body = client.request("POST", "/api/visit/start",
                                     {"scenario": scenario, "exam": exam})
    assert status == 200, body
    assert client.say(GREET)[0] == 200
    assert client.request("POST", "/api/visit/finish", {})[0] == 200


# --- no shared-password door; API tokens ------------------------------------------------------

def test_the_shared_password_opens_nothing_once_accounts_exist(site):
    client = WebClient(site["url"])
    for path in ("/review/api/me", "/review/api/audit", "/review/api/sessions"):
        assert client.request("GET", path, headers={"Authorization": f"Bearer {SHARED}"}
                              )[0] == 401
    assert client.login(SHARED, trainer="Penyusup") == 303
    assert "gagal" in client.last_location
    assert client.request("GET", "/review/api/me")[0] == 401


def test_wrong_bearer_tokens_are_rate_limited(site):
    client = WebClient(site["url"])
    statuses = [client.request("GET", "/review/api/me",
                               headers={"Authorization": f"Bearer salah-{i}"})[0]
                for i in range(40)]
    assert set(statuses) == {401, 429} and statuses.count(401) <= 5
    assert statuses[-10:] == [429] * 10


def test_an_api_token_acts_as_its_account_and_can_be_revoked(site):
    made = site["cli"]("users", "token", "wati")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert token and "wati" not in token
    bearer = {"Authorization": f"Bearer {token}"}
    client = WebClient(site["url"])
    status, _, me = client.request("GET", "/review/api/me", headers=bearer)
    assert status == 200 and me["role"] == "trainer" and me["units"] == [UNIT_A]
    status, _, _ = client.request("POST", "/review/export/sessions.json", headers=bearer)
    assert status == 200
    _, _, log = login(site, "adi").request("GET", "/review/api/audit")
    export = next(e for e in log["entries"] if e["action"] == "export")
    assert export["actor"] == "Wati" or export["actor"].lower().startswith("wati")
    assert site["cli"]("users", "revoke-token", "wati").returncode == 0
    assert client.request("GET", "/review/api/me", headers=bearer)[0] in (401, 429)


# --- the roster: enrolment, sign-in, units ---------------------------------------------------

def test_a_trainee_signs_in_with_the_code_once_then_with_a_password(site):
    employee = new_id()
    code = enrol(login(site, "wati"), employee, "Sri Wahyuni", UNIT_A)
    _, status, body = sign_in(site["url"], employee, code)
    assert status == 409 and body["need_password"] is True
    _, status, _ = sign_in(site["url"], employee, code, "pendek")
    assert status == 400
    client, status, body = sign_in(site["url"], employee, code, "sandi-sri-12345")
    assert status == 200 and body["trainee"] == {"id": employee, "name": "Sri Wahyuni",
                                                 "unit": UNIT_A}
    assert sign_in(site["url"], employee, code, "sandi-lain-12345")[1] == 401  # used up
    assert sign_in(site["url"], employee, "sandi-sri-12345")[1] == 200
    _, _, me = client.request("GET", "/api/me")
    assert me["trainee"]["unit"] == UNIT_A
    # a new code from the trainer ends the password and the open sign-in
    status, _, _ = login(site, "wati").request("POST", f"/review/api/roster/{employee}/code")
    assert status == 200
    assert client.request("GET", "/api/me")[2]["trainee"] is None
    assert sign_in(site["url"], employee, "sandi-sri-12345")[1] == 401


def test_units_are_a_managed_list_matched_exactly(site):
    wati = login(site, "wati")
    assert wati.request("POST", "/review/api/units", {"name": "Unit Liar"})[0] == 403
    assert login(site, "adi").request("POST", "/review/api/units",
                                      {"name": "DPMPTSP Kota C"})[0] == 200
    _, _, units = WebClient(site["url"]).request("GET", "/api/units")
    assert {UNIT_A, UNIT_B, "DPMPTSP Kota C"} <= set(units["units"])
    status, _, body = wati.request("POST", "/review/api/roster", {
        "employee_id": new_id(), "name": "Budi", "unit": "Kota A"})
    assert status == 400 and "daftar unit" in body["error"]
    status, _, _ = wati.request("POST", "/review/api/roster", {
        "employee_id": new_id(), "name": "Budi", "unit": UNIT_B})
    assert status == 403  # not Wati's unit
    status, _, body = wati.request("POST", "/review/api/assignments", {
        "unit": "Kota A", "scenarios": ["renewal_complete"], "mode": "practice",
        "due": TOMORROW})
    assert status in (400, 403)


def test_enrolment_from_a_spreadsheet_and_a_csv(site):
    from openpyxl import Workbook

    first, second = new_id(), new_id()
    book = Workbook()
    sheet = book.active
    sheet.append(["ID pegawai", "Nama", "Unit"])
    sheet.append([first, "Rina Marlina", UNIT_A])
    sheet.append([second, "Agus Salim", None])
    sheet.append([first, "Dua Kali", UNIT_A])
    sheet.append([new_id(), "Unit Lain", UNIT_B])
    buffer = io.BytesIO()
    book.save(buffer)
    body, status = upload(login(site, "wati"), "peserta.xlsx", buffer.getvalue(), UNIT_A)
    assert status == 200
    assert [t["id"] for t in body["enrolled"]] == [first, second]
    assert all(len(t["code"]) == 9 for t in body["enrolled"])
    assert [e["row"] for e in body["errors"]] == [4, 5]
    csv_id = new_id()
    body, status = upload(login(site, "wati"), "peserta.csv",
                          f"NIP;Nama;Unit kerja\n{csv_id};Tono;{UNIT_A}\n".encode(), None)
    assert status == 200 and [t["id"] for t in body["enrolled"]] == [csv_id]
    body, status = upload(login(site, "wati"), "peserta.txt", b"x", None)
    assert status == 400


def upload(client: WebClient, filename: str, content: bytes, unit: str | None
           ) -> tuple[dict, int]:
    boundary = "----ptsp" + uuid.uuid4().hex
    parts = []
    if unit:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="unit"\r\n\r\n'
                     f"{unit}\r\n".encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                 .encode() + content + b"\r\n")
    raw = b"".join(parts) + f"--{boundary}--\r\n".encode()
    status, _, body = client.request(
        "POST", "/review/api/roster/upload", raw=raw,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    return body, status


# --- exams, assignments, history only for the signed-in trainee ---------------------------------

def test_exam_credit_only_from_the_trainees_own_signed_in_visits(site):
    employee, dewi = member(site)
    wati = login(site, "wati")
    status, _, made = wati.request("POST", "/review/api/assignments", {
        "trainee_id": employee, "scenarios": ["renewal_complete"], "mode": "exam",
        "due": TOMORROW})
    assert status == 200, made  # assigned before the trainee's first visit
    # an impostor: a plain REST sender named like the employee, exam mode, no channel token
    stack = site["stack"]
    for text in ['/start_scenario{"scenario":"renewal_complete","feedback":"off"}', GREET,
                 "/selesai"]:
        assert post_json(stack.webhook, {"sender": employee, "message": text,
                                         "metadata": {"trainee": {"id": employee}}})[0] == 200
    # and on the page, without signing in: no exam, and not under an enrolled ID
    anonymous = WebClient(site["url"])
    assert anonymous.request("POST", "/api/visit/start", {
        "name": "Penyusup", "employee_id": new_id(), "scenario": "renewal_complete",
        "exam": True})[0] == 403
    assert anonymous.start("Dewi Lestari", employee, "renewal_complete")[0] == 403
    items = wati.request("GET", "/review/api/assignments")[2]["assignments"]
    mine = next(a for a in items if a["id"] == made["assignment"]["id"])
    assert [i["done"] for i in mine["trainees"][0]["items"]] == [False]
    play(dewi, exam=True)
    items = wati.request("GET", "/review/api/assignments")[2]["assignments"]
    mine = next(a for a in items if a["id"] == made["assignment"]["id"])
    assert [i["done"] for i in mine["trainees"][0]["items"]] == [True]
    assert mine["trainees"][0]["name"] == "Dewi Lestari"
    _, _, tasks = dewi.request("GET", "/api/assignments")
    assert [i["done"] for i in tasks["assignments"][0]["items"]] == [True]


def test_history_assignments_and_resume_need_a_signed_in_trainee(site):
    employee, dewi = member(site)
    status, _, _ = dewi.request("POST", "/api/visit/start", {"scenario": "renewal_complete"})
    assert status == 200 and dewi.say(GREET)[0] == 200
    stranger = WebClient(site["url"])
    guess = {"employee_id": employee, "name": "Dewi Lestari"}
    assert stranger.request("POST", "/api/assignments", guess)[0] == 401
    assert stranger.request("GET", "/api/history")[0] == 401
    assert stranger.request("POST", "/api/visits/unfinished", guess)[0] == 401
    assert stranger.request("POST", "/api/history/open", guess)[0] in (404, 405)
    again, status, _ = sign_in(site["url"], employee, "sandi-dewi-123")
    _, _, found = again.request("POST", "/api/visits/unfinished", {})
    [unfinished] = found["visits"]
    assert stranger.request("POST", "/api/visit/resume",
                            {"sender": unfinished["sender_id"], **guess})[0] == 401
    assert again.request("POST", "/api/visit/resume",
                         {"sender": unfinished["sender_id"]})[0] == 200
    _, _, history = again.request("GET", "/api/history")
    assert [v["sender_id"] for v in history["visits"]] == [unfinished["sender_id"]]


# --- authorisation by the roster -----------------------------------------------------------------

def test_another_units_trainer_sees_and_touches_nothing(site):
    employee, dewi = member(site)
    play(dewi)
    wati, joko = login(site, "wati"), login(site, "joko")
    _, _, made = wati.request("POST", "/review/api/assignments", {
        "trainee_id": employee, "scenarios": ["renewal_complete"], "mode": "practice",
        "due": TOMORROW})
    assignment = made["assignment"]["id"]
    assert employee in json.dumps(wati.request("GET", "/review/api/sessions")[2])
    for client, visible in ((wati, True), (joko, False)):
        seen = json.dumps([client.request("GET", path)[2] for path in (
            "/review/api/sessions", "/review/api/roster", "/review/api/assignments",
            f"/review/api/trainees?q={employee}")])
        assert (employee in seen) is visible
    _, _, compare = joko.request(
        "GET", f"/review/api/compare?a=trainee:{employee}&b=unit:{quote(UNIT_B)}")
    assert "Dewi" not in json.dumps(compare)
    assert joko.request("POST", f"/review/api/assignments/{assignment}/archive")[0] == 403
    assert joko.request("POST", "/review/api/assignments", {
        "trainee_id": employee, "scenarios": ["renewal_complete"], "mode": "exam",
        "due": TOMORROW})[0] == 403
    assert joko.request("POST", f"/review/api/roster/{employee}/code")[0] == 404
    assert wati.request("POST", f"/review/api/assignments/{assignment}/archive")[0] == 200
    _, _, log = login(site, "adi").request("GET", "/review/api/audit")
    assert any(e["action"] == "assignment-archive" and str(assignment) in json.dumps(e)
               for e in log["entries"])


def test_assignments_go_to_exact_enrolled_ids_only(site):
    wati = login(site, "wati")
    employee = new_id("B00")
    enrol(wati, employee, "Teguh", UNIT_A)
    for wrong in ("B00", employee[:-1], employee + "x"):
        status, _, body = wati.request("POST", "/review/api/assignments", {
            "trainee_id": wrong, "scenarios": ["renewal_complete"], "mode": "exam",
            "due": TOMORROW})
        assert status == 400 and "belum terdaftar" in body["error"], wrong


# --- the rest of the hardening ---------------------------------------------------------------

def test_concurrent_wrong_logins_get_at_most_five_password_checks(site):
    def attempt(_: int) -> tuple[int, str]:
        client = WebClient(site["url"])
        return client.login("salah-sekali", username="rudi"), client.last_location

    with ThreadPoolExecutor(max_workers=30) as pool:
        outcomes = list(pool.map(attempt, range(30)))
    checked = [o for o in outcomes if o[1].endswith("gagal=1")]
    assert len(checked) <= 5 and sum(o[0] == 429 for o in outcomes) >= 25, outcomes


def test_exports_are_posts_a_foreign_page_cannot_start(site):
    adi = login(site, "adi")
    status, _, _ = adi.request("GET", "/review/export/sessions.csv")
    assert status == 405
    assert adi.request("POST", "/review/export/sessions.csv",
                       headers={"Origin": "http://127.0.0.1:9999"})[0] == 403
    before = len(adi.request("GET", "/review/api/audit")[2]["entries"])
    assert adi.request("POST", "/review/export/sessions.csv")[0] == 200
    assert len(adi.request("GET", "/review/api/audit")[2]["entries"]) == before + 1


@pytest.mark.parametrize("value", ["99999999999999999999", "-1", "1e9", "abc", "0x10"])
def test_paging_parameters_are_validated(site, value):
    adi = login(site, "adi")
    for name in ("page", "per_page"):
        status, _, body = adi.request("GET", f"/review/api/sessions?{name}={value}")
        assert status == 400 and "error" in body


def test_visit_starts_are_throttled_per_trainee(site):
    employee, dewi = member(site)
    statuses = [dewi.request("POST", "/api/visit/start", {"scenario": "renewal_complete"})[0]
                for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]


@pytest.mark.parametrize("trick", ["/ /restart", "/\n/restart", " / /back", "/ /greet@1.0",
                                   "\u200b/ \u3000/restart", "//\t/ \n /restart"])
def test_typed_slashes_never_reach_rasa_as_a_command(site, trick):
    employee, dewi = member(site)
    assert dewi.request("POST", "/api/visit/start", {"scenario": "renewal_complete"})[0] == 200
    dewi.say("Ya sudah, terserah Bapak saja, saya sibuk.")
    status, _, body = dewi.say(trick)
    assert status == 200
    _, _, found = dewi.request("POST", "/api/visits/unfinished", {})
    sender = found["visits"][0]["sender_id"]
    with sqlite3.connect(site["stack"].db_path) as db:
        events = [(kind, json.loads(data)) for kind, data in db.execute(
            "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (sender,))]
    replies = [e.get("text") or "" for kind, e in events if kind == "user"][1:]
    assert len(replies) == 2 and not any(r.strip().startswith("/") for r in replies), replies
    assert not any(kind in ("rewind", "restart", "undo") for kind, _ in events)


# --- trainee text is never a command (property) ------------------------------------------------

SLASHY = st.lists(st.sampled_from(["/", " ", "\n", "\t", "\u200b", "\ufeff", "\u3000",
                                   "\u2028", "\x00", "\u00a0", "\u180e", "a", "restart",
                                   "@1.0", "{}"]), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(SLASHY, st.text(max_size=40), st.tuples(SLASHY, st.text(max_size=10)).map(
    lambda parts: "".join(parts))))
def test_no_typed_text_reaches_rasa_as_a_command(text):
    reply = as_reply(text)
    assert not reply.strip().startswith("/")  # what Rasa's message handler checks
    assert not clean_text(reply).strip().startswith("/")
    assert as_reply(reply) == reply
    if not clean_text(text).strip().startswith("/"):
        assert reply == clean_text(text)  # anything else passes untouched


def test_visit_starts_are_throttled_per_address(stack, tmp_path):
    proc, url, _ = own_web_service(stack, tmp_path, SHARED, PTSP_STARTS_PER_ADDRESS="3")
    try:
        statuses = [WebClient(url).start("Tamu", new_id("T"), "renewal_complete")[0]
                    for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
    finally:
        proc.terminate()
        proc.wait(timeout=20)


# --- second adversarial pass (red team on issue 22): each finding replayed ----------------------

def bomb_xlsx(rows: int = 1_048_576) -> bytes:
    """A 2 KB workbook whose sheet declares a million rows (a 'zip bomb' of cells)."""
    import zipfile

    ns = 'xmlns="http://schemas.openxmlformats.org/'
    parts = {
        "[Content_Types].xml": f'<Types {ns}package/2006/content-types"><Default Extension='
        '"rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/><Override PartName='
        '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet'
        '+xml"/></Types>',
        "_rels/.rels": f'<Relationships {ns}package/2006/relationships"><Relationship '
        'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook {ns}spreadsheetml/2006/main" xmlns:r="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" '
        'sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships {ns}package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet {ns}spreadsheetml/2006/main"><dimension '
        f'ref="A1:XFD{rows}"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ID pegawai'
        '</t></is></c><c r="B1" t="inlineStr"><is><t>Nama</t></is></c></row><row '
        f'r="{rows}"><c r="A{rows}" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
        '</worksheet>'}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_a_tiny_workbook_declaring_a_huge_sheet_is_read_only_as_far_as_the_roster_goes(site):
    body, status = upload(login(site, "wati"), "bom.xlsx", bomb_xlsx(), UNIT_A)
    assert status == 200 and body["enrolled"] == []  # answered, nothing built or enrolled
    for name, content in (("nul.csv", b"ID pegawai;Nama\nA\x00;B\n"),
                          ("panjang.csv", b"ID pegawai;Nama\n\"" + b"x" * 200_000 + b"\";B\n")):
        body, status = upload(login(site, "wati"), name, content, UNIT_A)
        assert status in (200, 400), (name, body)


def test_a_disabled_trainee_cannot_go_on_with_an_exam_under_way(site):
    employee, dewi = member(site)
    assert dewi.request("POST", "/api/visit/start",
                        {"scenario": "renewal_complete", "exam": True})[0] == 200
    assert dewi.say(GREET)[0] == 200
    wati = login(site, "wati")
    assert wati.request("POST", f"/review/api/roster/{employee}/disable",
                        {"disabled": True})[0] == 200
    assert dewi.say("Boleh saya lihat dokumennya, Pak?")[0] == 401
    assert dewi.request("POST", "/api/visit/finish", {})[0] == 401


def test_an_exam_has_one_attempt_an_open_bad_one_is_not_erased(site):
    employee, dewi = member(site)
    _, _, made = login(site, "wati").request("POST", "/review/api/assignments", {
        "trainee_id": employee, "scenarios": ["renewal_complete"], "mode": "exam",
        "due": TOMORROW})
    assert dewi.request("POST", "/api/visit/start",
                        {"scenario": "renewal_complete", "exam": True})[0] == 200
    dewi.say("Ya sudah, tunggu saja, bukan urusan saya.")  # a bad attempt, left open
    play(dewi, exam=True)  # a second try, finished
    [item] = dewi.request("GET", "/api/assignments")[2]["assignments"][0]["items"]
    assert item["done"] is False and item["in_progress"] is True


def test_a_script_under_an_enrolled_id_is_not_the_trainees_progress(site):
    employee, _ = member(site)
    stack = site["stack"]
    for text in ['/start_scenario{"scenario":"renewal_complete","feedback":"off"}', GREET,
                 "/selesai"]:
        post_json(stack.webhook, {"sender": employee, "message": text})
    status, _, body = login(site, "adi").request("GET", f"/review/api/trainee?id={employee}")
    assert status == 404 or body["sessions"] == 0, body


def test_compare_names_the_exact_trainee_only(site):
    first, one = member(site)
    play(one)
    prefix = first[:-2]
    _, _, compare = login(site, "adi").request(
        "GET", f"/review/api/compare?a=trainee:{prefix}&b=trainee:{first}")
    assert "Dewi" not in compare["a"]["label"] and compare["a"]["sessions"] == 0
    assert compare["b"]["label"] == f"Dewi Lestari ({first})"


def test_units_with_non_ascii_capitals_scope_like_any_other(site):
    unit = f"KANTOR ÜLU {uuid.uuid4().hex[:4].upper()}"
    adi = login(site, "adi")
    assert adi.request("POST", "/review/api/units", {"name": unit})[0] == 200
    name = f"ulu{uuid.uuid4().hex[:6]}"
    assert site["cli"]("users", "add", name, "--unit", unit, "--password-stdin",
                       stdin="ulu-rahasia-123\n").returncode == 0
    PASSWORDS[name] = "ulu-rahasia-123"
    employee = new_id()
    enrol(adi, employee, "Made Ulu", unit)
    _, _, listed = login(site, name).request("GET", "/review/api/roster")
    assert [t["id"] for t in listed["trainees"]] == [employee]


def test_an_enrolment_code_is_used_once_even_by_concurrent_sign_ins(site):
    employee = new_id()
    code = enrol(login(site, "wati"), employee, "Rani", UNIT_A)
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(lambda i: sign_in(site["url"], employee, code,
                                                   f"sandi-rani-{i}-123")[1], range(4)))
    assert statuses.count(200) == 1, statuses


def test_odd_input_gets_a_clear_indonesian_answer(site):
    wati = login(site, "wati")
    assert wati.request("POST", f"/review/api/assignments/{2**40}/archive")[0] == 404
    status, _, body = WebClient(site["url"]).request(
        "POST", "/api/login", raw=b'{"employee_id": "\\ud800", "secret": "\\udfff"}')
    assert status == 401 and "salah" in body["error"]
    status, _, body = wati.request("POST", "/review/api/assignments", raw=(
        b'{"trainee_id": "\\ud800", "scenarios": ["renewal_complete"], "mode": "exam", '
        b'"due": "2030-01-01"}'))
    assert status == 400 and "terdaftar" in body["error"]


def test_another_units_size_is_not_shown(site):
    _, _, units = login(site, "joko").request("GET", "/review/api/units")
    counts = {u["name"]: u["trainees"] for u in units["units"]}
    assert counts[UNIT_A] is None and isinstance(counts[UNIT_B], int)


def test_a_foreign_host_name_is_refused_dns_rebinding(site):
    client = WebClient(site["url"])
    assert client.request("GET", "/api/me")[0] == 200
    for host in ("evil.example", "evil.example:8080", "127.0.0.1.nip.io"):
        status, _, body = client.request("POST", "/api/login", {"employee_id": "x",
                                                                "secret": "y"},
                                         headers={"Host": host})
        assert status == 421 and "host" in body["error"], host


def test_the_audit_log_pages_back_and_filters_so_nothing_is_hidden(site):
    adi = login(site, "adi")
    for _ in range(3):
        adi.request("POST", "/review/export/sessions.json")
    _, _, newest = adi.request("GET", "/review/api/audit?action=export&limit=2")
    assert [e["action"] for e in newest["entries"]] == ["export", "export"]
    oldest_id = newest["entries"][-1]["id"]
    _, _, older = adi.request("GET", f"/review/api/audit?action=export&before={oldest_id}")
    assert older["entries"] and all(e["id"] < oldest_id for e in older["entries"])
    _, _, logins = adi.request("GET", "/review/api/audit?action=login")
    assert logins["entries"] and logins["entries"][0]["detail"]["account"]
    assert adi.request("GET", "/review/api/audit?before=99999999999999")[0] == 400
