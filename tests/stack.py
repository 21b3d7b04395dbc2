"""Start a real action server and a real Rasa server on free ports (tests and benchmarks)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Iterable, Iterator, Optional

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout: float, proc: Optional[subprocess.Popen] = None) -> None:
    """Poll ``url`` until it answers, or raise (also when ``proc`` died)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process for {url} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f}s")


def post_json(url: str, payload: Any, timeout: float = 60) -> tuple[int, Any]:
    """POST JSON, return (status, decoded body)."""
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            return response.status, json.loads(body) if body else None
    except urllib.error.HTTPError as err:
        body = err.read()
        try:
            return err.code, json.loads(body)
        except ValueError:
            return err.code, body.decode("utf-8", "replace")


class Stack:
    """An action server + Rasa server pair with its own SQLite tracker store."""

    def __init__(self, workdir: Path, env: Optional[dict[str, str]] = None) -> None:
        self.workdir = workdir
        self.env = {**os.environ, "PTSP_VISIT_HOUR": "9",
                    "PTSP_CHANNEL_TOKEN": "kanal-uji-rahasia", **(env or {})}
        self.action_port = free_port()
        self.rasa_port = free_port()
        self.db_path = workdir / "trackers.db"
        self.broker_path = workdir / "broker.db"
        self.endpoints = workdir / "endpoints.yml"
        self.procs: dict[str, subprocess.Popen] = {}
        self.web_port = free_port()
        self.trainer_password = "pelatih-uji-rahasia"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def webhook(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook"

    def write_endpoints(self) -> None:
        self.endpoints.write_text(
            f'action_endpoint:\n  url: "http://127.0.0.1:{self.action_port}/webhook"\n'
            f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{self.db_path}"\n'
            'event_broker:\n  type: ptsp_stores.event_broker.BatchedSQLEventBroker\n'
            f'  dialect: "sqlite"\n  db: "{self.broker_path}"\n',
            encoding="utf-8",
        )

    def start_actions(self) -> None:
        log = open(self.workdir / "actions.log", "ab")
        self.procs["actions"] = subprocess.Popen(
            [str(VENV_BIN / "rasa"), "run", "actions", "--actions", "actions",
             "--port", str(self.action_port)],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=self.env,
            start_new_session=True,
        )
        wait_http(f"http://127.0.0.1:{self.action_port}/health", 120, self.procs["actions"])

    def start_rasa(self) -> None:
        log = open(self.workdir / "rasa.log", "ab")
        self.procs["rasa"] = subprocess.Popen(
            [str(VENV_BIN / "python"), "-m", "channels.launch", "run",
             "--model", str(ROOT / "models"),
             "--endpoints", str(self.endpoints), "--credentials", str(ROOT / "credentials.yml"),
             "--port", str(self.rasa_port)],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=self.env,
            start_new_session=True,
        )
        wait_http(f"http://127.0.0.1:{self.rasa_port}/", 300, self.procs["rasa"])

    def start_web(self) -> None:
        """The trainee page and trainer review, reading this stack's tracker store."""
        log = open(self.workdir / "web.log", "ab")
        env = {
            **self.env,
            "RASA_URL": f"http://127.0.0.1:{self.rasa_port}",
            "PTSP_TRACKER_DB_URL": f"sqlite:///{self.db_path}",
            "PTSP_BROKER_DB_URL": f"sqlite:///{self.broker_path}",
            "PTSP_DATA_DIR": str(self.workdir / "web"),
            "PTSP_TRAINER_PASSWORD": self.trainer_password,
            "WEB_PORT": str(self.web_port),
            # every test signs in from 127.0.0.1, the fuzzing with junk passwords: the limits
            # themselves are tested on web services of their own (test_roster, test_accounts)
            "PTSP_SIGNIN_ATTEMPTS": "100000", "PTSP_SIGNIN_ATTEMPTS_PER_ADDRESS": "100000",
        }
        self.procs["web"] = subprocess.Popen(
            [str(VENV_BIN / "python"), "-m", "web", "--host", "127.0.0.1"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )
        wait_http(f"{self.web_url}/healthz", 60, self.procs["web"])

    def start(self) -> Stack:
        self.write_endpoints()
        self.start_actions()
        self.start_rasa()
        return self

    def stop(self, name: Optional[str] = None) -> None:
        for key in [name] if name else list(self.procs):
            proc = self.procs.pop(key, None)
            if proc is None:
                continue
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def say(self, sender: str, message: Any) -> tuple[int, Any]:
        """Send one clerk message through the REST channel."""
        payload = message if isinstance(message, (bytes, dict)) else {
            "sender": sender, "message": message}
        return post_json(self.webhook, payload)

    def store_senders(self, prefix: str) -> list[str]:
        """Conversation ids in the SQLite tracker store that start with ``prefix``."""
        import sqlite3

        with sqlite3.connect(self.db_path) as conn:
            rows = conn.execute("SELECT DISTINCT sender_id FROM events").fetchall()
        return sorted(row[0] for row in rows if row[0].startswith(prefix))

    def tracker_events(self, sender: str) -> list[dict[str, Any]]:
        """Events of a conversation, read straight from the SQLite tracker store."""
        import sqlite3

        with sqlite3.connect(self.db_path) as conn:
            rows = conn.execute(
                "SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)
            ).fetchall()
        return [json.loads(row[0]) for row in rows]


# The canonical visit (shared/seeds/004) and readers of the REST answers, shared by the
# tests and the benchmarks.
SEED = [
    "Selamat pagi, Bapak/Ibu, selamat datang di PTSP, ada yang bisa kami bantu?",
    "Tentu. Mohon izin, apakah sudah membawa dokumen persyaratan yang dibutuhkan?",
    "Baik, terima kasih, izinkan saya memeriksa dokumen-dokumen ini terlebih dahulu ya",
    "Dokumen-dokumennya sudah lengkap, proses berikutnya membutuhkan waktu 2 hari kerja. "
    "Apakah ada lain yang ingin ditanyakan?",
    "Dengan senang hati. Ini tanda terima dokumennya. Jangan ragu untuk menghubungi kami "
    "jika ada kebutuhan lain. Semoga hari Anda menyenangkan",
    "Selamat pagi",
]


def texts(body) -> list[str]:
    return [m["text"] for m in body if m.get("text")]


def citizen_lines(body) -> list[str]:
    """Bot texts that are the citizen speaking (by the type each message carries)."""
    return [m["text"] for m in body if m.get("type") == "citizen" and m.get("text")]


def is_scene_line(text: str) -> bool:
    """The bracketed stage direction that opens a visit ("[Pukul 09.00 WIB. Seorang ...]")."""
    return text.startswith("[") and ("Seorang" in text or "WIB" in text)


def own_web_service(stack: Stack, data: Path, password: str, **settings: str
                    ) -> tuple[subprocess.Popen, str, dict[str, str]]:
    """A web service of its own (its own review database in ``data``) beside ``stack``'s
    Rasa server and stores, answering; (process, base URL, its environment)."""
    port = free_port()
    env = {**stack.env, "RASA_URL": f"http://127.0.0.1:{stack.rasa_port}",
           "PTSP_TRACKER_DB_URL": f"sqlite:///{stack.db_path}",
           "PTSP_BROKER_DB_URL": f"sqlite:///{stack.broker_path}",
           "PTSP_DATA_DIR": str(data), "PTSP_TRAINER_PASSWORD": password,
           "WEB_PORT": str(port), **settings}
    proc = subprocess.Popen([str(VENV_BIN / "python"), "-m", "web", "--host", "127.0.0.1"],
                            cwd=ROOT, env=env, stdout=open(data / "web.log", "ab"),
                            stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    wait_http(f"{url}/healthz", 60, proc)
    return proc, url, env


@contextlib.contextmanager
def web_service_with_accounts(stack: Stack, data: Path, password: str, units: Iterable[str],
                              trainers: dict[str, tuple[str, Optional[str], str]]
                              ) -> Iterator[SimpleNamespace]:
    """``own_web_service`` with its units and trainer accounts made through the review's CLI
    (``trainers``: username -> (password, unit or None for an admin, full name)); yields
    (url, cli, db) and stops the service afterwards."""
    proc, url, env = own_web_service(stack, data, password)
    try:

        def cli(*args: str, password: Optional[str] = None) -> str:
            extra = ["--password-stdin"] if password is not None else []
            done = subprocess.run([str(VENV_BIN / "python"), "-m", "review", *args, *extra],
                                  input=(password or "") + "\n", cwd=ROOT, env=env,
                                  capture_output=True, text=True, timeout=60)
            assert done.returncode == 0, (args, done.stdout, done.stderr)
            return done.stdout

        for unit in units:
            cli("units", "add", unit)
        for username, (secret, unit, full_name) in trainers.items():
            role = ["--unit", unit] if unit else ["--role", "admin"]
            cli("users", "add", username, *role, "--full-name", full_name, password=secret)
        yield SimpleNamespace(url=url, cli=cli, db=f"sqlite:///{data / 'review.db'}")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
