"""The question a reply ends with, and whether anything the reader knows covers it.

A clerk often closes an explanation with a question of their own ("… Boleh saya fotokopi
catatannya?", "Catatan itu siapa yang tulis, Bu?"). When no move of the reply (asking for the
documents, offering more help …) and no known side question (name, phone, business …) lies in
that last question, the citizen still owes an answer: the reading says what kind of question it
is (yes/no, consent, permission, who, open, choice) so the citizen can answer it in kind.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from .context import Context
from .matcher import findall_alternatives

_PERMISSION = re.compile(r"^(?:\W*\w+\W+){0,2}?(?:boleh|bolehkah|bisa|bisakah|izin|mohon izin)"
                         r"(?: \w+)?? (?:saya|kami|aku|sy|kita)\b")
# "Menurut Ibu sebaiknya bagaimana?": its own view asked
_OPINION = re.compile(r"(?<!\w)menurut (?:bapak|ibu|anda|pak|bu)(?!\w)")
_WHY = re.compile(r"(?<!\w)(?:kenapa|mengapa|kok)(?!\w)")
_WHO = re.compile(r"(?<!\w)(?:siapa|sinten|saha)(?!\w)")
_OPEN = re.compile(r"(?<!\w)(?:kapan|berapa|(?:di |ke |dari )?mana|bagaimana|gimana|kenapa|"
                   r"mengapa|apa saja|untuk apa|yang mana|apa(?: ya| yah)?(?=\W*$))(?!\w)")
_CHOICE = re.compile(r"(?<!\w)atau(?!\w)")
_OFFER = re.compile(r"(?<!\w)(?:mau|bisa|boleh|oke|ok|setuju|paham|ngerti|mengerti|jelas)"
                    r"(?: (?:ya|kan|nggak|tidak|gak|bapak|ibu|pak|bu))?\W*$")
# a bare "Bagaimana, Pak?" after a proposal asks for consent, not for facts
_CONSENT = re.compile(r"^\W*(?:jadi |nah |terus )?(?:bagaimana|gimana|piye|kumaha|pripun|setuju)"
                      r"(?:,? (?:menurut )?(?:bapak|ibu|pak|bu|mas|mbak))?\W*$")
# a check-back on what the clerk said ("tadi saya bilang apa?", "masih ingat?")
_RECALL = re.compile(r"(?<!\w)(?:tadi (?:saya|kami|aku) (?:bilang|sebut|katakan|jelaskan)\w*|"
                     r"masih ingat|ingat (?:tidak|nggak|gak|enggak)|"
                     r"coba (?:bapak|ibu) ulangi|"
                     r"(?:bapak|ibu) (?:habis|setelah|sesudah) ini (?:mesti |harus |perlu )?"
                     r"(?:ngapain|ke mana|berbuat apa|apa)(?: saja)?)(?!\w)")



def _tail_start(norm: str) -> Optional[int]:
    """Start of the last sentence of ``norm`` when it is a question, else None."""
    text = norm.rstrip()
    if not text.endswith("?"):
        # "… dari siapa, Bu? Buat masukan kami saja.": a short afterword after the question
        asked = text.rfind("?")
        tail = text[asked + 1:]
        if asked < 0 or len(tail.split()) > 5 or any(c in tail.rstrip(".! ") for c in ".!"):
            return None
        text = text[:asked + 1]
    cut = max(text.rfind(c, 0, len(text) - 1) for c in ".!?\n")
    return cut + 1


def last_question(ctx: Context, marks: List[str], acts: List[str]
                  ) -> Optional[Dict[str, Any]]:
    """The question the reply ends with, else None: ``{"kind", "text", "acts", "marks"}``
    (the reply's acts and marks that lie in it)."""
    norm = ctx.reply.norm
    start = _tail_start(norm)
    if start is None:
        return None
    tail = norm[start:].strip()
    acts_in = [act for act, matcher in ctx.lex.moves
               if act in acts and matcher.search(tail, ctx.present) is not None]
    marks_in = [mark for mark in marks if any(
        a >= start for a, _ in findall_alternatives(ctx._alternatives(mark), norm))]  # noqa: SLF001
    if _RECALL.search(tail):
        kind = "recall"
    elif _CONSENT.search(tail):
        kind = "consent"
    elif _OFFER.search(tail):  # "Gimana, mau?": an offer, answered yes or no
        kind = "yes_no"
    elif _CHOICE.search(tail):
        kind = "choice"
    elif _OPINION.search(tail):
        kind = "opinion"
    elif _WHO.search(tail):
        kind = "who"
    elif _WHY.search(tail):
        kind = "why"
    elif _OPEN.search(tail):
        kind = "open"
    elif _PERMISSION.search(tail):
        kind = "permission"
    else:
        kind = "yes_no"
    return {"kind": kind, "text": tail, "acts": acts_in, "marks": marks_in,
            "option": _last_option(tail) if kind == "choice" else None}


_HONORIFIC_END = re.compile(r",?\s*(?:bapak|ibu|pak|bu|mas|mbak)?\W*$")
_SELF = re.compile(r"(?<!\w)(?:saya|kami|aku|kita)(?!\w)")


def _last_option(tail: str) -> Optional[str]:
    """The last option of "… X atau Y?" ("dari tempat usaha"), unless it speaks of the clerk
    ("atau saya telepon": the citizen cannot just repeat it)."""
    option = _HONORIFIC_END.sub("", tail.rsplit(" atau ", 1)[-1]).strip(" ,")
    first = tail.rsplit(" atau ", 1)[0]
    if _NEW_PERMIT.search(option) and _RENEWAL.search(first):  # "perpanjang yang lama atau
        option = "perpanjang izin yang lama"  # buat izin baru?": it came to renew (audit 40)
    if not option or _SELF.search(option) or len(option.split()) > 5:
        return None
    return _YOU.sub("saya", option)  # "Ibu langsung datang besok": "saya langsung datang …"


_YOU = re.compile(r"(?<!\w)(?:bapak|ibu|pak|bu)(?!\w)")
_RENEWAL = re.compile(r"(?<!\w)(?:perpanjang|memperpanjang|perpanjangan|diperpanjang)(?!\w)")
_NEW_PERMIT = re.compile(r"(?<!\w)(?:baru|bikin baru|buat baru)(?!\w)")
