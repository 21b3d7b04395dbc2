"""The visit flow: where the citizen's visit goes after a clerk reply.

The tables live in ``actions/data/flows/<scenario>.yml`` (a scenario may ``extends:`` another
and override single moves or stages) and ``actions/data/visit_flow.yml`` (shared facts, the
order of acts, the needs the citizen presses for); this module only reads them.

The input is the reply's *reading* (``actions/scoring/reading.py``): its acts move the visit
on one after the other (a reply may check the documents, give the result and the duration at
once); its facts (a concrete time, a term put in plain words, the missing document named) are
what the citizen learns; the citizen's open need, when the reply does not meet it concretely,
makes the citizen ask again (``press_<need>``) instead of moving on. Without a reading (the
scorer failed) the NLU move alone drives the table. The result is a ``visit_event``, which
selects the citizen's line (``actions/citizen.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from fnmatch import fnmatch
from functools import cache, lru_cache
from typing import Any, Mapping, Optional, Sequence

from actions.datafiles import load_data
from actions.told_facts import FactSpec, ReadingView

ANY_STAGE = "*"
ENDED = "ended"
AFTER_END = "after_end"  # the event of any message once the citizen has gone
BASE_SCENARIO = "renewal_complete"


@dataclass(frozen=True)
class Step:
    """Outcome of one clerk reply: the next stage, the citizen's cue and learned facts."""

    stage: str
    event: str
    facts: Mapping[str, bool]
    pressed: Optional[str] = None  # the need the citizen asks about again, if any
    acts: Sequence[str] = field(default_factory=tuple)
    now: Mapping[str, bool] = field(default_factory=dict)  # facts told in this very reply
    passed: Sequence[str] = field(default_factory=tuple)  # events the reply moved through
    changed: Optional[tuple[str, str]] = None  # (what it was told before, what it hears now)
    before: Mapping[str, bool] = field(default_factory=dict)  # facts known before the reply
    last_question: str = ""  # kind of the reply's last question the citizen still answers
    last_option: str = ""  # its last option when it offers a choice ("dari tempat usaha")

    @property
    def known(self) -> dict[str, bool]:
        """What the citizen knows when it answers: all facts, ``now_<fact>`` for the facts of
        this reply and ``before_<fact>`` for those it knew already (its lines' guards)."""
        return {**self.facts, **{f"now_{k}": v for k, v in self.now.items()},
                **{f"before_{k}": v for k, v in self.before.items() if v}}


@lru_cache(maxsize=1)
def _flow() -> dict[str, Any]:
    return load_data("visit_flow")


@cache
def scenario_flow(scenario: str) -> dict[str, Any]:
    """The flow table of a scenario, with its ``extends:`` chain merged in."""
    try:
        own = load_data(f"flows/{scenario}")
    except FileNotFoundError:
        own = load_data(f"flows/{BASE_SCENARIO}")
    parent = own.get("extends")
    if not parent:
        return {"moves": own.get("moves", {}), "facts": own.get("facts", {}),
                "reactions": own.get("reactions", {})}
    merged = scenario_flow(parent)
    moves = {move: dict(table) for move, table in merged["moves"].items()}
    for move, table in (own.get("moves") or {}).items():
        table = dict(table)
        if table.pop("replace", False):
            moves[move] = table
        else:
            moves[move] = {**moves.get(move, {}), **table}
    return {"moves": moves, "facts": {**merged["facts"], **(own.get("facts") or {})},
            "reactions": {**merged.get("reactions", {}), **(own.get("reactions") or {})}}


@cache
def fact_specs(scenario: str) -> dict[str, dict[str, Any]]:
    """Every fact the citizen can learn in ``scenario`` and what in a reading teaches it (one
    dict per scenario, shared: read it, never change it)."""
    return {**_flow()["facts"], **scenario_flow(scenario)["facts"]}


def open_need(stage: str) -> Optional[str]:
    """The need the citizen waits on at ``stage`` when its last line names none."""
    return (_flow().get("stage_needs") or {}).get(stage)


def too_long_limit() -> int:
    """Number of characters beyond which the citizen asks for the gist."""
    return int(_flow()["limits"]["too_long_chars"])


def detect_facts(
    acts: Sequence[str], reading: Optional[Mapping[str, Any]], scenario: str = BASE_SCENARIO
) -> dict[str, bool]:
    """Facts the clerk stated in this reply (e.g. ``duration_told``), read from the reading."""
    seen = ReadingView.of(acts, reading or {})
    return {spec.name: True for spec in _compiled_facts(scenario) if spec.holds(seen)}


@cache
def _compiled_facts(scenario: str) -> tuple[FactSpec, ...]:
    asked = frozenset((_flow()["facts"].get("term_explained") or {}).get("terms_plain") or ())
    return tuple(FactSpec.of(name, spec, asked) for name, spec in fact_specs(scenario).items())


def memory_facts(scenario: str) -> set[str]:
    """Every fact the citizen of ``scenario`` can come to know: told (``facts``) or done
    (``event_facts``, and the doings of its stage directions: ``stage_facts``)."""
    staged = {fact.lstrip("-") for _, facts in stage_facts() for fact in facts}
    return set(fact_specs(scenario)) | set(_flow().get("event_facts") or {}) | staged


@cache
def stage_facts() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Stage directions whose saying is a doing remembered whatever line said them
    (``stage_facts`` in visit_flow.yml: "(menyerahkan tanda terima)" -> receipt_shown; a fact
    written "-envelope_taken" is undone). Read once: it is consulted on every turn."""
    return tuple((direction, (facts,) if isinstance(facts, str) else tuple(facts))
                 for direction, facts in (_flow().get("stage_facts") or {}).items())


def event_clears(event: str) -> list[str]:
    """What the line of ``event`` undoes (``event_clears`` in visit_flow.yml: the map handed
    over again is no longer back in the citizen's hands)."""
    return [fact for fact, events in (_flow().get("event_clears") or {}).items() if event in events]


def event_facts(event: str) -> dict[str, bool]:
    """What the citizen itself did or learned by saying the line of ``event`` (it handed over
    the documents, showed its receipt, offered or withdrew the envelope ...): the memory of its
    own doings, kept with the facts it was told (``event_facts`` in visit_flow.yml)."""
    out = {}
    for fact, events in (_flow().get("event_facts") or {}).items():
        for pattern in events:
            if event == pattern or (pattern.endswith("*") and event.startswith(pattern[:-1])):
                out[fact] = True
    return out


def _learned_for(need: Optional[str], now: Mapping[str, bool]) -> bool:
    """This reply told the citizen something that answers ``need`` (it does not ask again)."""
    wanted = (_flow().get("need_facts") or {}).get(need or "") or ()
    return any(now.get(fact) for fact in wanted)


def _pick(entry: Any, known: Mapping[str, bool], acts: Sequence[str] = ()) -> dict[str, str]:
    """Choose among alternatives guarded by ``when: [not] <fact>`` (or a list of them, all
    holding) and ``unless_acts`` (none of these acts in the same reply)."""
    if isinstance(entry, dict):
        return entry
    for alternative in entry:
        if set(alternative.get("unless_acts") or ()) & set(acts):
            continue
        condition = alternative.get("when")
        conditions = [condition] if isinstance(condition, str) else list(condition or ())
        if all(_holds(c, known) for c in conditions):
            return alternative
    raise ValueError(f"no alternative matched in visit flow entry {entry!r}")


def _holds(condition: str, known: Mapping[str, bool]) -> bool:
    negate = condition.startswith("not ")
    name = condition[4:] if negate else condition
    return bool(known.get(name)) != negate


def _entry(scenario: str, act: str, stage: str) -> Any:
    moves = scenario_flow(scenario)["moves"]
    table = moves.get(act) or moves["nlu_fallback"]
    return table.get(stage, table.get(ANY_STAGE))


def _chain(
    stage: str, acts: Sequence[str], primary: str, facts: Mapping[str, bool], scenario: str
) -> tuple[str, str, tuple[str, ...]]:
    """Apply the acts in the visit's order; the event of the last act that moved the visit on,
    else the event of the primary act (NLU's move)."""
    order = {act: i for i, act in enumerate(_flow()["act_order"])}
    current, moved_event, events = stage, None, {}
    passed: list[str] = []
    for act in sorted(dict.fromkeys(acts), key=lambda a: order.get(a, len(order))):
        if act in _flow()["final_acts"] and moved_event is not None and act != primary:
            continue  # "ini tanda terimanya, semoga hari Anda menyenangkan": the citizen
            # thanks for the receipt and says goodbye itself; the visit ends on the clerk's reply
        entry = _entry(scenario, act, current)
        if entry is None:
            continue
        chosen = _pick(entry, facts, acts)
        if chosen.get("stage") == ENDED and act != primary and len(set(acts)) > 1:
            continue  # only the reply's main act sends the citizen away ("monggo" in a
            # reply that explains the next step is no goodbye)
        events[act] = chosen["event"]
        new_stage = chosen.get("stage", current)
        if new_stage != current:
            current, moved_event = new_stage, chosen["event"]
            passed.append(moved_event)
        if chosen.get("stop"):
            break  # the citizen reacts to this first (takes the envelope back, embarrassed)
        if current == ENDED or (new_stage != stage and new_stage in _flow()["stop_stages"]):
            break  # the citizen speaks up (offers the envelope, complains): it waits for an answer
    handing = [e for e in passed if "documents_handed" in event_facts(e)]
    if handing and moved_event in _flow()["handing_wins_over"]:
        return current, handing[-1], tuple(passed)  # "ini berkas saya … NIB itu apa?" says
        # all the later "silakan, saya tunggu" / "NIB itu apa?" would say, and hands the map
    if moved_event is not None:
        return current, moved_event, tuple(passed)
    courtesy = set(_flow()["courtesy_acts"])
    if primary in courtesy:  # the substance of the reply, not its courtesy, is answered
        primary = next((act for act in events if act not in courtesy), primary)
    if primary in events:
        return current, events[primary], ()
    if events:
        return current, next(iter(events.values())), ()
    entry = _entry(scenario, primary, stage)
    return stage, (_pick(entry, facts)["event"] if entry is not None else "confused"), ()


_INCIDENT_REACTIONS = {
    "integrity": "asked_for_money",
    "condescension": "hurt_by_condescension",
    "confidentiality": "uneasy_gossip",
    "false_promise": "doubts_promise",
    "misconduct": "uneasy_misconduct",
}


def side_questions() -> list[dict[str, str]]:
    """The clerk's side questions the citizen answers first (visit_flow.yml)."""
    return list(_flow().get("side_questions") or ())


def moot_once_documents_back() -> frozenset[str]:
    """Events about the documents on the counter, moot once the map was handed back."""
    return frozenset(_flow().get("moot_once_documents_back") or ())


def side_answer_alone() -> frozenset[str]:
    """Events whose line adds nothing once the citizen has answered the clerk's side question
    (its name, its phone number): the answer is said alone."""
    return frozenset(_flow().get("side_answer_alone") or ())


def claims_of(reading: Optional[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The reply's claims the citizen keeps in mind, by kind: the time ("2 hari kerja", as
    days) and an amount to pay — as the reading extracted them (``claims``)."""
    out: dict[str, dict[str, Any]] = {}
    wrong = set((reading or {}).get("wrong_facts") or ())  # against the office's rules
    for claim in (reading or {}).get("claims") or ():
        if claim.get("kind") == "duration":
            out["duration"] = {"days": claim.get("days"), "weekday": claim.get("weekday"),
                               "text": str(claim.get("text", "")),
                               "wrong": "lama proses" in wrong}
        elif claim.get("kind") == "fee":
            out["fee"] = {"value": claim.get("value"), "text": str(claim.get("text", "")),
                          "wrong": "biaya" in wrong}
    return out


def _changed_claim(told: Mapping[str, Any], reading: Mapping[str, Any]
                   ) -> Optional[tuple[str, str, bool]]:
    """A time or an amount that contradicts what the clerk said before in this visit, and
    whether the new one puts a wrong one right (the rules' time after "sepuluh hari")."""
    for kind, new in claims_of(reading).items():
        old = told.get(kind)
        value = "days" if kind == "duration" else "value"
        if old and (old.get(value) != new.get(value) or (  # "Kamis" ... then "Jumat"
                old.get("weekday") and new.get("weekday") and old["weekday"] != new["weekday"])):
            righted = bool(old.get("wrong")) and not new.get("wrong")
            return str(old.get("text", "")), new["text"], righted
    return None


def reaction_events() -> frozenset[str]:
    """Events that are the citizen's reaction to how the reply was said: their line carries
    the feeling, so no separate tone line is said before it (never two moods in one turn)."""
    return frozenset({*_INCIDENT_REACTIONS.values(), "gift_taken", "gift_kept", "doubts_fee",
                      "accused_of_bribery", "hurt_by_accusation", "doubts_gloss",
                      "gift_taken_by_hand", "gift_taken_asks_more", "refuses_fraud",
                      "hurt_by_insult", "wants_receipt", "doubts_requirement", "doubts_pickup",
                      "uneasy_personal", "doubts_place",
                      "doubts_duration", "hurt_by_blame", "claim_changed", "claim_corrected",
                      "feels_brushed_off", "upset_heard_that_before", "upset_complaint",
                      "upset_brushed_off",
                      "hurt_by_address", "objects_document_present",
                      "retraction_noted", "alarmed_mixup", "refuses_to_pay_again",
                      "waits_for_clerk", "alarmed_own_file", "receives_permit"})


@cache
def _words(name: str) -> re.Pattern:
    """The words of ``incident_words.<name>`` (visit_flow.yml) as one pattern."""
    words = (_flow().get("incident_words") or {})[name]
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)", re.I)


def _incident_says(reading: Mapping[str, Any], name: str, kind: Optional[str] = None) -> bool:
    """An incident of the reply (of ``kind``, or any) naming one of ``incident_words.<name>``."""
    return any(_words(name).search(str(i.get("text", ""))) for i in reading.get("incidents") or ()
               if kind is None or i.get("kind") == kind)


def _claims_envelope(reading: Mapping[str, Any]) -> bool:
    """The clerk takes or keeps the envelope ("amplopnya saya terima ya", "taruh sini")."""
    return bool(reading.get("accepted_gift")) or _incident_says(reading, "keeps", "integrity")


def _haggles(reading: Mapping[str, Any]) -> bool:
    """The reply wants more than what is on the counter ("segini mah kurang, tambahin seratus
    lagi", "(membuka amplop) Cuma 50 ribu Bu?") and does not settle for it."""
    clauses = [str(c) for c in reading.get("clauses") or ()]
    return any(_words("more_in_reply").search(c) for c in clauses) and not any(
        _words("settles").search(c) for c in clauses)


def _asks_more(reading: Mapping[str, Any]) -> bool:
    """The clerk who already took the envelope asks for more ("tambah lagi dua ratus ribu")."""
    if any(c.get("kind") == "fee" for c in reading.get("claims") or ()):
        return True
    if "take_envelope" in (reading.get("marks") or ()) and _haggles(reading):
        return True  # "(membuka amplop) Cuma 50 ribu Bu? Tambah lagi lah"
    return _incident_says(reading, "more")


def _reaction(reading: Mapping[str, Any], scenario: str = BASE_SCENARIO,
              stage: str = "", known: Optional[Mapping[str, bool]] = None,
              earlier: Optional[Mapping[str, bool]] = None) -> Optional[str]:
    """An in-character reaction to how the reply was said (English, keywords, blame).
    ``earlier``: the facts before this reply (a reaction said once per visit)."""
    register = reading.get("register") or ()
    known = known or {}
    own = scenario_flow(scenario).get("reactions") or {}
    if own.get("envelope_grabbed") and "take_envelope" in (reading.get("marks") or ()) and \
            not known.get("envelope_taken"):  # "(mengambil amplop dari bawah map)"
        return own["envelope_grabbed_more" if _asks_more(reading) else "envelope_grabbed"]
    if reading.get("accepted_gift") and (known.get("envelope_taken")
                                         or known.get("envelope_withdrawn")):
        if known.get("envelope_taken") and _incident_says(reading, "envelope", "integrity"):
            return "gift_kept"  # "amplopnya saya simpan aja ya buat kopi": said of the envelope
        return None  # once: "terima kasih" after the envelope was taken is thanks
    if reading.get("accepted_gift") and known.get("envelope_offered"):
        return "gift_taken"  # (no envelope on the counter: "bisa diatur" is asking for one)
    if "self_correction" in (reading.get("marks") or ()) and (
            known.get("money_asked") or known.get("misconduct_seen")) and \
            not reading.get("incidents") and "brush_off" not in (reading.get("marks") or ()) \
            and not ("ask_documents" in (reading.get("acts") or ())
                     and not known.get("documents_handed")):  # "… Bapak bawa SKDU-nya?": it
        return "retraction_noted"  # hands its map (audit 38); "bercanda, Bu, gratis": heard
    kinds = [i.get("kind") for i in reading.get("incidents") or ()]
    if "integrity" in kinds and own.get("envelope_claimed") and _claims_envelope(reading) and \
            not known.get("envelope_taken") and not known.get("envelope_withdrawn") and \
            not known.get("money_asked"):  # it already refused to pay: it does not give in now
        return own["envelope_claimed"]  # "amplopnya saya terima ya, Bu": it hands it over
    if "accusation" in (reading.get("hostility") or ()):  # "Bapak mau nyogok saya?"
        held_out = known.get("envelope_offered") and not (
            known.get("envelope_withdrawn") or known.get("envelope_taken"))
        return "accused_of_bribery" if held_out else "hurt_by_accusation"
    if known.get("envelope_taken") and "integrity" in kinds and \
            set(kinds) <= {"integrity", "false_promise"} and not _asks_more(reading):
        # "amplopnya sudah saya simpan di laci, aman": the same envelope, no new demand
        if "goodbye" in (reading.get("acts") or ()):
            return None
        if _incident_says(reading, "no_receipt"):
            return "wants_receipt"  # paid, and now no receipt either: it wants its proof
        return "doubts_promise" if "false_promise" in kinds else "gift_kept"
    if "clerk_leaves" in (reading.get("marks") or ()) and not reading.get("incidents") and \
            "goodbye" not in (reading.get("acts") or ()):
        return "waits_for_clerk"  # "saya tinggal sebentar ya, mau ke toilet": it waits
    if "permit_handover" in (reading.get("marks") or ()) and scenario == "upset_customer" and \
            not known.get("permit_received") and not kinds:
        return "receives_permit"  # "izinnya sudah jadi, ini Pak": it takes its permit
    if "file_alarm" in (reading.get("marks") or ()) and "integrity" not in kinds:
        return "alarmed_own_file"  # "NIB Ibu dicabut", "NPWP-nya kelihatan palsu": not a nod
    if "papers_mixed" in (reading.get("marks") or ()):
        return "alarmed_mixup"  # "berkas Ibu ketuker, KTP-nya kebawa orang": its papers, first
    if "misconduct" in kinds and _incident_says(reading, "fraud", "misconduct"):
        return "refuses_fraud"  # "tanda tangan lurahnya discan": a forged letter, said no to
    if _incident_says(reading, "no_receipt") or "scrap_receipt" in (reading.get("marks") or ()):
        return "wants_receipt"  # "tanda terima nggak usah ya", "di kertas bekas": its proof
    if "confidentiality" in kinds and _incident_says(reading, "personal", "confidentiality"):
        return "uneasy_personal"  # "sudah nikah belum?": about itself, not someone else
    if "tempat pengambilan izin" in (reading.get("wrong_facts") or ()) and "integrity" not in kinds:
        return "doubts_pickup"  # "izinnya kami antar ke rumah": not what it read at the door
    # money asked for comes first ("jalur khusus, titip 100 ribu": no "janji lagi?")
    kinds = sorted(kinds, key=lambda kind: kind != "integrity")
    if kinds == ["false_promise"] and not _serious_incidents(reading, known):
        kinds = []  # "nanti aye telpon" once it gave its number: no "Janji lagi?" (audit 37)
    for kind in kinds:  # what a citizen at the counter would feel about a critical incident
        if kind in own or kind in _INCIDENT_REACTIONS:
            return own.get(kind) or _INCIDENT_REACTIONS[kind]
    wrong = reading.get("wrong_facts") or ()
    if "persyaratan" in wrong or any(
            c.get("kind") == "rule" and _words("odd_document").search(str(c.get("text", "")))
            for c in reading.get("claims") or ()):
        return "doubts_requirement"  # "… sama SKCK dari polisi": not on the list it read
    if "tempat mengurus" in wrong and "integrity" not in kinds and (any(
            "skdu" in d or "domisili" in d for d in reading.get("documents") or ()) or (
            scenario == "renewal_incomplete" and not reading.get("documents"))):  # "Ke Dukcapil"
        return "doubts_place"  # "SKDU itu ngurusnya di kecamatan": not where it heard
    if "lama proses" in wrong and "doubts_duration" in own and "biaya" not in wrong:
        return own["doubts_duration"]  # null: this scenario's citizen does not doubt it
    marks = set(reading.get("marks") or ())
    if "biaya" in wrong and {"self_correction", "fee_free"} <= marks:
        return "retraction_noted"  # "… bayar 50 ribu. Eh, nggak, bercanda, gratis."
    if "biaya" in wrong:  # before a document said missing ("NIB mati, bikin baru, bayar 300
        return "doubts_fee"  # ribu"): the money is what it reacts to (audit 32)
    if "hasil" in wrong and reading.get("missing_documents") and own.get("document_said_missing"):
        return own["document_said_missing"]  # "NPWP-nya belum ada": it put the NPWP in the map
    if "brush_off" in marks and stage not in _flow()["settled_stages"]:
        return own.get("brushed_off") or "feels_brushed_off"  # "udah ya, yang lain antre"
    if "arti istilah" in wrong:
        return "doubts_gloss"
    if "lama proses" in wrong:
        return "doubts_duration"
    understood = set(reading.get("acts") or ()) | ({  # "Mana receipt-nya, eh, tanda terimanya?"
        "goodbye", "terima_kasih", "greeting", "ask_receipt", "ask_for_documents"}
        & set(reading.get("marks") or ()))
    leaving = stage in _flow()["settled_stages"] and bool(  # "Thank you, have a nice day!"
        {"goodbye", "well_wish", "terima_kasih"} & marks) and not (  # once the business is
        set(reading.get("acts") or ()) - {"goodbye"})  # done is a goodbye (audit 38)
    if "english" in register and (not understood or "mostly_english" in marks) and not leaving:
        # English with something said in Indonesian; mostly English: not understood whatever
        # NLU made of it
        return "puzzled_english"  # ("Thank you. Eh, terima kasih maksudnya"): it answers that
    if reading.get("sentence") is False:
        return "puzzled_keywords"
    if scenario == "confused_customer" and len([
            t for t in reading.get("terms") or () if not (t.get("explained") or t.get("plain"))
    ]) >= 3:  # "OSS RBA? NIB berbasis risiko, mapping KBLI, PB UMKU?" (audit 36)
        return "puzzled_jargon"
    hostility = set(reading.get("hostility") or ())
    if "blame" in hostility:
        return "hurt_by_blame"
    if "insult" in hostility:  # "Ih, Ibu bawel ya": called names, not blamed
        return "hurt_by_insult"
    if "sarcasm" in hostility:
        return "hurt_by_condescension"
    if reading.get("address") == "rude" and not (earlier or {}).get("address_objected") and \
            stage != "opening":  # its first line states its business; it bears one slip
        return "hurt_by_address"  # "Dek", "Bro", "kamu": it objects once, then bears it
    return None


def next_step(
    stage: str,
    move: str,
    known: Mapping[str, bool],
    scenario: str = BASE_SCENARIO,
    reading: Optional[Mapping[str, Any]] = None,
    pressed_before: int = 0,
    told: Optional[Mapping[str, Any]] = None,
) -> Step:
    """Return where the visit goes after a reply read as ``reading`` (NLU move ``move``).

    ``known`` holds the facts the citizen already knows (slot ``visit_facts``); facts the
    reply states are added before the table is read. ``pressed_before``: how many times in a
    row the citizen has already asked again. ``told``: the claims it heard before in this
    visit (``claims_of`` over the earlier readings): a different time or amount is noticed.
    """
    flow = _flow()
    acts = list((reading or {}).get("acts") or [])
    if move and move != "nlu_fallback" and not reading:  # unscored: the NLU move alone
        acts.insert(0, move)
    need = (reading or {}).get("need") or {}
    need_met = need.get("status") == "met"
    need_acts = flow["need_acts"]
    if not acts and need_met and need.get("name") in need_acts and "ask_errand" not in (
            (reading or {}).get("marks") or ()):  # "mau ngapain ke sini?" explains nothing
        acts = [need_acts[need["name"]]]
    if "return_documents" in ((reading or {}).get("marks") or ()) and not known.get(
            "documents_handed"):  # audit 31: "Saya nggak minta berkas, ini saya kembalikan":
        acts = [a for a in acts if a not in ("check_documents", "ask_documents")]  # no check
    marks = set((reading or {}).get("marks") or ())
    if "give_receipt" in acts and "receipt_bring" in marks and "receipt_handover" not in marks \
            and not known.get("receipt_given"):  # "Nanti waktu ambil, bawa tanda terimanya
        acts = [a for a in acts if a != "give_receipt"]  # ya." with none given (audit 42)
    now = detect_facts(acts, reading, scenario)
    if now.get("checked") and stage in flow["before_documents"] and not known.get(
            "documents_handed"):  # "Mane mapnye? Aye periksa.": nothing in hand to check yet
        del now["checked"]  # (audit 42; the upset citizen's file is in the office already)
    if _incident_says(reading or {}, "more", "integrity") and _haggles(reading or {}):
        now["more_asked"] = True  # audit 37: the envelope on the counter is "not enough"
    for fact, spec in fact_specs(scenario).items():
        if stage in (spec.get("not_at") or ()):  # "mau urus apa?" at the opening: a greeting
            now.pop(fact, None)
    if "confirms" in ((reading or {}).get("marks") or ()) and need.get("asked") and \
            need.get("name") in ("procedure", "problem"):  # "…, saya bawa ke sini lagi?" —
        for fact in flow.get("confirm_teaches") or ():  # "Leres, Bu.": what it proposed holds
            if fact in fact_specs(scenario):
                now[fact] = True
    facts = {**{k: bool(v) for k, v in known.items()}, **now}
    if stage == ENDED:
        return Step(ENDED, AFTER_END, facts, acts=tuple(acts), now=now)
    step = _next(stage, move, acts, facts, now, need, scenario, reading or {}, known)
    step = replace(step, before={k: bool(v) for k, v in known.items() if v})
    changed = _changed_claim(told or {}, reading or {})
    if changed and step.event not in reaction_events():  # "tadi 2 hari kerja, sekarang besok?"
        corrected = changed[2] or bool(
            {"apology", "self_correction"} & set((reading or {}).get("marks") or ()))
        step = replace(step, event="claim_corrected" if corrected else "claim_changed",
                       changed=changed[:2])
    if step.pressed and pressed_before and set(acts) & set(flow["final_acts"]):
        # asked again, and sent off again without an answer: the citizen gives up and leaves
        step = replace(step, stage=ENDED, event="leaves_unanswered", pressed=None)
    if (step.event.startswith("gratuity_offer_") or step.event in _PUSHES_ENVELOPE) and \
            known.get("envelope_taken") and not now.get("envelope_returned"):
        # the clerk took the envelope before the moment came: nothing left to offer
        step = replace(step, event="gift_already_given", stage=flow["after_gift"]["stage"])
    put_away = False
    if (step.event.startswith("gratuity_offer_") or step.event in _PUSHES_ENVELOPE) and \
            known.get("money_asked") and not known.get("envelope_offered"):
        # asked for money, it refused: it does not bring out an envelope after all; but if
        # the clerk now turns down the envelope it let show, it puts it away (audit 27)
        refused_now = "refuse_gratuity" in acts and "refusal_explicit" in (
            (reading or {}).get("marks") or ())  # not "itu juga nggak boleh" of its own price
        step = replace(step, event="gratuity_embarrassed_fee_known" if refused_now else
                       "refuses_to_pay_again", stage=flow["after_gift"]["stage"])
        put_away = refused_now
    if step.event.startswith("gratuity_embarrassed") and known.get("money_asked") and not \
            known.get("envelope_offered") and not put_away:
        # no envelope came out: the clerk took back its price
        step = replace(step, event="retraction_noted")
    if step.event in _PUSHES_ENVELOPE and not known.get("envelope_offered") and not \
            known.get("envelope_taken"):  # never brought out (the moment passed in another
        step = replace(step, event="gratuity_holds_back")  # reply): nothing to push (audit 38)
    if step.event.startswith("gratuity_offer_") and known.get("envelope_taken") and \
            now.get("envelope_returned"):  # the clerk who took it hands it back (audit 38)
        step = replace(step, event="takes_envelope_back", stage=flow["after_gift"]["stage"])
    if step.event.startswith("gratuity_offer_") and (known.get("refusal_said")
                                                    or now.get("refusal_said")
                                                    or known.get("envelope_withdrawn")):
        # told "no gifts" before the moment came: the envelope stays under the map
        step = replace(step, event="gratuity_holds_back", stage=flow["after_gift"]["stage"])
    after_gift = flow["after_gift"]
    if step.event.startswith("gift_taken") and step.stage in after_gift["from"]:
        step = replace(step, stage=after_gift["stage"])  # the envelope is gone: go on
    owed = _owed_answer(step, reading or {}, stage)
    option = str(((reading or {}).get("last_question") or {}).get("option") or "")
    return replace(step, last_question=owed, last_option=option if owed == "choice" else "")


# the envelope pushed forward again: not while it lies in the clerk's drawer (audit 16)
_PUSHES_ENVELOPE = frozenset({"gratuity_insists", "gratuity_second_try"})
# the upset citizen asking for its day, or finding its own receipt no answer (audit 37)
_ASKS_WHEN = frozenset({"upset_asks_when", "press_duration"})
_NOT_ENOUGH = frozenset({"upset_receipt_not_enough"})
_GOODBYES = frozenset({"farewell", "farewell_uneasy", "no_more_questions"})


_HANDING = frozenset({"hand_documents", "hand_documents_for_check", "hand_documents_with_purpose"})


def _receipt_left_with_clerk(facts: Mapping[str, bool], now: Mapping[str, bool]) -> bool:
    """The citizen handed its receipt over for a check and has not had it back."""
    return bool(facts.get("receipt_shown")) and not facts.get("receipt_back") and not any(
        now.get(f) for f in ("receipt_given", "receipt_handed", "receipt_handback"))


def _serious_incidents(reading: Mapping[str, Any], known: Mapping[str, bool]) -> list:
    """The reply's incidents, less a call promised ("nanti aye telpon") once the citizen gave
    its number: that is the call it was promised, not an empty promise (audit 37)."""
    return [i for i in reading.get("incidents") or () if not (
        i.get("kind") == "false_promise" and known.get("phone_asked")
        and _words("callback").search(str(i.get("text", ""))))]


def _owed_answer(step: Step, reading: Mapping[str, Any], stage: str) -> str:
    """The kind of the question the reply ends with when the citizen's line does not answer
    it already ("… Boleh saya fotokopi catatannya?": a permission it grants), else ""."""
    question = reading.get("last_question") or {}
    rule = _flow().get("last_question") or {}
    if not question or step.stage == ENDED or stage in (rule.get("not_from_stages") or ()) or \
            set(question.get("acts") or ()) & set(rule.get("covered_by_acts") or ()):
        return ""
    if set(event_facts(step.event)) & set(rule.get("not_after_facts") or ()) and re.search(
            rule.get("about_handing") or "$^", str(question.get("text") or "")):
        return ""  # "Boleh saya lihat?": the map handed over is the answer
    if "offer_more" in (question.get("marks") or ()) and step.event in (rule.get("more_after")
                                                                      or ()):
        return "more"  # "Ada yang masih membingungkan?" after the receipt: "Tidak, sudah jelas"
    if any(fnmatch(mark, pattern) for mark in question.get("marks") or ()
           if mark not in (rule.get("not_covering") or ())
           for pattern in rule.get("covered_by_marks") or ()):
        return ""  # "Nomor HP Ibu berapa?": a side question of its own
    if reading.get("incidents") or reading.get("hostility"):
        return ""  # "mau bayar atau tidak?": the reaction to misconduct is the answer
    if step.facts.get("misconduct_seen") and question.get("kind") in ("yes_no", "permission"):
        return ""  # "… ini bantuan. Gimana, mau?" after money was asked: no "iya"
    if any(step.now.get(q["fact"]) for q in side_questions() if not q.get("doing")):
        return ""  # a side question it answers already
    event = step.event
    if event in rule.get("not_after", ()) or event in reaction_events() or event in _flow()[
            "confused_events"] or event.startswith(tuple(rule.get("not_after_prefix", ()))):
        return ""
    return str(question.get("kind") or "")


def _next(stage: str, move: str, acts: list[str], facts: dict[str, bool],
          now: dict[str, bool], need: Mapping[str, Any], scenario: str,
          reading: Mapping[str, Any], known: Mapping[str, bool]) -> Step:
    flow = _flow()
    need_met = need.get("status") == "met"
    need_acts = flow["need_acts"]
    if now.get("receipt_back_asked") and not any(
            known.get(f) or now.get(f) for f in ("receipt_shown", "receipt_given",
                                                 "receipt_handed")):
        # "tanda terimanya mana?" before any receipt was shown or given: asks to see it
        now["receipt_asked"] = True
        del now["receipt_back_asked"]
    if now.get("receipt_back_asked"):  # "boleh saya pinjam sebentar?": asked, not yet held
        now.pop("receipt_with_clerk", None)
    if now.get("keep_documents_asked"):  # "mau dititip di sini atau dibawa pulang?": asked,
        now.pop("documents_returned", None)  # not handed back yet (audit 30)
    if now.get("receipt_back_asked") and (now.get("receipt_handed") or now.get("receipt_given")):
        # "Nih tanda terimanya. Eh bentar, sini balikin dulu": given and taken back at once
        now.pop("receipt_handed", None)
        now.pop("receipt_given", None)
        now["receipt_handback"] = True
    conditions = {**facts, **{f"now_{k}": v for k, v in now.items()}}
    if "dismiss" in acts and known.get("envelope_taken") and "integrity" in {
            i.get("kind") for i in reading.get("incidents") or ()}:  # "sudah masuk laci, besok
        acts = [a for a in acts if a != "dismiss"]  # saja ambil": the briber got its deal
    if "dismiss" in acts:
        acts = ["dismiss"]
    if "ask_documents" in acts and known.get("documents_back") and "ask_for_documents" not in (
            reading.get("marks") or ()) and any(now.get(q["fact"]) for q in side_questions()):
        acts = [a for a in acts if a != "ask_documents"]  # "Coba Ibu ulangi, SKDU itu minta ke
        # mana?": a question about its errand, not its map back on the counter (audit 43)
    if {"give_receipt", "ask_documents"} <= set(acts) and known.get("documents_handed"):
        acts = [a for a in acts if a != "ask_documents"]  # "tt nya jgn ilang, waktu ambil hrs
        # dibawa": the receipt brought at pickup, no document asked for again (audit 42)
    marks = set(reading.get("marks") or ())
    if "ask_repeat" in marks and marks <= set(flow["repeat_only_marks"]):
        acts = [a for a in acts if a not in flow["business_acts"]]
    if set(acts) & set(flow["final_acts"]) and "ask_wait" in acts and not set(acts) & set(
            flow["business_acts"]):
        acts = [a for a in acts if a != "ask_wait"]  # "ditunggu ya, hati-hati di jalan"
    if "ask_wait" in acts and now.get("documents_returned"):
        acts = [a for a in acts if a != "ask_wait"]  # "Sakedap … ah, dicandak wae": not a wait
    if "ask_wait" in acts and any(c.get("kind") == "duration" and (c.get("days") or 0) >= 1
                                  for c in reading.get("claims") or ()):
        acts = [a for a in acts if a != "ask_wait"]  # "tinggal tunggu 2 hari kerja": not here
    if "refusal_explicit" in (reading.get("marks") or ()) and "refuse_gratuity" not in acts and \
            (scenario_flow(scenario).get("reactions") or {}).get("envelope_claimed"):
        acts = [*acts, "refuse_gratuity"]  # the envelope in sight, refused before it came out
    primary = move if move in acts else (acts[0] if acts else "nlu_fallback")
    if need.get("name") == "confusion" and need_met and "explain_requirements" in acts:
        primary = "explain_requirements"  # the term it asked about, explained (audit 39)
    if primary == "check_documents" and "ask_wait" in acts and not {"check", "check_done"} & set(
            reading.get("marks") or ()):  # "saya bawa ke beliau sekarang, silakan tunggu di
        primary = "ask_wait"  # kursi": a wait asked for, no check (audit 40)
    if "refuse_gratuity" in acts and not set(acts) & set(flow["business_acts"]):
        primary = "refuse_gratuity"  # "amplopnya tidak bisa saya terima, layanan ini gratis"
    opening_acts = [a for a in acts if a in flow["business_acts"]]
    thanks = {"terima_kasih", "goodbye"} & set(reading.get("marks") or ())
    if (primary == "greet" and thanks or primary in ("empathize", "apologize") and "goodbye" in
            thanks) and stage != "opening" and not set(acts) & set(flow["business_acts"]):
        # "Baik, terima kasih. Selamat pagi." late in the visit; "Mohon maaf sekali lagi.
        # Terima kasih atas kesabarannya, selamat sore." (audit 45)
        acts, primary = [*acts, "goodbye"], "goodbye"
    closing_words = primary in flow["final_acts"] or (primary == "greet" and stage != "opening")
    told_anew = {k for k, v in now.items() if v and not known.get(k)} - set(flow["not_news"])
    if closing_words and opening_acts and told_anew:
        primary = opening_acts[0]  # "…belum ada SKDU, urus di kelurahan. Semoga lancar": the
        # citizen has questions now, the well-wish is no goodbye (audit 29: unless the business
        # words only repeat what it knows — "Iya, SKDU di kelurahan. Terima kasih, selamat sore")
    if now.get("documents_returned"):  # "Sisanya, NIB sama izin lama, silakan dibawa": the
        acts = [a for a in acts if a != "explain_requirements"]  # map goes back, no list
    if now.get("receipt_asked"):  # "boleh saya lihat tanda terimanya sebentar?": the citizen
        acts = [*dict.fromkeys([*acts, "ask_documents"])]  # shows its receipt (the flow reads
        primary = "ask_documents"  # this as asking for a document; the reading does not)
    new_stage, event, passed = _chain(stage, acts or ["nlu_fallback"], primary, conditions,
                                      scenario)
    admits = (scenario_flow(scenario).get("reactions") or {}).get("letter_asked")
    if admits and stage in ("documents_handed", "checking") and now.get("letter_listed") and \
            now.get("clerk_asked") and not (conditions.get("letter_admitted") or conditions.get(
                "named_missing")):  # "Lalu SKDU dari kelurahan, Bu, ada?": it has none (audit 44)
        new_stage, event = "missing_named", admits
    if now.get("one_document_asked") and event in _HANDING:  # "Pertama, KTP-nya dulu": the
        event = "hand_documents_one_by_one"  # one asked for first, then the map (audit 45)
    settled = all(facts.get(f) for f in flow["settled_by"]) or bool(  # receipt in hand, time
        facts.get("permit_received"))  # known; or the permit itself in hand (audit 40)
    claimed = (scenario_flow(scenario).get("reactions") or {}).get("envelope_claimed") and \
        "integrity" in {i.get("kind") for i in reading.get("incidents") or ()} and \
        _claims_envelope(reading) and not known.get("envelope_taken")
    asked_aside = any(now.get(q["fact"]) for q in side_questions() if not q.get("doing"))
    if settled and not (claimed or asked_aside) and new_stage != ENDED and stage != "opening" \
            and (primary in flow["final_acts"] or "dismiss" in acts):
        event = "leaves_offended" if "dismiss" in acts and not facts.get(
            "permit_received") else "farewell"  # it has what it came for
        if facts.get("misconduct_seen"):
            event = (flow.get("after_misconduct") or {}).get(event, event)
        return Step(ENDED, event, facts, acts=tuple(acts), now=now, passed=passed)
    if event in flow["confused_events"] and need_met and need.get("name") in need_acts:
        answer = need_acts[need["name"]]
        new_stage, event, passed = _chain(stage, [answer], answer, conditions, scenario)
        if event in flow["confused_events"]:
            event = "acknowledge_generic"
    ends_asking_again = "ask_repeat" in ((reading.get("last_question") or {}).get("marks") or ())
    if "ask_repeat" in marks and (ends_asking_again or not set(acts) & set(
            flow["business_acts"]) and event in (*flow["confused_events"], "accept_apology",
                                                 "acknowledge_generic")):
        event = "repeats_itself"  # "Maaf, ulangi, Pak?": it says it again; "…, bawa ke sini
        # lagi. Maaf Bu, tadi Ibu bilang apa?": the reply ends asking for it (audit 42)
    if event in flow["confused_events"] and now.get("documents_returned"):
        event = "takes_documents_back"  # "Sisanya silakan dibawa": it takes its map, nothing more
    if event in flow["confused_events"] and {"dismissive", "deflection", "refuse_service"} & set(
            reading.get("hostility") or ()) and stage not in flow["settled_stages"]:
        event = "feels_brushed_off"  # "terserah, urus sendiri saja di rumah": no riddle
    if event in flow["confused_events"] and "hedged_duration" in marks and reading.get(
            "vague_time") and not reading.get("concrete_time"):  # "kapan-kapan, mungkin minggu
        event = "press_duration"  # depan, mungkin bulan depan": no "Iya, betul" (audit 36)
    if event in flow["confused_events"] and "question" in marks:  # "NPWP-nya atas nama Bapak
        # sendiri ya?", "Izinnya berlaku sampai kapan?": a question it answers, not gibberish
        event = "answers_open_question" if "question_open" in marks else "answers_yes"
        if "question_choice" in marks:  # "lewat WA atau telepon?": either will do
            event = "answers_choice"
    reaction = _reaction(reading, scenario, stage, facts, known)
    if reaction in ("puzzled_english", "puzzled_keywords", "puzzled_jargon"):  # not understood
        return Step(stage, reaction, facts, acts=tuple(acts), now=now)
    if reaction and (event.startswith("gratuity_offer_") or any(
            p.startswith("gratuity_offer_") for p in passed)):
        # the reaction is said instead of the envelope: the offer was not made (audit 16)
        return Step(stage, reaction, facts, acts=tuple(acts), now=now,
                    passed=tuple(p for p in passed if not p.startswith("gratuity_offer_")))
    if reaction == "feels_brushed_off" and (facts.get("receipt_given") and facts.get(
            "duration_told") or facts.get("resolution") and not facts.get("receipt_given")):
        # "Ya sudah, kalau memang sudah beres. Saya permisi", "Saya pegang janjinya": it goes
        return Step(ENDED, reaction, facts, acts=tuple(acts), now=now, passed=passed)  # (a38)
    if reaction == "receives_permit":  # the permit in hand: its business is done (audit 40)
        return Step("closing", reaction, facts, acts=tuple(acts), now=now, passed=passed)
    if reaction:  # the reaction is said; what the reply did still moved the visit on
        return Step(new_stage if new_stage != ENDED else stage, reaction, facts,
                    acts=tuple(acts), now=now, passed=passed)
    waiting = known.get("callback_accepted") or (
        known.get("when_asked") and facts.get("phone_asked") and bool(
            {"commit_action", "promise_followup"} & marks))
    serious = _serious_incidents(reading, facts)
    if scenario == "upset_customer" and known.get("callback_accepted") and "goodbye" in acts \
            and not serious and not asked_aside:
        if _receipt_left_with_clerk(facts, now):
            return Step(stage, "asks_receipt_back", facts, acts=tuple(acts), now=now,
                        passed=passed)
        return Step(ENDED, "upset_leaves_waiting", facts, acts=tuple(acts), now=now,
                    passed=passed)  # "Nanti aye telpon. Ati-ati di jalan": it goes (audit 37)
    if scenario == "upset_customer" and waiting and not serious and (
            event in _ASKS_WHEN or event in _NOT_ENOUGH or need.get("name") == "duration"):
        # told honestly there is no day yet and a call promised to the number it gave: it
        # stops asking for the day (audit 37)
        event = "upset_waits_for_call" if known.get("callback_accepted") else \
            "upset_accepts_callback"
        return Step(stage, event, facts, acts=tuple(acts), now=now, passed=passed)
    pressable = need.get("name") in flow["press_needs"] and need.get("asked") and need.get(
        "status") in ("partial", "unmet")  # the citizen asks again what it asked, not more
    if pressable and "confirms" in marks and need.get("name") in ("procedure", "problem"):
        pressable = False  # "Setelah jadi, saya bawa ke sini lagi?" — "Leres, Bu.": answered
    if pressable and _learned_for(need.get("name"), now):
        pressable = False  # "NIB itu seperti nomor KTP untuk usaha": the answer it asked for
    if pressable and need.get("name") in ("list", "procedure", "problem") and _learned_for(
            need.get("name"), known):
        pressable = False  # it knows which letter is missing and where to bring it (audit 37)
    if pressable and now.get("receipt_asked"):
        pressable = False  # "mana tanda terimanya?": it hands its receipt over first (audit 39)
    if pressable and need.get("name") == "confusion" and "dismissive" in (
            reading.get("hostility") or ()):  # "Ya, memang kadang begitu. Sabar saja.": plain
        brushed = (scenario_flow(scenario).get("reactions") or {}).get("brushed_off")
        return Step(stage, brushed or "feels_brushed_off", facts, acts=tuple(acts), now=now,
                    passed=passed)  # words, a brush-off, no riddle (audit 42)
    if pressable and not set(acts) & set(flow["no_press_acts"]) and new_stage != ENDED:
        return Step(stage, f"press_{need['name']}", facts, pressed=need["name"], acts=tuple(acts),
                    now=now, passed=passed)
    if new_stage == ENDED and asked_aside and "well_wish" not in marks and \
            not reading.get("greeting"):  # ("… Selamat siang." is a goodbye after all)
        # "Ambil di sini. Nomor HP?": the clerk is not done; it answers and stays
        new_stage, event = stage, "answers_yes"
    if new_stage == ENDED and event in _GOODBYES and facts.get("documents_handed") and \
            not facts.get("documents_back") and facts.get("result_complete") and not facts.get(
                "receipt_given") and not facts.get("receipt_shown"):
        # its complete file left at the counter and no receipt: it asks for one (audit 36)
        new_stage, event = stage, "asks_receipt_before_leaving"
    if (new_stage == ENDED and event in {*_GOODBYES, "upset_leaves_waiting"} or event ==
            "no_more_questions" and not facts.get("receipt_kept")) and _receipt_left_with_clerk(
            facts, now):  # its receipt still on the desk (audit 38), also at "ada lagi?" (43)
        new_stage, event = stage, "asks_receipt_back"
    if facts.get("misconduct_seen") or facts.get("money_asked"):  # asked for money, a rule
        event = (flow.get("after_misconduct") or {}).get(event, event)  # bent: never pleased
    return Step(new_stage, event, facts, acts=tuple(acts), now=now, passed=passed)
