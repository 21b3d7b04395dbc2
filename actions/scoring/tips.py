"""Choose at most three actionable tips (Indonesian) from the evidence.

The trainee sees the first of them under the reply (its chip and the feedback panel); the
debrief's main tips are drawn from these shown tips only (:func:`shown_tips`), so it never
teaches what no reply was told.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Tuple

from .context import Context, Effect, is_soft
from .lexicon import get_lexicon

MAX_TIPS = 3
SHOWN_TIPS = 1  # tips shown under a reply (web/static/trainee.js shows ``tips[0]``)
GOOD_ENOUGH = 80  # no "add ..." suggestion for a dimension already this good
_WHAT_NEXT = ("duration_fact", "place", "receipt", "return_step", "commit_action", "next_step",
              "resolution_time")
_FACT_NEEDS = frozenset({"list", "procedure", "duration", "cost"})
_NEXT_STEP_NEEDS = frozenset(
    {"duration", "procedure", "docs_handed", "problem", "complaint", "list"}
)


def _tip_text(tips: Dict, signal: str) -> Optional[str]:
    if ":" in signal:
        kind, need = signal.split(":", 1)
        group = tips.get(kind.replace("need_", "need_"))
        return group.get(need) if isinstance(group, dict) else None
    text = tips.get(signal)
    return text if isinstance(text, str) else None


def choose_tips(
    ctx: Context, effects: List[Effect], scores: Optional[Dict[str, int]] = None
) -> List[str]:
    """Biggest losses first: negative effects, partly met needs, then missing basics.

    At most one tip per signal, at most MAX_TIPS tips. A "missing" suggestion is not given
    for a dimension already at ``GOOD_ENOUGH`` or above, nor for what the reply does say.
    """
    scores = scores or {}
    tips = ctx.lex.tips
    hon = ctx.honorific or "Bapak/Ibu"
    # (points at stake, signal, effect or None, ready text for "missing" tips)
    cands: List[Tuple[float, str, Optional[Effect], str]] = []
    needs = {n.name: n for n, _ in ctx.needs}
    waited = {n.name for n, cue in ctx.needs if is_soft(cue)}  # implied by the stage only
    for e in effects:
        if ":" in e.signal and e.signal.split(":", 1)[1] in waited:
            continue  # no tip about what the citizen did not ask
        if e.signal.startswith("need_partial:"):
            need = needs.get(e.signal.split(":", 1)[1])
            if need is not None:
                lost = (need.effect["met"] - need.effect["partial"]) * 0.6
                cands.append((lost, e.signal, e, ""))
        elif e.effect < 0:
            cands.append((-e.effect, e.signal, e, ""))
    missing = tips.get("missing") or {}
    signals = {e.signal for e in effects}
    rude = any(s in signals for s in ("rude_you", "honorific_wrong"))
    wanted = []
    polite_enough = scores.get("politeness", 0) >= GOOD_ENOUGH
    if not ctx.addressed and not rude and ctx.reply.word_count and not polite_enough:
        wanted.append("honorific")
    if not ctx.courteous and ctx.reply.word_count and not polite_enough:
        wanted.append("courtesy")
    says_what_next = any(ctx.has(c) for c in _WHAT_NEXT)
    if ("next_step" not in signals and _NEXT_STEP_NEEDS & set(needs) and not says_what_next
            and scores.get("responsiveness", 0) < GOOD_ENOUGH):
        wanted.append("next_step")
    if (not any(s.startswith("concrete_") for s in signals) and _FACT_NEEDS & set(needs)
            and scores.get("clarity", 0) < GOOD_ENOUGH):
        wanted.append("concrete")
    for key in wanted:
        cands.append((_prio(missing, key), f"missing:{key}", None, _plain(missing, key)))
    cands.sort(key=lambda c: -c[0])
    out: List[str] = []
    used = set()
    for _, signal, effect, text in cands:
        if signal in used:
            continue
        if effect is not None:
            text = _fmt(_tip_text(tips, signal), effect, hon)
        if text and text not in out:
            used.add(signal)
            out.append(text)
        if len(out) == MAX_TIPS:
            break
    return out  # praise is not a tip: an answer with nothing to improve gets no tip


def _fmt(template: Optional[str], e: Effect, honorific: str) -> str:
    if not template:
        return ""
    text = e.text if len(e.text) <= 40 else e.text[:38].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    hint = e.hint or "dengan kata sehari-hari"
    return (
        template.replace("{text}", text).replace("{honorific}", honorific).replace("{hint}", hint)
    )


def _prio(missing: Dict, key: str) -> float:
    item = missing.get(key) or {}
    return float(item.get("priority", 1))


def _plain(missing: Dict, key: str) -> str:
    item = missing.get(key) or {}
    return str(item.get("text", ""))


def shown_tips(scores: Optional[Mapping[str, Any]]) -> List[str]:
    """The tips the trainee saw under a reply (the chip, the feedback panel, the terminal's
    feedback line): the first ``SHOWN_TIPS`` of its scores' ``tips``."""
    tips = (scores or {}).get("tips") or []
    return [str(tip) for tip in tips[:SHOWN_TIPS] if tip]


def habit_signals() -> Dict[str, str]:
    """Each "missing" tip that asks for a habit (a courtesy word, Bapak/Ibu) and the evidence
    signal of that habit (tips.yml ``missing.<key>.habit``): a visit whose replies mostly show
    the habit does not get that tip as a main lesson."""
    missing = get_lexicon().tips.get("missing") or {}
    return {str(item["text"]): str(item["habit"]) for item in missing.values()
            if isinstance(item, dict) and item.get("habit") and item.get("text")}


def incident_tip_openings(kinds: List[str]) -> List[str]:
    """The opening words of the reply tips of these kinds of incident ("Jangan menjanjikan di
    luar ketentuan ("): a debrief that leads with an incident's lesson drops them."""
    tips = get_lexicon().tips
    out = []
    for kind in kinds:
        template = str(tips.get(f"incident_{kind}") or (tips.get("signals") or {}).get(
            f"incident_{kind}") or "")
        if "{text}" in template:
            out.append(template.split("{text}")[0].rstrip("'\"( "))
    return [o for o in out if o]
