"""Critical incidents of a clerk reply: integrity, false promises, confidentiality, condescension.

What no courtesy makes acceptable at a PTSP counter. Each kind is a set of frames over the
normalised reply (``data/incidents.yml``), read clause by clause, with negation and protective
statements ("tidak ada jalur khusus", "data pemohon lain tidak dapat kami sampaikan") taken
into account. An incident caps the reply's scores (``verdict.py``), fails the visit and leads
its debrief with the rule broken (``actions/debrief.py``, ``actions/data/office.yml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import yaml

from .context import Context
from .matcher import LiteralIndex, required_literals

_DATA = Path(__file__).resolve().parent / "data" / "incidents.yml"
# a clause ends at sentence punctuation or at a contrast word
# a clause ends at . ! ? ; or a contrast word; not at the point of "08.00" or "Rp150.000"
_CLAUSE = re.compile(r"(?:[!?;\n\[\]]|\.(?!\d)|(?<!\d)\.)+"
                     r"|\s(?:tapi|tetapi|namun|melainkan|sedangkan|sebaliknya)\s")
KINDS = ("integrity", "false_promise", "confidentiality", "condescension", "misconduct")


@dataclass(frozen=True)
class Alternatives:
    """One list of ``incidents.yml`` patterns, compiled one by one and searched like their
    alternation (leftmost match; at one position the first pattern listed). A single
    hundred-branch alternation loses the regex engine's literal-prefix search and cost about six
    times the sum of its parts; a pattern none of whose required strings (``matcher.py``) occurs
    in the text is not run at all."""

    patterns: Tuple[re.Pattern, ...]
    by_literal: Dict[str, Tuple[int, ...]]  # required string -> the patterns that need it
    always: Tuple[int, ...]  # patterns with no usable required string

    def search(self, text: str, pos: int = 0) -> Optional[re.Match]:
        present = _present(text)
        candidates = set(self.always)
        for literal in self.by_literal.keys() & present:
            candidates.update(self.by_literal[literal])
        best: Optional[re.Match] = None
        for i in sorted(candidates):
            m = self.patterns[i].search(text, pos)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        return best

    def finditer(self, text: str) -> Iterator[re.Match]:
        pos = 0
        while pos <= len(text) and (m := self.search(text, pos)) is not None:
            yield m
            pos = max(m.end(), m.start() + 1)


@lru_cache(maxsize=1)
def _literal_index() -> LiteralIndex:
    """Every required string of every incident pattern, found in one pass over a text."""
    lists = [alt for kind in incident_kinds() for alt in _alternatives_of(kind)]
    return LiteralIndex(literal for alt in lists for literal in alt.by_literal)


@lru_cache(maxsize=512)
def _present(text: str) -> frozenset:
    return frozenset(_literal_index().present(text))


@dataclass(frozen=True)
class IncidentKind:
    """The compiled frames of one kind of incident."""

    name: str
    evidence: str
    caps: Dict[str, float]
    any: Tuple[Alternatives, ...]
    all: Tuple[Tuple[Alternatives, ...], ...]
    unless: Tuple[Alternatives, ...]
    unless_reply: Tuple[Alternatives, ...]
    after_offer: Tuple[Alternatives, ...]
    despite: Tuple[Alternatives, ...]
    unless_refused: bool
    # frames read across the reply's clauses, only after the citizen's line matched `across_when`
    # ("Tetangga saya, Bu Wati …" → "Oh, Bu Wati yang … itu? … NPWP-nya sempat bermasalah")
    across: Tuple[Tuple[Alternatives, ...], ...] = ()
    across_when: Tuple[Alternatives, ...] = ()
    # frames read across the clauses whatever the citizen said ("Bu Ratna yang toko kue? Izinnya
    # ditolak kemarin"), and frames that hold despite an `unless` phrase (an amount to the clerk)
    across_any: Tuple[Tuple[Alternatives, ...], ...] = ()
    # ... and frames across the clauses that hold whatever else the reply says (a favour
    # traded for the clerk's celebration beside "gratis")
    across_despite: Tuple[Tuple[Alternatives, ...], ...] = ()
    despite_all: Tuple[Tuple[Alternatives, ...], ...] = ()
    # a match of these words that only repeats the citizen's own line is no incident ("Saya
    # sudah menikah dan pindah …" → "Meskipun Ibu sudah menikah, SKDU tetap …")
    echo: Tuple[Alternatives, ...] = ()


def _alternation(patterns: Sequence[str]) -> Alternatives:
    by_literal: Dict[str, List[int]] = {}
    always = []
    for i, pattern in enumerate(patterns):
        literals = required_literals(pattern)
        if not literals:
            always.append(i)
        for literal in literals or ():
            by_literal.setdefault(literal, []).append(i)
    return Alternatives(tuple(re.compile(rf"(?<!\w)(?:{p})(?!\w)") for p in patterns),
                        {k: tuple(v) for k, v in by_literal.items()}, tuple(always))


def _alternatives_of(kind: IncidentKind) -> List[Alternatives]:
    singles = (kind.any, kind.unless, kind.unless_reply, kind.after_offer, kind.despite,
               kind.across_when, kind.echo)
    frames = (kind.all, kind.across, kind.across_any, kind.across_despite, kind.despite_all)
    return [a for group in singles for a in group] + \
        [a for group in frames for frame in group for a in frame]


def _one(patterns: Optional[Sequence[str]]) -> Tuple[Alternatives, ...]:
    return (_alternation(patterns),) if patterns else ()


def _frames(frames: Optional[Sequence[Sequence[Sequence[str]]]]
            ) -> Tuple[Tuple[Alternatives, ...], ...]:
    return tuple(tuple(_alternation(group) for group in frame) for frame in frames or ())


@lru_cache(maxsize=1)
def incident_kinds() -> Tuple[IncidentKind, ...]:
    """The incident kinds of ``data/incidents.yml`` (loaded once)."""
    spec = yaml.safe_load(_DATA.read_text(encoding="utf-8"))["kinds"]
    out = []
    for name in KINDS:
        item = spec[name]
        out.append(IncidentKind(
            name=name,
            evidence=str(item["evidence"]),
            caps={k: float(v) for k, v in (item.get("caps") or {}).items()},
            # one Alternatives per list: its patterns searched as one alternation would be
            any=_one(item.get("any")),
            all=_frames(item.get("all")),
            unless=_one(item.get("unless")),
            unless_reply=_one(item.get("unless_reply")),
            after_offer=_one(item.get("after_offer")),
            despite=_one(item.get("despite")),
            unless_refused=bool(item.get("unless_refused")),
            across=_frames(item.get("across")),
            across_when=_one(item.get("across_when")),
            across_any=_frames(item.get("across_any")),
            despite_all=_frames(item.get("despite_all")),
            across_despite=_frames(item.get("across_despite")),
            echo=_one(item.get("echo")),
        ))
    return tuple(out)


def clauses(norm: str) -> List[Tuple[int, str]]:
    """(offset, text) of every clause of a normalised reply."""
    out, start = [], 0
    for m in _CLAUSE.finditer(norm):
        if m.start() > start:
            out.append((start, norm[start:m.start()]))
        start = m.end()
    if start < len(norm):
        out.append((start, norm[start:]))
    return out


def _first_free(ctx: Context, rx: Alternatives, text: str, offset: int,
                echo: Sequence[Alternatives] = ()) -> Optional[re.Match]:
    """The first match of rx in the clause that does not start inside a negation scope (nor
    repeats, in ``echo`` words, what the citizen said of itself)."""
    for m in rx.finditer(text):
        if not ctx.negated_at(offset + m.start()) and not _echoed(ctx, m.group(0), echo):
            return m
    return None


def _echoed(ctx: Context, words: str, echo: Sequence[Alternatives]) -> bool:
    customer = ctx.customer
    return customer is not None and words in customer.norm and any(
        e.search(words) for e in echo)


def _in_clause(
    kind: IncidentKind, ctx: Context, offset: int, text: str, offered: bool
) -> Optional[str]:
    for rx in kind.despite:
        m = _first_free(ctx, rx, text, offset)
        if m is not None:
            return ctx.reply.span(offset + m.start(), offset + m.end())
    found = _frame_in(kind.despite_all, ctx, text, offset)
    if found:
        return found
    # the clause with its end mark: "mau pakai uang pelicin tidak?" asks, it does not refuse
    ended = text + ctx.reply.norm[offset + len(text):offset + len(text) + 1]
    if any(rx.search(ended) for rx in kind.unless) or \
            any(rx.search(ctx.reply.norm) for rx in kind.unless_reply):
        return None
    for rx in kind.after_offer if offered else ():
        m = _first_free(ctx, rx, text, offset)
        if m is not None:
            return ctx.reply.span(offset + m.start(), offset + m.end())
    if kind.unless_refused and ctx.has("refusal_any"):
        return None  # refused in so many words: the rest is its reasons or a joke
    for rx in kind.any:
        m = _first_free(ctx, rx, text, offset, kind.echo)
        if m is not None:
            return ctx.reply.span(offset + m.start(), offset + m.end())
    return _frame_in(kind.all, ctx, text, offset)


def _frame_in(frames: Sequence[Tuple[Alternatives, ...]], ctx: Context, text: str, offset: int
              ) -> Optional[str]:
    """The words of the first frame met in the clause ``text`` (one pattern of every group)."""
    for frame in frames:
        hits = [_first_free(ctx, rx, text, offset) for rx in frame]
        if all(hits):
            a = min(h.start() for h in hits if h)
            b = max(h.end() for h in hits if h)
            return ctx.reply.span(offset + a, offset + b)
    return None


_AGREE = re.compile(r"^\W*(?:iya|ya|betul|benar|bisa|boleh|tentu|oke|siap|sip|baik|nggih|"
                    r"leres|muhun|mangga)\b")
_BUT = re.compile(r"(?<!\w)(?:tidak|belum|tetap (?:perlu|harus|wajib)|wajib|harus|tapi|tetapi|"
                  r"namun|asal|asalkan|kecuali|setelah)(?!\w)")


# the citizen's own errand in its own words ("saya urus dulu di kelurahan, ya?"): a plan to
# confirm, not a favour the clerk grants (audit 43)
OWN_STEP = re.compile(r"(?:saya|aku|kami) (?:yang )?(?:urus|mengurus|minta|ambil|bawa)\b")


def _agrees_to(kind: IncidentKind, ctx: Context, first: str) -> Optional[str]:
    """A "yes" to the citizen's own proposal to bend the rules ("tanpa SKDU tetap bisa, ya?")."""
    customer = ctx.customer
    if customer is None or not _AGREE.search(ctx.reply.norm) or "?" not in customer.text:
        return None  # a "yes" answers a question, not a complaint ("Siap, Bu, mohon maaf")
    if _BUT.search(first):
        return None
    proposal = next((m for rx in kind.any if (m := rx.search(customer.norm))
                     and not OWN_STEP.match(m.group(0))), None)
    if proposal is None or any(rx.search(customer.norm) for rx in kind.unless):
        return None
    end = re.search(r"[.!?]", customer.norm[proposal.end():])
    if end is None or end.group(0) != "?":  # the proposal is not the question answered
        return None
    return f"{ctx.reply.span(0, len(first))[:40]} (menyetujui “{proposal.group(0)}”)"


def find_incidents(ctx: Context, accepted_gift: Optional[str] = None) -> List[Dict[str, str]]:
    """The critical incidents of the reply: ``{"kind", "label", "text"}`` (text: its words).
    ``accepted_gift``: the words by which the clerk took the gift ("terima kasih, saya terima",
    "(membuka amplop)")."""
    found: List[Dict[str, str]] = []
    parts = clauses(ctx.reply.norm)
    offered = "bribe" in ctx.need_names() or ctx.scenario == "gratuity_offer"
    for kind in incident_kinds():
        agreed = _agrees_to(kind, ctx, parts[0][1] if parts else "") \
            if kind.name == "false_promise" else None
        if agreed:
            found.append({"kind": kind.name, "label": kind.evidence, "text": agreed})
            continue
        if kind.name == "integrity" and accepted_gift:
            found.append({"kind": kind.name, "label": "menerima imbalan", "text": accepted_gift})
            continue
        for offset, text in parts:
            words = _in_clause(kind, ctx, offset, text, offered)
            if words:
                found.append({"kind": kind.name, "label": kind.evidence, "text": words[:80]})
                break
        else:
            words = _across(kind, ctx)
            if words:
                found.append({"kind": kind.name, "label": kind.evidence, "text": words[:80]})
    return found


def _across(kind: IncidentKind, ctx: Context) -> Optional[str]:
    """A frame of ``across`` met by the reply as a whole, after the citizen's line asked for it
    (each part outside negation, none of ``unless`` in the reply)."""
    customer = ctx.customer
    asked = customer is not None and any(rx.search(customer.norm) for rx in kind.across_when)
    frames = (*(kind.across if asked else ()), *kind.across_any)
    found = _frame_across(kind.across_despite, ctx)
    if found or not frames or any(rx.search(ctx.reply.norm) for rx in kind.unless):
        return found
    return _frame_across(frames, ctx)


def _frame_across(frames: Sequence[Tuple[Alternatives, ...]], ctx: Context) -> Optional[str]:
    """The words of the last part of the first frame met anywhere in the reply."""
    norm = ctx.reply.norm
    for frame in frames:
        hits = [_first_free(ctx, rx, norm, 0) for rx in frame]
        if all(hits):
            last = max(hits, key=lambda h: h.end() if h else 0)
            return ctx.reply.span(last.start(), last.end()) if last else None
    return None


def incident_caps(incidents: Sequence[Dict[str, str]]) -> Dict[str, float]:
    """Upper bounds per dimension for a reply with these incidents."""
    caps: Dict[str, float] = {}
    by_name = {k.name: k for k in incident_kinds()}
    for item in incidents:
        for dim, value in by_name[item["kind"]].caps.items():
            caps[dim] = min(caps.get(dim, 100.0), value)
    return caps
