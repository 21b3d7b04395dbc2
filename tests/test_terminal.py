"""`make shell` in Indonesian end to end (issue 24), typed into a real terminal (tmux): the
trainee signs in with the enrolment code and a new password, plays a turn, restarts (confirmed)
and stops (a goodbye); no English line on the screen; the visit is the trainee's."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import uuid

import pytest

from actions.visits import visits_from_events
from review import roster
from review.store import TrackerStore
from tests.stack import ROOT, free_port

ENGLISH = re.compile(r"\b(the|and|your|input|loaded|error|warning|press|exit|type|message|"
                     r"please|bot|traceback|exception|info|debug|stop to)\b|==>|->",
                     re.IGNORECASE)


def screen(session: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-J", "-S", "-3000", "-t", session],
                          capture_output=True, text=True).stdout


def wait_for(session: str, text: str, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        shown = screen(session)
        if text in shown:
            return shown
        time.sleep(0.5)
    raise AssertionError(f"{text!r} never appeared:\n{screen(session)}")


def typed(session: str, text: str) -> None:
    subprocess.run(["tmux", "send-keys", "-t", session, "-l", text], check=True)
    subprocess.run(["tmux", "send-keys", "-t", session, "Enter"], check=True)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_make_shell_speaks_indonesian_from_start_to_stop(tmp_path):
    url = f"sqlite:///{tmp_path / 'review.db'}"
    roster.add_unit("DPMPTSP Kota Terminal", url)
    employee = f"tm{uuid.uuid4().hex[:8]}"
    _, code = roster.enrol(employee, "Sinta Terminal", "DPMPTSP Kota Terminal", "uji", None,
                           url)
    session = f"ptsp-{uuid.uuid4().hex[:6]}"
    env = {"PTSP_DATA_DIR": str(tmp_path), "ACTION_PORT": str(free_port()),
           "TRAINEE": employee}
    command = " ".join(f"{k}={v}" for k, v in env.items()) + " make -s shell; sleep 120"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "50",
                    "-c", str(ROOT), command], check=True, env=os.environ)
    try:
        wait_for(session, "Kata sandi atau kode pendaftaran", 420)
        typed(session, code)
        wait_for(session, "Buat kata sandi baru")
        typed(session, "sandi-sinta-123")
        wait_for(session, "Ulangi kata sandi")
        typed(session, "sandi-sinta-123")
        wait_for(session, "Siap. Silakan mulai.")
        typed(session, '/start_scenario{"scenario":"renewal_complete"}')
        wait_for(session, "[Pukul")
        typed(session, "Selamat siang, selamat datang di PTSP. Ada yang bisa saya bantu?")
        wait_for(session, "Pelanggan: ")
        typed(session, "/restart")
        wait_for(session, "Kunjungan diulang dari awal")
        typed(session, "/stop")
        shown = wait_for(session, "sampai jumpa di latihan berikutnya", 60)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    assert "Selamat datang, Sinta Terminal" in shown
    english = [line for line in shown.splitlines() if ENGLISH.search(line)]
    assert not english, english
    store = TrackerStore(None)
    senders = store.sender_ids(f"web.{employee}.")
    assert len(senders) == 1
    visits = visits_from_events(senders[0], store.conversations(senders)[senders[0]])
    assert visits and visits[0].signed_in and visits[0].trainee_name == "Sinta Terminal"
    assert visits[0].turns and visits[0].turns[0].scores  # scored like any reply
