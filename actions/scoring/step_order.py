"""Steps a reply puts in order, checked against the office's procedure.

"Pertama Bapak ambil izinnya, kedua pilih KBLI, terakhir daftar akun OSS", "tanda tangani
dulu izin barunya, setelah itu baru kami verifikasi": the steps are the office's
(``procedure_steps`` in actions/data/office.yml, each with the steps it comes after), the
order is wrong. Only a reply that sequences its steps (lalu, kemudian, setelah itu, baru,
pertama/kedua, a numbered list) is checked: "izin diambil di loket ini, bawa tanda terima"
orders nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from ..datafiles import load_data
from .context import Context

_NEXT = re.compile(r"(?<!\w)(?:lalu|kemudian|setelah itu|sesudah itu|setelahnya|sesudahnya|"
                   r"selanjutnya|berikutnya|habis itu|terus|baru|kedua|ketiga|keempat|terakhir|"
                   r"nanti)(?!\w)|\n\s*\d+[.)]")
_AFTER = re.compile(r"(?<!\w)(?:setelah|sesudah|begitu)(?! itu)(?!nya)(?!\w)")
_CUE = re.compile(r"(?<!\w)(?:pertama|dulu|urutannya|langkah)(?!\w)")
_BOUNDARY = re.compile(r"[.,;!?\n]")


@lru_cache(maxsize=1)
def _steps() -> dict[str, tuple[re.Pattern, frozenset[str]]]:
    steps = load_data("office")["facts"]["procedure_steps"]
    return {name: (re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in spec["words"]) + ")"),
                   frozenset(spec.get("after") or ())) for name, spec in steps.items()}


def wrong_order(ctx: Context) -> Optional[str]:
    """The words of a step the reply puts before one it comes after, else None."""
    text = ctx.reply.norm
    if not (_NEXT.search(text) or _AFTER.search(text) or _CUE.search(text)):
        return None
    # (offset, kind, step name, match): kind 0 next, 1 after, 2 boundary, 3 a step
    events: list[tuple[int, int, str, Optional[re.Match]]] = []
    for kind, rx in enumerate((_NEXT, _AFTER, _BOUNDARY)):
        events += [(m.start(), kind, "", None) for m in rx.finditer(text)]
    for name, (rx, _) in _steps().items():
        events += [(m.start(), 3, name, m) for m in rx.finditer(text)
                   if not ctx.negated_at(m.start())]
    position, inside_after, fragment_start = 0, False, 0
    placed: list[tuple[int, str, re.Match]] = []
    for offset, kind, name, match in sorted(events, key=lambda e: (e[0], e[1])):
        if kind == 0:
            position, inside_after = position + 1, False
        elif kind == 1:
            # "Setelah X, Y": Y comes after X; "Y setelah X" (or "begitu X") orders X before Y
            # only, not before what came earlier: both keep the clause's place
            inside_after = not text[fragment_start:offset].strip()
        elif kind == 2:
            if inside_after:  # "Setelah X, Y": Y comes after X
                position += 1
            inside_after, fragment_start = False, offset + 1
        elif match is not None:
            placed.append((position, name, match))
    steps = _steps()
    for pa, a, ma in placed:  # a step said to come before one it comes after
        for pb, b, _ in placed:
            if pa < pb and b in steps[a][1]:
                return ctx.reply.span(ma.start(), ma.end())
    return None
