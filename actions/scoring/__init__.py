"""Scoring of PTSP clerk replies for politeness, clarity and responsiveness.

    from actions.scoring import score_reply, SCORER_VERSION
    score_reply("Selamat pagi, Bapak. Ada yang bisa kami bantu?")

Importing this package is cheap; spaCy and the YAML lexicons load on the first call
(or call ``warm_up()`` at server start). ``SCORER_VERSION`` is read when asked for: the
rubric's version, with the adopted calibration's number (``+cal<n>``, calibration.py) if any.
"""

from typing import Any

from . import calibration
from .lexicon import read_version
from .scorer import score_reply, warm_up

RUBRIC_VERSION: str = read_version()

__all__ = ["RUBRIC_VERSION", "SCORER_VERSION", "score_reply", "warm_up"]


def __getattr__(name: str) -> Any:
    if name == "SCORER_VERSION":
        return calibration.version(RUBRIC_VERSION)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
