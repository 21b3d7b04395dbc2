"""Scoring of PTSP clerk replies for politeness, clarity and responsiveness.

    from actions.scoring import score_reply, SCORER_VERSION
    score_reply("Selamat pagi, Bapak. Ada yang bisa kami bantu?")

Importing this package is cheap; spaCy and the YAML lexicons load on the first call
(or call ``warm_up()`` at server start).
"""

from .lexicon import read_version
from .scorer import score_reply, warm_up

SCORER_VERSION: str = read_version()

__all__ = ["SCORER_VERSION", "score_reply", "warm_up"]
