"""The adopted calibration layer: the trainers' corrections folded back into the scorer.

``python -m review fit`` (``review/fit.py``) fits, per dimension, a small ridge regression of
the gap between a rated score (the rated sets' tuning parts and the trainers' corrections) and
the scorer's own score, over a handful of features of the reply's reading (``FEATURES``). It is
adopted only when held-out agreement went up: written to ``<dir>/calibration-<n>-<hash>.json``
with ``<dir>/current.json`` pointing at it (``<dir>``: ``PTSP_CALIBRATION_DIR``, else
``models/calibration``). ``score_reply`` adds the layer's correction to each dimension score;
the reading's caps then bound the result again (an incident-capped score stays capped) and the
overall is recomputed. The scorer's version becomes ``<rubric version>+cal<n>``, so
``python -m review rescore --all`` re-scores the turns of an older scorer. Sure cases (an
empty reply, no words, gibberish) are scored by rule and never calibrated.

Without a pointer file (the default: ``models/`` is generated, never shipped) the scorer is
exactly the tables with the learned blend. A calibration fitted on another rubric version is
not applied (refit it); a broken pointer or file is logged and ignored. The pointer is read
lazily, and the layer reloaded when the pointer changes (no restart of the action server).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Tuple

from .learned import DIMENSIONS, MODELS

logger = logging.getLogger(__name__)

ENV_DIR = "PTSP_CALIBRATION_DIR"
POINTER = "current.json"
FORMAT = 1
SHORT_WORDS = 4  # a reply of at most this many words is "short"
LONG_WORDS = 40  # ... of at least this many "long"
INFORMAL = frozenset({"slang", "chat", "abbreviations"})
# The features of one dimension score, all in [-1, 1], so a coefficient reads as points:
FEATURES: Tuple[str, ...] = (
    "raw",  # the scorer's own score of the dimension, (score - 50) / 50: stretches the scale
    "short",  # at most SHORT_WORDS words
    "long",  # at least LONG_WORDS words
    "incident",  # a critical incident (incidents.py): bribery, confidentiality ...
    "keyword_string",  # a string of keywords, not a sentence
    "informal",  # slang, chat style or abbreviations in the register
    "english",  # English in the register
    "hostile",  # blame, insult, sarcasm, dismissal ... (reading.HOSTILE)
    "need_unmet",  # the citizen's open need left unmet
)
_lock = threading.Lock()
_cache: Tuple[Optional[Tuple[str, bytes]], Optional[Calibration]] = (None, None)
_warned: set[str] = set()


def directory() -> Path:
    """Where the calibration files and the pointer live."""
    return Path(os.environ.get(ENV_DIR) or MODELS / "calibration")


def feature_values(raw: float, reading: Mapping[str, Any]) -> Dict[str, float]:
    """The features of one dimension score of a reply (``reading``: ``Reading.as_dict()``)."""
    words = int(reading.get("words") or 0)
    register = set(reading.get("register") or ())
    need = reading.get("need")
    return {
        "raw": (float(raw) - 50.0) / 50.0,
        "short": float(words <= SHORT_WORDS),
        "long": float(words >= LONG_WORDS),
        "incident": float(bool(reading.get("incidents"))),
        "keyword_string": float(reading.get("sentence") is False),
        "informal": float(bool(register & INFORMAL)),
        "english": float("english" in register),
        "hostile": float(bool(reading.get("hostility"))),
        "need_unmet": float(isinstance(need, Mapping) and need.get("status") == "unmet"),
    }


@dataclass(frozen=True)
class Calibration:
    """Per dimension: ``intercept`` plus a weight per feature, in points of the 0-100 scale."""

    number: int
    base: str  # the rubric version the layer was fitted on
    coefficients: Dict[str, Dict[str, float]]
    name: str = ""
    # words of replies the trainers rated good (novelty.py): no longer held for review
    known_words: frozenset = frozenset()

    def correction(self, dimension: str, raw: float, reading: Mapping[str, Any]) -> float:
        weights = self.coefficients.get(dimension)
        if not weights:
            return 0.0
        values = feature_values(raw, reading)
        return float(weights.get("intercept", 0.0)) + sum(
            float(w) * values[name] for name, w in weights.items() if name != "intercept")

    def apply(self, scores: Mapping[str, int], reading: Mapping[str, Any],
              caps: Mapping[str, float]) -> Dict[str, int]:
        """The calibrated dimension scores, never above the reading's caps (nor 0-100)."""
        out: Dict[str, int] = {}
        for dim in DIMENSIONS:
            value = scores[dim] + self.correction(dim, scores[dim], reading)
            out[dim] = int(round(max(0.0, min(value, 100.0, float(caps.get(dim, 100.0))))))
        return out

    def version(self, base: str) -> str:
        return f"{base}+cal{self.number}"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], name: str = "") -> Calibration:
        """A calibration file's content; ``ValueError`` if it is not a usable one."""
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown format {data.get('format')!r}")
        coefficients: Dict[str, Dict[str, float]] = {}
        for dim, weights in (data.get("coefficients") or {}).items():
            if dim not in DIMENSIONS or not isinstance(weights, Mapping):
                raise ValueError(f"bad dimension {dim!r}")
            unknown = set(weights) - set(FEATURES) - {"intercept"}
            if unknown:
                raise ValueError(f"unknown features {sorted(unknown)}")
            coefficients[dim] = {k: float(v) for k, v in weights.items()}
        number = data.get("number")
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise ValueError(f"bad number {number!r}")
        words = data.get("known_words") or []
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise ValueError("bad known_words")
        return cls(number, str(data.get("base") or ""), coefficients, name,
                   frozenset(w.lower() for w in words))


def _load(pointer: Path, content: bytes) -> Optional[Calibration]:
    try:
        target = json.loads(content.decode("utf-8"))["file"]
        if not isinstance(target, str) or Path(target).name != target:
            raise ValueError(f"bad file name {target!r}")
        data = json.loads((pointer.parent / target).read_text(encoding="utf-8"))
        return Calibration.from_dict(data, target)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        logger.warning("calibration %s not applied (%s); the scorer is uncalibrated",
                       pointer, exc)
        return None


def current() -> Optional[Calibration]:
    """The adopted calibration (``None``: none adopted); reloaded when the pointer changes.

    The pointer is a few bytes, read on every call (its content is the cache key: a file's
    modification time is too coarse for two writes in the same millisecond)."""
    global _cache
    pointer = directory() / POINTER
    try:
        content = pointer.read_bytes()
    except OSError:  # none adopted (or unreadable): the uncalibrated scorer
        return None
    key = (str(pointer), content)
    cached = _cache
    if cached[0] == key:
        return cached[1]
    with _lock:
        if _cache[0] != key:
            _cache = (key, _load(pointer, content))
        return _cache[1]


def active(base: str) -> Optional[Calibration]:
    """The adopted calibration if it was fitted on the rubric version ``base``."""
    table = current()
    if table is None or table.base == base:
        return table
    if table.name not in _warned:
        _warned.add(table.name)
        logger.warning("calibration %s was fitted on %s, the rubric is %s: not applied "
                       "(python -m review fit)", table.name, table.base, base)
    return None


def version(base: str) -> str:
    """The scorer's version: the rubric's, with the adopted calibration's number if any."""
    table = active(base)
    return table.version(base) if table is not None else base
