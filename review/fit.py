"""Corrections refit the scorer: ``python -m review fit [--json] [--dry-run]`` (issue 21).

Fits the scorer's calibration layer (``actions/scoring/calibration.py``): per dimension, a
ridge regression of the gap between a rated score and the scorer's own (uncalibrated) score
over a handful of features of the reply's reading (``calibration.FEATURES``: the raw score,
short/long reply, incident, keyword string, informal or English register, hostility, unmet
need), shrunk towards no change. The overall is recomputed from the calibrated dimensions as
the scorer does (``overall_of``). Each fit starts from the uncalibrated scorer: it replaces the
adopted layer, it does not stack on it.

Trained on the rated sets' tuning parts (ratings 1-5 put on the 0-100 scale by
``learned.to_scale``) plus every trainer correction in the review DB (the newest scores of a
reply, 0-100; together they weigh as much as the rated items, each at most ``MAX_WEIGHT``
of them: ``correction_weight``). Held out, never trained on: the rated sets' held-out parts
and ~30 % of the corrections (a stable hash of the reply's text, so a reply corrected in two
visits is never on both sides). A target above the reading's cap is
taken at the cap (the layer cannot lift a capped score anyway).

Agreement on the held-out parts (Spearman's rho and the mean absolute error, per group and
dimension) is computed before (the current scorer with its adopted layer, if any) and after
(the candidate). The candidate is adopted only if no dimension's rho drops by more than
``RHO_TOLERANCE`` in either group, no group's mean error rises by more than ``MAE_TOLERANCE``
and the mean rho rises by ``MIN_RHO_GAIN`` (or holds while the mean error falls by
``MIN_MAE_GAIN`` points); adopting writes a numbered calibration file and moves the pointer
(calibration.py). ``python -m review rescore --all`` then re-scores the stored turns with
the new scorer version. See docs/feedback_loop.md.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Any, Optional

from actions.catalog import dimension_label
from actions.scoring import RUBRIC_VERSION, calibration
from actions.scoring.calibration import FEATURES, Calibration, feature_values
from actions.scoring.learned import DIMENSIONS, RATED, to_scale, tuning_items
from actions.visits import build_visits
from review.calibrate import Pairs
from review.notes import latest, notes_for
from review.store import TrackerStore

HELD_OUT_TENTHS = 3  # share of the corrections held out, in tenths
MAX_WEIGHT = 20.0  # one trainer correction weighs at most this many rated items
ALPHA = 20.0  # ridge penalty (in weighted items) towards no change
RHO_TOLERANCE = 0.02  # no group's dimension may lose more rho than this
MIN_RHO_GAIN = 0.005  # mean held-out rho must rise by this much ...
MIN_MAE_GAIN = 0.5  # ... or hold while the mean absolute error falls by this many points
MAE_TOLERANCE = 1.0  # no group's mean absolute error may rise by more points than this
GROUPS = {"rated": "set bernilai", "corrections": "koreksi"}
_FILE = re.compile(r"^calibration-(\d+)-[0-9a-f]+\.json$")


@dataclass
class Example:
    """One rated reply: the scorer's uncalibrated scores, its reading and caps, the target."""

    group: str  # rated | corrections
    key: str
    held_out: bool
    raw: dict[str, int]
    reading: dict[str, Any]
    caps: dict[str, float]
    target: dict[str, float]  # dimensions rated, 0-100 (corrections: also overall)
    calibrable: bool = True  # False: the scorer never calibrates it (gibberish, empty ...)
    words: frozenset = frozenset()  # a correction rated good: its words (novelty.py)


@dataclass
class FitResult:
    trained: dict[str, int]
    held: dict[str, int]
    before: dict[str, Any]
    after: dict[str, Any]
    adopt: bool
    reasons: list[str]
    candidate: Optional[Calibration]
    version_before: str
    version_after: str
    written: Optional[str] = None
    dry_run: bool = False
    weight: float = 1.0
    coefficients: dict[str, dict[str, float]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "candidate"}


def held_out(reply: str) -> bool:
    """Whether a trainer-corrected reply is held out (stable: a hash of its text)."""
    text = " ".join(reply.lower().split())
    return int(hashlib.md5(text.encode("utf-8")).hexdigest(), 16) % 10 < HELD_OUT_TENTHS


def _example(group: str, key: str, held: bool, target: dict[str, float], **kwargs: Any
             ) -> Optional[Example]:
    from actions.scoring.scorer import uncalibrated

    out = uncalibrated(**kwargs)
    if "reading" not in out:  # an empty reply: scored by rule, never calibrated
        return None
    return Example(group, key, held, {d: out[d] for d in (*DIMENSIONS, "overall")},
                   out["reading"], dict(out["__caps"]), target, bool(out["__calibrable"]))


def rated_examples() -> list[Example]:
    """Every item of the rated sets, held out unless ``learned.tuning_items`` has it."""
    tuning = {d["id"] for d in tuning_items()}
    examples = []
    for path in sorted(RATED.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            d = json.loads(line)
            target = {dim: to_scale(dim, d[dim]) for dim in DIMENSIONS if d.get(dim)}
            ex = _example("rated", d["id"], d["id"] not in tuning, target, reply=d["reply"],
                          customer_turn=d.get("customer_turn"), scenario=d.get("scenario"),
                          move=d.get("move"), honorific=d.get("honorific"), hour=d.get("hour"))
            if ex is not None:
                examples.append(ex)
    return examples


def correction_examples(store: TrackerStore, review_url: Optional[str] = None
                        ) -> list[Example]:
    """Every reply a trainer scored (the newest scores), in its stored context."""
    notes = notes_for(None, review_url)
    senders = sorted({sender for sender, _, _ in notes})
    examples = []
    for visit in build_visits(store.conversations(senders)) if senders else []:
        for turn in visit.turns:
            scores = latest(notes.get((visit.sender_id, visit.index, turn.number), []))[
                "trainer_scores"]
            if not scores:
                continue
            record = turn.record or {}  # the context as review/rescore.py's score_turn reads it
            hour = visit.citizen.get("visit_hour")
            ex = _example(
                "corrections", f"{visit.sender_id}:{visit.index}:{turn.number}",
                held_out(turn.reply), {k: float(v) for k, v in scores.items()},
                reply=turn.reply, customer_turn=record.get("customer_turn", turn.customer_turn),
                scenario=visit.scenario, move=record.get("move") or turn.move,
                honorific=visit.citizen.get("citizen_honorific"),
                latency_seconds=record.get("latency_seconds"),
                hour=int(hour) if hour is not None else None)
            if ex is not None:
                if _rated_good(scores):
                    ex.words = _words(turn.reply)
                examples.append(ex)
    return examples


GOOD_OVERALL = 70  # a correction at least this good teaches its words (novelty.py)


def _rated_good(scores: dict[str, Any]) -> bool:
    """The trainer called the reply good: its overall (or its dimensions' mean) >= 70."""
    values = [float(v) for k, v in scores.items() if k in DIMENSIONS and v is not None]
    overall = scores.get("overall")
    value = float(overall) if overall is not None else (mean(values) if values else 0.0)
    return value >= GOOD_OVERALL


def _words(reply: str) -> frozenset:
    from actions.scoring.lexicon import get_lexicon
    from actions.scoring.novelty import words_of
    from actions.scoring.text import Analysed, resources

    return words_of(Analysed(reply, resources(get_lexicon().norms)))


def correction_weight(examples: list[Example]) -> float:
    """The weight of one correction: together they weigh as much as the rated items trained
    on, each at most ``MAX_WEIGHT`` of them (a handful of corrections moves little)."""
    rated = sum(1 for ex in examples if ex.group == "rated" and not ex.held_out)
    corrections = sum(1 for ex in examples if ex.group == "corrections" and not ex.held_out)
    return min(MAX_WEIGHT, rated / corrections) if rated and corrections else 1.0


def fit_layer(examples: list[Example], number: int = 0) -> Calibration:
    """The candidate layer, fitted on the examples that are not held out."""
    import numpy as np

    weight = correction_weight(examples)
    coefficients: dict[str, dict[str, float]] = {}
    for dim in DIMENSIONS:
        rows, gaps, weights = [], [], []
        for ex in examples:
            if ex.held_out or not ex.calibrable or dim not in ex.target:
                continue
            values = feature_values(ex.raw[dim], ex.reading)
            rows.append([1.0] + [values[name] for name in FEATURES])
            gaps.append(min(ex.target[dim], ex.caps.get(dim, 100.0)) - ex.raw[dim])
            weights.append(weight if ex.group == "corrections" else 1.0)
        if not rows:
            continue
        x, y, w = np.array(rows), np.array(gaps), np.array(weights)
        beta = np.linalg.solve(x.T @ (x * w[:, None]) + ALPHA * np.eye(x.shape[1]),
                               x.T @ (w * y))
        coefficients[dim] = {name: round(float(b), 3)
                             for name, b in zip(("intercept", *FEATURES), beta, strict=True)}
    taught = frozenset().union(*(ex.words for ex in examples
                                 if ex.group == "corrections" and not ex.held_out))
    return Calibration(number, RUBRIC_VERSION, coefficients, known_words=taught)


def _scores(ex: Example, table: Optional[Calibration]) -> dict[str, int]:
    if table is None or not ex.calibrable:
        return ex.raw
    from actions.scoring.lexicon import get_lexicon
    from actions.scoring.scorer import overall_of

    out = table.apply(ex.raw, ex.reading, ex.caps)
    return {**out, "overall": overall_of(get_lexicon(), out)}


def agreement(examples: list[Example], table: Optional[Calibration]) -> dict[str, Any]:
    """Held-out agreement per group and dimension (n, rho, mae), and the means per group and
    over the groups (overall: informative only, from corrections that score it)."""
    cells: dict[str, dict[str, tuple[Pairs, list[float]]]] = {}
    for ex in examples:
        if not ex.held_out:
            continue
        scores = _scores(ex, table)
        for dim, value in ex.target.items():
            pairs, errors = cells.setdefault(ex.group, {}).setdefault(dim, (Pairs(), []))
            pairs.trainer.append(value)
            pairs.scorer.append(scores[dim])
            errors.append(abs(value - scores[dim]))
    out: dict[str, Any] = {}
    for group in GROUPS:
        dims = {dim: {"n": len(errors), "rho": pairs.rho(),
                      "mae": round(mean(errors), 2)}
                for dim, (pairs, errors) in sorted(cells.get(group, {}).items())}
        rhos = [dims[d]["rho"] for d in DIMENSIONS if d in dims and dims[d]["rho"] is not None]
        maes = [dims[d]["mae"] for d in DIMENSIONS if d in dims]
        if maes:
            out[group] = {"dimensions": dims, "rho": round(mean(rhos), 4) if rhos else None,
                          "mae": round(mean(maes), 2)}
    rhos = [g["rho"] for g in out.values() if g["rho"] is not None]
    maes = [g["mae"] for g in out.values()]
    out["mean"] = {"rho": round(mean(rhos), 4) if rhos else None,
                   "mae": round(mean(maes), 2) if maes else None}
    return out


def decide(before: dict[str, Any], after: dict[str, Any]) -> tuple[bool, list[str]]:
    """Adopt the candidate? With the reasons (Indonesian, for the trainer)."""
    if before["mean"]["rho"] is None or after["mean"]["rho"] is None:
        return False, ["tidak ada data uji yang disisihkan"]
    reasons = []
    for group, label in GROUPS.items():
        for dim in DIMENSIONS:
            old = before.get(group, {}).get("dimensions", {}).get(dim, {}).get("rho")
            new = after.get(group, {}).get("dimensions", {}).get(dim, {}).get("rho")
            if old is not None and new is not None and new < old - RHO_TOLERANCE:
                reasons.append(f"rho {dimension_label(dim)} ({label}) turun {old:.3f} → "
                               f"{new:.3f}")
        mae_old, mae_new = before.get(group, {}).get("mae"), after.get(group, {}).get("mae")
        if mae_old is not None and mae_new is not None and mae_new > mae_old + MAE_TOLERANCE:
            reasons.append(f"galat {label} naik {mae_old:.2f} → {mae_new:.2f} poin")
    rho_gain = after["mean"]["rho"] - before["mean"]["rho"]
    mae_gain = before["mean"]["mae"] - after["mean"]["mae"]
    if not (rho_gain >= MIN_RHO_GAIN or (rho_gain >= 0 and mae_gain >= MIN_MAE_GAIN)):
        reasons.append(f"kesesuaian pada data uji tidak naik (rho rata-rata {rho_gain:+.3f}, "
                       f"galat rata-rata {-mae_gain:+.2f} poin)")
    return not reasons, reasons


def _next_number(folder: Path) -> int:
    numbers = [int(m.group(1)) for p in folder.glob("calibration-*.json")
               if (m := _FILE.match(p.name))]
    return max(numbers, default=0) + 1


def _write_atomic(path: Path, data: dict[str, Any]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def adopt(result: FitResult, folder: Optional[Path] = None) -> Path:
    """Write the candidate as the next numbered calibration file and point at it."""
    assert result.candidate is not None
    folder = folder or calibration.directory()
    folder.mkdir(parents=True, exist_ok=True)
    number = _next_number(folder)
    coefficients = result.candidate.coefficients
    digest = hashlib.sha256(json.dumps(coefficients, sort_keys=True).encode()).hexdigest()[:8]
    path = folder / f"calibration-{number}-{digest}.json"
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    previous = calibration.current()
    _write_atomic(path, {
        "format": calibration.FORMAT, "number": number, "base": RUBRIC_VERSION,
        "created": now, "features": list(FEATURES), "coefficients": coefficients,
        "known_words": sorted(result.candidate.known_words),
        "training": {**result.trained, "correction_weight": result.weight, "alpha": ALPHA},
        "held_out": result.held, "before": result.before, "after": result.after,
        "previous": previous.name if previous else None})
    _write_atomic(folder / calibration.POINTER, {"file": path.name, "number": number,
                                                 "adopted": now})
    return path


def fit(store: TrackerStore, review_url: Optional[str] = None, dry_run: bool = False,
        rated: Optional[list[Example]] = None) -> FitResult:
    """Fit a candidate on the tuning data, compare it on the held-out data, adopt it if it
    agrees better (``rated``: the rated sets' examples, if already built)."""
    examples = (rated if rated is not None else rated_examples()) + correction_examples(
        store, review_url)
    count = {g: {True: 0, False: 0} for g in GROUPS}
    for ex in examples:
        count[ex.group][ex.held_out] += 1
    trained = {g: c[False] for g, c in count.items()}
    held = {g: c[True] for g, c in count.items()}
    current = calibration.active(RUBRIC_VERSION)
    version_before = calibration.version(RUBRIC_VERSION)
    if not trained["corrections"]:
        return FitResult(trained, held, {}, {}, False, [
            "belum ada nilai koreksi pelatih untuk dilatih"], None, version_before,
            version_before, dry_run=dry_run)
    candidate = fit_layer(examples)
    before, after = agreement(examples, current), agreement(examples, candidate)
    ok, reasons = decide(before, after)
    result = FitResult(trained, held, before, after, ok, reasons, candidate, version_before,
                       version_before, dry_run=dry_run,
                       weight=round(correction_weight(examples), 2),
                       coefficients=candidate.coefficients)
    if ok and not dry_run:
        path = adopt(result)
        result.written = str(path)
        result.version_after = calibration.version(RUBRIC_VERSION)
    return result


def _num(value: Optional[float], digits: int) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def report(result: FitResult, as_json: bool = False) -> str:
    """The figures before and after, and what was done (Indonesian)."""
    if as_json:
        return json.dumps(result.as_dict(), ensure_ascii=False, indent=2)
    lines = [f"Data latih: {result.trained['rated']} balasan set bernilai + "
             f"{result.trained['corrections']} koreksi pelatih (bobot {result.weight:g}); "
             f"data uji (disisihkan): {result.held['rated']} + {result.held['corrections']}."]
    if result.before:
        lines.append(f"{'':<14} {'':<11} {'':>4}   {'rho':^17}   {'galat':^17}")
        lines.append(f"{'kelompok':<14} {'dimensi':<11} {'n':>4}   {'sebelum':>7} → "
                     f"{'sesudah':<7}   {'sebelum':>7} → {'sesudah':<7}")
        for group, label in GROUPS.items():
            dims = result.before.get(group, {}).get("dimensions", {})
            for dim in (d for d in (*DIMENSIONS, "overall") if d in dims):
                old = dims[dim]
                new = result.after.get(group, {}).get("dimensions", {}).get(dim, old)
                lines.append(f"{label:<14} {dimension_label(dim):<11} {old['n']:>4}   "
                             f"{_num(old['rho'], 3):>7} → {_num(new['rho'], 3):<7}   "
                             f"{_num(old['mae'], 2):>7} → {_num(new['mae'], 2):<7}")
        b, a = result.before["mean"], result.after["mean"]
        lines.append(f"rata-rata rho {_num(b['rho'], 3)} → {_num(a['rho'], 3)}, galat "
                     f"{_num(b['mae'], 2)} → {_num(a['mae'], 2)} (sebelum: "
                     f"{result.version_before}; galat: selisih mutlak rata-rata, poin 0–100)")
    if not result.adopt:
        lines.append("Tidak diadopsi: " + "; ".join(result.reasons) +
                     f". Penilai tetap {result.version_before}.")
    elif result.dry_run:
        lines.append("Uji coba (--dry-run): kalibrasi baru akan diadopsi; tidak ada yang ditulis.")
    else:
        lines.append(f"Diadopsi: {result.written}; versi penilai kini {result.version_after}. "
                     "Jalankan `python -m review rescore --all` untuk menilai ulang balasan yang "
                     "tersimpan.")
    return "\n".join(lines)
