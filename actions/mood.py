"""The citizen's mood: calm -> annoyed -> angry (-> walks out), or satisfied; see data/mood.yml."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

from actions.datafiles import load_data

ESCALATED, DEESCALATED, WALKED_OUT, SATISFIED, UNCHANGED = (
    "escalated", "deescalated", "walked_out", "satisfied", "unchanged")


@dataclass(frozen=True)
class MoodStep:
    """The mood after a clerk turn, how it changed, and the count of strikes while angry."""

    mood: str
    change: str
    angry_strikes: int

    @property
    def walked_out(self) -> bool:
        return self.change == WALKED_OUT


def _meets(scores: Optional[Mapping[str, Any]], minimum: Mapping[str, int]) -> bool:
    if scores is None:
        return True  # an unscored turn is judged by its move only
    return all(scores.get(key, 0) >= value for key, value in minimum.items())


def _below(scores: Optional[Mapping[str, Any]], thresholds: Mapping[str, int]) -> bool:
    if scores is None:
        return False
    return any(scores.get(key, 100) < value for key, value in thresholds.items())


def next_mood(
    mood: str,
    acts: Sequence[str],
    scores: Optional[Mapping[str, Any]],
    stage_after: str,
    angry_strikes: int = 0,
    pressed: int = 0,
    empty: bool = False,
    may_be_pleased: bool = True,
) -> MoodStep:
    """Return the citizen's mood after a clerk reply doing ``acts``, scored ``scores``.

    ``pressed``: how many times in a row the citizen has now asked for the same thing; from
    ``escalate.pressed`` on, being left without an answer upsets the citizen. ``empty``: the
    reply was courtesy without content; an apology alone does not calm an angry citizen.
    """
    if isinstance(acts, str):
        acts = [acts]
    rules = load_data("mood")
    levels: list[str] = rules["levels"]
    level = levels.index(mood) if mood in levels else levels.index("calm")
    calm, angry = levels.index("calm"), levels.index("angry")

    escalate = rules["escalate"]
    unanswered = pressed >= int(escalate.get("pressed", 99))
    if set(acts) & set(escalate["moves"]) or _below(scores, escalate["below"]) or unanswered:
        if level == angry:
            strikes = angry_strikes + 1
            if strikes >= rules["walk_out_after"]:
                return MoodStep("angry", WALKED_OUT, strikes)
            return MoodStep("angry", ESCALATED, strikes)
        return MoodStep(levels[level + 1], ESCALATED, angry_strikes)  # one step per turn

    change = UNCHANGED
    concrete = bool(set(acts) & set(rules["resolve"]["moves"]))
    for rule in (rules["deescalate"], rules["resolve"]):
        if level > calm and set(acts) & set(rule["moves"]) and _meets(scores, rule["min"]) \
                and not pressed and not empty and (concrete or level < angry):
            level -= 1  # an angry citizen is calmed only by something concrete (a check, a time)
            change = DEESCALATED
            break
    if not may_be_pleased:  # asked for money, a rule bent: the citizen is not pleased
        return MoodStep(levels[max(level, calm)], change, angry_strikes)
    if level <= calm and stage_after in rules["satisfied_at_stages"] and mood != "satisfied":
        return MoodStep("satisfied", SATISFIED, angry_strikes)
    return MoodStep(levels[level], change, angry_strikes)
