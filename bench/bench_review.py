"""The review store at scale: the sessions page with 10,000 visits / 100,000 turns, and the
rebuild rate from the tracker store.

    .venv/bin/python bench/bench_review.py [--visits 10000] [--turns-per-visit 10]

1. Fills a scratch review store (SQLite) with ``--visits`` sessions of ``--turns-per-visit``
   turns each (rows as the ingest writes them), starts the real web service on it and times
   ``GET /review/api/sessions`` for pages of 50 — newest first, other sorts, deep pages,
   filters, a text search — against ``GET /healthz`` of the same server in the same run.
2. Writes ``--rebuild-conversations`` conversations of tracker events into a scratch SQLite
   tracker store and times ``ReviewIngest.rebuild`` (events per second).
Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from review.db import engine, sessions, trainees, turns  # noqa: E402
from review.ingest import ReviewIngest  # noqa: E402
from review.store import TrackerStore  # noqa: E402
from tests.stack import free_port, wait_http  # noqa: E402
from tests.test_review_data import visit_events  # noqa: E402

SCENARIOS = ["renewal_complete", "renewal_incomplete", "upset_customer", "confused_customer",
             "gratuity_offer"]
WORDS = ("selamat pagi bapak ibu dokumen tanda terima izin usaha mohon maaf silakan proses "
         "hari kerja biaya gratis kelurahan surat domisili terima kasih").split()


def fill(url: str, visits: int, per_visit: int) -> None:
    rng = random.Random(7)
    db = engine(url)
    t0 = 1_760_000_000.0
    for start in range(0, visits, 1000):
        session_rows, turn_rows = [], []
        for n in range(start, min(start + 1000, visits)):
            trainee = f"P{n % 400:04d}"
            sender = f"web.{trainee}.{n:016x}"
            sid = f"{sender}:1"
            scores = {d: rng.randint(20, 95) for d in ("politeness", "clarity",
                                                       "responsiveness", "overall")}
            finished = n % 5 != 0
            summary = {"id": sid, "sender_id": sender, "visit": 1, "trainee_id": trainee,
                       "trainee_name": f"Peserta {n % 400}", "scenario": SCENARIOS[n % 5],
                       "exam_mode": n % 7 == 0, "started": None, "duration_seconds": 300,
                       "turns": per_visit, "scored_turns": per_visit, "finished": finished,
                       "passed": finished and scores["overall"] >= 60, **scores}
            session_rows.append({
                "id": sid, "sender_id": sender, "visit": 1, "trainee_id": trainee,
                "trainee_name": summary["trainee_name"], "web": True,
                "scenario": summary["scenario"], "exam_mode": summary["exam_mode"],
                "started": t0 + n * 60, "duration_seconds": 300, "turns": per_visit,
                "finished": finished, "passed": summary["passed"], **scores,
                "summary": json.dumps(summary), "detail": json.dumps({**summary, "turns": []})})
            for k in range(per_visit):
                reply = " ".join(rng.choice(WORDS) for _ in range(12))
                turn_rows.append({"session_id": sid, "turn": k + 1, "sender_id": sender,
                                  "trainee_id": trainee, "scenario": summary["scenario"],
                                  "started": t0 + n * 60, "reply": reply, **scores,
                                  "reading": None, "data": json.dumps({"reply": reply})})
        with db.begin() as conn:
            conn.execute(sa.insert(sessions), session_rows)
            conn.execute(sa.insert(turns), turn_rows)
    with db.begin() as conn:
        conn.execute(sa.insert(trainees), [
            {"trainee_id": f"P{i:04d}", "name": f"Peserta {i}", "web": True,
             "sessions": visits // 400, "last_started": t0} for i in range(400)])


def timed_get(url: str, token: str) -> float:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    began = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
    return (time.perf_counter() - began) * 1000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def bench_pages(visits: int, per_visit: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        review_url = f"sqlite:///{data / 'review.db'}"
        began = time.perf_counter()
        fill(review_url, visits, per_visit)
        print(f"filled the review store: {visits:,} visits, {visits * per_visit:,} turns "
              f"in {time.perf_counter() - began:.0f} s")
        port = free_port()
        env = {**os.environ, "PTSP_DATA_DIR": str(data), "WEB_PORT": str(port),
               "PTSP_TRAINER_PASSWORD": "bench-bersama-rahasia",
               "PTSP_TRACKER_DB_URL": f"sqlite:///{data / 'trackers.db'}",
               "PTSP_BROKER_DB_URL": f"sqlite:///{data / 'broker.db'}"}
        # scripts use an account's API token (the shared password is never a Bearer token)
        python = str(ROOT / ".venv/bin/python")
        subprocess.run([python, "-m", "review", "users", "add", "bench", "--role", "admin",
                        "--password-stdin"], input="bench-admin-rahasia\n", text=True, env=env,
                       cwd=ROOT, check=True, capture_output=True)
        token = subprocess.run([python, "-m", "review", "users", "token", "bench"], text=True,
                               env=env, cwd=ROOT, check=True, capture_output=True
                               ).stdout.strip()
        web = subprocess.Popen([str(ROOT / ".venv/bin/python"), "-m", "web", "--host",
                                "127.0.0.1"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_http(f"{base}/healthz", 60, web)
            queries = ["", "sort=overall&order=asc", "sort=trainee_id", "page=150",
                       "page=199&sort=clarity", "passed=tidak", "finished=ya&exam=ya",
                       "scenario=upset_customer&page=3", "trainee=P0123",
                       "since=2025-10-20&until=2025-10-25", "q=tanda%20terima",
                       "q=domisili&sort=overall"]
            for q in queries:  # warm-up
                timed_get(f"{base}/review/api/sessions?{q}", token)
            pages = {q: [timed_get(f"{base}/review/api/sessions?{q}", token)
                         for _ in range(rounds)] for q in queries}
            health = [timed_get(f"{base}/healthz", token) for _ in range(rounds * 4)]
        finally:
            web.terminate()
            web.wait(timeout=20)
        every = [v for values in pages.values() for v in values]
        ref = percentile(health, 0.95)
        print(f"GET /healthz (reference): p50 {statistics.median(health):.1f} ms, "
              f"p95 {ref:.1f} ms")
        print(f"GET /review/api/sessions, page of 50, {len(every)} requests over "
              f"{len(queries)} kinds: p50 {statistics.median(every):.1f} ms, "
              f"p95 {percentile(every, 0.95):.1f} ms "
              f"({percentile(every, 0.95) / ref:.1f}x /healthz p95); goal p95 <= 200 ms")
        for q, values in pages.items():
            print(f"  {q or '(newest first)':<40} p50 {statistics.median(values):7.1f} ms"
                  f"  p95 {percentile(values, 0.95):7.1f} ms")


def bench_rebuild(conversations: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = TrackerStore(f"sqlite:///{Path(tmp) / 'trackers.db'}")
        store.events.metadata.create_all(store.engine)
        rows = []
        for n in range(conversations):
            sender = f"web.R{n % 50:03d}.{n:016x}"
            for event in visit_events(f"R{n % 50:03d}", t0=1_760_000_000.0 + n * 60):
                rows.append({"sender_id": sender, "type_name": event["event"],
                             "timestamp": event["timestamp"], "data": json.dumps(event)})
        with store.engine.begin() as conn:
            conn.execute(sa.insert(store.events), rows)
        ingest = ReviewIngest(store, f"sqlite:///{Path(tmp) / 'review.db'}")
        first = ingest.rebuild()
        again = ingest.rebuild()
        print(f"rebuild: {first.conversations:,} conversations, {first.events:,} events -> "
              f"{first.sessions:,} sessions, {first.turns:,} turns in {first.seconds:.1f} s: "
              f"{first.rate():,.0f} events/s (replayed: {again.rate():,.0f} events/s, "
              f"same rows)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=10_000)
    parser.add_argument("--turns-per-visit", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--rebuild-conversations", type=int, default=3_000)
    args = parser.parse_args()
    bench_pages(args.visits, args.turns_per_visit, args.rounds)
    bench_rebuild(args.rebuild_conversations)


if __name__ == "__main__":
    main()
