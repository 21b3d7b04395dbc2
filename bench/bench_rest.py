"""REST turn latency of the whole stack (Rasa server + action server + SQLite tracker store).

Starts its own servers on free ports (or uses --url of a running one), plays the seed visit
with N concurrent simulated trainees, and prints p50/p95/p99 latency, throughput and errors.

    .venv/bin/python bench/bench_rest.py --visits 20 --concurrency 1
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.stack import Stack, post_json  # noqa: E402
from tests.test_rest_visit import SEED  # noqa: E402


def play_visit(webhook: str) -> tuple[list[float], int]:
    """Play one seed visit; return per-turn latencies (s) and the number of failed turns."""
    sender = f"bench-{uuid.uuid4().hex[:12]}"
    latencies, errors = [], 0
    for message in SEED:
        start = time.perf_counter()
        status, body = post_json(webhook, {"sender": sender, "message": message})
        latencies.append(time.perf_counter() - start)
        if status != 200 or not body:
            errors += 1
    return latencies, errors


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="webhook of a running server (default: start one)")
    parser.add_argument("--visits", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--no-scoring", action="store_true",
                        help="start the action server with PTSP_SCORING=off (cost of scoring)")
    args = parser.parse_args()

    stack = None
    webhook = args.url
    if webhook is None:
        env = {"PTSP_SCORING": "off"} if args.no_scoring else {}
        stack = Stack(Path(tempfile.mkdtemp(prefix="bench-rest-")), env=env).start()
        webhook = stack.webhook
    try:
        play_visit(webhook)  # warm-up
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            results = list(pool.map(lambda _: play_visit(webhook), range(args.visits)))
        elapsed = time.perf_counter() - started
    finally:
        if stack is not None:
            stack.stop()
    latencies = [x for lat, _ in results for x in lat]
    errors = sum(err for _, err in results)
    ms = [x * 1000 for x in latencies]
    scoring = "off" if args.no_scoring else "on"
    print(f"REST turns: {len(ms)} in {elapsed:.1f}s, concurrency {args.concurrency}, "
          f"scoring {scoring}")
    print(
        f"latency ms: p50 {percentile(ms, 0.5):.0f}  p95 {percentile(ms, 0.95):.0f}  "
        f"p99 {percentile(ms, 0.99):.0f}  mean {statistics.mean(ms):.0f}"
    )
    print(f"throughput: {len(ms) / elapsed:.1f} turns/s   errors: {errors}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
