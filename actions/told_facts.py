"""What the citizen learns from one reply: the ``facts:`` of ``data/visit_flow.yml`` and of the
scenario's flow, checked against the reply's reading.

Each fact's spec is compiled once into sets (``FactSpec``) and each reading is looked at once
(``ReadingView``): every reply is checked against some ninety facts, twice per turn, so the
check must not rebuild the same sets for every fact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence


@dataclass(frozen=True)
class ReadingView:
    """A reply's reading as the fact specs look at it."""

    acts: frozenset[str]
    marks: frozenset[str]
    terms: frozenset[str]
    plain: frozenset[str]  # terms put in plain words
    explained: frozenset[str]  # terms expanded or explained
    unexplained: frozenset[str]  # terms left as jargon, not named as a document of a list
    incidents: frozenset[str]
    hostility: frozenset[str]
    address: Any
    claims: tuple[tuple[str, float, bool], ...]  # (kind, days, wrong)
    listed: str  # the documents named, joined
    missing: str  # the documents said to be missing, joined
    reading: Mapping[str, Any]

    @classmethod
    def of(cls, acts: Sequence[str], reading: Mapping[str, Any]) -> ReadingView:
        terms = reading.get("terms") or []
        listed = " ".join(reading.get("documents") or ())
        missing = " ".join(reading.get("missing_documents") or ())
        need = reading.get("need") or {}
        if need.get("name") == "list" and need.get("asked"):
            missing += " " + listed  # "Yang kurang apa?" — "SKDU, Bu.": the one named is missing
        return cls(
            acts=frozenset(acts),
            marks=frozenset(reading.get("marks") or ()),
            terms=frozenset(t.get("key") for t in terms),
            plain=frozenset(t.get("key") for t in terms if t.get("plain")),
            explained=frozenset(t.get("key") for t in terms if t.get("explained")),
            unexplained=frozenset(t.get("key") for t in terms if not t.get("explained")
                                  and t.get("key") not in listed),
            incidents=frozenset(i.get("kind") for i in reading.get("incidents") or ()),
            hostility=frozenset(reading.get("hostility") or ()),
            address=reading.get("address"),
            claims=tuple((str(c.get("kind")), float(c.get("days") or 0), bool(c.get("wrong")))
                         for c in reading.get("claims") or ()),
            listed=listed, missing=missing, reading=reading)


def _set(spec: Mapping[str, Any], key: str) -> frozenset[str]:
    return frozenset(spec.get(key) or ())


@dataclass(frozen=True)
class FactSpec:
    """One fact and what in a reading teaches it (see ``data/visit_flow.yml``)."""

    name: str
    unless_marks: frozenset[str]
    moves: frozenset[str]
    marks: frozenset[str]
    terms: frozenset[str]
    terms_plain: frozenset[str]
    jargon_allowed: frozenset[str]  # terms an explanation may leave unexplained
    terms_explained: frozenset[str]
    incidents: frozenset[str]
    hostility: frozenset[str]
    address: tuple[str, ...]
    flags: tuple[str, ...]
    claims_below: tuple[tuple[str, float], ...]
    claims: frozenset[str]
    documents: tuple[str, ...]
    missing: tuple[str, ...]

    @classmethod
    def of(cls, name: str, spec: Mapping[str, Any], asked: frozenset[str]) -> FactSpec:
        return cls(
            name=name, unless_marks=_set(spec, "unless_marks"), moves=_set(spec, "moves"),
            marks=_set(spec, "marks"), terms=_set(spec, "terms"),
            terms_plain=_set(spec, "terms_plain"),
            jargon_allowed=asked | _set(spec, "terms_plain"),
            terms_explained=_set(spec, "terms_explained"), incidents=_set(spec, "incidents"),
            hostility=_set(spec, "hostility"), address=tuple(spec.get("address") or ()),
            flags=tuple(spec.get("flags") or ()),
            claims_below=tuple((str(k), float(v))
                               for k, v in (spec.get("claims_below") or {}).items()),
            claims=_set(spec, "claims"), documents=tuple(spec.get("documents") or ()),
            missing=tuple(spec.get("missing") or ()))

    def holds(self, seen: ReadingView) -> bool:
        """Whether the reply seen teaches this fact."""
        if self.unless_marks & seen.marks:
            return False  # "mungkin dua atau tiga hari lagi": a guess is no time given
        if self.moves & seen.acts or self.marks & seen.marks or self.terms & seen.terms:
            return True
        if self.terms_plain & seen.plain and not seen.unexplained - self.jargon_allowed:
            return True  # not when the explanation brings new jargon ("berbasis risiko"); a
            # document named in a list of requirements is no jargon of the explanation
        if self.terms_explained & seen.explained:
            return True  # "NIB itu Nomor Induk Berusaha": its name at least
        if self.incidents & seen.incidents or self.hostility & seen.hostility:
            return True  # "itu bukan urusan saya": passed on
        if seen.address in self.address:  # "Dek", "Bro", "kamu"
            return True
        if any(seen.reading.get(flag) for flag in self.flags):  # vague_time ...
            return True
        for kind, days in self.claims_below:  # "besok pasti jadi"
            if any(k == kind and d < days for k, d, _ in seen.claims):
                return True
        if self.claims and any(k in self.claims and not wrong for k, _, wrong in seen.claims):
            return True
        if any(word in seen.listed for word in self.documents):  # named at all ("… SKDU")
            return True
        return any(word in seen.missing for word in self.missing)
