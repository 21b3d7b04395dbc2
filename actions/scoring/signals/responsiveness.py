"""Responsiveness (responsif) signals: meeting the citizen's need, next step, deflection."""

from __future__ import annotations

import re
from typing import List

from ..context import Context, Effect, is_soft, refusal_text
from .clarity import is_fragment

DIM = "responsiveness"
_FILE_TALK = ("check", "result_complete", "result", "duration_fact", "receipt", "documents",
              "missing_cue")
_PROACTIVE = (("duration_fact", "duration"), ("receipt", "closing"), ("cost_fact", "cost"))
# needs the citizen may only wait on (taken from the visit's state, not from its words): met,
# they count; otherwise they cost nothing
_WELCOME = frozenset({"closing"})
_FAREWELL = ("goodbye", "well_wish", "terima_kasih")  # a reply that closes the service
# what ``Context.need_status`` adds to the words of a partly met need (the label says it)
_QUALIFIER = re.compile(r" \((tetapi|tanpa) [^)]*\)$")


def responsiveness_signals(ctx: Context) -> List[Effect]:
    """All responsiveness effects for the reply."""
    w = ctx.lex.weights["responsiveness"]
    out: List[Effect] = []
    accepted = _bribe(ctx, w, out)
    _needs(ctx, out, accepted)
    _helpful(ctx, w, out)
    _unhelpful(ctx, w, out)
    _latency(ctx, w, out)
    if ctx.move_given and ctx.move == "dismiss":
        out.append(Effect(DIM, "move_dismiss", "menolak atau mengabaikan permintaan",
                          w["move_dismiss"]))
    if is_fragment(ctx):
        out.append(Effect(DIM, "fragment", ctx.reply.text[:40], w["fragment"]))
    return out


# "amplopnya tidak bisa saya terima": the envelope it found, not taken
_NOT_TAKEN = re.compile(r"(?<!\w)(?:tidak|tak|bukan|jangan|belum)\s+(?:\w+\s+){0,3}"
                        r"(?:terima|menerima|diterima|ambil)")


def _bribe(ctx: Context, w: dict, out: List[Effect]) -> bool:
    """Accepting (or soliciting) a gratuity: an integrity failure."""
    if not ("bribe" in ctx.need_names() or ctx.scenario == "gratuity_offer"):
        return False
    text = ctx.first("acceptance")
    if not text and ("bribe" in ctx.need_names() or (
            "amplop" in ctx.reply.norm and not _NOT_TAKEN.search(ctx.reply.norm))) and \
            not ctx.has("file_received"):  # "saya terima" right after an offer, or of the
        text = ctx.first("acceptance_generic")  # envelope it found ("Amplop? … abdi tampi")
    if text and ctx.has("refusal_any"):
        text = None  # "saya terima" under a refusal elsewhere in the reply: read the refusal
    offered_now = any(n.name == "bribe" and not is_soft(cue) for n, cue in ctx.needs)
    if not text and offered_now and not ctx.has("refusal_any"):
        # thanking for the money without refusing it; thanks that go with the documents
        # ("Terima kasih, sudah saya periksa") ignore the envelope rather than take it
        about_the_file = any(ctx.has(c) for c in _FILE_TALK)
        thanks = ctx.first("terima_kasih")
        if thanks and thanks.lower().split("-")[0].strip() in ("sama", "sami", "samo"):
            thanks = None  # "Sama-sama, Bu": the answer to its thanks, not thanks for money
        if ctx.has("gift_gratitude") or (not about_the_file and thanks):
            text = ctx.first("gift_gratitude") or thanks
    if not text:
        return False
    out.append(Effect(DIM, "bribe_accepted", text, w["bribe_accepted"]))
    out.append(
        Effect(
            "politeness", "bribe_accepted", text, ctx.lex.weights["politeness"]["bribe_accepted"]
        )
    )
    return True


def _needs(ctx: Context, out: List[Effect], accepted: bool) -> None:
    """One effect per need of the citizen; its text is the clerk's own words that meet it
    (nothing for an unmet need: the evidence's label, per need, says what is missing)."""
    factor = ctx.lex.secondary_factor
    for i, (need, cue) in enumerate(ctx.needs):
        weight = (1.0 if i == 0 else factor) * (factor if is_soft(cue) else 1.0)
        status, words = "unmet", ""
        if not (need.name == "bribe" and accepted):
            status, words = ctx.need_status(need)
            words = (_QUALIFIER.sub("", words) or ctx.reply.text[:60]) if status != "unmet" else ""
            if status == "unmet" and ctx.move_given and ctx.move in need.moves:
                status = "partial"  # the right step, without the words that carry it
        if need.name in _WELCOME and is_soft(cue):
            # The visit is settled and the citizen's line asks nothing: a goodbye is what it
            # waits for (the reply answers nothing else, so it counts fully), and a reply that
            # still helps instead is no fault.
            if status != "met":
                continue
            if len(ctx.needs) == 1 and any(ctx.has(c) for c in _FAREWELL):
                weight = 1.0
        out.append(Effect(DIM, f"need_{status}:{need.name}", words, need.effect[status] * weight))


def _helpful(ctx: Context, w: dict, out: List[Effect]) -> None:
    extras: List[Effect] = []
    _extras(ctx, w, extras)
    total = 0.0
    for e in extras:
        e.effect = min(e.effect, w["extras_cap"] - total)
        if e.effect > 0:
            total += e.effect
            out.append(e)
    if ctx.needs and ctx.need_status(ctx.needs[0][0])[0] == "met" and ctx.reply.word_count >= 8:
        facts = sum(
            ctx.has(c)
            for c in ("duration_fact", "cost_fact", "place", "documents_2", "steps", "receipt")
        )
        if facts >= 2:
            out.append(Effect(DIM, "thorough", "", w["thorough"]))


def _extras(ctx: Context, w: dict, out: List[Effect]) -> None:
    text = ctx.first("next_step")
    if text:
        out.append(Effect(DIM, "next_step", text, w["next_step"]))
    needs = set(ctx.need_names())
    total = 0.0
    for concept, need in _PROACTIVE:
        if need in needs or (concept == "cost_fact" and "bribe" in needs):
            continue
        text = ctx.first(concept)
        if text:
            pts = min(w["proactive_each"], w["proactive_cap"] - total)
            if pts > 0:
                total += pts
                out.append(Effect(DIM, "proactive", text, pts))
    text = ctx.first("offer_help")
    if text:
        out.append(Effect(DIM, "offer_help", text, w["offer_help"]))
    text = ctx.first("referral")
    if text and not ctx.has("deflection"):
        out.append(Effect(DIM, "referral", text, w["referral"]))
    text = ctx.first("action")
    if text:
        out.append(Effect(DIM, "action", text, w["action"]))


def _unhelpful(ctx: Context, w: dict, out: List[Effect]) -> None:
    pw = ctx.lex.weights["politeness"]
    text = ctx.first("deflection")
    if text:
        out.append(Effect(DIM, "deflection", text, w["deflection"]))
        out.append(Effect("politeness", "deflection", text, pw["deflection"]))
    else:
        text = ctx.first("refer_elsewhere")
        if text:
            out.append(Effect(DIM, "refer_elsewhere", text, w["refer_elsewhere"]))
    text = ctx.first("dont_know")
    if text and not ctx.has("follow_up"):
        out.append(Effect(DIM, "dont_know", text, w["dont_know"]))
    text = ctx.first("refuse_service")
    if text:
        out.append(Effect(DIM, "refuse_service", text, w["refuse_service"]))
        out.append(Effect("politeness", "refuse_service", text, pw["refuse_service"]))
    text = refusal_text(ctx) if _GIFTS.search(ctx.reply.norm) else None
    if text and "bribe" not in ctx.need_names() and ctx.scenario != "gratuity_offer" and \
            ctx.customer is not None and not _GIFT_WORDS.search(ctx.customer.norm):
        # red-team 16: a gift refused that nobody offered ("saya tidak bisa menerima amplop"
        # to a citizen handing over its documents): its request is misread
        out.append(Effect(DIM, "refusal_unprompted", text, w["refusal_unprompted"]))


_GIFTS = re.compile(r"(?<!\w)(?:amplop\w*|uang\w*|imbalan\w*|hadiah\w*|pemberian\w*|bingkisan|"
                    r"parsel|oleh-oleh|rokok|tips?|gratifikasi|suap)(?!\w)")
_GIFT_WORDS = re.compile(r"(?<!\w)(?:amplop\w*|uang\w*|duit\w*|hadiah\w*|oleh-oleh|bingkisan|"
                         r"parsel|rokok|kopi|tips?|imbalan|tanda terima kasih|titip\w*|kasih\w*|"
                         r"sedikit|rezeki|makan|traktir)(?!\w)")


def _latency(ctx: Context, w: dict, out: List[Effect]) -> None:
    """A slow answer to the citizen's line. A reply no citizen line came before (the opening)
    keeps nobody waiting: the trainee was reading the scenario card."""
    lat = ctx.latency
    if lat is None or ctx.customer is None or lat <= w["latency_free_seconds"]:
        return
    minutes = (lat - w["latency_free_seconds"]) / 60.0
    pts = max(w["latency_start"] + w["latency_per_minute"] * minutes, w["latency_cap"])
    out.append(Effect(DIM, "latency", f"{lat:.0f} detik", pts))
