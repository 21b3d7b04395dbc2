"""The critical incidents of a visit, in words a trainee reads (the rule broken first).

The reading of every reply finds the incidents (``actions/scoring/incidents.py``); this module
gathers them per visit for the debrief, the citizen and the objectives, with the rule each
kind breaks from the office's knowledge base (``actions/data/office.yml``, ``conduct:``).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from actions.datafiles import load_data

# what the trainee should do instead, per kind (the lesson that leads "Saran utama")
LESSONS = {
    "integrity": ("Jangan pernah meminta, mengisyaratkan, atau menerima imbalan: sampaikan bahwa "
                  "layanan ini gratis, lalu layani sampai tuntas seperti pemohon lain."),
    "false_promise": ("Janjikan hanya yang sesuai ketentuan: 2 hari kerja setelah berkas lengkap, "
                      "semua persyaratan wajib, tanpa jalur khusus; bila bisa membantu, katakan "
                      "apa yang akan Anda lakukan, bukan hasil yang tidak bisa Anda jamin."),
    "confidentiality": ("Jaga kerahasiaan: jangan membicarakan urusan atau data pemohon lain dan "
                        "jangan menanyakan hal pribadi yang tidak diperlukan untuk layanan."),
    "misconduct": ("Layani secara profesional di loket: tanpa menekan, mengancam, mengomentari "
                   "pribadi, membedakan asal-usul, menawarkan jasa kenalan, atau memakai jalur "
                   "pribadi; semua pelanggan mendapat layanan yang sama."),
    "condescension": ("Jelaskan dengan sabar tanpa menyindir atau menilai kemampuan pelanggan; "
                      "kata halus tidak menutupi nada yang merendahkan."),
}


def rule(kind: str) -> str:
    """The one-sentence rule a kind of incident breaks (office.yml)."""
    return " ".join(str(load_data("office")["conduct"][kind]).split())


# an adult citizen addressed as "Dek", "Bro", "kamu" again and again: one such word is a slip
# (the reply's politeness pays for it), a habit is disrespect the visit fails for
RUDE_ADDRESS_REPEATED = 2
RUDE_ADDRESS = ("sapaan tidak hormat berulang",
                 "Sapa pelanggan dengan 'Bapak' atau 'Ibu' di setiap balasan; sapaan akrab seperti "
                 "'Dek', 'Bro', atau 'kamu' merendahkan pelanggan, apalagi yang lebih tua.")


def of_visit(records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The first incident of each kind in the visit: kind, label, text, turn, rule, lesson;
    a disrespectful address repeated in ``RUDE_ADDRESS_REPEATED`` replies is one of respect."""
    seen: dict[str, dict[str, Any]] = {}
    rude: list[Mapping[str, Any]] = []
    for record in records:
        reading = record.get("reading") or {}
        for item in reading.get("incidents") or ():
            kind = item.get("kind")
            if kind in LESSONS and kind not in seen:
                seen[kind] = {"kind": kind, "label": str(item.get("label") or ""),
                              "text": str(item.get("text") or "")[:80],
                              "turn": record.get("turn"), "rule": rule(kind),
                              "lesson": LESSONS[kind]}
        if reading.get("address") == "rude":
            rude.append(record)
    if len(rude) >= RUDE_ADDRESS_REPEATED and "condescension" not in seen:
        words = [str(e.get("text") or "") for r in rude
                 for e in (r.get("scores") or {}).get("evidence") or ()
                 if e.get("signal") == "rude_you" and e.get("text")]
        seen["condescension"] = {
            "kind": "condescension", "label": RUDE_ADDRESS[0],
            "text": ", ".join(dict.fromkeys(words))[:80] or "sapaan",
            "turn": rude[0].get("turn"), "rule": rule("condescension"),
            "lesson": RUDE_ADDRESS[1]}
    return list(seen.values())


def lessons() -> tuple[str, ...]:
    """Every lesson a breach of the visit can lead the debrief with."""
    return (*LESSONS.values(), RUDE_ADDRESS[1])
