"""Politeness (kesopanan) signals: 5S greeting and address, courtesy, register, tone."""

from __future__ import annotations

import re
from typing import Dict, List, Optional

from ..context import Context, Effect

DIM = "politeness"
COURTESY = (
    "mohon",
    "silakan",
    "terima_kasih",
    "maaf",
    "permisi",
    "senang_hati",
    "tolong",
    "berkenan",
    "sebentar_ya",
    "tentu",
    "well_wish",
    "reassure",
    "empathy",
)
_CLAUSE_SPLIT = re.compile(r"[.,!?;\n]+")
_TAUTOLOGY = re.compile(r"\b([^\W\d_]{2,}) ya (?:[^\W\d_]+ )?\1\b")
_LEAD_PARTICLES = frozenset(
    {"ya", "yah", "nah", "oh", "eh", "ayo", "yuk", "nih", "tuh", "sudah", "oke"}
)


def politeness_signals(ctx: Context) -> List[Effect]:
    """All politeness effects for the reply (plus halo effects on responsiveness)."""
    w = ctx.lex.weights["politeness"]
    out: List[Effect] = []
    _greeting(ctx, w, out)
    _address(ctx, w, out)
    _courtesy(ctx, w, out)
    _register(ctx, w, out)
    _bare_commands(ctx, w, out)
    _tone(ctx, w, out)
    _shouting(ctx, w, out)
    return out


def _window_of(ctx: Context, hour: int) -> Optional[str]:
    h = hour if hour >= 4 else hour + 24
    for name, (lo, hi) in ctx.lex.greeting_windows.items():
        if lo <= h < hi:
            return name
    return None


def _greeting(ctx: Context, w: dict, out: List[Effect]) -> None:
    norm = ctx.reply.norm
    m = ctx.lex.greeting_timed.group_search(norm) or ctx.lex.greeting_bare.search(norm)
    if m:
        said = m.group(1)
        text = ctx.reply.span(m.start(), m.end())
        if ctx.hour is not None and _window_of(ctx, ctx.hour) not in (None, said):
            out.append(
                Effect(
                    DIM,
                    "greeting_wrong_time",
                    f"{text} (pukul {ctx.hour})",
                    w["greeting_wrong_time"],
                )
            )
        else:
            out.append(Effect(DIM, "greeting", text, w["greeting"]))
        return
    for rx, signal, key in (
        (ctx.lex.greeting_other, "greeting", "greeting"),
        (ctx.lex.greeting_casual, "greeting_casual", "greeting_casual"),
    ):
        sp = rx.search(norm) if rx is not None else None
        if sp:
            out.append(Effect(DIM, signal, ctx.reply.span(*sp), w[key]))
            return


# over-familiar only as a vocative: followed by a word, it is another word
_VOCATIVE_ONLY = frozenset({"tong"})


def _address(ctx: Context, w: dict, out: List[Effect]) -> None:
    kinds = ctx.lex.address_kind
    found: Dict[str, List[str]] = {
        "male": [],
        "female": [],
        "warm_other": [],
        "formal_you": [],
        "rude_you": [],
    }
    lowers = ctx.reply.lower_tokens
    for i, (tok, low) in enumerate(zip(ctx.reply.tokens, lowers, strict=False)):
        kind = kinds.get(low)
        if kind == "rude_you" and low in _VOCATIVE_ONLY and i + 1 < len(lowers) and \
                lowers[i + 1].isalpha():
            continue  # Sundanese "tong hilap" (do not forget), not the Betawi "Tong" (audit 40)
        if kind is not None:
            found[kind].append(tok)
    male, female, warm = found["male"], found["female"], found["warm_other"]
    formal, rude = found["formal_you"], found["rude_you"]
    rx = ctx.lex.rude_you_context
    if rx is not None:
        sp = rx.search(ctx.reply.norm)
        if sp:
            rude.append(ctx.reply.span(*sp))
    wrong: List[str] = []
    right: List[str] = male + female
    if ctx.honorific == "Bapak" and female and not male:
        wrong, right = female, []
    elif ctx.honorific == "Ibu" and male and not female:
        wrong, right = male, []
    if wrong:
        out.append(Effect(DIM, "honorific_wrong", wrong[0], w["honorific_wrong"]))
        ctx.addressed = True
    elif right:
        out.append(Effect(DIM, "honorific", right[0], w["honorific"]))
        if len(right) >= 2:
            out.append(
                Effect(DIM, "honorific_repeated", " … ".join(right[:2]), w["honorific_repeated"])
            )
        ctx.addressed = True
    elif warm:
        out.append(Effect(DIM, "warm_address", warm[0], w["warm_address"]))
        ctx.addressed = True
    elif formal:
        out.append(Effect(DIM, "formal_you", formal[0], w["formal_you"]))
        ctx.addressed = True
    if rude:
        out.append(Effect(DIM, "rude_you", rude[0], w["rude_you"]))


def _courtesy(ctx: Context, w: dict, out: List[Effect]) -> None:
    steps = list(w["courtesy_steps"])
    total = 0.0
    n = 0
    for name in COURTESY:
        text = ctx.first(name)
        if not text:
            continue
        pts = steps[n] if n < len(steps) else steps[-1]
        pts = min(pts, w["courtesy_cap"] - total)
        n += 1
        if pts <= 0:
            continue
        total += pts
        out.append(Effect(DIM, "courtesy", text, pts))
    ctx.courteous = n > 0


def _register(ctx: Context, w: dict, out: List[Effect]) -> None:
    text = ctx.reply.text
    n = ctx.reply.word_count
    has_upper = text.lower() != text
    slang, abbr = ctx.slang_words, ctx.abbreviation_words
    informal = bool(slang or abbr)
    if n >= 5 and not informal and has_upper and text[-1:] in ".?!)":
        out.append(Effect(DIM, "formal_register", "bahasa baku", w["formal_register"]))
    if n >= 2 and not has_upper:
        out.append(Effect(DIM, "lowercase_chat", text[:30], w["lowercase_chat"]))
    if n <= 4 and not ctx.courteous and not ctx.addressed:
        out.append(Effect(DIM, "curt", text[:30], w["curt"]))
    if slang:
        pts = max(w["slang_each"] * len(slang), w["slang_cap"])
        out.append(Effect(DIM, "slang", ", ".join(slang), pts))
    if abbr:
        pts = max(w["abbreviation_each"] * len(abbr), w["abbreviation_cap"])
        out.append(Effect(DIM, "abbreviation", ", ".join(abbr), pts))


def _bare_commands(ctx: Context, w: dict, out: List[Effect]) -> None:
    lex = ctx.lex
    for clause in _CLAUSE_SPLIT.split(ctx.reply.norm):
        words = [t for t in clause.split() if t]
        while words and words[0] in _LEAD_PARTICLES:
            words = words[1:]
        if not words or words[0] not in lex.imperatives:
            continue
        if words[0] == "jangan" and len(words) > 1 and words[1] in lex.warm_jangan:
            continue
        if any(t in lex.softeners for t in words):
            continue
        softened = ctx.courteous or ctx.addressed
        pts = w["bare_command_softened"] if softened else w["bare_command"]
        out.append(Effect(DIM, "bare_command", " ".join(words[:4]), pts))
        return


def _tone(ctx: Context, w: dict, out: List[Effect]) -> None:
    rw = ctx.lex.weights["responsiveness"]
    for name, halo in (
        ("blame", "blame"),
        ("insult", "insult"),
        ("accusation", None),
        ("sarcasm", "sarcasm"),
    ):
        text = ctx.first(name)
        count = len(ctx.all(name)) if text else 0
        if name == "sarcasm" and not text:
            text = _tautology(ctx)
            count = 1 if text else 0
        if text:
            pts = max(
                w[name] * (1 + w["repeat_factor"] * (count - 1)), w[name] * w["repeat_cap_factor"]
            )
            out.append(Effect(DIM, name, text, pts))
            if halo:
                out.append(Effect("responsiveness", name, text, rw[halo]))
    found = ctx.all("dismissive") if ctx.first("dismissive") else []
    if found:
        pts = max(
            w["dismissive_first"] + w["dismissive_more"] * (len(found) - 1), w["dismissive_cap"]
        )
        text = ctx.first("dismissive") or found[0]
        out.append(Effect(DIM, "dismissive", text, pts))
        out.append(Effect("responsiveness", "dismissive", text, rw["dismissive"]))


def _tautology(ctx: Context) -> Optional[str]:
    """'NIB ya NIB' / 'KBLI ya kode KBLI': answering a question with the word itself."""
    m = _TAUTOLOGY.search(ctx.reply.norm)
    return ctx.reply.span(m.start(), m.end()) if m else None


def _shouting(ctx: Context, w: dict, out: List[Effect]) -> None:
    rw = ctx.lex.weights["responsiveness"]
    if ctx.shouting:
        text = " ".join(ctx.caps_words[:5])
        out.append(Effect(DIM, "shouting", text, w["shouting"]))
        out.append(Effect("responsiveness", "shouting", text, rw["shouting"]))
    text = ctx.reply.text
    if "!!" in text or "?!" in text or "!?" in text:
        out.append(Effect(DIM, "exclamations", "!!", w["exclamations"]))
