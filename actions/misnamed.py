"""What the clerk names wrongly about the citizen's own business, which the citizen corrects:
another kelurahan ("SKDU, Kelurahan Cihapit" to a trader of Sukorejo, audit 42) or another trade
("Wah, bengkel" to a grocer, "KBLI Ibu untuk konveksi" to a food stall, audit 43). The trades and
their words are data (personas.yml, ``trades``)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Mapping, Optional

from actions import persona
from actions.datafiles import load_data

_KELURAHAN_NAMED = re.compile(r"\b[Kk]el(?:urahan|\.)\s+([A-Z][a-z]{2,})")
_NOT_A_NAME = frozenset({"bapak", "ibu", "anda", "setempat", "tempat", "mana", "yang", "sesuai",
                         "domisili", "lokasi", "masing", "terdekat", "itu", "ini", "sana"})
# A trade named as an example or a contrast ("misalnya warung makan kodenya lain dengan
# bengkel") is not said of the citizen's business.
_EXAMPLE = re.compile(r"\b(?:misal\w*|seperti|contoh\w*|kayak|kaya|semacam|beda\w*|lain\w*|"
                      r"bukan|atau)\b", re.I)
# A trade as a place to go ("ke bengkel sebelah") is no name for the citizen's business.
_PLACE = re.compile(r"\b(?:ke|di|dari|sama|dengan)\s+(?:toko\s+|warung\s+)?$", re.I)
# The trade is said of the citizen: addressed, owned, concluded or exclaimed in its sentence.
_SAID_OF_YOU = re.compile(r"\b(?:ibu|bu|bapak|pak|anda|sampeyan|panjenengan|njenengan|usaha\w*|"
                          r"wah|oh|berarti|jadi|untuk)\b|\w+nya\b", re.I)


def wrong_kelurahan(text: str, values: Mapping[str, Any]) -> Optional[str]:
    """The kelurahan the clerk names for the citizen's business when it is another than the
    citizen's own."""
    own = str(values.get("kelurahan") or persona.expressions(values.get("citizen_name"))[
        "kelurahan"]).lower()
    for m in _KELURAHAN_NAMED.finditer(text):
        name = m.group(1)
        if own and name.lower() not in _NOT_A_NAME and name.lower() != own.split()[0]:
            return name
    return None


@lru_cache(maxsize=1)
def _trades() -> dict[str, re.Pattern[str]]:
    """Each trade and the words a clerk may call it by, compiled once."""
    return {kind: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I)
            for kind, words in load_data("personas")["trades"].items()}


def _trade_of(business: str) -> Optional[str]:
    return next((kind for kind, words in _trades().items() if words.search(business)), None)


def wrong_trade(text: str, values: Mapping[str, Any]) -> Optional[str]:
    """The trade the clerk names for the citizen's business when it is another than its own
    (the words as the clerk wrote them), unless its own trade is named too or the other one
    only as an example."""
    own = _trade_of(str(values.get("business_name") or "")) or _trade_of(
        persona.expressions(values.get("citizen_name")).get("business", ""))
    if own is None:
        return None
    words = _trades()
    if words[own].search(text):
        return None
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        for kind, pattern in words.items():
            m = pattern.search(sentence) if kind != own else None
            if m and not _EXAMPLE.search(sentence[:m.start()]) and not _PLACE.search(
                    sentence[:m.start()]) and _SAID_OF_YOU.search(sentence):
                return m.group(0).lower()
    return None
