"""The citizen's line for a visit event (``actions/data/citizen_lines.yml``).

The citizen never says the same line twice in a visit: the keys of the lines said
(``<event>#<n>``) are kept in each turn record (``lines``). When the citizen asks again for
something it was not given (``press_<need>``), the lines are taken in order, from polite to
insistent.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from typing import Any, Mapping, Optional, Sequence

from actions import persona
from actions.datafiles import load_data

FALLBACK_EVENT = "acknowledge_generic"
_UPSET_MOODS = ("annoyed", "angry")
# a sentence of relief or delight, dropped from a line said in an annoyed or angry mood
_PLEASED = re.compile(r"(?:(?<=^)|(?<=[.!?] ))(?:\([^)]*(?:tersenyum|lega|puas)[^)]*\) )?"
                      r"(?:Oh, |Wah, |Iya, )?(?:\{syukur\}|[Ss]yukurlah|Alhamdulillah|Puji Tuhan)"
                      r"[^.!?]*[.!?] ?")
SPARE_EVENT = "fallback_any"


@dataclass(frozen=True)
class Line:
    key: str
    text: str
    mood: Optional[str]
    when: tuple[str, ...] = ()    # facts the citizen must know for the line to make sense
    unless: tuple[str, ...] = ()  # facts that make the line wrong (it asks what it was told)

    def fits(self, known: Mapping[str, bool]) -> bool:
        """The line agrees with the citizen's memory of the visit (``visit_facts``)."""
        return all(known.get(f) for f in self.when) and not any(known.get(f) for f in self.unless)


class _Values(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def lines_for(event: str) -> list[Line]:
    """Every line of an event (empty list for an unknown event)."""
    items = load_data("citizen_lines")["events"].get(event) or []
    out = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            out.append(Line(f"{event}#{i}", item, None))
        else:
            out.append(Line(f"{event}#{i}", str(item["text"]), item.get("mood"),
                            tuple(item.get("when") or ()), tuple(item.get("unless") or ())))
    return out


def events() -> set[str]:
    return set(load_data("citizen_lines")["events"])


def choose_line(
    event: str,
    mood: str,
    used: Sequence[str],
    values: Mapping[str, Any],
    seed: str = "",
    insistence: int = 0,
    known: Optional[Mapping[str, bool]] = None,
) -> Line:
    """A line for ``event`` the citizen has not said yet in this visit.

    Only lines that agree with what the citizen knows (``known``, the visit's facts) are
    said; lines written for the current mood come first; ``insistence`` (0, 1, 2 ...) is how
    many times in a row the citizen has asked the same thing: press lines are used in order.
    """
    known = known or {}
    lines = [line for line in lines_for(event) if line.fits(known)] or [
        line for line in lines_for(FALLBACK_EVENT) if line.fits(known)] or lines_for(
        FALLBACK_EVENT)
    fitting = [line for line in lines if line.mood in (None, mood)] or lines
    own_mood = [line for line in fitting if line.mood == mood]
    fresh = [line for line in own_mood + fitting if line.key not in used]
    if event.startswith("press_"):
        ordered = fitting[min(insistence, len(fitting) - 1):] + fitting
        fresh = [line for line in ordered if line.key not in used]
        chosen = fresh[0] if fresh else None
    elif fresh:
        pool = [line for line in fresh if line.mood == mood] or fresh
        chosen = random.Random(f"{seed}|{len(used)}").choice(pool)
    else:
        chosen = None
    if chosen is None and not event.startswith("after_"):  # every line said: a generic one
        spare = _mood_first([line for line in lines_for(SPARE_EVENT)
                             if line.key not in used and line.fits(known)], mood)
        chosen = spare[0] if spare else None
    if chosen is None:  # nothing left at all: the one said longest ago, never the last one
        last = used[-1] if used else None
        candidates = [line for line in fitting if line.key != last] or fitting
        chosen = min(candidates, key=lambda line: _last_use(used, line.key))
    template = chosen.text
    if mood in _UPSET_MOODS and chosen.mood is None:  # no "Syukurlah" in an annoyed voice
        template = _PLEASED.sub("", template).strip() or template
    text = _fill(template, values)
    return Line(chosen.key, text, chosen.mood, chosen.when, chosen.unless)


def _mood_first(lines: Sequence[Line], mood: Optional[str]) -> list[Line]:
    """The lines for ``mood`` or for any mood, its own mood's words first (a stable order)."""
    return sorted((line for line in lines if line.mood in (None, mood)),
                  key=lambda line: line.mood != mood)


def answer_line(event: str, values: Mapping[str, Any], known: Mapping[str, bool],
                used: Sequence[str] = (), mood: Optional[str] = None) -> Line:
    """The citizen's answer to a side question (its phone number, how it came …): the same
    facts every time it is asked in a visit — the first line that fits what it knows and that
    it has not said yet (asked again, "Tadi sudah saya sebutkan, …"); a line written for its
    mood first, lines for other moods never."""
    fitting = _mood_first(lines_for(event), mood) or lines_for(event)
    lines = [line for line in fitting if line.fits(known)] or fitting
    line = next((line for line in lines if line.key not in used), lines[0])
    return replace(line, text=_fill(line.text, values))


def _fill(template: str, values: Mapping[str, Any]) -> str:
    """The line with its placeholders filled: the visit's values, else the persona's words
    ({syukur}, {iya}, {phone} …, neutral when the citizen is not one of personas.yml)."""
    words = {**persona.expressions(values.get("citizen_name")), **values}
    return template.format_map(_Values({k: v for k, v in words.items() if v is not None}))


def _last_use(used: Sequence[str], key: str) -> int:
    for i in range(len(used) - 1, -1, -1):
        if used[i] == key:
            return i
    return -1


def scene_line(scenario: str, values: Mapping[str, Any], seed: str = "",
               unknown: bool = False) -> str:
    """The narrator's line that opens a visit (with the unknown-scenario note first)."""
    scenes = load_data("citizen_lines")["scenes"]
    options = scenes.get(scenario) or scenes["default"]
    text = random.Random(f"scene|{seed}").choice(options)
    if unknown:
        text = scenes["unknown_scenario"] + "\n" + text
    return text.format_map(_Values({k: v for k, v in values.items() if v is not None}))
