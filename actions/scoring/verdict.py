"""Effects and caps that come from the reading as a whole, not from single words.

The word-level signals (``signals/``) add and subtract points; this module looks at what the
reply amounts to: a string of keywords is not a sentence, courtesy around an empty answer does
not make it polite service, English to an Indonesian citizen is not clear, an accepted gift
is never polite. Weights and caps are in ``data/weights.yml`` (``reading:``).
"""

from __future__ import annotations

from typing import Dict, List

from .context import Context, Effect
from .incidents import incident_caps
from .lexicon import Lexicon
from .reading import Reading


def _gains(effects: List[Effect], dimension: str, signals: tuple[str, ...] = ()) -> float:
    return sum(e.effect for e in effects
               if e.dimension == dimension and e.effect > 0
               and (not signals or e.signal in signals))


def _empty_answer(lex: Lexicon, reading: Reading) -> bool:
    """The citizen asked for something and the reply says nothing concrete at all."""
    need = reading.need
    return bool(need and need.get("voiced") and need["name"] in lex.content_needs
                and need["status"] == "unmet" and reading.has("no_content"))


def _polite_but_empty(
    lex: Lexicon, reading: Reading, courtesy: float, min_courtesy: float
) -> bool:
    """Courtesy words where the citizen needs content, and no content at all."""
    need = reading.need
    return bool(need and need["name"] in lex.content_needs and need["status"] != "met"
                and reading.has("no_content") and courtesy >= min_courtesy)


# praise that a critical incident voids ("Penolakan sudah tepat" for a solicitation)
_VOIDED_BY_INCIDENT = frozenset(
    {"need_met:bribe", "need_partial:bribe", "refusal", "concrete_time"})


def reading_effects(ctx: Context, reading: Reading, effects: List[Effect]) -> List[Effect]:
    """Effects of the reply as a whole (evidence a trainer can read)."""
    w = ctx.lex.weights["reading"]
    out: List[Effect] = []
    signals = {e.signal for e in effects}
    if not reading.sentence:
        out.append(Effect("clarity", "keyword_string", ctx.reply.text[:50], w["keyword_string"]))
        met = [e for e in effects if e.signal.startswith("need_met:")]
        for e in met:  # a list of keywords never fully answers the citizen
            out.append(Effect("responsiveness", "keyword_string", "bukan kalimat utuh",
                              -0.7 * e.effect))
        courtesy = _gains(effects, "politeness", ("courtesy", "honorific_repeated"))
        if courtesy:
            out.append(Effect("politeness", "courtesy_stuffed", "kata santun ditumpuk",
                              -courtesy))
    if "english" in reading.register and "foreign_language" not in signals and \
            not ctx.citizen_spoke_english():  # a foreign owner who opened in English
        out.append(Effect("clarity", "mixed_language", ctx.reply.text[:40], w["mixed_language"]))
        out.append(Effect("responsiveness", "mixed_language", ctx.reply.text[:40],
                          w["mixed_language_responsiveness"]))
    if "english" in reading.register:  # neither well-formed Indonesian nor formal register
        effects[:] = [e for e in effects if e.signal not in ("well_formed", "formal_register")]
    courtesy = _gains(effects, "politeness", ("courtesy",))
    if _polite_but_empty(ctx.lex, reading, courtesy, w["polite_empty_min_courtesy"]):
        reading.marks.append("polite_but_empty")
    if _empty_answer(ctx.lex, reading) and reading.sentence:
        if courtesy >= w["polite_empty_min_courtesy"]:
            out.append(Effect("responsiveness", "courtesy_instead_of_answer",
                              reading.need["label"] if reading.need else "",
                              w["courtesy_instead_of_answer"]))
    waiting_for_result = {"list", "docs_handed"} & set(ctx.need_names())
    if "missing_unnamed" in reading.marks and not reading.missing_documents and (
        ctx.scenario == "renewal_incomplete" or waiting_for_result
    ):
        out.append(Effect("clarity", "missing_not_named", ctx.first("missing_cue") or "kurang",
                          w["missing_not_named"]))
        # the citizen cannot act on "belum lengkap" alone: the answer it came for is missing
        out.append(Effect("responsiveness", "missing_not_named",
                          ctx.first("missing_cue") or "kurang",
                          w["missing_not_named_responsiveness"]))
    ways = ("next_step", "solution", "return_step", "explanation", "action", "commit_action",
            "missing_document", "office_place", "duration_fact", "refusal")
    negated_step = "process_verb" in reading.negated and not any(reading.has(m) for m in ways)
    if negated_step:
        out.append(Effect("responsiveness", "no_way_forward",
                          "tidak ada jalan keluar", w["no_way_forward"]))
    if reading.has("misinforms"):
        what = ", ".join(reading.wrong_facts)
        out.append(Effect("responsiveness", "misinforms", what, w["misinforms"]))
        out.append(Effect("clarity", "misinforms", what, w["misinforms_clarity"]))
    need = reading.need
    if need and need["status"] == "partial" and reading.vague_time and not reading.concrete_time:
        out.append(Effect("responsiveness", "vague_answer", ctx.first("vague_time")
                          or ctx.first("vague") or "", w["vague_answer"]))
    for item in reading.incidents:  # the rule broken leads the evidence and the tips
        out.append(Effect("responsiveness", f"incident_{item['kind']}", item["text"],
                          w["incident"]))
        if item["kind"] in ("condescension", "confidentiality", "integrity", "misconduct"):
            out.append(Effect("politeness", f"incident_{item['kind']}", item["text"],
                              w["incident"]))
        effects[:] = [e for e in effects if e.signal not in _VOIDED_BY_INCIDENT]
    if reading.has("repeated_text"):  # the same sentence sent twice or more
        out.append(Effect("clarity", "repeated_text", "kalimat yang sama terkirim berulang",
                          w["repeated_text"]))
    if reading.has("unfilled_placeholder"):  # "[TANGGAL]", "XX hari kerja": a template's gaps
        out.append(Effect("clarity", "unfilled_placeholder", "templat dengan isian kosong",
                          w["unfilled_placeholder"]))
    if "blame" in reading.hostility and "blame" not in signals:
        out.append(Effect("politeness", "blame", ctx.first("blame") or "", w["blame"]))
    return out


def reading_caps(lex: Lexicon, reading: Reading) -> Dict[str, float]:
    """Upper bounds per dimension for what the reply amounts to."""
    w = lex.weights["reading"]
    caps: Dict[str, float] = {}

    def cap(dim: str, value: float) -> None:
        caps[dim] = min(caps.get(dim, 100.0), float(value))

    if not reading.sentence:
        cap("clarity", w["keyword_cap_clarity"])
        cap("responsiveness", w["keyword_cap_responsiveness"])
        cap("politeness", w["keyword_cap_politeness"])
    need = reading.need
    if need and need.get("voiced") and need.get("ignored") and \
            need["name"] in lex.ignored_need_caps:  # a stock answer to a complaint or a question
        cap("responsiveness", w["ignored_need_cap_responsiveness"])  # about OSS, NIB, KBLI
    if reading.has("repeated_text") or reading.has("unfilled_placeholder"):
        cap("clarity", w["repeated_cap_clarity"])
        cap("politeness", w["repeated_cap_politeness"])
        cap("responsiveness", w["repeated_cap_responsiveness"])
    if reading.has("polite_but_empty"):
        cap("politeness", w["polite_empty_cap_politeness"])
        cap("responsiveness", w["polite_empty_cap_responsiveness"])
    if _empty_answer(lex, reading):
        cap("politeness", w["polite_empty_cap_politeness"])
        cap("responsiveness", w["empty_cap_responsiveness"])
        cap("clarity", w["empty_cap_clarity"])
    if reading.wrong_facts:
        cap("responsiveness", w["misinforms_cap_responsiveness"])
        cap("clarity", w["misinforms_cap_clarity"])
    for dim, value in incident_caps(reading.incidents).items():
        cap(dim, value)
    if reading.accepted_gift:
        cap("politeness", w["accepted_gift_cap_politeness"])
        cap("responsiveness", w["accepted_gift_cap_responsiveness"])
    if "english" in reading.register and "english_expected" not in reading.marks:
        cap("clarity", w["english_cap_clarity"])
        cap("politeness", w["english_cap_politeness"])
    if reading.hostility and {"blame", "insult", "sarcasm"} & set(reading.hostility):
        cap("politeness", w["hostile_cap_politeness"])
    return caps
