"""Who the citizen is in a visit: picked deterministically from the conversation id."""

from __future__ import annotations

import hashlib
import os
import random
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Optional

from actions import catalog
from actions.datafiles import load_data

try:  # zoneinfo needs the system tz database; fall back to a fixed WIB offset.
    from zoneinfo import ZoneInfo

    _WIB = ZoneInfo("Asia/Jakarta")
except Exception:  # pragma: no cover - depends on the machine
    _WIB = timezone(timedelta(hours=7))


def _rng(seed_text: str) -> random.Random:
    digest = hashlib.sha256(seed_text.encode("utf-8")).hexdigest()
    return random.Random(int(digest[:16], 16))


CITIZEN_KINDS = ("bapak", "ibu")


def pick_persona(
    conversation_id: str, visit_number: int | str = 0, kind: Optional[str] = None
) -> dict[str, str]:
    """Return the citizen's slots (honorific, intro, name, business) for a visit.

    ``kind`` ("bapak" or "ibu") fixes who comes to the counter; otherwise it is drawn too.
    """
    data = load_data("personas")
    rng = _rng(f"{conversation_id}#{visit_number}")
    drawn = rng.choice(list(CITIZEN_KINDS))
    kind = kind if kind in CITIZEN_KINDS else drawn
    people = data[kind]
    person = rng.choice(people["people"])  # one whole person: name, faith, business together
    return {
        "citizen_honorific": people["honorific"],
        "citizen_intro": people["intro"],
        "citizen_name": person["name"],
        "business_name": person["business"],
    }


@lru_cache(maxsize=64)  # per citizen: every line of a visit fills its placeholders from it
def expressions(citizen_name: Optional[str]) -> dict[str, str]:
    """The persona's own words for the citizen's lines ({syukur}, {iya}), found by its name
    (a name not in personas.yml, e.g. in tests, gets the neutral words)."""
    data = load_data("personas")
    person = next((p for kind in CITIZEN_KINDS for p in data[kind]["people"]
                   if p["name"] == citizen_name), {})
    relief, yes = data["relief"], data["yes_word"]
    rng = _rng(f"persona:{citizen_name}")  # the same answers every time it is asked
    years = rng.randint(3, 15)
    return {"syukur": relief.get(person.get("faith") or "default", relief["default"]),
            "iya": yes.get(person.get("region") or "default", yes["default"]),
            "business": str(person.get("business") or ""),
            "business_place": str(person.get("place") or "dekat pasar"),
            "kelurahan": str(person.get("kelurahan") or "Sukamaju"),
            "transport": str(person.get("transport") or "motor"),
            "phone": f"08{rng.randint(11, 59)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
            "years": str(years), "since": str(local_now().year - years),
            "nib_number": f"{rng.randint(9120, 9129)} {rng.randint(1000, 9999)} "
                          f"{rng.randint(1000, 9999)} {rng.randint(1, 9)}",
            "queue_number": f"A-{rng.randint(10, 60)}"}


def random_scenario(conversation_id: str, visit_number: int | str = 0) -> str:
    """A scenario drawn at random, the same again for the same conversation id and visit."""
    return _rng(f"scenario:{conversation_id}#{visit_number}").choice(catalog.scenario_ids())


def default_scenario(conversation_id: str, visit_number: int | str = 0) -> str:
    """The scenario of a conversation that never asked for one (the seed visit by default)."""
    return catalog.DEFAULT_SCENARIO


def local_now() -> datetime:
    """Current time at the PTSP office (WIB)."""
    return datetime.now(tz=_WIB)


OFFICE_HOURS = range(8, 16)  # PTSP counters serve roughly 08.00-16.00 WIB


def visit_time(conversation_id: str, visit_number: int | str = 0) -> tuple[int, str]:
    """Hour and clock text (e.g. ``"09.15"``) of the simulated visit.

    The visit happens now when the office is open; outside office hours (a trainee practising
    in the evening) it is set at a fixed office time picked from the conversation id, and the
    scene line states it so the trainee knows which greeting fits. ``PTSP_VISIT_HOUR`` fixes the
    hour (tests, classroom sessions).
    """
    forced = os.environ.get("PTSP_VISIT_HOUR", "")
    if forced.isdigit() and 0 <= int(forced) < 24:
        return int(forced), f"{int(forced):02d}.00"
    now = local_now()
    if now.hour in OFFICE_HOURS:
        return now.hour, f"{now.hour:02d}.{now.minute:02d}"
    rng = _rng(f"time:{conversation_id}#{visit_number}")
    hour = rng.choice(list(OFFICE_HOURS))
    return hour, f"{hour:02d}.{rng.choice([0, 5, 10, 15, 20, 30, 40, 45, 50]):02d}"


def time_greeting(hour: Optional[int] = None) -> str:
    """Indonesian part of day for a greeting: pagi, siang, sore or malam."""
    hour = local_now().hour if hour is None else hour
    if 4 <= hour < 11:
        return "pagi"
    if 11 <= hour < 15:
        return "siang"
    if 15 <= hour < 18:
        return "sore"
    return "malam"
