"""Fast multi-pattern matching with word boundaries and a literal prefilter.

A lexicon entry is a list of regex alternatives. Searching one big alternation
wrapped in ``(?<!\\w)`` is slow in Python's ``re`` (every alternative is tried at
every position). Instead each alternative is compiled on its own, together with
the literal strings any match must contain (worked out with ``sre_parse``); an
alternative whose literals are absent from the text is skipped without running
the regex, and the leading word boundary is checked in Python so that ``re`` can
use its fast literal-prefix scan.
"""

from __future__ import annotations

import re
from typing import Dict, FrozenSet, Iterable, List, Optional, Pattern, Sequence, Set, Tuple

try:  # Python >= 3.11
    import re._constants as _c  # type: ignore[import-not-found]
    import re._parser as _sre_parse  # type: ignore[import-not-found]
except ImportError:  # Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

# Indonesian clitics/particles may follow any word: biaya-nya, bisa-kah, itu-lah.
CLITIC = r"(?:-?(?:nya|lah|kah|pun))?"
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | (
    {_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set()
)

Span = Tuple[int, int]


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _required(seq: Sequence) -> Optional[FrozenSet[str]]:
    """Strings of which at least one occurs in every match of the parsed sequence."""
    cands: List[FrozenSet[str]] = []
    run: List[str] = []

    def flush() -> None:
        if run:
            cands.append(frozenset(["".join(run)]))
            run.clear()

    for op, av in seq:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        flush()
        req: Optional[FrozenSet[str]] = None
        if op is _c.SUBPATTERN:
            req = _required(av[-1])
        elif op is _c.BRANCH:
            parts = [_required(b) for b in av[1]]
            if parts and all(parts):
                req = frozenset().union(*parts)  # type: ignore[arg-type]
        elif op in _REPEATS and av[0] >= 1:
            req = _required(av[2])
        if req:
            cands.append(req)
    flush()
    best: Optional[FrozenSet[str]] = None
    best_len = 0
    for cand in cands:
        shortest = min(len(s) for s in cand)
        if shortest > best_len:
            best, best_len = cand, shortest
    return best if best_len >= 2 else None


def required_literals(pattern: str) -> Optional[FrozenSet[str]]:
    """Literal strings (any-of) every match of pattern contains, or None if unknown."""
    try:
        return _required(_sre_parse.parse(pattern))
    except Exception:  # pragma: no cover - unusual syntax: no prefilter
        return None


class Alternative:
    """One compiled pattern with its prefilter literals and boundary rule."""

    __slots__ = ("rx", "literals", "lit1", "lead")

    def __init__(self, pattern: str) -> None:
        lead = not pattern.startswith("^") and not (
            pattern.startswith("\\") and not re.match(r"\\[bswdBSWD]", pattern)
        )
        trail = "" if re.search(r"\\[^\w]$", pattern) else CLITIC + r"(?!\w)"
        self.rx: Pattern[str] = re.compile(f"(?:{pattern}){trail}")
        lits = required_literals(pattern)
        self.literals: Optional[Tuple[str, ...]] = tuple(sorted(lits)) if lits else None
        # the common case, one required literal, is tested inline by Matcher
        self.lit1: Optional[str] = (
            self.literals[0] if self.literals and len(self.literals) == 1 else None
        )
        self.lead = lead

    def possible(self, text: str) -> bool:
        if self.lit1 is not None:
            return self.lit1 in text
        lits = self.literals
        return lits is None or any(s in text for s in lits)

    def search(self, text: str, pos: int = 0) -> Optional[Span]:
        rx = self.rx
        while True:
            m = rx.search(text, pos)
            if m is None:
                return None
            s = m.start()
            if not self.lead or s == 0 or not _is_word_char(text[s - 1]):
                return s, m.end()
            pos = s + 1

    def finditer(self, text: str) -> List[Span]:
        out: List[Span] = []
        pos = 0
        while pos <= len(text):
            sp = self.search(text, pos)
            if sp is None:
                break
            out.append(sp)
            pos = sp[1] if sp[1] > sp[0] else sp[0] + 1
        return out


def _trie_pattern(words: Iterable[str]) -> str:
    """A regex matching any of words, shaped as a trie (shared prefixes), longest first."""
    trie: Dict[str, dict] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: Dict[str, dict]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?" if len(branches) == 1 else body + "?"
        return body

    return build(trie)


class LiteralIndex:
    """Finds, in one regex pass, which prefilter literals occur in a text."""

    def __init__(self, literals: Iterable[str]) -> None:
        lits = sorted(set(literals))
        self.rx = re.compile("(?=(" + _trie_pattern(lits) + "))") if lits else None
        litset = set(lits)
        # literals that are prefixes of a longer literal are implied by it
        self.prefixes: Dict[str, Tuple[str, ...]] = {
            w: tuple(w[:i] for i in range(2, len(w)) if w[:i] in litset) for w in lits
        }

    def present(self, text: str) -> Set[str]:
        found: Set[str] = set()
        if self.rx is None:
            return found
        prefixes = self.prefixes
        for m in self.rx.finditer(text):
            w = m.group(1)
            if w and w not in found:
                found.add(w)
                found.update(prefixes.get(w, ()))
        return found


class Matcher:
    """Any-of matcher over a list of regex alternatives."""

    __slots__ = ("alts", "gate", "by_literal", "always")

    def __init__(self, patterns: Sequence[str]) -> None:
        self.alts = [Alternative(p) for p in patterns]
        # which alternatives each prefilter literal unlocks; `always`: no usable literal
        self.by_literal: Dict[str, List[Alternative]] = {}
        self.always: List[Alternative] = []
        for alt in self.alts:
            if alt.literals is None:
                self.always.append(alt)
            else:
                for lit in alt.literals:
                    self.by_literal.setdefault(lit, []).append(alt)
        self.gate: FrozenSet[str] = frozenset(self.by_literal)

    def _candidates(self, present: Set[str]) -> List[Alternative]:
        hits = self.gate.intersection(present)
        if not hits:
            return self.always
        if len(hits) == 1 and not self.always:
            return self.by_literal[next(iter(hits))]
        seen: Dict[int, Alternative] = {id(a): a for a in self.always}
        for lit in hits:
            for alt in self.by_literal[lit]:
                seen[id(alt)] = alt
        return list(seen.values())

    def literals(self) -> Set[str]:
        return {lit for alt in self.alts if alt.literals for lit in alt.literals}

    def search(self, text: str, present: Optional[Set[str]] = None) -> Optional[Span]:
        """Leftmost (then longest) match over all alternatives.

        ``present``: literals known to occur in text (from a LiteralIndex); speeds up the prefilter.
        """
        if present is not None:
            candidates = self._candidates(present)
        else:
            candidates = [alt for alt in self.alts if alt.possible(text)]
        return search_alternatives(candidates, text)

    def findall(self, text: str, present: Optional[Set[str]] = None) -> List[Span]:
        """Non-overlapping matches, leftmost-longest first, in text order."""
        if present is not None:
            return findall_alternatives(self._candidates(present), text)
        return findall_alternatives([alt for alt in self.alts if alt.possible(text)], text)

    def group_search(self, text: str) -> Optional[re.Match]:
        """re.Match of the leftmost alternative (for patterns with capture groups)."""
        sp = self.search(text)
        if sp is None:
            return None
        for alt in self.alts:
            m = alt.rx.match(text, sp[0])
            if m is not None and m.end() == sp[1]:
                return m
        return None


def search_alternatives(candidates: Iterable[Alternative], text: str) -> Optional[Span]:
    """Leftmost (then longest) match of any candidate alternative."""
    best: Optional[Span] = None
    for alt in candidates:
        sp = alt.search(text)
        if sp is not None and (
            best is None or sp[0] < best[0] or (sp[0] == best[0] and sp[1] > best[1])
        ):
            best = sp
    return best


def findall_alternatives(candidates: Iterable[Alternative], text: str) -> List[Span]:
    """Non-overlapping matches of the candidates, leftmost-longest first, in text order."""
    spans: List[Span] = []
    for alt in candidates:
        spans.extend(alt.finditer(text))
    if not spans:
        return spans
    spans.sort(key=lambda sp: (sp[0], -sp[1]))
    out: List[Span] = []
    end = -1
    for sp in spans:
        if sp[0] >= end:
            out.append(sp)
            end = sp[1]
    return out
