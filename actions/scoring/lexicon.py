"""Load the YAML data files once and precompile every regex."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Pattern, Tuple

from .matcher import Alternative, LiteralIndex, Matcher
from .text import PhraseNorms, split_norms

DATA_DIR = Path(__file__).resolve().parent / "data"


def _load_yaml(name: str) -> Dict[str, Any]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    try:
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(text, Loader=loader) or {}  # noqa: S506 (safe loader)
    except ImportError:  # pragma: no cover - rasa-sdk-only images ship ruamel.yaml
        from ruamel.yaml import YAML

        return YAML(typ="safe").load(text) or {}


def compile_any(patterns: List[str]) -> Optional[Matcher]:
    """A Matcher for a list of patterns (None for an empty list)."""
    return Matcher(patterns) if patterns else None


def _union_gate(matchers: List[Matcher]) -> Optional[frozenset]:
    """Literals one of which must occur for any of the matchers to match (None if unknown)."""
    if any(m.always for m in matchers):
        return None
    return frozenset().union(*(m.gate for m in matchers))


def parse_rule(rule: str) -> List[Tuple[str, ...]]:
    """ "a|b & c" -> [("a", "b"), ("c",)]: all groups must hold, any name within a group."""
    return [tuple(n.strip() for n in part.split("|") if n.strip()) for part in rule.split("&")]


@dataclass
class Need:
    """A citizen need: how to detect it and what meets it."""

    name: str
    label: str
    priority: int
    detect: Optional[Matcher]
    met: List[List[Tuple[str, ...]]]
    partial: List[List[Tuple[str, ...]]]
    moves: Tuple[str, ...]
    effect: Dict[str, float]
    unless: Optional[Matcher] = None  # the line raises no such need when this matches
    fallback: bool = False  # detected only when no other need is
    about: Optional[Matcher] = None  # terms of the citizen's line a reply must take up


@dataclass
class Jargon:
    """A technical term, and wordings that count as explaining it."""

    term: Matcher
    expansions: Optional[Matcher]
    example: str = ""
    plain: Optional[Matcher] = None  # everyday wordings (an acronym's expansion is not one)
    key: str = ""  # the term's name (first alternative, e.g. "oss")


@dataclass(frozen=True)
class KeywordString:
    """When a stretch of words is a string of scored phrases rather than a sentence."""

    min_words: int
    min_words_without_glue: int
    min_items: int
    min_coverage: float
    min_kinds: int
    concepts: Tuple[str, ...]
    glue: frozenset
    kindless: frozenset = frozenset()
    predicates: frozenset = frozenset()


@dataclass(frozen=True)
class Negation:
    """Negators, the tokens a negation reaches, clause boundaries, concepts it flips."""

    negators: frozenset
    window: int
    boundaries: frozenset
    polar: frozenset
    refusal_verbs: frozenset


@dataclass
class Lexicon:
    """Everything loaded from data/*.yml."""

    version: str
    weights: Dict[str, Any]
    norms: Dict[str, str]
    # English read as Indonesian, for a citizen who spoke English: (words, two-word phrases)
    english_norms: Tuple[Dict[str, str], PhraseNorms]
    slang: frozenset
    abbreviations: frozenset
    rude_you_context: Optional[Matcher]
    greeting_timed: Matcher
    greeting_bare: Pattern[str]
    greeting_other: Optional[Matcher]
    greeting_casual: Optional[Matcher]
    greeting_windows: Dict[str, Tuple[int, int]]
    imperatives: frozenset
    softeners: frozenset
    warm_jangan: frozenset
    concepts: Dict[str, Matcher]
    jargon: List[Jargon]
    explain_cue: Pattern[str]
    plain_cue: Optional[Pattern[str]]
    english: frozenset
    english_loans: frozenset
    keyword_string: KeywordString
    needs: List[Need]
    secondary_factor: float
    vague_downgrades: frozenset
    moves: List[Tuple[str, Matcher]]
    tips: Dict[str, Any]
    labels: Dict[str, str]
    act_marks: Dict[str, Tuple[str, ...]] = field(default_factory=dict)
    scenario_known_terms: Dict[str, frozenset] = field(default_factory=dict)
    scenario_wrong_marks: Dict[str, Dict[str, Any]] = field(default_factory=dict)
    scenario_facts: Dict[str, Dict[str, Any]] = field(default_factory=dict)
    content_concepts: Tuple[str, ...] = ()
    content_needs: frozenset = frozenset()
    ignored_need_caps: frozenset = frozenset()
    negation: Negation = field(
        default_factory=lambda: Negation(frozenset(), 0, frozenset(), frozenset(), frozenset())
    )
    known_acronyms: frozenset = field(default_factory=frozenset)
    literal_index: Optional[LiteralIndex] = None
    jargon_gate: Optional[frozenset] = None  # literals of all jargon terms (None: no gate)
    # prefilter literal -> (concept, alternative) it unlocks; concept -> alternatives never gated
    concept_by_literal: Dict[str, List[Tuple[str, Alternative]]] = field(default_factory=dict)
    concept_always: Dict[str, List[Alternative]] = field(default_factory=dict)
    lemma_concepts: Dict[str, frozenset] = field(default_factory=dict)
    address_kind: Dict[str, str] = field(default_factory=dict)  # token -> male/female/...


def _build() -> Lexicon:
    lex = _load_yaml("lexicon.yml")
    weights = _load_yaml("weights.yml")
    needs_doc = _load_yaml("needs.yml")
    moves_doc = _load_yaml("moves.yml")
    tips_doc = _load_yaml("tips.yml")
    labels_doc = _load_yaml("labels.yml")

    concepts = {}
    for name, pats in (lex.get("concepts") or {}).items():
        rx = compile_any([str(p) for p in pats])
        if rx is not None:
            concepts[name] = rx

    default_effect = needs_doc.get("default_effect", {"met": 24, "partial": 6, "unmet": -16})
    needs: List[Need] = []
    for name, spec in (needs_doc.get("needs") or {}).items():
        needs.append(
            Need(
                name=name,
                label=str(spec.get("label", name)),
                priority=int(spec.get("priority", 99)),
                detect=compile_any([str(p) for p in spec.get("detect") or []]),
                met=[parse_rule(r) for r in spec.get("met") or []],
                partial=[parse_rule(r) for r in spec.get("partial") or []],
                moves=tuple(spec.get("moves") or ()),
                effect={**default_effect, **(spec.get("effect") or {})},
                unless=compile_any([str(p) for p in spec.get("unless") or []]),
                fallback=bool(spec.get("fallback", False)),
                about=compile_any([str(p) for p in spec.get("about") or []]),
            )
        )
    needs.sort(key=lambda n: n.priority)

    moves = []
    for entry in moves_doc.get("order") or []:
        rx = compile_any([str(p) for p in entry.get("patterns") or []])
        if rx is not None:
            moves.append((str(entry["move"]), rx))

    jargon = []
    acronyms = set()
    for item in lex.get("jargon") or []:
        term = str(item["term"])
        jargon.append(
            Jargon(
                Matcher([rf"(?:{term})(?!\.\w)"]),  # "oss.go.id" is an address, not jargon
                compile_any([str(p) for p in item.get("expansions") or []]),
                str(item.get("example") or ""),
                compile_any([str(p) for p in item.get("plain") or []]),
                re.split(r"[^a-z]", term)[0] or term,
            )
        )
        for alt in re.split(r"[|()?]", term):
            if alt.isalpha() and len(alt) <= 6:
                acronyms.add(alt)
    for doc in (
        "ktp",
        "npwp",
        "nib",
        "skdu",
        "siup",
        "tdp",
        "pt",
        "cv",
        "rt",
        "rw",
        "kk",
        "sms",
        "wa",
        "ptsp",
        "dukcapil",
    ):
        acronyms.add(doc)

    reply_matchers = list(concepts.values()) + [m for _, m in moves]
    reply_matchers += [jg.term for jg in jargon] + [
        jg.expansions for jg in jargon if jg.expansions is not None
    ] + [jg.plain for jg in jargon if jg.plain is not None]
    index = LiteralIndex(lit for m in reply_matchers for lit in m.literals())

    by_literal: Dict[str, List[Tuple[str, Alternative]]] = {}
    for name, matcher in concepts.items():
        for lit, alts in matcher.by_literal.items():
            by_literal.setdefault(lit, []).extend((name, a) for a in alts)

    neg = lex.get("negation") or {}
    kw = lex.get("keyword_string") or {}
    hon = lex.get("honorifics") or {}
    greet = lex.get("greetings") or {}
    return Lexicon(
        version=str(weights.get("version", "unknown")),
        weights=weights,
        norms={str(k): str(v) for k, v in (lex.get("norms") or {}).items()},
        english_norms=split_norms({str(k): str(v) for k, v in
                                   (lex.get("english_norms") or {}).items()}),
        slang=frozenset(lex.get("slang") or ()),
        abbreviations=frozenset(lex.get("abbreviations") or ()),
        rude_you_context=compile_any(hon.get("rude_you_context") or []),
        greeting_timed=Matcher([greet.get("timed", "selamat (pagi|siang|sore|malam)")]),
        greeting_bare=re.compile(greet.get("bare_timed", r"^(pagi|siang|sore|malam)\b")),
        greeting_other=compile_any(greet.get("other") or []),
        greeting_casual=compile_any(greet.get("casual") or []),
        greeting_windows={
            k: (int(v[0]), int(v[1])) for k, v in (greet.get("windows") or {}).items()
        },
        imperatives=frozenset(lex.get("imperatives") or ()),
        softeners=frozenset(lex.get("softeners") or ()),
        warm_jangan=frozenset(lex.get("warm_jangan") or ()),
        concepts=concepts,
        jargon=jargon,
        explain_cue=re.compile(str(lex.get("explain_cue", r"^\s*\("))),
        plain_cue=re.compile(str(lex["plain_cue"])) if lex.get("plain_cue") else None,
        english=frozenset(lex.get("english") or ()),
        english_loans=frozenset(lex.get("english_loans") or ()),
        keyword_string=KeywordString(
            min_words=int(kw.get("min_words", 5)),
            min_words_without_glue=int(kw.get("min_words_without_glue", 6)),
            min_items=int(kw.get("min_items", 3)),
            min_coverage=float(kw.get("min_coverage", 0.7)),
            min_kinds=int(kw.get("min_kinds", 3)),
            concepts=tuple(kw.get("concepts") or ()),
            glue=frozenset(kw.get("glue") or ()),
            kindless=frozenset(kw.get("kindless") or ()),
            predicates=frozenset(kw.get("predicates") or ()),
        ),
        needs=needs,
        secondary_factor=float(needs_doc.get("secondary_factor", 0.5)),
        vague_downgrades=frozenset(needs_doc.get("vague_downgrades") or ()),
        moves=moves,
        tips=tips_doc.get("tips") or {},
        labels={str(k): str(v) for k, v in (labels_doc.get("labels") or {}).items()},
        act_marks={str(k): tuple(v) for k, v in (lex.get("act_marks") or {}).items()},
        scenario_wrong_marks=dict(lex.get("scenario_wrong_marks") or {}),
        scenario_facts=dict(lex.get("scenario_facts") or {}),
        content_concepts=tuple(lex.get("content_concepts") or ()),
        content_needs=frozenset(needs_doc.get("content_needs") or ()),
        ignored_need_caps=frozenset(needs_doc.get("ignored_need_caps") or ()),
        scenario_known_terms={
            str(k): frozenset(v) for k, v in (lex.get("scenario_known_terms") or {}).items()
        },
        negation=Negation(
            negators=frozenset(neg.get("negators") or ()),
            window=int(neg.get("window", 4)),
            boundaries=frozenset(neg.get("boundaries") or ()),
            polar=frozenset(neg.get("polar") or ()),
            refusal_verbs=frozenset(neg.get("refusal_verbs") or ()),
        ),
        known_acronyms=frozenset(acronyms),
        literal_index=index,
        jargon_gate=_union_gate([jg.term for jg in jargon]),
        concept_by_literal=by_literal,
        concept_always={name: m.always for name, m in concepts.items() if m.always},
        lemma_concepts={k: frozenset(v) for k, v in (lex.get("lemma_concepts") or {}).items()},
        address_kind={
            str(w): kind for kind, words in hon.items() if kind != "rude_you_context" for w in words
        },
    )


_lock = threading.Lock()
_lexicon: Optional[Lexicon] = None


def get_lexicon() -> Lexicon:
    """The process-wide lexicon (YAML read and regexes compiled on first call)."""
    global _lexicon
    if _lexicon is None:
        with _lock:
            if _lexicon is None:
                _lexicon = _build()
    return _lexicon


def read_version() -> str:
    """Rubric version string from weights.yml (cheap; used for SCORER_VERSION)."""
    try:
        return str(_load_yaml("weights.yml").get("version", "unknown"))
    except Exception:  # pragma: no cover
        return "unknown"
