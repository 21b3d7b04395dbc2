"""Yes/no objectives of a scenario, evaluated over the clerk's turn records.

Objectives are data (``actions/data/scenarios.yml``): a turn matcher (``any_turn`` or
``no_turn``) with ``moves``, ``patterns`` (any regex), ``all_patterns``, ``min_score`` and
``min_turn``, or a list of such matchers (a turn matches if it matches one of them), and an
optional ``before: <objective id>`` ordering constraint.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Mapping, Optional, Sequence, Union

from actions.datafiles import load_data

MatcherSpec = Union[Mapping[str, Any], Sequence[Mapping[str, Any]]]


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def scenario_spec(scenario: str) -> dict[str, Any]:
    """The scenario's entry in scenarios.yml (the default scenario if unknown)."""
    data = load_data("scenarios")
    return data["scenarios"].get(scenario) or data["scenarios"][data["default"]]


def turn_matches(record: Mapping[str, Any], matcher: MatcherSpec) -> bool:
    """Whether one clerk turn satisfies every key of ``matcher`` (of one of them, for a list)."""
    if not isinstance(matcher, Mapping):
        return any(turn_matches(record, alternative) for alternative in matcher)
    reply = str(record.get("reply") or "")
    if "min_turn" in matcher and int(record.get("turn") or 0) < int(matcher["min_turn"]):
        return False
    if "moves" in matcher and record.get("move") not in matcher["moves"]:
        return False
    if "patterns" in matcher and not any(_regex(p).search(reply) for p in matcher["patterns"]):
        return False
    if "all_patterns" in matcher and not all(
        _regex(p).search(reply) for p in matcher["all_patterns"]
    ):
        return False
    if "min_score" in matcher:
        scores = record.get("scores") or {}
        if any(scores.get(k, 0) < v for k, v in matcher["min_score"].items()):
            return False
    return True


def _first_match(records: Sequence[Mapping[str, Any]], matcher: MatcherSpec) -> Optional[int]:
    for index, record in enumerate(records):
        if turn_matches(record, matcher):
            return index
    return None


def evaluate(scenario: str, records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every objective of ``scenario`` with ``met`` and the turn number that decided it."""
    objectives = scenario_spec(scenario).get("objectives") or []
    firsts: dict[str, Optional[int]] = {}
    for objective in objectives:
        matcher = objective.get("any_turn") or objective.get("no_turn") or {}
        firsts[objective["id"]] = _first_match(records, matcher)
    results = []
    for objective in objectives:
        first = firsts[objective["id"]]
        if "no_turn" in objective:
            met, turn = first is None, first
        else:
            met, turn = first is not None, first
            later = objective.get("before")
            if met and later and firsts.get(later) is not None and firsts[later] < first:
                met = False
        results.append(
            {
                "id": objective["id"],
                "label": objective.get("label", objective["id"]),
                "met": met,
                "turn": None if turn is None else records[turn].get("turn", turn + 1),
            }
        )
    return results
