"""The claims of a clerk reply, in any wording, checked against the office's knowledge base.

A claim is what the reply tells the citizen as a fact: how long the renewal takes ("besok",
"seminggu", "2 hk", "dua hari kerja"), what it costs ("150rb", "Rp150.000", "seratus lima puluh
ribu"), which document is not needed, where a document is (not) obtained. Negated claims ("tidak
ada biaya Rp50.000") and reported ones ("dijanjikan 3 hari kerja") are not the clerk's own
claims. A wrong fact (``wrong_facts`` of the reading) is declared only from a claim that
contradicts ``actions/data/office.yml`` or the scenario's case, never from an NLU move alone.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, List, Optional

from actions.datafiles import load_data

from .context import Context
from .incidents import clauses
from .step_order import wrong_order
from .weekdays import WEEKDAY_NAMES, wrong_pickup_day

_UNITS = {"ribu": 1_000, "rb": 1_000, "k": 1_000, "juta": 1_000_000, "jt": 1_000_000}
_DIGITS = {"nol": 0, "satu": 1, "se": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6,
           "tujuh": 7, "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11}
_NUMBER_WORD = (r"(?:(?:se|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan)"
                r"\s?(?:ratus|puluh|belas)\s?)*(?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|"
                r"seratus|sepuluh|se)?")
_SLANG = {"gopek": 500, "seceng": 1_000, "noceng": 2_000, "goceng": 5_000, "ceban": 10_000,
          "gocap": 50_000, "goban": 50_000, "cepek": 100_000, "sejuta": 1_000_000, "seribu": 1_000}
_SLANG_WORDS = "|".join(_SLANG)
_AMOUNT = re.compile(
    r"(?<!\w)(?:rp\.?\s?(?P<rp>\d[\d.,]*)(?:\s?(?P<rpu>ribu|rb|k|juta|jt))?"
    r"|(?P<num>\d[\d.,]*)\s?(?P<unit>ribu|rb|k|juta|jt|rupiah)"
    r"|(?P<words>" + _NUMBER_WORD + r")\s?(?P<wunit>ribu|juta)(?:\s?rupiah)?"
    r"|(?P<slang>" + _SLANG_WORDS + r"))"
    r"(?:-?nya)?(?!\w)")  # "dua ratus ribunya jadi nggak?"
_N = (r"(\d+|(?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan) belas|dua puluh|"
      r"tiga puluh|satu|se|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|"
      r"x{0,2}(?:ix|iv|v?i{1,3}|v)|xx?)")  # roman numerals too ("VII hari kerja")
_DURATION = re.compile(  # "tanggal 16 hari Senin" is a date, not 16 days; "jam 9 hari Rabu",
    # "08.00-16.00 hari kerja", "buka 5 hari kerja" are hours and opening days (red-team 44)
    r"(?<!\w)(?<!tanggal )(?<!jam )(?<!pukul )(?<![.:])(?<!buka )(?:" + _N
    + r" ?(?P<u>hari kerja|hari(?! (?:senin|selasa|rabu|kamis|jumat|sabtu|minggu)\b)|minggu|mgg|"
    r"mg|pekan|bulan|jam kerja|jam)(?! (?:dalam |per |se)?(?:seminggu|sepekan|minggu)\b)"
    # Fridays counted ("sesudah dua kali Jumatan", "setelah lewat tiga Jumat"): weeks
    r"|(?P<f>" + _N[1:-1] + r") (?:kali )?jum'?at(?:an)?"
    r"|(?P<ff>jum'?at depan(?:nya)? lagi)"
    r"|(?P<w>seminggu|sepekan|sebulan|sejam|besok|lusa|hari ini|sore ini|siang ini|pagi ini|"
    r"nanti sore|nanti siang|sekarang juga|saat ini juga|detik ini|hari itu juga|hari itu keneh|"
    r"hari yang sama)"  # "datang jam 8, bisa langsung jadi hari itu juga" (red-team 61)
    # a feast or a month named as the time ("bakda Suro", "habis Lebaran"): weeks away
    r"|(?P<e>(?:bakda|bakdo|sesudah|setelah|habis|abis|sehabis|selesai) (?:suro|sura|lebaran|"
    r"idul fitri|idul adha|tahun baru|puasa|natal|imlek|agustusan|mudik)))(?!\w)")
_NAMES_TODAY = re.compile(r",? (?:hari )?(?:\w+,? )?tanggal \d|,? (?:hari )?(?:"
                          + "|".join(sorted(WEEKDAY_NAMES)) + r")\b")  # "hari ini Senin, …"
_DAYS = {"seminggu": 7, "sepekan": 7, "sebulan": 30, "sejam": 0, "besok": 1, "lusa": 2}
_UNIT_DAYS = {"hari kerja": 1, "hari": 1, "minggu": 7, "mgg": 7, "mg": 7, "pekan": 7, "bulan": 30,
              "jam": 0}
_ROMAN = {"i": 1, "v": 5, "x": 10}
# a duration is a claim of when the permit is ready only next to one of these
_READY = re.compile(r"(?<!\w)(?:(?:jadi|selesai|beres|keluar|terbit|diambil|ambil|mengambil|siap|"
                    r"rampung|kelar|proses|diproses|lama|waktu|memakan|membutuhkan|butuh|ditunggu|"
                    r"tunggu|menunggu|(?:di)?bawa pulang)"
                    r"(?:nya)?)(?!\w)")
# "izin belum bisa terbit karena bukti SPT belum dilampirkan": the reason named is required
_BECAUSE = re.compile(r"(?<!\w)(?:karena|sebab|soalnya|gara-gara)(?!\w)")
_OWN_BUSINESS = re.compile(r"(?<!\w)(?:gratis|tidak (?:ada|dipungut) biaya|ktp,? npwp)(?!\w)")
_TIMES_AFTER = re.compile(r"\)?\s*[×x*]\s*(\d{1,2})(?!\w)")
_TIMES_BEFORE = re.compile(r"(?<!\w)(\d{1,2})\s*[×x*]\s*\(?$")
# the counter said closed while it is open (the visit's hour within office hours)
_OPEN_HOURS = (8, 15)
_CLOSED_NOW = re.compile(r"(?<!\w)(?:loket|kantor|penerimaan|pelayanan)\w* (?:\w+ ){0,3}"
                         r"(?:(?:hari ini |hr ini |sekarang )?(?:sudah|udah|udh|sdh)|hari ini|"
                         r"hr ini|sekarang) tutup(?!\w| (?:jam|pukul|tiap|setiap|pada))")
_NOTIFY = re.compile(r"(?<!\w)(?:kabari|mengabari|kabarkan|hubungi|menghubungi|telepon|menelepon|"
                     r"informasikan|menginformasikan|sms|wa)(?!\w)")
# the upset citizen's file has waited for the head's signature: a time next to it is that wait
_SIGNATURE_WAIT = re.compile(r"(?<!\w)(?:tanda ?tangan|tertahan|ditandatangani|paraf)(?!\w)")
# "**) belum termasuk biaya survei Rp150.000": an amount on top, not denied
_ON_TOP = re.compile(r"(?<!\w)(?:belum|tidak|tak) termasuk(?!\w)")
# "Besok siang, Rabu, ambil di sini": the day, then where to pick it up
_PICKUP_AFTER = re.compile(r"^[^.!?]{0,45}?(?<!\w)(?:ambil|diambil|ambilnya|mengambil)(?!\w)")
_READY_NOW = re.compile(r"(?<!\w)(?:(?:jadi|selesai|beres|keluar|terbit|diambil|siap|rampung|"
                        r"kelar|(?:di)?bawa pulang)(?:nya)?)(?!\w)")
_REPORTED = re.compile(r"(?<!\w)(?:dijanjikan|janjinya|katanya|minggu lalu|sebelumnya|tadinya|"
                       r"tanpa kabar|"
                       r"waktu itu|kemarin|seharusnya|harusnya|semestinya|mestinya|yang lalu|dulu|"
                       r"tidak (?:kami |saya )?tepati|janji|kalau|jika|misalnya|misal|umpama|"
                       r"andaikan|"
                       r"seandainya|"
                       r"(?:teman|temen|kenalan|tetangga|saudara) (?:saya|aku|sy))(?!\w)")
# time gone by, not a time to come ("sudah tertahan sejak lima hari kerja", "terlambat 3 hari",
# "sudah sampai 5 hari kerja"; not the range "2 sampai 30 hari kerja" nor "tunggu sampai 4 …")
_ELAPSED = re.compile(r"(?<!\w)(?:sejak|selama|(?<!setelah )(?<!sesudah )lewat|terlambat|"
                      r"tertunda|molor|sudah|udah|"
                      r"(?:sudah|udah|telah) sampai)\s+$")  # not "tunggu sampai 4 hari kerja"
_COUNTED_FROM = re.compile(r"(?<!\w)(?:dari|sejak|mulai|terhitung)\s+$")
# another office's time (the letter from the kelurahan) is not a claim about this permit
_OTHER_OFFICE = re.compile(
    r"(?<!\w)(?:kelurahan|desa|rt|rw|pengantar|domisili|skdu|oss|nib|kpk|gratifikasi)(?!\w)")
# "Ke Dukcapil, Bu.": a bare place in the missing-letter case is where the letter is made
_BARE_PLACE = re.compile(r"^\W*(?:ke|di|dari|ngurusnya di|urusnya di) ")
_THIS_PERMIT = re.compile(r"(?<!\w)(?:izin(?:nya|e|ne|ipun|na)?|berkas(?:nya)?|"
                          r"perpanjangan(?:nya)?|"
                          r"proses(?:nya)?|diproses|loket ini|tanda terima)(?!\w)")
# "bukan di kecamatan", "orang sering salah ke kecamatan", "satu tingkat di bawah kecamatan":
# no claim of the place
_REPORTED_PLACE = re.compile(r"(?<!\w)(?:bukan|salah|keliru|sering|jangan|di bawah|di atas|"
                             r"(?:se)?tingkat|daripada|berbeda dengan|beda dengan)(?!\w)")
_THIRD_PARTY = re.compile(r"(?<!\w)(?:(?:pak|bu|bapak|ibu|mas|mbak|koh|cik) [a-z]+ "
                          r"(?:yang|itu|tadi)|"
                          r"(?:pemohon|orang|tetangga|warga) (?:lain|sebelah|tadi))(?!\w)")
_SEGMENT = re.compile(r"[,:()]+")
_WAIVED = re.compile(r"(?<!\w)(?:(?:tidak|tak|nggak|gak|ga) (?:perlu|usah|wajib|harus|pakai)|tanpa)"
                     r"(?!\w)")
# "kalau nanti perlu dilegalisir, yang dilaminasi susah dicap": a need some day elsewhere, no
# requirement of this permit (red-team 60)
_SOMEDAY = re.compile(r"(?<!\w)(?:kalau|jika|bila|apabila|seandainya|andai) (?:\w+ ){0,2}(?:suatu "
                      r"(?:saat|hari|waktu)|nanti|kelak|sewaktu-waktu|di kemudian hari)(?: \w+)?"
                      r" (?:perlu|harus|butuh|diperlukan|dibutuhkan|mau|ingin)\W*$|(?<!\w)(?:kalau|"
                      r"jika|bila|apabila) (?:memang )?(?:perlu|diperlukan|dibutuhkan)\W*$")
# "… dari kelurahan. Eh maaf, salah, dari kecamatan": a correction TO the place names it
_CORRECTED_TO = re.compile(r"(?<!\w)(?:salah|keliru)\s*[,.!;:-]\W*(?:maksud(?:nya| saya)?\W+)?"
                           r"(?:dari |di |ke )?(?:kantor )?$")
_FIXED_AFTER = re.compile(r"(?<!\w)(?:salah|keliru|bukan)(?!\w)")
_RUPIAH = re.compile(r"(?<!\w)rp\.?\s?\d")
_WAIVED_AFTER = re.compile(r"(?:nya)?\s+(?:itu\s+|juga\s+|sebenarnya\s+)?(?:tidak|nggak|gak|ga|tak|"
                           r"ndak|enggak|gausah)\s*(?:perlu|usah|wajib|harus|dibutuhkan|diperlukan)"
                           r"(?!\w)")
_CERTAIN = re.compile(r"(?<!\w)(?:pasti|dijamin|jamin|janji|langsung (?:jadi|selesai|beres|keluar)|"
                      r"100 ?%|pokoknya)(?!\w)")
_FEE_CONTEXT = re.compile(r"(?<!\w)(?:bayar|dibayar|membayar|biaya(?:nya)?|ongkos|tarif|retribusi|"
                          r"harga(?:nya)?|kasir|administrasi|adm|admin|uang|setor|transfer|dikenakan|"
                          r"pungut|dipungut|kena|cash|tunai|minta|duit|"
                          # "goceng, buat ganti kertas", "ganti cetak sepuluh ewu"
                          r"ganti|pengganti|gantinya)(?!\w)")


# "Oke, mana lima puluh ribunya?": an amount asked for
_AMOUNT_ASKED = re.compile(r"(?<!\w)(?<!di )(?<!ke )(?<!dari )mana (?:\w+ ){0,2}(?:\d|se|satu|"
                           r"dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|gopek|goceng|ceban|"
                           r"gocap|goban|cepek)")
# "Mau nggak? 100rb aja": an amount named as a price, with no money word
_PRICE_TAIL = re.compile(r"(?:\d+ ?(?:rb|ribu|k|juta|jt)"
                         r"|seceng|noceng|goceng|ceban|gocap|goban|cepek"
                         r"|(?:seratus|lima puluh|dua ratus|lima ratus) ?(?:ribu|juta))"
                         r" (?:saja|aja|doang)(?!\w)")


@lru_cache(maxsize=1)
def office_facts() -> Dict[str, Any]:
    """The facts of ``actions/data/office.yml`` (loaded once)."""
    return dict(load_data("office")["facts"])


@lru_cache(maxsize=1)
def _office_patterns() -> Dict[str, re.Pattern]:
    facts = office_facts()
    return {name: re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in facts[name]) + r")(?!\w)")
            for name in ("not_required", "wrong_places", "wrong_place_topics", "wrong_glosses",
                         "invented_rules")}


@lru_cache(maxsize=1)
def _pickup_patterns() -> tuple[re.Pattern, re.Pattern]:
    facts = office_facts()
    words = re.compile(r"(?<!\w)(?:" + "|".join(facts["pickup_words"]) + r")(?!\w)")
    wrong = re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in facts["pickup_wrong_places"])
                       + r")(?!\w)")
    return words, wrong


_PERMIT = re.compile(r"(?<!\w)izin(?:nya)?(?!\w)")
_SKDU_TOPIC = re.compile(r"(?<!\w)(?:skdu|domisili|surat keterangan|pengantar|surat(?:nya)? itu)")


def _pickup_claim(ctx: Context, clause: str) -> Optional[re.Match]:
    """A wrong place to pick the permit up ("diambil di kantor kelurahan", "loket 7 lantai 2")
    in a clause about picking it up, or answering the citizen's "izinnya saya ambil di mana?"."""
    words, wrong = _pickup_patterns()
    asked = bool(ctx.customer and words.search(ctx.customer.norm) and
                 _PERMIT.search(ctx.customer.norm) and not _SKDU_TOPIC.search(ctx.customer.norm))
    if _SKDU_TOPIC.search(clause) or _REPORTED_PLACE.search(clause):
        return None
    if not (asked or (words.search(clause) and _PERMIT.search(clause))):
        return None
    for m in wrong.finditer(clause):
        if not _CONTACTED.search(clause[max(0, m.start() - 40):m.start()]):
            return m  # "saya hubungi bagian tata usaha": whom the clerk asks, not the pickup
    return None


_CONTACTED = re.compile(r"(?<!\w)(?:hubungi|menghubungi|koordinasi|berkoordinasi|tanyakan|"
                        r"menanyakan|cek|mengecek|konfirmasi|teruskan|meneruskan|sampaikan|"
                        r"menyampaikan|dorong|mendorong|ingatkan|mengingatkan)\w*(?: \w+){0,3}"
                        r" (?:ke |dengan |kepada )?$")


@lru_cache(maxsize=8)
def present_documents(scenario: str) -> frozenset[str]:
    """The requirements this scenario's citizen brought (``counter.documents`` with state
    ``ada``), as the keys of office.yml's ``requirements``."""
    spec = (load_data("scenarios")["scenarios"].get(scenario) or {}).get("counter") or {}
    return frozenset(key for doc in spec.get("documents") or ()
                     if doc.get("state") == "ada"
                     for key in [requirement_key(str(doc.get("name", "")).lower())] if key)


def requirement_key(text: str) -> Optional[str]:
    """Which requirement a document's words name ("npwp-nya" -> npwp), if any."""
    for key, words in office_facts()["requirements"].items():
        if re.search(r"(?<!\w)(?:" + "|".join(words) + r")", text):
            return key
    return None


@lru_cache(maxsize=8)
def _case_pattern(scenario: str) -> Optional[re.Pattern]:
    """Claims that contradict a scenario's case (``case_wrong_claims`` in scenarios.yml)."""
    spec = (load_data("scenarios")["scenarios"].get(scenario) or {}).get("case_wrong_claims")
    return re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in spec) + r")(?!\w)") if spec \
        else None


def _amount_value(m: re.Match) -> Optional[int]:
    if m.group("slang"):
        return _SLANG[m.group("slang")]
    if m.group("rp") or m.group("num"):
        raw = (m.group("rp") or m.group("num")).rstrip(".,")
        unit = m.group("rpu") or m.group("unit") or ""
        plain = unit in ("", "rupiah")
        digits = raw.replace(".", "").replace(",", "") if plain else raw.replace(",", ".")
        try:
            value = float(digits) if unit not in ("", "rupiah") else float(digits or 0)
        except ValueError:
            return None
        return int(value * _UNITS.get(unit, 1))
    words = (m.group("words") or "").split()
    part, digit = 0, 0  # "seratus lima puluh": 100 + 5 x 10 (each multiplier takes its digit)
    for w in " ".join(words).replace("ratus", " ratus").replace("puluh", " puluh").replace(
            "belas", " belas").split():
        if w in ("ratus", "puluh"):
            part += (digit or 1) * (100 if w == "ratus" else 10)
            digit = 0
        elif w == "belas":
            part += 10 + (digit or 1)
            digit = 0
        elif w == "seratus":
            part += 100
        elif w in _DIGITS:
            digit = _DIGITS[w]
    part += digit
    total = (part or 1) * _UNITS[m.group("wunit")]
    return total


_NOT_READY = re.compile(r"(?<!\w)(?:tidak|belum|bukan|tak)(?: \w+){0,2} (?:jadi|selesai|beres|"
                        r"keluar|terbit|diambil|siap|rampung|kelar)(?!\w)")
# "Saya bawa berkasnya ke kepala dinas hari ini, bisa diambil Kamis": today is the clerk's own
# step, the day named after it is when the permit is ready (audit 39)
_OWN_STEP = (r"(?:saya|kami|aku|gue|aye|sy)\s+(?:\w+\s+){0,2}?(?:bawa|antar|naikkan|ajukan|"
             r"teruskan|serahkan|kirim|sampaikan|mintakan|mintai)\w*(?!\w)")
_OWN_STEP_BEFORE = re.compile(r"(?<!\w)" + _OWN_STEP + r"[^.;]{0,60}$")
_OWN_STEP_AFTER = re.compile(r"^\s*,?\s*" + _OWN_STEP)
_READY_DAY_LATER = re.compile(r"(?<!\w)(?:diambil|ambil|jadi|selesai|siap|terbit)\w*\s+"
                              r"(?:\w+\s+){0,2}(?:hari\s+)?(?:senin|selasa|rabu|kamis|jumat|besok|"
                              r"lusa)(?!\w)")
# "Kalau sudah jelas semuanya, urusan Ibu hari ini selesai": the visit, not the permit (audit 40)
_VISIT_DONE = re.compile(r"(?<!\w)(?:urusan|keperluan|kunjungan|layanan)(?:nya)?(?: \w+)?\s*$")
_LEADING_JADI = re.compile(r"^\s*jadi\b")
_TOMORROW_BEFORE = re.compile(r"(?<!\w)(besok|lusa),? $")
# a working day named as the day it is ready; not a range of opening days ("Senin sampai Jumat",
# "Senin-Jumat"), not today ("hari ini Kamis"), not a start ("mulai Senin")
_WEEKDAY = re.compile(r"(?<!\w)(?<!sampai )(?<!hingga )(?<!- )(?<!-)(?<!mulai )(?<!sejak )"
                      r"(?<!ini )(?<!ini kan )(?<!sekarang )(?<!sekarang kan )(?<!kecuali )"
                      r"(?:hari )?(?P<d>senin|selasa|rabu|kamis|jumat|jum'at)"
                      r"(?! ?(?:-|sampai|hingga|s/d|s\.d\.?) ?(?:\w+))(?!\w)")


def _segment(clause: str, start: int, end: int) -> str:
    """The comma-delimited part of a clause around [start, end)."""
    a = max((m.end() for m in _SEGMENT.finditer(clause, 0, start)), default=0)
    b = next((m.start() for m in _SEGMENT.finditer(clause, end)), len(clause))
    return clause[a:b]


def number_of(word: str) -> Optional[int]:
    """A count written in digits, Indonesian words or roman numerals ("2", "dua", "empat
    belas", "vii")."""
    if word.isdigit():
        return int(word)
    if word and set(word) <= set(_ROMAN):  # "vii", "xii", "iv"
        values = [_ROMAN[c] for c in word]
        return sum(-v if i + 1 < len(values) and v < values[i + 1] else v
                   for i, v in enumerate(values))
    if word.endswith(" belas") and word[:-6] in _DIGITS:  # "lima belas"
        return 10 + _DIGITS[word[:-6]]
    if word.endswith(" puluh") and word[:-6] in _DIGITS:  # "dua puluh"
        return 10 * _DIGITS[word[:-6]]
    return {"satu": 1, "se": 1, **_DIGITS}.get(word)


def _weekday_claim(ctx: Context, offset: int, clause: str, asked_when: bool
                   ) -> Optional[Dict[str, Any]]:
    """A named day as the time the permit is ready ("kamis bu" to "kapan?", "Jumat sudah
    jadi", "benjing Jumat"): a duration claim that keeps the day. Whether the counter is open
    that day and how many working days it is, ``weekdays.wrong_pickup_day`` checks; here it
    stands for the office's time."""
    words = len(clause.split())
    for m in _WEEKDAY.finditer(clause):
        segment = _segment(clause, m.start(), m.end())
        if ctx.negated_at(offset + m.start()) or _REPORTED.search(segment) or \
                _OTHER_OFFICE.search(segment) or _NOT_READY.search(segment) or \
                _ELAPSED.search(clause[max(0, m.start() - 16):m.start()]):
            continue
        if not (asked_when or words <= 4 or _READY.search(segment)):
            continue  # "Senin sampai Jumat buka": the opening days, not a time
        start, days = m.start(), int(office_facts()["working_days"])
        said = _TOMORROW_BEFORE.search(clause[:start])  # "besok Jumat": tomorrow, a Friday
        if said:
            start, days = said.start(), _DAYS[said.group(1)]
        return {"kind": "duration", "days": days,
                "working": True, "certain": bool(_CERTAIN.search(segment)),
                "weekday": m.group("d").replace("'", ""),
                "text": ctx.reply.span(offset + start, offset + m.end())}
    return None


_FILE_LIST = re.compile(r"(?<!\w)(?:ktp|npwp|nib|izin (?:usaha )?(?:yang )?lama|skdu)(?!\w)")


def _asks_elsewhere(customer: str) -> bool:
    """The citizen's line is about another office's paper (the kelurahan's letter, OSS), not
    about this permit: red-team 43, "Ini berkas saya lengkap: KTP, NPWP, NIB, izin lama, dan
    SKDU" hands over the file."""
    for sentence in re.split(r"(?<=[.!?])\s+", customer):
        if _OTHER_OFFICE.search(sentence) and len(_FILE_LIST.findall(sentence)) < 3:
            return True
    return False


def extract_claims(ctx: Context) -> List[Dict[str, Any]]:
    """The reply's own claims: ``{"kind", "value", "text", ...}`` in text order."""
    out: List[Dict[str, Any]] = []
    # asked about the kelurahan's letter or OSS, a time is about that unless the permit is named
    elsewhere = bool(ctx.customer and _asks_elsewhere(ctx.customer.norm))
    asked_when = "duration" in ctx.need_names()  # a time answering "berapa lama" is a claim
    asked_cost = "cost" in ctx.need_names()  # an amount answering "biayanya berapa" is a fee
    previous_other = previous_topical = False
    # "Saya minta dua ratus ribu, Bu. Bayar atau nggak?": money talk anywhere in the reply makes
    # every amount in it a fee
    money_talk = bool(_FEE_CONTEXT.search(ctx.reply.norm))
    for offset, clause in clauses(ctx.reply.norm):
        # "… di kantor kelurahan. Biasanya selesai satu hari.": still the kelurahan's letter;
        # once the reply is at this office's own business (its list, its fee), no longer
        if _OWN_BUSINESS.search(clause):
            elsewhere = False
        about_other = (elsewhere or previous_other) and not _THIS_PERMIT.search(clause)
        previous_other = bool(_OTHER_OFFICE.search(clause)) and not _THIS_PERMIT.search(clause)
        for m in _DURATION.finditer(clause):
            segment = _segment(clause, m.start(), m.end())
            if ctx.negated_at(offset + m.start()) or _REPORTED.search(segment) or \
                    _OTHER_OFFICE.search(segment) or about_other or \
                    _ELAPSED.search(clause[max(0, m.start() - 16):m.start()]):
                continue  # ... or time gone by ("tertahan sejak lima hari kerja")
            word = m.group("w")
            if m.group("e"):
                days, working = 30, False
            elif m.group("f") or m.group("ff"):
                n = number_of(m.group("f")) if m.group("f") else 2
                if n is None:
                    continue
                days, working = 7 * n, False
            elif m.group("u") == "jam kerja":  # "96 jam kerja": eight hours a working day
                n = number_of(m.group(1))
                if n is None:
                    continue
                days, working = -(-n // 8), True
            elif word:
                days = _DAYS.get(word, 0)
                working = False
            else:
                n = number_of(m.group(1))
                if n is None:
                    continue
                days = n * _UNIT_DAYS[m.group("u")]
                working = m.group("u") == "hari kerja"
            times = _TIMES_AFTER.match(clause, m.end()) or _TIMES_BEFORE.search(
                clause[:m.start()])  # "(2 hr kerja)×7", "2 x 5 hari kerja"
            if times:
                days *= int(times.group(1))
            ready = _READY_NOW if days <= 1 else _READY
            said = _LEADING_JADI.sub("", segment)  # "jadi, ..." is a conjunction
            lead = clause[max(0, m.start() - 30):m.start()]  # "prosesnya agak lama, kira2
            if not working and not (asked_when and (days >= 2 or word in ("besok", "lusa"))) \
                    and not ready.search(said) and not _PICKUP_AFTER.search(clause[m.end():]) \
                    and not (days >= 7 and _READY.search(lead)):  # seminggu" (red-team 52)
                continue  # "besok silakan datang", "hari ini saya teruskan": no claim of when
            if _NOT_READY.search(said):
                continue  # "hari ini belum bisa jadi": no claim that it will be
            if word in ("hari ini", "sore ini", "siang ini", "pagi ini") and (
                    _OWN_STEP_BEFORE.search(clause[:m.start()]) or _OWN_STEP_AFTER.match(
                        clause[m.end():])) and _READY_DAY_LATER.search(clause[m.end():]):
                continue  # the clerk's own step today; the day it is ready follows
            if word == "hari ini" and _VISIT_DONE.search(clause[max(0, m.start() - 30):m.start()]) \
                    and _READY_NOW.match(clause[m.end():].lstrip().removeprefix("sudah ")):
                continue  # "urusan Ibu hari ini selesai": today's visit is done, not the permit
            if word == "hari ini" and _NAMES_TODAY.match(clause, m.end()):
                continue  # "hari ini tanggal 12, jadi …": today named, the date checks the rest
            if word == "hari ini" and _COUNTED_FROM.search(clause[max(0, m.start() - 14):
                                                                  m.start()]):
                continue  # "2 hari kerja dihitung dari hari ini": where the count starts
            if _NOTIFY.search(segment) and not _READY.search(said):
                continue  # "kabari lewat telepon paling lambat besok": the call, not the permit
            out.append({"kind": "duration", "days": days, "working": working,
                        "certain": bool(_CERTAIN.search(segment)),
                        "text": ctx.reply.span(offset + m.start(), offset + m.end())})
        weekday = _weekday_claim(ctx, offset, clause, asked_when)
        if weekday is not None and not any(c["kind"] == "duration" for c in out):
            out.append(weekday)
        patterns = _office_patterns()
        # "… Surat Keterangan Domisili Usaha belum ada. Surat itu Ibu minta di kantor pajak."
        topical = bool(patterns["wrong_place_topics"].search(clause) or previous_topical or (
            ctx.customer and patterns["wrong_place_topics"].search(ctx.customer.norm)) or (
            ctx.scenario == "renewal_incomplete" and _BARE_PLACE.match(clause)))
        previous_topical = bool(patterns["wrong_place_topics"].search(clause))
        case = _case_pattern(ctx.scenario) if ctx.scenario else None
        m = case.search(clause) if case is not None else None
        if m is not None and not ctx.negated_at(offset + m.start()) and \
                not _THIRD_PARTY.search(clause):  # another citizen's file is not this case
            out.append({"kind": "case", "wrong": True,
                        "text": ctx.reply.span(offset + m.start(), offset + m.end())})
        for kind, name in (("requirement", "not_required"), ("place", "wrong_places"),
                           ("gloss", "wrong_glosses"), ("rule", "invented_rules")):
            if kind == "place" and not topical:
                continue
            for m in patterns[name].finditer(clause):
                if kind == "requirement" and (_WAIVED.search(clause[:m.start()]) or
                                              _WAIVED_AFTER.match(clause[m.end():]) or
                                              _SOMEDAY.search(clause[:m.start()])):
                    continue  # "tidak perlu surat pengantar RT", "legalisir nggak perlu deng"
                because = kind == "requirement" and _BECAUSE.search(clause[:m.start()])
                # "bukan di camat" (but "ke kantor camat, bukan ke kelurahan" claims it); a gloss
                # is taken back only by a fix after it ("nomor pajak, eh maaf saya keliru")
                reported = clause if kind in ("requirement", "rule") else clause[:m.start()]
                reported_place = (_REPORTED_PLACE.search(reported) and not (
                    kind == "place" and _CORRECTED_TO.search(reported))) or (
                    kind == "gloss" and _FIXED_AFTER.search(clause[m.end():]))
                if (because or not ctx.negated_at(offset + m.start())) and not (
                        kind != "rule" and reported_place):
                    out.append({"kind": kind, "wrong": True,
                                "text": ctx.reply.span(offset + m.start(), offset + m.end())})
                    break
        m = _pickup_claim(ctx, clause)
        if m is not None and not ctx.negated_at(offset + m.start()):
            out.append({"kind": "pickup", "wrong": True,
                        "text": ctx.reply.span(offset + m.start(), offset + m.end())})
        rupiah = bool(_RUPIAH.search(clause))  # "paraf Kabid (Rp50rb)": written as money
        if _FEE_CONTEXT.search(clause) or asked_cost or money_talk or rupiah or \
                _PRICE_TAIL.search(clause) or _AMOUNT_ASKED.search(clause):
            for m in _AMOUNT.finditer(clause):
                if rupiah and not m.group("rp") and not (
                        _FEE_CONTEXT.search(clause) or asked_cost or money_talk):
                    continue
                value = _amount_value(m)
                if value and (not ctx.negated_at(offset + m.start())
                              or _ON_TOP.search(clause[:m.start()])):
                    out.append({"kind": "fee", "value": value,
                                "text": ctx.reply.span(offset + m.start(), offset + m.end())})
    if ctx.hour is not None and _OPEN_HOURS[0] <= ctx.hour < _OPEN_HOURS[1]:
        m = _CLOSED_NOW.search(ctx.reply.norm)  # "loket penerimaan hari ini sudah tutup" at 10
        if m is not None and not ctx.negated_at(m.start()):
            out.append({"kind": "rule", "wrong": True,
                        "text": ctx.reply.span(m.start(), m.end())})
    day = wrong_pickup_day(ctx)  # "hari ini Kamis, jadi Sabtu pagi sudah bisa diambil"
    if day:
        out.append({"kind": "pickup_day", "wrong": True, "text": day})
    step = wrong_order(ctx)  # "pertama ambil izinnya, kedua pilih KBLI, terakhir daftar OSS"
    if step:
        out.append({"kind": "order", "wrong": True, "text": step})
    return out


def wrong_claims(ctx: Context, claims: List[Dict[str, Any]]) -> List[str]:
    """What the claims state against the office's rules and the case (Indonesian words)."""
    facts = office_facts()
    out: List[str] = []
    days = int(facts["working_days"])
    upset = ctx.scenario == "upset_customer"  # the case: the file waits for a signature
    durations = [c for c in claims if c["kind"] == "duration"]
    if len(durations) > 1 and ctx.has("self_correction"):  # "3 hari kerja, eh maaf, koreksi:
        claims = [c for c in claims if c["kind"] != "duration" or c is durations[-1]]  # 2 hari"
    if ctx.has("self_correction"):  # "Itu dari kecamatan. Eh, maaf, salah, dari kelurahan"
        right = ctx.reply.norm.rfind("kelurahan")  # (audit 42): the place said last stands
        claims = [c for c in claims if c["kind"] != "place" or right < 0 or
                  ctx.reply.norm.find(c["text"].lower()) > right]
    for claim in claims:
        if claim["kind"] == "requirement":
            out.append("persyaratan")
        elif claim["kind"] == "place":
            out.append("tempat mengurus")
        elif claim["kind"] == "pickup":
            out.append("tempat pengambilan izin")
        elif claim["kind"] == "order":
            out.append("urutan langkah")
        elif claim["kind"] == "pickup_day":
            out.append("hari pengambilan")
        elif claim["kind"] == "gloss":
            out.append("arti istilah")
        elif claim["kind"] == "rule":
            out.append("prosedur")
        elif claim["kind"] == "case":
            out.append("hasil")
        elif claim["kind"] == "fee" and claim["value"] > int(facts["fee"]):
            out.append("biaya")
        elif claim["kind"] == "duration" and claim.get("weekday"):
            continue  # a named day: weekdays.wrong_pickup_day checks it
        elif claim["kind"] == "duration":
            d = claim["days"]
            if upset and not claim["certain"] and (d <= days + 1 or _SIGNATURE_WAIT.search(
                    ctx.reply.norm)):  # "tertahan di tanda tangan lima hari kerja": waited
                continue  # a clerk may say when they expect it after escalating
            if d < days and (claim["certain"] or (not upset and d <= 1)):
                out.append("lama proses")
            elif d > days + 1 or (claim["working"] and d != days):
                out.append("lama proses")
    return list(dict.fromkeys(out))
