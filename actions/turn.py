"""One clerk turn of a visit, as a pure function: reading -> citizen's step, mood, line, record.

``action_process_turn`` (``actions/actions.py``) reads the visit's state from the tracker's
slots, scores the reply (which also reads it, ``actions/scoring/reading.py``) and calls
:func:`take_turn`; the offline visit tests call the same function, so what is tested is what
runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Optional, Sequence

from actions import citizen, counter, misnamed, mood, visit_flow
from actions.scoring.weekdays import WEEKDAY_NAMES, ready_day
from actions.turn_record import TurnRecord


@dataclass(frozen=True)
class VisitState:
    """What the citizen knows and feels before a clerk turn (slots and the visit's records)."""

    scenario: str
    stage: str = "opening"
    facts: Mapping[str, bool] = field(default_factory=dict)
    mood: str = "calm"
    angry_strikes: int = 0
    press_count: int = 0
    lines_used: tuple[str, ...] = ()
    turn: int = 0
    told: Mapping[str, Any] = field(default_factory=dict)  # claims heard: told_claims()


@dataclass(frozen=True)
class TurnOutcome:
    """The turn record to store, the state after the turn, the citizen's line and mood change."""

    record: TurnRecord
    state: VisitState
    line: citizen.Line
    feeling: mood.MoodStep
    step: visit_flow.Step
    tone_line: Optional[citizen.Line] = None  # the citizen's reaction to the tone, said first


def take_turn(
    state: VisitState,
    text: str,
    move: str,
    scores: Optional[dict[str, Any]],
    *,
    confidence: float = 0.0,
    customer_turn: Optional[str] = None,
    latency: Optional[float] = None,
    scoring_error: Optional[str] = None,
    line_values: Optional[Mapping[str, Any]] = None,
    seed: str = "",
    max_stored_text: int = 4000,
) -> TurnOutcome:
    """Move the visit on by one clerk reply ``text`` (NLU ``move``, scorer result ``scores``).

    ``scores`` is the scorer's result including its ``reading`` (or None when the scorer
    failed or timed out: the NLU move alone then drives the citizen).
    """
    scores = dict(scores) if scores else None
    reading = scores.pop("reading", None) if scores else None
    if reading is not None and move != "nlu_fallback" and move not in (reading.get("acts") or ()):
        move = str(scores.get("move") or move)  # the reading overruled NLU's move
    number = state.turn + 1
    if not text.strip():
        step = visit_flow.Step(state.stage, "empty_message", state.facts)
    elif len(text) > visit_flow.too_long_limit():
        step = visit_flow.Step(state.stage, "too_long", state.facts)
    else:
        step = visit_flow.next_step(state.stage, move, state.facts, state.scenario, reading,
                                    pressed_before=state.press_count, told=state.told)
    pressed = state.press_count + 1 if step.pressed else 0
    if state.stage == visit_flow.ENDED:  # the citizen has left: nothing said changes the mood
        feeling = mood.MoodStep(state.mood, mood.UNCHANGED, state.angry_strikes)
    else:
        # with a reading, an NLU dismissal it did not keep is none (audit 33: "saya cuma tanya")
        fallback = [] if reading is not None and move == "dismiss" else [move]
        feeling = mood.next_mood(state.mood, _mood_acts(step.acts, reading) or fallback,
                                 _mood_scores(scores, reading,
                                              complicit=bool(state.facts.get("envelope_taken"))),
                                 step.stage,
                                 state.angry_strikes, pressed, _without_substance(reading),
                                 may_be_pleased=not step.facts.get("misconduct_seen"))
    if (reading or {}).get("incidents") and feeling.change == mood.DEESCALATED:
        feeling = mood.MoodStep(state.mood, mood.UNCHANGED, state.angry_strikes)  # misconduct
        # never calms the citizen down ("itu uang bensin, Bu": no "nadanya melunak")
    if step.event.startswith("gift_taken") and not feeling.walked_out:  # the briber got its way: no
        feeling = mood.MoodStep(state.mood if state.mood != "satisfied" else "calm",  # offence
                                mood.UNCHANGED, state.angry_strikes)
    if feeling.walked_out:
        step = visit_flow.Step(visit_flow.ENDED, visit_flow.AFTER_END, step.facts, acts=step.acts,
                               now=step.now)
    used = state.lines_used
    line_values = dict(line_values or {})
    said_duration = (state.told.get("duration") or {}).get("text")
    line_values.setdefault("told_duration", said_duration or "dua hari kerja")
    line_values.setdefault("documents_brought", counter.documents_brought(state.scenario))
    if step.event == "repeats_itself":  # "Maaf, ulangi, Pak?": its last words, said again
        last = _spoken(customer_turn or "")
        rest = _OPENING_GREETING.sub("", last, count=1)  # its greeting is not said twice
        last = rest[:1].upper() + rest[1:] if rest.strip() else last  # (audit 43)
        line_values["last_said"] = last
        step = replace(step, now={**step.now, "last_said": bool(last)})
    if _greeting_off(line_values, reading):
        step = replace(step, now={**step.now, "greeting_off": True})
    ready = ready_day(text.lower()) if reading is not None else None
    if ready:  # "jadi hari ini Senin, bisa diambil hari apa?": it counts (audit 42)
        line_values["today_day"], line_values["ready_day"] = ready
        now = {**step.now, "ready_day_known": True}
        if now.get("come_day_asked"):  # the day asked, not told: its answer says it
            now.pop("day_told", None)
        step = replace(step, now=now)
    wrong_place = misnamed.wrong_kelurahan(text, line_values)
    if wrong_place and step.event != visit_flow.AFTER_END:  # "saya tulis: SKDU, Kelurahan
        line_values["wrong_kelurahan"] = wrong_place  # Cihapit": not its kelurahan (audit 42)
        step = replace(step, now={**step.now, "kelurahan_wrong": True})
    wrong_trade = misnamed.wrong_trade(text, line_values)
    if wrong_trade and step.event != visit_flow.AFTER_END:  # "Wah, bengkel" to a grocer
        line_values["wrong_trade"] = wrong_trade  # (audit 43)
        step = replace(step, now={**step.now, "trade_wrong": True})
    if step.changed:
        line_values = {**line_values, "told_before": _mid_sentence(step.changed[0]),
                       "told_now": _mid_sentence(step.changed[1])}
    tone_line = None
    reacting = step.event in visit_flow.reaction_events()  # the reaction is the tone itself
    pressing = step.event.startswith("press_") or step.event in _PRESSING
    if feeling.change in (mood.ESCALATED, mood.DEESCALATED, mood.WALKED_OUT) and not (
            reacting and not feeling.walked_out) and not (
            feeling.change == mood.DEESCALATED and pressing):  # no "melunak" before "kapan?!"
        suffix = feeling.change if feeling.walked_out else f"{feeling.change}_{feeling.mood}"
        rude = (scores or {}).get("politeness", 100) < 40 or "dismiss" in step.acts
        if feeling.change == mood.ESCALATED and step.pressed and not rude:
            suffix = f"impatient_{feeling.mood}"  # left without an answer, not spoken to rudely
        tone_line = citizen.choose_line(f"tone_{suffix}", feeling.mood, used, line_values or {},
                                        seed=f"{seed}|tone|{number}", known=step.known)
        used = (*used, tone_line.key)
    line = citizen.choose_line(step.event, feeling.mood, used, line_values or {},
                               seed=f"{seed}|{number}", insistence=max(pressed - 1, 0),
                               known=step.known)
    line = _with_side_answers(line, step, feeling, used, line_values or {}, f"{seed}|{number}")
    if "islamic_greeting" in ((reading or {}).get("marks") or ()) and not feeling.walked_out and \
            step.event != visit_flow.AFTER_END:  # "Assalamualaikum, Bu": answered in kind
        line = replace(line, text=_with_salam(line.text))
    held = _held_by_clerk(step.facts)  # walking out, it takes its papers from the counter
    taking = f"(mengambil kembali {held} dari meja) "
    if not held and feeling.walked_out and any(
            (step.now or {}).get(f) for f in ("receipt_asked", "receipt_back_asked")):
        held = "tanda terimanya"  # asked for just now, it does not leave it behind (audit 32)
        taking = "(mengambil kembali tanda terimanya dari meja) " if _HANDLED.search(text) \
            else "(memasukkan tanda terimanya ke dalam tas) "  # never handed over (audit 42)
    if held and (feeling.walked_out or step.event == "leaves_offended") and \
            "map" not in (tone_line or line).text:
        if tone_line is not None:
            tone_line = replace(tone_line, text=taking + tone_line.text)
        else:
            line = replace(line, text=taking + line.text)
    elif held and step.stage == visit_flow.ENDED and step.event != visit_flow.AFTER_END and \
            not feeling.walked_out and held.split()[0].removesuffix("nya") not in line.text:
        # leaving on good terms, it does not forget what the clerk still holds of its own
        line = replace(line, text=f"Sebentar, {held} saya ambil kembali, ya. (mengambil "
                                  f"kembali {held} dari meja) {line.text}")
    if tone_line is not None:
        line = replace(line, text=_without_echo(tone_line.text, line.text))
        if feeling.change in (mood.ESCALATED, mood.WALKED_OUT):  # no "Maaf, …" after a raised
            line = replace(line, text=_without_polite_opener(line.text))  # voice
    facts = dict(step.facts)  # what it did (handed over the map ...): remembered
    unsaid = not line.key.startswith(f"{step.event}#")  # only a side answer was said
    for event in (*step.passed, step.event):
        if event != step.event and event.startswith(_SAID_ONLY):
            continue  # an envelope is offered by a line said, not by a stage passed through
        learned = visit_flow.event_facts(event)
        if event == step.event and unsaid:  # "KBLI itu apa?" never said: not asked (audit 45)
            learned = {k: v for k, v in learned.items() if not k.endswith("_asked")}
        facts.update(learned)
        facts.update({fact: False for fact in visit_flow.event_clears(event)})
    for direction, changes in visit_flow.stage_facts():  # a side answer that hands its
        if direction in line.text:  # receipt over ("Oh, ini tanda terimanya. (menyerahkan …)")
            for fact in changes:
                facts[fact.lstrip("-")] = not fact.startswith("-")
    said = (tone_line.key,) if tone_line is not None else ()
    record = TurnRecord(
        turn=number,
        reply=text[:max_stored_text],
        move=move,
        move_confidence=round(confidence, 3),
        customer_turn=customer_turn,
        scenario=state.scenario,
        stage_before=state.stage,
        stage_after=step.stage,
        visit_event=step.event,
        latency_seconds=None if latency is None else round(latency, 1),
        scored=scores is not None,
        scores=scores,
        scoring_error=scoring_error,
        reading=reading,
        mood_before=state.mood,
        mood_after=feeling.mood,
        lines=(*said, line.key),
    )
    after = replace(
        state, stage=step.stage, facts=facts, mood=feeling.mood,
        angry_strikes=feeling.angry_strikes, press_count=pressed,
        lines_used=(*used, line.key), turn=number,
        told={**state.told, **visit_flow.claims_of(reading)},
    )
    return TurnOutcome(record, after, line, feeling, step, tone_line)


_DAY_PARTS = ("pagi", "siang", "sore", "malam")
_STAGE_DIRECTION = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def _held_by_clerk(facts: Mapping[str, bool]) -> str:
    """What of the citizen's lies on the clerk's side of the counter ("mapnya", "tanda
    terimanya"), as words for its stage direction, or ""."""
    held = [words for fact, back, words in (("documents_handed", "documents_back", "mapnya"),
                                            ("receipt_shown", "receipt_back", "tanda terimanya"))
            if facts.get(fact) and not facts.get(back)]
    if facts.get("receipt_given") or facts.get("envelope_taken"):  # the office took the file
        # in (or the clerk was paid to process it): it stays to be processed
        held = [words for words in held if words != "mapnya"]
    return " dan ".join(held)


def _spoken(line: str) -> str:
    """The words of a citizen line, without its stage directions ("(menyerahkan map)")."""
    return re.sub(r"\s+", " ", _STAGE_DIRECTION.sub(" ", line)).strip()


_SAID_ONLY = ("gratuity_offer_", "gift_taken", "state_purpose",  # the purpose too (audit 31),
              "confused_asks_kbli", "confused_relieved_asks_kbli")  # a question asked (audit 37)
# lines that press for what the clerk left unsaid: no softened tone is voiced before them
_PRESSING = frozenset({"upset_asks_when", "upset_heard_that_before"})


def _with_side_answers(line: citizen.Line, step: visit_flow.Step, feeling: mood.MoodStep,
                       used: tuple[str, ...], values: Mapping[str, Any], seed: str
                       ) -> citizen.Line:
    """The clerk asked the citizen's name or phone number on the side ("Dengan Ibu siapa, dan
    ada yang bisa saya bantu?"): the answer comes first, unless the line already gives it."""
    if step.event == visit_flow.AFTER_END or feeling.walked_out:  # nobody at the counter to answer
        return line
    answers, answered_by_line, asked = [], False, False
    keys: list[str] = []
    for question in visit_flow.side_questions():
        said = str(values.get(question.get("skip_if_said") or "") or "")
        if step.now.get(question["fact"]) and said and said in line.text:
            answered_by_line = True  # "Nama saya Sari …": the line itself is the answer
        elif step.event in _listed(question.get("unless_event")):
            continue  # uneasy at an intrusive question: its home is not told
        elif any(step.now.get(f) for f in _listed(question.get("unless_now"))):
            continue  # the same question asked in other words: answered once
        elif step.now.get(question["fact"]) and question["answer"] != step.event and not (
                set(visit_flow.event_facts(step.event)) & set(_listed(question.get(
                    "unless_event_fact")))) and not (question.get("doing") and _done_before(
                    question["answer"], step)):
            answer = citizen.answer_line(question["answer"], values, step.known, used,
                                         feeling.mood)
            if any(_same_object(answer.text, said) for said in answers):
                continue  # its receipt's whereabouts said once, not twice in one breath
            answers.append(answer.text)
            keys.append(answer.key)
            asked = asked or not question.get("doing")  # a question, not the map handed back
    if step.last_question:  # "… Boleh saya fotokopi catatannya?": it answers in kind
        kind = "option" if step.last_option else step.last_question
        owed = citizen.choose_line(f"answers_last_{kind}", feeling.mood, used,
                                   {**values, "option": step.last_option.capitalize()},
                                   seed=seed, known=step.known)
        answers.append(owed.text)
        keys.append(owed.key)
        asked = True
    if not answers:
        return line
    if step.now.get("documents_returned") and step.event in \
            visit_flow.moot_once_documents_back():  # the map is back in its hands
        return replace(line, text=" ".join(answers), key=keys[-1])
    if asked and line.key.startswith((f"{citizen.SPARE_EVENT}#", f"{citizen.FALLBACK_EVENT}#")):
        return replace(line, text=" ".join(answers), key=keys[-1])  # answered: no stock line
    if step.event in visit_flow.side_answer_alone() and not answered_by_line and (
            asked or step.event in _NOT_UNDERSTOOD):  # it did what it was asked: understood
        # "Maaf, dengan Ibu siapa?": the name
        return replace(line, text=" ".join(answers), key=keys[-1])  # is the whole answer
    if any("(menerima tanda terima" in a for a in answers) and \
            "(menyerahkan tanda terima" in line.text:  # just handed back: not handed over again
        return replace(line, text=" ".join(answers), key=keys[-1])
    answers = [a for a in answers if not any(  # one doing said once: the line says it
        d in a and d in line.text for d in ("(menerima tanda terima", "(menyerahkan tanda terima",
                                            "amplop"))]
    if not answers:
        return line
    answers[-1] = _without_second_thanks(answers[-1], line.text)
    return replace(line, text=" ".join([*answers, _without_repeat(answers[-1], line.text)]))


def _same_object(one: str, other: str) -> bool:
    """Two side answers about the same object (audit 23: "Tanda terima saya masih di meja …
    Iya, tanda terimanya masih di Anda.")."""
    return any(word in one.lower() and word in other.lower() for word in ("tanda terima", "map"))


def _without_second_thanks(answer: str, text: str) -> str:
    """"(menerima map) Baik, terima kasih." before a line that thanks again ("Oke, jelas.
    Terima kasih penjelasannya."): only the doing is kept (audit 22)."""
    if "terima kasih" not in _spoken(answer).lower() or "terima kasih" not in text.lower():
        return answer
    doing = " ".join(_STAGE_DIRECTION.findall(answer)).strip()
    return doing or answer


# lines saying the clerk was not understood: wrong after the citizen did what it was told
_NOT_UNDERSTOOD = frozenset({"confused", "upset_confused", "fallback_any", "puzzled_keywords",
                             "press_confusion"})


def _done_before(event: str, step: visit_flow.Step) -> bool:
    """The citizen already did what the line of ``event`` does (it holds its map again: no
    second "(menerima map)")."""
    done = visit_flow.event_facts(event)
    return bool(done) and all(step.before.get(fact) for fact in done)


def _listed(value: Any) -> list[str]:
    """A YAML value that may be one name or a list of names, as a list."""
    return [value] if isinstance(value, str) else list(value or ())


def _without_repeat(said: str, text: str) -> str:
    """``text`` without an opening sentence ``said`` already ended with ("(menerima map) Baik,
    terima kasih." then "Baik, terima kasih. Saya urus dulu …")."""
    last = re.split(r"(?<=[.!?])\s+", _spoken(said))[-1].strip()
    if last and text.startswith(last) and text[len(last):].strip():
        return text[len(last):].strip()
    bare = last.rstrip(".!?")  # "Oh, iya." then "Oh, iya, ini dokumennya." (audit 43)
    if bare and text.startswith(bare + ",") and text[len(bare) + 1:].strip():
        rest = text[len(bare) + 1:].strip()
        return rest[:1].upper() + rest[1:]
    return text


_OPENING_GREETING = re.compile(r"^(?:(?:Iya|Nggih|Ya),? )?[Ss]elamat (?:pagi|siang|sore|malam)"
                               r"(?: juga)?[.!,]\s*")
_TIME_GREETING = re.compile(r"\b[Ss]elamat (?:pagi|siang|sore|malam)(?: juga)?")


def _with_salam(text: str) -> str:
    """The citizen's line answering "Assalamualaikum" / "Wassalamualaikum": its own greeting
    becomes "Waalaikumsalam", or the line opens with it."""
    if "alaikumsalam" in text.lower():
        return text
    if _TIME_GREETING.search(text):
        return _TIME_GREETING.sub("Waalaikumsalam", text, count=1)
    return f"Waalaikumsalam. {text}"


def _greeting_off(values: Mapping[str, Any], reading: Optional[Mapping[str, Any]]) -> bool:
    """The clerk greeted with another part of day than the visit's clock: the citizen answers
    with the right one, and not "… juga"."""
    said, right = (reading or {}).get("greeting"), values.get("time_greeting")
    return said in _DAY_PARTS and right in _DAY_PARTS and said != right


_HANDLED = re.compile(r"\((?:sambil )?(?:melihat|memeriksa|membaca|menerima|mengecek|mengambil|"
                      r"memegang|mencocokkan)")
_COURTESY_MARKS = frozenset({"silakan", "terima_kasih", "apology", "goodbye", "greeting",
                             "well_wish"})


def _mood_scores(scores: Optional[dict[str, Any]], reading: Optional[Mapping[str, Any]],
                 complicit: bool = False) -> Optional[dict[str, Any]]:
    """A short courteous reply with no hostility ("Silakan, Pak, sampai besok.") is no rudeness
    the citizen takes offence at, however low its politeness score for lack of substance; nor
    is talk of its own envelope, once the clerk took it, to the briber (``complicit``)."""
    if not scores or not reading:
        return scores
    kinds = {i.get("kind") for i in reading.get("incidents") or ()}
    if complicit and "integrity" in kinds and kinds <= {"integrity", "false_promise"}:
        return {**scores, "politeness": max(int(scores.get("politeness", 0)), 43)}
    if kinds or reading.get("hostility"):
        return scores
    if _COURTESY_MARKS & set(reading.get("marks") or ()):
        return {**scores, "politeness": max(int(scores.get("politeness", 0)), 40)}
    return scores


def _mood_acts(acts: Sequence[str], reading: Optional[Mapping[str, Any]]) -> list[str]:
    """The acts that can calm the citizen: a time counts only as a claim ("besok siang bisa
    diambil"), not a "hari ini" in passing ("Ibu sudah menunggu lama hari ini?")."""
    timed = any(c.get("kind") == "duration" for c in (reading or {}).get("claims") or ())
    return [a for a in acts if a != "inform_duration" or timed or reading is None]


def _without_substance(reading: Optional[Mapping[str, Any]]) -> bool:
    """Courtesy without content, English the citizen cannot follow, or a vague "mungkin minggu
    depan": nothing that could calm an upset citizen."""
    reading = reading or {}
    register = reading.get("register") or ()
    marks = set(reading.get("marks") or ())
    hedged = "hedged_duration" in marks and not {"commit_action", "promise_followup"} & marks
    if "no_content" in marks and (reading.get("need") or {}).get("status") != "met":
        return True  # "Ya gimana Bu, aturan. Eh, tim bola kita kalah lagi" (audit 42)
    return ("polite_but_empty" in marks or "english" in register  # "mungkin minggu depan.
            or (bool(reading.get("vague_time")) and (not reading.get("concrete_time")  # Atau
                                                     or hedged)))  # lusa. Entah." (audit 36)


def _mid_sentence(words: str) -> str:
    """The clerk's words as said inside the citizen's sentence: "Besok" -> "besok" ("Tadi
    katanya besok, …", audit 41); an acronym or a name of a day stays as it is."""
    first = words.split(" ", 1)[0]
    if not first or first.isupper() or first.lower() in WEEKDAY_NAMES:
        return words
    return words[:1].lower() + words[1:]


def told_claims(records: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The times and amounts the citizen heard in these turns (the latest of each kind)."""
    told: dict[str, dict[str, Any]] = {}
    for record in records:
        told.update(visit_flow.claims_of(record.get("reading")))
    return told


# the citizen's goodbyes once it has what it came for (visit_flow.yml, after_misconduct too)
_CONTENT_FAREWELLS = frozenset({"farewell", "incomplete_farewell", "farewell_uneasy"})


def served(state: VisitState) -> bool:
    """Whether the citizen's business is done: a goodbye now would end the visit with its
    farewell (the flow decides, as it would for the clerk's goodbye), not with a protest."""
    if state.stage in (visit_flow.ENDED, "opening"):
        return False
    step = visit_flow.next_step(state.stage, "goodbye", state.facts, state.scenario)
    return step.stage == visit_flow.ENDED and step.event in _CONTENT_FAREWELLS


def open_need(state: VisitState) -> Optional[str]:
    """What the citizen waits for in ``state`` (passed to the scorer as ``open_need``): once
    its business is done, the goodbye; else what the stage leaves open."""
    return "closing" if served(state) else visit_flow.open_need(state.stage)


def reply_latency(measured: Optional[float], customer_turn: Optional[str]) -> Optional[float]:
    """The latency of a reply as stored and scored: none for a reply no citizen line came
    before (the opening: the trainee was reading the scenario card, nobody was kept waiting);
    otherwise the seconds since the citizen's line (or the counter's news after it)."""
    return measured if customer_turn else None


def known_terms(records: Sequence[Mapping[str, Any]]) -> list[str]:
    """Jargon put in everyday words in earlier replies of the visit (no need to repeat it)."""
    return sorted({
        term["key"] for r in records
        for term in (r.get("reading") or {}).get("terms") or [] if term.get("plain")
    })


_OPENER = re.compile(r"^\s*(?:\([^)]*\)\s*)?(baik|iya|ya|oh|hmm|oke|nah|wah)\b[,.!]*\s*", re.I)


_POLITE_OPENER = re.compile(r"^\s*maaf\s*[,.]\s*(?:tapi\s+)?", re.I)


def _without_polite_opener(text: str) -> str:
    """"Maaf, soal biaya tadi belum jelas" said right after "(mengetuk meja) Tolong jawab!"
    reads "Soal biaya tadi belum jelas": one voice in one turn."""
    m = _POLITE_OPENER.match(text)
    return _capitalised(text[m.end():]) if m and text[m.end():].strip() else text


def _capitalised(rest: str) -> str:
    return rest[:1].upper() + rest[1:]


def _without_echo(tone: str, text: str) -> str:
    """The line without the opener the tone line already said ("Baik, terima kasih." then
    "Baik, ini tanda terimanya." reads "… Ini tanda terimanya.")."""
    first, second = _OPENER.match(tone), _OPENER.match(text)
    if not first or not second or first.group(1).lower() != second.group(1).lower():
        return text
    rest = text[second.end():]
    return _capitalised(rest) if rest.strip() else text
