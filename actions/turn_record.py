"""The turn record: what is stored for every clerk reply (one type, versioned).

``action_process_turn`` builds one :class:`TurnRecord` per clerk message and stores it as the
``turn_record`` slot of the tracker (``as_dict``); every reader — the debrief and objectives,
the review, the exports, the web page — reads it back with :meth:`TurnRecord.from_dict` (via
``actions/visits.py``). A record is also a read-only mapping, so ``record["move"]`` and
``record.get("reading")`` work on it as on the stored dict.

Version 1 (before 2026-11-30) had no ``version``, ``lines`` or ``exam`` keys; it is read with
their defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Iterator, Mapping, Optional, Sequence

from actions import catalog

RECORD_VERSION = 2


@dataclass(frozen=True)
class TurnRecord(Mapping[str, Any]):
    """One clerk reply: the text, its move, its reading and scores, and what it did to the visit."""

    turn: int
    reply: str
    move: str
    scenario: str
    stage_before: str
    stage_after: str
    visit_event: str
    mood_before: str
    mood_after: str
    move_confidence: float = 0.0
    customer_turn: Optional[str] = None
    latency_seconds: Optional[float] = None
    scored: bool = False
    scores: Optional[dict[str, Any]] = None
    scoring_error: Optional[str] = None
    reading: Optional[dict[str, Any]] = None
    lines: tuple[str, ...] = ()  # keys of the citizen's lines said after this reply
    version: int = RECORD_VERSION
    extra: dict[str, Any] = field(default_factory=dict)  # unknown keys of a newer version

    # -- mapping protocol (read-only) ------------------------------------------------------
    def __getitem__(self, key: str) -> Any:
        if key in _FIELD_NAMES and key != "extra":
            return getattr(self, key)
        return self.extra[key]

    def __iter__(self) -> Iterator[str]:
        yield from (name for name in _FIELD_NAMES if name != "extra")
        yield from self.extra

    def __len__(self) -> int:
        return len(_FIELD_NAMES) - 1 + len(self.extra)

    # -- storage ---------------------------------------------------------------------------
    def as_dict(self, with_reading: bool = True) -> dict[str, Any]:
        """The JSON form stored in the tracker (``with_reading=False``: as sent to pages)."""
        # shallow: the nested scores and reading are plain JSON values already (a deep copy
        # of them was a tenth of the action server's time per turn)
        data = {name: getattr(self, name) for name in _FIELD_NAMES if name != "extra"}
        data["lines"] = list(self.lines)
        data.update(self.extra)
        if not with_reading:
            data.pop("reading", None)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Optional[TurnRecord]:
        """A stored record (any version); ``None`` if ``data`` is not a record at all."""
        if not isinstance(data, Mapping) or "turn" not in data:
            return None
        known = {name: data[name] for name in _FIELD_NAMES if name in data and name != "extra"}
        extra = {k: v for k, v in data.items() if k not in _FIELD_NAMES}
        scores = known.get("scores")
        try:
            return cls(
                turn=int(known.get("turn") or 0),
                reply=str(known.get("reply") or ""),
                move=str(known.get("move") or "nlu_fallback"),
                scenario=str(known.get("scenario") or ""),
                stage_before=str(known.get("stage_before") or "opening"),
                stage_after=str(known.get("stage_after") or "opening"),
                visit_event=str(known.get("visit_event") or ""),
                mood_before=str(known.get("mood_before") or "calm"),
                mood_after=str(known.get("mood_after") or "calm"),
                move_confidence=float(known.get("move_confidence") or 0.0),
                customer_turn=_text_or_none(known.get("customer_turn")),
                latency_seconds=_float_or_none(known.get("latency_seconds")),
                scored=bool(known.get("scored", isinstance(scores, Mapping))),
                scores=dict(scores) if isinstance(scores, Mapping) else None,
                scoring_error=_text_or_none(known.get("scoring_error")),
                reading=dict(known["reading"]) if isinstance(known.get("reading"), Mapping)
                else None,
                lines=tuple(str(x) for x in known.get("lines") or ()
                            if isinstance(x, (str, int))),
                version=int(known.get("version") or 1),
                extra=extra,
            )
        except (TypeError, ValueError):
            return None


_FIELD_NAMES = tuple(f.name for f in fields(TurnRecord))


def _text_or_none(value: Any) -> Optional[str]:
    return None if value is None else str(value)


def _float_or_none(value: Any) -> Optional[float]:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def mean_scores(score_sets: Sequence[Optional[Mapping[str, Any]]]) -> dict[str, Optional[int]]:
    """Rounded mean of each dimension over the scored ones (``None`` where nothing is scored).

    The one place averages are computed: the debrief, the review and the reports use it.
    """
    scored = [s for s in score_sets if s]
    means: dict[str, Optional[int]] = {}
    for key in catalog.DIMENSIONS:
        values = [float(s[key]) for s in scored if isinstance(s.get(key), (int, float))]
        means[key] = round(sum(values) / len(values)) if values else None
    return means
