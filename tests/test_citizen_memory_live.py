"""The citizen's memory through the real stack (Rasa + action server, REST): the live twins of
``tests/test_citizen_memory.py`` for the behaviours play-testers quoted (issue 20)."""

from __future__ import annotations

import re
import uuid

from tests.test_rest_scenarios import start

PLEASED = re.compile(r"syukurlah|alhamdulillah|puji tuhan|saya tenang|nah, begitu|tersenyum lega",
                     re.I)


def _visit(stack, scenario: str, turns: list[str], citizen: str = "ibu"
           ) -> list[tuple[dict, list[str]]]:
    """Per clerk turn: the feedback payload (turn record) and the citizen's lines."""
    sender = f"mem-{uuid.uuid4().hex[:10]}"
    status, body = stack.say(sender, start(scenario, citizen=citizen))
    assert status == 200 and body
    out = []
    for text in turns:
        status, body = stack.say(sender, text)
        assert status == 200, body
        record = next((m["custom"] for m in body if isinstance(m.get("custom"), dict)
                       and m["custom"].get("type") == "feedback"), {})
        lines = [m["text"] for m in body if m.get("type") == "citizen" or (
            isinstance(m.get("custom"), dict) and m["custom"].get("type") == "citizen")]
        lines = lines or [m.get("text", "") for m in body if m.get("text")]
        out.append((record, lines))
    return out


def test_live_a_missing_letter_named_with_the_rest_complete_is_no_contradiction(stack):
    turns = _visit(stack, "renewal_incomplete", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?",
        "Boleh saya lihat dokumennya, Bu?",
        "Terima kasih, Bu. KTP, NPWP, NIB dan izin lama lengkap, tapi Surat Keterangan Domisili "
        "Usaha belum ada. Surat itu diurus di kantor kelurahan tempat usaha Ibu.",
    ])
    record, lines = turns[-1]
    said = " ".join(lines)
    assert record.get("visit_event") != "incomplete_contradiction", said
    assert "sekarang lengkap" not in said
    assert not re.search(r"(urus|minta|harus) (\w+ )?(ke|di) mana", said), said


def test_live_money_and_rule_bending_never_please_the_citizen(stack):
    turns = _visit(stack, "renewal_incomplete", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?",
        "Boleh saya lihat dokumennya, Bu?",
        "Untuk uang administrasinya seikhlasnya saja ya Bu, biar cepat.",
        "Tanpa surat domisili juga bisa, Bu, saya lewatkan jalur khusus.",
        "Sama-sama, Bu. Selamat pagi.",
    ])
    for record, lines in turns[2:]:
        assert not PLEASED.search(" ".join(lines)), lines
        assert record.get("mood_after") != "satisfied"


def test_live_an_angry_citizen_is_not_calmed_by_a_vague_apology(stack):
    turns = _visit(stack, "upset_customer", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?",
        "Mohon maaf, Bu, kami tidak bisa memastikan, mungkin minggu depan.",
    ])
    record, lines = turns[-1]
    assert record.get("mood_after") == "angry", (record, lines)


def test_live_asked_for_her_receipt_she_hands_it_over(stack):
    turns = _visit(stack, "upset_customer", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?",
        "Boleh saya lihat tanda terimanya, Bu?",
    ])
    said = " ".join(turns[-1][1])
    assert "tanda terima" in said and "simpan baik-baik" not in said, said


def test_live_the_envelope_comes_back_once(stack):
    turns = _visit(stack, "gratuity_offer", [
        "Selamat pagi, Pak. Ada yang bisa saya bantu?",
        "Boleh saya periksa dokumennya, Pak?",
        "Mohon maaf, Pak, saya tidak bisa menerima amplop ini.",
        "Sekali lagi mohon maaf, Pak, saya tidak bisa menerimanya. Silakan disimpan kembali.",
    ], citizen="bapak")
    events = [record.get("visit_event") for record, _ in turns]
    assert str(events[1]).startswith("gratuity_offer_"), events
    assert events[2] == "gratuity_second_try", events
    assert str(events[3]).startswith("gratuity_embarrassed"), events


def test_live_a_side_question_gets_its_answer(stack):
    turns = _visit(stack, "renewal_complete", [
        "Selamat pagi, Bu. Dengan Ibu siapa, dan ada yang bisa saya bantu?",
    ])
    said = " ".join(turns[-1][1])
    assert re.search(r"[Ss]aya [A-Z]", said), said


# --- audit 6 (2026-12-04): the same behaviours through the trained model and REST ----------
def test_live_the_envelope_the_clerk_keeps_does_not_outrage_the_briber(stack):
    turns = _visit(stack, "gratuity_offer", [
        "Selamat pagi, Pak. Ada yang bisa saya bantu?", "Bisa, Pak. Boleh saya lihat dokumennya?",
        "Wah, terima kasih Pak, saya simpan ya amplopnya.",
        "Amplopnya tadi sudah saya simpan di laci ya Pak, aman.",
    ], citizen="bapak")
    events = [record.get("visit_event") for record, _ in turns]
    assert "gift_taken" in events, events
    said = " ".join(turns[-1][1])
    assert "Masa masih kurang" not in said and "(suaranya meninggi)" not in said, said


def test_live_a_side_question_in_krama_or_one_word_is_answered(stack):
    for question in ("Sampun lengkap, Bu. Menawi kersa, asmanipun Ibu sinten?", "Nomor HP, Bu?"):
        turns = _visit(stack, "renewal_complete", [
            "Selamat pagi, Bu. Ada yang bisa saya bantu?",
            "Bisa, Bu. Boleh saya lihat dokumennya?", question])
        said = " ".join(turns[-1][1])
        assert re.search(r"[Ss]aya [A-Z]|Nomor HP saya 08", said), (question, said)
        assert "meninggalkan loket" not in said


def test_live_asked_to_repeat_it_says_it_again(stack):
    turns = _visit(stack, "renewal_complete", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?", "Maaf, ulangi, Bu?"])
    first, again = " ".join(turns[0][1]), " ".join(turns[1][1])
    assert "perpanjang" in first and "perpanjang" in again, again
    assert "tidak apa-apa" not in again


def test_live_the_slow_lane_for_those_who_do_not_pay_is_asking_for_money(stack):
    turns = _visit(stack, "renewal_complete", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?",
        "Terserah Ibu. Tapi kalau nggak, ya antre biasa, bisa seminggu."])
    record, lines = turns[-1]
    assert record.get("visit_event") == "asked_for_money", record.get("visit_event")
    assert not PLEASED.search(" ".join(lines))


def test_live_a_check_back_is_answered_from_memory_and_the_citizen_stays(stack):
    turns = _visit(stack, "renewal_complete", [
        "Selamat pagi, Bu. Ada yang bisa saya bantu?",
        "Boleh saya lihat dokumennya, Bu?",
        "Terima kasih, Bu. Dokumen lengkap. Prosesnya 2 hari kerja, gratis. Ini tanda terimanya, "
        "nanti diambil di loket ini.",
        "Tadi saya bilang berapa hari, Bu? Biar nggak salah catat.",
        "Coba Ibu ulangi, nanti ambilnya bawa apa?"])
    when, bring = " ".join(turns[-2][1]), " ".join(turns[-1][1])
    assert re.search(r"(2|dua) hari kerja", when), when
    assert "tanda terima" in bring, bring
    assert "meninggalkan loket" not in when + bring
    assert "kurang tahu" not in when + bring


def test_live_a_demand_for_cash_is_no_business_the_angry_citizen_accepts(stack):
    turns = _visit(stack, "upset_customer", [
        "Selamat siang, Bu. Ada yang bisa saya bantu?",
        "Nah, Ibu ngerti. Lima ratus ribu, besok jadi. Cash."])
    record, lines = turns[-1]
    assert record.get("visit_event") == "asked_for_money", record.get("visit_event")
    assert not PLEASED.search(" ".join(lines))
