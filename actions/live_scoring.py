"""Scoring a live turn without ever blocking the visit."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Optional

logger = logging.getLogger(__name__)

# Scoring runs in worker threads so that a slow scorer never holds the action server's event
# loop, and is abandoned after PTSP_SCORING_TIMEOUT seconds: the turn is then stored unscored
# (``python -m review rescore`` fills it in later) and the citizen answers at once.
_POOL = ThreadPoolExecutor(max_workers=int(os.environ.get("PTSP_SCORING_THREADS", "4")),
                           thread_name_prefix="scorer")


def scoring_timeout() -> float:
    """Seconds a turn may wait for its score (``PTSP_SCORING_TIMEOUT``, default 3)."""
    try:
        return max(0.1, float(os.environ.get("PTSP_SCORING_TIMEOUT", "3")))
    except ValueError:
        return 3.0


def _fault_delay() -> float:
    """Fault injection for tests and benchmarks: ``PTSP_SCORING_DELAY_SECONDS`` slows the scorer."""
    try:
        return float(os.environ.get("PTSP_SCORING_DELAY_SECONDS", "0"))
    except ValueError:
        return 0.0


def score_turn(
    reply: str,
    customer_turn: Optional[str],
    scenario: Optional[str],
    move: str,
    honorific: Optional[str],
    latency_seconds: Optional[float],
    hour: Optional[int],
    known_terms: Optional[list[str]] = None,
    open_need: Optional[str] = None,
) -> tuple[Optional[dict[str, Any]], Optional[str]]:
    """Return ``(scores, None)`` or ``(None, error)`` when the scorer failed.

    Any exception of the scorer is logged and turned into an error string: the turn is then
    stored as unscored and can be re-scored later.
    """
    if os.environ.get("PTSP_SCORING", "on").lower() in ("off", "0", "false", "no"):
        return None, "scoring disabled (PTSP_SCORING=off)"
    try:
        from actions.scoring import score_reply

        delay = _fault_delay()
        if delay > 0:
            time.sleep(delay)

        result = score_reply(
            reply,
            customer_turn=customer_turn,
            scenario=scenario,
            move=move,
            honorific=honorific,
            latency_seconds=latency_seconds,
            hour=hour,
            known_terms=known_terms,
            open_need=open_need,
        )
        return result, None
    except Exception as exc:  # noqa: BLE001 - scoring must never break the visit
        logger.exception("scoring failed; the turn is stored unscored")
        return None, f"{type(exc).__name__}: {exc}"


async def score_turn_async(
    *args: Any, **kwargs: Any
) -> tuple[Optional[dict[str, Any]], Optional[str]]:
    """:func:`score_turn` in a worker thread, given up after :func:`scoring_timeout` seconds."""
    loop = asyncio.get_running_loop()
    timeout = scoring_timeout()
    future = loop.run_in_executor(_POOL, lambda: score_turn(*args, **kwargs))
    try:
        return await asyncio.wait_for(future, timeout)
    except asyncio.TimeoutError:
        logger.warning("scoring took longer than %.1f s; the turn is stored unscored", timeout)
        return None, f"scoring timed out after {timeout:.1f} s"


def feedback_line(scores: dict[str, Any]) -> str:
    """Compact Indonesian feedback line for the terminal."""
    from actions.catalog import DIMENSION_LABELS
    from actions.scoring.tips import shown_tips

    line = "[Umpan balik] " + " · ".join(
        f"{label} {scores.get(key)}" for key, label in DIMENSION_LABELS.items())
    tips = shown_tips(scores)  # the tip the web page shows too, and the debrief draws from
    if tips:
        line += f" — Saran: {tips[0]}"
    return line
