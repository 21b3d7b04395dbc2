"""Calibration of actions.scoring against human-rated replies.

tests/scoring/dev_set.jsonl: 528 clerk replies in context, rated 1-5 per dimension by the
guide in docs/rubric.md (208 from the first rubric, 320 added for the adversarial families of
issue 10: negation, keyword strings, polite-but-empty, blame, mixed language, vague time,
acronym-only explanations, multi-act replies, context). About 30 % of them (chosen by a hash
of the id, see `held_out`) were never looked at while tuning.
tests/scoring/held_out_independent.jsonl: 170 replies rated by a separate author who never
saw the scorer; only its aggregate figures were ever looked at.

Measured with rubric ptsp-rubric-2.0 (Spearman's rho scorer vs ratings; pairs ordered):
    tuning part (381):     politeness 0.906  clarity 0.847  responsiveness 0.822  206/206
    held-out part (147):   politeness 0.880  clarity 0.811  responsiveness 0.823   29/29
    independent (170):     politeness 0.801  clarity 0.802  responsiveness 0.777  121/124
    (ptsp-rubric-1.0 on the same independent set: 0.764 / 0.677 / 0.500, 110/124)
Thresholds below sit a little under these measurements.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, List

import pytest
from scipy.stats import spearmanr

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from actions.scoring import context, score_reply  # noqa: E402
from actions.scoring.learned import dev_set_held_out  # noqa: E402

DEV_SET = ROOT / "tests" / "scoring" / "dev_set.jsonl"
INDEPENDENT = ROOT / "tests" / "scoring" / "held_out_independent.jsonl"
DIMENSIONS = ("politeness", "clarity", "responsiveness")
SCENARIOS = set(context.SCENARIOS)
MOVES = set(context.MOVES)
RHO_ALL = {"politeness": 0.88, "clarity": 0.81, "responsiveness": 0.80}
RHO_HELD_OUT = {"politeness": 0.85, "clarity": 0.78, "responsiveness": 0.79}
RHO_INDEPENDENT = {"politeness": 0.77, "clarity": 0.77, "responsiveness": 0.74}


held_out = dev_set_held_out  # the ~30 % of items kept out of tuning (one definition)


def _load(path: Path) -> List[Dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _score(items: List[Dict]) -> List[Dict]:
    return [
        score_reply(d["reply"], d.get("customer_turn"), d.get("scenario"), d.get("move"),
                    d.get("honorific"), None, d.get("hour"))
        for d in items
    ]


@pytest.fixture(scope="module")
def dev_set() -> List[Dict]:
    return _load(DEV_SET)


@pytest.fixture(scope="module")
def scored(dev_set) -> List[Dict]:
    return _score(dev_set)


@pytest.fixture(scope="module")
def independent() -> List[Dict]:
    return _load(INDEPENDENT)


@pytest.fixture(scope="module")
def independent_scored(independent) -> List[Dict]:
    return _score(independent)


def test_dev_set_is_well_formed(dev_set, independent):
    assert len(dev_set) >= 500 and len(independent) >= 150
    assert not {d["id"] for d in dev_set} & {d["id"] for d in independent}
    assert len({d["id"] for d in dev_set}) == len(dev_set)
    assert {d["scenario"] for d in dev_set} == SCENARIOS
    assert {d["move"] for d in dev_set} == MOVES
    for d in dev_set:
        assert isinstance(d["reply"], str) and d["reply"]
        for dim in DIMENSIONS:
            assert d[dim] in (1, 2, 3, 4, 5), d["id"]
    pairs = defaultdict(int)
    for d in dev_set:
        if d.get("pair"):
            pairs[d["pair"]] += 1
    assert len(pairs) >= 100 and all(n in (2, 3) for n in pairs.values())
    held = sum(held_out(d) for d in dev_set)
    assert 0.2 * len(dev_set) < held < 0.4 * len(dev_set)


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_spearman_all_items(dev_set, scored, dimension):
    rho = spearmanr([d[dimension] for d in dev_set], [s[dimension] for s in scored]).correlation
    assert rho >= RHO_ALL[dimension], f"{dimension}: rho={rho:.3f}"


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_spearman_held_out_items(dev_set, scored, dimension):
    idx = [i for i, d in enumerate(dev_set) if held_out(d)]
    rho = spearmanr(
        [dev_set[i][dimension] for i in idx], [scored[i][dimension] for i in idx]
    ).correlation
    assert rho >= RHO_HELD_OUT[dimension], f"{dimension} (held out): rho={rho:.3f}"


def _misordered(items: List[Dict], scores: List[Dict]) -> tuple[int, List[str]]:
    by_pair = defaultdict(list)
    for i, d in enumerate(items):
        if d.get("pair"):
            by_pair[d["pair"]].append(i)
    checked, wrong = 0, []
    for pair, members in by_pair.items():
        for a in members:
            for b in members:
                for dim in DIMENSIONS if a < b else ():
                    gap = items[a][dim] - items[b][dim]
                    if abs(gap) < 2:
                        continue
                    checked += 1
                    if gap * (scores[a][dim] - scores[b][dim]) <= 0:
                        wrong.append(f"{pair}/{dim}: human {items[a][dim]} vs {items[b][dim]}, "
                                     f"scorer {scores[a][dim]} vs {scores[b][dim]}")
    return checked, wrong


def test_minimal_pairs_are_ordered(dev_set, scored):
    checked, wrong = _misordered(dev_set, scored)
    assert checked >= 200
    assert not wrong, wrong


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_spearman_independent_set(independent, independent_scored, dimension):
    rho = spearmanr([d[dimension] for d in independent],
                    [s[dimension] for s in independent_scored]).correlation
    assert rho >= RHO_INDEPENDENT[dimension], f"{dimension} (independent): rho={rho:.3f}"


def test_independent_pairs_mostly_ordered(independent, independent_scored):
    checked, wrong = _misordered(independent, independent_scored)
    assert checked >= 100 and len(wrong) <= 0.05 * checked, wrong


def test_the_scale_is_spread(dev_set, scored):
    """An expert's 1 lands below 30 on average, an expert's 5 above 80."""
    low = [s[dim] for d, s in zip(dev_set, scored, strict=True) for dim in DIMENSIONS
           if d[dim] == 1]
    high = [s[dim] for d, s in zip(dev_set, scored, strict=True) for dim in DIMENSIONS
            if d[dim] == 5]
    assert sum(low) / len(low) < 30 and sum(high) / len(high) > 80


def test_overall_tracks_mean_rating(dev_set, scored):
    mean = [sum(d[dim] for dim in DIMENSIONS) for d in dev_set]
    rho = spearmanr(mean, [s["overall"] for s in scored]).correlation
    assert rho >= 0.84, rho


def test_cli_batch_survives_bad_lines(tmp_path):
    lines = [
        json.dumps(
            {"id": "ok-1", "reply": "Selamat pagi, Bapak. Ada yang bisa kami bantu?", "hour": 9}
        ),
        "{this is not json",
        "",
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "no-reply", "customer_turn": "Berapa lama?"}),
        json.dumps({"reply": 42}),
        json.dumps({"reply": "Dua hari kerja, Bu.", "latency_seconds": "slow"}),
        json.dumps(
            {
                "id": 7,
                "reply": "Prosesnya 2 hari kerja, Bu.",
                "customer_turn": "Berapa lama prosesnya?",
                "scenario": "renewal_complete",
                "honorific": "Ibu",
            },
            ensure_ascii=False,
        ),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with path.open("rb") as fh:
        proc = subprocess.run(
            [sys.executable, "-m", "actions.scoring"],
            stdin=fh,
            capture_output=True,
            cwd=ROOT,
            env=env,
            timeout=300,
        )
    assert proc.returncode == 0, proc.stderr.decode()
    out = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert [o["line"] for o in out] == [1, 2, 4, 5, 6, 7, 8]  # blank line 3 skipped
    ok_first, bad_json, not_obj, missing, not_str, bad_type, ok_last = out
    assert (
        ok_first["id"] == "ok-1"
        and 0 <= ok_first["overall"] <= 100
        and ok_first["tips"] is not None
    )
    assert "invalid JSON" in bad_json["error"]
    assert "object" in not_obj["error"]
    assert missing["id"] == "no-reply" and "reply" in missing["error"]
    assert "string" in not_str["error"]
    assert "latency_seconds" in bad_type["error"]
    assert ok_last["id"] == 7 and "need_met:duration" in {e["signal"] for e in ok_last["evidence"]}
    assert ok_last["reading"]["concrete_time"] is True


def test_scorer_knows_exactly_the_contract_moves_of_the_domain():
    import yaml

    with open(ROOT / "domain.yml", encoding="utf-8") as handle:
        intents = set(yaml.safe_load(handle)["intents"])
    practice_controls = {"start_scenario", "selesai"}
    assert MOVES == (intents - practice_controls) | {"nlu_fallback"}
