"""What the clerk can see at the counter, as the narrator's lines (scenario data ``counter``).

A real clerk sees the documents once they are handed over, and finds the file's status when
looking it up; the trainee sees the same, at the same moment, and never before: the documents
once they are on the counter (the clerk asked for or checked them), the lookup lines once the
clerk checks the documents or asks for information. Each line is said once per visit.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from actions import catalog

DOCUMENT_ACTS = frozenset({"check_documents"})
DOCUMENT_STAGES = frozenset({"documents_handed", "checking"})
LOOKUP_ACTS = frozenset({"check_documents", "ask_information"})


def documents_line(documents: Iterable[Mapping[str, Any]]) -> str:
    items = "; ".join(f"{d['name']} ({d['state']})" for d in documents)
    return f"[Berkas di meja: {items}.]"


def narration(scenario: str, acts: Iterable[str], stage_after: str,
              said: Iterable[str] = ()) -> list[str]:
    """The narrator's lines due after this turn that were not said yet in the visit."""
    counter = catalog.scenario_spec(scenario).get("counter") or {}
    acts = set(acts)
    due: list[str] = []
    if counter.get("documents") and (acts & DOCUMENT_ACTS or stage_after in DOCUMENT_STAGES):
        due.append(documents_line(counter["documents"]))
    if counter.get("lookup") and acts & LOOKUP_ACTS:
        due += [f"[{line}]" for line in counter["lookup"]]
    already = set(said)
    return [line for line in due if line not in already]
