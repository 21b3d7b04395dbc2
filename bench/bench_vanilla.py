"""This project against a vanilla `rasa init` bot, side by side on the same machine, in one run.

    .venv/bin/python bench/bench_vanilla.py [--rounds 2] [--seconds 40] [--typists 100]

Trains the `rasa init` moodbot in a temporary folder (its training time is printed too), starts
it and this project's stack (action server + Rasa, SQLite tracker stores for both, scoring on),
and then alternates the two systems, round after round, through three loads:

1. **one trainee**, turn after turn without pause: p50 latency;
2. **typing trainees** (default 100): each plays visits in a new conversation, ~5 s between
   replies (uniform 2.5-7.5 s): p95 latency;
3. **saturation**: 20 trainees without pause: turns per second.

A visit here is `/start_scenario` + the seed visit (shared/seeds/004); the vanilla bot's is
the moodbot's hello / sad / yes / bye. Prints the figures and the ratios ours / vanilla with
the goals of issue 14 (p50 <= 1.1x, p95 <= 1.3x, saturation >= 0.9x).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.stack import SEED, VENV_BIN, Stack, free_port, wait_http  # noqa: E402

MOODBOT = ["hello", "I am sad", "yes", "bye"]
OURS = ['/start_scenario{"scenario":"renewal_complete"}', *SEED]


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


async def trainee(http: aiohttp.ClientSession, url: str, script: list[str], name: str,
                  deadline: float, think: float, out: list[float]) -> None:
    """Visits one after another (a new conversation each) until the deadline."""
    rng = random.Random(name)
    if think:
        await asyncio.sleep(rng.uniform(0, 2 * think))  # not all in the same second
    visit = 0
    while time.monotonic() < deadline:
        sender = f"{name}-v{visit}-{uuid.uuid4().hex[:6]}"
        for index, text in enumerate(script):
            if think and index:
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))
            if time.monotonic() >= deadline:
                return
            start = time.perf_counter()
            async with http.post(url, json={"sender": sender, "message": text}) as response:
                await response.read()
                if response.status != 200:
                    raise RuntimeError(f"{url}: HTTP {response.status} for {text!r}")
            out.append((time.perf_counter() - start) * 1000)
        visit += 1


async def load(url: str, script: list[str], trainees: int, seconds: float, think: float
               ) -> tuple[list[float], float]:
    """Latencies (ms) of every turn and the turns per second of one load."""
    latencies: list[float] = []
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=300)) as http:
        deadline = time.monotonic() + seconds
        start = time.perf_counter()
        await asyncio.gather(*(trainee(http, url, script, f"b{i:03d}", deadline, think,
                                       latencies) for i in range(trainees)))
        elapsed = time.perf_counter() - start
    return latencies, len(latencies) / elapsed


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if values else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=40, help="length of each load")
    parser.add_argument("--typists", type=int, default=100)
    parser.add_argument("--think", type=float, default=5.0)
    parser.add_argument("--saturation-trainees", type=int, default=20)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-vanilla-"))
    proc, vanilla_url, trained = vanilla_bot(workdir)
    (workdir / "ours").mkdir()
    stack = Stack(workdir / "ours")
    stack.start()
    systems = {"vanilla": (vanilla_url, MOODBOT), "ours": (stack.webhook, OURS)}
    loads = {"one": (1, 0.0), "typing": (args.typists, args.think),
             "saturation": (args.saturation_trainees, 0.0)}
    results: dict[str, dict[str, Any]] = {
        s: {k: {"ms": [], "rate": []} for k in loads} for s in systems}
    try:
        for url, script in systems.values():  # warm both (first-call costs)
            asyncio.run(load(url, script, 2, 5, 0.0))
        for _ in range(args.rounds):  # alternate, so both see the same machine
            for kind, (trainees, think) in loads.items():
                for name, (url, script) in systems.items():
                    ms, rate = asyncio.run(load(url, script, trainees, args.seconds, think))
                    results[name][kind]["ms"] += ms
                    results[name][kind]["rate"].append(rate)
    finally:
        stack.stop()
        proc.terminate()
    figures = {}
    for name in systems:
        r = results[name]
        figures[name] = {
            "one_trainee_p50_ms": round(pct(r["one"]["ms"], 0.5), 1),
            f"{args.typists}_typing_p95_ms": round(pct(r["typing"]["ms"], 0.95), 1),
            f"{args.typists}_typing_p50_ms": round(pct(r["typing"]["ms"], 0.5), 1),
            "saturation_turns_per_s": round(sum(r["saturation"]["rate"])
                                            / len(r["saturation"]["rate"]), 1),
            "turns": sum(len(r[k]["ms"]) for k in loads),
        }
    o, v = figures["ours"], figures["vanilla"]
    ratios = {
        "one_trainee_p50": round(o["one_trainee_p50_ms"] / v["one_trainee_p50_ms"], 2),
        f"{args.typists}_typing_p95": round(o[f"{args.typists}_typing_p95_ms"]
                                             / v[f"{args.typists}_typing_p95_ms"], 2),
        "saturation": round(o["saturation_turns_per_s"] / v["saturation_turns_per_s"], 2),
    }
    print(json.dumps({"vanilla_train_seconds": round(trained), "figures": figures,
                      "ratios_ours_over_vanilla": ratios}, indent=1))
    print(f"1 trainee p50:            {ratios['one_trainee_p50']:.2f}x vanilla (goal <= 1.10)")
    print(f"{args.typists} typing trainees p95: "
          f"{ratios[f'{args.typists}_typing_p95']:.2f}x vanilla (goal <= 1.30)")
    print(f"saturation turns/s:       {ratios['saturation']:.2f}x vanilla (goal >= 0.90)")


if __name__ == "__main__":
    main()
