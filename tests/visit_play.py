"""Play a scripted visit offline through the same turn function the action server runs.

    .venv/bin/python -m tests.visit_play          # every visit of tests/visits/, one line each

No NLU here (the move is the script's, or none: the reading's acts alone drive the citizen);
the live REST tests play the same scripts through the trained model.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from actions import debrief, turn  # noqa: E402
from actions.datafiles import load_data  # noqa: E402
from actions.scoring import score_reply  # noqa: E402

VISITS = ROOT / "tests" / "visits"


def play(
    scenario: str, lines: list[str], honorific: str = "Bapak",
    moves: Optional[list[Optional[str]]] = None,
) -> dict[str, Any]:
    """Play ``lines`` as the clerk; returns the debrief plus the trace of the visit."""
    spec = load_data("scenarios")["scenarios"][scenario]
    state = turn.VisitState(scenario=scenario, mood=spec.get("start_mood", "calm"))
    records: list[dict[str, Any]] = []
    said: list[str] = []
    previous: Optional[str] = None
    ended_by = "trainee_finished"
    values = {"time_greeting": "pagi", "citizen_name": "Budi", "business_name": "Toko Budi"}
    for i, text in enumerate(lines):
        move = (moves[i] if moves else None) or "nlu_fallback"
        scores = score_reply(text, customer_turn=previous, scenario=scenario,
                             move=None if move == "nlu_fallback" else move,
                             honorific=honorific, hour=None,
                             known_terms=turn.known_terms(records),
                             open_need=turn.open_need(state))
        outcome = turn.take_turn(state, text, move, scores, customer_turn=previous,
                                 line_values=values, seed=f"{scenario}|{honorific}")
        if outcome.feeling.walked_out:
            ended_by = "walked_out"
        elif outcome.state.stage == "ended" and state.stage != "ended":
            ended_by = "closed"
        records.append(outcome.record)
        said.append(outcome.line.text)
        previous = outcome.line.text
        state = outcome.state
    result = debrief.build(scenario, records, ended_by, state.mood)
    result["trace"] = [
        (r["visit_event"], r["scores"]["overall"] if r["scores"] else None, r["mood_after"])
        for r in records
    ]
    result["citizen_lines"] = said
    result["records"] = records
    return result


def scripted_visits() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(VISITS.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out += [(data["scenario"], visit) for visit in data["visits"]]
    return out


def main() -> None:
    good, bad = [], []
    for scenario, visit in scripted_visits():
        honorific = "Ibu" if visit.get("citizen") == "ibu" else "Bapak"
        result = play(scenario, visit["turns"], honorific)
        overall = result["averages"]["overall"]
        expected = visit["expect"]["passes"]
        ok = "ok " if result["passed"] is expected else "BAD"
        (good if expected else bad).append(overall)
        unmet = [o["id"] for o in result["objectives"] if not o["met"]]
        print(f"{ok} {scenario:18} {visit['kind']:18} overall {overall:3} "
              f"passed={result['passed']!s:5} unmet={unmet} {[t[0] for t in result['trace']]}")
    if good and bad:
        mean_good = sum(good) / len(good)
        print(f"excellent mean {mean_good:.1f}, best failing {max(bad)}, "
              f"gap {mean_good - max(bad):.1f}")


if __name__ == "__main__":
    main()
