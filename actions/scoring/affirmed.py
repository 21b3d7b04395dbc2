"""What the clerk confirms, the clerk says: the citizen's claim or plan read as the reply's.

"Katanya perpanjangan bayar 200 ribu ya?" — "Betul, Bu." The reply itself states nothing
wrong; the wrong fee is in the citizen's words and the clerk's "betul" makes it the office's.
The same for a plan against the rules ("Saya pakai SKDU punya tetangga saja ya?" — "Iya,
boleh"). When the citizen asks for confirmation (a question, or a tag: "ya", "kan") and the
reply opens by giving it with no correction in that sentence, the citizen's line is read as
if the clerk had said it: its wrong claims and its breaches of integrity or the rules join
the reply's reading (red-team 24).
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Tuple

from .claims import extract_claims, wrong_claims
from .context import Context

_AFFIRM = re.compile(
    r"^\W*(iya|ya|yap|yup|betul|benar|bener|boleh|bisa|tentu|setuju|sip|siap|oke|ok|"
    r"tidak apa-apa|sesuai aturan|memang|pasti)\b")
_CONDONES = re.compile(
    r"^\W*(oh\W+)?((gitu|begitu)\W+)?((pak|bu|bapak|ibu)\W+)?(ya\W+)?"
    r"(tidak apa-apa|tidak masalah|santai( saja)?|wajar|biasa itu|sudah biasa)\b")
_HARMLESS = re.compile(r"tidak apa-apa|tidak masalah")
_CORRECTS = re.compile(r"\b(bukan|tidak|tak|belum|tapi|tetapi|namun|sebenarnya|justru|salah|"
                       r"keliru|maaf|kecuali|jangan)\b")
_ASKS = re.compile(r"\?|\b(ya|kan|kah|bukan|boleh|bisa)\W*(\w+\W*)?$"
                   r"|\b(saja|aja|kan) (ya|kan)\b")
_SENTENCE = re.compile(r"[.!?\n]")
# the citizen photographing or filming its own papers ("boleh saya foto dan pamerkan di
# Instagram toko saya?"): no breach of the clerk's when allowed (red-team 58)
_RECORDING = re.compile(r"\b(foto|difoto|fotoin|rekam|merekam|direkam|video|divideo|videoin)")
# the breaches a confirmation takes over (a citizen's anger or its gossip is not the clerk's)
_KINDS = ("integrity", "misconduct", "false_promise")


def affirmed(ctx: Context) -> Tuple[List[str], List[Dict[str, Any]]]:
    """(wrong facts, incidents) the reply takes over from the citizen's line by confirming it."""
    from .incidents import OWN_STEP, find_incidents
    from .reading import wrong_facts

    if ctx.customer is None:
        return [], []
    first = _SENTENCE.split(ctx.reply.norm.strip(), maxsplit=1)[0]
    condoned = _CONDONES.match(first)  # "Oh gitu, ya tidak apa-apa": a statement let pass
    if not condoned and not _ASKS.search(ctx.customer.norm.strip()):
        return [], []
    opening = condoned or _AFFIRM.match(first)
    if not opening or _CORRECTS.search(_HARMLESS.sub(" ", first)):
        return [], []
    echo = Context(ctx.lex, ctx.customer, None, ctx.scenario, "nlu_fallback", False,
                   ctx.honorific, None, ctx.hour)
    wrong = [w for w in wrong_facts(echo, []) if w != "hasil"]
    wrong += wrong_claims(echo, extract_claims(echo))
    said = ctx.reply.span(0, len(first)).strip() or opening.group(1)
    incidents = [dict(item, text=said) for item in find_incidents(echo)
                 if item["kind"] in _KINDS and not (
                     item["kind"] == "misconduct" and _RECORDING.search(item["text"].lower()))
                 and not (item["kind"] == "false_promise" and OWN_STEP.match(item["text"].lower()))]
    return list(dict.fromkeys(wrong)), incidents
