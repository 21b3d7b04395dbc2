"""Per-call scoring context: the analysed reply/citizen line plus cached lookups."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Dict, List, Optional, Set, Tuple

from .lexicon import Lexicon, Need
from .matcher import Alternative, findall_alternatives, search_alternatives
from .text import Analysed

SCENARIOS = (
    "renewal_complete",
    "renewal_incomplete",
    "upset_customer",
    "confused_customer",
    "gratuity_offer",
)
MOVES = (
    "greet",
    "ask_documents",
    "check_documents",
    "inform_documents_complete",
    "inform_documents_incomplete",
    "explain_requirements",
    "explain_procedure",
    "inform_duration",
    "inform_cost",
    "offer_more_help",
    "give_receipt",
    "goodbye",
    "apologize",
    "empathize",
    "ask_information",
    "refuse_gratuity",
    "ask_wait",
    "dismiss",
    "nlu_fallback",
)


_GLOTTAL = frozenset(("'", "\u2019"))
_UNSET = object()
_CAPS_WORD = re.compile(r"\b[A-Z][A-Z\-]{2,}\b")
# a clause saying what is missing ends at a stop or a contrast ("lengkap, tapi SKDU belum ada")
_MISSING_CLAUSE = re.compile(r"[.!?;\n]|,?\s\b(?:tapi|tetapi|namun|sedangkan|hanya saja)\b")


@dataclass(slots=True)
class Effect:
    """One scored observation: which dimension, which signal, the words, the points."""

    dimension: str
    signal: str
    text: str
    effect: float
    hint: str = ""  # extra wording for the tip (not part of the evidence)

    def as_dict(self, labels: Optional[Dict[str, str]] = None) -> Dict[str, object]:
        """The evidence item; ``label`` is the Indonesian name a trainee or trainer reads (of
        the whole signal, ``need_met:bribe``, else of its kind, ``need_met``), ``text`` the
        words of the reply it is about (or a measure: "150 detik"), quoted under the label."""
        labels = labels or {}
        kind = self.signal.split(":", 1)[0]
        return {
            "dimension": self.dimension,
            "signal": self.signal,
            "label": labels.get(self.signal) or labels.get(kind, ""),
            "text": "" if kind in _UNQUOTED else self.text,
            "effect": int(round(self.effect)),
        }


_OLD_PERMIT = re.compile(r"izin")
_EXPIRY = re.compile(r"masa berlaku|habis|kedaluwarsa|kadaluarsa|berakhir|mati")
# "NPWP tidak ada masa berlakunya", "ga ada expired": the document is valid, nothing is missing
_SUBSTITUTE = re.compile(r"(?<!\w)(?:menggantikan|mengganti|pengganti|gantinya)(?!\w)")
_NO_EXPIRY = re.compile(r"(?:tidak|tak|nggak|gak|ga) (?:ada |pernah |punya )?"
                        r"(?:masa berlaku|expired|kedaluwarsa|kadaluarsa|kadaluwarsa|batas waktu|"
                        r"habis|mati|berakhir)")

# Signals whose text is not the clerk's words but what the citizen asked (a need's name, its
# words) or an internal code: the label says it all, nothing is quoted.
_UNQUOTED = frozenset({"answer_clear", "answer_partial", "no_answer", "courtesy_instead_of_answer",
                       "thorough", "unknown_move", "unknown_scenario"})


@dataclass
class JargonHit:
    """A jargon term found in the reply and how it was explained.

    ``explained``: expanded or put in plain words (here or earlier in the visit);
    ``plain``: put in everyday words (an acronym's expansion alone is not plain).
    """

    text: str
    explained: bool
    example: str = ""
    plain: bool = False
    key: str = ""
    expanded: bool = False
    known: bool = False  # known before this reply (explained earlier, or the citizen's own word)


def spoke_english(lex: Lexicon, line: Optional[Analysed]) -> bool:
    """The line (the citizen's) is in English: three English words or more, a third of it."""
    if line is None:
        return False
    words = [t.split("-")[0] for t in line.words]
    eng = [t for t in words if t in lex.english]
    return len(eng) >= 3 and len(eng) >= 0.35 * len(words)


class Context:
    """Inputs of one call, with cached concept matches on the normalised reply."""

    def __init__(
        self,
        lex: Lexicon,
        reply: Analysed,
        customer: Optional[Analysed],
        scenario: Optional[str],
        move: str,
        move_given: bool,
        honorific: Optional[str],
        latency: Optional[float],
        hour: Optional[int],
        customer_needs: Optional[List[Tuple[Need, str]]] = None,
        known_terms: frozenset = frozenset(),
        open_need: Optional[str] = None,
    ) -> None:
        self.open_need = open_need
        self._polar = lex.negation.polar
        self.known_terms = known_terms  # jargon explained plainly earlier in the visit
        self._customer_terms: Optional[frozenset] = None
        self.lex = lex
        self.reply = reply
        self.customer = customer
        self.scenario = scenario
        self.move = move
        self.move_given = move_given
        self.honorific = honorific
        self.latency = latency
        self.hour = hour
        self._first: Dict[str, Optional[Tuple[int, int]]] = {}
        self._jargon: Optional[List[JargonHit]] = None
        self._needs: Optional[List[Tuple[Need, str]]] = None
        self._line_needs = customer_needs if customer is not None else None
        self._need_names: Optional[List[str]] = None
        self._status: Dict[str, Tuple[str, str]] = {}
        index = lex.literal_index
        # prefilter literals occurring in the normalised reply
        self.present: Optional[Set[str]] = index.present(reply.norm) if index is not None else None
        # concept -> alternatives whose prefilter literal occurs in the reply (computed lazily)
        self._cands: Dict[str, List[Alternative]] = {}
        self._slang: Optional[List[str]] = None
        self._abbr: Optional[List[str]] = None
        self._caps: Optional[List[str]] = None
        self._negated: Optional[List[bool]] = None
        self._derived: Dict[str, bool] = {}
        self._lemma_positions: Optional[Dict[str, List[int]]] = None
        self.courteous = False  # set by politeness signals: any courtesy marker
        self.addressed = False  # set by politeness signals: Bapak/Ibu/Anda/Mas/Mbak used

    # ---- concept matching -------------------------------------------------
    def possible(self, concepts: Tuple[str, ...]) -> List[str]:
        """The concepts of ``concepts`` that can match this reply (a literal of theirs occurs)."""
        if self.present is None:
            return list(concepts)
        present, matchers = self.present, self.lex.concepts
        always, lemmas = self.lex.concept_always, self.lex.lemma_concepts
        return [c for c in concepts
                if c in always or c in lemmas or c in _DERIVED or c not in matchers
                or not matchers[c].gate.isdisjoint(present)]

    def citizen_spoke_english(self) -> bool:
        """The citizen's line was in English (a foreign owner): an English answer is right."""
        return spoke_english(self.lex, self.customer)

    def has(self, concept: str) -> bool:
        """True when the concept (lexicon or derived) occurs in the reply (cached per reply)."""
        sp = self._first.get(concept, _UNSET)
        if sp is not _UNSET:
            return sp is not None
        derived = _DERIVED.get(concept)
        if derived is not None:
            held = self._derived.get(concept)
            if held is None:
                held = self._derived[concept] = bool(derived(self))
            return held
        return self._span(concept) is not None

    def _span(self, concept: str) -> Optional[Tuple[int, int]]:
        sp = self._first.get(concept, _UNSET)
        if sp is _UNSET:
            alts = self._alternatives(concept)
            polar = concept in self._polar
            if not alts:
                sp = None
            elif polar:
                sp = search_alternatives(alts, self.reply.norm)
                if sp is not None and self.negated_at(sp[0]):  # look past negated matches
                    sp = next(
                        (s for s in findall_alternatives(alts, self.reply.norm)
                         if not self.negated_at(s[0])),
                        None,
                    )
            else:
                sp = search_alternatives(alts, self.reply.norm)
            if sp is None and concept in self.lex.lemma_concepts:
                sp = self._lemma_span(self.lex.lemma_concepts[concept], polar)
            self._first[concept] = sp
        return sp  # type: ignore[return-value]

    def _lemma_span(self, lemmas: frozenset, polar: bool = False) -> Optional[Tuple[int, int]]:
        """Span of the first token whose lemma is in lemmas (not negated, for polar concepts)."""
        norm = self.reply.norm
        if not any(lemma[1:] in norm for lemma in lemmas):
            return None  # no token can have that lemma (nasal assimilation keeps all but the
            # first letter: periksa -> memeriksa), so the lemmas need not be computed
        polar = polar and self.any_negation
        positions = self._lemma_positions
        if positions is None:
            positions = self._lemma_positions = {}
            for i, lemma in enumerate(self.reply.lemmas):
                positions.setdefault(lemma, []).append(i)
        found = [i for lemma in lemmas for i in positions.get(lemma, ())
                 if not (polar and self.negated_tokens[i])]
        return self.reply.token_norm_span(min(found)) if found else None

    # ---- negation -------------------------------------------------------------
    @property
    def any_negation(self) -> bool:
        """Whether any token of the reply is in a negation scope (most replies: none)."""
        flag = self._first.get("__negation__", _UNSET)
        if flag is _UNSET:
            flag = any(self.negated_tokens)
            self._first["__negation__"] = flag  # type: ignore[assignment]
        return bool(flag)

    @property
    def negated_tokens(self) -> List[bool]:
        """Per token: inside the scope of a negator (tidak/tak/bukan/belum/jangan ...)."""
        if self._negated is None:
            neg = self.lex.negation
            mask: List[bool] = []
            remaining = 0
            norms = self.reply.norms
            for i, norm in enumerate(norms):
                if norm in _GLOTTAL:  # Bugis/Makassar "de' wedding": the apostrophe of a
                    mask.append(False)  # glottal stop split off by the tokenizer ends nothing
                    continue
                if norm in neg.boundaries or (norm and not norm[0].isalnum()):
                    remaining = 0
                    mask.append(False)
                elif norm in neg.negators and norms[i + 1:i + 2] != ["lupa"]:
                    mask.append(False)  # "jangan lupa minta cap": an instruction, not negated
                    remaining = neg.window
                else:
                    mask.append(remaining > 0)
                    remaining = max(remaining - 1, 0)
            self._negated = mask
        return self._negated

    def negated_at(self, start: int) -> bool:
        """Whether the token at offset ``start`` of the normalised reply is negated."""
        if not self.any_negation:
            return False
        starts = self.reply.norm_starts
        if not starts:
            return False
        i = bisect_right(starts, start) - 1
        return i >= 0 and self.negated_tokens[i]

    def negated_words(self, words: frozenset) -> List[str]:
        """Negated tokens whose norm or lemma is in ``words`` (e.g. refusal verbs); "terima" in
        "belum kasih tanda terima" is the receipt, not an acceptance refused (audit 35)."""
        if not self.any_negation:
            return []
        mask, reply = self.negated_tokens, self.reply
        pairs = zip(reply.norms, reply.lemmas, strict=False)
        return [
            reply.tokens[i] for i, (norm, lemma) in enumerate(pairs)
            if mask[i] and (norm in words or lemma in words)
            and not (i and reply.norms[i - 1] == "tanda")
        ]

    def negated_concept(self, concept: str) -> Optional[str]:
        """Original wording of a match of ``concept`` that lies in a negation scope."""
        if not self.any_negation:
            return None
        alts = self._alternatives(concept)
        for a, b in findall_alternatives(alts, self.reply.norm) if alts else []:
            if self.negated_at(a):
                return self.reply.span(a, b)
        return None

    def _alternatives(self, concept: str) -> List[Alternative]:
        """Alternatives of a lexicon concept that can match this reply."""
        if self.present is None:
            rx = self.lex.concepts.get(concept)
            return [a for a in rx.alts if a.possible(self.reply.norm)] if rx is not None else []
        found = self._cands.get(concept)
        if found is None:
            rx = self.lex.concepts.get(concept)
            found = rx._candidates(self.present) if rx is not None else []  # noqa: SLF001
            self._cands[concept] = found
        return found

    def first(self, concept: str) -> Optional[str]:
        """Original wording of the first match of a lexicon concept, or None."""
        sp = self._span(concept)
        return self.reply.span(*sp) if sp else None

    def all(self, concept: str) -> List[str]:
        """Distinct normalised matches of a lexicon concept, in order."""
        seen: List[str] = []
        for s in self._matches(concept):
            if s not in seen:
                seen.append(s)
        return seen

    def count(self, concept: str) -> int:
        """How many times a lexicon concept is said ("lengkap …, jadi … lengkap": twice)."""
        return len(self._matches(concept))

    def _matches(self, concept: str) -> List[str]:
        if self._span(concept) is None:
            return []
        norm = self.reply.norm
        polar = concept in self.lex.negation.polar and self.any_negation
        out = [norm[a:b].strip() for a, b in findall_alternatives(self._alternatives(concept), norm)
               if not (polar and self.negated_at(a))]
        return [s for s in out if s]

    # ---- register and form ---------------------------------------------------
    @property
    def slang_words(self) -> List[str]:
        """Distinct street-register tokens (raw spelling) in the reply."""
        if self._slang is None:
            slang = self.lex.slang
            self._slang = list(dict.fromkeys(t for t in self.reply.lower_tokens if t in slang))
        return self._slang

    @property
    def abbreviation_words(self) -> List[str]:
        """Distinct chat abbreviations (yg, sdh, dl ...) in the reply."""
        if self._abbr is None:
            abbr = self.lex.abbreviations
            self._abbr = list(dict.fromkeys(t for t in self.reply.lower_tokens if t in abbr))
        return self._abbr

    @property
    def caps_words(self) -> List[str]:
        """Words of 3+ letters written in capitals, known acronyms (KTP, NIB ...) excluded."""
        if self._caps is None:
            acr = self.lex.known_acronyms
            self._caps = [t for t in _CAPS_WORD.findall(self.reply.text) if t.lower() not in acr]
        return self._caps

    @property
    def shouting(self) -> bool:
        """Mostly capitals: at least 3 capitalised words making up 60 % of the words."""
        caps = self.caps_words
        if len(caps) < 3:
            return False
        acr = self.lex.known_acronyms
        rest = [t for t in self.reply.words if len(t) >= 3 and t not in acr]
        return len(caps) >= 0.6 * max(len(rest), 1)

    # ---- jargon -------------------------------------------------------------
    @property
    def jargon(self) -> List[JargonHit]:
        if self._jargon is None:
            self._jargon = self._find_jargon()
        return self._jargon

    @property
    def customer_terms(self) -> frozenset:
        """Jargon the citizen used in its own line (using it back is not jargon to them)."""
        if self._customer_terms is None:
            norm = self.customer.norm if self.customer is not None else ""
            self._customer_terms = frozenset(
                jg.key for jg in self.lex.jargon if norm and jg.term.search(norm)
            )
        return self._customer_terms

    @property
    def asked_terms(self) -> frozenset:
        """Jargon the citizen's line names, by the term or its expansion ("Nomor Induk Berusaha,
        ya... tapi gunanya untuk apa?")."""
        heard = self.customer.norm if self.customer is not None else ""
        return self.customer_terms | frozenset(
            jg.key for jg in self.lex.jargon
            if heard and jg.expansions is not None and jg.expansions.search(heard))

    def jargon_spans(self, text: Optional[str] = None) -> List[Tuple[int, int]]:
        """Spans (in ``text``, default ``reply.norm``) of jargon terms and their wordings."""
        norm = self.reply.norm if text is None else text
        present = self.present
        if present is not None and self.lex.jargon_gate is not None and \
                self.lex.jargon_gate.isdisjoint(present):
            return []
        out: List[Tuple[int, int]] = []
        for jg in self.lex.jargon:
            for m in (jg.term, jg.expansions, jg.plain):
                if m is not None:
                    out.extend(m.findall(norm, present))
        return out

    def _find_jargon(self) -> List[JargonHit]:
        """First occurrence of each jargon word, in text order, overlaps removed."""
        norm = self.reply.norm
        present = self.present
        gate = self.lex.jargon_gate
        if present is not None and gate is not None and gate.isdisjoint(present):
            return self._answers_about_asked_terms(set()) if self.asked_terms else []
        found = []
        for jg in self.lex.jargon:
            for a, b in jg.term.findall(norm, present):
                found.append((a, -b, jg))
        found.sort(key=lambda f: (f[0], f[1]))
        hits: List[JargonHit] = []
        seen = set()
        covered = -1
        for a, neg_b, jg in found:
            b = -neg_b
            key = norm[a:b]
            if a < covered or key in seen:
                continue
            seen.add(key)
            covered = b
            expanded = bool(jg.expansions is not None and jg.expansions.search(norm, present))
            plain = bool(jg.plain is not None and jg.plain.search(norm, present))
            cue = bool(self.lex.explain_cue.match(norm, b, min(len(norm), b + 80)))
            if jg.plain is None:  # no plain wordings known: the definitional cue is enough
                plain = plain or cue
            analogy = self.lex.plain_cue
            if not plain and analogy is not None and analogy.search(
                    norm[b:min(len(norm), b + 90)].split(".")[0]):
                plain = True  # put in everyday words by analogy or by what it does
            known = jg.key in self.known_terms or jg.key in self.lex.scenario_known_terms.get(
                self.scenario or "", frozenset()) or (
                jg.key in self.customer_terms and "confusion" not in self.need_names()
            )
            hits.append(
                JargonHit(
                    self.reply.span(a, b), expanded or plain or cue or known, jg.example,
                    plain or known, jg.key, expanded, known and not (expanded or plain or cue),
                )
            )
        return hits + self._answers_about_asked_terms({h.key for h in hits})

    def _answers_about_asked_terms(self, named: set) -> List[JargonHit]:
        """"NIB itu apa?" — "Nomor induk berusaha, kayak KTP-nya usaha": the term the citizen
        asked about, explained without being named again."""
        out: List[JargonHit] = []
        norm, present = self.reply.norm, self.present
        asked = self.asked_terms
        for jg in self.lex.jargon:
            if jg.key in named or jg.key not in asked:
                continue
            expanded = jg.expansions.search(norm, present) if jg.expansions is not None else None
            plain = jg.plain.search(norm, present) if jg.plain is not None else None
            span = plain or expanded
            if span is not None:
                out.append(JargonHit(self.reply.span(*span), True, jg.example, plain is not None,
                                     jg.key, expanded is not None, False))
        return out

    @property
    def confused(self) -> bool:
        """The citizen does not understand the jargon (scenario or its last line)."""
        return self.scenario == "confused_customer" or "confusion" in self.need_names()

    def term_clear(self, hit: JargonHit) -> bool:
        """A term is clear when explained; to a confused citizen only when in plain words."""
        return hit.plain if self.confused else hit.explained

    # ---- documents ------------------------------------------------------------
    def document_count(self) -> int:
        return len(self.all("documents"))

    def missing_documents(self) -> List[str]:
        """Documents named in a clause that says something is missing or not valid."""
        cached = self._first.get("__missing__", _UNSET)
        if cached is not _UNSET:
            return cached  # type: ignore[return-value]
        out: List[str] = []
        self._first["__missing__"] = out  # type: ignore[assignment]
        if not self.has("missing_cue") or not self.has("documents"):
            return out
        norm = self.reply.norm
        offset = 0
        for clause in _MISSING_CLAUSE.split(norm):  # "KTP lengkap, tapi SKDU belum ada"
            start = norm.find(clause, offset)
            offset = start + len(clause)
            if not clause.strip():
                continue
            if not findall_alternatives(self._alternatives("missing_cue"), clause) or \
                    _NO_EXPIRY.search(clause) or _SUBSTITUTE.search(clause):
                continue  # "SITU lama tidak bisa menggantikan SKDU": required, not missing
            for a, b in findall_alternatives(self._alternatives("documents"), clause):
                doc = clause[a:b].strip()
                if _OLD_PERMIT.search(doc) and _EXPIRY.search(clause):
                    continue  # "izin lama Ibu sudah habis masa berlakunya": why they renew
                if doc not in out:
                    out.append(doc)
        return out

    # ---- needs ----------------------------------------------------------------
    @property
    def needs(self) -> List[Tuple[Need, str]]:
        """Detected needs (most important first) with the citizen words that raised each."""
        if self._needs is None:
            self._needs = self._detect_needs()
        return self._needs

    def _detect_needs(self) -> List[Tuple[Need, str]]:
        found: List[Tuple[Need, str]] = []
        cust = self.customer
        if self._line_needs is not None:
            found = list(self._line_needs)
        elif cust is not None and cust.norm:
            found = detect_needs(self.lex, cust)
        if self.open_need and all(n.fallback for n, _ in found):
            waiting = next((n for n in self.lex.needs if n.name == self.open_need), None)
            if waiting is not None and waiting.name not in [n.name for n, _ in found]:
                found.insert(0, (waiting, f"{SOFT_CUE}{waiting.label})"))
        if found or (cust is not None and cust.norm):
            return found
        if self.has_greeting() or self.move == "greet":
            for need in self.lex.needs:
                if need.name == "opening":
                    found.append((need, "(pelanggan baru datang)"))
        return found

    def need_names(self) -> List[str]:
        if self._need_names is None:
            self._need_names = [n.name for n, _ in self.needs]
        return self._need_names

    def has_greeting(self) -> bool:
        norm = self.reply.norm
        lex = self.lex
        return bool(
            lex.greeting_timed.search(norm)
            or lex.greeting_bare.search(norm)
            or any(
                rx is not None and rx.search(norm)
                for rx in (lex.greeting_other, lex.greeting_casual)
            )
        )

    def need_status(self, need: Need) -> Tuple[str, str]:
        """("met" | "partial" | "unmet", reply words that show it) from the reply text alone."""
        cached = self._status.get(need.name)
        if cached is not None:
            return cached
        result = ("unmet", "")
        if self.has("deflection"):  # passing the citizen on never meets a need
            self._status[need.name] = result
            return result
        for rule in need.met:
            if self.rule_holds(rule):
                result = ("met", self.rule_evidence(rule))
                break
        concrete = any(self.has(c) for c in ("duration_fact", "cost_fact", "documents_2",
                                              "missing_document"))
        if need.name == "duration" and self.has("hedged_duration"):
            concrete = False  # "mungkin dua atau tiga hari lagi": the number itself is a guess
        if (result[0] == "met" and need.name in self.lex.vague_downgrades
                and (self.has("vague") or self.has("vague_time")) and not concrete):
            result = ("partial", f"{result[1]} (tetapi samar: {self.first('vague')})")
        if result[0] == "met" and self.ignores_terms(need):  # "OSS, NIB, KBLI itu apa?" -
            result = ("unmet", "")  # "berkas lengkap, gratis, 2 hari kerja": not a word on them
        if result[0] == "met" and need.name in ("status", "docs_handed") and \
                self.scenario == "renewal_incomplete" and not self.missing_documents() and (
                    self.has("missing_cue") or self.negated_concept("result_complete")):
            result = ("partial", f"{result[1]} (tanpa menyebut dokumen yang kurang)")
        if result[0] == "met" and need.name in self.lex.content_needs and not self.has_content():
            result = ("partial", f"{result[1]} (tanpa isi yang konkret)")
        if result[0] == "met":
            hostile = next((h for h in (self.first(c) for c in _HOSTILE) if h), None)
            if hostile:
                result = ("partial", f"{result[1]} (tetapi: {hostile})")
        if result[0] == "unmet" and not self.ignores_terms(need):
            for rule in need.partial:
                if self.rule_holds(rule):
                    result = ("partial", self.rule_evidence(rule))
                    break
        self._status[need.name] = result
        return result

    def ignores_terms(self, need: Need) -> bool:
        """The citizen's line names terms of ``need.about`` and the reply names none of them."""
        if need.about is None or self.customer is None:
            return False
        asked = need.about.search(self.customer.norm)
        explains = any(self.has(c) for c in ("explanation", "explained_plainly", "jargon_explained",
                                               "plain_explanation"))
        return asked is not None and not explains and need.about.search(self.reply.norm) is None

    def has_content(self) -> bool:
        """Whether the reply says anything concrete (a fact, a step, an explanation ...)."""
        cached = self._first.get("__content__", _UNSET)
        if cached is _UNSET:
            cached = any(self.has(c) for c in self.possible(self.lex.content_concepts)) or any(
                h.plain or h.explained for h in self.jargon)
            self._first["__content__"] = cached  # type: ignore[assignment]
        return bool(cached)

    # ---- rules ------------------------------------------------------------------
    def rule_holds(self, rule: List[Tuple[str, ...]]) -> bool:
        return all(any(self.has(name) for name in group) for group in rule)

    def rule_evidence(self, rule: List[Tuple[str, ...]]) -> str:
        words = []
        for group in rule:
            for name in group:
                if name in self.lex.concepts and self.has(name):
                    w = self.first(name)
                    if w and w not in words:
                        words.append(w)
                    break
        return " … ".join(words)


_HOSTILE = ("blame", "insult", "sarcasm")
SOFT_CUE = "(menunggu: "  # a need the citizen waits on at this stage, not one it voiced


def is_soft(cue: str) -> bool:
    """Whether a need was taken from the visit's stage rather than the citizen's words."""
    return cue.startswith(SOFT_CUE)


def detect_needs(lex: Lexicon, customer: Analysed) -> List[Tuple[Need, str]]:
    """Needs raised by the citizen's line, most important first, with the words that raised them."""
    found: List[Tuple[Need, str]] = []
    for need in lex.needs:
        if need.detect is None or (need.fallback and found):
            continue
        if need.unless is not None and need.unless.search(customer.norm):
            continue
        sp = need.detect.search(customer.norm)
        if sp:
            found.append((need, customer.span(*sp)))
    return found


def _documents_1(ctx: Context) -> bool:
    return ctx.document_count() >= 1


def _documents_2(ctx: Context) -> bool:
    return ctx.document_count() >= 2


def _jargon_explained(ctx: Context) -> bool:
    return any(ctx.term_clear(h) for h in ctx.jargon)


def _no_unexplained_jargon(ctx: Context) -> bool:
    return all(ctx.term_clear(h) for h in ctx.jargon)


def _substantive(ctx: Context) -> bool:
    return ctx.reply.word_count >= 5


def refusal_text(ctx: Context) -> Optional[str]:
    """Wording of a refusal: an explicit one, or a negated acceptance ("tidak bisa saya terima")."""
    if ctx.has("refusal"):
        return ctx.first("refusal")
    negated = ctx.negated_concept("acceptance")
    if negated:
        return negated
    words = ctx.negated_words(ctx.lex.negation.refusal_verbs)
    return words[0] if words else None


def _refusal_any(ctx: Context) -> bool:
    return refusal_text(ctx) is not None


_DERIVED = {
    "documents_1": _documents_1,
    "documents_2": _documents_2,
    "jargon_explained": _jargon_explained,
    "no_unexplained_jargon": _no_unexplained_jargon,
    "substantive": _substantive,
    "refusal_any": _refusal_any,
    "explained_plainly": lambda ctx: (
        all(ctx.term_clear(h) for h in ctx.jargon) if ctx.jargon else ctx.has("explanation")
    ),
    "missing_document": lambda ctx: bool(ctx.missing_documents()),
    "clear_content": lambda ctx: ctx.has_content() and all(ctx.term_clear(h) for h in ctx.jargon),
}
