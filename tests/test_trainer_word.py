"""Feedback a trainee and a trainer can trust (issue 21, parts 1 and 2): one visit score and
verdict everywhere, a trainer's verdict that replaces the machine's and says so, and the
trainer's comments and corrected scores in the trainee's *Riwayat saya* with an unread marker
and one answer.

Real Rasa server, action server, SQLite tracker store and web service (the shared live stack);
the browser test drives Debian's Chromium.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest
import yaml

from tests.browser import NEEDS_CHROMIUM, shot
from tests.stack import ROOT
from tests.webclient import WebClient, roster_trainee

GOOD = yaml.safe_load((ROOT / "tests/scenarios/renewal_complete.yml").read_text("utf-8"))
MIXED = ["Selamat pagi, Bapak/Ibu. Ada yang bisa kami bantu?", "mana berkasnya",
         "Baik, saya periksa dulu dokumennya ya, Bapak/Ibu."]


def trainer(web, name: str = "Bu Wati") -> WebClient:
    client = WebClient(web.web_url)
    assert client.login(web.trainer_password, name) == 303
    return client


def play(web, replies: list[str], name: str = "Dewi") -> tuple[str, WebClient, str]:
    """A roster trainee plays ``replies`` and ends the visit: (employee ID, client, session)."""
    employee, client = roster_trainee(web, name)
    assert client.start(name, "", "renewal_complete")[0] == 200
    for text in replies:
        assert client.say(text)[0] == 200
    status, _, body = client.request("POST", "/api/visit/finish", {})
    assert status == 200 and any(m["kind"] == "debrief" for m in body["messages"]), body
    sender = web.store_senders(f"web.{employee}.")[0]
    return employee, client, f"{sender}:1"


def cli(web, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "review", *args], cwd=ROOT, capture_output=True, text=True,
        timeout=180, env={**os.environ, "PTSP_DATA_DIR": str(web.workdir / "web"),
                          "PTSP_TRACKER_DB_URL": f"sqlite:///{web.db_path}",
                          "PTSP_BROKER_DB_URL": f"sqlite:///{web.broker_path}"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def everywhere(web, wati: WebClient, trainee: WebClient, employee: str, session: str
               ) -> dict[str, tuple]:
    """(visit score, passed) of one visit as every view and export shows it."""
    sender = session.rpartition(":")[0]
    seen: dict[str, tuple] = {}
    mine = trainee.request("GET", f"/api/visit/{sender}")[2]["sessions"][-1]
    debrief = mine["debrief"]
    seen["debrief (trainee)"] = (debrief["averages"]["overall"], debrief["passed"])
    history = trainee.request("GET", "/api/history")[2]["visits"][0]
    seen["Riwayat saya"] = (history["visit_score"], history["passed"])
    detail = wati.request("GET", f"/review/api/session?id={session}")[2]
    seen["session page"] = (detail["visit_score"], detail["passed"])
    seen["session debrief"] = (detail["debrief"]["averages"]["overall"],
                               detail["debrief"]["passed"])
    row = wati.request("GET", f"/review/api/sessions?trainee={employee}")[2]["sessions"][0]
    seen["session list"] = (row["visit_score"], row["passed"])
    point = wati.request("GET", f"/review/api/trainee?id={employee}")[2]["points"][0]
    seen["progress chart"] = (point["overall"], point["passed"])
    cohort = wati.request("GET", f"/review/api/cohort?trainee={employee}")[2]
    scenario = cohort["per_scenario"]["renewal_complete"]
    seen["cohort"] = (cohort["per_dimension"]["overall"], scenario["pass_rate"] == 100)
    side = wati.request("GET", f"/review/api/compare?a=trainee:{employee}&b=trainee:{employee}"
                        )[2]["a"]
    seen["compare"] = (side["per_dimension"]["overall"],
                       side["per_scenario"]["renewal_complete"]["pass_rate"] == 100)
    text = wati.request("POST", f"/review/export/sessions.csv?trainee={employee}")[2]
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    seen["CSV"] = (int(rows[0]["Nilai kunjungan"]), rows[0]["Hasil"] == "Lulus")
    text = wati.request("POST", f"/review/export/sessions.csv?format=raw&trainee={employee}")[2]
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    seen["CSV (mesin)"] = (int(rows[0]["visit_score"]), rows[0]["passed"] == "True")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(wati.raw(
        "POST", f"/review/export/sessions.xlsx?trainee={employee}"))).active
    header = [c.value for c in sheet[1]]
    values = [c.value for c in sheet[2]]
    seen["Excel"] = (values[header.index("Nilai kunjungan")], values[header.index("Hasil")]
                     == "Lulus")
    exported = wati.request("POST", f"/review/export/sessions.json?trainee={employee}")[2]
    seen["JSON"] = (exported[0]["visit_score"], exported[0]["passed"])
    cli_rows = json.loads(cli(web, "export", "--format", "json", "--trainee", employee))
    seen["CLI"] = (cli_rows[0]["visit_score"], cli_rows[0]["passed"])
    return seen


def normalised(seen: dict[str, tuple]) -> dict[str, tuple]:
    return {k: (int(v[0]), v[1] in (True, "True", 1)) for k, v in seen.items()}


def test_one_visit_shows_one_score_and_verdict_everywhere_and_a_trainer_can_override(web):
    employee, dewi, session = play(web, MIXED)
    wati = trainer(web)
    seen = normalised(everywhere(web, wati, dewi, employee, session))
    assert len(set(seen.values())) == 1, seen  # the same score and verdict in every view
    score, passed = next(iter(seen.values()))
    detail = wati.request("GET", f"/review/api/session?id={session}")[2]
    assert detail["reply_mean"] is not None and detail["verdict_by"] == "mesin"
    assert passed is False and detail["fail_reasons"], detail  # says why it failed
    assert detail["reply_mean"] == detail["debrief"]["reply_overall"]

    # the trainer's verdict replaces the machine's everywhere, and says so
    status, _, body = wati.request("POST", "/review/api/verdict", {
        "session": session, "passed": True, "reason": "Sudah memeriksa berkas dengan benar."})
    assert status == 200 and body["passed"] is True, body
    assert body["verdict_by"] == "pelatih: Bu Wati" and body["machine_verdict"]["passed"] is False
    after = normalised(everywhere(web, wati, dewi, employee, session))
    assert set(after.values()) == {(score, True)}, after
    mine = dewi.request("GET", f"/api/visit/{session.rpartition(':')[0]}")[2]["sessions"][-1]
    assert mine["debrief"]["override"]["trainer"] == "Bu Wati"
    assert "Keputusan pelatih (Bu Wati)" in mine["reason"]
    text = wati.request("POST", f"/review/export/sessions.csv?format=raw&trainee={employee}")[2]
    row = next(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert row["verdict_by"] == "pelatih: Bu Wati" and row["fail_reasons"] == ""
    text = wati.request("POST", f"/review/export/sessions.csv?trainee={employee}")[2]
    row = next(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert row["Diputuskan oleh"] == "Pelatih Bu Wati" and row["Alasan tidak lulus"] == ""
    passed_only = wati.request("GET", f"/review/api/sessions?trainee={employee}&passed=ya")[2]
    assert passed_only["total"] == 1  # the filter follows the trainer's verdict
    audit = wati.request("GET", "/review/api/audit?action=verdict")[2]["entries"]
    assert audit[0]["actor"] == "Bu Wati" and audit[0]["detail"]["session"] == session

    # a new ingest of the conversation keeps the trainer's verdict
    dewi.say("satu lagi")  # written after the end: the conversation changes, the verdict stays
    assert normalised(everywhere(web, wati, dewi, employee, session))["session list"] == (
        score, True)

    # withdrawn: the machine's verdict again
    status, _, body = wati.request("POST", "/review/api/verdict",
                                   {"session": session, "withdraw": True})
    assert status == 200 and body["passed"] is False and body["verdict_by"] == "mesin"
    assert set(normalised(everywhere(web, wati, dewi, employee, session)).values()) == {
        (score, False)}


@pytest.mark.parametrize("payload, status", [
    ({"passed": True}, 400),  # no reason
    ({"passed": "ya", "reason": "x"}, 400),
    ({"passed": True, "reason": "   "}, 400),
    ({"passed": True, "reason": "x" * 1001}, 400),
])
def test_bad_verdicts_get_a_clear_answer_and_change_nothing(web, payload, status):
    employee, _, session = play(web, MIXED[:1], "Nina")
    wati = trainer(web)
    code, _, body = wati.request("POST", "/review/api/verdict", {"session": session, **payload})
    assert code == status and body["error"]
    assert wati.request("GET", f"/review/api/session?id={session}")[2]["verdict_by"] == "mesin"


def test_a_verdict_needs_a_finished_visit_and_a_known_session(web):
    employee, client = roster_trainee(web, "Ani")
    assert client.start("Ani", "", "renewal_complete")[0] == 200
    client.say(MIXED[0])
    session = web.store_senders(f"web.{employee}.")[0] + ":1"
    wati = trainer(web)
    status, _, body = wati.request("POST", "/review/api/verdict",
                                   {"session": session, "passed": True, "reason": "bagus"})
    assert status == 400 and "belum selesai" in body["error"]
    status, _, _ = wati.request("POST", "/review/api/verdict",
                                {"session": "web.x.00000000:1", "passed": True, "reason": "x"})
    assert status == 404
    assert WebClient(web.web_url).request("POST", "/review/api/verdict", {
        "session": session, "passed": True, "reason": "x"})[0] in (401, 403)


def test_the_trainers_word_reaches_the_trainee_once_read_and_answered_once(web):
    employee, dewi, session = play(web, MIXED, "Dewi")
    sender = session.rpartition(":")[0]
    wati = trainer(web)
    assert dewi.request("GET", "/api/notes/unread")[2]["unread"] == 0
    assert wati.request("POST", "/review/api/note", {
        "session": session, "turn": 2, "comment": "Sapa dulu dan minta berkas dengan santun.",
        "scores": {"politeness": 20}})[0] == 200
    assert dewi.request("GET", "/api/notes/unread")[2]["unread"] == 1
    row = dewi.request("GET", "/api/history")[2]["visits"][0]
    assert row["unread_notes"] == 1
    turn = dewi.request("GET", f"/api/visit/{sender}")[2]["sessions"][-1]["turns"][1]
    [note] = turn["trainer_notes"]
    assert note["trainer"] == "Bu Wati" and note["scores"] == {"politeness": 20}
    assert note["comment"].startswith("Sapa dulu") and note["new"] is True

    # another trainee reads nothing of it and cannot answer it
    _, other = roster_trainee(web, "Lain")
    assert other.request("GET", "/api/notes/unread")[2]["unread"] == 0
    assert other.request("POST", "/api/notes/answer",
                         {"note": note["id"], "text": "bukan saya"})[0] == 404
    assert other.request("POST", "/api/notes/read", {"sender": sender, "visit": 1}
                         )[2]["read"] == 0
    assert WebClient(web.web_url).request("GET", "/api/notes/unread")[0] == 401

    assert dewi.request("POST", "/api/notes/read", {"sender": sender, "visit": 1})[2]["read"] == 1
    assert dewi.request("GET", "/api/notes/unread")[2]["unread"] == 0
    for bad in ({"note": note["id"], "text": "  "}, {"note": note["id"], "text": "x" * 501},
                {"note": "1", "text": "ok"}, {"text": "ok"}):
        assert dewi.request("POST", "/api/notes/answer", bad)[0] == 400, bad
    status, _, body = dewi.request("POST", "/api/notes/answer",
                                   {"note": note["id"], "text": "Baik, Bu, saya perbaiki."})
    assert status == 200 and body["note"]["trainee_reply"] == "Baik, Bu, saya perbaiki."
    assert dewi.request("POST", "/api/notes/answer",
                        {"note": note["id"], "text": "sekali lagi"})[0] == 409
    turn = wati.request("GET", f"/review/api/session?id={session}")[2]["turns"][1]
    assert turn["trainer_notes"][0]["trainee_reply"] == "Baik, Bu, saya perbaiki."
    assert turn["trainer_notes"][0]["read"] is True

    # a changed note is new to the trainee again
    wati.request("POST", "/review/api/note", {"session": session, "turn": 2,
                                              "comment": "Tambahan: sebutkan lama proses."})
    assert dewi.request("GET", "/api/notes/unread")[2]["unread"] == 1


@NEEDS_CHROMIUM
def test_the_trainee_reads_the_comment_in_a_real_browser(web, page):
    employee, dewi, session = play(web, [t["text"] for t in GOOD["good"]["turns"]], "Rina")
    wati = trainer(web)
    assert wati.request("POST", "/review/api/note", {
        "session": session, "turn": 1, "comment": "Salam pembuka sudah sangat baik.",
        "scores": {"politeness": 95}})[0] == 200
    page.goto(web.web_url + "/")
    page.wait_for_selector("#login-form")
    page.fill("#login-id", employee)
    page.fill("#login-secret", "sandi-peserta-1")
    page.click("#login")
    marker = page.locator("[data-testid=unread-marker]")
    marker.wait_for(state="visible")
    assert "1 komentar baru dari pelatih" in marker.inner_text()
    page.click("#history-open")
    row = page.locator("[data-testid=history-row]").first
    row.wait_for()
    assert "komentar baru dari pelatih" in row.inner_text()
    shot(page, "trainer-word-01-history")
    row.locator("button").click()
    note = page.locator("[data-testid=trainer-note-view]").first
    note.wait_for()
    text = note.inner_text()
    assert "Bu Wati" in text and "Salam pembuka sudah sangat baik." in text and "95" in text
    page.wait_for_function(
        "() => document.querySelector('[data-testid=unread-marker]').hidden === true")
    page.fill("[data-testid=answer-note] textarea", "Terima kasih, Bu.")
    page.click("[data-testid=answer-note] button[type=submit]")
    page.wait_for_selector("[data-testid=trainee-reply]")
    shot(page, "trainer-word-02-answered")
    turn = wati.request("GET", f"/review/api/session?id={session}")[2]["turns"][0]
    assert turn["trainer_notes"][0]["trainee_reply"] == "Terima kasih, Bu."
