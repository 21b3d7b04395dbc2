"""The visit flow: where the citizen's visit goes after a clerk move.

The tables live in ``actions/data/flows/<scenario>.yml`` (a scenario may ``extends:`` another
and override single moves or stages) and ``actions/data/visit_flow.yml`` (shared facts and
limits); this module only reads them. The result is a
``visit_event`` slot value, which selects the citizen's line among the conditional variations
of ``utter_citizen`` in the domain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Mapping

from actions.datafiles import load_data

ANY_STAGE = "*"
ENDED = "ended"


@dataclass(frozen=True)
class Step:
    """Outcome of one clerk move: the next stage, the citizen's cue and learned facts."""

    stage: str
    event: str
    facts: Mapping[str, bool]


BASE_SCENARIO = "renewal_complete"


@lru_cache(maxsize=1)
def _flow() -> dict[str, Any]:
    return load_data("visit_flow")


@cache
def scenario_flow(scenario: str) -> dict[str, Any]:
    """The flow table of a scenario, with its ``extends:`` chain merged in."""
    try:
        own = load_data(f"flows/{scenario}")
    except FileNotFoundError:
        own = load_data(f"flows/{BASE_SCENARIO}")
    parent = own.get("extends")
    if not parent:
        return {"moves": own.get("moves", {}), "facts": own.get("facts", {})}
    merged = scenario_flow(parent)
    moves = {move: dict(table) for move, table in merged["moves"].items()}
    for move, table in (own.get("moves") or {}).items():
        table = dict(table)
        if table.pop("replace", False):
            moves[move] = table
        else:
            moves[move] = {**moves.get(move, {}), **table}
    return {"moves": moves, "facts": {**merged["facts"], **(own.get("facts") or {})}}


@cache
def _fact_patterns(scenario: str) -> dict[str, tuple[frozenset[str], list[re.Pattern[str]]]]:
    compiled = {}
    specs = {**_flow()["facts"], **scenario_flow(scenario)["facts"]}
    for fact, spec in specs.items():
        patterns = [re.compile(p, re.IGNORECASE) for p in spec.get("patterns", [])]
        compiled[fact] = (frozenset(spec.get("moves", [])), patterns)
    return compiled


def too_long_limit() -> int:
    """Number of characters beyond which the citizen asks for the gist."""
    return int(_flow()["limits"]["too_long_chars"])


def detect_facts(text: str, move: str, scenario: str = BASE_SCENARIO) -> dict[str, bool]:
    """Facts the clerk stated in this reply (e.g. ``duration_told``)."""
    found = {}
    for fact, (moves, patterns) in _fact_patterns(scenario).items():
        if move in moves or any(p.search(text) for p in patterns):
            found[fact] = True
    return found


def _pick(entry: Any, known: Mapping[str, bool]) -> dict[str, str]:
    """Choose among alternatives guarded by ``when: [not] <fact>``."""
    if isinstance(entry, dict):
        return entry
    for alternative in entry:
        condition = alternative.get("when")
        if condition is None:
            return alternative
        negate = condition.startswith("not ")
        name = condition[4:] if negate else condition
        if bool(known.get(name)) != negate:
            return alternative
    raise ValueError(f"no alternative matched in visit flow entry {entry!r}")


def next_step(
    stage: str,
    move: str,
    text: str,
    known: Mapping[str, bool],
    scenario: str = BASE_SCENARIO,
) -> Step:
    """Return where the visit goes after ``move`` (said as ``text``) at ``stage``.

    ``known`` holds the facts the citizen already knows (slot values such as
    ``duration_told``); facts stated in ``text`` are added before the table is read.
    """
    facts = {**{k: bool(v) for k, v in known.items()}, **detect_facts(text, move, scenario)}
    if stage == ENDED:
        return Step(stage=ENDED, event="after_end", facts=facts)
    moves = scenario_flow(scenario)["moves"]
    table = moves.get(move) or moves["nlu_fallback"]
    entry = table.get(stage, table.get(ANY_STAGE))
    if entry is None:
        return Step(stage=stage, event="confused", facts=facts)
    chosen = _pick(entry, facts)
    return Step(stage=chosen.get("stage", stage), event=chosen["event"], facts=facts)
