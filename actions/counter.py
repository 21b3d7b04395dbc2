"""What the clerk can see at the counter: the scenario card and the case facts (``counter``).

A real clerk sees the documents once they are handed over, and finds the file's status when
looking it up; the trainee sees the same, at the same moment, and never before: the documents
once they are on the counter (the clerk asked for or checked them), the lookup lines once the
clerk checks the documents or asks for information. Each line is said once per visit.

Every line is a narrator message whose metadata carries the same facts structured (``case``),
so the web page can show them in its *Berkas di meja* panel and the scenario card without
reading any text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Iterable, Mapping, Optional, Sequence

from actions import catalog, objectives

DOCUMENT_ACTS = frozenset({"check_documents"})
DOCUMENT_STAGES = frozenset({"documents_handed", "checking"})
LOOKUP_ACTS = frozenset({"check_documents", "ask_information"})


@dataclass(frozen=True)
class Narration:
    """One narrator line and the facts it shows (``case`` in the message's metadata)."""

    text: str
    case: dict[str, Any] = field(default_factory=dict)


def documents_line(documents: Iterable[Mapping[str, Any]]) -> str:
    items = "; ".join(f"{d['name']} ({d['state']})" for d in documents)
    return f"[Berkas di meja: {items}.]"


@cache  # read on every turn (turn.take_turn's line values): once per scenario
def documents_brought(scenario: str) -> str:
    """What the citizen of ``scenario`` brought, in its own words ("fotokopi KTP, NPWP, NIB,
    izin usaha yang lama, dan Surat Keterangan Domisili Usaha"): asked what it handed over."""
    counter = catalog.scenario_spec(scenario).get("counter") or {}
    names = [re.sub(r"\s*\(.*?\)", "", str(d["name"])) for d in counter.get("documents") or ()
             if d.get("state") == "ada"]
    names = [n[0].lower() + n[1:] if n[:2].istitle() and not n.isupper() and
             not n.startswith("Surat") else n for n in names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", dan " + names[-1] \
        if names else "berkas saya"


def narration(scenario: str, acts: Iterable[str], stage_after: str,
              said: Iterable[str] = ()) -> list[Narration]:
    """The narrator's lines due after this turn that were not said yet in the visit."""
    counter = catalog.scenario_spec(scenario).get("counter") or {}
    acts = set(acts)
    due: list[Narration] = []
    if counter.get("documents") and (acts & DOCUMENT_ACTS or stage_after in DOCUMENT_STAGES):
        documents = [{"name": str(d["name"]), "state": str(d["state"])}
                     for d in counter["documents"]]
        due.append(Narration(documents_line(documents), {"documents": documents}))
    if counter.get("lookup") and acts & LOOKUP_ACTS:
        due += [Narration(f"[{line}]", {"lookup": [str(line)]}) for line in counter["lookup"]]
    already = set(said)
    return [item for item in due if item.text not in already]


def card(scenario: str, practice: bool) -> dict[str, Any]:
    """The scenario card: title, situation, the citizen's mood at the start and, in practice
    mode only, the objectives (their card labels, none met yet)."""
    spec = catalog.scenario_spec(scenario)
    shown: dict[str, Any] = {
        "scenario": scenario,
        "title": catalog.scenario_title(scenario),
        "situation": str(spec.get("brief", "")),
        "mood": str(spec.get("start_mood", "calm")),
        "sop": [str(line) for line in spec.get("sop") or []],
    }
    if practice:
        shown["objectives"] = objectives_so_far(scenario, [])  # all pending
    return shown


def card_label(objective: Mapping[str, Any]) -> str:
    return str(objective.get("card_label") or objective.get("label") or objective["id"])


def objectives_so_far(scenario: str, records: Sequence[Mapping[str, Any]]
                      ) -> list[dict[str, Any]]:
    """The card's checklist after these turns (practice mode: sent with each feedback).

    ``state`` as ``objectives.evaluate`` reads it during the visit: ``met``, ``pending`` (not
    yet; an objective of what the clerk must never do stays pending while kept, keeping it for
    three replies is not yet an achievement) or ``broken``; ``optional`` when it is not needed
    to pass.
    """
    spec = catalog.scenario_spec(scenario).get("objectives") or []
    labels = {o["id"]: card_label(o) for o in spec}
    return [{"id": o["id"], "label": labels.get(o["id"], o["label"]),
             "met": o["state"] == "met", "state": o["state"], "optional": o["optional"]}
            for o in objectives.evaluate(scenario, records, ended=False)]


def card_text(card_data: Mapping[str, Any]) -> str:
    """The scenario card as a narrator line for the terminal (``rasa shell``)."""
    lines = [f"[Skenario: {card_data['title']}", f" Situasi: {card_data['situation']}"]
    if card_data.get("sop"):
        lines.append(" Ketentuan layanan:")
        lines += [f"   - {line}" for line in card_data["sop"]]
    goals: Optional[list[Mapping[str, Any]]] = card_data.get("objectives")
    if goals:
        lines.append(" Sasaran:")
        lines += [f"   {n}) {goal['label']}" for n, goal in enumerate(goals, start=1)]
    else:
        lines.append(" Mode ujian: sasaran dan nilai ditampilkan di ringkasan akhir.")
    return "\n".join(lines) + "]"
