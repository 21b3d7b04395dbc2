"""score_reply: the public entry point that ties text, signals and tips together."""

from __future__ import annotations

import logging
import math
from functools import lru_cache
from typing import Any, Dict, List, Optional, Set, Tuple

from . import burdens, calibration, learned, novelty
from .context import MOVES, SCENARIOS, Context, Effect, detect_needs, spoke_english
from .lexicon import Lexicon, Need, get_lexicon
from .reading import HOSTILE, Reading, build_reading
from .signals import clarity_signals, politeness_signals, responsiveness_signals
from .text import Analysed, clean, resources
from .tips import choose_tips
from .verdict import reading_caps, reading_effects

logger = logging.getLogger(__name__)
DIMENSIONS = ("politeness", "clarity", "responsiveness")


def infer_move(lex: Lexicon, norm: str, present: Optional[Set[str]] = None) -> str:
    """Cheap text-based guess of the clerk move (first matching rule in moves.yml)."""
    for move, rx in lex.moves:
        if rx.search(norm, present):
            return move
    return "nlu_fallback"


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _honorific(value: Any) -> Optional[str]:
    if not isinstance(value, str):
        return None
    v = value.strip().lower().rstrip(".")
    if v in ("bapak", "pak", "bpk", "male", "m", "laki-laki"):
        return "Bapak"
    if v in ("ibu", "bu", "female", "f", "perempuan"):
        return "Ibu"
    return None


def _number(value: Any) -> Optional[float]:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        f = float(value)
    except ValueError:
        return None
    return f if math.isfinite(f) and f >= 0 else None


def _hour(value: Any) -> Optional[int]:
    f = _number(value)
    if f is None or f >= 24:
        return None
    return int(f)


def _fixed(
    lex: Lexicon, scores: Dict[str, int], effect: Effect, move: str, tip_key: str
) -> Dict[str, Any]:
    tip = lex.tips.get(tip_key)
    return {
        **scores,
        "overall": overall_of(lex, scores),
        "evidence": [effect.as_dict(lex.labels)],
        "tips": [tip] if isinstance(tip, str) else [],
        "move": move,
        "version": calibration.version(lex.version),
    }


def score_reply(
    reply: str,
    customer_turn: Optional[str] = None,
    scenario: Optional[str] = None,
    move: Optional[str] = None,
    honorific: Optional[str] = None,
    latency_seconds: Optional[float] = None,
    hour: Optional[int] = None,
    known_terms: Any = None,
    open_need: Optional[str] = None,
) -> Dict[str, Any]:
    """Score a trainee (clerk) reply for politeness, clarity and responsiveness.

    The result also carries the reply's ``reading`` (see ``reading.py``). ``known_terms``:
    jargon keys (``oss``, ``nib`` ...) explained plainly earlier in the visit; ``open_need``:
    what the citizen waits for at this point of the visit when its line asks nothing specific
    (a need name of ``data/needs.yml``, e.g. ``status`` while the documents are checked).
    Odd input gives low scores with evidence saying why; a bug of the scorer raises, and the
    one guard (``actions/live_scoring.py``) stores the turn as unscored for a later rescore.
    """
    return _score(
        reply, customer_turn, scenario, move, honorific, latency_seconds, hour, known_terms,
        open_need,
    )


def table_row(item: Dict[str, Any]) -> Dict[str, Any]:
    """A rated item as the learned model reads it: the tables' scores and the normalised
    texts (``learned.py``)."""
    result = _score(item["reply"], item.get("customer_turn"), item.get("scenario"),
                    item.get("move"), item.get("honorific"), None, item.get("hour"),
                    use_model=False)
    return result["__row"]


def uncalibrated(
    reply: str,
    customer_turn: Optional[str] = None,
    scenario: Optional[str] = None,
    move: Optional[str] = None,
    honorific: Optional[str] = None,
    latency_seconds: Optional[float] = None,
    hour: Optional[int] = None,
) -> Dict[str, Any]:
    """``score_reply`` without the adopted calibration, plus the reading's caps (``__caps``)
    and whether a calibration would apply at all (``__calibrable``): what ``python -m review
    fit`` fits on (``calibration.py``)."""
    return _score(reply, customer_turn, scenario, move, honorific, latency_seconds, hour,
                  calibrate=False)


def fit_model() -> Any:
    """Fit the learned half on the tuning parts of the rated sets and cache it."""
    return learned.fit(table_row)


def _nothing_hostile(ctx: Context) -> bool:
    """The reading finds nothing dismissive, blaming or refusing in the reply: an NLU
    "dismiss" there is NLU's guess alone, and a dismissal is never declared from a move alone."""
    return not any(ctx.has(name) for name in (*HOSTILE, "brush_off"))  # "…, next!"


def warm_up() -> None:
    """Load the lexicons, spaCy tokenizer and lookup tables now (e.g. at server start)."""
    score_reply("Selamat pagi, Bapak.", "Selamat pagi.")


def _score(
    reply: Any,
    customer_turn: Any,
    scenario: Any,
    move: Any,
    honorific: Any,
    latency_seconds: Any,
    hour: Any,
    known_terms: Any = None,
    open_need: Any = None,
    use_model: bool = True,
    calibrate: bool = True,
) -> Dict[str, Any]:
    lex = get_lexicon()
    res = resources(lex.norms)
    max_chars = int(lex.weights.get("max_chars", 2000))
    notes: List[Effect] = []

    cleaned = clean(_as_text(reply), max_chars)
    given_move = move if isinstance(move, str) and move in MOVES else None
    if isinstance(move, str) and move and given_move is None:
        notes.append(Effect("overall", "unknown_move", move[:40], 0))
    if not cleaned.text:
        return _fixed(
            lex,
            dict(lex.weights["empty_scores"]),
            Effect("overall", "empty_reply", "(balasan kosong)", 0),
            given_move or "nlu_fallback",
            "empty_reply",
        )

    customer, customer_needs = (
        _customer(customer_turn, max_chars) if isinstance(customer_turn, str) else (None, None)
    )
    # a foreign owner spoke English: the clerk's English is read like its Indonesian
    analysed = Analysed(cleaned.text, res,
                        lex.english_norms if spoke_english(lex, customer) else None)
    if not analysed.words:
        return _fixed(
            lex,
            dict(lex.weights["no_words_scores"]),
            Effect("overall", "no_words", cleaned.text[:40], 0),
            given_move or "nlu_fallback",
            "no_words",
        )

    scen = scenario if isinstance(scenario, str) and scenario in SCENARIOS else None
    if isinstance(scenario, str) and scenario and scen is None:
        notes.append(Effect("overall", "unknown_scenario", scenario[:40], 0))
    ctx = Context(
        lex,
        analysed,
        customer,
        scen,
        given_move or "nlu_fallback",
        given_move is not None,
        _honorific(honorific),
        _number(latency_seconds),
        _hour(hour),
        customer_needs,
        frozenset(t for t in known_terms or () if isinstance(t, str)),
        open_need if isinstance(open_need, str) else None,
    )
    used_move = ctx.move = given_move or infer_move(lex, analysed.norm, ctx.present)
    if cleaned.truncated:
        notes.append(
            Effect(
                "overall",
                "truncated",
                f"dinilai {len(cleaned.text)} dari {cleaned.original_length} karakter",
                0,
            )
        )
    if cleaned.html_removed:
        notes.append(Effect("overall", "html_removed", "tag HTML diabaikan", 0))
    if cleaned.control_removed:
        notes.append(Effect("overall", "control_chars_removed", "karakter kontrol diabaikan", 0))

    effects: List[Effect] = []
    effects += politeness_signals(ctx)
    effects += clarity_signals(ctx)
    effects += responsiveness_signals(ctx)
    reading = build_reading(ctx, {e.signal for e in effects}, given_move)
    if given_move == "dismiss" and _nothing_hostile(ctx) and set(reading.acts) - {"dismiss"}:
        # NLU took a reply with nothing dismissive in it for a dismissal (a greeting, a request
        # for the papers, a commitment to call back): a dismissal is never declared from an NLU
        # move alone, so the reading's own acts stand; a reply in which the reading finds nothing
        # else to do ("Thanks, next!") stays a dismissal
        return _score(reply, customer_turn, scenario, None, honorific, latency_seconds, hour,
                      known_terms, open_need, use_model, calibrate)
    effects += reading_effects(ctx, reading, effects)

    scores, overall = _combine(lex, effects, reading)
    row = {"norm": analysed.norm, "turn": customer.norm if customer is not None else "",
           "scenario": scen, "move": given_move, "scores": {**scores, "overall": overall}}
    sure = {"gibberish", "no_words", "empty_reply"} & {e.signal for e in effects}
    rating_model = learned.model(table_row) if use_model and not sure else None
    if rating_model is not None:
        scores, overall = _blend(lex, reading, scores, rating_model.predict(row), effects)
    table = calibration.active(lex.version) if use_model else None
    if table is not None and calibrate and not sure:  # the trainers' corrections, same caps
        scores, overall = _calibrated(lex, table, reading, scores, effects)
    known = getattr(rating_model, "known_words", None)
    if known and not reading.incidents:  # ... and the words the trainers' ratings taught
        taught = table.known_words if table is not None and calibrate else frozenset()
        held = novelty.unrecognised(analysed, known, res.is_standard_word, taught)
        if held:
            scores, overall = _held(lex, reading, scores, "unrecognised_words",
                                    novelty.evidence(held), effects)
        burdens_known = getattr(rating_model, "known_burdens", None)
        laid = burdens.unknown_burdens(analysed, burdens_known, res.is_standard_word,
                                       taught) if burdens_known else []
        if laid:
            scores, overall = _held(lex, reading, scores, "unrecognised_burden",
                                    "; ".join(laid[:2]), effects)
    tips = choose_tips(ctx, effects, scores)
    evidence = [e.as_dict(lex.labels) for e in notes] + [
        e.as_dict(lex.labels) for e in effects if round(e.effect) != 0
    ]
    out = {
        **scores,
        "overall": overall,
        "evidence": evidence,
        "tips": tips,
        "move": used_move,
        "version": table.version(lex.version) if table is not None else lex.version,
        "reading": reading.as_dict(),
    }
    if not use_model:
        out["__row"] = row
    if not calibrate:
        out["__caps"] = reading_caps(lex, reading)
        out["__calibrable"] = use_model and not sure
    return out


def _held(
    lex: Lexicon, reading: Reading, scores: Dict[str, int], signal: str, text: str,
    effects: List[Effect],
) -> Tuple[Dict[str, int], int]:
    """Words (``novelty.py``) or a burden (``burdens.py``) no good service used: each
    dimension held at the cap until a trainer rates such a reply; the reading says so
    (``held_for_review``)."""
    cap = int(lex.weights["reading"]["unrecognised_cap"])
    out = dict(scores)
    for dim in DIMENSIONS:
        if out[dim] > cap:
            effects.append(Effect(dim, signal, text, cap - out[dim]))
            out[dim] = cap
    if out != scores:
        reading.marks.append("held_for_review")
    return out, overall_of(lex, out)


def _calibrated(
    lex: Lexicon, table: calibration.Calibration, reading: Reading, scores: Dict[str, int],
    effects: List[Effect],
) -> Tuple[Dict[str, int], int]:
    """The adopted calibration applied, never above the reading's caps; its change is evidence
    like the learned half's ("dibandingkan dengan balasan yang dinilai pelatih")."""
    out = table.apply(scores, reading.as_dict(), reading_caps(lex, reading))
    for dim in DIMENSIONS:
        if out[dim] != scores[dim]:
            effects.append(Effect(dim, "learned", "kalibrasi", out[dim] - scores[dim]))
    return out, overall_of(lex, out)


def _blend(
    lex: Lexicon, reading: Reading, scores: Dict[str, int], predicted: Dict[str, float],
    effects: List[Effect],
) -> Tuple[Dict[str, int], int]:
    """The tables' scores blended with the learned ratings, under the reading's caps; the
    difference is evidence of its own ("dibandingkan dengan balasan yang dinilai pelatih")."""
    caps = reading_caps(lex, reading)
    out: Dict[str, int] = {}
    for dim in DIMENSIONS:
        if dim == "responsiveness" and reading.has("no_content"):
            out[dim] = scores[dim]  # nothing concrete said: the tables' reading stands
            continue
        blended = (1 - learned.WEIGHT) * scores[dim] + learned.WEIGHT * learned.to_scale(
            dim, predicted[dim])
        value = int(round(min(100.0, max(0.0, min(blended, caps.get(dim, 100.0))))))
        if value != scores[dim]:
            effects.append(Effect(dim, "learned", "", value - scores[dim]))
        out[dim] = value
    return out, overall_of(lex, out)


@lru_cache(maxsize=1024)
def _customer(
    text: str, max_chars: int
) -> Tuple[Optional[Analysed], Optional[List[Tuple[Need, str]]]]:
    """Analysed citizen line and its needs; cached because scripted citizen lines repeat."""
    cleaned = clean(text, max_chars).text
    if not cleaned:
        return None, None
    lex = get_lexicon()
    analysed = Analysed(cleaned, resources(lex.norms))
    return analysed, detect_needs(lex, analysed)


def _combine(
    lex: Lexicon, effects: List[Effect], reading: Optional[Reading] = None
) -> Tuple[Dict[str, int], int]:
    base = lex.weights["base"]
    raw = {d: float(base[d]) for d in DIMENSIONS}
    for e in effects:
        if e.dimension in raw:
            raw[e.dimension] += e.effect
    if reading is not None:
        for dim, cap in reading_caps(lex, reading).items():
            raw[dim] = min(raw[dim], cap)
    scores = {d: int(round(min(100.0, max(0.0, raw[d])))) for d in DIMENSIONS}
    return scores, overall_of(lex, scores)


def overall_of(lex: Lexicon, scores: Dict[str, int]) -> int:
    """Weighted mean of the dimensions, never more than ``overall_gap`` above the weakest one.

    So politeness cannot carry a reply that answers nothing, nor courtesy a rude one.
    """
    w = lex.weights["overall_weights"]
    mean = sum(scores[d] * w[d] for d in DIMENSIONS) / sum(w[d] for d in DIMENSIONS)
    ceiling = min(scores[d] for d in DIMENSIONS) + float(lex.weights.get("overall_gap", 100))
    return int(round(min(mean, ceiling)))
