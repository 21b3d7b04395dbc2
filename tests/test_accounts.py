"""Trainer and admin accounts (issue 12): the users CLI, login by account, units, the rate
limit, and sessions that logout, a password change and disabling end server-side.

A web service of its own (its own review database) beside the shared live stack, so the other
tests keep signing in with the shared password.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest

from tests.stack import ROOT, own_web_service
from tests.webclient import WebClient, enrol, sign_in

PASSWORDS = {"adi": "admin-rahasia-1", "wati": "wati-rahasia-12", "joko": "joko-rahasia-12"}


@pytest.fixture(scope="module")
def accounts_web(stack, tmp_path_factory):
    proc, url, env = own_web_service(stack, tmp_path_factory.mktemp("accounts-web"),
                                     "bersama-rahasia")

    def users(*args: str, password: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "review", "users", *args,
                               "--password-stdin"], input=password + "\n", cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=60)

    yield {"url": url, "users": users, "env": env}
    proc.terminate()
    proc.wait(timeout=20)


def login(accounts_web, username: str, password: str | None = None) -> WebClient:
    client = WebClient(accounts_web["url"])
    client.login(PASSWORDS[username] if password is None else password, username=username)
    return client


def visit(accounts_web, unit: str) -> str:
    """A trainee enrolled by the admin in ``unit``, signed in, with one reply in a visit."""
    employee = f"ac-{uuid.uuid4().hex[:8]}"
    code = enrol(login(accounts_web, "adi"), employee, "Peserta Uji", unit)
    client, status, body = sign_in(accounts_web["url"], employee, code, "sandi-peserta-1")
    assert status == 200, body
    status, _, _ = client.request("POST", "/api/visit/start", {"scenario": "renewal_complete"})
    assert status == 200
    assert client.say("Selamat pagi, Bapak, ada yang bisa saya bantu?")[0] == 200
    return employee


def test_the_shared_password_works_until_the_first_account(accounts_web):
    shared = WebClient(accounts_web["url"])
    assert shared.login("bersama-rahasia", trainer="Bu Ani") == 303
    assert shared.request("GET", "/review/api/sessions")[0] == 200
    users = accounts_web["users"]
    assert users("add", "adi", "--role", "admin", "--full-name", "Pak Adi",
                 password=PASSWORDS["adi"]).returncode == 0
    assert users("add", "wati", "--unit", "Kota Bogor", "--full-name", "Bu Wati",
                 password=PASSWORDS["wati"]).returncode == 0
    assert users("add", "joko", "--unit", "Kabupaten Bogor",
                 password=PASSWORDS["joko"]).returncode == 0
    short = users("add", "siti", password="pendek")
    assert short.returncode == 2 and "minimal 10" in short.stderr
    assert users("add", "wati", password=PASSWORDS["wati"]).returncode == 2  # exists
    # from now on the shared password opens nothing, not even an earlier cookie
    assert shared.request("GET", "/review/api/sessions")[0] == 401
    assert WebClient(accounts_web["url"]).login("bersama-rahasia") == 303
    listed = users("list").stdout
    assert "wati" in listed and "Kota Bogor" in listed and "admin" in listed


def test_a_trainer_sees_only_the_trainees_of_their_units(accounts_web):
    city, regency = visit(accounts_web, "Kota Bogor"), visit(accounts_web, "Kabupaten Bogor")
    wati, adi = login(accounts_web, "wati"), login(accounts_web, "adi")
    _, _, mine = wati.request("GET", "/review/api/sessions?all=1")
    ids = {s["trainee_id"] for s in mine["sessions"]}
    assert city in ids and regency not in ids
    _, _, everything = adi.request("GET", "/review/api/sessions")
    assert {city, regency} <= {s["trainee_id"] for s in everything["sessions"]}
    other = next(s["id"] for s in everything["sessions"] if s["trainee_id"] == regency)
    assert wati.request("GET", "/review/api/session?id=" + other)[0] == 404
    assert wati.request("POST", "/review/api/note", {"session": other, "turn": 1,
                                                     "comment": "x"})[0] == 404
    _, _, text = wati.request("POST", "/review/export/sessions.csv?all=1")
    assert city in text and regency not in text
    assert wati.request("GET", f"/review/api/trainee?id={regency}")[0] == 404
    status, _, body = wati.request("POST", "/review/api/note", {
        "session": next(s["id"] for s in mine["sessions"] if s["trainee_id"] == city),
        "turn": 1, "comment": "Bagus, sapaannya hangat."})
    assert status == 200 and body["note"]["trainer"] == "Bu Wati"  # the account's name
    assert wati.request("GET", "/review/api/audit")[0] == 403  # admins only
    _, _, audit = adi.request("GET", "/review/api/audit")
    assert ("Bu Wati", "comment") in {(e["actor"], e["action"]) for e in audit["entries"]}


def test_logout_ends_the_session_server_side(accounts_web):
    wati = login(accounts_web, "wati")
    copy = WebClient(accounts_web["url"])  # the same cookie, kept elsewhere
    for cookie in wati.jar:
        copy.jar.set_cookie(cookie)
    assert copy.request("GET", "/review/api/me")[0] == 200
    wati.request("POST", "/review/logout", {})
    assert copy.request("GET", "/review/api/me")[0] == 401


def test_a_password_change_ends_every_other_session(accounts_web):
    first, second = login(accounts_web, "joko"), login(accounts_web, "joko")
    assert second.request("GET", "/review/api/me")[2]["units"] == ["Kabupaten Bogor"]
    status, _, body = first.request("POST", "/review/api/password",
                                    {"old": "salah-sekali-1", "new": "joko-baru-rahasia"})
    assert status == 400 and "lama" in body["error"]
    status, _, _ = first.request("POST", "/review/api/password",
                                 {"old": PASSWORDS["joko"], "new": "joko-baru-rahasia"})
    assert status == 200
    assert second.request("GET", "/review/api/me")[0] == 401  # revoked
    assert first.request("GET", "/review/api/me")[0] == 200  # this one got a new cookie
    PASSWORDS["joko"] = "joko-baru-rahasia"
    assert login(accounts_web, "joko").request("GET", "/review/api/me")[0] == 200


def test_disabling_an_account_ends_its_sessions(accounts_web):
    adi = login(accounts_web, "adi")
    assert accounts_web["users"]("disable", "adi").returncode == 0
    assert adi.request("GET", "/review/api/me")[0] == 401
    refused = WebClient(accounts_web["url"])
    assert refused.login(PASSWORDS["adi"], username="adi") == 303
    assert "gagal" in refused.last_location
    assert accounts_web["users"]("enable", "adi").returncode == 0
    assert login(accounts_web, "adi").request("GET", "/review/api/me")[0] == 200


def test_failed_logins_are_limited_per_account(accounts_web):
    accounts_web["users"]("add", "rudi", password="rudi-rahasia-12")
    guesser = WebClient(accounts_web["url"])
    for _ in range(5):
        assert guesser.login("tebakan-salah", username="rudi") == 303
    assert guesser.login("rudi-rahasia-12", username="rudi") == 429  # even the right one now
    assert login(accounts_web, "wati").request("GET", "/review/api/me")[0] == 200  # others ok


def test_passwords_are_stored_as_argon2_hashes(accounts_web):
    import sqlalchemy as sa

    data = accounts_web["env"]["PTSP_DATA_DIR"]
    engine = sa.create_engine(f"sqlite:///{os.path.join(data, 'review.db')}")
    with engine.connect() as conn:
        hashes = [row[0] for row in conn.execute(sa.text("SELECT password_hash FROM users"))]
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert not any(p in h for h in hashes for p in PASSWORDS.values())


def test_login_page_and_password_change_in_the_browser(accounts_web, browser):
    from tests.browser import DESKTOP, new_page, shot

    accounts_web["users"]("add", "dewi", "--unit", "Kota Bogor", "--full-name", "Bu Dewi",
                          password="dewi-rahasia-12")
    page = new_page(browser, DESKTOP)
    page.goto(accounts_web["url"] + "/review/login")
    page.wait_for_selector("#username-box:visible")  # accounts exist: a user name is asked
    assert page.locator("#trainer-box").is_hidden()
    page.fill("#username", "dewi")
    page.fill("#password", "salah-sekali-1")
    page.click("button[type=submit]")
    page.wait_for_selector("#login-error:has-text('salah')")
    page.fill("#username", "dewi")
    page.fill("#password", "dewi-rahasia-12")
    page.click("button[type=submit]")
    page.wait_for_url("**/review")
    page.goto(accounts_web["url"] + "/review/account")
    page.wait_for_selector("#password-form")
    assert "Kota Bogor" in page.locator("#page").inner_text()
    page.fill("#old-password", "dewi-rahasia-12")
    page.fill("#new-password", "dewi-baru-rahasia-1")
    page.click("#password-form button[type=submit]")
    page.wait_for_selector("#password-status:has-text('diganti')")
    shot(page, "trainer-09-account")
    page.reload()  # this browser got a new session with the change
    page.wait_for_selector("#password-form")
    page.context.close()
