"""The pickup day a reply names, checked against the counter's working days.

"Hari ini Kamis, jadi Sabtu pagi sudah bisa diambil" names a day the counter is closed; "Hari
ini Jumat … Senin pagi sudah bisa diambil" is one working day, not the office's two; "Rabu
ditambah 2 hari kerja, berarti Rabu depan" is five. Today is known only when the reply or the
citizen's line says it ("hari ini Kamis", "saya serahkan hari Rabu ini"); without it only a
closed day is a wrong claim. A day after a public holiday ("besok tanggal merah … lusa sudah
bisa diambil") counts the holiday out. Dates work the same way: "hari ini Selasa tanggal 4 …
bisa diambil tanggal 30" is weeks, not two working days.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from ..datafiles import load_data
from .context import Context

_WEEK = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")
WEEKDAY_NAMES = frozenset(_WEEK)  # the days' names, lower case (the citizen's lines too)
_DAY = (r"(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|"
        r"minggu(?! (?:depan|ini|lalu|kemarin|lagi|berikutnya)))")
_TODAY = re.compile(
    rf"(?<!\w)(?:hari ini,? (?:hari )?(?P<a>{_DAY})|sekarang (?:hari )?(?P<b>{_DAY})|"
    rf"(?:serahkan|diserahkan|masukkan|dimasukkan|masuk|datang) (?:\w+ ){{0,2}}(?:hari )?"
    rf"(?P<c>{_DAY}) ini)(?!\w)")
_PICKUP = re.compile(r"(?<!\w)(?:diambil|ambil|mengambil|datang|selesai|jadi|siap|terbit)(?!\w)")
# "tiga minggu" is three weeks, not Sunday (red-team 43)
_COUNTED = "".join(f"(?<!{n} )" for n in ("satu", "dua", "tiga", "empat", "lima", "enam", "tujuh",
                                          "delapan", "sembilan", "sepuluh", "beberapa"))
_NAMED = re.compile(rf"(?<!\w)(?<!\d )(?<!mulai )(?<!sejak )(?<!kecuali ){_COUNTED}"
                    rf"(?:hari )?(?P<d>{_DAY})"
                    rf"(?P<next> depan)?(?!\w)")
_HOLIDAY_TOMORROW = re.compile(r"besok (?:\w+ )?(?:tanggal merah|libur|hari libur|cuti bersama)")
_LUSA = re.compile(r"(?<!mulai )(?<!sejak )(?<!dari )(?<!\w)lusa(?!\w)")
_TODAY_DATE = re.compile(
    r"(?<!\w)(?:hari ini|sekarang),? (?:(?:hari )?\w+,? )?tanggal (?P<n>\d{1,2})(?!\d)")
_DATE = re.compile(r"(?<!\w)tanggal (?P<n>\d{1,2})(?!\d)")
_FRAGMENT = re.compile(r"[^.,;!?\n]+")
_CONDITION = re.compile(r"(?<!\w)(?:kalau|jika|apabila|seandainya|misalnya)(?!\w)")


@lru_cache(maxsize=1)
def _open_days() -> frozenset[int]:
    days = load_data("office")["facts"]["open_days"]
    return frozenset(_WEEK.index(d) for d in days)


def _index(day: str) -> int:
    return _WEEK.index(day.replace("'", ""))


def _open_days_ahead(today: int, ahead: int) -> int:
    """Open days among the ``ahead`` calendar days after ``today``."""
    return sum(1 for step in range(1, ahead + 1) if (today + step) % 7 in _open_days())


def _working_days_until(today: int, target: int, weeks: int) -> int:
    """Open days after ``today`` up to and including ``target`` (``weeks`` more weeks on)."""
    return _open_days_ahead(today, (target - today) % 7 + 7 * weeks)


def wrong_pickup_day(ctx: Context) -> Optional[str]:
    """The words of a pickup day the office's rules contradict, else None."""
    said = ctx.reply.norm
    heard = ctx.customer.norm if ctx.customer else ""
    today: Optional[int] = None
    for text in (heard, said):
        for m in _TODAY.finditer(text):
            today = _index(m.group("a") or m.group("b") or m.group("c"))
    days = int(load_data("office")["facts"]["working_days"])
    holiday_tomorrow = _HOLIDAY_TOMORROW.search(f"{heard} {said}") is not None
    date = _wrong_pickup_date(said, f"{heard} {said}", today, days)
    if date is not None:
        return date
    for m in _FRAGMENT.finditer(said):
        fragment = m.group(0)
        lead = len(fragment) - len(fragment.lstrip())
        pickups = [p for p in _PICKUP.finditer(fragment)  # "jadi besok …": "so", no pickup
                   if not (p.group(0) == "jadi" and p.start() == lead)]
        if not pickups or _CONDITION.search(fragment) or all(
                ctx.negated_at(m.start() + p.start()) for p in pickups):
            continue  # "besok Selasa belum jadi": not that day (any verb of it negated)
        lusa = _LUSA.search(fragment) if holiday_tomorrow else None
        if lusa is not None:
            return lusa.group(0)  # tomorrow is a holiday: "lusa" is one working day
        said_today = _TODAY.search(fragment)  # "hari ini Kamis" names today, not the pickup
        named = [d for d in _NAMED.finditer(fragment)
                 if said_today is None or not said_today.start() <= d.start() <= said_today.end()]
        if not named:
            continue
        day = named[-1]
        target = _index(day.group("d"))
        if target not in _open_days():
            return day.group(0).strip()  # the counter is closed that day
        if today is None or ctx.scenario == "upset_customer":
            continue  # the upset citizen's file is late: any day is the clerk's own promise
        if target == today and not day.group("next"):
            continue
        count = _working_days_until(today, target, 1 if day.group("next") else 0)
        if not days <= count <= days + 1:
            return day.group(0).strip()
    return None


def _wrong_pickup_date(said: str, both: str, today: Optional[int], days: int) -> Optional[str]:
    """A pickup date ("diambil tanggal 30") too far from, or too near, the date said to be
    today ("hari ini tanggal 4"); with today's weekday known the count is exact."""
    said_today = _TODAY_DATE.search(both)
    if said_today is None:
        return None
    start = int(said_today.group("n"))
    for m in _FRAGMENT.finditer(said):
        fragment = m.group(0)
        if _PICKUP.search(fragment) is None or _CONDITION.search(fragment):
            continue
        own_today = _TODAY_DATE.search(fragment)
        for d in _DATE.finditer(fragment):
            if own_today is not None and d.start() < own_today.end():
                continue
            ahead = (int(d.group("n")) - start) % 30
            if today is not None:
                wrong = not days <= _open_days_ahead(today, ahead) <= days + 1
            else:  # two working days are two to four calendar days (a weekend between)
                wrong = not days <= ahead <= days + 3
            if wrong:
                return d.group(0)
    return None


def ready_day(norm: str) -> Optional[tuple[str, str]]:
    """(today, the day the permit is ready) when a normalised reply names today ("jadi hari ini
    Senin, bisa diambil hari apa?" → ("Senin", "Rabu")): the office's working days ahead."""
    found = _TODAY.search(norm)
    if found is None:
        return None
    today = _index(found.group("a") or found.group("b") or found.group("c"))
    left, day = int(load_data("office")["facts"]["working_days"]), today
    while left:
        day = (day + 1) % 7
        left -= day in _open_days()
    return _WEEK[today].capitalize(), _WEEK[day].capitalize()
