"""Trainers' notes on replies (issue 12, part): comment and score override, shown beside the
machine's scores, carried by every export, audited, and read back by ``calibrate``.

Real Rasa server, action server, SQLite tracker store and web service; the review's own tables
in the web service's data directory (migrated by Alembic at start-up).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import uuid

import pytest
import sqlalchemy as sa

from review import export as exports
from tests.stack import ROOT
from tests.webclient import WebClient

REPLIES = [
    "Selamat pagi, Bapak, selamat datang di PTSP. Ada yang bisa saya bantu?",
    "mana berkasnya",
    "Baik, Bapak, izinkan saya memeriksa dokumennya terlebih dahulu.",
]


def trainer(web, name: str = "Bu Wati") -> WebClient:
    client = WebClient(web.web_url)
    assert client.login(web.trainer_password, name) == 303
    return client


@pytest.fixture(scope="module")
def visit(web):
    employee = f"nt-{uuid.uuid4().hex[:8]}"
    trainee = WebClient(web.web_url)
    assert trainee.start("Rina", employee, "renewal_complete")[0] == 200
    for text in REPLIES:
        assert trainee.say(text)[0] == 200
    senders = web.store_senders(f"web.{employee}.")
    return {"employee": employee, "session": f"{senders[0]}:1"}


def cli(web, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=180,
        check=True, env={**os.environ, "PTSP_DATA_DIR": str(web.workdir / "web"),
                         "PTSP_TRACKER_DB_URL": f"sqlite:///{web.db_path}",
                         "PTSP_BROKER_DB_URL": f"sqlite:///{web.broker_path}"})


def test_a_note_is_shown_beside_the_machine_scores_and_exported(web, visit):
    wati = trainer(web)
    session_id = visit["session"]
    status, _, body = wati.request("GET", "/review/api/session?id=" + session_id)
    assert status == 200, body
    assert len(body["turns"]) == len(REPLIES)
    status, _, body = wati.request("POST", "/review/api/note", {
        "session": session_id, "turn": 2, "comment": "Terlalu ketus; =HYPERLINK(\"x\")",
        "scores": {"politeness": 10, "overall": 20}})
    assert status == 200 and body["note"]["trainer"] == "Bu Wati"
    # another trainer's later note on the same reply: the newest scores win in the exports
    assert trainer(web, "Pak Joko").request("POST", "/review/api/note", {
        "session": session_id, "turn": 2, "scores": {"politeness": 15}})[0] == 200

    status, _, body = wati.request("GET", "/review/api/session?id=" + session_id)
    turn = body["turns"][1]
    assert turn["trainer_scores"] == {"politeness": 15}
    assert turn["trainer_comment"].startswith("Terlalu ketus")
    assert [n["trainer"] for n in turn["trainer_notes"]] == ["Bu Wati", "Pak Joko"]
    assert turn["politeness"] is not None  # the machine's score stays beside it
    assert body["turns"][0]["trainer_scores"] is None

    status, headers, text = wati.request(
        "POST", f"/review/export/turns.csv?format=raw&trainee={visit['employee']}")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[1]["trainer_comment"].startswith("Terlalu ketus")
    assert json.loads(rows[1]["trainer_scores"]) == {"politeness": 15}
    assert rows[0]["trainer_comment"] == "" and rows[0]["trainer_scores"] == ""
    status, _, text = wati.request(
        "POST", f"/review/export/turns.csv?format=raw&sep=,&trainee={visit['employee']}")
    assert text.lstrip("\ufeff").startswith("session_id,trainee_id")

    out = cli(web, "review", "export", "--format", "json", "--what", "turns",
              "--trainee", visit["employee"]).stdout
    turns = json.loads(out)
    assert turns[1]["trainer_scores"] == {"politeness": 15}
    assert turns[0]["trainer_scores"] is None and turns[0]["trainer_comment"] is None
    sessions = json.loads(cli(web, "review", "export", "--format", "json",
                              "--trainee", visit["employee"]).stdout)
    assert sessions[0]["exam_mode"] is False
    assert sessions[0]["turns"][1]["trainer_comment"].startswith("Terlalu ketus")

    status, _, body = wati.request("GET", "/review/api/audit")
    actions = [(e["actor"], e["action"]) for e in body["entries"]]
    assert ("Bu Wati", "override") in actions and ("Bu Wati", "export") in actions
    assert ("Pak Joko", "override") in actions
    assert any(actor.startswith("cli:") and action == "export" for actor, action in actions)


def test_excel_export_opens_with_text_cells(web, visit):
    from openpyxl import load_workbook

    wati = trainer(web)
    wati.request("POST", "/review/api/note", {"session": visit["session"], "turn": 1,
                                              "comment": "@SUM(A1) bagus"})
    raw = wati.raw("POST", f"/review/export/turns.xlsx?format=raw&trainee={visit['employee']}")
    sheet = load_workbook(io.BytesIO(raw)).active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["session_id", "trainee_id", "scenario"]
    comment = sheet.cell(row=2, column=header.index("trainer_comment") + 1)
    assert comment.value == "'@SUM(A1) bagus" and comment.data_type == "s"
    assert len(list(sheet.rows)) == 1 + len(REPLIES)


def test_the_excel_export_for_people_reads_like_a_report(web, visit):
    """Indonesian headers and values, real dates in local time, the header frozen with filters,
    trainer scores one column per dimension; the same data as the machine format."""
    from datetime import datetime, timedelta

    from openpyxl import load_workbook

    wati = trainer(web)
    wati.request("POST", "/review/api/note", {"session": visit["session"], "turn": 2,
                                              "scores": {"politeness": 12, "clarity": 40}})
    book = load_workbook(io.BytesIO(wati.raw(
        "POST", f"/review/export/turns.xlsx?trainee={visit['employee']}")))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert sheet.title == "Balasan" and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    assert {"ID pegawai", "Skenario", "Balasan petugas", "Waktu (WIB)", "Kesopanan",
            "Nilai pelatih: Kesopanan", "Nilai pelatih: Kejelasan", "Komentar pelatih",
            "Dinilai"} <= set(header)
    assert not any("_" in h for h in header)  # no snake_case reaches a trainer
    rows = [dict(zip(header, [c.value for c in r], strict=True)) for r in sheet.iter_rows(2)]
    second = next(r for r in rows if r["Balasan ke-"] == 2)
    assert second["Nilai pelatih: Kesopanan"] == 12 and second["Nilai pelatih: Kejelasan"] == 40
    assert second["Skenario"] == "Perpanjangan izin usaha, dokumen lengkap"
    assert second["Dinilai"] == "Ya" and second["Mode"] == "Latihan"
    moment = second["Waktu (WIB)"]
    assert isinstance(moment, datetime)  # a real date, not text
    machine = json.loads(wati.raw(
        "POST", f"/review/export/turns.json?trainee={visit['employee']}"))
    utc = datetime.fromisoformat(next(t for t in machine if t["turn"] == 2)["time"])
    assert moment == (utc + timedelta(hours=7)).replace(tzinfo=None)
    assert sheet.column_dimensions["A"].width >= 10
    sessions = load_workbook(io.BytesIO(wati.raw(
        "POST", f"/review/export/sessions.xlsx?trainee={visit['employee']}"))).active
    header = [c.value for c in sessions[1]]
    assert {"Nilai kunjungan", "Rata-rata balasan", "Hasil", "Alasan tidak lulus",
            "Diputuskan oleh", "Mulai (WIB)"} <= set(header)
    values = dict(zip(header, [c.value for c in sessions[2]], strict=True))
    assert values["Hasil"] in ("Lulus", "Tidak lulus", "Belum selesai")
    assert isinstance(values["Mulai (WIB)"], datetime)


@pytest.mark.parametrize("payload, status", [
    ({"turn": 1, "scores": {"politeness": 150}}, 400),
    ({"turn": 1, "scores": {"kesopanan": 50}}, 400),
    ({"turn": 1, "scores": {"politeness": "banyak"}}, 400),
    ({"turn": 1, "scores": {"politeness": True}}, 400),
    ({"turn": 1, "comment": "   "}, 400),
    ({"turn": 1, "comment": ["x"]}, 400),
    ({"turn": 99, "comment": "ok"}, 404),
    ({"turn": "1", "comment": "ok"}, 400),
])
def test_bad_notes_get_a_clear_answer_and_change_nothing(web, visit, payload, status):
    wati = trainer(web)
    _, _, before = wati.request("GET", "/review/api/session?id=" + visit["session"])
    got, _, body = wati.request("POST", "/review/api/note", {"session": visit["session"],
                                                             **payload})
    assert got == status and body["error"]
    _, _, session = wati.request("GET", "/review/api/session?id=" + visit["session"])
    assert [t["trainer_notes"] for t in session["turns"]] == [
        t["trainer_notes"] for t in before["turns"]]


def test_notes_need_a_trainer(web, visit):
    status, _, _ = WebClient(web.web_url).request("POST", "/review/api/note", {
        "session": visit["session"], "turn": 1, "comment": "x"})
    assert status == 401


def test_calibrate_reads_the_overrides_as_ratings(web, visit):
    wati = trainer(web)
    for turn, value in ((1, 90), (2, 10), (3, 80)):
        wati.request("POST", "/review/api/note", {"session": visit["session"], "turn": turn,
                                                  "scores": {"overall": value,
                                                             "politeness": value}})
    rows = json.loads(cli(web, "review", "calibrate", "--json").stdout)
    overall = next(r for r in rows if r["scenario"] == "(semua skenario)"
                   and r["dimension"] == "overall")
    assert overall["n"] >= 3 and overall["clear_pairs"] >= 2
    assert overall["clear_pair_order"] == 1.0  # the scorer orders these replies as trainers do
    text = cli(web, "review", "calibrate").stdout
    assert "Total" in text and "Perpanjangan izin usaha, dokumen lengkap" in text


def test_migrations_are_idempotent(tmp_path):
    url = f"sqlite:///{tmp_path / 'review.db'}"
    for _ in range(2):
        result = subprocess.run([sys.executable, "-m", "review", "--review-db-url", url,
                                 "migrate"], cwd=ROOT, capture_output=True, text=True,
                                timeout=120, check=True)
        assert "newest schema" in result.stdout
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0007"
    tables = set(sa.inspect(engine).get_table_names())
    assert {"turn_notes", "audit_log", "sessions", "turns", "trainees", "units", "roster",
            "api_tokens", "limits", "verdict_overrides"} <= tables


@pytest.mark.parametrize("sep", [",", ";", "tab"])
@pytest.mark.parametrize("value", ["=1+1", " =cmd|' /C calc'!A0", "+62 812", "-SUM(1)",
                                   "@A1", "\uff1dA1", "\tx", "|x"])
def test_formula_like_cells_are_neutralised_whatever_the_separator(sep, value):
    text = exports.to_csv([{"a": value, "b": 5}], ["a", "b"], sep)
    delimiter = {"tab": "\t"}.get(sep, sep)
    row = next(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    assert row["a"] == "'" + value and row["b"] == "5"
