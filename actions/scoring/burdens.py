"""Burdens the office's rules do not hold: the reply is held for the trainer.

The word hold (``novelty.py``) cannot see a burden made of ordinary words: "Bapak harus
menunggu di kursi itu sampai sore, tidak boleh pulang", "jangan telepon kantor", "setiap
pertanyaan membuat berkas dipindah ke antrean belakang". Every word there is known, but not
as something a clerk may require of a citizen. A burden is the clause an opener starts
(``data/burdens.yml``: harus, wajib, jangan, tidak boleh, hanya ...). Its content words must
have appeared in a burden of good service (the good replies of the rated sets' tuning parts,
the clerk's NLU examples) or anywhere in the office's rules (``sop`` in office.yml).
Otherwise the reply is held like a reply with unknown words: each dimension is capped, the
clause is the evidence, and a trainer's good rating teaches its words (the calibration
layer's ``known_words``). The known words are fitted with the learned half and cached with it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, Iterator, List, Sequence, Tuple

import yaml

from .novelty import OFFICE, _nlu_examples, content_words, good_rating, is_content
from .text import Analysed

Word = Tuple[str, str, str]  # (surface, norm, lemma)
MARKERS = Path(__file__).resolve().parent / "data" / "burdens.yml"


@lru_cache(maxsize=1)
def _markers() -> Dict[str, FrozenSet[str]]:
    data = yaml.safe_load(MARKERS.read_text(encoding="utf-8"))
    return {key: frozenset(str(w) for w in data[key])
            for key in ("openers", "negated", "negations", "closers", "directives",
                        "segment_closers", "business_topics", "referrals")}


def clauses(analysed: Analysed) -> Iterator[Tuple[str, List[Word]]]:
    """Each burden of the text: (its wording, its content words as (surface, norm, lemma))."""
    marks = _markers()
    tokens, norms, lemmas = analysed.tokens, list(analysed.norms), list(analysed.lemmas)
    i, n = 0, len(tokens)
    while i < n:
        start = None
        if norms[i] in marks["openers"]:
            start = i + 1
        elif norms[i] in marks["negations"] and i + 1 < n and norms[i + 1] in marks["negated"]:
            start = i + 2
        if start is None:
            i += 1
            continue
        end = start
        while end < n and norms[end] not in marks["closers"] and tokens[end].lower() \
                not in marks["closers"]:
            end += 1
        words = [(tokens[k], norms[k], lemmas[k]) for k in range(start, end)
                 if is_content(norms[k], lemmas[k])]
        yield " ".join(tokens[i:end]), words
        i = max(end, i + 1)
    yield from _directives(tokens, norms, lemmas, marks)


def _directives(tokens: Sequence[str], norms: List[str], lemmas: List[str],
                marks: Dict[str, FrozenSet[str]]) -> Iterator[Tuple[str, List[Word]]]:
    """Each phrase between punctuation that holds a directive marker ("... saja")."""
    start = 0
    for end in range(len(tokens) + 1):
        if end < len(tokens) and tokens[end] not in marks["segment_closers"]:
            continue
        if any(norms[k] in marks["directives"] for k in range(start, end)):
            words = [(tokens[k], norms[k], lemmas[k]) for k in range(start, end)
                     if is_content(norms[k], lemmas[k])]
            yield " ".join(tokens[start:end]), words
        start = end + 1


def _sentence_words(analysed: Analysed, wording: str) -> FrozenSet[str]:
    """The norms and lemmas (also without "-nya") of the sentence a burden stands in: "Soal
    karyawan, KTP asli mereka Bapak simpan saja" is about the workers."""
    tokens, norms, lemmas = analysed.tokens, list(analysed.norms), list(analysed.lemmas)
    text = " ".join(tokens)
    at = text.find(wording)
    if at < 0:
        return frozenset()
    index = text[:at].count(" ") if at else 0
    start = index
    while start > 0 and tokens[start - 1] not in _STOPS:
        start -= 1
    end = index
    while end < len(tokens) and tokens[end] not in _STOPS:
        end += 1
    words: set = set()
    for k in range(start, end):
        words.update((norms[k], lemmas[k], norms[k].removesuffix("nya")))
    return frozenset(words)


_STOPS = frozenset({".", "!", "?", ";", "\n"})


def known_burden_words(rated: Sequence[Dict[str, Any]], analyse: Any) -> FrozenSet[str]:
    """The words of every burden good service laid, and every word of the office's rules.
    ``analyse``: text -> Analysed."""
    words: set = set()
    texts = [d["reply"] for d in rated if good_rating(d) and d.get("reply")]
    for text in [*texts, *_nlu_examples()]:
        for _, found in clauses(analyse(text)):
            words.update(w for _, norm, lemma in found for w in (norm, lemma))
    office = yaml.safe_load(OFFICE.read_text(encoding="utf-8"))
    for rule in office.get("sop") or []:
        words.update(w for _, norm, lemma in content_words(analyse(rule)) for w in (norm, lemma))
    return frozenset(words)


def unknown_burdens(analysed: Analysed, known: FrozenSet[str], dictionary: Any,
                    taught: FrozenSet[str] = frozenset()) -> List[str]:
    """The burdens of the reply with a dictionary word no burden of good service used, and
    those about the citizen's own business (its workers, buyers, taxes) that refer it nowhere."""
    out: List[str] = []
    marks = _markers()
    for wording, found in clauses(analysed):
        sentence = _sentence_words(analysed, wording)
        if sentence & marks["business_topics"] and not sentence & marks["referrals"]:
            out.append(wording)  # the citizen's own business: not the counter's to direct
            continue
        if any(norm not in known and lemma not in known and norm not in taught
               and lemma not in taught and (dictionary(norm) or dictionary(lemma))
               for _, norm, lemma in found):
            out.append(wording)
    return out
