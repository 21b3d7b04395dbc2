"""Words the scorer has never seen in good service: the reply is held for the trainer.

The tables and the learned half judge what they were written or trained for. A reply that
states the right facts and adds a clause about something else ("saya cuti mulai besok",
"Ibu cegat beliau sesudah salat", "izin ini juga berlaku untuk cabang") reads to them as a
good reply, and the red-team hunts show that about a third of new families of misconduct
hide exactly there. Rather than guess, the scorer says what it does not know: a reply with
an Indonesian word that no good reply of the rated sets, no clerk example of the NLU data,
no rule of the office and no text of the service competences ever used is *held* — each
dimension capped at ``unrecognised_cap`` (``data/weights.yml``), so it is never shown as an
excellent reply, with the words as evidence and a note that a trainer reviews it. The trainer's
rating teaches the words: a rated set's good reply when the learned half is fitted, a trainer's
correction rated good (overall 70 or more) when ``python -m review fit`` adopts a calibration
layer (its ``known_words``).

Only dictionary words count (the ``id_lemma_lookup`` table of spacy-lookups-data): regional
registers, chat spelling and typos are the reading's business, not a reason to hold a reply.
A capitalised word after an honorific is a name; a word one letter away from a known one is
a typo of it. The known words are built when the learned half is fitted (``learned.fit``)
and cached with it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, Iterable, Iterator, List, Sequence, Tuple

import yaml

from ..datafiles import strings_in
from .text import Analysed

ROOT = Path(__file__).resolve().parents[2]
NLU = ROOT / "data" / "nlu"
OFFICE = ROOT / "actions" / "data" / "office.yml"
SERVICE_WORDS = Path(__file__).resolve().parent / "data" / "service_words.yml"
# NLU intents that are no model of good service (their words stay unknown)
_NOT_SERVICE = frozenset({"dismiss"})
_CONTENT = re.compile(r"[a-z][a-z\-]{3,}")
_ENTITY = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")
_HONORIFICS = frozenset({"pak", "bu", "bapak", "ibu", "mas", "mbak", "bang", "kak", "teh",
                         "akang", "aa", "mbok", "bli", "uda", "uni", "cak", "ning", "om",
                         "tante", "saudara", "saudari", "nak", "dik", "adik"})


@lru_cache(maxsize=1)
def _stop_words() -> FrozenSet[str]:
    from spacy.lang.id.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def is_content(norm: str, lemma: str) -> bool:
    """A content word: four letters or more, not a function word."""
    stop = _stop_words()
    return bool(_CONTENT.fullmatch(norm)) and norm not in stop and lemma not in stop


def content_words(analysed: Analysed) -> Iterator[Tuple[str, str, str]]:
    """(surface, norm, lemma) of the reply's content words; names after an honorific and
    function words are left out."""
    previous = ""
    for token, norm, lemma in zip(analysed.tokens, analysed.norms, analysed.lemmas,
                                  strict=False):
        is_name = previous in _HONORIFICS and token[:1].isupper()
        previous = token.lower()
        if is_name or not is_content(norm, lemma):
            continue
        yield token, norm, lemma


def _add(words: set, analysed: Analysed) -> None:
    for _, norm, lemma in content_words(analysed):
        words.update((norm, lemma, *[p for p in norm.split("-") if p]))


def _nlu_examples() -> Iterator[str]:
    for path in sorted(NLU.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("nlu") or []:
            if not item.get("intent") or item["intent"] in _NOT_SERVICE:
                continue
            for line in str(item.get("examples") or "").splitlines():
                text = _ENTITY.sub(lambda m: m.group(1) or m.group(2) or "", line.strip())
                if text.startswith("- "):
                    yield text[2:]


def good_rating(item: Dict[str, Any]) -> bool:
    """A rated reply an expert calls good (4 or 5)."""
    if item.get("expert") is not None:
        return float(item["expert"]) >= 4
    dims = [item.get(k) for k in ("politeness", "clarity", "responsiveness")]
    if any(v is None for v in dims) or item.get("expert_bad"):
        return False
    return sum(dims) / 3 >= 4


def known_words(rated: Sequence[Dict[str, Any]], analyse: Any) -> FrozenSet[str]:
    """Every word of good service the scorer has seen: the good replies among ``rated`` (the
    tuning parts only), the clerk's NLU examples, the office's rules and the service words.
    ``analyse``: text -> Analysed."""
    words: set = set()
    texts: List[str] = [d["reply"] for d in rated if good_rating(d) and d.get("reply")]
    texts += list(_nlu_examples())
    texts += list(strings_in(yaml.safe_load(OFFICE.read_text(encoding="utf-8"))))
    for text in texts:
        _add(words, analyse(text))
    service = yaml.safe_load(SERVICE_WORDS.read_text(encoding="utf-8")) or {}
    words.update(w.lower() for w in service.get("words") or [])
    return frozenset(words)


def words_of(analysed: Analysed) -> FrozenSet[str]:
    """The content words (norms, lemmas, parts) of one text: what a good rating teaches."""
    words: set = set()
    _add(words, analysed)
    return frozenset(words)


def _one_off(word: str, known: FrozenSet[str]) -> bool:
    """A typo of a known word (one letter dropped, doubled or swapped)."""
    if len(word) < 5:
        return False
    for i in range(len(word)):
        if word[:i] + word[i + 1:] in known:
            return True
    return any(word[:i] + word[i + 1] + word[i] + word[i + 2:] in known
               for i in range(len(word) - 1))


def unrecognised(analysed: Analysed, known: FrozenSet[str], dictionary: Any,
                 taught: FrozenSet[str] = frozenset()) -> List[str]:
    """The reply's dictionary words that no good service ever used (surface forms, in order).
    ``dictionary``: word -> bool, true for a standard Indonesian word; ``taught``: the words of
    the trainers' good ratings (the adopted calibration layer)."""
    out: List[str] = []

    def seen(word: str) -> bool:
        return word in known or word in taught

    for surface, norm, lemma in content_words(analysed):
        if seen(norm) or seen(lemma):
            continue
        if "-" in norm and all(seen(p) for p in norm.split("-") if p):
            continue
        if not (dictionary(norm) or dictionary(lemma)) or _one_off(norm, known):
            continue
        if surface not in out:
            out.append(surface)
    return out


def evidence(words: Iterable[str]) -> str:
    """The held words as a trainer reads them."""
    return ", ".join(list(words)[:4])
