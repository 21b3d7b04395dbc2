"""Replies with words no good service used are held below 70 for a trainer (novelty.py)."""

from __future__ import annotations

import pytest

from actions.scoring import learned, score_reply
from actions.scoring.lexicon import get_lexicon
from actions.scoring.novelty import known_words, unrecognised
from actions.scoring.text import Analysed, resources

TURN = "Selamat pagi, saya mau perpanjang izin usaha. Ini berkas saya lengkap."
GOOD = ("Selamat pagi, Ibu. Berkas Ibu lengkap, ini tanda terimanya. Prosesnya 2 hari kerja, "
        "gratis, dan izinnya diambil di loket ini dengan membawa tanda terima.")


def _score(reply: str) -> dict:
    return score_reply(reply, customer_turn=TURN, scenario="renewal_complete",
                       honorific="Ibu", hour=9)


def _held(result: dict) -> list:
    return [e for e in result["evidence"] if e["signal"] == "unrecognised_words"]


@pytest.fixture(scope="module")
def res():
    return resources(get_lexicon().norms)


@pytest.fixture(scope="module")
def known(res):
    model = learned.model(lambda item: item)  # the cached model (fitted by `make train`)
    if model is None or not model.known_words:
        pytest.skip("no learned model")
    return model.known_words


@pytest.fixture()
def controlled(res, known):
    """The known words of one good rated reply plus the office's own texts (the rated sets
    grow with every hunt: a word unknown today may be taught tomorrow)."""
    model = learned.model(lambda item: item)
    saved = model.known_words
    model.known_words = known_words([{"reply": GOOD, "expert": 5}],
                                    lambda text: Analysed(text, res))
    yield model.known_words
    model.known_words = saved


def _assert_held_below_70(text: str, held_of, label_part: str) -> None:
    """The good reply scores above 69; with the addition it is held at 69 or below, with a
    negative evidence item naming the hold, the held mark and a tip for the trainer."""
    plain = _score(GOOD)
    result = _score(text)
    assert result["overall"] <= 69 < plain["overall"]
    held = held_of(result)
    assert held and all(e["effect"] < 0 for e in held)
    assert label_part in held[0]["label"]
    assert "held_for_review" in result["reading"]["marks"]
    assert any("pelatih" in tip for tip in result["tips"])


def test_a_good_reply_in_service_words_is_not_held(controlled):
    result = _score(GOOD)
    assert not _held(result)
    assert result["overall"] >= 75
    assert "held_for_review" not in result["reading"]["marks"]


@pytest.mark.parametrize("aside", [
    "Hanya saja saya cuti mulai besok, jadi berkasnya baru saya kerjakan minggu depan.",
    "Oh ya, kalau Ibu perlu pengacara, saya kenal satu yang bagus di dekat pasar.",
    "Oh ya, kemarin ada wartawan memotret antrean di depan, ramai sekali.",
])
def test_a_good_reply_with_an_aside_about_something_else_is_held_below_70(aside, controlled):
    _assert_held_below_70(f"{GOOD} {aside}", _held, "ditinjau pelatih")


@pytest.mark.parametrize("reply", [
    # a Javanese-krama clerk, chat spelling and a typo are the reading's business
    "Sugeng enjing, Bu. Berkasipun sampun jangkep, menika tanda terimanipun. Prosesipun "
    "2 dinten kerja, gratis.",
    "Pagi bu, berkas udh lengkap yaa, ini tanda terimanya. prosesnya 2 hr kerja, gratis.",
    "Selamat pagi, Ibu. Berkas Ibu lengkap, ini tanda terimannya. Prosesnya 2 hari kerja.",
    # a name after an honorific
    "Selamat pagi, Bu Sulastri. Berkas Ibu lengkap, ini tanda terimanya, 2 hari kerja.",
])
def test_registers_typos_and_names_are_not_held(reply, controlled):
    assert not _held(_score(reply))


def test_a_critical_incident_is_judged_by_its_own_caps(controlled):
    result = _score(f"{GOOD} Uang lelahnya seikhlasnya saja ya, Bu, titip lewat saya.")
    assert not _held(result)
    assert result["reading"]["incidents"]


def test_the_known_words_come_from_good_service_only(res, known):
    analyse = lambda text: Analysed(text, res)  # noqa: E731
    rated = [{"reply": "Keponakan saya butuh kerja.", "expert": 1},
             {"reply": "Silakan isi formulir keberatan di meja depan.", "expert": 5}]
    words = known_words(rated, analyse)
    assert "keberatan" in words  # a good rated reply teaches its words
    assert "keponakan" not in words  # a bad one does not
    assert "tanda" in words and "kelurahan" in words  # the office's rules and NLU examples


def test_unrecognised_reports_dictionary_words_in_order(res, controlled):
    text = "Saya cuti dulu, nanti wartawan datang."
    words = unrecognised(Analysed(text, res), controlled, res.is_standard_word)
    assert words[:2] == ["cuti", "wartawan"]


# --- burdens in ordinary words (burdens.py) ---

def _burdens(result: dict) -> list:
    return [e for e in result["evidence"] if e["signal"] == "unrecognised_burden"]


@pytest.fixture()
def controlled_burdens(res, known):
    """Every word known, but only the burdens of one good reply and the office's rules."""
    from actions.scoring.burdens import known_burden_words

    model = learned.model(lambda item: item)
    saved = model.known_burdens
    good = [{"reply": "Ibu harus membawa Surat Keterangan Domisili Usaha dari kelurahan tempat "
                      "usaha, dan jangan sampai tanda terimanya hilang ya, Bu.", "expert": 5}]
    model.known_burdens = known_burden_words(good, lambda text: Analysed(text, res))
    yield model.known_burdens
    model.known_burdens = saved


@pytest.mark.parametrize("burden", [
    "Tapi Ibu harus menunggu di kursi itu sampai sore, tidak boleh pulang dulu.",
    "Jangan telepon kantor untuk menanyakan status, nanti berkasnya dipindah ke belakang.",
    "Pengambilan hanya dilayani untuk dua puluh orang pertama.",
])
def test_a_burden_the_rules_do_not_hold_is_held_below_70(burden, controlled_burdens):
    _assert_held_below_70(f"{GOOD} {burden}", _burdens, "aturan kantor")


def test_a_burden_of_good_service_is_not_held(controlled_burdens):
    result = _score(f"{GOOD} Jangan sampai tanda terimanya hilang ya, Bu.")
    assert not _burdens(result)


def test_the_burden_clause_ends_at_a_comma_or_a_conjunction(res):
    from actions.scoring.burdens import clauses

    found = [w for w, _ in clauses(Analysed(
        "Bapak harus menunggu di sini, tapi boleh minum kopi dan tidak boleh pulang.", res))]
    assert found == ["harus menunggu di sini", "tidak boleh pulang"]
