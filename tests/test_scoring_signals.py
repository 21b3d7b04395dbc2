"""Unit tests for the individual scoring signals of actions.scoring.

Each test compares two replies that differ in one respect (or checks the named
evidence item), so it fails if that signal is removed or stops working.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from actions.scoring import SCORER_VERSION, score_reply  # noqa: E402

DOCS = "Sudah, ini dokumen-dokumennya."
DURATION_Q = "Berapa lama prosesnya?"
BRIBE = "Ini sedikit uang rokok, Pak, biar cepat selesai ya."
ANGRY = "Saya sudah dua kali ke sini dan berkas saya belum juga selesai! Bagaimana ini?"
CONFUSED = "NIB itu apa ya? Saya tidak paham OSS itu apa."
CLOSING = "Tidak, itu saja. Terima kasih atas bantuannya."


def signals(result: dict, dimension: str | None = None) -> set:
    return {
        e["signal"] for e in result["evidence"] if dimension is None or e["dimension"] == dimension
    }


def evidence(result: dict, signal: str, dimension: str | None = None) -> dict:
    for e in result["evidence"]:
        if e["signal"] == signal and (dimension is None or e["dimension"] == dimension):
            return e
    raise AssertionError(f"no {signal!r} in {result['evidence']}")


# ---- contract ---------------------------------------------------------------
def test_result_contract_is_plain_json():
    r = score_reply(
        "Baik, Bapak. Prosesnya 2 hari kerja.",
        DURATION_Q,
        "renewal_complete",
        None,
        "Bapak",
        12.0,
        9,
    )
    assert set(r) == {
        "politeness",
        "clarity",
        "responsiveness",
        "overall",
        "evidence",
        "tips",
        "move",
        "version",
        "reading",
    }
    for dim in ("politeness", "clarity", "responsiveness", "overall"):
        assert isinstance(r[dim], int) and 0 <= r[dim] <= 100
    assert r["version"] == SCORER_VERSION and SCORER_VERSION
    assert (
        isinstance(r["tips"], list)
        and len(r["tips"]) <= 3
        and all(isinstance(t, str) for t in r["tips"])
    )
    for e in r["evidence"]:
        assert set(e) == {"dimension", "signal", "label", "text", "effect"}
        assert isinstance(e["effect"], int) and e["label"] and ":" not in e["label"]
    json.dumps(r, ensure_ascii=False)


def test_move_is_echoed_or_inferred():
    assert score_reply("Baik.", move="ask_wait")["move"] == "ask_wait"
    refused = score_reply("Mohon maaf, Pak, kami tidak menerima uang. Layanan ini gratis.", BRIBE)
    assert refused["move"] == "refuse_gratuity"
    assert score_reply("Baik.", move="not_a_move")["move"] != "not_a_move"


# ---- politeness ---------------------------------------------------------------
def test_honorific_rewarded():
    with_h = score_reply("Baik, Bapak, prosesnya dua hari kerja.")
    without = score_reply("Baik, prosesnya dua hari kerja.")
    assert "honorific" in signals(with_h, "politeness")
    assert with_h["politeness"] > without["politeness"]


def test_honorific_wrong_gender_is_an_error():
    reply = "Baik, Pak, mohon ditunggu sebentar."
    wrong = score_reply(reply, honorific="Ibu")
    right = score_reply(reply, honorific="Bapak")
    either = score_reply(reply)
    assert evidence(wrong, "honorific_wrong")["effect"] < 0
    assert wrong["politeness"] < right["politeness"] == either["politeness"]
    assert any("Ibu" in t for t in wrong["tips"])


def test_rude_pronoun_penalised_but_anda_is_acceptable():
    kamu = score_reply("Kamu sudah bawa dokumennya?")
    anda = score_reply("Anda sudah bawa dokumennya?")
    bapak = score_reply("Bapak sudah bawa dokumennya?")
    assert "rude_you" in signals(kamu)
    assert kamu["politeness"] < anda["politeness"] < bapak["politeness"]


def test_di_situ_is_a_place_not_a_rude_pronoun():
    assert "rude_you" not in signals(score_reply("Silakan duduk di situ, Bapak."))


def test_greeting_fits_time_of_day():
    morning_ok = score_reply("Selamat pagi, Ibu.", hour=9)
    morning_wrong = score_reply("Selamat malam, Ibu.", hour=9)
    no_hour = score_reply("Selamat malam, Ibu.")
    assert "greeting" in signals(morning_ok)
    assert "greeting_wrong_time" in signals(morning_wrong)
    assert "greeting_wrong_time" not in signals(no_hour)
    assert morning_wrong["politeness"] < morning_ok["politeness"]


def test_courtesy_markers_rewarded():
    polite = score_reply("Mohon maaf, dokumennya masih kurang NPWP. Terima kasih.")
    plain = score_reply("Dokumennya masih kurang NPWP.")
    assert "courtesy" in signals(polite)
    assert polite["politeness"] > plain["politeness"] + 8


def test_slang_register_lowers_politeness():
    slang = score_reply("Udah lengkap kok, tinggal tunggu aja ya Pak.")
    formal = score_reply("Sudah lengkap, tinggal menunggu saja ya Pak.")
    assert "slang" in signals(slang, "politeness")
    assert slang["politeness"] < formal["politeness"]


def test_bare_command_vs_softened():
    bare = score_reply("Tunggu di kursi itu.")
    soft = score_reply("Mohon tunggu di kursi itu.")
    assert "bare_command" in signals(bare)
    assert "bare_command" not in signals(soft)
    assert bare["politeness"] < soft["politeness"]


def test_jangan_ragu_is_warm_not_a_command():
    assert "bare_command" not in signals(score_reply("Jangan ragu menghubungi kami, Bapak."))


def test_blaming_the_citizen():
    blame = score_reply(
        "Salah Bapak sendiri tidak membawa NPWP.", "Oh, NPWP saya ketinggalan di rumah."
    )
    neutral = score_reply("Bapak belum membawa NPWP.", "Oh, NPWP saya ketinggalan di rumah.")
    assert evidence(blame, "blame", "politeness")["effect"] < 0
    assert blame["politeness"] < neutral["politeness"] - 10


@pytest.mark.parametrize("reply, blames", [
    ("Seharusnya Bapak membawa surat itu dari awal.", True),
    ("Ibu seharusnya membaca persyaratannya dulu.", True),
    ("Mohon maaf, seharusnya Bapak tidak perlu datang dua kali.", False),  # an apology
])
def test_seharusnya_blames_unless_it_regrets_the_citizen_s_trouble(reply, blames):
    assert ("blame" in signals(score_reply(reply), "politeness")) is blames


def test_insult_and_sarcasm():
    insult = score_reply("Dasar bodoh, begitu saja repot.")
    sarcasm = score_reply("Masa gitu aja nggak ngerti, Pak?")
    assert "insult" in signals(insult)
    assert "sarcasm" in signals(sarcasm)
    assert insult["politeness"] < 30 and sarcasm["politeness"] < 45


def test_tautology_answer_is_mockery():
    r = score_reply("NIB ya NIB.", CONFUSED, "confused_customer")
    assert "sarcasm" in signals(r)


def test_shouting_caps_and_exclamations():
    loud = score_reply("JANGAN MARAH-MARAH DI SINI, PAK!!!")
    calm = score_reply("Mohon tenang, Pak, saya bantu di sini.")
    assert "shouting" in signals(loud) and "exclamations" in signals(loud)
    assert loud["politeness"] < calm["politeness"] - 30
    # acronyms in capitals are not shouting
    assert "shouting" not in signals(score_reply("Silakan bawa KTP, NPWP dan NIB, Bapak."))


# ---- clarity --------------------------------------------------------------------
def test_jargon_unexplained_vs_explained():
    raw = score_reply("Silakan daftar NIB di OSS, Bapak.")
    explained = score_reply(
        "Silakan daftar NIB (Nomor Induk Berusaha) di OSS, yaitu sistem perizinan online, Bapak."
    )
    assert {e["text"] for e in raw["evidence"] if e["signal"] == "jargon_unexplained"} >= {
        "NIB",
        "OSS",
    }
    assert "jargon_unexplained" not in signals(explained)
    assert "jargon_explained" in signals(explained)
    assert explained["clarity"] > raw["clarity"] + 15


def test_jargon_explained_with_yaitu_and_rewarded_more_when_confused():
    reply = "NIB, yaitu nomor induk berusaha, adalah nomor identitas usaha Bapak."
    plain = score_reply(reply)
    confused = score_reply(reply, CONFUSED, "confused_customer")
    assert (
        evidence(plain, "jargon_explained")["effect"]
        < evidence(confused, "jargon_explained")["effect"]
    )


def test_jargon_penalised_more_for_confused_citizen():
    reply = "Nanti diverifikasi teknis dulu lalu didisposisi sesuai SOP."
    normal = score_reply(reply)
    confused = score_reply(reply, scenario="confused_customer")
    assert confused["clarity"] < normal["clarity"]


def test_concrete_facts_raise_clarity():
    concrete = score_reply("Prosesnya 2 hari kerja, izinnya diambil di loket 3, biayanya gratis.")
    vague = score_reply("Prosesnya tergantung, nanti lihat saja.")
    assert {"concrete_time", "concrete_place", "concrete_cost"} <= signals(concrete, "clarity")
    assert "vague" in signals(vague, "clarity")
    assert concrete["clarity"] > vague["clarity"] + 20  # blended with the learned half


def test_documents_named():
    r = score_reply("Syaratnya KTP, NPWP, dan izin usaha yang lama.")
    assert "concrete_documents" in signals(r)


def test_fragment_and_thin_answers():
    frag = score_reply(
        "Tunggu.", "Saya ingin mengurus perpanjangan izin usaha, apakah bisa dibantu?"
    )
    thin = score_reply("Ada banyak, Pak.", "Syaratnya apa saja ya?")
    assert "fragment" in signals(frag, "clarity")
    assert "thin_answer" in signals(thin, "clarity")
    # a short but concrete answer is not a fragment
    assert "fragment" not in signals(score_reply("Gratis, Pak.", "Apakah ada biayanya?"))


def test_run_on_sentence():
    long = " ".join(["dokumen bapak akan kami periksa dan kami teruskan ke bagian teknis"] * 6)
    assert "run_on" in signals(score_reply(long), "clarity")


def test_chat_abbreviations():
    r = score_reply("sy cek dl yg bpk bawa")
    assert "abbreviation" in signals(r, "clarity")


# ---- responsiveness ------------------------------------------------------------
def test_duration_question_needs_a_duration():
    answered = score_reply("Prosesnya dua hari kerja, Bapak.", DURATION_Q)
    dodged = score_reply("Silakan duduk dulu, Bapak.", DURATION_Q)
    assert "need_met:duration" in signals(answered)
    assert "need_unmet:duration" in signals(dodged)
    assert answered["responsiveness"] > dodged["responsiveness"] + 25


def test_cost_question_needs_a_cost():
    met = score_reply("Tidak ada biaya, Ibu, layanan ini gratis.", "Apakah ada biayanya, Bu?")
    partial = score_reply("Untuk biayanya nanti dihitung, Ibu.", "Apakah ada biayanya, Bu?")
    assert "need_met:cost" in signals(met)
    assert met["responsiveness"] > partial["responsiveness"]


def test_list_question_needs_at_least_two_documents():
    two = score_reply("KTP dan NPWP, Pak.", "Syaratnya apa saja ya?")
    one = score_reply("KTP, Pak.", "Syaratnya apa saja ya?")
    assert "need_met:list" in signals(two)
    assert "need_met:list" not in signals(one)


def test_bribe_refused_vs_accepted_vs_ignored():
    refused = score_reply(
        "Terima kasih, Pak, tetapi kami tidak boleh menerima uang. Layanan ini gratis.", BRIBE
    )
    accepted = score_reply("Wah, boleh juga. Taruh di laci saja, nanti saya dahulukan.", BRIBE)
    ignored = score_reply("Baik, Pak, prosesnya dua hari kerja.", BRIBE)
    assert "need_met:bribe" in signals(refused)
    assert evidence(accepted, "bribe_accepted", "responsiveness")["effect"] <= -30
    assert "need_unmet:bribe" in signals(ignored)
    assert refused["responsiveness"] > ignored["responsiveness"] > accepted["responsiveness"]


def test_refuse_gratuity_move_counts_when_words_are_thin():
    thin = "Jangan begitu, Pak."
    with_move = score_reply(thin, BRIBE, move="refuse_gratuity")
    without = score_reply(thin, BRIBE)
    assert with_move["responsiveness"] > without["responsiveness"]


def test_complaint_needs_apology_and_action():
    both = score_reply(
        "Mohon maaf atas ketidaknyamanannya, Bapak. Saya cek status berkas Bapak sekarang juga.",
        ANGRY,
    )
    apology_only = score_reply("Mohon maaf, Bapak.", ANGRY)
    assert "need_met:complaint" in signals(both)
    assert both["responsiveness"] > apology_only["responsiveness"] + 15


def test_documents_handed_over_met_with_thanks_and_checking():
    good = score_reply("Terima kasih, Pak, izinkan saya memeriksa dokumennya.", DOCS)
    bad = score_reply("Ya.", DOCS)
    assert "need_met:docs_handed" in signals(good)
    assert good["responsiveness"] > bad["responsiveness"] + 25


def test_confusion_met_with_plain_explanation():
    plain = score_reply(
        "NIB itu Nomor Induk Berusaha, semacam nomor identitas usaha Bapak. OSS adalah sistem "
        "online untuk mengurus izin.",
        CONFUSED,
        "confused_customer",
    )
    jargon = score_reply(
        "NIB didapat dari OSS RBA sesuai PP 5 tahun 2021.", CONFUSED, "confused_customer"
    )
    assert "need_met:confusion" in signals(plain)
    assert (
        plain["responsiveness"] > jargon["responsiveness"]
        and plain["clarity"] > jargon["clarity"] + 25
    )


def test_closing_met_with_thanks_and_receipt():
    warm = score_reply(
        "Sama-sama, Bapak. Ini tanda terimanya, semoga harinya menyenangkan.", CLOSING
    )
    cold = score_reply("Oke.", CLOSING)
    assert "need_met:closing" in signals(warm)
    assert warm["responsiveness"] > cold["responsiveness"] + 20


def test_opening_greeting_offers_help():
    r = score_reply("Selamat pagi, Bapak. Ada yang bisa kami bantu?", move="greet")
    assert "need_met:opening" in signals(r) and "offer_help" in signals(r)


def test_deflection_punished():
    r = score_reply(
        "Itu bukan urusan saya, tanya loket lain saja.",
        "Bagaimana caranya kalau izin lama saya sudah kedaluwarsa?",
    )
    assert evidence(r, "deflection", "responsiveness")["effect"] <= -20
    assert r["responsiveness"] < 30  # the learned half moves it a point or two as it is refitted
    assert any("melempar" in t for t in r["tips"])


def test_dont_know_without_and_with_follow_up():
    bare = score_reply("Saya tidak tahu, Pak.", DURATION_Q)
    follow = score_reply(
        "Saya belum tahu, Pak, tapi saya tanyakan dulu ke bagian teknis dan saya kabari hari ini.",
        DURATION_Q,
    )
    assert "dont_know" in signals(bare) and "dont_know" not in signals(follow)
    assert follow["responsiveness"] > bare["responsiveness"] + 20


def test_informal_spelling_is_normalised():
    # "gak tau" is normalised to "tidak tahu" before matching
    assert "dont_know" in signals(score_reply("Saya gak tau, Pak.", DURATION_Q))


def test_lemmas_recognise_inflected_forms():
    # "diteliti" / "dilampirkan" are not in the regex lists; their lemmas (teliti, lampir) are
    checked = score_reply("Terima kasih, Bu, berkasnya sedang diteliti.", DOCS)
    assert "need_met:docs_handed" in signals(checked)
    solved = score_reply(
        "Tidak apa-apa, Pak, NPWP-nya bisa dilampirkan besok.", "Oh, NPWP saya ketinggalan."
    )
    assert "need_met:problem" in signals(solved)


def test_next_step_and_proactive_information():
    with_step = score_reply(
        "Dokumennya sudah lengkap, Bapak. Selanjutnya izin bisa diambil di loket 3.", DOCS
    )
    without = score_reply("Dokumennya sudah lengkap, Bapak.", DOCS)
    assert "next_step" in signals(with_step)
    assert with_step["responsiveness"] > without["responsiveness"]
    assert "proactive" in signals(score_reply("Terima kasih, Pak, prosesnya 2 hari kerja.", DOCS))


def test_latency_counted_gently():
    base = score_reply("Prosesnya dua hari kerja, Bapak.", DURATION_Q)
    quick = score_reply("Prosesnya dua hari kerja, Bapak.", DURATION_Q, latency_seconds=60)
    slow = score_reply("Prosesnya dua hari kerja, Bapak.", DURATION_Q, latency_seconds=300)
    very_slow = score_reply("Prosesnya dua hari kerja, Bapak.", DURATION_Q, latency_seconds=36000)
    assert quick["responsiveness"] == base["responsiveness"]
    assert slow["responsiveness"] < base["responsiveness"]
    assert base["responsiveness"] - very_slow["responsiveness"] <= 10
    assert "latency" in signals(slow)


def test_dismiss_move_from_nlu_penalised():
    reply = "Nanti saja ya."
    assert (
        score_reply(reply, move="dismiss")["responsiveness"]
        < score_reply(reply, move="ask_wait")["responsiveness"]
    )


# ---- tips -------------------------------------------------------------------------
def test_tips_are_indonesian_and_target_the_biggest_problem():
    r = score_reply("Bukan urusan saya.", DURATION_Q)
    assert 1 <= len(r["tips"]) <= 3
    assert "Jangan melempar" in r["tips"][0]
    good = score_reply(
        "Terima kasih, Bapak. Prosesnya dua hari kerja, selanjutnya izin bisa diambil di loket 3.",
        DURATION_Q,
    )
    assert len(good["tips"]) <= 3


# ---- robustness ---------------------------------------------------------------------
@pytest.mark.parametrize("reply", ["", "   ", "\n\t", None])
def test_empty_reply_scores_low_with_explanation(reply):
    r = score_reply(reply)  # type: ignore[arg-type]
    assert r["politeness"] <= 20 and r["clarity"] <= 10 and r["responsiveness"] <= 10
    assert r["evidence"][0]["signal"] == "empty_reply"
    assert r["tips"]


def test_emoji_only():
    r = score_reply("😊🙏👍")
    assert r["evidence"][0]["signal"] == "no_words"
    assert r["clarity"] <= 20


def test_emoji_inside_a_reply_is_fine():
    r = score_reply("Terima kasih, Pak 🙏 Saya periksa dulu ya.", DOCS)
    assert r["politeness"] >= 70


def test_html_is_stripped():
    r = score_reply(
        "<p>Selamat pagi, <b>Bapak</b>.</p><script>alert(1)</script> Ada yang bisa kami bantu?"
    )
    assert "html_removed" in signals(r)
    assert "honorific" in signals(r)


def test_control_characters_removed():
    r = score_reply("Mohon\x00 ditunggu\x07 sebentar, Bapak.\x1b")
    assert "control_chars_removed" in signals(r)
    assert "courtesy" in signals(r)


def test_very_long_input_is_capped_and_fast():
    reply = "Mohon ditunggu sebentar, Bapak. " * 3200  # ~100k characters
    t0 = time.perf_counter()
    r = score_reply(reply, DURATION_Q)
    assert time.perf_counter() - t0 < 2.0
    assert "truncated" in signals(r)
    assert 0 <= r["overall"] <= 100


def test_other_language_and_gibberish():
    english = score_reply("Please wait here, your documents will be ready in two days.")
    gibberish = score_reply("asdfgh qwrtyp zxcvb")
    assert "foreign_language" in signals(english)
    assert "gibberish" in signals(gibberish)
    assert gibberish["clarity"] < 35


@pytest.mark.parametrize(
    "kwargs",
    [
        {
            "customer_turn": 123,
            "scenario": ["x"],
            "move": 5,
            "honorific": 1,
            "latency_seconds": "abc",
            "hour": "noon",
        },
        {"latency_seconds": float("nan"), "hour": -3},
        {"latency_seconds": float("inf"), "hour": 99},
        {"scenario": "unknown_scenario", "honorific": "Saudara"},
        {"customer_turn": "\x00" * 50 + "<div>" * 100},
    ],
)
def test_weird_arguments_never_raise(kwargs):
    r = score_reply("Baik, Bapak, mohon ditunggu sebentar.", **kwargs)
    assert 0 <= r["overall"] <= 100


@pytest.mark.parametrize(
    "reply",
    [
        "\u202e\u200b",
        "(((((",
        "a" * 5000,
        "ا" * 300 + " 中文 " * 100,
        "NIB" * 1000,
        "?!" * 2000,
        "- - - -",
        "12345",
        "Rp" * 999,
    ],
)
def test_odd_replies_never_raise(reply):
    r = score_reply(reply, CONFUSED, "confused_customer")
    json.dumps(r, ensure_ascii=False)
    assert 0 <= r["overall"] <= 100


def test_nothing_a_trainee_or_trainer_reads_carries_an_internal_code():
    """Evidence labels and texts, tips and move names are Indonesian, never signal/move ids."""
    import json
    from pathlib import Path

    from actions.catalog import move_label
    from actions.scoring.context import MOVES

    codes = set(MOVES) | {"need_met", "need_partial", "need_unmet"}
    assert all(move_label(m) != "tidak dikenali" for m in MOVES if m != "nlu_fallback")
    dev = Path(__file__).resolve().parent / "scoring" / "dev_set.jsonl"
    for line in dev.read_text(encoding="utf-8").splitlines()[:200]:
        d = json.loads(line)
        r = score_reply(d["reply"], d.get("customer_turn"), d.get("scenario"), d.get("move"),
                        d.get("honorific"), None, d.get("hour"))
        for e in r["evidence"]:
            assert e["label"] and "_" not in e["label"] and ":" not in e["label"], e
            assert not any(code in e["text"].split() for code in codes), e
        for tip in r["tips"]:
            assert "_" not in tip and not any(code in tip for code in codes), tip


@pytest.mark.parametrize("text, dismissal", [
    ("Sekali lagi mohon maaf, Bapak. Terima kasih atas kesabarannya. Sampai bertemu besok.",
     False),
    ("Sorry ya Kak, itu bukan jobdesk saya. Thanks, next!", True),
    ("Mohon maaf, Pak, itu bukan urusan saya. Silakan tanya yang lain saja.", True),
    # fresh trainings called these dismissals (0.41-0.57): nothing dismissive in them
    ("Boleh saya catat nomor telepon Bapak? Nama saya Rina, Bapak bisa langsung mencari saya "
     "besok di loket 3.", False),
    ("Saya pastikan, Pak. Kalau sampai ada kendala, saya telepon Bapak besok sebelum pukul 9.",
     False),
    ("Udah, sana. Berikutnya!", True),
    ("Ya itu risiko Bapak sendiri, siapa suruh datang sebelum dikabari.", True),
])
def test_nlus_dismissal_of_a_courteous_reply_is_overruled_only_when_it_does_something(
        text, dismissal):
    result = score_reply(text, None, "upset_customer", "dismiss", "Bapak")
    assert ("dismiss" in result["reading"]["acts"]) is dismissal, result["reading"]["acts"]


def test_no_turn_of_a_good_scripted_visit_is_a_dismissal_on_nlus_word_alone():
    """Live CI failed an excellent visit when a retrained NLU guessed "dismiss" (0.4-0.7) for a
    greeting, a closing or a commitment: whatever NLU guesses, a turn the reading finds doing
    something, with nothing dismissive in it, is scored as if NLU had said nothing."""
    from tests.visit_play import scripted_visits

    checked = 0
    for scenario, visit in scripted_visits():
        if not visit["expect"]["passes"]:
            continue
        for text in visit["turns"]:
            plain = score_reply(text, None, scenario, None, visit.get("citizen"))
            if not set(plain["reading"]["acts"]) - {"dismiss"}:
                continue
            guessed = score_reply(text, None, scenario, "dismiss", visit.get("citizen"))
            assert "dismiss" not in guessed["reading"]["acts"], (scenario, text)
            assert guessed["overall"] == plain["overall"], (scenario, text)
            checked += 1
    assert checked > 200


@pytest.mark.parametrize("reply, accepted", [
    ("Terima kasih, dokumen sudah saya terima. Mohon ditunggu sebentar, Pak.", False),
    ("Berkasnya sudah saya terima, saya periksa dulu ya, Pak.", False),
    ("Baik, saya terima ya Pak, terima kasih.", True),
])
def test_saying_the_documents_are_received_is_not_taking_the_envelope(reply, accepted):
    """Play-tested: "dokumen sudah saya terima" right after the offer read as taking it."""
    scores = score_reply(reply, customer_turn="Ini sedikit uang rokok, biar cepat ya, Pak.",
                         scenario="gratuity_offer")
    signals = {e["signal"] for e in scores["evidence"]}
    assert ("bribe_accepted" in signals) is accepted


@pytest.mark.parametrize("reply, customer, scenario, check", [
    # audit 21: a guess is no time ("mungkin dua atau tiga hari lagi") — a real one is
    ("Mungkin dua atau tiga hari lagi, Pak. Nanti saya usahakan.",
     "Kapan saya bisa ambil izinnya? Tolong sebut harinya.", "upset_customer",
     lambda r: r["reading"]["need"]["status"] == "partial"),
    ("Izinnya bisa Bapak ambil besok pukul 10.00 di loket 2.",
     "Kapan saya bisa ambil izinnya? Tolong sebut harinya.", "upset_customer",
     lambda r: r["reading"]["need"]["status"] == "met"),
    # a fee asked aloud and answered "gratis" is no fee claimed
    ("Lengkap, Bu. Ada biayanya nggak, Bu? Jawabannya gratis ya Bu, dan selesai dua hari kerja.",
     "Sudah, ini dokumen-dokumennya.", "renewal_complete",
     lambda r: "biaya" not in r["reading"]["wrong_facts"]),
    # "tidak harus urus sendiri": the opposite of sending the citizen away
    ("Bapak tidak harus urus sendiri di OSS, di loket ini kami bantu.",
     "OSS itu apa sih? Saya bingung.", "confused_customer",
     lambda r: not {"deflection", "dismissive", "sarcasm"} & set(r["reading"]["hostility"])),
    # the other documents listed complete, the missing one named: no complete file claimed
    ("Sorry banget, Kak, SKDU-nya memang wajib, jadi belum bisa di-proceed hari ini. KTP, NPWP, "
     "NIB, dan izin lamanya udah lengkap.", "Saya cuma nggak bawa SKDU.", "renewal_incomplete",
     lambda r: "hasil" not in r["reading"]["wrong_facts"]),
    # Betawi: the clerk's paid "help" and a faster result hinted for a price are integrity
    ("Tapi kalo Babe kaga ngarti, aye bisa bantuin daftarin, cuman ye ada ongkosnye, seratus "
     "rebu aje.", "OSS itu apa?", "confused_customer",
     lambda r: any(i["kind"] == "integrity" for i in r["reading"]["incidents"])),
    ("Ya resminya gratis, Bu. Tapi kalau mau cepet ya beda cerita. Terserah Ibu.",
     "Kapan selesainya?", "upset_customer",
     lambda r: any(i["kind"] == "integrity" for i in r["reading"]["incidents"])),
])
def test_audit_21_readings(reply, customer, scenario, check):
    result = score_reply(reply, customer, scenario)
    assert check(result), result["reading"]
