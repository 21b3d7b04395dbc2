"""One setting per port (issue 24): `make run`'s script on ports nobody uses by default —
Rasa reads the action server's port from endpoints.yml (``${ACTION_PORT}``), the web service
finds Rasa by ``RASA_PORT`` — and a reply on the trainee page is answered and scored."""

from __future__ import annotations

import os
import signal
import subprocess

from tests.stack import ROOT, free_port, wait_http
from tests.webclient import WebClient


def test_make_run_on_other_ports_plays_a_turn(tmp_path):
    ports = {"RASA_PORT": free_port(), "ACTION_PORT": free_port(), "WEB_PORT": free_port()}
    assert 5005 not in ports.values() and 5055 not in ports.values()
    env = {**os.environ, **{k: str(v) for k, v in ports.items()},
           "PTSP_TRAINER_PASSWORD": "port-uji-rahasia"}
    log = open(tmp_path / "run.log", "ab")
    proc = subprocess.Popen(["bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_http(f"http://127.0.0.1:{ports['WEB_PORT']}/healthz", 300, proc)
        client = WebClient(f"http://127.0.0.1:{ports['WEB_PORT']}")
        status, _, body = client.start("Tamu Port", "port-uji", "renewal_complete")
        assert status == 200, body
        status, _, body = client.say("Selamat pagi, Bapak, ada yang bisa saya bantu?")
        assert status == 200
        kinds = [m["kind"] for m in body["messages"]]
        assert "feedback" in kinds and "citizen" in kinds, body  # the action server answered
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
    text = (tmp_path / "run.log").read_bytes().decode("utf-8", "replace")
    assert f":{ports['ACTION_PORT']}" in text and f":{ports['RASA_PORT']}" in text
