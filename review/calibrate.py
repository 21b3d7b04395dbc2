"""The scorer against the trainers: their score overrides (review/notes.py) read as ratings.

``python -m review calibrate`` scores every reply a trainer scored with the *current*
scorer and prints, per dimension and per scenario, how well the two agree: Spearman's rho and
the clear-pair order (of two replies the trainers scored at least ``CLEAR_GAP`` apart, the share
the scorer puts in the same order; a tie counts half). The dev set grows from real use.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any, Optional

from actions.catalog import DIMENSIONS, dimension_label, scenario_title
from actions.visits import build_visits
from review.notes import latest, notes_for
from review.rescore import score_turn
from review.store import TrackerStore

CLEAR_GAP = 20
ALL = "(semua skenario)"


@dataclass
class Pairs:
    """Trainer and scorer values of one dimension (in one scenario or all)."""

    trainer: list[float] = field(default_factory=list)
    scorer: list[float] = field(default_factory=list)

    def rho(self) -> Optional[float]:
        if len(self.trainer) < 3 or len(set(self.trainer)) < 2 or len(set(self.scorer)) < 2:
            return None
        from scipy.stats import spearmanr

        return round(float(spearmanr(self.trainer, self.scorer).correlation), 3)

    def clear_order(self) -> tuple[Optional[float], int]:
        agree, pairs = 0.0, 0
        for (t1, s1), (t2, s2) in itertools.combinations(
                zip(self.trainer, self.scorer, strict=True), 2):
            if abs(t1 - t2) < CLEAR_GAP:
                continue
            pairs += 1
            agree += 0.5 if s1 == s2 else float((t1 - t2) * (s1 - s2) > 0)
        return (round(agree / pairs, 3) if pairs else None), pairs


def ratings(store: TrackerStore, review_url: Optional[str] = None) -> list[dict[str, Any]]:
    """Every reply with trainer scores: the reply, its scenario, the trainers' and the current
    scorer's scores."""
    notes = notes_for(None, review_url)
    senders = sorted({sender for sender, _, _ in notes})
    if not senders:
        return []
    rated = []
    for visit in build_visits(store.conversations(senders)):
        for turn in visit.turns:
            trainer = latest(notes.get((visit.sender_id, visit.index, turn.number), []))
            if not trainer["trainer_scores"]:
                continue
            rated.append({"session": visit.id, "turn": turn.number, "reply": turn.reply,
                          "scenario": visit.scenario, "trainer": trainer["trainer_scores"],
                          "scorer": score_turn(visit, turn)})
    return rated


def agreement(rated: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows (scenario, dimension, n, rho, clear-pair order, pairs), all scenarios first."""
    groups: dict[tuple[str, str], Pairs] = {}
    for item in rated:
        for dim, value in item["trainer"].items():
            for scenario in (ALL, item["scenario"] or "?"):
                pairs = groups.setdefault((scenario, dim), Pairs())
                pairs.trainer.append(value)
                pairs.scorer.append(item["scorer"][dim])
    rows = []
    for (scenario, dim), pairs in sorted(groups.items(), key=lambda kv: (
            kv[0][0] != ALL, kv[0][0], DIMENSIONS.index(kv[0][1]))):
        order, count = pairs.clear_order()
        rows.append({"scenario": scenario, "dimension": dim, "n": len(pairs.trainer),
                     "rho": pairs.rho(), "clear_pair_order": order, "clear_pairs": count})
    return rows


def report(rows: list[dict[str, Any]], as_json: bool = False) -> str:
    if as_json:
        return json.dumps(rows, ensure_ascii=False, indent=2)
    if not rows:
        return ("Belum ada nilai koreksi pelatih: isi nilai pelatih pada balasan di halaman sesi "
                "(Tinjauan Pelatih), lalu jalankan lagi.")
    lines = [f"{'skenario':<48} {'dimensi':<12} {'n':>4} {'rho':>7} {'urutan':>7} {'pasang':>7}"]
    for row in rows:
        title = row["scenario"] if row["scenario"] == ALL else scenario_title(row["scenario"])
        rho = "–" if row["rho"] is None else f"{row['rho']:.2f}"
        order = "–" if row["clear_pair_order"] is None else f"{row['clear_pair_order']:.2f}"
        lines.append(f"{title[:48]:<48} {dimension_label(row['dimension']):<12} {row['n']:>4} "
                     f"{rho:>7} {order:>7} {row['clear_pairs']:>7}")
    lines.append(f"(urutan: bagian pasangan yang selisih nilai pelatihnya ≥ {CLEAR_GAP} dan "
                 "diurutkan sama oleh mesin)")
    return "\n".join(lines)
