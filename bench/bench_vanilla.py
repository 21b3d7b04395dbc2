"""Turn latency as a ratio against a vanilla `rasa init` bot, measured in the same run.

    .venv/bin/python bench/bench_vanilla.py [--rounds 3] [--turns 30]

Trains the `rasa init` moodbot in a temporary folder (no custom actions), then alternates rounds:
the vanilla bot, then this project's stack (action server + Rasa, SQLite tracker store, scoring
on), both behind the REST channel with the same SQLite tracker store setting. One trainee sends
turns one after the other (a new conversation every visit: the seed visit here, the moodbot's
greet / mood / goodbye there). Prints p50 / p95 of each and the ratios ours / vanilla; also
the training time of the vanilla bot (ours: `bash bench/bench_train.sh`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.stack import (  # noqa: E402
    SEED,  # noqa: E402
    VENV_BIN,
    Stack,
    free_port,
    post_json,
    wait_http,
)

MOODBOT = ["hello", "I am sad", "yes", "bye"]


def vanilla_bot(workdir: Path) -> tuple[subprocess.Popen, str, float]:
    """Train (rasa init) and start the vanilla moodbot; returns process, webhook, train seconds."""
    bot = workdir / "vanilla"
    bot.mkdir()
    start = time.perf_counter()
    subprocess.run([str(VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(bot)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    trained = time.perf_counter() - start
    (bot / "endpoints.yml").write_text(
        f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{bot / "trackers.db"}"\n',
        encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen(
        [str(VENV_BIN / "rasa"), "run", "--model", str(bot / "models"), "--endpoints",
         str(bot / "endpoints.yml"), "--credentials", str(bot / "credentials.yml"),
         "--port", str(port)],
        cwd=bot, stdout=open(workdir / "vanilla.log", "ab"), stderr=subprocess.STDOUT,
        start_new_session=True)
    wait_http(f"http://127.0.0.1:{port}/", 300, proc)
    return proc, f"http://127.0.0.1:{port}/webhooks/rest/webhook", trained


def timed(send, script: list[str], turns: int) -> list[float]:
    out: list[float] = []
    while len(out) < turns:
        sender = f"bench-{uuid.uuid4().hex[:8]}"
        for text in script:
            start = time.perf_counter()
            status, _ = send(sender, text)
            out.append((time.perf_counter() - start) * 1000)
            assert status == 200, status
    return out


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 2 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--turns", type=int, default=30, help="turns per system per round")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-vanilla-"))
    proc, url, trained = vanilla_bot(workdir)
    stack = Stack(workdir / "ours")
    (workdir / "ours").mkdir()
    stack.start()
    ours_script = ['/start_scenario{"scenario":"renewal_complete"}', *SEED]
    vanilla, ours = [], []
    try:
        for _ in range(args.rounds):  # alternate, so both see the same machine
            vanilla += timed(lambda s, t: post_json(url, {"sender": s, "message": t}),
                             MOODBOT, args.turns)
            ours += timed(stack.say, ours_script, args.turns)
    finally:
        stack.stop()
        proc.terminate()
    v50, v95, o50, o95 = p(vanilla, 50), p(vanilla, 95), p(ours, 50), p(ours, 95)
    print(json.dumps({"vanilla_train_seconds": round(trained)}))
    print(f"vanilla rasa init bot: {len(vanilla)} turns, p50 {v50:.0f} ms, p95 {v95:.0f} ms")
    print(f"this project:          {len(ours)} turns, p50 {o50:.0f} ms, p95 {o95:.0f} ms")
    print(f"ratio ours / vanilla:  p50 {o50 / v50:.2f}x, p95 {o95 / v95:.2f}x")


if __name__ == "__main__":
    main()
