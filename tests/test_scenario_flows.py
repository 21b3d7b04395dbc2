"""The five scenarios offline: flow tables, the citizen's lines, and the scripted visits.

No servers and no NLU: the scripted visits of ``tests/scenarios/<id>.yml`` (with the move each
turn is expected to get) and ``tests/visits/<id>.yml`` (expert-graded, no moves: the reading
alone drives the citizen) are played through ``actions.turn.take_turn`` — the function the
action server runs — scored with the real scorer and judged by the debrief.
``tests/test_rest_scenarios.py`` plays the same scripts live.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from actions import citizen, visit_flow
from actions.datafiles import DATA_DIR, load_data
from tests.visit_play import play, scripted_visits

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
VISIT_INTENTS = _yaml(ROOT / "domain.yml")["intents"]
MOVES = [i for i in VISIT_INTENTS if i not in ("start_scenario", "selesai")] + ["nlu_fallback"]


def has_line(event: str) -> bool:
    return bool(citizen.lines_for(event))


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
    return visit_flow.memory_facts(scenario)


def script(scenario: str) -> dict[str, Any]:
    return _yaml(SCRIPT_DIR / f"{scenario}.yml")


# --- the tables ------------------------------------------------------------------------------

def test_every_scenario_has_a_flow_a_script_and_a_scene():
    scene_scenarios = set(load_data("citizen_lines")["scenes"])
    for scenario in SCENARIOS:
        assert (DATA_DIR / "flows" / f"{scenario}.yml").exists(), scenario
        assert (SCRIPT_DIR / f"{scenario}.yml").exists(), scenario
        if scenario != visit_flow.BASE_SCENARIO:
            assert scenario in scene_scenarios, f"no scene line for {scenario}"
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
                step = visit_flow.next_step(stage, move, {}, scenario)
                assert step.event == "after_end" and has_line("after_end")
                continue
            table = moves[move]
            entry = table.get(stage, table.get(visit_flow.ANY_STAGE))
            assert entry is not None, f"{scenario}: {move} at {stage} falls through"
            for alt in alternatives(entry):
                where = f"{scenario}: {move} at {stage} -> {alt}"
                assert has_line(alt["event"]), f"no line for {where}"
                assert alt.get("stage", stage) in stages, f"undeclared stage in {where}"
                condition = alt.get("when")
                for one in [condition] if isinstance(condition, str) else condition or ():
                    name = one[4:] if one.startswith("not ") else one
                    assert name.removeprefix("now_").removeprefix("before_") in facts, \
                        f"unknown fact in {where}"
            # and the real lookup (no facts, all facts) agrees
            for known in ({}, {f: True for f in facts}):
                step = visit_flow.next_step(stage, move, known, scenario)
                assert has_line(step.event), (scenario, move, stage, step)


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
    for event in citizen.events():
        lines = citizen.lines_for(event)
        with_mood = [line for line in lines if line.mood]
        if with_mood and len(with_mood) == len(lines):  # mood lines only: one for every mood
            assert {line.mood for line in lines} == set(MOODS), event
        # otherwise lines without a mood fit any mood; the tagged ones are preferred in theirs


def test_every_flow_event_and_reaction_has_lines():
    flow = load_data("visit_flow")
    needed = {f"press_{need}" for need in flow["press_needs"]}
    needed |= {"puzzled_english", "puzzled_keywords", "hurt_by_blame", "acknowledge_generic",
               "empty_message", "too_long", "after_end", "confused"}
    for event in needed:
        assert len(citizen.lines_for(event)) >= 2, event
    for need in flow["press_needs"]:  # asked again and again, never the same words
        assert len(citizen.lines_for(f"press_{need}")) >= 4, need


def test_fact_specs_read_only_the_reading():
    allowed = {"moves", "marks", "terms", "terms_plain", "terms_explained", "missing",
               "incidents", "claims", "flags", "claims_below", "address", "not_at",
               "unless_marks", "documents", "hostility"}
    for scenario in SCENARIOS:
        for fact, spec in visit_flow.fact_specs(scenario).items():
            assert spec and set(spec) <= allowed, (scenario, fact, spec)
            assert set(spec.get("moves", [])) <= set(MOVES), (scenario, fact)


def test_line_guards_name_known_facts():
    """Every `when:` / `unless:` of a citizen line names a fact the citizen can come to know."""
    facts = set().union(*(known_facts(scenario) for scenario in SCENARIOS))
    for event in citizen.events():
        for line in citizen.lines_for(event):
            named = {f.removeprefix("now_").removeprefix("before_")
                     for f in (*line.when, *line.unless)}
            assert named <= facts, (line.key, line.when, line.unless)


def test_objectives_are_well_formed():
    keys = {"acts", "marks", "all_marks", "terms_plain", "terms_unclear", "missing",
            "hostility", "min_score", "min_turn", "at_end"}
    for scenario in SCENARIOS:
        spec = load_data("scenarios")["scenarios"][scenario]
        ids = [o["id"] for o in spec["objectives"]]
        assert 5 <= len(ids) <= 7 and len(set(ids)) == len(ids), scenario
        for objective in spec["objectives"]:
            spec_ = objective.get("any_turn") or objective.get("no_turn")
            assert spec_ and objective.get("label"), (scenario, objective["id"])
            for matcher in [spec_] if isinstance(spec_, dict) else spec_:
                assert matcher and set(matcher) <= keys, (scenario, objective["id"], matcher)
                assert set(matcher.get("acts", [])) <= set(MOVES), (scenario, objective["id"])
            assert objective.get("before", ids[0]) in ids
        assert set(spec["pass"]["required"]) <= set(ids)
        assert 0 < spec["pass"]["min_overall"] <= 100


# --- the scripted visits ---------------------------------------------------------------------

CASES = [(s, kind) for s in SCENARIOS for kind in ("good", "bad")]


@pytest.mark.parametrize("scenario,kind", CASES)
def test_scripted_visit_walks_the_flow(scenario, kind):
    visit = script(scenario)[kind]
    assert 1 <= len(visit["turns"]) <= 8
    for turn in visit["turns"]:
        assert turn["move"] in MOVES and turn["text"].strip()
    result = play(scenario, [t["text"] for t in visit["turns"]],
                  moves=[t["move"] for t in visit["turns"]])
    events = [r["visit_event"] for r in result["records"]]
    assert all(has_line(event) for event in events), events
    if kind == "good":
        assert result["records"][-1]["stage_after"] in ("closing", visit_flow.ENDED), events
        assert "after_end" not in events


@pytest.mark.parametrize("honorific", ["Bapak", "Ibu"])
@pytest.mark.parametrize("scenario,kind", CASES)
def test_scripted_visit_meets_its_expectation(scenario, kind, honorific):
    visit = script(scenario)[kind]
    result = play(scenario, [t["text"] for t in visit["turns"]], honorific,
                  moves=[t["move"] for t in visit["turns"]])
    unmet = {o["id"] for o in result["objectives"] if not o["met"]}
    moods = [r["mood_after"] for r in result["records"]]
    expect = visit["expect"]
    assert result["passed"] is expect["passes"], (result["reason"], unmet, result["trace"])
    if not expect["passes"]:
        walked_out = result["ended_by"] == "walked_out"
        assert set(expect.get("unmet", [])) <= unmet or walked_out, (unmet, result["trace"])
        assert {"annoyed", "angry"} & set(moods), f"the citizen never got upset: {moods}"
    else:
        assert result["ended_by"] != "walked_out" and moods[-1] != "angry", result["trace"]


# --- expert-graded visits (tests/visits/, written independently of the scorer) ------------------

EXPERT = scripted_visits()


@pytest.mark.parametrize("scenario,visit", EXPERT,
                         ids=[f"{s}-{v['kind']}" for s, v in EXPERT])
def test_expert_visit_gets_the_expert_verdict(scenario, visit):
    honorific = "Ibu" if visit.get("citizen") == "ibu" else "Bapak"
    result = play(scenario, visit["turns"], honorific)
    unmet = [o["id"] for o in result["objectives"] if not o["met"]]
    assert result["passed"] is visit["expect"]["passes"], (
        result["reason"], unmet, result["averages"], result["trace"])


def test_excellent_visits_score_far_above_every_visit_that_should_fail():
    good, bad = [], []
    for scenario, visit in EXPERT:
        honorific = "Ibu" if visit.get("citizen") == "ibu" else "Bapak"
        overall = play(scenario, visit["turns"], honorific)["averages"]["overall"]
        (good if visit["expect"]["passes"] else bad).append(overall)
    assert len(good) >= 10 and len(bad) >= 20
    assert sum(good) / len(good) >= max(bad) + 20, (good, bad)


def test_the_citizen_never_repeats_a_line_within_a_visit():
    for scenario, visit in EXPERT:
        lines = play(scenario, visit["turns"] + visit["turns"][-2:])["citizen_lines"]
        lines = [line for line in lines if not line.startswith("[")]  # the narrator is not
        # the citizen: after a walk-out every further reply is told the visit has ended
        assert len(lines) == len(set(lines)), (scenario, visit["kind"], lines)
