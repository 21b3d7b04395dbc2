"""The visit played through the REST channel of a real Rasa server and action server."""

from __future__ import annotations

import uuid

import pytest

SEED = [
    "Selamat pagi, Bapak/Ibu, selamat datang di PTSP, ada yang bisa kami bantu?",
    "Tentu. Mohon izin, apakah sudah membawa dokumen persyaratan yang dibutuhkan?",
    "Baik, terima kasih, izinkan saya memeriksa dokumen-dokumen ini terlebih dahulu ya",
    "Dokumen-dokumennya sudah lengkap, proses berikutnya membutuhkan waktu 2 hari kerja. "
    "Apakah ada lain yang ingin ditanyakan?",
    "Dengan senang hati. Ini tanda terima dokumennya. Jangan ragu untuk menghubungi kami "
    "jika ada kebutuhan lain. Semoga hari Anda menyenangkan",
    "Selamat pagi",
]


def texts(body) -> list[str]:
    return [m["text"] for m in body if m.get("text")]


def citizen_lines(body) -> list[str]:
    """Bot texts that are the citizen speaking (not scene lines or feedback)."""
    return [t for t in texts(body) if not t.startswith("[")]


def is_scene_line(text: str) -> bool:
    """The bracketed stage direction that opens a visit ("[Pukul 09.00 WIB. Seorang ...]")."""
    return text.startswith("[") and ("Seorang" in text or "WIB" in text)


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"


def test_seed_visit_every_turn_gets_a_citizen_reply(stack):
    sender = new_sender()
    replies = []
    for message in SEED:
        status, body = stack.say(sender, message)
        assert status == 200
        lines = citizen_lines(body)
        assert lines, f"citizen silent after {message!r}: {body}"
        replies.append(lines[-1])
    # first turn opens with the scene line, then the citizen states the purpose
    _, body = stack.say(new_sender(), SEED[0])
    assert is_scene_line(texts(body)[0]), texts(body)[0]
    assert "perpanjang" in replies[0]
    assert "dokumen" in replies[1].lower() or "map" in replies[1].lower()
    assert "selamat" in replies[-1].lower() or "terima kasih" in replies[-1].lower()


def test_every_turn_has_a_record_in_the_tracker_store(stack):
    sender = new_sender()
    for message in SEED[:3]:
        stack.say(sender, message)
    records = [
        e["value"] for e in stack.tracker_events(sender)
        if e.get("event") == "slot" and e.get("name") == "turn_record"
    ]
    assert [r["turn"] for r in records] == [1, 2, 3]
    assert [r["move"] for r in records] == ["greet", "ask_documents", "check_documents"]


@pytest.mark.parametrize(
    "message",
    ["", "   ", "\n\t", "a" * 10_000, "🙂🙂🙂", "<script>alert(1)</script>",
     "Good morning, how can I help you?", "'; DROP TABLE events; --", "???"],
)
def test_odd_input_gets_an_answer(stack, message):
    status, body = stack.say(new_sender(), message)
    assert status == 200
    assert citizen_lines(body), f"no citizen reply to {message[:40]!r}: {body}"


@pytest.mark.parametrize(
    "opening",
    [
        ["mana dokumennya"],  # documents before greeting
        ["Selamat pagi Pak", "itu bukan urusan saya, tanya loket lain"],  # dismissal
        ["Selamat pagi Pak", "Selamat pagi Pak", "Selamat pagi Pak"],  # repetition
        ["prosesnya 2 hari kerja", "biayanya gratis pak"],  # unprompted duration and cost
        ["Syaratnya KTP, NPWP, NIB dan izin lama"],  # requirements before anything
        ["ok dadah"],  # goodbye too early
    ],
)
def test_deviations_never_leave_the_citizen_silent(stack, opening):
    sender = new_sender()
    for message in opening:
        status, body = stack.say(sender, message)
        assert status == 200 and citizen_lines(body), (message, body)


def test_conversation_survives_a_restart_of_the_rasa_server(stack):
    sender = new_sender()
    stack.say(sender, SEED[0])
    stack.say(sender, SEED[1])
    stack.stop("rasa")
    stack.start_rasa()
    _, body = stack.say(sender, SEED[2])
    # the visit continues where it was: the citizen waits for the check (not a new opening)
    line = citizen_lines(body)[-1].lower()
    assert "tunggu" in line or "silakan" in line, line
    assert not is_scene_line(texts(body)[0])
