"""Tables or learning (issue 19, item 7): does a model trained on rated replies generalise better?

    .venv/bin/python bench/bench_learned.py

Trains the scorer's learned half (``actions/scoring/learned.py``: per dimension a ridge
regression over the reply's character n-grams, the citizen line's words, the move and the
tables' own scores) afresh on the
TUNING parts of every rated set (the dev set's tuning part, each author's dev families, the
red-team dev parts), and reports Spearman's rho on the HELD-OUT parts (whole families never
trained on) for: the tables alone, the model alone, and their blend. The figures decide what
the scorer keeps (docs/reading.md, "Tables or learning").
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from scipy.stats import spearmanr  # noqa: E402

from actions.scoring.learned import RatingModel, tuning_items  # noqa: E402
from actions.scoring.scorer import table_row  # noqa: E402
from tests.test_scoring_calibration import held_out  # noqa: E402

DIMENSIONS = ("politeness", "clarity", "responsiveness")
SETS = ROOT / "tests" / "scoring"


def _load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def held_out_parts() -> dict[str, list[dict[str, Any]]]:
    """{name: held-out items}: the parts nobody tuned on (whole families)."""
    dev = _load(SETS / "dev_set.jsonl")
    tests = {"dev set held-out part": [d for d in dev if held_out(d)],
             "independent set": _load(SETS / "held_out_independent.jsonl")}
    for path in sorted(SETS.glob("author_*.jsonl")) + sorted(SETS.glob("redteam_*.jsonl")):
        tests[f"{path.stem} held-out"] = [d for d in _load(path) if d.get("split") == "held_out"]
    return tests


def main() -> None:
    train, tests = tuning_items(), held_out_parts()
    model = RatingModel()  # the scorer's own learned half, fitted on the tuning parts only
    model.fit([table_row(d) for d in train], train)
    print(f"trained on {len(train)} rated replies (tuning parts only)")
    for name, items in tests.items():
        if not items:
            continue
        rows = [table_row(d) for d in items]
        row = [f"{name:34} n={len(items):3}"]
        for dim in DIMENSIONS:
            human = [d[dim] for d in items]
            tables = [r["scores"][dim] for r in rows]
            learned = [model.predict(r)[dim] for r in rows]
            ranks = (np.argsort(np.argsort(tables)) + np.argsort(np.argsort(learned))) / 2
            row.append(f"{dim[:5]} tables {spearmanr(human, tables).correlation:.3f} "
                       f"model {spearmanr(human, learned).correlation:.3f} "
                       f"blend {spearmanr(human, ranks).correlation:.3f}")
        print("  ".join(row))


if __name__ == "__main__":
    main()
