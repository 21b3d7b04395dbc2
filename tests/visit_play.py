"""Play a scripted visit offline through the same turn function the action server runs.

    .venv/bin/python -m tests.visit_play          # every visit of tests/visits/, one line each
    .venv/bin/python -m tests.visit_play --file my_visits.yml --transcript
                                                  # other visits (same format), full transcript

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
    replies: list[str] = []
    previous: Optional[str] = None
    ended_by = "trainee_finished"
    name = "Sari Wulandari" if honorific == "Ibu" else "Budi Santoso"
    values = {"time_greeting": "pagi", "citizen_name": name, "business_name": "Toko Berkah",
              "how_to_go_on": "Ketik /selesai untuk melihat ringkasan latihan."}
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
        replies.append(" ".join(filter(None, [
            outcome.tone_line.text if outcome.tone_line else "", outcome.line.text])))
        if outcome.tone_line is not None:
            said.append(outcome.tone_line.text)
        said.append(outcome.line.text)
        previous = outcome.line.text
        state = outcome.state
    result = debrief.build(scenario, records, ended_by, state.mood)
    result["trace"] = [
        (r["visit_event"], r["scores"]["overall"] if r["scores"] else None, r["mood_after"])
        for r in records
    ]
    result["citizen_lines"] = said
    result["replies"] = replies
    result["records"] = records
    return result


def scripted_visits(paths: Optional[list[Path]] = None) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in paths or sorted(VISITS.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out += [(data["scenario"], visit) for visit in data["visits"]]
    return out


def transcript(result: dict[str, Any]) -> str:
    """The visit as a trainee would read it: lines, scores, tips, evidence labels, debrief."""
    out = []
    for record, line in zip(result["records"], result["replies"], strict=True):
        scores = record["scores"] or {}
        out.append(f"  PETUGAS : {record['reply']}")
        out.append(f"    nilai  : sopan {scores.get('politeness')} jelas {scores.get('clarity')} "
                   f"responsif {scores.get('responsiveness')} total {scores.get('overall')} "
                   f"(suasana hati: {record['mood_after']})")
        for tip in scores.get("tips") or []:
            out.append(f"    saran  : {tip}")
        labels = [f"{e['label']} {e['effect']:+d}" for e in scores.get("evidence") or []]
        out.append(f"    bukti  : {'; '.join(labels)}")
        out.append(f"  WARGA   : {line}")
    out.append("  " + debrief.as_text(result).replace("\n", "\n  "))
    return "\n".join(out)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--file", type=Path, action="append", help="YAML file(s) of visits")
    parser.add_argument("--transcript", action="store_true", help="print every visit in full")
    args = parser.parse_args()
    good, bad = [], []
    for scenario, visit in scripted_visits(args.file):
        honorific = "Ibu" if visit.get("citizen") == "ibu" else "Bapak"
        result = play(scenario, visit["turns"], honorific)
        overall = result["averages"]["overall"]
        expected = (visit.get("expect") or {}).get("passes")
        ok = "   " if expected is None else ("ok " if result["passed"] is expected else "BAD")
        if expected is not None:
            (good if expected else bad).append(overall)
        unmet = [o["id"] for o in result["objectives"] if not o["met"]]
        print(f"{ok} {scenario:18} {visit.get('kind', '-'):18} overall {overall:3} "
              f"passed={result['passed']!s:5} unmet={unmet} {[t[0] for t in result['trace']]}")
        if args.transcript:
            print(transcript(result) + "\n")
    if good and bad:
        mean_good = sum(good) / len(good)
        print(f"excellent mean {mean_good:.1f}, best failing {max(bad)}, "
              f"gap {mean_good - max(bad):.1f}")


if __name__ == "__main__":
    main()
