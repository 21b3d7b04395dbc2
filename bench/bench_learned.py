"""Tables or learning (issue 19, item 7): does a model trained on rated replies generalise better?

    .venv/bin/python bench/bench_learned.py

Trains, per dimension, a ridge regression over the reply's character n-grams (of the one
normalised text), the citizen line's words and the table-based scorer's own scores, on the
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
from scipy.sparse import csr_matrix, hstack  # noqa: E402
from scipy.stats import spearmanr  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import Ridge  # noqa: E402

from actions.scoring import score_reply  # noqa: E402
from actions.scoring.nlu import normalise  # noqa: E402
from tests.test_scoring_calibration import held_out  # noqa: E402

DIMENSIONS = ("politeness", "clarity", "responsiveness")
SETS = ROOT / "tests" / "scoring"


def _load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def parts() -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """(training items, {name: held-out items}) — held-out parts are whole families."""
    train: list[dict[str, Any]] = []
    tests: dict[str, list[dict[str, Any]]] = {}
    dev = _load(SETS / "dev_set.jsonl")
    train += [d for d in dev if not held_out(d)]
    tests["dev set held-out part"] = [d for d in dev if held_out(d)]
    tests["independent set"] = _load(SETS / "held_out_independent.jsonl")
    for path in sorted(SETS.glob("author_*.jsonl")) + sorted(SETS.glob("redteam_*.jsonl")):
        items = _load(path)
        train += [d for d in items if d.get("split") == "dev"]
        tests[f"{path.stem} held-out"] = [d for d in items if d.get("split") == "held_out"]
    return train, tests


def _scores(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [score_reply(d["reply"], d.get("customer_turn"), d.get("scenario"), d.get("move"),
                        d.get("honorific"), None, d.get("hour")) for d in items]


def main() -> None:
    train, tests = parts()
    reply_vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                sublinear_tf=True)
    turn_vec = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=2)

    def features(items, scores, fit=False):
        replies = [normalise(d["reply"]) for d in items]
        turns = [normalise(d.get("customer_turn") or "") + f" __{d.get('scenario')}"
                 for d in items]
        rules = csr_matrix(np.array([[s[k] / 100 for k in (*DIMENSIONS, "overall")]
                                     for s in scores]) * 3)
        if fit:
            return hstack([reply_vec.fit_transform(replies), turn_vec.fit_transform(turns),
                           rules]).tocsr()
        return hstack([reply_vec.transform(replies), turn_vec.transform(turns), rules]).tocsr()

    train_scores = _scores(train)
    x_train = features(train, train_scores, fit=True)
    models = {dim: Ridge(alpha=1.0).fit(x_train, [d[dim] for d in train]) for dim in DIMENSIONS}
    print(f"trained on {len(train)} rated replies (tuning parts only)")
    for name, items in tests.items():
        if not items:
            continue
        scores = _scores(items)
        x = features(items, scores)
        row = [f"{name:34} n={len(items):3}"]
        for dim in DIMENSIONS:
            human = [d[dim] for d in items]
            rules = [s[dim] for s in scores]
            learned = models[dim].predict(x)
            ranks = (np.argsort(np.argsort(rules)) + np.argsort(np.argsort(learned))) / 2
            row.append(f"{dim[:5]} tables {spearmanr(human, rules).correlation:.3f} "
                       f"model {spearmanr(human, learned).correlation:.3f} "
                       f"blend {spearmanr(human, ranks).correlation:.3f}")
        print("  ".join(row))


if __name__ == "__main__":
    main()
