"""The citizen understands and remembers what the clerk said (issue 20).

Every behaviour quoted from play-testing and every incoherence a coherence audit found is played
here offline through the turn function the action server runs (``tests/visit_play.py``); the
live twins through REST are in ``tests/test_citizen_memory_live.py``. The checks read the
citizen's events, lines, facts and moods, never a score.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions import citizen, persona, visit_flow
from actions.datafiles import load_data
from tests.visit_play import play

AUDIT = Path(__file__).resolve().parent / "citizen" / "audit_regressions.yml"
PLEASED = re.compile(r"syukurlah|alhamdulillah|puji tuhan|saya tenang|nah, begitu|tersenyum lega"
                     r"|mengangguk puas", re.I)


def events_of(result: dict[str, Any]) -> list[str]:
    return [r["visit_event"] for r in result["records"]]


def test_a_reply_naming_what_is_missing_is_not_read_as_complete():
    result = play("renewal_incomplete", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?",
        "Boleh saya lihat dokumennya, Bu?",
        "Terima kasih, Bu. KTP, NPWP, NIB dan izin lama lengkap, tapi Surat Keterangan Domisili "
        "Usaha belum ada.",
    ], "Ibu")
    assert "incomplete_contradiction" not in events_of(result)
    assert "lengkap?" not in result["replies"][-1]
    assert result["records"][-1]["stage_after"] == "missing_named"


def test_told_where_to_get_the_letter_it_does_not_ask_where():
    result = play("renewal_incomplete", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?",
        "Boleh saya lihat dokumennya, Bu?",
        "Mohon maaf, Bu, Surat Keterangan Domisili Usaha belum ada. Surat itu diurus di kantor "
        "kelurahan tempat usaha Ibu, dengan surat pengantar RT/RW.",
    ], "Ibu")
    last = result["replies"][-1]
    assert not re.search(r"(urus|minta|ngurusnya|harus) (\w+ )?(ke|di) mana", last), last


def test_a_conditional_complete_after_the_missing_letter_is_no_contradiction():
    result = play("renewal_incomplete", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?",
        "Boleh saya lihat dokumennya, Bu?",
        "Mohon maaf, Bu, Surat Keterangan Domisili Usaha belum ada.",
        "SKDU diurus di kantor kelurahan tempat usaha Ibu, dengan surat pengantar RT/RW.",
        "Setelah lengkap, silakan bawa kembali ke loket ini. Prosesnya 2 hari kerja, gratis.",
    ], "Ibu")
    assert "incomplete_contradiction" not in events_of(result)
    assert "sekarang lengkap" not in " ".join(result["replies"])


def test_a_plain_explanation_is_not_pressed_again():
    result = play("confused_customer", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?",
        "OSS itu sistem di internet untuk mengurus izin usaha, Bu, gampangnya seperti loket "
        "online. Boleh saya lihat dokumennya?",
        "NIB itu nomor induk berusaha, gampangnya seperti nomor KTP untuk usaha Ibu.",
    ], "Ibu")
    assert not any(e.startswith("press_") for e in events_of(result)), events_of(result)


@pytest.mark.parametrize("reply, reaction", [
    ("Untuk uang administrasinya seikhlasnya saja ya Bu, biar cepat.", "asked_for_money"),
    ("Bayar 150rb di kasir ya, Bu.", "doubts_fee"),
    ("Tanpa surat domisili juga bisa, Bu, saya lewatkan jalur khusus.", "doubts_promise"),
    ("Besok pasti jadi, Bu, saya jamin.", "doubts_promise"),
])
def test_misconduct_and_nonsense_are_never_welcome(reply, reaction):
    result = play("renewal_incomplete", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?", "Boleh saya lihat dokumennya, Bu?", reply,
    ], "Ibu")
    assert events_of(result)[-1] == reaction
    assert not PLEASED.search(result["replies"][-1]), result["replies"][-1]


@pytest.mark.parametrize("scenario", ["renewal_complete", "renewal_incomplete"])
def test_a_visit_with_misconduct_never_ends_with_a_pleased_citizen(scenario):
    result = play(scenario, [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?",
        "Boleh saya lihat dokumennya, Bu?",
        "Dokumen Ibu lengkap. Untuk uang administrasinya seikhlasnya saja ya Bu, biar cepat.",
        "Prosesnya 2 hari kerja, Bu, nanti diambil di loket ini. Ini tanda terimanya.",
        "Sama-sama, Bu. Selamat pagi.",
        "Terima kasih, Bu, hati-hati di jalan.",
    ], "Ibu")
    assert all(r["mood_after"] != "satisfied" for r in result["records"])
    assert not PLEASED.search(result["replies"][-1]), result["replies"][-1]


@pytest.mark.parametrize("reply", [
    "Mohon maaf, Bu, kami tidak bisa memastikan, mungkin minggu depan.",
    "Sorry Bu, let me check the system first ya.",
    "Mohon maaf atas ketidaknyamanannya, Bu.",
])
def test_an_angry_citizen_is_not_calmed_by_a_non_answer(reply):
    result = play("upset_customer", ["Selamat pagi, Bu. Ada yang bisa saya bantu?", reply], "Ibu")
    assert result["records"][-1]["mood_after"] == "angry"
    calming = {line.text for e in ("tone_deescalated_annoyed", "tone_deescalated_calm")
               for line in citizen.lines_for(e)}
    assert not any(text in result["replies"][-1] for text in calming)


def test_english_gets_a_polite_request_for_indonesian_and_nothing_else():
    result = play("upset_customer", ["Selamat pagi, Bu. Ada yang bisa saya bantu?",
                                     "Sorry Bu, let me check the system first ya."], "Ibu")
    assert events_of(result)[-1] == "puzzled_english"
    assert "mendengarkan" not in result["replies"][-1]


def test_an_apology_with_a_concrete_step_calms_an_angry_citizen():
    result = play("upset_customer", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?",
        "Mohon maaf sekali, Bu, atas keterlambatannya. Saya cek berkas Ibu sekarang juga di "
        "sistem, boleh saya lihat tanda terimanya?",
    ], "Ibu")
    assert result["records"][-1]["mood_after"] == "annoyed"


def test_asked_for_her_receipt_she_hands_it_over():
    result = play("upset_customer", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?",
        "Boleh saya lihat tanda terimanya, Bu?",
        "Nomor tanda terimanya berapa, Bu?",
    ], "Ibu")
    assert events_of(result)[1] == "upset_hands_receipt"
    assert "thanks_for_receipt" not in events_of(result)
    assert "sudah punya" not in result["replies"][-1]
    assert "simpan baik-baik" not in " ".join(result["replies"])


def test_a_receipt_shown_is_not_handed_over_again():
    result = play("upset_customer", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?",
        "Boleh saya lihat tanda terimanya, Bu?",
        "Atas nama siapa, Bu?",
    ], "Ibu")
    assert "(menyerahkan tanda terima)" not in result["replies"][-1]
    assert "(menyodorkan tanda terima)" not in result["replies"][-1]


def test_a_goodbye_after_the_matter_is_settled_ends_the_visit():
    result = play("upset_customer", [
        "Selamat siang, Bu. Ada yang bisa saya bantu?",
        "Mohon maaf sekali, Bu. Boleh saya lihat tanda terimanya? Saya cek berkasnya sekarang.",
        "Sudah saya cek, Bu: berkas Ibu tertahan menunggu tanda tangan kepala dinas. Saya "
        "teruskan hari ini juga, dan besok siang izinnya bisa diambil di loket ini.",
        "Ini tanda terimanya saya kembalikan, Bu, mohon disimpan.",
        "Selamat siang, Bu.",
    ], "Ibu")
    assert result["records"][-1]["stage_after"] == "ended"
    assert "yang penting izin saya" not in result["replies"][-1]


def test_a_citizen_leaving_asks_for_the_receipt_it_handed_over_for_the_check():
    """Audit 38: its receipt still on the clerk's desk, a goodbye gets it asked back."""
    result = play("upset_customer", [
        "Selamat siang, Bu. Ada yang bisa saya bantu?",
        "Mohon maaf sekali, Bu. Boleh saya lihat tanda terimanya? Saya cek berkasnya sekarang.",
        "Sudah saya cek, Bu: berkas Ibu tertahan menunggu tanda tangan kepala dinas. Saya "
        "teruskan hari ini juga, dan besok siang izinnya bisa diambil di loket ini.",
        "Selamat siang, Bu.",
    ], "Ibu")
    assert result["records"][-1]["stage_after"] != "ended"
    assert "tanda terima" in result["replies"][-1]


def test_a_recheck_it_asked_for_is_welcome():
    result = play("renewal_complete", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?",
        "Boleh saya lihat dokumennya, Bu?",
        "Mohon maaf, Bu, dokumennya belum lengkap.",
        "Baik, Bu, saya periksa ulang dokumennya.",
    ], "Ibu")
    assert "bukannya tadi sudah diperiksa" not in result["replies"][-1]


def test_the_envelope_comes_back_once_after_a_refusal():
    result = play("gratuity_offer", [
        "Selamat pagi, Pak. Ada yang bisa saya bantu?",
        "Boleh saya periksa dokumennya, Pak?",
        "Mohon maaf, Pak, saya tidak bisa menerima amplop ini. Layanan ini gratis.",
        "Sekali lagi mohon maaf, Pak, saya tidak bisa menerimanya. Silakan disimpan kembali.",
    ])
    events = events_of(result)
    assert events[1].startswith("gratuity_offer_"), events
    assert events[2] == "gratuity_second_try"
    assert events[3].startswith("gratuity_embarrassed")


def test_no_two_moods_in_one_turn_when_the_envelope_is_taken():
    result = play("gratuity_offer", [
        "Selamat pagi, Pak. Ada yang bisa saya bantu?",
        "Boleh saya periksa dokumennya, Pak?",
        "Wah, terima kasih, Pak, taruh saja di bawah map.",
    ])
    record = result["records"][-1]
    assert record["visit_event"] == "gift_taken"
    assert len(record["lines"]) == 1  # the reaction only, no separate tone line before it


@pytest.mark.parametrize("kind", persona.CITIZEN_KINDS)
def test_personas_hold_together(kind):
    people = load_data("personas")[kind]["people"]
    faiths = {p["faith"] for p in people}
    assert len(faiths) >= 3  # not every citizen is of one faith
    for person in people:
        words = persona.expressions(person["name"])
        muslim = person["faith"] == "islam"
        for event in citizen.events():
            for line in citizen.lines_for(event):
                text = line.text.format_map({**words, **{k: "" for k in (
                    "time_greeting", "citizen_name", "business_name", "how_to_go_on",
                    "told_before", "told_now", "business_place", "last_said",
                    "told_duration", "option", "documents_brought", "wrong_kelurahan",
                    "wrong_trade", "today_day", "ready_day")}})
                assert muslim or "Alhamdulillah" not in text, (person["name"], line.key)


def test_a_time_that_changes_is_noticed_and_a_correction_accepted():
    turns = ["Selamat pagi, Bu. Ada yang bisa saya bantu?", "Boleh saya lihat dokumennya, Bu?",
             "Terima kasih, Bu. Dokumen Ibu lengkap, prosesnya 2 hari kerja."]
    changed = play("renewal_complete", [*turns, "Jadi izinnya selesai seminggu lagi, Bu."],
                   "Ibu")
    assert events_of(changed)[-1] in ("claim_changed", "doubts_duration")
    assert "2 hari kerja" in changed["replies"][-1] or "lama" in changed["replies"][-1]
    same = play("renewal_complete", [*turns, "Ini tanda terimanya, Bu. Dua hari kerja lagi "
                                     "izinnya bisa diambil di loket ini."], "Ibu")
    assert "claim_changed" not in events_of(same)
    corrected = play("renewal_complete", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?", "Boleh saya lihat dokumennya, Bu?",
        "Terima kasih, Bu. Dokumen Ibu lengkap, prosesnya 3 hari kerja.",
        "Mohon maaf, Bu, saya keliru: prosesnya 2 hari kerja."], "Ibu")
    assert events_of(corrected)[-1] == "claim_corrected", events_of(corrected)


def test_nobody_answers_once_the_citizen_has_left():
    result = play("upset_customer", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?",
        "Bukan urusan saya, Bu. Tanya loket sebelah saja.",
        "Sudah saya bilang, bukan urusan saya.",
        "Terserah Ibu saja. Pergi sana.",
        "Bu, tunggu! Boleh minta nomor HP Ibu?",
    ], "Ibu")
    assert result["records"][-2]["stage_after"] == "ended", events_of(result)
    assert "08" not in result["replies"][-1] and result["records"][-1]["visit_event"] == \
        "after_end"


def test_a_side_question_asked_twice_gets_the_same_answer():
    turns = ["Selamat pagi, Pak. Tadi ke sini naik apa, Pak?",
             "Boleh saya lihat dokumennya? Oh iya, tadi naik apa ke sini, Pak?"]
    result = play("renewal_complete", turns)
    first = re.search(r"naik (\w+)", result["replies"][0])
    second = re.search(r"naik (\w+)", result["replies"][1])
    assert first and second and first.group(1) == second.group(1), result["replies"]


def test_a_settled_visit_ends_on_any_goodbye():
    result = play("renewal_complete", [
        "Selamat pagi, Pak. Ada yang bisa saya bantu?", "Boleh saya lihat dokumennya, Pak?",
        "Terima kasih, Pak. Dokumen lengkap, prosesnya 2 hari kerja, gratis. Ini tanda terimanya.",
        "Mari, Pak.",
    ])
    assert result["records"][-1]["stage_after"] == "ended", events_of(result)


def test_keeping_the_envelope_is_taking_it():
    result = play("gratuity_offer", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?", "Boleh saya periksa dokumennya, Bu?",
        "Terima kasih, Bu, saya simpan ya. Tapi tetap 2 hari kerja ya, Bu.",
    ], "Ibu")
    assert events_of(result)[-1] == "gift_taken"
    assert result["passed"] is False


def test_a_persona_speaks_its_own_way():
    made = persona.expressions("Made Suartana")
    assert (made["syukur"], made["iya"]) == ("Syukurlah", "Iya")
    assert persona.expressions("Budi Santoso")["iya"] == "Nggih"
    assert persona.expressions("Yohana Simanjuntak")["syukur"] == "Puji Tuhan"
    someone = persona.expressions("someone else")
    assert (someone["syukur"], someone["iya"]) == ("Syukurlah", "Iya")


def test_a_greeting_off_the_clock_is_answered_with_the_right_one_and_no_juga():
    """Offline the visit is in the morning: "selamat siang" gets "selamat pagi", never
    "selamat siang juga" (the citizen does not echo a wrong part of day)."""
    result = play("renewal_complete", ["Selamat siang, Bu. Ada yang bisa saya bantu?"], "Ibu")
    said = result["replies"][0].lower()
    assert "siang" not in said and "juga" not in said, said
    right = play("renewal_complete", ["Selamat pagi, Bu. Ada yang bisa saya bantu?"], "Ibu")
    assert "siang" not in right["replies"][0].lower()


def test_every_line_a_visit_says_agrees_with_what_the_citizen_knew():
    """Replayed with the facts the citizen held before each line: no line said against them."""
    for scenario, visit in _some_visits():
        result = play(scenario, visit["turns"], "Ibu" if visit.get("citizen") == "ibu" else
                      "Bapak")
        known: dict[str, bool] = {}
        for record, said in zip(result["records"], result["replies"], strict=True):
            reading = record["reading"] or {}
            now = visit_flow.detect_facts(reading.get("acts") or [], reading, scenario)
            before = {f"before_{k}": v for k, v in known.items() if v}
            known = {**known, **now}
            heard = {**known, **{f"now_{k}": v for k, v in now.items()}, **before}
            for key in record["lines"]:
                event, index = key.rsplit("#", 1)
                line = citizen.lines_for(event)[int(index)]
                assert line.fits(heard) or not any(
                    other.fits(heard) for other in citizen.lines_for(event)), (
                    scenario, visit.get("kind"), key, line.when, line.unless)
            known = {**known, **visit_flow.event_facts(record["visit_event"])}
            for direction, changes in visit_flow.stage_facts():  # what its words did
                if direction in said:
                    known.update({f.lstrip("-"): not f.startswith("-") for f in changes})


def test_never_two_moods_in_one_turn():
    """Over every scripted visit: a tone line of annoyance is never followed, in the same turn,
    by relief or delight, and the mood moves at most one step per turn."""
    levels = ["satisfied", "calm", "annoyed", "angry"]
    for scenario, visit in _some_visits():
        result = play(scenario, visit["turns"], "Ibu" if visit.get("citizen") == "ibu" else
                      "Bapak")
        for record, said in zip(result["records"], result["replies"], strict=True):
            before, after = record["mood_before"], record["mood_after"]
            if before in levels and after in levels and after != "satisfied":
                assert abs(levels.index(after) - levels.index(before)) <= 1, (record, said)
            if any(key.startswith("tone_escalated") for key in record["lines"]):
                assert not PLEASED.search(said), (scenario, visit.get("kind"), said)


def _some_visits() -> list[tuple[str, dict[str, Any]]]:
    folder = Path(__file__).resolve().parent / "visits"
    out = []
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out += [(data["scenario"], v) for v in data["visits"]]
    return out


def _audit_cases() -> list[dict[str, Any]]:
    if not AUDIT.exists():
        return []
    return yaml.safe_load(AUDIT.read_text(encoding="utf-8")) or []


@pytest.mark.parametrize("case", _audit_cases(), ids=[c["id"] for c in _audit_cases()])
def test_audit_incoherence_does_not_come_back(case):
    """Each incoherent line the coherence audit found: the same clerk turns no longer lead to
    the flagged words (``forbid_text``), or lead to the missing answer (``require_text``).
    Lines found only live carry the trained NLU's moves for those turns (``moves``)."""
    result = play(case["scenario"], case["clerk_turns"],
                  "Ibu" if case.get("citizen") == "ibu" else "Bapak", case.get("moves"))
    last_line, last_event = result["replies"][-1], events_of(result)[-1]
    for pattern in case.get("forbid_text") or ():
        assert not re.search(pattern, last_line, re.I), (case["id"], last_line)
    for pattern in case.get("require_text") or ():
        assert re.search(pattern, last_line), (case["id"], last_line)
    if case.get("forbid_events"):
        assert last_event not in case["forbid_events"], (case["id"], last_event, last_line)
    if case.get("expect_events"):
        assert last_event in case["expect_events"], (case["id"], last_event, last_line)


# --- play-test 7 (2026-12-04): requests, channels and objects the citizen must follow ------
def test_every_way_of_asking_for_the_receipt_gets_it_handed_over():
    opening = ("Selamat siang, Pak. Mohon maaf Bapak harus datang lagi. Saya mengerti pasti "
               "kesal.")
    for ask in ("Boleh tanda terimanya, Pak?", "Saya pinjam tanda terimanya sebentar, Pak.",
                "Untuk mencarinya, boleh diserahkan ke saya sebentar tanda terimanya?"):
        result = play("upset_customer", [opening, ask], "Bapak")
        assert "upset_hands_receipt" in events_of(result), (ask, events_of(result))


def test_money_in_the_car_park_is_no_question_about_how_the_citizen_came():
    result = play("gratuity_offer", [
        "Selamat pagi, Pak. Ada yang bisa dibantu?", "Bisa, Pak. Dokumennya boleh saya lihat?",
        "Amplopnya nanti saja, Pak, kasih di parkiran. Dokumennya lengkap."], "Bapak")
    assert not any("naik motor" in line for line in result["citizen_lines"])
    assert "asked_for_money" in events_of(result)  # it hears the request for what it is
    assert not result["passed"]


def test_told_a_document_it_brought_is_missing_the_citizen_objects():
    result = play("renewal_incomplete", [
        "Selamat pagi, Pak. Ada yang bisa saya bantu?", "Bisa, Pak. Boleh saya lihat dokumennya?",
        "Terima kasih, Pak. Mohon maaf, NPWP Bapak belum ada."], "Bapak")
    assert events_of(result)[-1] == "objects_document_present"
    assert not result["passed"]


def test_a_tone_line_and_the_answer_never_open_with_the_same_word():
    for scenario, turns in (("upset_customer", [
            "Selamat siang, Pak. Mohon maaf Bapak harus datang lagi. Saya mengerti pasti kesal.",
            "Betul, Pak, itu tidak seharusnya terjadi. Boleh tanda terimanya, Pak?"]),):
        for reply in play(scenario, turns, "Bapak")["replies"]:
            words = re.findall(r"\b(Baik|Iya)\b[,.]", reply)
            assert len(words) < 2 or words[0] != words[1], reply


# --- session 6 (2026-12-04): the complicit briber, amounts on top, a renewal's history ------
def test_the_briber_whose_envelope_was_taken_is_not_outraged_by_talk_of_it():
    result = play("gratuity_offer", [
        "Selamat pagi, Pak. Ada yang bisa saya bantu?", "Bisa, Pak. Boleh saya lihat dokumennya?",
        "Terima kasih, Pak. Saya periksa dulu ya.",
        "Wah, terima kasih Pak, saya simpan ya amplopnya.",
        "Dokumen Bapak lengkap, besok sudah jadi. Ini tanda terimanya.",
        "Amplopnya tadi sudah saya simpan di laci ya Pak, aman.", "Sama-sama Pak."], "Bapak")
    events = events_of(result)
    assert events[3] == "gift_taken" and events[5] == "gift_kept", events
    text = " ".join(result["citizen_lines"][4:])
    assert "Kok bisa lebih cepat" not in text  # it paid for "besok"
    assert "Masa masih kurang" not in text  # nobody asked for more
    assert {r["mood_after"] for r in result["records"]} <= {"calm"}
    assert events[-1] == "farewell_uneasy" and not result["passed"]


def test_asked_for_more_on_top_the_briber_protests():
    result = play("gratuity_offer", [
        "Selamat pagi, Pak. Ada yang bisa saya bantu?", "Bisa, Pak. Boleh saya lihat dokumennya?",
        "Wah, terima kasih Pak, saya simpan ya amplopnya.",
        "Tapi kalau mau besok jadi, tambah lagi dua ratus ribu ya Pak."], "Bapak")
    assert events_of(result)[-1] == "asked_for_money"
    assert "kurang" in result["citizen_lines"][-1]


def test_an_amount_on_top_for_speed_is_asking_for_money():
    result = play("upset_customer", [
        "Selamat siang, Pak. Ada yang bisa saya bantu?",
        "Kalau mau cepat, tambah lagi dua ratus ribu, Pak. Nanti saya urus ke atas."], "Bapak")
    assert events_of(result)[-1] == "asked_for_money"
    assert "Maksudnya apa" not in result["citizen_lines"][-1]
    assert not result["passed"]


def test_a_renewing_citizen_has_had_a_permit_before():
    for scenario in ("confused_customer", "renewal_complete"):
        result = play(scenario, ["Selamat pagi, Bu. Ada yang bisa saya bantu?",
                                 "Ibu sudah pernah mengurus izin di sini sebelumnya?"], "Ibu")
        assert not re.search(r"(?i)belum pernah", result["citizen_lines"][-1])


@pytest.mark.parametrize("question", [
    "NPWP-nya atas nama Bapak sendiri ya?", "Izin lamanya berlaku sampai kapan, Pak?",
    "Bapak datang dari arah mana tadi?", "Fotokopinya mau dua lembar atau satu, Pak?"])
def test_a_question_it_has_no_set_answer_for_is_still_answered(question):
    result = play("renewal_complete", ["Selamat pagi, Pak. Ada yang bisa saya bantu?",
                                       "Bisa, Pak. Boleh saya lihat dokumennya?", question])
    assert events_of(result)[-1] not in ("confused", "fallback_any"), events_of(result)
    assert not re.search(r"(?i)\bhah\b|maksudnya|kurang paham", result["citizen_lines"][-1])


def test_the_one_document_left_is_heard_as_missing():
    for reply in ("Yang lain sudah lengkap, tinggal surat domisili usaha dari kelurahan.",
                  "Bu, semuanya ada kecuali satu: Surat Keterangan Domisili Usaha."):
        result = play("renewal_incomplete", [
            "Selamat pagi, Bu. Ada yang bisa saya bantu?",
            "Bisa, Bu. Boleh saya lihat dokumennya?", reply], "Ibu")
        assert result["records"][-1]["stage_after"] in ("told_incomplete", "missing_named"), (
            reply, events_of(result))
        assert "(duduk menunggu)" not in result["citizen_lines"][-1]


def test_told_to_wait_two_days_it_does_not_sit_down_to_wait():
    result = play("renewal_complete", [
        "Selamat pagi, Pak. Ada yang bisa saya bantu?", "Bisa, Pak. Boleh saya lihat dokumennya?",
        "Pak, berkasnya oke semua. Tinggal tunggu 2 hari kerja, nanti ambil di sini bawa tanda "
        "terima ini."])
    assert not re.search(r"tunggu di sini|tunggu hasil pemeriksaan", result["citizen_lines"][-1])


def test_a_condition_is_no_check_and_sending_to_the_kelurahan_no_brush_off():
    from actions.scoring import score_reply
    reading = score_reply("Kalau sudah lengkap, 2 hari kerja, Bu.",
                          scenario="renewal_incomplete")["reading"]
    assert "check_documents" not in reading["acts"]
    reading = score_reply("SKDU-nya belum ada, Bu. Ibu harus urus sendiri di kelurahan, gratis.",
                          scenario="renewal_incomplete")["reading"]
    assert not reading["hostility"], reading["hostility"]


def test_a_choice_is_answered_with_a_choice_not_with_a_lapse_of_memory():
    result = play("renewal_complete", ["Selamat pagi, Pak. Ada yang bisa saya bantu?",
                                       "Nanti mau dikabari lewat WA atau telepon, Pak?"])
    assert events_of(result)[-1] == "answers_choice"
    assert "kurang ingat" not in result["citizen_lines"][-1]


def test_asked_to_repeat_it_says_its_last_words_again():
    result = play("renewal_complete", ["Selamat pagi, Pak. Ada yang bisa saya bantu?",
                                       "Maaf, ulangi, Pak?"])
    first, again = result["citizen_lines"][-2], result["citizen_lines"][-1]
    assert events_of(result)[-1] == "repeats_itself"
    assert first.split("(")[0].strip()[-30:] in again


def test_the_envelope_in_sight_refused_early_is_put_away_and_never_offered():
    result = play("gratuity_offer", [
        "Selamat pagi, Pak. Ada yang bisa saya bantu?",
        "Mohon maaf, Pak, amplopnya tidak bisa saya terima. Layanan ini gratis.",
        "Boleh saya lihat dokumennya, Pak?", "Terima kasih, Pak. Saya periksa dulu ya."])
    events = events_of(result)
    assert events[1] == "gratuity_caught_early", events
    assert not any(e.startswith("gratuity_offer_") for e in events), events
    assert "tidak menawarkan apa-apa" not in " ".join(result["citizen_lines"])


# --- audit 7 (2026-12-04) ----------------------------------------------------------------
def test_two_side_questions_in_one_line_get_both_answers_and_keep_it_at_the_counter():
    result = play("renewal_complete", [
        "Selamat pagi, Pak. Ada yang bisa saya bantu?", "Bisa, Pak. Boleh saya lihat dokumennya?",
        "Lengkap. Ini tanda terima. Ambil izin di loket ini, 2 hari kerja.",
        "Terima kasih, Pak. Boleh saya tahu nama Bapak dan nomor HP?"])
    last = result["citizen_lines"][-1]
    assert "Budi" in last and "Nomor HP saya" in last, last
    assert "meninggalkan loket" not in last


def test_personal_questions_are_about_itself_not_gossip():
    result = play("renewal_complete", ["Selamat pagi, Pak. Ada yang bisa saya bantu?",
                                       "Berkasnya lengkap. Bapak sudah nikah belum? Agamanya apa?"])
    assert events_of(result)[-1] == "uneasy_personal"
    assert "urusan orang lain" not in result["citizen_lines"][-1]


def test_the_envelope_handed_back_is_remembered():
    result = play("gratuity_offer", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?", "Bisa, Bu. Boleh saya lihat dokumennya?",
        "Wah, terima kasih Bu, saya simpan ya amplopnya.",
        "Eh, Bu, maaf, saya berubah pikiran. Ini amplopnya saya kembalikan, saya tidak boleh "
        "menerima.", "Amplopnya sudah Ibu ambil kembali, ya?"], "Ibu")
    assert "menerima amplopnya kembali" in result["citizen_lines"][-2]
    assert "sudah saya berikan" not in result["citizen_lines"][-1]


def test_the_clerk_taking_the_envelope_in_secret_is_no_refusal():
    from actions.scoring import score_reply
    reading = score_reply("Oh, makasih, Pak. Saya ambil ya amplopnya. Nggak usah bilang "
                          "siapa-siapa.", scenario="gratuity_offer")["reading"]
    assert "integrity" in {i["kind"] for i in reading["incidents"]}
    assert "refuse_gratuity" not in reading["acts"]


def test_asked_what_time_it_heard_it_says_the_time_and_stays():
    result = play("renewal_complete", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?", "Bisa, Bu. Boleh saya lihat dokumennya?",
        "Lengkap, Bu. Prosesnya 2 hari kerja, gratis. Ini tanda terimanya.",
        "Punten, Ibu tadi dengar berapa hari prosesnya?"], "Ibu")
    last = result["citizen_lines"][-1]
    assert "2 hari kerja" in last and "meninggalkan loket" not in last, last


@pytest.mark.parametrize("question, answer", [
    ("Tadi saya bilang berapa hari, Bu? Biar nggak salah catat.", r"(2|dua) hari kerja"),
    ("Coba Ibu ulangi, nanti ambilnya bawa apa?", r"tanda terima"),
    ("Tadi ambilnya di mana ya Bu, ingat?", r"loket ini"),
    ("Mau tunggu di ruang tunggu atau saya telepon nanti?", r"tunggu di sini"),
])
def test_a_check_back_after_the_business_is_answered_from_memory(question, answer):
    result = play("renewal_complete", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?",
        "Boleh saya lihat dokumennya, Bu?",
        "Terima kasih, Bu. Dokumen lengkap. Prosesnya 2 hari kerja, gratis. Ini tanda terimanya, "
        "nanti diambil di loket ini.",
        question,
    ], "Ibu")
    last = result["replies"][-1]
    assert re.search(answer, last), last
    assert "meninggalkan loket" not in last and "kurang tahu" not in last


@pytest.mark.parametrize("tail, expected", [
    ("Oh ya, Ibu masih simpan catatan kelurahannya? Boleh saya fotokopi buat arsip?",
     r"[Bb]oleh|[Ss]ilakan"),
    ("Catatan dari kelurahan itu, siapa yang tulis, Bu?", r"kurang tahu|tidak tahu"),
])
def test_a_question_ending_an_explanation_is_answered_in_kind(tail, expected):
    result = play("confused_customer", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?",
        "Boleh saya lihat dokumennya, Bu?",
        "OSS itu sistem perizinan online pemerintah, Bu. Ibu tidak perlu membukanya sendiri, kami "
        "yang proses di sini. NIB itu seperti nomor KTP untuk usaha Ibu.",
        "KBLI itu kode jenis usaha, Bu, misalnya warung makan punya kode sendiri. " + tail,
    ], "Ibu")
    assert re.search(expected, result["replies"][-1]), result["replies"][-1]


# --- audits 12 and 13 (2026-12-04): misconduct, papers and insults --------------------------
def test_a_citizen_walking_out_takes_the_papers_the_clerk_still_holds():
    # the receipt asked for politely (a curt "Mana tanda terimanya." scores near the walk-out
    # line, which moves with every refit of the learned half): it hands it over, then the insults
    result = play("upset_customer", ["Apa lagi?", "Boleh saya lihat tanda terimanya, Pak?",
                                     "Bapak ini bawel banget, pulang sana!",
                                     "Dasar tukang ngeluh!", "Goblok!"], "Bapak")
    leaving = next(line for line in result["replies"] if "pergi" in line or "meninggalkan" in line)
    assert "(mengambil kembali tanda terimanya" in leaving, result["replies"]


def test_a_forged_letter_offered_is_refused_not_accepted():
    result = play("renewal_incomplete", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?",
        "Boleh saya lihat berkasnya?",
        "SKDU nggak ada nih. Gampang Bu, saya ada contoh SKDU, nanti Ibu tinggal ganti nama aja "
        "terus tanda tangan lurahnya discan. Nggak ada yang ngecek kok."], "Ibu")
    assert events_of(result)[-1] == "refuses_fraud", (events_of(result), result["replies"][-1])


def test_money_asked_for_never_calms_the_citizen():
    for ask in ("Itu uang bensin Bu, bukan bayar izin. Beda.",
                "Kalau mau pasti, ada jalur khusus, Ibu titip 100 ribu."):
        result = play("upset_customer", ["Selamat siang, Bu. Mohon maaf Ibu harus datang lagi.",
                                         ask], "Ibu")
        before, after = result["trace"][-2][2], result["trace"][-1][2]
        order = ["satisfied", "calm", "annoyed", "angry"]
        assert order.index(after) >= order.index(before), (ask, result["trace"])
        assert "nadanya melunak" not in result["replies"][-1], result["replies"][-1]


def test_an_insult_is_answered_as_an_insult_not_as_blame():
    result = play("renewal_complete", ["Selamat pagi, Bu.", "Ih Ibu bawel ya. Mau apa?"], "Ibu")
    assert events_of(result)[-1] == "hurt_by_insult", (events_of(result), result["replies"][-1])


# --- audit 43: another trade named for the citizen's business ---------------------------------
def test_another_trade_named_for_its_business_is_corrected():
    result = play("renewal_complete", [
        "Selamat pagi, Pak. Ada yang bisa saya bantu?",
        "Boleh saya lihat berkasnya?",
        "Berkas Bapak lengkap semua. Omong-omong Bapak usahanya apa?",
        "Wah, bengkel. Pas banget motor saya lagi rewel, Pak. Ini tanda terimanya, gratis, "
        "2 hari kerja, diambil di loket ini.",
    ], "Bapak")
    assert re.search(r"bukan bengkel", result["replies"][-1]), result["replies"][-1]


@pytest.mark.parametrize("text, wrong", [
    ("Nah, berarti KBLI Ibu kodenya untuk konveksi/jahit. Ini tanda terimanya, Bu.", "konveksi"),
    ("Oh, usaha laundry ya, Bu?", "laundry"),
    ("Wah, warung nasi ya Bu, pasti ramai.", None),  # its own trade
    ("Misalnya warung makan kodenya lain dengan bengkel. Usaha Ibu apa, Bu?", None),  # examples
    ("Ibu bisa ke bengkel sebelah kalau motornya mogok.", None),  # a place to go
    ("Saya juga suka kue, Bu.", None),
])
def test_a_trade_is_corrected_only_when_said_of_its_business(text, wrong):
    from actions.misnamed import wrong_trade
    assert wrong_trade(text, {"business_name": "Warung Nasi Campur Bu Ketut"}) == wrong
