"""The five scenarios offline: flow tables, the citizen's lines, and the scripted visits.

No servers and no NLU: the scripted visits of ``tests/scenarios/<id>.yml`` are walked through
``actions.visit_flow.next_step`` with the move each turn is expected to get, scored with the real
scorer (the citizen's previous line as context, as in a live visit), followed by the mood rules,
and judged by the debrief. ``tests/test_rest_scenarios.py`` plays the same scripts live.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, Optional

import pytest
import yaml

from actions import visit_flow
from actions.datafiles import DATA_DIR, load_data

ROOT = Path(__file__).resolve().parents[1]
SCRIPT_DIR = ROOT / "tests" / "scenarios"
MOODS = ("calm", "annoyed", "angry", "satisfied")
PERSONA = {"time_greeting": "pagi", "citizen_name": "Budi Santoso",
           "business_name": "Toko Sembako Berkah", "citizen_intro": "Seorang bapak",
           "citizen_honorific": "Bapak"}


def _yaml(path: Path) -> Any:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


SCENARIOS = list(load_data("scenarios")["scenarios"])
VISIT_INTENTS = _yaml(ROOT / "domain" / "visit.yml")["intents"]
MOVES = [i for i in VISIT_INTENTS if i not in ("start_scenario", "selesai")] + ["nlu_fallback"]


@cache
def citizen_variations() -> dict[str, list[dict[str, str]]]:
    """visit_event -> its utter_citizen variations, each as {slot: value} conditions + text."""
    out: dict[str, list[dict[str, str]]] = {}
    for variation in _yaml(ROOT / "domain" / "citizen.yml")["responses"]["utter_citizen"]:
        conditions = {c["name"]: c["value"] for c in variation.get("condition") or []}
        if "visit_event" in conditions:
            out.setdefault(conditions["visit_event"], []).append(
                {**conditions, "text": variation["text"]})
    return out


def citizen_line(event: str, mood: str = "calm") -> Optional[str]:
    """The first line Rasa could pick for ``event`` in ``mood`` (slots filled in)."""
    for variation in citizen_variations().get(event, []):
        if variation.get("mood", mood) == mood:
            return variation["text"].format(**PERSONA)
    return None


def flow_file(scenario: str) -> dict[str, Any]:
    return load_data(f"flows/{scenario}")


def stages_of(scenario: str) -> list[str]:
    """The stage list declared by the scenario's flow file (or inherited)."""
    data = flow_file(scenario)
    while "stages" not in data:
        data = flow_file(data["extends"])
    return data["stages"]


def alternatives(entry: Any) -> list[dict[str, str]]:
    return [entry] if isinstance(entry, dict) else list(entry)


def known_facts(scenario: str) -> set[str]:
    return set(load_data("visit_flow")["facts"]) | set(visit_flow.scenario_flow(scenario)["facts"])


def script(scenario: str) -> dict[str, Any]:
    return _yaml(SCRIPT_DIR / f"{scenario}.yml")


# --- the tables ------------------------------------------------------------------------------

def test_every_scenario_has_a_flow_a_script_and_a_scene():
    scenes = _yaml(ROOT / "domain" / "citizen.yml")["responses"]["utter_scene"]
    scene_scenarios = {c["value"] for v in scenes for c in v.get("condition") or []
                       if c["name"] == "scenario"}
    for scenario in SCENARIOS:
        assert (DATA_DIR / "flows" / f"{scenario}.yml").exists(), scenario
        assert (SCRIPT_DIR / f"{scenario}.yml").exists(), scenario
        if scenario != visit_flow.BASE_SCENARIO:
            assert scenario in scene_scenarios, f"no utter_scene variation for {scenario}"
            assert flow_file(scenario).get("extends") == visit_flow.BASE_SCENARIO


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_move_at_every_stage_has_an_entry_and_a_line(scenario):
    moves = visit_flow.scenario_flow(scenario)["moves"]
    stages = stages_of(scenario)
    assert "opening" in stages and visit_flow.ENDED in stages
    facts = known_facts(scenario)
    for move in MOVES:
        assert move in moves, f"{scenario}: no table for move {move}"
        for stage in stages:
            if stage == visit_flow.ENDED:
                step = visit_flow.next_step(stage, move, "", {}, scenario)
                assert step.event == "after_end" and citizen_line("after_end")
                continue
            table = moves[move]
            entry = table.get(stage, table.get(visit_flow.ANY_STAGE))
            assert entry is not None, f"{scenario}: {move} at {stage} falls through"
            for alt in alternatives(entry):
                where = f"{scenario}: {move} at {stage} -> {alt}"
                assert citizen_variations().get(alt["event"]), f"no line for {where}"
                assert alt.get("stage", stage) in stages, f"undeclared stage in {where}"
                condition = alt.get("when")
                if condition:
                    name = condition[4:] if condition.startswith("not ") else condition
                    assert name in facts, f"unknown fact in {where}"
            # and the real lookup (no facts, all facts) agrees
            for known in ({}, {f: True for f in facts}):
                step = visit_flow.next_step(stage, move, "", known, scenario)
                assert citizen_variations().get(step.event), (scenario, move, stage, step)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_declared_stage_is_reachable_from_opening(scenario):
    moves = visit_flow.scenario_flow(scenario)["moves"]
    stages = stages_of(scenario)
    reached, todo = {"opening"}, ["opening"]
    while todo:
        stage = todo.pop()
        for table in moves.values():
            entry = table.get(stage, table.get(visit_flow.ANY_STAGE))
            for alt in alternatives(entry) if entry is not None else []:
                target = alt.get("stage", stage)
                if target not in reached:
                    reached.add(target)
                    todo.append(target)
    assert reached == set(stages), (scenario, set(stages) ^ reached)


def test_mood_conditioned_lines_cover_every_mood():
    for event, variations in citizen_variations().items():
        with_mood = [v for v in variations if "mood" in v]
        if with_mood:
            assert len(with_mood) == len(variations), f"{event}: mix of mood/no-mood lines"
            assert {v["mood"] for v in variations} == set(MOODS), event


def test_fact_patterns_compile():
    for scenario in SCENARIOS:
        for fact, spec in visit_flow.scenario_flow(scenario)["facts"].items():
            for pattern in spec.get("patterns", []):
                re.compile(pattern, re.IGNORECASE)
            assert set(spec.get("moves", [])) <= set(MOVES), (scenario, fact)


def test_objectives_are_well_formed():
    for scenario in SCENARIOS:
        spec = load_data("scenarios")["scenarios"][scenario]
        ids = [o["id"] for o in spec["objectives"]]
        assert 5 <= len(ids) <= 7 and len(set(ids)) == len(ids), scenario
        for objective in spec["objectives"]:
            spec_ = objective.get("any_turn") or objective.get("no_turn")
            assert spec_ and objective.get("label"), (scenario, objective["id"])
            for matcher in [spec_] if isinstance(spec_, dict) else spec_:
                assert matcher and set(matcher) <= {
                    "moves", "patterns", "all_patterns", "min_score", "min_turn"}
                assert set(matcher.get("moves", [])) <= set(MOVES), (scenario, objective["id"])
                for key in ("patterns", "all_patterns"):
                    for pattern in matcher.get(key, []):
                        assert isinstance(pattern, str), (scenario, objective["id"], pattern)
                        re.compile(pattern, re.IGNORECASE)
            assert objective.get("before", ids[0]) in ids
        assert set(spec["pass"]["required"]) <= set(ids)
        assert 0 < spec["pass"]["min_overall"] <= 100


# --- the scripted visits ---------------------------------------------------------------------

CASES = [(s, kind) for s in SCENARIOS for kind in ("good", "bad")]


def walk(scenario: str, turns: list[dict[str, str]]) -> list[visit_flow.Step]:
    stage, facts, steps = "opening", {}, []
    for turn in turns:
        step = visit_flow.next_step(stage, turn["move"], turn["text"], facts, scenario)
        steps.append(step)
        stage, facts = step.stage, dict(step.facts)
    return steps


@pytest.mark.parametrize("scenario,kind", CASES)
def test_scripted_visit_walks_the_flow(scenario, kind):
    visit = script(scenario)[kind]
    assert 1 <= len(visit["turns"]) <= 8
    for turn in visit["turns"]:
        assert turn["move"] in MOVES and turn["text"].strip()
    steps = walk(scenario, visit["turns"])
    for turn, step in zip(visit["turns"], steps, strict=True):
        assert citizen_variations().get(step.event), (turn, step)
    if kind == "good":
        assert steps[-1].stage in ("closing", visit_flow.ENDED), [s.event for s in steps]
        assert "after_end" not in [s.event for s in steps]


def play(scenario: str, turns: list[dict[str, str]], honorific: str):
    """Walk, score and feel a scripted visit like action_process_turn does."""
    from actions import mood
    from actions.scoring import score_reply

    spec = load_data("scenarios")["scenarios"][scenario]
    stage, facts, feeling = "opening", {}, spec.get("start_mood", "calm")
    strikes, records, moods, ended_by = 0, [], [feeling], "trainee_finished"
    previous = None
    for number, turn in enumerate(turns, start=1):
        step = visit_flow.next_step(stage, turn["move"], turn["text"], facts, scenario)
        scores = score_reply(turn["text"], customer_turn=previous, scenario=scenario,
                             move=turn["move"], honorific=honorific)
        change = mood.next_mood(feeling, turn["move"], scores, step.stage, strikes)
        if change.walked_out:
            step, ended_by = visit_flow.Step(visit_flow.ENDED, "after_end", step.facts), \
                "walked_out"
        elif step.stage == visit_flow.ENDED and stage != visit_flow.ENDED:
            ended_by = "closed"
        feeling, strikes = change.mood, change.angry_strikes
        moods.append(feeling)
        records.append({"turn": number, "reply": turn["text"], "move": turn["move"],
                        "scores": scores, "stage_after": step.stage, "visit_event": step.event})
        previous = citizen_line(step.event, feeling)
        stage, facts = step.stage, dict(step.facts)
    return records, moods, ended_by, feeling


@pytest.mark.parametrize("honorific", ["Bapak", "Ibu"])
@pytest.mark.parametrize("scenario,kind", CASES)
def test_scripted_visit_meets_its_expectation(scenario, kind, honorific):
    from actions import debrief

    visit = script(scenario)[kind]
    records, moods, ended_by, final_mood = play(scenario, visit["turns"], honorific)
    result = debrief.build(scenario, records, ended_by, final_mood)
    unmet = {o["id"] for o in result["objectives"] if not o["met"]}
    expect = visit["expect"]
    trace = [(r["move"], r["visit_event"], r["scores"]["overall"]) for r in records]
    assert result["passed"] is expect["passes"], (result["reason"], unmet, moods, trace)
    if not expect["passes"]:
        assert set(expect.get("unmet", [])) <= unmet or ended_by == "walked_out", (unmet, trace)
        assert {"annoyed", "angry"} & set(moods), f"the citizen never got upset: {moods}"
    else:
        assert ended_by != "walked_out" and moods[-1] != "angry", (moods, trace)
