"""Signal modules: each returns a list of Effect for one dimension (plus halo effects)."""

from .clarity import clarity_signals
from .politeness import politeness_signals
from .responsiveness import responsiveness_signals

__all__ = ["clarity_signals", "politeness_signals", "responsiveness_signals"]
