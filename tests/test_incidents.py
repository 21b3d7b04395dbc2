"""Issue 19: critical incidents, claims against the office's rules, every register, the
learned half. Behaviour of the reading, not scores of known sentences."""

from __future__ import annotations

import hashlib

import pytest

from actions import catalog, debrief
from actions.datafiles import load_data
from actions.scoring import learned, score_reply
from tests.visit_play import play

OFFER = "Ini sedikit uang rokok, Pak, biar cepat ya."
WHEN = "Berapa lama jadinya, Bu?"


def kinds(result: dict) -> set:
    return {i["kind"] for i in result["reading"]["incidents"]}


@pytest.mark.parametrize("reply, scenario, customer, kind", [
    ("Untuk uang administrasinya seikhlasnya saja ya Bu, biar cepat.", "renewal_complete",
     "Berapa biayanya?", "integrity"),
    ("Uang lelahnya bisa Ibu titipkan lewat saya di luar kantor, biar aman.", "gratuity_offer",
     OFFER, "integrity"),
    ("Mohon maaf, Pak, di loket tidak boleh. Kalau mau, nanti sore di parkiran saja ya.",
     "gratuity_offer", OFFER, "integrity"),
    ("Saya bisa lewatkan jalur khusus, besok pasti jadi, saya jamin.", "upset_customer",
     "Kapan jadinya?", "false_promise"),
    ("Bapak tidak perlu ke kelurahan, tanpa surat domisili juga bisa kok.", "renewal_incomplete",
     "Saya harus ke mana?", "false_promise"),
    ("Wah, Pak Harto yang tadi itu izinnya ditolak, pajaknya juga nunggak.", "renewal_complete",
     "Lama sekali ya.", "confidentiality"),
    ("Semoga kali ini Ibu bisa membaca persyaratannya dengan teliti ya, Bu.",
     "renewal_incomplete", "Saya lupa bawa suratnya.", "condescension"),
    ("Dokumennya lengkap. Boleh saya minta nomor WhatsApp pribadi Ibu? Biar bisa ngobrol-ngobrol.",
     "renewal_complete", "Ini dokumennya.", "confidentiality"),
])
def test_a_breach_in_polite_words_is_a_critical_incident(reply, scenario, customer, kind):
    result = score_reply(reply, customer, scenario, honorific="Ibu")
    assert kind in kinds(result), result["reading"]["incidents"]
    assert result["overall"] < 50
    labels = [e["label"] for e in result["evidence"] if e["signal"] == f"incident_{kind}"]
    assert labels and all(" " in label for label in labels)  # Indonesian words, not a code
    assert result["tips"] and "'" in result["tips"][0]  # the tip quotes the words


@pytest.mark.parametrize("reply, scenario, customer", [
    ("Terima kasih, Pak, niat baiknya saya terima, amplopnya tidak. Layanan ini gratis.",
     "gratuity_offer", OFFER),
    ("Mohon maaf, kami tidak menerima imbalan apa pun, silakan disimpan kembali. Layanan ini "
     "gratis, berkas Bapak tetap kami proses 2 hari kerja.", "gratuity_offer", OFFER),
    ("Mohon maaf, Pak, tidak ada jalur khusus; semua berkas diproses sesuai urutan, 2 hari kerja.",
     "renewal_complete", "Bisa lebih cepat?"),
    ("Mohon maaf, data pemohon lain tidak dapat kami sampaikan, Pak.", "renewal_complete",
     "Izin tetangga saya kenapa ditolak?"),
    ("Gratis, Ibu. Kalau ada orang di luar kantor yang menawarkan jasa berbayar, mohon tidak "
     "dilayani ya.", "renewal_complete", "Berapa biayanya?"),
    ("Karena Ibu sedang hamil, Ibu kami dahulukan sesuai ketentuan layanan prioritas.",
     "renewal_complete", "Saya mau perpanjang izin."),
])
def test_refusals_and_protective_statements_are_no_incident(reply, scenario, customer):
    assert not kinds(score_reply(reply, customer, scenario, honorific="Bapak"))


@pytest.mark.parametrize("reply, wrong", [
    ("Bayar 150rb di kasir, jadinya seminggu.", {"biaya", "lama proses"}),
    ("Biayanya seratus lima puluh ribu rupiah, Bu.", {"biaya"}),
    ("Kurang lebih seminggu, Bu.", {"lama proses"}),
    ("Prosesnya 3 hk, Bu.", {"lama proses"}),
    ("Syaratnya juga perlu surat rekomendasi camat dan fotokopi dilegalisir.", {"persyaratan"}),
    ("Hari ini tanggal 4, Bu. Izinnya bisa diambil tanggal 30 di loket ini.",
     {"hari pengambilan"}),
    ("Sekarang hari Kamis tanggal 12, jadi bisa diambil tanggal 13.", {"hari pengambilan"}),
    ("Hari ini Senin, jadi besok Selasa sudah bisa diambil, Bu.", {"hari pengambilan"}),
])
def test_claims_in_any_form_are_checked_against_the_office(reply, wrong):
    result = score_reply(reply, WHEN, "renewal_complete", honorific="Ibu")
    assert wrong <= set(result["reading"]["wrong_facts"]), result["reading"]["claims"]


@pytest.mark.parametrize("reply", [
    "Prosesnya 2 hk, Bu, gratis.",
    "Dua hari kerja, Bu. Jadi kalau hari ini Senin, izinnya bisa diambil Rabu.",
    "Hari ini belum bisa jadi, Bu; prosesnya dua hari kerja.",
    "Tidak ada biaya Rp50.000 seperti kata orang, Bu, semuanya gratis.",
    "Hari ini Kamis tanggal 12, Bu. Berkas lengkap, bisa diambil tanggal 16 hari Senin.",
    "Hari ini tanggal 12, jadi bisa diambil tanggal 14, Bu.",
    "Hari ini Senin, Bu, jadi besok Selasa belum jadi. Rabu sudah bisa diambil di loket ini.",
])
def test_right_negated_and_conditional_claims_are_no_wrong_fact(reply):
    assert not score_reply(reply, WHEN, "renewal_complete", honorific="Ibu")["reading"][
        "wrong_facts"]


def test_a_negated_place_meets_no_objective_and_a_yes_to_bending_the_rules_is_a_promise():
    negated = score_reply("Bapak tidak perlu ke kelurahan.", "Saya harus ke mana?",
                          "renewal_incomplete")
    assert "place" not in negated["reading"]["marks"]
    agreed = score_reply("Betul, Bu. Nanti saya bantu isikan.",
                         "Jadi tanpa SKDU tetap bisa diproses ya, Mbak?", "renewal_incomplete")
    assert "false_promise" in kinds(agreed)


def test_javanese_and_sundanese_courtesy_and_a_reported_check():
    krama = score_reply("Matur nuwun, Pak. Sampun kula priksa, berkasipun jangkep.",
                        "Ini dokumennya.", "renewal_complete", honorific="Bapak")
    assert {"check_documents", "inform_documents_complete"} <= set(krama["reading"]["acts"])
    assert "terima_kasih" in krama["reading"]["marks"]
    sunda = score_reply("Punten, Bu, teu acan lengkap: Surat Keterangan Domisili Usaha teu acan "
                        "aya.", "Kumaha, tos lengkap?", "renewal_incomplete", honorific="Ibu")
    assert "inform_documents_incomplete" in sunda["reading"]["acts"]
    chat = score_reply("sdh sy cek bu, lengkaaap. 2 hk ya", "Ini dokumennya.",
                       "renewal_complete", honorific="Ibu")
    assert chat["reading"]["concrete_time"] and "check_documents" in chat["reading"]["acts"]


def test_plain_language_by_function_and_an_expansion_is_not_plain():
    analogy = score_reply("KBLI itu ibarat alamat jenis usaha Ibu di daftar pemerintah.",
                          "KBLI itu apa?", "confused_customer", honorific="Ibu")
    expansion = score_reply("OSS itu Online Single Submission, Bu.", "OSS itu apa?",
                            "confused_customer", honorific="Ibu")
    assert all(t["plain"] for t in analogy["reading"]["terms"])
    assert not any(t["plain"] for t in expansion["reading"]["terms"])
    assert analogy["clarity"] > expansion["clarity"] + 15


def test_a_visit_with_an_incident_fails_and_its_debrief_leads_with_the_rule():
    lines = [
        "Selamat pagi, Pak, silakan duduk. Ada yang bisa saya bantu?",
        "Baik, Pak. Boleh saya lihat dokumennya?",
        "Terima kasih, Pak. Sudah saya periksa, semuanya lengkap. Prosesnya 2 hari kerja.",
        "Untuk uang administrasinya seikhlasnya saja ya Pak, biar cepat.",
        "Ini tanda terimanya, Pak, izinnya diambil di loket ini.",
        "Terima kasih, Pak, selamat pagi.",
    ]
    result = play("renewal_complete", lines, "Bapak")
    assert result["passed"] is False and result["averages"]["overall"] <= 10
    assert result["reason"].startswith("Meminta")
    assert "UU 25/2009" in result["reason"]
    assert result["top_tips"][0].startswith("Jangan pernah meminta")
    assert result["best_reply"]["turn"] != 4
    citizen = " ".join(result["citizen_lines"])
    assert "gratis" in citizen  # the citizen is not pleased by being asked for money
    text = debrief.as_text(result)
    assert "integrity" not in text and "incident" not in text


def test_one_office_for_every_scenario():
    office = load_data("office")
    for scenario in catalog.scenario_ids():
        spec = catalog.scenario_spec(scenario)
        assert spec["sop"][: len(office["sop"])] == office["sop"]
        names = [d["name"] for d in spec["counter"]["documents"]]
        assert "Surat Keterangan Domisili Usaha" in names


def test_the_nlu_tokenizer_reads_the_normalised_text():
    from rasa.shared.nlu.training_data.message import Message

    from actions.scoring.nlu import NormalisingTokenizer

    tokenizer = NormalisingTokenizer(NormalisingTokenizer.get_default_config())
    tokens = [t.text for t in tokenizer.tokenize(
        Message(data={"text": "Sampun kula priksa, berkasipun jangkep"}), "text")]
    assert tokens[:5] == ["sudah", "saya", "periksa", "berkasnya", "lengkap"]
    assert "sampun" in tokens  # the typed word stays a cue


def test_the_learned_half_never_learns_from_a_held_out_part():
    items = learned.tuning_items()
    assert len(items) > 800
    assert all(d.get("split", "dev") == "dev" for d in items)
    dev_set_ids = [d["id"] for d in items if "split" not in d]
    assert all(int(hashlib.md5(i.encode()).hexdigest(), 16) % 10 >= 3 for i in dev_set_ids)


def test_files_taken_home_by_the_clerk_not_by_the_citizen():
    """Re-audit 8: the citizen taking its own documents home until the letter is ready is the
    procedure; the clerk taking a file home is misconduct."""
    own = score_reply("Dokumen yang lain Ibu bawa pulang dulu ya, nanti dibawa lagi semuanya ke "
                      "loket ini bersama SKDU. Gratis, 2 hari kerja setelah lengkap.",
                      "Jadi bagaimana?", "renewal_incomplete", honorific="Ibu")
    assert "misconduct" not in kinds(own) and own["overall"] >= 60
    clerk = score_reply("Berkasnya saya bawa pulang dulu ya, Bu, biar saya urus di rumah.",
                        "Jadi bagaimana?", "renewal_incomplete", honorific="Ibu")
    assert "misconduct" in kinds(clerk) and clerk["overall"] < 60


def _red_team_rows(name: str, split: str) -> list[dict]:
    import json
    from pathlib import Path
    path = Path(__file__).resolve().parent / "scoring" / f"{name}.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if r["split"] == split]


# Rows whose rating contradicts the scenario's case, which the code-blind rater did not know: the
# upset citizen's file waits for the kepala dinas's signature, so "it was ready all along, here is
# the permit" misinforms them. Reported by bench/bench_judgement.py, not asserted.
CASE_CONFLICTS = {"r15-095"}
# Dev rows not yet judged right, reported in the closing note rather than hidden (none now).
KNOWN_MISSES: set[str] = set()


@pytest.mark.parametrize("name", ["redteam_8", "redteam_9", "redteam_10", "redteam_11",
                                  "redteam_12", "redteam_13", "redteam_14", "redteam_15",
                                  "redteam_16", "redteam_17", "redteam_18", "redteam_19",
                                  "redteam_20", "redteam_21", "redteam_22", "redteam_23",
                                  "redteam_24", "redteam_25", "redteam_26",
                                  "redteam_27", "redteam_28", "redteam_29", "redteam_30",
                                  "redteam_31", "redteam_32", "redteam_33", "redteam_34",
                                  "redteam_35", "redteam_36",
                                  "redteam_37", "redteam_38", "redteam_39", "redteam_40",
                                  "redteam_41", "redteam_42", "redteam_43", "redteam_44",
                                  "redteam_45", "redteam_46", "redteam_47",
                                  "redteam_48", "redteam_49", "redteam_50", "redteam_51",
                                  "redteam_52", "redteam_53", "redteam_54", "redteam_55",
                                  "redteam_56", "redteam_57", "redteam_58",
                                  "redteam_59", "redteam_60", "redteam_61",
                                  "redteam_62",
                                  "audit_lines"])
def test_the_latest_red_team_dev_families_are_judged_right(name):
    """Every dev reply of the last thirteen hunts (fraud, cover-ups, threats after a
    complaint, codes asked for, blank forms, pickup outside office hours, a stock answer to
    another question …):
    bad ones (expert <= 2) below 70, good ones (expert >= 4) at 60 or more. The held-out
    families are never tuned on and are reported by bench/bench_judgement.py, not tested."""
    wrong = []
    for row in _red_team_rows(name, "dev"):
        if row["id"] in CASE_CONFLICTS | KNOWN_MISSES:
            continue
        overall = score_reply(row["reply"], row.get("customer_turn"), row.get("scenario"),
                              row.get("move"), row.get("honorific"), None,
                              row.get("hour"))["overall"]
        if (row["expert"] <= 2 and overall >= 70) or (row["expert"] >= 4 and overall < 60):
            wrong.append((row["id"], row["family"], row["expert"], overall))
    assert not wrong, wrong


@pytest.mark.parametrize("reply, customer", [
    ("Toiletnya di ujung lorong sebelah kanan, Bu. Silakan.", "Bu, toiletnya di mana ya?"),
    ("Kalau NIB hilang, Ibu bisa masuk ke akun OSS dan unduh ulang NIB-nya, gratis.",
     "Bu, NIB saya hilang, gimana?"),
    ("Kantor kelurahan biasanya buka Senin sampai Jumat, jam 08.00 sampai 15.00, Pak.",
     "Kelurahan buka jam berapa ya, Pak?"),
])
def test_an_off_script_question_answered_on_its_own_topic_meets_the_need(reply, customer):
    result = score_reply(reply, customer, "renewal_complete", None, "Ibu", None, 9)
    assert result["reading"]["need"]["status"] == "met", result["reading"]["need"]
    stock = score_reply("Berkas lengkap, prosesnya 2 hari kerja, gratis. Ini tanda terimanya, "
                        "diambil di loket ini.", customer, "renewal_complete", None, "Ibu",
                        None, 9)
    assert stock["reading"]["need"]["status"] != "met"
    assert stock["responsiveness"] < result["responsiveness"]


# --- what the clerk confirms, the clerk says (affirmed.py, red-team 24) ---

@pytest.mark.parametrize("customer, reply, what", [
    ("Mbak, katanya perpanjangan bayar 200 ribu ya?", "Betul, Bu. Silakan disiapkan.", "biaya"),
    ("Prosesnya memang sebulan ya, Pak?", "Iya Pak, memang begitu prosesnya.", "lama proses"),
])
def test_confirming_a_wrong_claim_of_the_citizen_misinforms(customer, reply, what):
    result = score_reply(reply, customer, "renewal_complete", None, "Ibu", None, 9)
    assert what in result["reading"]["wrong_facts"]
    assert result["overall"] < 70


def test_confirming_a_plan_against_the_rules_is_the_clerks_breach():
    result = score_reply("Boleh Pak, pakai saja, lebih praktis.",
                         "Saya pakai NPWP kakak saya saja ya, dia sudah punya?",
                         "confused_customer", None, "Bapak", None, 9)
    assert result["reading"]["incidents"]
    assert result["overall"] < 60


@pytest.mark.parametrize("customer, reply", [
    ("Mbak, katanya perpanjangan bayar 200 ribu ya?",
     "Tidak, Bu, perpanjangan izin ini gratis, tidak dipungut biaya apa pun."),
    ("Mbak, katanya perpanjangan bayar 200 ribu ya?",
     "Iya Bu, memang ada yang bilang begitu, tapi sebenarnya gratis, tidak ada biaya."),
    ("Layanannya gratis kan, Pak?", "Iya Bu, gratis, tidak dipungut biaya."),
])
def test_a_correction_or_a_true_confirmation_is_no_wrong_fact(customer, reply):
    result = score_reply(reply, customer, "renewal_complete", None, "Ibu", None, 9)
    assert "biaya" not in result["reading"]["wrong_facts"]
    assert not result["reading"]["incidents"]
