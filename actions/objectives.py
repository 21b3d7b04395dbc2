"""Yes/no objectives of a scenario, evaluated over the readings of the clerk's turns.

Objectives are data (``actions/data/scenarios.yml``): a turn matcher (``any_turn`` or
``no_turn``) over the turn's reading (``actions/scoring/reading.py``) — ``acts``, ``marks``,
``all_marks``, ``terms_plain``, ``terms_unclear``, ``missing``, ``hostility`` — plus
``min_score``, ``min_turn`` and ``at_end``, or a list of such matchers (a turn matches if it
matches one of them), and an optional ``before: <objective id>`` ordering constraint. No
objective reads the raw text: what a reply says is decided once, in its reading.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence, Union

from actions import catalog

MatcherSpec = Union[Mapping[str, Any], Sequence[Mapping[str, Any]]]
END_STAGES = ("closing", "ended")


def _acts(record: Mapping[str, Any], reading: Mapping[str, Any]) -> set[str]:
    acts = set(reading.get("acts") or ())
    if record.get("move") and not reading:
        acts.add(record["move"])  # an unscored turn (no reading) is judged by its move
    return acts


def turn_matches(
    record: Mapping[str, Any], matcher: MatcherSpec, last: bool = False
) -> bool:
    """Whether one clerk turn satisfies every key of ``matcher`` (of one of them, for a list).

    ``last``: the turn is the last clerk turn of the visit (for ``at_end``).
    """
    if not isinstance(matcher, Mapping):
        return any(turn_matches(record, alternative, last) for alternative in matcher)
    reading: Mapping[str, Any] = record.get("reading") or {}
    hostility = set(reading.get("hostility") or ())
    kinds = {i.get("kind") for i in reading.get("incidents") or ()}
    if "condescension" in kinds:
        hostility.add("sarcasm")  # disrespect in polite words is still disrespect
    if kinds and "hostility" not in matcher:
        return False  # a reply with a critical incident meets no objective (issue 19)
    if reading.get("sentence") is False:
        # a string of keywords tells the citizen nothing it understood: it meets no objective
        # (its hostility still counts)
        reading = {}
    marks = set(reading.get("marks") or ())
    terms = reading.get("terms") or []
    if "min_turn" in matcher and int(record.get("turn") or 0) < int(matcher["min_turn"]):
        return False
    if "at_end" in matcher and not (last or record.get("stage_after") in END_STAGES):
        return False
    if "acts" in matcher and not set(matcher["acts"]) & _acts(record, reading):
        return False
    if "marks" in matcher and not set(matcher["marks"]) & marks:
        return False
    if "all_marks" in matcher and not all(set(group) & marks for group in matcher["all_marks"]):
        return False
    if "terms_plain" in matcher and not set(matcher["terms_plain"]) & {
        t.get("key") for t in terms if t.get("plain")
    }:
        return False
    if "terms_unclear" in matcher and not any(not t.get("plain") for t in terms):
        return False
    if "missing" in matcher:
        missing = " ".join(reading.get("missing_documents") or ())
        if not any(word in missing for word in matcher["missing"]):
            return False
    if "hostility" in matcher and not set(matcher["hostility"]) & hostility:
        return False
    if "min_score" in matcher:
        scores = record.get("scores") or {}
        if any(scores.get(k, 0) < v for k, v in matcher["min_score"].items()):
            return False
    return True


def _while_present(records: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The replies the citizen heard: all before it left, plus the one answering its goodbye
    (not after a walk-out: then nobody is there to hear it)."""
    heard: list[Mapping[str, Any]] = []
    for record in records:
        if record.get("stage_before") == "ended":
            if record.get("mood_before") != "angry" and heard and \
                    heard[-1].get("stage_before") != "ended":
                heard.append(record)
            break
        heard.append(record)
    return heard


def _first_match(records: Sequence[Mapping[str, Any]], matcher: MatcherSpec,
                 ended: bool = True) -> Optional[int]:
    for index, record in enumerate(records):
        if turn_matches(record, matcher, last=ended and index == len(records) - 1):
            return index
    return None


def evaluate(scenario: str, records: Sequence[Mapping[str, Any]],
             ended: bool = True) -> list[dict[str, Any]]:
    """Every objective of ``scenario``: ``met``, ``state``, ``optional`` and ``turn``.

    ``met`` as always (an objective of what the clerk must never do counts as met while it
    is kept). ``state`` is what the checklist shows: ``met``; ``broken`` once it can no longer
    be met (a "never" objective done, an ordering constraint violated, or the visit over
    without it); else ``pending``, a "never" objective kept so far included. ``optional``:
    not among the scenario's ``pass.required``, so not needed to pass. ``ended=False`` (the
    checklist during the visit): the latest reply is not the last one, so an ``at_end``
    objective is met only once the visit is closing, and nothing unmet is broken yet.
    """
    spec = catalog.scenario_spec(scenario)
    objectives = spec.get("objectives") or []
    required = (spec.get("pass") or {}).get("required")
    records = _while_present(records)
    firsts: dict[str, Optional[int]] = {}
    for objective in objectives:
        matcher = objective.get("any_turn") or objective.get("no_turn") or {}
        firsts[objective["id"]] = _first_match(records, matcher, ended)
    results = []
    for objective in objectives:
        first = firsts[objective["id"]]
        too_late = False  # met only after the objective it must come before
        if "no_turn" in objective:  # kept only if there was a visit to keep it in
            met, turn = first is None and bool(records), first
            state = "broken" if first is not None else ("met" if ended and met else "pending")
        else:
            met, turn = first is not None, first
            later = objective.get("before")
            if later and firsts.get(later) is not None and (first is None
                                                            or firsts[later] < first):
                met, too_late = False, True
            earlier = objective.get("after")  # counts only once that objective is met
            if met and earlier and firsts.get(earlier) is None:
                met = False
            state = "met" if met else ("broken" if ended or too_late else "pending")
        results.append(
            {
                "id": objective["id"],
                "label": objective.get("label", objective["id"]),
                "met": met,
                "state": state,
                "optional": required is not None and objective["id"] not in required,
                "turn": None if turn is None else records[turn].get("turn", turn + 1),
            }
        )
    return results
