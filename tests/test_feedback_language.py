"""Feedback a clerk understands, and fair signals (issue 21, parts 3 and 4).

Offline, without Rasa: the scripted visits of tests/visits/ (held-out ones included) are
played through the action server's turn function (tests/visit_play.py), and every text a
trainee reads — evidence labels and quotes, tips, the debrief — is checked against the
project's own internal vocabulary, built from its data (moves.yml, needs.yml, the visit
flows' stages, lexicon concepts, signal names, citizen events, objective ids).
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from actions import catalog, debrief, incidents, objectives, turn, visit_flow  # noqa: E402
from actions.datafiles import load_data, strings_in  # noqa: E402
from actions.scoring import score_reply  # noqa: E402
from actions.scoring.context import MOVES  # noqa: E402
from actions.scoring.lexicon import get_lexicon  # noqa: E402
from actions.scoring.tips import shown_tips  # noqa: E402
from tests.visit_play import play, scripted_visits  # noqa: E402

DATA = ROOT / "actions" / "scoring" / "data"
WORD = re.compile(r"(?<!\w)[a-z]+(?!\w)")  # a word, never a piece of a snake_case code
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
NO_REASON = "tidak ada kekurangan menonjol"
# code names that are also everyday Indonesian a clerk says (lexicon concepts, a need)
EVERYDAY = frozenset({"mohon", "tentu", "berkenan", "status"})


_strings = strings_in  # every string of a YAML tree


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def internal_codes() -> frozenset[str]:
    """Every code name of the data: clerk moves, needs, stages, cues (lexicon concepts),
    signals, citizen events, objective ids. Plain words that are also everyday Indonesian
    (the citizen says them: maaf, silakan ...) are not codes."""
    lex = get_lexicon()
    codes: set[str] = set(MOVES) | {m["move"] for m in _yaml(DATA / "moves.yml")["order"]}
    codes |= {need.name for need in lex.needs} | set(lex.concepts)
    codes |= {key.split(":")[0] for key in lex.labels}
    for path in (ROOT / "actions" / "data" / "flows").glob("*.yml"):
        flow = _yaml(path)
        codes |= set(flow.get("stages") or [])
        for per_stage in (flow.get("moves") or {}).values():
            if isinstance(per_stage, Mapping):
                codes |= {stage for stage in per_stage if stage not in ("*", "replace")}
    codes |= set(load_data("visit_flow").get("stage_needs") or {})
    codes |= set(load_data("citizen_lines").get("events") or {})
    for spec in (catalog.scenario_spec(s) for s in catalog.scenario_ids()):
        codes |= {o["id"] for o in spec.get("objectives") or []}
    everyday = set(EVERYDAY) | {word for text in _strings(load_data("citizen_lines"))
                for word in WORD.findall(text.lower())}
    everyday |= {word for text in _strings(load_data("office"))
                 for word in WORD.findall(text.lower())}
    return frozenset(code for code in codes if "_" in code or code not in everyday)


@cache
def need_phrases() -> frozenset[str]:
    """The citizen's needs as needs.yml names them ("menyerahkan dokumen"): never evidence."""
    return frozenset(n.label.lower() for n in get_lexicon().needs if " " in n.label)


def leaks(text: str, own_words: Iterable[str] = ()) -> list[str]:
    """Internal codes in ``text`` that are not words the clerk itself typed."""
    allowed = {w.lower() for w in own_words}
    lowered = re.sub(r"\{[a-z]+\}", " ", text.lower())  # a tip's placeholders
    found = [m for m in SNAKE.findall(lowered) if m not in allowed]
    found += [w for w in WORD.findall(lowered) if w in internal_codes() and w not in allowed]
    found += [p for p in need_phrases() if p in lowered and p not in " ".join(allowed)]
    return found


def _words(text: str) -> set[str]:
    return set(WORD.findall(text.lower())) | set(re.findall(r"[\w-]+", text.lower()))


def tip_texts(tips: Mapping[str, Any]) -> Iterator[str]:
    """Every tip text of tips.yml (a "missing" tip's priority and habit are settings)."""
    for value in tips.values():
        if isinstance(value, Mapping):
            for item in value.values():
                yield str(item["text"]) if isinstance(item, Mapping) else str(item)
        else:
            yield str(value)


@cache
def visits() -> list[tuple[str, str, dict[str, Any]]]:
    paths = sorted((ROOT / "tests" / "visits").glob("*.yml")) + sorted(
        (ROOT / "tests" / "visits" / "heldout").glob("*.yml"))
    out = []
    for scenario, visit in scripted_visits(paths):
        honorific = "Ibu" if visit.get("citizen") == "ibu" else "Bapak"
        out.append((scenario, str(visit.get("kind")), play(scenario, visit["turns"], honorific)))
    return out


def evidence_line(item: Mapping[str, Any]) -> str:
    """An evidence item as the trainee page shows it: its label, then its quote."""
    return f"{item.get('label') or ''} “{item.get('text') or ''}”"


# --- (a) no internal code reaches a text the trainee reads ----------------------------------
def test_the_vocabulary_is_built_from_the_data():
    codes = internal_codes()
    assert {"bribe", "docs_handed", "refuse_gratuity", "greet", "checking", "result_given",
            "terima_kasih", "need_unmet", "answer_clear", "closed_politely"} <= codes
    assert "maaf" not in codes and "silakan" not in codes  # everyday words the citizen says
    assert leaks("menjawab dengan jelas “menyerahkan dokumen”") == ["menyerahkan dokumen"]
    assert leaks("kebutuhan bribe belum need_unmet") and not leaks("menolak imbalan dengan tegas")


def test_every_label_and_tip_of_the_data_is_plain_indonesian():
    labels = _yaml(DATA / "labels.yml")
    for key, text in {**labels["labels"], **labels["moves"]}.items():
        assert text and not leaks(text), (key, text, leaks(text))
    for text in tip_texts(_yaml(DATA / "tips.yml")["tips"]):
        assert not leaks(text), (text, leaks(text))


def test_evidence_tips_and_debriefs_of_the_scripted_visits_name_no_code():
    assert len(visits()) >= 100
    for scenario, kind, result in visits():
        said = set().union(*(_words(r["reply"]) for r in result["records"]))
        for record in result["records"]:
            scores = record["scores"] or {}
            own = _words(record["reply"])
            for item in scores.get("evidence") or []:
                assert item["label"], (scenario, kind, item)
                assert not leaks(evidence_line(item), own), (scenario, kind, item)
            for tip in scores.get("tips") or []:
                assert not leaks(tip, own), (scenario, kind, tip)
        for key in ("reason", "fail_reasons", "top_tips", "deductions", "objectives"):
            for text in _strings(result[key]):
                if not SNAKE.fullmatch(text) and text not in internal_codes():  # ids, kinds
                    assert not leaks(text, said), (scenario, kind, key, text)
        for key in ("best_reply", "weakest_reply"):
            if result[key]:
                assert not leaks(result[key]["why"], said), (scenario, kind, result[key])
        text = debrief.as_text(result).replace(" ".join(r["reply"] for r in result["records"]), "")
        for line in text.splitlines():
            if line.startswith("Balasan ter"):
                line = line.split("\" — ", 1)[-1]  # the reply itself is the clerk's words
            assert not leaks(line, said), (scenario, kind, line)


def test_a_bribe_refusal_reads_as_a_refusal():
    result = score_reply("Mohon maaf, Pak, kami tidak menerima imbalan apa pun. Layanan ini "
                         "gratis dan berkas Bapak tetap kami proses 2 hari kerja.",
                         "Ini sedikit uang rokok, Pak, biar cepat.", "gratuity_offer",
                         honorific="Bapak")
    lines = [evidence_line(e) for e in result["evidence"] if e["signal"].endswith(":bribe")]
    assert lines and all("menolak imbalan" in line for line in lines)
    assert not any("uang/imbalan" in evidence_line(e) for e in result["evidence"])


def test_one_wrong_fact_is_one_reason():
    result = next(r for _, kind, r in visits() if kind == "wrong_fact"
                  and (r["weakest_reply"] or {}).get("why", "").count("keliru"))
    assert result["weakest_reply"]["why"].count("informasi keliru") == 1
    assert sum("informasi keliru" in reason for reason in result["fail_reasons"]) == 1


# --- (b) the debrief teaches what the replies were told -------------------------------------
LESSON_STARTS = incidents.lessons() + ("Sampaikan hanya ketentuan yang benar",)


def test_debrief_tips_are_the_tips_shown_under_the_replies():
    for scenario, kind, result in visits():
        shown = {tip for r in result["records"] for tip in shown_tips(r["scores"])}
        for tip in result["top_tips"]:
            assert tip in shown or tip.startswith(LESSON_STARTS), (scenario, kind, tip)
        lessons = [t for t in result["top_tips"] if t.startswith(LESSON_STARTS)]
        assert result["top_tips"][:len(lessons)] == lessons  # critical lessons lead


def _record(turn_no: int, overall: int, tips: list[str], evidence: list[dict] | None = None,
            **scores: int) -> dict[str, Any]:
    dims = {"politeness": 80, "clarity": 80, "responsiveness": 80, **scores}
    return {"turn": turn_no, "reply": f"balasan {turn_no}", "move": "greet", "reading": {},
            "scores": {**dims, "overall": overall, "tips": tips, "evidence": evidence or []}}


COURTESY_TIP = "Tambahkan kata santun seperti 'mohon', 'silakan', 'terima kasih', atau 'maaf'."
COURTEOUS = [{"signal": "courtesy", "label": "kata santun", "text": "mohon maaf", "effect": 8,
              "dimension": "politeness"}]


def test_only_the_shown_tip_counts_and_a_habit_most_replies_show_is_no_main_tip():
    records = [_record(1, 80, ["Tip A", COURTESY_TIP], COURTEOUS),
               _record(2, 60, ["Tip B", COURTESY_TIP], COURTEOUS),
               _record(3, 75, ["Tip A"], COURTEOUS),
               _record(4, 70, [COURTESY_TIP]),
               _record(5, 85, ["Tip C"], COURTEOUS)]
    tips = debrief.build("renewal_complete", records, "closed", "calm")["top_tips"]
    assert tips == ["Tip A", "Tip B", "Tip C"]  # most frequent, then the weakest reply's
    # the courtesy tip is the main lesson when the replies mostly lack courtesy
    plain = [_record(n, 70, [COURTESY_TIP]) for n in (1, 2, 3)]
    assert debrief.build("renewal_complete", plain, "closed", "calm")["top_tips"] == [
        COURTESY_TIP]


# --- (c) the weakest reply always says why --------------------------------------------------
def test_the_weakest_reply_always_says_why():
    for scenario, kind, result in visits():
        weak = result["weakest_reply"]
        if weak:
            assert weak["why"] and NO_REASON not in weak["why"], (scenario, kind, weak)
    record = _record(1, 71, ["Sampaikan langkah berikutnya."], COURTEOUS, clarity=64)
    why = debrief.build("renewal_complete", [record], "closed", "calm")["weakest_reply"]["why"]
    assert "Kejelasan (64)" in why and "Sampaikan langkah berikutnya." in why


# --- (d) reading the card is not latency ----------------------------------------------------
SPEED_TIP = "Balas lebih cepat"


def test_card_reading_before_the_first_reply_is_no_latency():
    assert turn.reply_latency(149.0, None) is None
    assert turn.reply_latency(149.0, "Selamat pagi.") == 149.0
    first = score_reply("Selamat pagi, Bapak. Ada yang bisa saya bantu?", None,
                        "renewal_complete", "greet", "Bapak", latency_seconds=149)
    assert not any(e["signal"] == "latency" for e in first["evidence"])
    assert not any(SPEED_TIP in tip for tip in first["tips"])
    # a slow answer to the citizen's line is still one (the rule is not switched off)
    later = score_reply("Baik, Bapak.", "Berapa lama prosesnya?", "renewal_complete",
                        None, "Bapak", latency_seconds=900)
    assert any(e["signal"] == "latency" for e in later["evidence"])


def test_the_action_server_measures_no_latency_for_the_first_reply():
    from actions.actions import ActionProcessTurn
    from tests.helpers import make_tracker, run_action, slot_values

    scene = [{"event": "bot", "text": "[Pukul 09.15 WIB. Seorang bapak datang.]",
              "timestamp": 851.0, "metadata": {"type": "scene"}}]
    tracker = make_tracker("Selamat pagi, Bapak. Ada yang bisa saya bantu?", "greet",
                           events=scene)
    record = slot_values(run_action(ActionProcessTurn(), tracker)[1])["turn_record"]
    assert record["customer_turn"] is None and record["latency_seconds"] is None
    assert not any(SPEED_TIP in tip for tip in record["scores"]["tips"])


# --- (e) a polite goodbye once the business is done ---------------------------------------------
SERVED = [
    "Selamat pagi, Bapak. Silakan duduk, ada yang bisa saya bantu?",
    "Baik, Pak. Boleh saya lihat KTP, NPWP, NIB, dan izin usaha yang lama?",
    "Terima kasih, Pak. Sudah saya periksa, semuanya lengkap. Prosesnya 2 hari kerja dan "
    "tidak dipungut biaya.",
    "Ini tanda terimanya, Pak. Izinnya bisa diambil di loket ini hari Jumat.",
    "Sama-sama, Pak. Terima kasih sudah datang, semoga usahanya lancar. Selamat pagi.",
]


def test_a_polite_closing_after_a_served_visit_is_responsive():
    result = play("renewal_complete", SERVED)
    goodbye = result["records"][-1]
    assert goodbye["stage_after"] == "ended" and result["passed"]
    assert goodbye["scores"]["responsiveness"] >= 70
    assert goodbye["scores"]["overall"] >= 60  # no red


def test_every_polite_farewell_of_the_scripted_visits_is_responsive():
    """A goodbye after which the citizen leaves content (its farewell), said politely to a
    line that asks nothing: never "unresponsive" (>= 70), never red."""
    farewells = 0
    for scenario, kind, result in visits():
        for record in result["records"]:
            reading = record["reading"] or {}
            if (record["visit_event"] in ("farewell", "incomplete_farewell")
                    and {"goodbye", "well_wish", "terima_kasih"} & set(reading.get("marks") or ())
                    and not reading.get("incidents") and not reading.get("hostility")
                    and "?" not in (record["customer_turn"] or "")):
                farewells += 1
                scores = record["scores"]
                assert scores["responsiveness"] >= 70 and scores["overall"] >= 60, (
                    scenario, kind, record["customer_turn"], record["reply"], scores)
    assert farewells >= 30


def test_a_goodbye_is_responsive_once_the_citizen_has_what_it_came_for():
    state = turn.VisitState(scenario="renewal_complete", stage="result_given",
                            facts={"duration_told": True, "result_complete": True})
    assert turn.served(state) and turn.open_need(state) == "closing"
    scores = score_reply("Sama-sama, Pak. Terima kasih sudah datang, selamat pagi.",
                         "Baik, saya catat waktunya. Terima kasih.", "renewal_complete",
                         None, "Bapak", open_need=turn.open_need(state))
    assert scores["responsiveness"] >= 70
    # not yet served: the citizen still waits for the result, a goodbye does not close it
    waiting = turn.VisitState(scenario="renewal_complete", stage="checking")
    assert not turn.served(waiting) and turn.open_need(waiting) == visit_flow.open_need(
        "checking")
    brushed = score_reply("Sama-sama, Pak. Terima kasih, selamat pagi.", "Saya tunggu.",
                          "renewal_complete", None, "Bapak", open_need=turn.open_need(waiting))
    assert brushed["responsiveness"] < 60
    # a goodbye that ignores the citizen's question stays weak
    asked = score_reply("Sama-sama, Pak. Terima kasih, selamat pagi.",
                        "Jadi biayanya berapa, ya?", "renewal_complete", None, "Bapak",
                        open_need=turn.open_need(state))
    assert asked["responsiveness"] < 60


# --- (f) the checklist's states -----------------------------------------------------------
def _states(items: list[dict[str, Any]]) -> dict[str, str]:
    return {o["id"]: o["state"] for o in items}


def test_the_checklist_is_pending_before_the_first_reply():
    for scenario in catalog.scenario_ids():
        items = objectives.evaluate(scenario, [], ended=False)
        assert items and all(o["state"] == "pending" and not o["met"] for o in items)
        assert all(set(o) >= {"id", "label", "met", "state", "optional", "turn"} for o in items)


def test_an_objective_is_broken_only_when_violated_or_once_the_visit_is_over():
    greeted = play("renewal_incomplete", ["Selamat pagi, Bu. Ada yang bisa saya bantu?"],
                   "Ibu")["records"]
    during = _states(objectives.evaluate("renewal_incomplete", greeted, ended=False))
    assert during["greeted"] == "met"
    assert set(during.values()) == {"met", "pending"}  # "never blame" kept so far: pending
    after = _states(objectives.evaluate("renewal_incomplete", greeted, ended=True))
    assert after["named_missing"] == "broken" and after["no_blame"] == "met"
    blamed = play("renewal_incomplete", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?",
        "Salah Ibu sendiri tidak membawa surat domisili, makanya baca dulu persyaratannya."],
        "Ibu")["records"]
    assert _states(objectives.evaluate("renewal_incomplete", blamed, ended=False))[
        "no_blame"] == "broken"
    # an apology after the solution can no longer come before it: broken mid-visit
    late = play("upset_customer", [
        "Selamat siang, Bu. Ada yang bisa saya bantu?",
        "Berkas Ibu lengkap, tinggal tanda tangan. Izinnya bisa diambil besok jam 10 di loket "
        "ini.",
        "Mohon maaf atas ketidaknyamanannya, Bu."], "Ibu")["records"]
    mid = _states(objectives.evaluate("upset_customer", late, ended=False))
    assert mid["resolved"] == "met" and mid["apologised"] == "broken"


def test_optional_objectives_are_flagged_and_said_to_be_optional():
    required = set(catalog.scenario_spec("confused_customer")["pass"]["required"])
    items = objectives.evaluate("confused_customer", [], ended=False)
    assert {o["id"] for o in items if o["optional"]} == {o["id"] for o in items} - required
    assert any(o["optional"] for o in items)
    assert not any(o["optional"] for o in objectives.evaluate("renewal_complete", []))
    result = next(r for s, _, r in visits() if s == "confused_customer")
    optional = [o for o in result["objectives"] if o["optional"]]
    assert optional and all(line.endswith("(opsional)") for line in debrief.as_text(
        result).splitlines() if any(o["label"] in line for o in optional))


# --- fail_reasons --------------------------------------------------------------------------
def test_fail_reasons_name_every_fault_of_a_failed_visit_and_none_of_a_passed_one():
    for scenario, kind, result in visits():
        reasons = result["fail_reasons"]
        assert isinstance(reasons, list)
        if result["passed"]:
            assert reasons == [], (scenario, kind)
            continue
        assert reasons and len(set(reasons)) == len(reasons), (scenario, kind)
        for reason in reasons:
            assert reason[0].isupper() and reason.endswith("."), reason
        unmet = [o for o in result["objectives"] if not o["met"] and not o["optional"]]
        assert all(any(o["label"] in r for r in reasons) for o in unmet), (scenario, kind)
    walked = debrief.build("renewal_complete", [_record(1, 40, [])], "walked_out", "angry")
    assert any("meninggalkan loket" in r for r in walked["fail_reasons"])
    assert any("di bawah batas lulus" in r for r in walked["fail_reasons"])
    assert debrief.build("renewal_complete", [], "abandoned", "calm")["fail_reasons"][0] == (
        "Latihan ditinggalkan sebelum selesai.")


@pytest.mark.parametrize("kind", ["fail_wrong_fact", "fail_soft_solicitation"])
def test_a_breach_and_a_wrong_fact_are_each_a_fail_reason(kind):
    result = next(r for _, k, r in visits() if k == kind)
    assert not result["passed"] and result["fail_reasons"]
    first = result["fail_reasons"][0]
    assert "balasan ke-" in first and ("keliru" in first or "imbalan" in first.lower())
