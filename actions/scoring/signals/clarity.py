"""Clarity (kejelasan) signals: concrete facts, jargon, vagueness, form."""

from __future__ import annotations

import re
from typing import List

from ..context import Context, Effect

DIM = "clarity"
_SENTENCE_SPLIT = re.compile(r"[.!?;\n]+(?:\s|$)")
_FILLERS = frozenset(
    {
        "hmm",
        "hm",
        "hmmm",
        "ehm",
        "em",
        "eh",
        "psst",
        "ck",
        "tsk",
        "brr",
        "wkwk",
        "wkwkwk",
        "hehe",
        "haha",
    }
)
# a Latin word with no vowel (3+ letters) or with 5+ consonants in a row
_SUSPECT_WORD = re.compile(r"\b(?:[b-df-hj-np-tv-z]{3,}|[a-z]*[b-df-hj-np-tv-z]{5,}[a-z]*)\b")

CONTENT_NEEDS = frozenset(
    {
        "confusion",
        "duration",
        "cost",
        "list",
        "procedure",
        "problem",
        "docs_handed",
        "complaint",
        "renewal_request",
        "bribe",
    }
)
THIN_NEEDS = frozenset({"list", "procedure", "confusion"})
INFO_NEEDS = frozenset({"duration", "cost", "list", "procedure", "confusion", "problem"})
NO_CONTENT_MOVES = frozenset({"greet", "goodbye"})


def is_fragment(ctx: Context) -> bool:
    """1-2 word reply where content was needed (a short concrete answer is not a fragment)."""
    if ctx.reply.word_count > 2:
        return False
    if ctx.has("duration_fact") or ctx.has("cost_fact") or ctx.has("documents_1"):
        return False
    needs = set(ctx.need_names())
    if needs & CONTENT_NEEDS:
        return True
    return not needs and ctx.move not in NO_CONTENT_MOVES


def gibberish_words(ctx: Context) -> List[str]:
    """Words that look like keyboard mashing (no vowel, or 5+ consonants in a row)."""
    acr = ctx.lex.known_acronyms
    suspects = _SUSPECT_WORD.findall(ctx.reply.text.lower())
    return [t for t in suspects if t not in acr and t not in _FILLERS]


def is_foreign(ctx: Context) -> bool:
    """The reply is mostly English, and the citizen did not speak English first (a foreign
    business owner who opened in English is rightly answered in English)."""
    words = ctx.reply.words
    eng = [t for t in words if t in ctx.lex.english]
    return len(eng) >= 3 and len(eng) >= 0.5 * len(words) and not ctx.citizen_spoke_english()


def clarity_signals(ctx: Context) -> List[Effect]:
    """All clarity effects for the reply (plus language effects on responsiveness)."""
    w = ctx.lex.weights["clarity"]
    out: List[Effect] = []
    _concrete(ctx, w, out)
    _jargon(ctx, w, out)
    _vague(ctx, w, out)
    _form(ctx, w, out)
    _answer(ctx, w, out)
    _language(ctx, w, out)
    return out


def _answer(ctx: Context, w: dict, out: List[Effect]) -> None:
    """Does the citizen now know what they asked? (primary need only)."""
    if not ctx.needs:
        text = ctx.first("deflection")
        if text:
            out.append(Effect(DIM, "deflection", text, w["deflection"]))
        return
    need, cue = ctx.needs[0]
    status = ctx.need_status(need)[0]
    info = need.name in INFO_NEEDS
    if status == "met":
        out.append(
            Effect(
                DIM,
                "answer_clear",
                need.label,
                w["answer_clear"] if info else w["answer_clear_other"],
            )
        )
    elif status == "partial" and info:
        out.append(Effect(DIM, "answer_partial", need.label, w["answer_partial"]))
    elif status == "unmet":
        out.append(Effect(DIM, "no_answer", cue, w["no_answer"] if info else w["no_answer_other"]))
    text = ctx.first("deflection")
    if text:
        out.append(Effect(DIM, "deflection", text, w["deflection"]))


def _concrete(ctx: Context, w: dict, out: List[Effect]) -> None:
    found: List[Effect] = []
    docs = ctx.all("documents")
    if docs:
        pts = w["documents_many"] if len(docs) >= 2 else w["documents_one"]
        found.append(Effect(DIM, "concrete_documents", ", ".join(docs[:5]), pts))
    for concept, signal in (
        ("duration_fact", "concrete_time"),
        ("cost_fact", "concrete_cost"),
        ("place", "concrete_place"),
    ):
        text = ctx.first(concept)
        if text:
            found.append(Effect(DIM, signal, text, w[concept]))
    steps = ctx.all("steps")
    if len(steps) >= 2:
        found.append(Effect(DIM, "steps", ", ".join(steps[:4]), w["steps"]))
    total = 0.0
    for e in found:
        e.effect = min(e.effect, w["concrete_cap"] - total)
        if e.effect > 0:
            total += e.effect
            out.append(e)


def _jargon(ctx: Context, w: dict, out: List[Effect]) -> None:
    confused = ctx.confused
    bonus = w["jargon_explained_confused"] if confused else w["jargon_explained"]
    gained = 0.0
    lost = 0.0
    factor = w["jargon_unexplained_confused_factor"] if confused else 1.0
    for hit in ctx.jargon:
        if hit.known:
            continue  # already known to this citizen: neither a bonus nor a fault
        if hit.explained and not ctx.term_clear(hit):  # only expanded, to a confused citizen
            out.append(Effect(DIM, "jargon_expanded_only", hit.text, w["jargon_expanded_only"],
                              hit.example))
        elif hit.explained:
            pts = min(bonus, w["jargon_explained_cap"] - gained)
            if pts > 0:
                gained += pts
                out.append(Effect(DIM, "jargon_explained", hit.text, pts))
        else:
            pts = max(w["jargon_unexplained"] * factor, w["jargon_cap"] - lost)
            if pts < 0:
                lost += pts
                out.append(Effect(DIM, "jargon_unexplained", hit.text, pts, hit.example))
    if confused and gained == 0 and not lost:
        cue = ctx.first("plain_cue")
        if cue:
            out.append(Effect(DIM, "plain_explanation", cue, min(bonus, w["jargon_explained_cap"])))


_WHEN_NEEDS = frozenset({"duration", "status", "complaint"})
_TIME_ONLY = re.compile(r"^nanti (saja|juga)$")


def _vague(ctx: Context, w: dict, out: List[Effect]) -> None:
    vague = ctx.all("vague")
    if vague and not _WHEN_NEEDS & set(ctx.need_names()):
        # "nanti juga" is vague only as the answer to a when ("formulirnya nanti juga kami
        # bantu isi" answers how, not when)
        vague = [v for v in vague if not _TIME_ONLY.match(v)]
    if vague:
        concrete = any(e.signal.startswith("concrete_") for e in out)
        each = w["vague_each"] / 2 if concrete else w["vague_each"]
        pts = max(each * len(vague), w["vague_cap"])
        out.append(Effect(DIM, "vague", ctx.first("vague") or vague[0], pts))
    filler = ctx.first("filler")
    if filler:
        out.append(Effect(DIM, "filler", filler, w["filler"]))


def _form(ctx: Context, w: dict, out: List[Effect]) -> None:
    reply = ctx.reply
    n = reply.word_count
    needs = set(ctx.need_names())
    if is_fragment(ctx):
        out.append(Effect(DIM, "fragment", reply.text[:40], w["fragment"]))
    elif n <= 4 and needs & THIN_NEEDS:
        out.append(Effect(DIM, "thin_answer", reply.text[:40], w["thin_answer"]))
    longest = (
        n
        if n <= w["run_on_words"]
        else max(len(s.split()) for s in _SENTENCE_SPLIT.split(reply.text))
    )
    if longest > w["run_on_words"]:
        out.append(Effect(DIM, "run_on", f"{longest} kata dalam satu kalimat", w["run_on"]))
    elif n > w["too_long_words"]:
        out.append(Effect(DIM, "too_long", f"{n} kata", w["too_long"]))
    slang, abbr = ctx.slang_words, ctx.abbreviation_words
    if slang:
        out.append(
            Effect(
                DIM, "slang", ", ".join(slang), max(w["slang_each"] * len(slang), w["slang_cap"])
            )
        )
    if abbr:
        out.append(
            Effect(
                DIM,
                "abbreviation",
                ", ".join(abbr),
                max(w["abbreviation_each"] * len(abbr), w["abbreviation_cap"]),
            )
        )
    text = reply.text
    first_alpha = next((c for c in text if c.isalpha()), "")
    shouty = "!!" in text or ctx.shouting
    if (
        n >= 4
        and not abbr
        and not shouty
        and first_alpha.isupper()
        and text[-1:] in ".!?)\"'"
        and not any(e.signal in ("fragment", "run_on") for e in out)
    ):
        out.append(Effect(DIM, "well_formed", "kalimat lengkap dan rapi", w["well_formed"]))


def _language(ctx: Context, w: dict, out: List[Effect]) -> None:
    rw = ctx.lex.weights["responsiveness"]
    pw = ctx.lex.weights["politeness"]
    words = ctx.reply.words
    junk = gibberish_words(ctx)
    if junk and len(junk) >= 0.5 * len(words):
        text = " ".join(junk[:3])
        out.append(Effect(DIM, "gibberish", text, w["gibberish"]))
        out.append(Effect("responsiveness", "gibberish", text, rw["gibberish"]))
        out.append(Effect("politeness", "gibberish", text, pw["gibberish"]))
    elif is_foreign(ctx):
        text = " ".join(words[:5])
        out.append(Effect(DIM, "foreign_language", text, w["foreign_language"]))
        out.append(Effect("responsiveness", "foreign_language", text, rw["foreign_language"]))
