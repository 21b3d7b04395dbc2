"""Load and soak benchmark: N concurrent simulated trainees through the REST channel.

Each simulated trainee has its own sender id and plays visits one after another in that
conversation: ``/start_scenario{"scenario":"renewal_complete"}`` (the scene line, as the
"new visit" button of a client sends it), then the six seed visit lines of
``tests/test_rest_visit.py`` (SEED). It waits for each reply before it sends the next turn, as a
real trainee does (no think time: this is the worst case). A turn is an *error* when the status
is not 200, the body is empty, or the reply has no citizen line (for ``/start_scenario``: no
scene line). **Lost turns** = turns sent minus the ``user`` events that the tracker store holds
for those senders (read with SQLAlchemy, so ``--db-url`` may point at PostgreSQL too).

Client: a single asyncio event loop with one aiohttp session (one keep-alive connection per
trainee). Waiting on sockets costs next to nothing, so one process drives 50 trainees; the
client's own CPU share is measured and printed for every level so you can see that it is not
the bottleneck (a few per cent of one core at N = 50).

    .venv/bin/python bench/bench_load.py                      # N = 1,5,20,50, scoring on
    .venv/bin/python bench/bench_load.py --compare-scoring    # + a stack with scoring off
    .venv/bin/python bench/bench_load.py --concurrency 1,5 --visits-per-trainee 3
    .venv/bin/python bench/bench_load.py --url http://host:5005/webhooks/rest/webhook \\
        --db-url postgresql://rasa:pw@host/rasa               # a running server
    .venv/bin/python bench/bench_load.py --soak --minutes 10 --fresh-visits --think-seconds 1
                                                  # make soak: 20 trainees, RSS series

Without ``--url`` it starts its own action server and Rasa server (``tests/stack.py``: free
ports, SQLite tracker store in a temp dir); with ``--compare-scoring`` a second stack with
``PTSP_SCORING=off`` is started after the first one has been stopped (never both at once).
Server memory is the VmRSS of each server's process tree (``/proc/<pid>/status``, children
summed), read after the load (and every ``--sample-seconds`` in ``--soak``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.stack import (  # noqa: E402
    SEED,
    Stack,  # noqa: E402
    citizen_lines,
    is_scene_line,
    texts,
)

NEW_VISIT = '/start_scenario{"scenario":"renewal_complete"}'
VISIT = [NEW_VISIT, *SEED]


# ----------------------------------------------------------------------------- results


@dataclass
class Turn:
    sender: str
    index: int  # position in this sender's conversation (0-based)
    control: bool  # /start_scenario (not a clerk reply)
    sent: float  # wall clock (time.time()) when the request went out
    latency: float  # seconds until the whole reply was read
    ok: bool


@dataclass
class Level:
    label: str
    concurrency: int
    turns: list[Turn] = field(default_factory=list)
    sent_per_sender: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    client_cpu: float = 0.0  # CPU seconds of this (client) process during the level
    lost: Optional[int] = None
    rss: dict[str, float] = field(default_factory=dict)
    server_cpu: dict[str, float] = field(default_factory=dict)  # CPU s of each server tree

    @property
    def errors(self) -> int:
        return sum(not t.ok for t in self.turns)

    def ms(self) -> list[float]:
        return [t.latency * 1000 for t in self.turns]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# ----------------------------------------------------------------------------- the client


def reply_ok(message: str, status: int, body: Any) -> bool:
    if status != 200 or not body or not isinstance(body, list):
        return False
    if message == NEW_VISIT:
        return any(is_scene_line(t) for t in texts(body))
    return bool(citizen_lines(body))


async def say(
    session: aiohttp.ClientSession, webhook: str, sender: str, message: str
) -> tuple[int, Any]:
    try:
        async with session.post(webhook, json={"sender": sender, "message": message}) as resp:
            raw = await resp.read()
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            return resp.status, body
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return 0, None


async def trainee(
    session: aiohttp.ClientSession,
    webhook: str,
    sender: str,
    level: Level,
    deadline: Optional[float],
    visits: Optional[int],
    think: float = 0.0,
    fresh: bool = False,
) -> None:
    """Play visits one after another until ``deadline`` (monotonic) or ``visits`` are done.

    ``think``: mean seconds a trainee types before each turn (uniform 0.5–1.5 × think);
    ``fresh``: a new conversation per visit, as the web page does (sender ``<id>-v<n>``).
    """
    index = 0
    visit = 0
    rng = random.Random(sender)
    base_sender = sender
    if think > 0:  # trainees do not all press "send" in the same second
        await asyncio.sleep(rng.uniform(0, 2 * think))
    while visits is None or visit < visits:
        if fresh:
            sender, index = f"{base_sender}-v{visit}", 0
        for message in VISIT:
            if deadline is not None and time.monotonic() >= deadline:
                return
            if think > 0 and message != NEW_VISIT:
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))
                if deadline is not None and time.monotonic() >= deadline:
                    return
            sent = time.time()
            start = time.perf_counter()
            status, body = await say(session, webhook, sender, message)
            latency = time.perf_counter() - start
            level.sent_per_sender[sender] = level.sent_per_sender.get(sender, 0) + 1
            level.turns.append(
                Turn(sender, index, message == NEW_VISIT, sent, latency,
                     reply_ok(message, status, body))
            )
            index += 1
        visit += 1


def client_session(concurrency: int) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0, limit_per_host=0),
        timeout=aiohttp.ClientTimeout(total=300),
    )


async def run_level(
    webhook: str, label: str, concurrency: int, prefix: str,
    duration: Optional[float], visits: Optional[int], pids: dict[str, int],
    think: float = 0.0, fresh: bool = False,
) -> Level:
    level = Level(label, concurrency)
    async with client_session(concurrency) as session:
        deadline = time.monotonic() + duration if duration else None
        servers0 = server_cpu(pids)
        cpu0, t0 = time.process_time(), time.perf_counter()
        await asyncio.gather(*(
            trainee(session, webhook, f"{prefix}-t{i:03d}", level, deadline, visits,
                    think, fresh)
            for i in range(concurrency)
        ))
        level.elapsed = time.perf_counter() - t0
        level.client_cpu = time.process_time() - cpu0
        level.server_cpu = {k: v - servers0[k] for k, v in server_cpu(pids).items()}
    return level


async def warm_up(webhook: str, prefix: str, concurrency: int = 1, seconds: float = 0) -> None:
    """One visit (and, with ``seconds``, that long of load) on senders that are not counted."""
    async with client_session(concurrency) as session:
        await trainee(session, webhook, f"{prefix}-warm", Level("warm", 1), None, 1)
        if seconds > 0:
            deadline = time.monotonic() + seconds
            await asyncio.gather(*(
                trainee(session, webhook, f"{prefix}-warm{i:03d}", Level("warm", 1),
                        deadline, None)
                for i in range(concurrency)
            ))


# ----------------------------------------------------------------------------- tracker store


def _query(db_url: str, sql: str, prefix: str) -> list:
    """Rows of ``sql`` (with ``:p`` bound to ``prefix%``) from the tracker store at ``db_url``."""
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql), {"p": prefix + "%"}).fetchall()
    finally:
        engine.dispose()


def user_turns_in_store(db_url: str, prefix: str) -> dict[str, int]:
    """``user`` events per sender whose id starts with ``prefix`` (SQLAlchemy: SQLite or PG)."""
    rows = _query(db_url, "SELECT sender_id, COUNT(*) FROM events WHERE type_name = 'user' "
                          "AND sender_id LIKE :p GROUP BY sender_id", prefix)
    return {sender: count for sender, count in rows if sender.startswith(prefix)}


def events_per_sender(db_url: str, prefix: str) -> dict[str, int]:
    """All events per sender whose id starts with ``prefix`` (the size of each tracker)."""
    rows = _query(db_url, "SELECT sender_id, COUNT(*) FROM events WHERE sender_id LIKE :p "
                          "GROUP BY sender_id", prefix)
    return {sender: count for sender, count in rows if sender.startswith(prefix)}


def lost_turns(db_url: str, prefix: str, sent: dict[str, int]) -> int:
    stored = user_turns_in_store(db_url, prefix)
    return sum(max(0, n - stored.get(sender, 0)) for sender, n in sent.items())


def breakdown(db_url: str, prefix: str, level: Level) -> dict[str, float]:
    """Median ms per segment of a clerk turn, from client clocks and tracker event timestamps.

    in: request sent -> ``user`` event (HTTP, tracker load, NLU); process_turn: -> the
    ``action_process_turn`` ActionExecuted (policy + action server call incl. scoring); rest:
    -> the turn's last event (citizen line, close-visit action, action_listen); out: -> reply
    read by the client (tracker save, HTTP).
    """
    rows = _query(db_url, "SELECT sender_id, type_name, action_name, timestamp FROM events "
                          "WHERE sender_id LIKE :p ORDER BY id", prefix)
    per_sender: dict[str, list[list[tuple[str, Optional[str], float]]]] = {}
    for sender, type_name, action_name, ts in rows:
        turns = per_sender.setdefault(sender, [])
        if type_name == "user":
            turns.append([])
        if turns:
            turns[-1].append((type_name, action_name, float(ts)))
    segments: dict[str, list[float]] = {"in": [], "process_turn": [], "rest": [], "out": []}
    for turn in level.turns:
        stored = per_sender.get(turn.sender, [])
        if turn.control or not turn.ok or len(stored) != level.sent_per_sender[turn.sender]:
            continue
        events = stored[turn.index]
        user_ts = events[0][2]
        process = next((ts for t, a, ts in events
                        if t == "action" and a == "action_process_turn"), None)
        if process is None:
            continue
        last_ts = events[-1][2]
        received = turn.sent + turn.latency
        segments["in"].append(user_ts - turn.sent)
        segments["process_turn"].append(process - user_ts)
        segments["rest"].append(last_ts - process)
        segments["out"].append(received - last_ts)
    return {k: statistics.median(v) * 1000 for k, v in segments.items() if v}


# ----------------------------------------------------------------------------- memory


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def _tree(pid: int) -> list[int]:
    """``pid`` and all its live descendants."""
    kids = _children()
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(kids.get(current, []))
    return found


def _proc_text(pid: int, name: str) -> Optional[str]:
    try:
        with open(f"/proc/{pid}/{name}", encoding="utf-8") as fh:
            return fh.read()
    except OSError:
        return None  # the process is gone


def tree_rss_mb(pid: int) -> float:
    """VmRSS of ``pid`` and all its descendants, in MB (0 when the process is gone)."""
    total_kb = 0
    for current in _tree(pid):
        status = _proc_text(current, "status") or ""
        total_kb += next((int(line.split()[1]) for line in status.splitlines()
                          if line.startswith("VmRSS:")), 0)
    return total_kb / 1024


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its live descendants."""
    ticks = 0
    for current in _tree(pid):
        stat = _proc_text(current, "stat")
        if stat:
            fields = stat.rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def server_cpu(pids: dict[str, int]) -> dict[str, float]:
    return {name: tree_cpu_seconds(pid) for name, pid in pids.items()}


def server_rss(pids: dict[str, int]) -> dict[str, float]:
    return {name: tree_rss_mb(pid) for name, pid in pids.items()}


# ----------------------------------------------------------------------------- stacks


class Target:
    """Where the load goes: a stack started here, or a running server (``--url``)."""

    def __init__(self, args: argparse.Namespace, scoring: bool) -> None:
        self.stack: Optional[Stack] = None
        self.scoring = scoring
        self.keep = args.keep
        if args.url:
            self.webhook = args.url
            self.db_url = args.db_url
            self.pids = {k: v for k, v in (("rasa", args.rasa_pid),
                                           ("actions", args.actions_pid)) if v}
        else:
            env = {} if scoring else {"PTSP_SCORING": "off"}
            workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
            print(f"starting a stack (scoring {'on' if scoring else 'off'}) in {workdir} ...",
                  flush=True)
            t0 = time.perf_counter()
            self.stack = Stack(workdir, env=env).start()
            print(f"  ready in {time.perf_counter() - t0:.0f} s", flush=True)
            self.webhook = self.stack.webhook
            self.db_url = f"sqlite:///{self.stack.db_path}"
            self.pids = {name: self.stack.procs[name].pid for name in ("rasa", "actions")}

    def stop(self) -> None:
        if self.stack is not None:
            self.stack.stop()
            if self.keep:
                print(f"  logs and tracker store kept in {self.stack.workdir}")
            else:
                shutil.rmtree(self.stack.workdir, ignore_errors=True)


# ----------------------------------------------------------------------------- reports


def fmt_rss(rss: dict[str, float]) -> str:
    if not rss:
        return "n/a (pass --rasa-pid/--actions-pid for a running server)"
    return ", ".join(f"{name} {mb:.0f} MB" for name, mb in rss.items())


def table(levels: list[Level]) -> list[str]:
    lines = ["| N | turns | p50 ms | p95 ms | p99 ms | turns/s | errors | lost turns |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for lv in levels:
        ms = lv.ms()
        lost = "n/a" if lv.lost is None else str(lv.lost)
        lines.append(
            f"| {lv.concurrency} | {len(ms)} | {percentile(ms, .5):.0f} | "
            f"{percentile(ms, .95):.0f} | {percentile(ms, .99):.0f} | "
            f"{len(ms) / lv.elapsed:.1f} | {lv.errors} | {lost} |"
        )
    return lines


def side_by_side(left: list[str], right: list[str], titles: tuple[str, str]) -> str:
    width = max(len(line) for line in left)
    out = [f"{titles[0]:<{width}}    {titles[1]}"]
    out += [f"{a:<{width}}    {b}" for a, b in zip(left, right, strict=True)]
    return "\n".join(out)


def print_levels(title: str, levels: list[Level], breakdowns: dict[int, dict[str, float]],
                 rss: dict[str, float]) -> None:
    print(f"\n### {title}\n")
    print("\n".join(table(levels)))
    print("\nclient CPU (share of one core): " + ", ".join(
        f"N={lv.concurrency} {100 * lv.client_cpu / lv.elapsed:.0f}%" for lv in levels))
    if any(lv.server_cpu for lv in levels):
        print("server CPU per turn (ms of CPU time, independent of other load on the machine)"
              " and server CPU use (cores):")
        for lv in levels:
            per_turn = " + ".join(f"{k} {1000 * v / len(lv.turns):.0f}"
                                  for k, v in lv.server_cpu.items())
            cores = sum(lv.server_cpu.values()) / lv.elapsed
            print(f"  N={lv.concurrency}: {per_turn} ms; {cores:.2f} cores busy")
    print("p50 ms by visit number within the conversation (the tracker grows every visit):")
    for lv in levels:
        by_visit: dict[int, list[float]] = {}
        for t in lv.turns:
            by_visit.setdefault(t.index // len(VISIT) + 1, []).append(t.latency * 1000)
        shown = [v for v in sorted(by_visit) if v in (1, 2, 3) or v & (v - 1) == 0
                 or v == max(by_visit)]
        print(f"  N={lv.concurrency}: " + ", ".join(
            f"#{v} {percentile(by_visit[v], .5):.0f}" for v in shown))
    if breakdowns:
        print("median ms per clerk turn: in (HTTP+tracker load+NLU) | process_turn (policy + "
              "action server) | rest (citizen line, close-visit action) | out (save+reply)")
        for n, seg in breakdowns.items():
            print(f"  N={n}: " + " | ".join(f"{k} {v:.0f}" for k, v in seg.items()))
    print(f"server RSS after the load: {fmt_rss(rss)}")


# ----------------------------------------------------------------------------- modes


def run_load(args: argparse.Namespace, scoring: bool, run_id: str) -> tuple[list[Level], dict]:
    target = Target(args, scoring)
    tag = "on" if scoring else "off"
    levels: list[Level] = []
    breakdowns: dict[int, dict[str, float]] = {}
    try:
        asyncio.run(warm_up(target.webhook, f"load-{run_id}-{tag}"))
        for n in args.concurrency:
            prefix = f"load-{run_id}-{tag}-n{n}-"
            level = asyncio.run(run_level(
                target.webhook, tag, n, prefix.rstrip("-"),
                None if args.visits_per_trainee else args.duration, args.visits_per_trainee,
                target.pids, args.think_seconds, args.fresh_visits))
            if target.db_url:
                level.lost = lost_turns(target.db_url, prefix, level.sent_per_sender)
                breakdowns[n] = breakdown(target.db_url, prefix, level)
            ms = level.ms()
            print(f"  scoring {tag}, N={n}: {len(ms)} turns in {level.elapsed:.0f} s, "
                  f"p50 {percentile(ms, .5):.0f} ms, errors {level.errors}, "
                  f"lost {level.lost}", flush=True)
            levels.append(level)
        rss = server_rss(target.pids)
    finally:
        target.stop()
    return levels, {"breakdowns": breakdowns, "rss": rss}


def main_load(args: argparse.Namespace) -> int:
    run_id = uuid.uuid4().hex[:8]
    mode = (f"{args.visits_per_trainee} visits per trainee" if args.visits_per_trainee
            else f"{args.duration:.0f} s per level")
    print(f"bench_load: N = {','.join(map(str, args.concurrency))}, {mode}, "
          f"visit = /start_scenario + {len(SEED)} seed lines, "
          + (f"think time ~{args.think_seconds:g} s" if args.think_seconds else "no think time")
          + (", a new conversation per visit" if args.fresh_visits else
             ", visits follow each other in one conversation"))
    results = {}
    modes = [True, False] if args.compare_scoring else [not args.no_scoring]
    for scoring in modes:
        results[scoring] = run_load(args, scoring, run_id)
    for scoring in modes:
        levels, extra = results[scoring]
        print_levels(f"scoring {'on' if scoring else 'off'}", levels, extra["breakdowns"],
                     extra["rss"])
    if args.compare_scoring:
        on, off = results[True][0], results[False][0]
        print("\n### side by side\n")
        print(side_by_side(table(on), table(off), ("scoring on", "scoring off")))
        print("\n| N | p50 on/off | p95 on/off | turns/s on/off |\n|---:|---:|---:|---:|")
        for a, b in zip(on, off, strict=True):
            print(f"| {a.concurrency} | "
                  f"{percentile(a.ms(), .5) / percentile(b.ms(), .5):.2f} | "
                  f"{percentile(a.ms(), .95) / percentile(b.ms(), .95):.2f} | "
                  f"{(len(a.turns) / a.elapsed) / (len(b.turns) / b.elapsed):.2f} |")
    failed = sum(lv.errors + (lv.lost or 0) for levels, _ in results.values() for lv in levels)
    return 1 if failed and args.strict else 0


async def soak(args: argparse.Namespace, target: Target, prefix: str) -> tuple[Level, list]:
    n = args.concurrency[0]
    print(f"warm-up: {args.warmup_seconds:.0f} s of {n} trainees (not counted) ...", flush=True)
    await warm_up(target.webhook, prefix + "w", n, args.warmup_seconds)
    level = Level("soak", n)
    series: list[tuple[float, dict[str, float], int, float, int]] = []
    duration = args.minutes * 60
    deadline = time.monotonic() + duration
    t0 = time.perf_counter()
    cpu0 = time.process_time()

    seen = 0

    def sample() -> None:
        nonlocal seen
        window = [t.latency * 1000 for t in level.turns[seen:]]
        seen = len(level.turns)
        series.append((time.perf_counter() - t0, server_rss(target.pids), len(level.turns),
                       percentile(window, .5), level.errors))
        r = series[-1]
        print(f"  t={r[0]:4.0f} s  {fmt_rss(r[1])}  turns {r[2]}  "
              f"p50(window) {r[3]:.0f} ms  errors {r[4]}", flush=True)

    async def sampler() -> None:
        while True:
            await asyncio.sleep(args.sample_seconds)
            if time.monotonic() >= deadline - 1:
                return
            sample()

    sample()  # t = 0: right after the warm-up
    async with client_session(n) as session:
        sample_task = asyncio.create_task(sampler())
        await asyncio.gather(*(
            trainee(session, target.webhook, f"{prefix}-t{i:03d}", level, deadline, None,
                    args.think_seconds, args.fresh_visits)
            for i in range(n)
        ))
        sample_task.cancel()
        await asyncio.gather(sample_task, return_exceptions=True)
    level.elapsed = time.perf_counter() - t0
    level.client_cpu = time.process_time() - cpu0
    sample()  # the end: every trainee has had its last reply
    return level, series


def main_soak(args: argparse.Namespace) -> int:
    run_id = uuid.uuid4().hex[:8]
    n = args.concurrency[0]
    print(f"soak: {n} trainees for {args.minutes:g} min, RSS sampled every "
          f"{args.sample_seconds:.0f} s, scoring {'off' if args.no_scoring else 'on'}, "
          f"think time ~{args.think_seconds:g} s, "
          f"{'a new conversation per visit' if args.fresh_visits else 'one conversation each'}")
    target = Target(args, not args.no_scoring)
    prefix = f"soak-{run_id}"
    try:
        level, series = asyncio.run(soak(args, target, prefix))
        sizes = {}
        if target.db_url:
            level.lost = lost_turns(target.db_url, prefix + "-", level.sent_per_sender)
            sizes = events_per_sender(target.db_url, prefix + "-")
    finally:
        target.stop()
    ms = level.ms()
    print(f"\n### soak: {n} trainees, {args.minutes:g} min\n")
    print("| turns | turns/s | p50 ms | p95 ms | p99 ms | errors | lost turns |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {len(ms)} | {len(ms) / level.elapsed:.1f} | {percentile(ms, .5):.0f} | "
          f"{percentile(ms, .95):.0f} | {percentile(ms, .99):.0f} | {level.errors} | "
          f"{'n/a' if level.lost is None else level.lost} |")
    if series and series[0][1]:
        names = list(series[0][1])
        print("\n| t (s) | " + " | ".join(f"{k} MB" for k in names)
              + " | turns | p50 ms (since previous sample) |")
        print("|---:|" + "---:|" * (len(names) + 2))
        for elapsed, rss, turns, p50, _ in series:
            p50_txt = "" if p50 != p50 else f"{p50:.0f}"  # NaN -> blank
            print(f"| {elapsed:.0f} | " + " | ".join(f"{rss.get(k, 0):.0f}" for k in names)
                  + f" | {turns} | {p50_txt} |")
        first, last = series[0][1], series[-1][1]
        print("\nmemory growth (after warm-up -> end): " + ", ".join(
            f"{k} {first[k]:.0f} -> {last[k]:.0f} MB ({last[k] - first[k]:+.0f} MB, "
            f"{100 * (last[k] - first[k]) / first[k]:+.1f}%)" for k in names if first[k]))
    if sizes:
        print(f"tracker size at the end: {statistics.mean(sizes.values()):.0f} events per "
              f"conversation on average ({len(ms) / n:.0f} turns sent per trainee)")
    print(f"client CPU (share of one core): {100 * level.client_cpu / level.elapsed:.0f}%")
    return 1 if (level.errors or level.lost) and args.strict else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", default=None,
                        help="comma-separated trainee counts (default 1,5,20,50; soak: 20)")
    parser.add_argument("--duration", type=float, default=45,
                        help="seconds of load per level (default 45)")
    parser.add_argument("--visits-per-trainee", type=int, default=None,
                        help="play this many visits per trainee instead of --duration")
    parser.add_argument("--compare-scoring", action="store_true",
                        help="also run the load against a stack with PTSP_SCORING=off")
    parser.add_argument("--no-scoring", action="store_true",
                        help="only the stack with PTSP_SCORING=off (with --url: only the label)")
    parser.add_argument("--url", help="webhook of a running Rasa server (default: start a stack)")
    parser.add_argument("--db-url", help="SQLAlchemy URL of that server's tracker store "
                        "(lost turns), e.g. postgresql://user:pw@host/db")
    parser.add_argument("--rasa-pid", type=int, help="with --url: pid of the Rasa server (RSS)")
    parser.add_argument("--actions-pid", type=int, help="with --url: pid of the action server")
    parser.add_argument("--think-seconds", type=float, default=0.0,
                        help="mean typing time before each turn (default 0: no think time)")
    parser.add_argument("--fresh-visits", action="store_true",
                        help="a new conversation per visit, as the web page does")
    parser.add_argument("--soak", action="store_true",
                        help="soak: one level (default 20 trainees) for --minutes, RSS series")
    parser.add_argument("--minutes", type=float, default=10, help="soak length (default 10)")
    parser.add_argument("--sample-seconds", type=float, default=30,
                        help="soak: RSS sampling interval (default 30)")
    parser.add_argument("--warmup-seconds", type=float, default=30,
                        help="soak: load before the first RSS sample (default 30)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the started stacks' temp dirs (server logs, trackers.db)")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when any turn failed or was lost")
    args = parser.parse_args()
    default = "20" if args.soak else "1,5,20,50"
    args.concurrency = [int(x) for x in (args.concurrency or default).split(",") if x.strip()]
    if args.compare_scoring and args.url:
        parser.error("--compare-scoring starts its own stacks; it cannot be used with --url")
    return main_soak(args) if args.soak else main_load(args)


if __name__ == "__main__":
    sys.exit(main())
