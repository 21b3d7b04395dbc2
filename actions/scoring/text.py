"""Text cleaning, tokenisation and normalisation for the scorer.

Tokenisation uses spaCy's Indonesian tokenizer rules (the tokenizer of
``spacy.blank("id")``, built without its slow-to-load hyphen special cases, see
``_indonesian_tokenizer``). Informal spellings are normalised with the
``id_lexeme_norm`` table and lemmas come from the ``id_lemma_lookup`` table, both
shipped by spacy-lookups-data and read from the installed package (nothing is
downloaded). The ``norms`` of ``data/lexicon.yml`` add chat spellings the table
lacks (aja, gimana, bentar ...).

Everything heavy is loaded once per process, lazily, behind a lock. If spaCy or
the tables cannot be loaded, a regex tokenizer and the YAML norms are used instead.
"""

from __future__ import annotations

import html
import logging
import os
import re
import sys
import threading
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, Callable, Dict, List, Optional, Tuple

from . import hashtags

logger = logging.getLogger(__name__)

_CONTROL_RE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)
_TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]{0,300}>|<!--.*?-->", re.S)
_WS_RE = re.compile(r"\s+")
_REDUP_RE = re.compile(r"^([a-z]{3,})2(nya|an|kan|lah)?$")  # berkas2nya -> berkas-berkasnya
_NUM_WORD_RE = re.compile(r"^(\d+)([a-z]{1,6})$")  # 2hr -> 2 hari
_REPEAT_RE = re.compile(r"([a-z])\1{2,}")  # lengkaaap, gratisss, tolooong
_ACCENTED = re.compile(r"[éèê]")
_FALLBACK_TOKEN_RE = re.compile(r"\w+(?:[-'./]\w+)*|[^\w\s]", re.U)
_CACHE_LIMIT = 50_000


@dataclass(frozen=True)
class Cleaned:
    """A reply after cleaning, with flags describing what cleaning did."""

    text: str
    original_length: int
    truncated: bool
    html_removed: bool
    control_removed: bool


def clean(text: str, max_chars: int) -> Cleaned:
    """Unicode-normalise, strip HTML and control characters, collapse spaces, cap length."""
    original_length = len(text)
    # Cap early (with slack) so pathological inputs stay cheap.
    if len(text) > max_chars * 4:
        text = text[: max_chars * 4]
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    html_removed = False
    if "<" in text or "&" in text:
        stripped = _TAG_RE.sub(" ", text)
        html_removed = stripped != text
        text = html.unescape(stripped)
    if "|" in text:  # a markdown table: each row a sentence ("SKDU: belum.")
        text = _table_rows(text)
    without_ctrl = _CONTROL_RE.sub(" ", text)
    control_removed = without_ctrl != text
    text = _WS_RE.sub(" ", without_ctrl).strip()
    truncated = False
    if len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars)
        text = text[: cut if cut > max_chars // 2 else max_chars].rstrip()
        truncated = True
    return Cleaned(
        text,
        original_length,
        truncated or original_length > max_chars * 4,
        html_removed,
        control_removed,
    )


_TABLE_ROW = re.compile(r"^[ \t]*\|(.*)\|[ \t]*$", re.M)
_TABLE_RULE = re.compile(r"^[\s|:-]*$")


def _table_rows(text: str) -> str:
    """Markdown table rows as sentences: cells joined by colons, separator rows dropped."""
    def row(m: re.Match) -> str:
        if _TABLE_RULE.match(m.group(1)):
            return ""
        cells = [c.strip() for c in m.group(1).split("|") if c.strip()]
        return ": ".join(cells) + "." if cells else ""
    return _TABLE_ROW.sub(row, text)


PhraseNorms = Dict[Tuple[str, str], Tuple[str, str]]


def split_norms(table: Dict[str, str]) -> Tuple[Dict[str, str], PhraseNorms]:
    """A norms table as (one-word norms, two-word phrase norms). A phrase is two words and
    becomes two words ("matur nuwun" -> "terima kasih") or one ("dipun priksa" -> "diperiksa":
    the second word's norm is then empty and the space between them goes)."""
    words = {k: v for k, v in table.items() if " " not in k}
    phrases: PhraseNorms = {}
    for key, value in table.items():
        k, v = key.split(), value.split()
        if len(k) == 2 and len(v) in (1, 2):
            phrases[(k[0], k[1])] = (v[0], v[1] if len(v) == 2 else "")
        elif " " in key:
            raise ValueError(f"norm {key!r}: {value!r}: a phrase is two words, to one or two")
    return words, phrases


def _apply_phrases(norms: List[str], lower: List[str], phrases: PhraseNorms) -> None:
    for i in range(len(lower) - 1):
        pair = phrases.get((lower[i], lower[i + 1]))
        if pair is not None:
            norms[i], norms[i + 1] = pair


class _Resources:
    """Tokenizer and lookup tables, loaded once."""

    def __init__(self, extra_norms: Dict[str, str]) -> None:
        self.extra_norms, self.phrase_norms = split_norms(extra_norms)
        self.tokenize: Callable[[str], List[Tuple[str, int, str]]] = _fallback_tokenize
        self.norm_table: Any = None
        self.lemma_table: Any = None
        self.lemma_set: frozenset = frozenset()  # known lemmas (values of id_lemma_lookup)
        self.cache: Dict[str, Tuple[str, str]] = {}
        self.norm_cache: Dict[str, str] = {}
        try:
            spacy = _import_spacy()
            tokenizer = _indonesian_tokenizer(spacy)

            def _spacy_tokenize(text: str) -> List[Tuple[str, int, str]]:
                return [(t.text, t.idx, t.whitespace_) for t in tokenizer(text)]

            self.tokenize = _spacy_tokenize
            try:
                from spacy.lookups import load_lookups

                lookups = load_lookups("id", ["lexeme_norm", "lemma_lookup"], strict=False)
                if lookups.has_table("lexeme_norm"):
                    self.norm_table = lookups.get_table("lexeme_norm")
                if lookups.has_table("lemma_lookup"):
                    self.lemma_table = lookups.get_table("lemma_lookup")
                    self.lemma_set = frozenset(self.lemma_table.values())
            except Exception as exc:  # pragma: no cover - depends on installed packages
                logger.warning(
                    "spacy-lookups-data tables unavailable (%s); using YAML norms only", exc
                )
        except Exception as exc:  # pragma: no cover - depends on installed packages
            logger.warning("spaCy unavailable (%s); using regex tokenizer", exc)

    def _strip_affixes(self, word: str) -> Optional[str]:
        """A known lemma reached by stripping common affixes (diperiksa -> periksa), or None."""
        if len(word) < 5 or not word.isalpha() and "-" not in word:
            return None
        for cand in _affix_candidates(word):
            lemma = cand if cand in self.lemma_set else self.lemma_table.get(cand)
            if lemma:
                return lemma
        return None

    def is_standard_word(self, word: str) -> bool:
        """A word of the standard Indonesian dictionary (id_lemma_lookup's forms or lemmas)."""
        return bool(word in self.lemma_set or (
            self.lemma_table is not None and word in self.lemma_table))

    def knows(self, word: str) -> bool:
        """A word of Indonesian as the tables know it: a form, a lemma, a norm of ours, or a
        known lemma once its affixes are stripped (a regional word is none of these)."""
        if self._known(word):
            return True
        return self.lemma_table is not None and self._strip_affixes(word) is not None

    def _known(self, word: str) -> bool:
        return bool(word in self.extra_norms or word in self.lemma_set or (
            self.norm_table is not None and word in self.norm_table) or (
            self.lemma_table is not None and word in self.lemma_table))

    def _collapse(self, lower: str) -> str:
        """A word typed with repeated letters, as written (lengkaaap -> lengkap, maaaf -> maaf)."""
        double = _REPEAT_RE.sub(r"\1\1", lower)
        single = _REPEAT_RE.sub(r"\1", lower)
        for cand in (single, double):
            if self._known(cand):
                return self.norm_lemma(cand)[0]
        return single

    def norm_lemma(self, lower: str) -> Tuple[str, str]:
        """Return (norm, lemma) for a lower-case token, cached."""
        hit = self.cache.get(lower)
        if hit is not None:
            return hit
        norm = self.extra_norms.get(lower)
        if norm is None and self.norm_table is not None:
            norm = self.norm_table.get(lower)
        if norm is None:
            m = _REDUP_RE.match(lower)
            if m:
                norm = f"{m.group(1)}-{m.group(1)}{m.group(2) or ''}"
            else:
                m = _NUM_WORD_RE.match(lower)
                if m:
                    unit = self.extra_norms.get(m.group(2), m.group(2))
                    norm = f"{m.group(1)} {unit}"
        if norm is None and len(lower) > 6 and lower.endswith("ipun"):  # Javanese -ipun: -nya
            base = lower[:-4]  # after a vowel it is -nipun: terimanipun -> terima
            if lower.endswith("nipun") and not self._known(base) and self._known(lower[:-5]):
                base = lower[:-5]
            norm = self.norm_lemma(base)[0] + "nya"
        if (norm is None and len(lower) > 5 and lower.endswith("na") and self.lemma_table
                is not None and not self._known(lower) and self._known(lower[:-2])):
            norm = lower[:-2] + "nya"  # Sundanese -na: suratna -> suratnya
        if norm is None and len(lower) > 4 and lower[-3:] in ("-na", "-ne"):
            norm = self.norm_lemma(lower[:-3])[0] + "nya"  # "HP-na", "KTP-ne": its HP, its KTP
        if norm is None and len(lower) > 5 and self.lemma_table is not None and \
                not self._known(lower):  # Javanese -e/-ne: berkase -> berkasnya, usahane
            if lower.endswith("ne") and lower[-3] in "aiueo" and self._known(lower[:-2]):
                norm = lower[:-2] + "nya"
            elif lower.endswith("nye") and self._known(lower[:-3]):  # Betawi: ongkosnye
                norm = lower[:-3] + "nya"
            elif lower[-2:] in ("mi", "ji") and self._known(lower[:-2]):  # Makassar/Bugis
                norm = self.norm_lemma(lower[:-2])[0]  # enclitics: "lengkapmi", "gratisji"
            elif lower.endswith("e") and lower[-2] not in "aiueo" and self._known(lower[:-1]):
                norm = lower[:-1] + "nya"
        if norm is None and _ACCENTED.search(lower):  # Sundanese spelling: "cék", "méja"
            plain = _ACCENTED.sub("e", lower)
            norm = self.norm_lemma(plain)[0]
        if norm is None and _REPEAT_RE.search(lower):
            norm = self._collapse(lower)
        if norm is None:
            norm = lower
        lemma = norm
        if self.lemma_table is not None and " " not in norm:
            lemma = self.lemma_table.get(norm) or self._strip_affixes(norm) or norm
        if len(self.cache) > _CACHE_LIMIT:
            self.cache.clear()
            self.norm_cache.clear()
        self.cache[lower] = (norm, lemma)
        self.norm_cache[lower] = norm
        return norm, lemma


_CLITICS = ("nya", "lah", "kah", "pun")
_PREFIXES = ("diper", "di", "ter", "ke")
_SUFFIXES = ("kan", "i")


def _affix_candidates(word: str) -> List[str]:
    """Stems to try for a word the lemma table lacks: clitic, di-/ter-/ke-, -kan/-i."""
    word = word.replace("-", "") if word.count("-") == 1 and word.endswith(_CLITICS) else word
    bases = [word] + [word[: -len(c)] for c in _CLITICS if word.endswith(c)]
    out: List[str] = []
    for base in bases:
        stems = [base] + [base[len(p) :] for p in _PREFIXES if base.startswith(p)]
        for stem in stems:
            out.append(stem)
            out.extend(stem[: -len(x)] for x in _SUFFIXES if stem.endswith(x))
    return [c for c in out if len(c) >= 3 and c != word]


def _import_spacy() -> Any:
    """Import spaCy without letting thinc pull in TensorFlow.

    thinc (spaCy's ML library) imports TensorFlow when it is installed, as it is in a
    Rasa environment; that costs seconds and memory and the scorer never uses it.
    TensorFlow is hidden only while spaCy is imported and is importable again afterwards.
    """
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    hidden = "tensorflow" not in sys.modules and not os.environ.get("PTSP_SCORING_ALLOW_TF")
    if hidden:
        sys.modules["tensorflow"] = None  # type: ignore[assignment]
    try:
        import spacy
    finally:
        if hidden and "tensorflow" in sys.modules and sys.modules["tensorflow"] is None:
            del sys.modules["tensorflow"]
    return spacy


def _indonesian_tokenizer(spacy: Any) -> Any:
    """spaCy's Indonesian tokenizer rules, built fast.

    ``spacy.blank("id")`` spends ~5 s registering ~15,600 hyphenated special cases
    (sama-sama, apa-apa ...) whose only effect is to keep such words whole; one
    ``token_match`` rule does the same. Falls back to ``spacy.blank("id")``.
    """
    try:
        from spacy.lang.id import IndonesianDefaults as defaults
        from spacy.tokenizer import Tokenizer
        from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex
        from spacy.vocab import Vocab

        rules = {k: v for k, v in defaults.tokenizer_exceptions.items() if "-" not in k}
        hyphen_word = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)+$")
        base_match = defaults.token_match

        def token_match(text: str) -> Any:
            return hyphen_word.match(text) or (base_match(text) if base_match else None)

        return Tokenizer(
            Vocab(lex_attr_getters=dict(defaults.lex_attr_getters)),
            rules=rules,
            prefix_search=compile_prefix_regex(defaults.prefixes).search,
            suffix_search=compile_suffix_regex(defaults.suffixes).search,
            infix_finditer=compile_infix_regex(defaults.infixes).finditer,
            token_match=token_match,
            url_match=defaults.url_match,
        )
    except Exception as exc:  # pragma: no cover - depends on spaCy internals
        logger.info("fast Indonesian tokenizer unavailable (%s); using spacy.blank('id')", exc)
        return spacy.blank("id").tokenizer


def _fallback_tokenize(text: str) -> List[Tuple[str, int, str]]:
    out: List[Tuple[str, int, str]] = []
    for m in _FALLBACK_TOKEN_RE.finditer(text):
        end = m.end()
        ws = " " if end < len(text) and text[end].isspace() else ""
        out.append((m.group(0), m.start(), ws))
    return out


_lock = threading.Lock()
_resources: Optional[_Resources] = None


def resources(extra_norms: Dict[str, str]) -> _Resources:
    """The process-wide tokenizer/tables, created on first use."""
    global _resources
    if _resources is None:
        with _lock:
            if _resources is None:
                _resources = _Resources(extra_norms)
    return _resources


class Analysed:
    """A cleaned text with raw tokens, norms, lemmas and a normalised string.

    ``norm`` is the lower-cased text with every token replaced by its norm and the
    original spacing kept, so regexes can be written in standard spelling.
    ``span()`` maps a match in ``norm`` back to the original wording for evidence.
    """

    __slots__ = (
        "text",
        "tokens",
        "lower_tokens",
        "norms",
        "words",
        "norm",
        "_res",
        "_norm_starts",
        "_raw_starts",
        "_raw_ends",
        "_lemmas",
    )

    def __init__(self, text: str, res: _Resources,
                 overrides: Optional[Tuple[Dict[str, str], PhraseNorms]] = None) -> None:
        """``overrides``: (word norms, two-word phrase norms) applied on top of the usual ones
        (the English a foreign owner's clerk answers in, read as its Indonesian)."""
        text = hashtags.expand(text, res.knows)  # "#uangrokokwelcome" -> "uang rokok welcome"
        self.text = text
        self._res = res
        toks = res.tokenize(text) if text else []
        tokens = [t for t, _, _ in toks]
        lower = [t.lower() for t in tokens]
        cache = res.norm_cache
        norms = [cache.get(t) or res.norm_lemma(t)[0] for t in lower]
        phrases = res.phrase_norms
        if phrases and len(lower) > 1:  # two-word phrases ("matur nuwun" -> "terima kasih")
            _apply_phrases(norms, lower, phrases)
        if overrides:
            words, pairs = overrides
            norms = [words.get(t, n) for t, n in zip(lower, norms, strict=True)]
            _apply_phrases(norms, lower, pairs)
        pieces = [n + ("" if i + 1 < len(norms) and not norms[i + 1] else ws)
                  for i, (n, (_, _, ws)) in enumerate(zip(norms, toks, strict=False))]
        self.tokens = tokens
        self.lower_tokens = lower
        self.norms = norms
        self.norm = "".join(pieces)
        self._norm_starts = [0, *accumulate(len(p) for p in pieces)][:-1] if pieces else []
        self._raw_starts = [idx for _, idx, _ in toks]
        self._raw_ends = [idx + len(t) for t, idx, _ in toks]
        self._lemmas: Optional[List[str]] = None
        self.words = [t for t in lower if t[:1].isalpha() or any(c.isalpha() for c in t)]

    @property
    def lemmas(self) -> List[str]:
        """Lookup lemmas (id_lemma_lookup) of the normalised tokens, computed on demand."""
        if self._lemmas is None:
            self._lemmas = [self._res.norm_lemma(t)[1] for t in self.lower_tokens]
        return self._lemmas

    @property
    def norm_starts(self) -> List[int]:
        """Offset of every token in ``norm``."""
        return self._norm_starts

    def token_norm_span(self, i: int) -> Tuple[int, int]:
        """Span of token i in ``norm``."""
        start = self._norm_starts[i]
        return start, start + len(self.norms[i])

    def span(self, start: int, end: int) -> str:
        """Original text covering the normalised span [start, end)."""
        if not self._norm_starts:
            return ""
        i = max(bisect_right(self._norm_starts, start) - 1, 0)
        j = max(bisect_right(self._norm_starts, max(end - 1, start)) - 1, i)
        return self.text[self._raw_starts[i] : self._raw_ends[j]]

    def knows(self, word: str) -> bool:
        """Whether ``word`` (lower case) is Indonesian as the lookup tables and norms know it."""
        return self._res.knows(word)

    @property
    def word_count(self) -> int:
        return len(self.words)
