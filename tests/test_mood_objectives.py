"""Mood transitions, objectives and the debrief (pure functions over data files)."""

from __future__ import annotations

import pytest

from actions import catalog, debrief, mood, objectives

GOOD = {"politeness": 85, "clarity": 75, "responsiveness": 80, "overall": 80}
RUDE = {"politeness": 20, "clarity": 50, "responsiveness": 40, "overall": 35}


@pytest.mark.parametrize(
    "before,move,scores,stage,after,change",
    [
        ("calm", "ask_documents", GOOD, "documents_handed", "calm", mood.UNCHANGED),
        ("calm", "ask_documents", RUDE, "documents_handed", "annoyed", mood.ESCALATED),
        ("annoyed", "dismiss", GOOD, "opening", "angry", mood.ESCALATED),
        # an angry citizen is calmed only by an apology with something concrete behind it
        ("angry", "apologize", GOOD, "opening", "angry", mood.UNCHANGED),
        ("angry", ["apologize", "check_documents"], GOOD, "opening", "annoyed", mood.DEESCALATED),
        ("annoyed", "empathize", GOOD, "opening", "calm", mood.DEESCALATED),
        ("angry", "apologize", RUDE, "opening", "angry", mood.ESCALATED),
        ("annoyed", "inform_duration", GOOD, "result_given", "calm", mood.DEESCALATED),
        ("calm", "goodbye", GOOD, "ended", "satisfied", mood.SATISFIED),
        ("satisfied", "dismiss", None, "ended", "calm", mood.ESCALATED),  # one step per turn
        ("calm", "greet", None, "purpose_stated", "calm", mood.UNCHANGED),
    ],
)
def test_mood_follows_the_clerk(before, move, scores, stage, after, change):
    step = mood.next_mood(before, move, scores, stage)
    assert (step.mood, step.change) == (after, change)


def test_an_angry_citizen_walks_out_after_repeated_rudeness():
    first = mood.next_mood("angry", "dismiss", RUDE, "opening", 0)
    assert first.change == mood.ESCALATED and first.angry_strikes == 1
    second = mood.next_mood("angry", "dismiss", RUDE, "opening", first.angry_strikes)
    assert second.walked_out


def test_mood_is_deterministic():
    runs = {mood.next_mood("annoyed", "dismiss", RUDE, "opening") for _ in range(5)}
    assert len(runs) == 1


SPEC = {
    "objectives": [
        {"id": "greeted", "label": "Menyapa", "any_turn": {"acts": ["greet"]}},
        {"id": "apologised", "label": "Meminta maaf", "any_turn": {"marks": ["apology"]},
         "before": "solved"},
        {"id": "solved", "label": "Memberi solusi",
         "any_turn": {"marks": ["duration_fact"], "min_score": {"responsiveness": 60}}},
        {"id": "no_blame", "label": "Tidak menyalahkan", "no_turn": {"hostility": ["blame"]}},
    ],
    "pass": {"required": ["greeted", "apologised", "solved", "no_blame"], "min_overall": 60},
}


def read(reply: str, scenario: str = "renewal_complete", customer: str | None = None,
         move: str | None = None) -> dict:
    """The reading of a reply (NLU's ``move`` given), as the scorer stores it in the record."""
    from actions.scoring import score_reply

    return score_reply(reply, customer, scenario, move, "Bapak")["reading"]


def turn(n, move, reply, scores=GOOD, scenario="renewal_complete", customer=None, stage=None):
    return {"turn": n, "move": move, "reply": reply, "stage_after": stage,
            "reading": read(reply, scenario, customer, move),
            "scores": {**scores, "tips": ["Tip A"], "evidence": []}}


@pytest.fixture
def spec(monkeypatch):
    monkeypatch.setattr(catalog, "scenario_spec", lambda scenario: SPEC)


def test_objectives_in_order_are_met(spec):
    records = [turn(1, "greet", "Selamat pagi Pak"), turn(2, "apologize", "Mohon maaf Pak"),
               turn(3, "inform_duration", "Selesai 2 hari kerja")]
    result = {o["id"]: o for o in objectives.evaluate("x", records)}
    assert all(o["met"] for o in result.values())
    assert result["apologised"]["turn"] == 2


def test_apology_after_the_solution_does_not_count(spec):
    records = [turn(1, "greet", "Pagi"), turn(2, "inform_duration", "2 hari kerja"),
               turn(3, "apologize", "maaf ya")]
    result = {o["id"]: o["met"] for o in objectives.evaluate("x", records)}
    assert result["apologised"] is False and result["solved"] is True


def test_blame_fails_the_no_turn_objective_and_the_visit(spec):
    records = [turn(1, "greet", "Pagi"), turn(2, "apologize", "maaf, tapi salah bapak sendiri"),
               turn(3, "inform_duration", "2 hari kerja")]
    result = debrief.build("x", records, "closed", "calm")
    assert result["passed"] is False
    assert "Tidak menyalahkan" in result["reason"]


def test_debrief_of_a_good_visit(spec):
    records = [turn(1, "greet", "Selamat pagi Pak"), turn(2, "apologize", "Mohon maaf Pak"),
               turn(3, "inform_duration", "Selesai 2 hari kerja", RUDE | {"responsiveness": 90})]
    result = debrief.build("x", records, "closed", "satisfied")
    assert result["passed"] is True
    assert result["weakest_reply"]["turn"] == 3
    assert result["top_tips"] == ["Tip A"]
    text = debrief.as_text(result)
    assert "LULUS" in text and "[x] Menyapa" in text


def test_the_visit_score_counts_what_was_left_undone(spec):
    records = [turn(1, "greet", "Selamat pagi Pak"), turn(2, "inform_duration", "Pagi juga.")]
    result = debrief.build("x", records, "closed", "calm")
    assert result["reply_overall"] == 80
    assert result["averages"]["overall"] == 80 - 8 * 2  # apologised and solved are unmet


def test_walking_out_fails_whatever_the_objectives(spec):
    records = [turn(1, "greet", "Pagi"), turn(2, "apologize", "maaf"),
               turn(3, "inform_duration", "2 hari")]
    result = debrief.build("x", records, "walked_out", "angry")
    assert result["passed"] is False and "meninggalkan" in result["reason"]


def _objective(scenario: str, objective_id: str) -> dict:
    spec = catalog.scenario_spec(scenario)
    return next(o for o in spec["objectives"] if o["id"] == objective_id)


def test_a_matcher_list_matches_any_alternative_and_min_turn_holds():
    matcher = [{"acts": ["goodbye"]}, {"marks": ["terima_kasih"], "min_turn": 3}]
    assert objectives.turn_matches({"move": "goodbye", "turn": 1,
                                    "reading": read("dah", move="goodbye")}, matcher)
    thanks = read("Terima kasih, Pak.")
    assert objectives.turn_matches({"move": "apologize", "turn": 3, "reading": thanks}, matcher)
    assert not objectives.turn_matches({"move": "greet", "turn": 2, "reading": thanks}, matcher)


@pytest.mark.parametrize("reply, is_blame", [
    ("Seharusnya Bapak membawa surat itu dari awal.", True),
    ("harusnya ibu baca dulu persyaratannya", True),
    ("bapak sih gak baca persyaratannya", True),
    ("Makanya lain kali dicek dulu, Bu.", True),
    ("Mohon maaf, seharusnya Bapak tidak perlu datang dua kali.", False),
    ("Seharusnya Ibu tidak usah menunggu selama itu, maaf.", False),
    ("Ini bukan salah Bapak, memang informasinya belum jelas.", False),
])
def test_blame_is_not_an_apology_for_the_citizen_s_trouble(reply, is_blame):
    calm = _objective("upset_customer", "stayed_calm")["no_turn"]
    record = {"reply": reply, "reading": read(reply, "upset_customer")}
    assert objectives.turn_matches(record, calm) is is_blame


def test_a_closing_counts_only_at_the_end_of_the_service():
    closing = _objective("upset_customer", "closed_politely")["any_turn"]
    text = "Sekali lagi mohon maaf, Pak. Terima kasih atas kesabarannya, selamat pagi."
    good = {"move": "apologize", "turn": 7, "scores": {"politeness": 85},
            "reading": read(text, "upset_customer"), "stage_after": "ended"}
    assert objectives.turn_matches(good, closing)
    early = {**good, "stage_after": "documents_handed", "turn": 3,
             "reading": read("Silakan Ibu serahkan berkasnya, terima kasih.")}
    assert not objectives.turn_matches(early, closing)
    assert objectives.turn_matches(early, closing, last=True)  # ... unless it ends the visit
    rude = {**good, "scores": {"politeness": 40}}
    assert not objectives.turn_matches(rude, closing)


def test_objectives_read_negation_and_keywords():
    next_step = _objective("renewal_incomplete", "next_step")["any_turn"]
    refused = _objective("gratuity_offer", "refused_politely")["any_turn"]
    offer = "Ini ada sedikit uang rokok, biar cepat ya."
    polite = {"politeness": 80}
    for reply, matcher, met, scenario in [
        ("ini kurang pak, gak bisa diproses", next_step, False, "renewal_incomplete"),
        ("Setelah suratnya ada, silakan dibawa kembali ke loket ini.", next_step, True,
         "renewal_incomplete"),
        ("Mohon maaf, Pak, amplopnya tidak bisa saya terima, silakan disimpan kembali.",
         refused, True, "gratuity_offer"),
        ("Wah, terima kasih Pak, saya terima ya, nanti saya percepat.", refused, False,
         "gratuity_offer"),
    ]:
        record = {"reply": reply, "scores": polite, "reading": read(reply, scenario, offer)}
        assert objectives.turn_matches(record, matcher) is met, reply
    keywords = "2 hari kerja gratis tanda terima mohon maaf terima kasih Bapak"
    timeline = _objective("renewal_complete", "gave_timeline")["any_turn"]
    assert not objectives.turn_matches({"reading": read(keywords)}, timeline)


def test_helping_to_register_is_a_next_step_for_the_confused_citizen():
    next_step = _objective("confused_customer", "next_step")["any_turn"]
    reply = "Kalau Ibu mau, saya bantu daftarkan di komputer loket ini. Ibu cukup bawa KTP."
    assert objectives.turn_matches({"reading": read(reply, "confused_customer")}, next_step)
    plain = {"reading": read("NIB itu nomor induk usaha Ibu.", "confused_customer")}
    assert not objectives.turn_matches(plain, next_step)


def test_an_acronym_expansion_is_not_a_plain_explanation():
    oss = _objective("confused_customer", "explained_oss")["any_turn"]
    asked = "OSS itu apa ya, Pak?"
    expansion = read("OSS itu Online Single Submission, Bu.", "confused_customer", asked)
    plain = read("OSS itu situs pemerintah untuk mengurus izin usaha lewat internet, Bu.",
                 "confused_customer", asked)
    assert not objectives.turn_matches({"reading": expansion}, oss)
    assert objectives.turn_matches({"reading": plain}, oss)
