"""Two findings of the adversarial review of the running service, one group of tests each:

* Rasa's HTTP server read 20 MB bodies (Sanic's default limit is 100 MB): the launcher
  (channels/launch.py) caps request bodies, a larger one gets 413 and the server goes on;
* the production profile passed the Rasa API token as ``--auth-token "$RASA_TOKEN"``, so every
  local user saw it in ``ps``: the launcher now reads it from the environment and adds it to
  Rasa's arguments inside the process, and no script or manifest puts a secret on a command line.

The live tests share one Rasa server started the way the production profile starts its
replicas: ``python -m channels.launch run ... --enable-api`` with ``RASA_TOKEN`` in the
environment (scripts/run_prod.sh, deploy/docker/rasa.Dockerfile).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import select
import shutil
import socket
import subprocess
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from channels import launch
from channels.launch import REQUEST_MAX_SIZE, SecretError, rasa_arguments
from tests.stack import ROOT, VENV_BIN, Stack, post_json, wait_http

TOKEN = f"tok-{secrets.token_hex(16)}"  # unique: found on a command line only if leaked
WEBHOOK = "/webhooks/rest/webhook"


class TokenStack(Stack):
    """The test stack with Rasa's HTTP API on, its token given as the production profile does."""

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir, {"RASA_TOKEN": TOKEN})
        for name in ("RASA_TOKEN_FILE", "RASA_JWT_SECRET", "RASA_JWT_SECRET_FILE",
                     "RASA_JWT_PRIVATE_KEY", "RASA_JWT_PRIVATE_KEY_FILE",
                     launch.REQUEST_MAX_SIZE_VARIABLE):
            self.env.pop(name, None)

    def start_rasa(self) -> None:
        log = open(self.workdir / "rasa.log", "ab")
        self.procs["rasa"] = subprocess.Popen(
            [str(VENV_BIN / "python"), "-m", "channels.launch", "run",
             "--model", str(ROOT / "models"),
             "--endpoints", str(self.endpoints), "--credentials", str(ROOT / "credentials.yml"),
             "--interface", "127.0.0.1", "--port", str(self.rasa_port), "--enable-api"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=self.env,
            start_new_session=True,
        )
        wait_http(f"http://127.0.0.1:{self.rasa_port}/", 300, self.procs["rasa"])

    def start(self) -> TokenStack:
        """Both servers start at the same time (Rasa needs the action server only per turn)."""
        self.write_endpoints()
        with ThreadPoolExecutor(2) as pool:
            for started in [pool.submit(self.start_actions), pool.submit(self.start_rasa)]:
                started.result()
        return self


@pytest.fixture(scope="module")
def api_stack(tmp_path_factory):
    if not any((ROOT / "models").glob("*.tar.gz")):
        pytest.fail("no trained model in models/: run `make train`")
    live = TokenStack(tmp_path_factory.mktemp("secrets")).start()
    yield live
    live.stop()


def raw_post(port: int, head: bytes, chunks, timeout: float = 30) -> tuple[int, bytes]:
    """Send a request head, then body chunks until the server answers or hangs up; return the
    status and body of the answer. A server that reads the whole body first answers only
    after the last chunk."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head)
        for chunk in chunks:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:  # answered before the body was sent
                break
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                break
        received = b""
        try:
            while b"\r\n\r\n" not in received or not _complete(received):
                data = sock.recv(65536)
                if not data:
                    break
                received += data
        except (ConnectionResetError, TimeoutError):
            pass
    assert received, f"no answer within {timeout:.0f} s (the server is still reading the body?)"
    status = int(received.split(b"\r\n", 1)[0].split()[1])
    return status, received.split(b"\r\n\r\n", 1)[1]


def _complete(received: bytes) -> bool:
    head, _, body = received.partition(b"\r\n\r\n")
    match = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    return bool(match) and len(body) >= int(match.group(1))


def post_head(path: str, **headers: str) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
             *(f"{name.replace('_', '-')}: {value}" for name, value in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def a_normal_turn_answers(stack: Stack) -> None:
    status, body = stack.say(f"size-{uuid.uuid4().hex[:10]}", "Selamat pagi, Pak")
    assert status == 200, body
    assert any(m.get("text") for m in body), body


# --- (a) request size cap ----------------------------------------------------------------------

def test_a_20_mb_body_gets_413_and_the_server_keeps_working(api_stack):
    size = 20 * 1024 * 1024
    body = json.dumps({"sender": "big", "message": "a" * (size - 40)}).encode()
    chunks = (body[i:i + 65536] for i in range(0, len(body), 65536))
    status, answer = raw_post(api_stack.rasa_port,
                              post_head(WEBHOOK, Content_Length=str(len(body))), chunks)
    assert status == 413, answer[:300]
    assert b"size limit" in answer
    a_normal_turn_answers(api_stack)


def test_a_chunked_body_over_the_cap_gets_413(api_stack):
    """Without a Content-Length the cap counts the bytes as they come."""
    piece = b"a" * 65536
    chunks = [b"%x\r\n%s\r\n" % (len(piece), piece)] * (3 * REQUEST_MAX_SIZE // len(piece))
    status, answer = raw_post(api_stack.rasa_port,
                              post_head(WEBHOOK, Transfer_Encoding="chunked"), chunks)
    assert status == 413, answer[:300]
    a_normal_turn_answers(api_stack)


def test_a_the_cap_covers_the_api_too(api_stack):
    body = b"[" + b"{}," * (REQUEST_MAX_SIZE // 3) + b"{}]"
    status, _ = raw_post(
        api_stack.rasa_port,
        post_head(f"/conversations/x/tracker/events?token={TOKEN}",
                  Content_Length=str(len(body))),
        [body[i:i + 65536] for i in range(0, len(body), 65536)])
    assert status == 413


def test_a_the_cap_leaves_room_for_every_message_the_channel_accepts(api_stack):
    """100,000 characters outside the BMP are 1.2 MB of JSON with the default escaping: the
    channel accepts them (cut before NLU), so the cap must too; one more character is the
    channel's own 413."""
    who = f"size-{uuid.uuid4().hex[:10]}"
    body = json.dumps({"sender": who, "message": "\U0001F600" * 100_000}).encode()
    assert len(body) > 1_000_000
    status, answer = post_json(api_stack.webhook, body)
    assert status == 200, str(answer)[:300]
    too_long = json.dumps({"sender": who, "message": "\U0001F600" * 100_001}).encode()
    status, answer = post_json(api_stack.webhook, too_long)
    assert status == 413 and "100000 characters" in answer["error"], answer


def test_a_nginx_in_front_of_rasa_has_the_same_cap(tmp_path):
    env = {**os.environ, "ACTION_PORT": "15055", "RASA_PORT": "15005",
           "ACTION_REPLICA_PORTS": "15056 15057", "RASA_REPLICA_PORTS": "15006 15007"}
    conf = subprocess.run(["bash", str(ROOT / "scripts" / "prod_nginx_conf.sh"), str(tmp_path)],
                          env=env, check=True, capture_output=True, text=True).stdout
    rasa_block = conf[conf.index("listen 15005;"):]
    rasa_block = rasa_block[:rasa_block.index("}")]
    match = re.search(r"client_max_body_size\s+(\d+)([km]?);", rasa_block)
    assert match, rasa_block
    factor = {"": 1, "k": 1024, "m": 1024 * 1024}[match.group(2)]
    assert int(match.group(1)) * factor == REQUEST_MAX_SIZE


# --- (b) no secret on a command line -----------------------------------------------------------

def command_lines() -> dict[int, bytes]:
    lines = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                lines[int(entry.name)] = (entry / "cmdline").read_bytes()
            except OSError:  # gone meanwhile
                pass
    return lines


def test_b_the_token_is_on_no_command_line(api_stack):
    lines = command_lines()
    launcher = lines[api_stack.procs["rasa"].pid]
    assert b"channels.launch" in launcher and b"--enable-api" in launcher  # the right process
    leaked = {pid: line.replace(b"\0", b" ") for pid, line in lines.items()
              if TOKEN.encode() in line}
    assert not leaked


def test_b_the_api_still_requires_that_token(api_stack):
    url = f"http://127.0.0.1:{api_stack.rasa_port}/conversations/x/tracker"

    def status(query: str = "") -> int:
        try:
            with urllib.request.urlopen(url + query, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as err:
            return err.code

    assert status() == 401
    assert status("?token=wrong") == 401
    assert status(f"?token={TOKEN}") == 200


SECRET_ON_A_COMMAND_LINE = re.compile(
    r"(--auth-token|--jwt-secret|--jwt-private-key|--ssl-password|\s-t)(=|\s+)[\"']?\$")


def test_b_no_script_or_manifest_passes_a_secret_as_an_argument():
    files = [*(ROOT / "scripts").glob("*.sh"),
             *(p for p in (ROOT / "deploy").rglob("*") if p.is_file())]
    assert any(p.name == "run_prod.sh" for p in files)
    found = [f"{p.relative_to(ROOT)}: {line.strip()}" for p in files
             for line in p.read_text(encoding="utf-8", errors="replace").splitlines()
             if SECRET_ON_A_COMMAND_LINE.search(line)]
    assert not found
    # The production profile and the image enable the API: the token comes from RASA_TOKEN.
    assert "--enable-api" in (ROOT / "scripts" / "run_prod.sh").read_text(encoding="utf-8")
    assert "--enable-api" in (ROOT / "deploy" / "docker" / "rasa.Dockerfile").read_text(
        encoding="utf-8")


def test_b_generated_prod_settings_put_no_secret_on_a_command_line(tmp_path):
    """`make run-prod` without deploy/prod.env generates its secrets: no command it runs may
    get one as an argument (strace records the arguments of every program started)."""
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed")
    out, trace = tmp_path / "prod.env", tmp_path / "trace"
    names = ["RASA_TOKEN", "PTSP_TRAINER_PASSWORD", "PTSP_WEB_SECRET", "PTSP_CHANNEL_TOKEN"]
    subprocess.run(
        [strace, "-f", "-qq", "-s", "100000", "-e", "trace=execve", "-o", str(trace),
         "bash", "-c", 'source scripts/common.sh; write_with_secrets "$@"', "bash",
         "deploy/prod.env.example", str(out), *names],
        cwd=ROOT, check=True, capture_output=True, timeout=60)
    recorded = trace.read_text(errors="replace")
    assert '"head"' in recorded  # the trace does see the programs the function starts
    example = (ROOT / "deploy" / "prod.env.example").read_text(encoding="utf-8").splitlines()
    written = out.read_text(encoding="utf-8").splitlines()
    assert len(written) == len(example)
    values = {}
    for old, new in zip(example, written, strict=True):
        key = old.split("=", 1)[0]
        if key in names:
            values[key] = new.split("=", 1)[1]
        else:
            assert new == old
    assert set(values) == set(names) and len(set(values.values())) == len(names)
    for key, value in values.items():
        assert len(value) >= 24 and not value.startswith("change-me"), key
        assert value not in recorded, f"{key} was an argument of a command"
    assert out.stat().st_mode & 0o777 == 0o600


# --- the launcher's argument handling (no server) ------------------------------------------------

RUN_API = ["run", "--model", "models", "--enable-api"]


def test_b_the_token_from_the_environment_is_added_inside_the_process():
    assert rasa_arguments(RUN_API, {"RASA_TOKEN": "s3cret"}) == [*RUN_API, "--auth-token",
                                                                 "s3cret"]
    assert rasa_arguments(RUN_API, {"RASA_JWT_SECRET": "j"})[-2:] == ["--jwt-secret", "j"]
    # nothing set, no API, other commands: unchanged
    assert rasa_arguments(RUN_API, {}) == RUN_API
    assert rasa_arguments(["run", "--model", "models"], {"RASA_TOKEN": "s"}) == [
        "run", "--model", "models"]
    assert rasa_arguments(["shell", "--enable-api"], {"RASA_TOKEN": "s"}) == [
        "shell", "--enable-api"]
    # an explicit option is kept and wins
    for explicit in (["--auth-token", "x"], ["--auth-token=x"], ["-t", "x"], ["-tx"]):
        args = [*RUN_API, *explicit]
        assert rasa_arguments(args, {"RASA_TOKEN": "s"}) == args


def test_b_the_token_file_must_be_private(tmp_path):
    path = tmp_path / "rasa_token"
    path.write_text("aus-der-datei\n")
    path.chmod(0o600)
    env = {"RASA_TOKEN_FILE": str(path)}
    assert rasa_arguments(RUN_API, env)[-2:] == ["--auth-token", "aus-der-datei"]
    assert rasa_arguments(RUN_API, {**env, "RASA_TOKEN": "var"})[-1] == "var"
    path.chmod(0o640)
    with pytest.raises(SecretError, match="chmod 600"):
        rasa_arguments(RUN_API, env)
    path.write_text("")
    path.chmod(0o600)
    with pytest.raises(SecretError, match="empty"):
        rasa_arguments(RUN_API, env)
    with pytest.raises(SecretError, match="cannot read"):
        rasa_arguments(RUN_API, {"RASA_TOKEN_FILE": str(tmp_path / "missing")})
