"""Print the held-out NLU accuracy from `rasa test nlu` and fail below a floor."""

from __future__ import annotations

import argparse
import json
import sys


def main() -> int:
    """Read intent_report.json, print accuracy / macro F1, exit 1 below --min-accuracy."""
    parser = argparse.ArgumentParser()
    parser.add_argument("report")
    parser.add_argument("--min-accuracy", type=float, default=0.9)
    args = parser.parse_args()
    with open(args.report, encoding="utf-8") as handle:
        report = json.load(handle)
    accuracy = report["accuracy"]
    macro_f1 = report["macro avg"]["f1-score"]
    print(f"held-out NLU accuracy {accuracy:.3f}, macro F1 {macro_f1:.3f}")
    weak = sorted(
        (v["f1-score"], k) for k, v in report.items() if isinstance(v, dict) and "support" in v
        and k not in ("macro avg", "weighted avg", "micro avg")
    )[:3]
    print("weakest moves: " + ", ".join(f"{k} ({f:.2f})" for f, k in weak))
    if accuracy < args.min_accuracy:
        print(f"FAIL: accuracy below {args.min_accuracy}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
