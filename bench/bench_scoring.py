"""Throughput benchmark for actions.scoring.score_reply (single process, one core).

    taskset -c 0 .venv/bin/python bench/bench_scoring.py [--n 5000]

Builds a few thousand varied replies (dev-set replies, recombined, with casing,
typo, length and context variations), warms up, then reports replies/s and
mean / p95 milliseconds per call.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Dict, List

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from actions.scoring import SCORER_VERSION, score_reply  # noqa: E402

DEV_SET = ROOT / "tests" / "scoring" / "dev_set.jsonl"
EXTRA = [
    "",
    "   ",
    "😊😊😊",
    "<p>Baik, <b>Bapak</b></p>",
    "OK",
    "asdfgh qwrtz",
    "Please wait here.",
    "Baik Bapak " * 300,
    "Mohon ditunggu\x00\x07 sebentar",
]


def build_inputs(n: int, seed: int = 7) -> List[Dict[str, Any]]:
    """n varied scorer inputs derived from the dev set."""
    rows = [
        json.loads(line)
        for line in DEV_SET.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    rng = random.Random(seed)
    out: List[Dict[str, Any]] = []
    while len(out) < n:
        a, b = rng.choice(rows), rng.choice(rows)
        kind = rng.random()
        reply = a["reply"]
        if kind < 0.15:
            reply = reply.lower()
        elif kind < 0.25:
            reply = f"{reply} {b['reply']}"
        elif kind < 0.30:
            reply = reply.upper()
        elif kind < 0.35:
            reply = rng.choice(EXTRA)
        elif kind < 0.40:
            reply = reply.replace("a", "", 2)
        out.append(
            {
                "reply": reply,
                "customer_turn": a.get("customer_turn")
                if rng.random() < 0.9
                else b.get("customer_turn"),
                "scenario": a.get("scenario"),
                "move": a.get("move") if rng.random() < 0.5 else None,
                "honorific": a.get("honorific"),
                "latency_seconds": rng.choice([None, 5.0, 90.0, 300.0]),
                "hour": rng.choice([None, 8, 12, 16, 20]),
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=5000, help="number of timed calls")
    args = parser.parse_args()
    inputs = build_inputs(args.n)
    t0 = time.perf_counter()
    score_reply("Selamat pagi, Bapak.")  # loads spaCy tokenizer, tables and lexicons
    load_s = time.perf_counter() - t0
    for kw in inputs[:300]:  # warm-up (token cache, regex caches)
        score_reply(**kw)
    times = []
    start = time.perf_counter()
    cpu_start = time.process_time()
    for kw in inputs:
        t = time.perf_counter()
        score_reply(**kw)
        times.append(time.perf_counter() - t)
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"scorer {SCORER_VERSION}: {len(inputs)} replies in {total:.2f} s")
    print(
        f"throughput: {len(inputs) / total:,.0f} replies/s wall clock, "
        f"{len(inputs) / cpu:,.0f} replies/s per CPU-second (single process)"
    )
    print(
        f"latency: mean {statistics.mean(times) * 1000:.3f} ms, p95 {p95 * 1000:.3f} ms, "
        f"max {times[-1] * 1000:.2f} ms"
    )
    print(f"first call (loading): {load_s:.2f} s")


if __name__ == "__main__":
    main()
