"""How far the judgement agrees with experts: prints the figures of README's judgement section.

    .venv/bin/python bench/bench_judgement.py           # rated replies + visits offline (~20 s)
    .venv/bin/python bench/bench_judgement.py --live    # + every visit played through REST

Rated replies: Spearman's rho of each dimension against the ratings and the share of minimal
pairs ordered right, for the tuning part of tests/scoring/dev_set.jsonl, its held-out part and
the independent held-out set. Visits: every visit of tests/visits/ played through the action
server's turn function (offline: no NLU) and, with --live, through the REST channel of a real
Rasa + action server stack; verdicts against the experts', the mean visit score of the visits
that should pass, the best visit score of those that should fail, and the citizen's repeats.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scipy.stats import spearmanr  # noqa: E402

from actions.scoring import SCORER_VERSION, score_reply  # noqa: E402
from tests.test_scoring_calibration import held_out  # noqa: E402
from tests.visit_play import play, scripted_visits  # noqa: E402

DIMENSIONS = ("politeness", "clarity", "responsiveness")


def _load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _mean(values: list[int]) -> str:
    return f"{sum(values) / len(values):.0f}" if values else "–"


def rated(name: str, items: list[dict[str, Any]], verbose: bool = False) -> None:
    scores = [score_reply(d["reply"], d.get("customer_turn"), d.get("scenario"), d.get("move"),
                          d.get("honorific"), None, d.get("hour")) for d in items]
    rho = {dim: spearmanr([d[dim] for d in items], [s[dim] for s in scores]).correlation
           for dim in DIMENSIONS}
    pairs: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(items):
        if d.get("pair"):
            pairs[d["pair"]].append(i)
    checked = right = 0
    for members in pairs.values():
        for a in members:
            for b in (m for m in members if m > a):
                for dim in DIMENSIONS:
                    gap = items[a][dim] - items[b][dim]
                    if abs(gap) >= 2:
                        checked += 1
                        right += gap * (scores[a][dim] - scores[b][dim]) > 0
    bad = [(d, s) for d, s in zip(items, scores, strict=True) if d.get("expert_bad")]
    bad_high = [d["id"] for d, s in bad if s["overall"] >= 70]
    good_low = [d["id"] for d, s in zip(items, scores, strict=True)  # the expert's overall
                if d.get("expert", min(d[dim] for dim in DIMENSIONS)) >= 4  # rating where given:
                and s["overall"] < 60]  # a polite, clear reply can still be a bad one
    low = [s[dim] for d, s in zip(items, scores, strict=True) for dim in DIMENSIONS if d[dim] == 1]
    high = [s[dim] for d, s in zip(items, scores, strict=True) for dim in DIMENSIONS if d[dim] == 5]
    print(f"{name:28} n={len(items):3}  rho politeness {rho['politeness']:.3f}  clarity "
          f"{rho['clarity']:.3f}  responsiveness {rho['responsiveness']:.3f}  pairs "
          f"{right}/{checked}  expert 1 -> {_mean(low)}, 5 -> {_mean(high)}"
          + (f"  expert-bad >= 70: {len(bad_high)}/{len(bad)}" if bad else "")
          + f"  rated >= 4 scoring < 60: {len(good_low)}"
          + (f" {bad_high + good_low}" if verbose and (bad_high or good_low) else ""))


def summarise(name: str, results: list[tuple[str, dict[str, Any], dict[str, Any], list[str]]]):
    good, bad, wrong, repeats = [], [], [], 0
    for scenario, visit, debrief, lines in results:
        expected = visit["expect"]["passes"]
        (good if expected else bad).append(debrief["averages"]["overall"])
        if debrief["passed"] is not expected:
            wrong.append(f"{scenario}/{visit['kind']}")
        repeats += len(lines) - len(set(lines))
    print(f"{name:28} visits {len(results)}: verdicts right {len(results) - len(wrong)}, "
          f"excellent mean {sum(good) / len(good):.1f}, best failing {max(bad)}, gap "
          f"{sum(good) / len(good) - max(bad):.1f}, repeated citizen lines {repeats}"
          + (f"; wrong: {wrong}" if wrong else ""))


def offline(visits) -> list:
    out = []
    for scenario, visit in visits:
        honorific = "Ibu" if visit.get("citizen") == "ibu" else "Bapak"
        result = play(scenario, visit["turns"], honorific)
        out.append((scenario, visit, result, result["citizen_lines"]))
    return out


def live(visits) -> list:
    from tests.stack import Stack

    stack = Stack(Path(tempfile.mkdtemp(prefix="judgement-"))).start()
    out = []
    try:
        for scenario, visit in visits:
            sender = f"judge-{uuid.uuid4().hex[:10]}"
            start = {"scenario": scenario, "citizen": visit.get("citizen", "bapak")}
            stack.say(sender, "/start_scenario" + json.dumps(start))
            lines, debrief = [], None
            for text in visit["turns"]:
                _, body = stack.say(sender, text)
                for message in body or []:
                    custom = message.get("custom") or {}
                    if custom.get("type") == "debrief":
                        debrief = custom
                    elif message.get("type") == "citizen":
                        lines.append(message["text"])
            if debrief is None:
                _, body = stack.say(sender, "/selesai")
                debrief = next(m["custom"] for m in body if (m.get("custom") or {}).get(
                    "type") == "debrief")
            out.append((scenario, visit, debrief, lines))
    finally:
        stack.stop()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--live", action="store_true", help="also play the visits through REST")
    parser.add_argument("--verbose", action="store_true", help="list the dev items judged wrong")
    args = parser.parse_args()
    print(f"scorer {SCORER_VERSION}")
    dev = _load(ROOT / "tests" / "scoring" / "dev_set.jsonl")
    rated("dev set, tuning part", [d for d in dev if not held_out(d)])
    rated("dev set, held-out part", [d for d in dev if held_out(d)])
    rated("independent held-out set", _load(ROOT / "tests" / "scoring" /
                                            "held_out_independent.jsonl"))
    # rated sets of independent authors (issue 19): whole families held out, never tuned on
    sets = ROOT / "tests" / "scoring"
    for path in sorted(sets.glob("author_*.jsonl")) + sorted(sets.glob("redteam_*.jsonl")):
        items = _load(path)
        for split in ("dev", "held_out"):
            part = [d for d in items if d.get("split") == split]
            if part:
                rated(f"{path.stem}, {split}", part, verbose=args.verbose and split == "dev")
    visits_dir = ROOT / "tests" / "visits"
    groups = {
        "expert visits": sorted(p for p in visits_dir.glob("*.yml")
                                if not p.name.startswith(("playtest", "author_", "redteam"))),
        "play-tester visits": sorted(visits_dir.glob("playtest*.yml")),
        "author D visits, dev": sorted(visits_dir.glob("author_*.yml")),
        "author D visits, held-out": sorted((visits_dir / "heldout").glob("author_*.yml")),
        "red-team visits, dev": sorted(visits_dir.glob("redteam*.yml")),
        "red-team and play-tester visits, held-out": sorted(
            p for p in (visits_dir / "heldout").glob("*.yml") if not p.name.startswith("author_")),
    }
    for name, paths in groups.items():
        visits = scripted_visits(paths)
        if not visits:
            continue
        summarise(f"{name} offline", offline(visits))
        if args.live:
            summarise(f"{name} live (REST)", live(visits))


if __name__ == "__main__":
    main()
