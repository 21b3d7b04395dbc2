"""Text cleaning at the doors and on the way out — one set of rules for every door.

``clean_text`` is applied to what a clerk types before anything reads it (the REST channel and
the web service call the same function): control characters other than newline and tab
(Unicode Cc) and invisible format characters (Cf: zero-width spaces, direction marks, BOM ...)
are removed, and a lone surrogate (which no UTF-8 encoder accepts) becomes U+FFFD. Because the
cleaning comes first, ``"\\u200b/restart"`` is ``"/restart"`` for every later check.

``exportable`` makes any stored value safe to write as JSON or CSV: the same rules over every
string of any JSON shape, so a value stored before this cleaning existed cannot break an export.
"""

from __future__ import annotations

import unicodedata
from typing import Any

KEEP = frozenset("\n\t")
REPLACEMENT = "\ufffd"


def _drop(ch: str) -> bool:
    if ch in KEEP:
        return False
    return unicodedata.category(ch) in ("Cc", "Cf")


def clean_text(text: str) -> str:
    """``text`` without control/format characters and with lone surrogates replaced."""
    if text.isprintable() and text.isascii():
        return text  # the common case, no work
    out = []
    for ch in text:
        if "\ud800" <= ch <= "\udfff":
            out.append(REPLACEMENT)
        elif not _drop(ch):
            out.append(ch)
    return "".join(out)


def as_reply(text: str) -> str:
    """Text a trainee typed, cleaned so that Rasa never reads it as a command: Rasa strips the
    text (any Unicode space) and treats a leading ``/`` as an intent, so leading spaces and
    slashes are removed, repeatedly, after the invisible characters are gone."""
    text = clean_text(text)
    while text.strip().startswith("/"):
        text = text.strip().lstrip("/")
    return text


def exportable(value: Any, depth: int = 0) -> Any:
    """A copy of a JSON-like ``value`` whose strings are clean (keys too); deep nesting cut."""
    if isinstance(value, str):
        return clean_text(value)
    if depth > 50:
        return None
    if isinstance(value, dict):
        return {clean_text(str(k)): exportable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [exportable(v, depth + 1) for v in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return clean_text(str(value))
