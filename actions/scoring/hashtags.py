"""Hashtags read as the words they run together ("#SKDUbisadibantu" -> "SKDU bisa dibantu").

A clerk may tuck a message into a hashtag (red-team 31: "#uangrokokwelcome",
"#lainkalibawaamplop"); the reading, the incidents and NLU must see its words. A hashtag is
split at case changes, then each run of lower-case letters into the fewest known words (the
lookup tables' forms and lemmas, our norms); letters no word covers stay together as one word.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Callable, List, Tuple

_HASHTAG = re.compile(r"#([A-Za-z][A-Za-z0-9_]{3,60})")
_CASE_RUN = re.compile(r"[A-Z]{2,}|[A-Z]?[a-z]+|[0-9]+")
# function words the lookup tables do not hold as forms
_FUNCTION = frozenset("di ke dan dari untuk atau ya aja saja nya lah kok dong pak bu kita kami "
                      "aku kamu no ini itu se".split())
_MAX_WORD = 18
_UNKNOWN_CHAR = 4.0  # a letter no known word covers costs this much; a known word costs 1


def expand(text: str, known: Callable[[str], bool]) -> str:
    """``text`` with every hashtag replaced by its words, as a sentence of its own."""
    if "#" not in text:
        return text

    def words_of(match: re.Match) -> str:
        out: List[str] = []
        for run in _CASE_RUN.findall(match.group(1).replace("_", " ")):
            if run.isupper() or run.isdigit() or len(run) <= 3:
                out.append(run)  # an acronym (SKDU) or a number
            else:
                out.extend(_segment(run.lower(), known))
        return " ".join(out)

    # a hashtag is a statement of its own: a clause break before and after it
    out, last = [], 0
    for m in _HASHTAG.finditer(text):
        before = text[last:m.start()]
        out.append(before)
        so_far = "".join(out).rstrip()
        if so_far and so_far[-1] not in ".!?":
            out.append(". ")
        out.append(words_of(m) + ".")
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def _segment(run: str, known: Callable[[str], bool]) -> List[str]:
    @cache
    def best(i: int) -> Tuple[float, Tuple[str, ...]]:
        if i == len(run):
            return 0.0, ()
        choices = []
        for j in range(min(len(run), i + _MAX_WORD), i, -1):
            piece = run[i:j]
            if _is_word(piece, known):
                cost, rest = best(j)
                choices.append((cost + 1.0, (piece, *rest)))
        cost, rest = best(i + 1)  # one letter no word covers
        if rest and not _is_word(rest[0], known):
            choices.append((cost + _UNKNOWN_CHAR, (run[i] + rest[0], *rest[1:])))
        else:
            choices.append((cost + _UNKNOWN_CHAR, (run[i], *rest)))
        return min(choices, key=lambda c: c[0])

    return list(best(0)[1])


def _is_word(piece: str, known: Callable[[str], bool]) -> bool:
    return len(piece) > 1 and (piece in _FUNCTION or known(piece))
