"""Scoring a live turn without ever blocking the visit."""

from __future__ import annotations

import logging
import os
from typing import Any, Optional

logger = logging.getLogger(__name__)


def score_turn(
    reply: str,
    customer_turn: Optional[str],
    scenario: Optional[str],
    move: str,
    honorific: Optional[str],
    latency_seconds: Optional[float],
    hour: Optional[int],
) -> tuple[Optional[dict[str, Any]], Optional[str]]:
    """Return ``(scores, None)`` or ``(None, error)`` when the scorer failed.

    Any exception of the scorer is logged and turned into an error string: the turn is then
    stored as unscored and can be re-scored later.
    """
    if os.environ.get("PTSP_SCORING", "on").lower() in ("off", "0", "false", "no"):
        return None, "scoring disabled (PTSP_SCORING=off)"
    try:
        from actions.scoring import score_reply

        result = score_reply(
            reply,
            customer_turn=customer_turn,
            scenario=scenario,
            move=move,
            honorific=honorific,
            latency_seconds=latency_seconds,
            hour=hour,
        )
        return result, None
    except Exception as exc:  # noqa: BLE001 - scoring must never break the visit
        logger.exception("scoring failed; the turn is stored unscored")
        return None, f"{type(exc).__name__}: {exc}"


def feedback_line(scores: dict[str, Any]) -> str:
    """Compact Indonesian feedback line for the terminal."""
    line = (
        f"[Umpan balik] Kesopanan {scores['politeness']} · Kejelasan {scores['clarity']}"
        f" · Responsif {scores['responsiveness']} · Total {scores['overall']}"
    )
    tips = scores.get("tips") or []
    if tips:
        line += f" — Saran: {tips[0]}"
    return line
