"""The reading of one clerk reply: what it does, states and how it says it.

Computed once per turn (``score_reply`` builds it from the analysed reply) and stored in the
turn record. The citizen's reaction (``actions/visit_flow.py``), the three scores and the
scenario objectives (``actions/objectives.py``) all read this structure; none of them matches
the raw text again. See ``docs/reading.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from .affirmed import affirmed
from .claims import extract_claims, present_documents, requirement_key, wrong_claims
from .context import Context, is_soft, refusal_text
from .incidents import find_incidents
from .matcher import findall_alternatives
from .questions import last_question

READING_VERSION = 2
_CLAUSE_SPLIT = re.compile(r"(?<=[.!?;\n])\s+|\s*[;\n]\s*")
_PUNCT_SEGMENT = re.compile(r"[.,!?;:()\n]+")
# an affixed Indonesian verb (menunggu, diproses, berlaku, terbit, serahkan ...)
_NOTHING_MISSING = re.compile(r"\b(?:tidak|tak|nggak|gak) ada (?:lagi )?(?:(?:dokumen|berkas) )?"
                              r"(?:yang )?(?:kurang|kekurangan)\b")
_ASKS_COMPLETE = re.compile(r"lengkap\b[^.!?]{0,30}\?")
_DOC = r"(?:ktp|npwp|nib|izin (?:usaha )?(?:yang )?lama(?:nya)?)"
_OTHERS_COMPLETE = re.compile(r"\b(?:(?:yang )?lain(?:nya)?|sisanya|selebihnya)(?: \w+){0,2} "
                              r"(?:sudah |juga |semua )?"
                              r"(?:lengkap|komplit)"
                              # "KTP, NPWP, NIB, dan izin lamanya sudah lengkap": those, not all
                              r"|\b" + _DOC + r"(?:,? (?:dan |sama |serta )?" + _DOC + r"){1,3}"
                              r"(?:nya)? (?:\w+ )?(?:sudah |juga |semua )?(?:lengkap|komplit)")
# "tanda terima nggak usah ya", "tidak usah pakai resi": no receipt is given (an incident too)
_RECEIPT_WORD = r"(?:tanda terima(?! kasih)|bukti terima|resi)"
_NO_RECEIPT = re.compile(r"\b" + _RECEIPT_WORD + r"(?:nya)? (?:\w+ )?tidak (?:usah|perlu|ada)"
                         r"(?= ?(?:[.,!?;]|$|ya\b|dulu\b|bu\b|pak\b|kok\b|lah\b|saja\b))"
                         r"|\btidak (?:usah|perlu) (?:pakai |pake )?" + _RECEIPT_WORD + r"\b"
                         # "tanda terima nanti aja": put off (audit 23)
                         r"|\b" + _RECEIPT_WORD + r"(?:nya)? (?:nanti|besok|menyusul|belakangan|"
                         r"kapan-kapan) (?:saja|aja)\b"
                         # "ini tanda terimanya saya tarik dulu": withdrawn (audit 29)
                         r"|\b" + _RECEIPT_WORD + r"(?:nya)? (?:saya |kami )?(?:tarik|batalkan|"
                         r"ambil kembali|ambil lagi)\b")
# "saya tulis di kertas bekas aja", "udah saya kasih di kertas ini": no receipt at all (audit 36)
_SCRAP_RECEIPT = re.compile(r"\b(?:tulis|catat)\w* (?:\w+ )?(?:di|pakai|pake) (?:kertas|sobekan) "
                            r"(?:bekas|biasa|sobekan|coretan|kecil|sisa)\b"
                            r"|\b(?:kasih|kasi|berikan|tulis|catat)\w*\W+(?:\w+\W+){0,2}"
                            r"di kertas (?:ini|itu)\b")
# "Tanda terimanya kukasih nanti waktu berkas lengkap": promised for later, none handed now
_RECEIPT_LATER = re.compile(r"\b" + _RECEIPT_WORD + r"(?:nya)? (?:\w+ ){0,2}(?:nanti|kalau|kalo|"
                            r"setelah|sesudah|waktu|begitu|pas|besok)\b")
# "tanda terimanye ketinggalan di printer, bentar aye ambilin": not handed over yet (audit 42)
_RECEIPT_PENDING = re.compile(r"\b" + _RECEIPT_WORD + r"(?:nya)? (?:masih )?(?:ketinggalan|"
                              r"tertinggal|(?:masih|lagi|sedang) (?:di ?cetak|di printer|diprint|"
                              r"di-print))\b|\b(?:printer|mesin cetak|pencetak) " + _RECEIPT_WORD
                              + r"(?:nya)? (?:\w+ )?(?:macet|rusak|error|eror|mati|habis)\b")
# "kertas kelurahan ini saya kembalikan", "Catatan ini mau dibawa pulang? Ini saya kembalikan":
# a note goes back, the map stays
_MAP_WORD = re.compile(r"\b(?:map|berkas|dokumen)")
_OTHER_PAPER_BACK = re.compile(r"\b(?:catatan|kertas|surat|lembar|nota|pengantar)\w*"
                               r"(?:(?!" + _MAP_WORD.pattern + r")[^\n]){0,60}?"
                               r"\b(?:ini|itu) (?:saya|kami) (?:kembalikan|balikin)")
# "Selamat pagi, Bu", and a bare "sore. perlu apa" / "pagi pak" opening the reply
_TIMED_GREETING = re.compile(r"\bselamat (pagi|siang|sore|malam)\b|^\W*(pagi|siang|sore|malam)\b"
                             r"(?!\s+(?:ini|tadi|nanti|hari|besok|jam|pukul))")
_NOUN = re.compile(r"^[a-z]{4,}(?<!k)an$")  # persyaratan, perpanjangan (not -kan verbs)
_KINDS = {"mohon": "courtesy", "silakan": "courtesy", "terima_kasih": "courtesy",
          "maaf": "courtesy", "apology": "courtesy", "permisi": "courtesy", "tolong": "courtesy",
          "goodbye": "courtesy", "well_wish": "courtesy", "greeting": "courtesy"}
_VERB = re.compile(r"^(?:me[mnr]?|meng|meny|di|ber|ter|per)[a-z]{4,}$|^[a-z]{3,}(?:kan|lah)$")

# Marks: concept names the judges read, present (and not negated) in the reply.
MARK_CONCEPTS = (
    "hedged_duration", "greeting", "offer_help", "ask_docs", "check", "result_complete",
    "receipt", "duration_fact",
    "cost_fact", "place", "office_place", "online_channel", "next_step", "action", "solution",
    "apology", "empathy", "explanation", "terima_kasih", "goodbye", "well_wish",
    "resolution_time", "question", "documents", "silakan", "return_step", "commit_action",
    "ask_for_documents", "steps", "process_verb", "fee_free", "ask_receipt", "check_done",
    "receipt_handover", "ask_name", "ask_phone", "ask_business", "ask_address", "ask_transport",
    "ask_before", "ask_receipt_where", "ask_keep_documents", "ask_envelope_back",
    "ask_envelope_content",
    "return_documents", "brush_off", "ask_years", "ask_home", "ask_kelurahan", "ask_pickup",
    "ask_name_mismatch", "ask_which_permit",
    "ask_hurry", "ask_other_errand", "ask_understood", "ask_office_hours", "ask_left_at_home",
    "ask_receipt_back", "pickup_hours",
    "return_envelope", "ask_quiz_nib", "ask_quiz_oss", "ask_quiz_kbli", "ask_quiz_skdu",
    "ask_quiz_documents", "hedge_maybe", "ask_one_document", "promise_followup",
    "ask_weather",
    "ask_quiz_nib_source", "ask_business_busy",
    "ask_who_registered", "ask_nib_number",
    "ask_has_nib", "ask_recall_documents", "ask_where_next", "time_greeting",
    "ask_queue", "ask_signboard", "ask_map_where", "self_correction", "question_open",
    "ask_expiry", "receipt_with_clerk", "ask_repeat", "confirms", "pickup_weekday",
    "bribe_warning", "question_choice", "ask_recall_duration", "ask_errand", "offer_more",
    "ask_recall_bring", "ask_recall_pickup", "ask_recall_where", "ask_recall_missing",
    "ask_wait_or_call", "ask_business_hours", "ask_first_visit", "receipt_bring",
    "islamic_greeting", "return_receipt",
    "take_envelope", "papers_mixed", "clerk_leaves", "ask_oss_account", "file_alarm",
    "permit_handover", "ask_come_day", "ask_paper_back", "receipt_kept", "ask_purpose",
)
HOSTILE = ("blame", "insult", "sarcasm", "accusation", "dismissive", "deflection",
           "refuse_service")


@dataclass
class Term:
    """A technical term in the reply and how it was explained."""

    term: str
    key: str
    explained: bool
    plain: bool


@dataclass
class Reading:
    """One clerk reply, read once: acts, facts, negation, address, register, need."""

    version: int = READING_VERSION
    clauses: List[str] = field(default_factory=list)
    acts: List[str] = field(default_factory=list)
    marks: List[str] = field(default_factory=list)
    negated: List[str] = field(default_factory=list)
    documents: List[str] = field(default_factory=list)
    missing_documents: List[str] = field(default_factory=list)
    durations: List[str] = field(default_factory=list)
    concrete_time: bool = False
    vague_time: bool = False
    fees: List[str] = field(default_factory=list)
    places: List[str] = field(default_factory=list)
    terms: List[Term] = field(default_factory=list)
    refusal: Optional[str] = None
    accepted_gift: Optional[str] = None
    address: Optional[str] = None  # right | wrong | neutral (Anda, Mas ...) | rude | None
    register: List[str] = field(default_factory=list)  # slang, abbreviations, english ...
    hostility: List[str] = field(default_factory=list)
    sentence: bool = True
    wrong_facts: List[str] = field(default_factory=list)  # biaya / lama proses / hasil
    # the reply's own claims (claims.py): durations, fees ... as {"kind", "text", ...}
    claims: List[Dict[str, Any]] = field(default_factory=list)
    # critical incidents (incidents.py): {"kind", "label", "text"}
    incidents: List[Dict[str, str]] = field(default_factory=list)
    words: int = 0
    greeting: Optional[str] = None  # part of day of the clerk's greeting: pagi|siang|sore|malam
    # the citizen's open need: {"name", "label", "status", "voiced", "asked"}; voiced: said in
    # its last line (not only implied by the stage of the visit); asked: as a question
    need: Optional[Dict[str, Any]] = None
    # the question the reply ends with (questions.py): {"kind", "text", "acts", "marks"}
    last_question: Optional[Dict[str, Any]] = None

    def as_dict(self) -> Dict[str, Any]:
        """JSON-ready dict (shallow copies; cheaper than dataclasses.asdict)."""
        out = {name: getattr(self, name) for name in self.__dataclass_fields__}
        out["terms"] = [{"term": t.term, "key": t.key, "explained": t.explained,
                         "plain": t.plain} for t in self.terms]
        for name in ("clauses", "acts", "marks", "negated", "documents", "missing_documents",
                     "durations", "fees", "places", "register", "hostility", "wrong_facts"):
            out[name] = list(out[name])
        out["need"] = dict(self.need) if self.need else None
        out["last_question"] = dict(self.last_question) if self.last_question else None
        out["claims"] = [dict(c) for c in self.claims]
        out["incidents"] = [dict(i) for i in self.incidents]
        return out

    @property
    def need_status(self) -> Optional[str]:
        return self.need["status"] if self.need else None

    def has(self, mark: str) -> bool:
        return mark in self.marks


def english_share(ctx: Context) -> tuple[int, float]:
    """Number of English words and their share of the words of the reply."""
    lex = ctx.lex
    words = [t.split("-")[0] for t in ctx.reply.words]
    if not words:
        return 0, 0.0
    english = [w for w in words if w in lex.english and w not in lex.english_loans]
    return len(english), len(english) / len(words)


def is_keyword_string(ctx: Context) -> bool:
    """A stretch of scored phrases with no sentence glue ("2 hari kerja gratis tanda terima ...").

    A punctuation-free stretch is a string of keywords when it has no glue word (yang, untuk,
    sudah, saya ... -nya) outside the scored phrases, and either mostly consists of scored
    phrases of several kinds, or has no verb or predicate at all (courtesy-only stretches such
    as "terima kasih Bapak selamat pagi" excepted) while the whole reply has no glue word
    either (an apposition after a comma in a real sentence is not a keyword string).
    """
    spec = ctx.lex.keyword_string
    norm = ctx.reply.norm
    if ctx.reply.word_count < spec.min_words or ctx.citizen_spoke_english():
        return False  # (English sentences have no Indonesian glue words)
    segments = []
    offset = 0
    for text in _PUNCT_SEGMENT.split(norm):
        offset = norm.find(text, offset)
        tokens = text.split()
        segments.append((text, tokens, _has_glue(tokens, spec)))
        offset += len(text)
    reply_glued = any(glued for _, _, glued in segments)
    for text, words, glued in segments:
        if glued or len(words) < spec.min_words:
            continue
        if _reads_as_keywords(ctx, text, spec, reply_glued):
            return True
    return False


def _has_glue(tokens: List[str], spec: Any) -> bool:
    """A function word (or -nya) among the tokens; "hari ini" is a time, not glue."""
    for i, tok in enumerate(tokens):
        if tok in spec.glue or tok.endswith("nya"):
            if tok in ("ini", "itu") and i and tokens[i - 1] == "hari":
                continue
            return True
    return False


def _reads_as_keywords(ctx: Context, text: str, spec: Any, reply_glued: bool) -> bool:
    """Whether one glue-free stretch is a string of scored phrases (see is_keyword_string)."""
    spans: List[tuple[int, int, str]] = []
    for name in spec.concepts:
        alts = ctx._alternatives(name)  # noqa: SLF001 - same package
        for a, b in findall_alternatives(alts, text) if alts else []:
            spans.append((a, b, name))
    spans += [(a, b, "jargon") for a, b in ctx.jargon_spans(text)]
    address = ctx.lex.address_kind
    tokens = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\S+", text)]
    covered, verbs, kinds, polite_only, foreign = 0, 0, set(), True, 0
    items: set = set()  # phrases and loose words: one document name is one item
    for a, b, tok in tokens:
        span = next(((sa, sb, name) for sa, sb, name in spans if sa <= a and b <= sb), None)
        hit = span[2] if span else None
        items.add(span[:2] if span else (a, b))
        if tok in spec.predicates or (hit is None and _VERB.match(tok) and not _NOUN.match(tok)):
            verbs += 1
        if hit is not None:
            covered += 1
            if hit not in spec.kindless:
                kinds.add(_KINDS.get(hit, hit))
            polite_only = polite_only and _KINDS.get(hit) == "courtesy"
        elif tok in address:
            covered += 1
        else:
            polite_only = False
            foreign += tok.isalpha() and not ctx.reply.knows(tok)
    if len(items) < spec.min_items:
        return False
    share = covered / len(tokens)
    if share >= spec.min_coverage and len(kinds) >= spec.min_kinds:
        return True
    if foreign >= 2:  # a sentence in a register whose glue words no table holds (Bima, Tetun)
        return False
    return not reply_glued and len(tokens) >= spec.min_words_without_glue and (
        not verbs and ((share >= 0.6 and len(kinds) >= 2) or not polite_only))


def _clauses(text: str) -> List[str]:
    return [c.strip() for c in _CLAUSE_SPLIT.split(text) if c and c.strip()][:20]


# NLU moves about the file that the reply's words must bear out (a result needs a word for it)
# the words of a check, whatever NLU read ("cek", "periksa", "lihat", "priksa", "status" …)
_CHECK_WORDS = re.compile(r"(?<!\w)(?:\w*(?:cek|periksa|priksa|pariksa|lihat|liat|teliti|kroscek)"
                          r"\w*|status\w*|sistem\w*|cari\w*|dicari\w*|data\w*|lacak\w*|"
                          r"berkas\w*|dokumen\w*|map\w*|lengkap\w*|ktp|npwp|nib|skdu|izin\w*|"
                          r"surat\w*|tanda terima|tingal\w*|ningali|mirsan\w*|check|proses\w*)"
                          r"(?!\w)")
_FILE_MOVES = frozenset({"inform_documents_incomplete", "inform_documents_complete"})
_FILE_WORDS = re.compile(r"(?<!\w)(?:lengkap\w*|jangkep|lengkep|kurang\w*|berkas\w*|dokumen\w*|"
                         r"map\w*|syarat\w*|persyaratan\w*|skdu\w*|ktp|npwp|nib|izin\w*|surat\w*|"
                         r"domisili|fotokopi\w*|semua\w*|sudah ada|belum ada|tidak ada|sudah oke|"
                         r"aman)(?!\w)")
_GIFT_WORDS = re.compile(r"(?<!\w)(?:amplop\w*|uang\w*|duit\w*|hadiah\w*|bingkisan\w*|"
                         r"pemberian\w*|oleh-oleh\w*|parsel|hampers|tip|imbalan|gratifikasi|"
                         r"kue|makanan|rokok|kopi|transfer|titipan\w*|sumbangan|sedekah)(?!\w)")
_IF_INCOMPLETE = re.compile(r"(?<!\w)(?:kalau|kalo|klo|jika|bila|apabila|seandainya|misalnya) "
                            r"(?:\w+ ){0,3}(?:tidak|nggak|gak|belum|kurang|ndak) lengkap")
_GUIDANCE_MOVES = frozenset({"explain_procedure", "explain_requirements"})
_GUIDANCE_WORDS = re.compile(r"(?<!\w)(?:proses\w*|prosedur\w*|langkah\w*|daftar\w*|formulir|"
                             r"oss|loket|ambil\w*|diambil|antre\w*|antri\w*|nomor)(?!\w)")
_COST_WORDS = re.compile(r"(?<!\w)(?:gratis|biaya\w*|bayar\w*|dibayar|pungut\w*|dipungut|"
                         r"rupiah|rp|ribu|rb|juta|free|charge|cost|fee|ongkos\w*|tarif\w*|"
                         r"harga\w*|uang\w*|nol|sepeser|retribusi|pungli|cuma-cuma)(?!\w)")
_TODAY_ONLY = re.compile(r"(?<!\w)(?:bantu|dibantu|urus|diurus|mengurus|ngurus|keperluan|perlu|"
                         r"datang|apply|daftar|ajukan|mengajukan)(?: \w+){0,2} hari ini(?!\w)")


def _acts(
    ctx: Context, move: Optional[str], refusal: Optional[str], marks: List[str],
    hostility: List[str],
) -> List[str]:
    """Clerk moves the reply performs, in text order (NLU's move first when it gave one)."""
    norm = ctx.reply.norm
    found: List[tuple[int, str]] = []
    negation, present, by_marks = ctx.any_negation, ctx.present, ctx.lex.act_marks
    for act, matcher in ctx.lex.moves:
        if act in by_marks and act != "inform_documents_complete":
            continue  # read from the marks below (the same facts, negation already applied)
        if present is not None and not matcher.always and matcher.gate.isdisjoint(present):
            continue
        if not negation:  # the common case: the first match is the act
            span = matcher.search(norm, ctx.present)
            if span is not None:
                found.append((span[0], act))
            continue
        for a, _ in matcher.findall(norm, ctx.present):
            if ctx.negated_at(a):
                if act == "inform_documents_complete":
                    found.append((a, "inform_documents_incomplete"))
                continue
            found.append((a, act))
            break
    gift_talk = bool(refusal or move == "refuse_gratuity") and (  # read only for a refusal
        ctx.scenario == "gratuity_offer" or _gift_context(ctx) or bool(
            _GIFT_WORDS.search(norm)))  # "nggak usah deh, udah saya terima" of a file (audit 37)
    if refusal and gift_talk:
        found.append((norm.find(refusal.lower()) if refusal.lower() in norm else 0,
                      "refuse_gratuity"))
    if move == "refuse_gratuity" and not gift_talk:
        move = None
    acts = [act for _, act in sorted(found)]
    acts += [act for act, wanted in ctx.lex.act_marks.items() if set(wanted) & set(marks)]
    if {"deflection", "refuse_service"} & set(hostility):
        acts.append("dismiss")
    if move == "inform_cost" and not _COST_WORDS.search(norm):
        move = None  # "Ambilnya di sini, Monday to Friday": no word on money (audit 33)
    if move in ("empathize", "apologize") and (
            hostility or {"greeting", "goodbye", "well_wish"} & set(marks)) and not {
            "empathy", "apology", "maaf"} & set(marks):
        move = None  # "Iya, iya. Sana.", "Om Swastyastu, Bu. Napi wenten?": no empathy,
        # "Mauliate, hati-hati di jalan": none either, whatever NLU says (audits 36-38)
    if move in _GUIDANCE_MOVES and "dismissive" in hostility and not (
            _FILE_WORDS.search(norm) or _GUIDANCE_WORDS.search(norm)):
        move = None  # "Ntar dulu ye, aye lagi makan gorengan": no procedure (audit 36)
    if move == "check_documents" and not _CHECK_WORDS.search(norm):
        move = None  # "Bapak bisa duduk dulu di sana": a seat, no check (audit 42)
    if move == "check_documents" and "return_documents" in marks and not {
            "check", "check_done", "result_complete", "missing_document", "missing_unnamed"} & set(
            marks):
        move = None  # "Ini mapnye aye balikin dulu, Bu.": handed back unread (audit 42)
    if move == "inform_documents_incomplete" and "ask_quiz_documents" in marks and not {
            "missing_document", "missing_unnamed"} & set(marks):
        move = None  # "Ibu tahu dokumen apa saja yang perlu dibawa?": a quiz (audit 44)
    if move == "goodbye" and "question" in marks and not {
            "goodbye", "terima_kasih", "well_wish"} & set(marks):
        move = None  # "Ya, Bu. Gimana?" says no goodbye (audit 34)
    if move and move != "nlu_fallback" and not (
            move in _FILE_MOVES and not _FILE_WORDS.search(norm)) and not (  # "Ibu sudah makan
            move == "dismiss" and not hostility and "question" in marks):  # siang belum?" is
        acts.insert(0, move)  # no verdict on the file (audit 31); "Saya cuma tanya, amplop
        # itu buat apa?" no dismissal (audit 33), whatever NLU says
    if "inform_duration" in acts and _TODAY_ONLY.search(ctx.reply.norm) and \
            len(ctx.all("duration_fact")) <= 1:  # "ada yang bisa kami bantu hari ini?": no time
        acts = [act for act in acts if act != "inform_duration"]
    if {"ask_receipt", "receipt_with_clerk", "no_receipt", "receipt_pending"} & set(marks) or (
            "ask_receipt_back" in marks and "receipt_handover" not in marks):
        # "boleh saya lihat tanda terimanya?", "tanda terimanya saya pegang dulu", "tanda
        # terimanya mana?": no receipt is given
        acts = [act for act in acts if act != "give_receipt"]
    if "inform_documents_complete" in acts and not _says_complete(ctx, marks):
        # "lengkap, tapi SKDU belum ada"; "setelah lengkap, ...": no complete file
        acts = [act for act in acts if act != "inform_documents_complete"]
        if not {"check", "check_done", "missing_document", "missing_unnamed"} & set(marks) \
                and move != "check_documents":  # "kalau sudah lengkap, …" is no check done
            acts = [act for act in acts if act != "check_documents"]
    return list(dict.fromkeys(acts))


def _greeting_time(ctx: Context) -> Optional[str]:
    """"pagi" for "Selamat pagi, Bu" (the citizen answers in the same words)."""
    found = _TIMED_GREETING.search(ctx.reply.norm)
    return (found.group(1) or found.group(2)) if found else None


def _says_complete(ctx: Context, marks: List[str]) -> bool:
    """The reply says the file is complete: not only parts of it ("KTP lengkap, tapi SKDU
    belum ada") and not only as a condition ("setelah lengkap, prosesnya 2 hari kerja")."""
    if "missing_document" in marks or _ASKS_COMPLETE.search(ctx.reply.text.lower()):
        return False  # "jadi berkas Ibu sudah lengkap ya?" asks, it does not say
    partial = len(_OTHERS_COMPLETE.findall(ctx.reply.norm))  # "berkas lainnya sudah lengkap"
    return ctx.count("result_complete") > ctx.count("conditional_complete") + partial


def _address(ctx: Context, effects_signals: set[str]) -> Optional[str]:
    if "honorific_wrong" in effects_signals:
        return "wrong"
    if "rude_you" in effects_signals:
        return "rude"
    if "honorific" in effects_signals:
        return "right"
    if {"warm_address", "formal_you"} & effects_signals:
        return "neutral"
    return None


def build_reading(ctx: Context, signals: set[str], move: Optional[str]) -> Reading:
    """The reading of the reply in ``ctx`` (``signals``: the scorer's signal names)."""
    refusal = refusal_text(ctx)
    accepted = "bribe_accepted" in signals
    marks = [name for name in ctx.possible(MARK_CONCEPTS) if ctx.has(name)]
    negated = [name for name in ("acceptance", "next_step", "action", "check", "receipt",
                                 "result_complete", "offer_help", "service_continue",
                                 "blame", "solution", "process_verb")
               if ctx.negated_concept(name) and name not in marks]
    if "ask_receipt_back" in marks:  # "tanda terimanya tolong dikembalikan dulu": it is asked
        marks = [name for name in marks if name != "return_receipt"]  # for, not handed back
    if "return_documents" in marks and _OTHER_PAPER_BACK.search(ctx.reply.norm):
        marks = [name for name in marks if name != "return_documents"]  # only the note goes back
    if "return_documents" in marks and "tanda terima" in ctx.reply.norm and \
            not _MAP_WORD.search(ctx.reply.norm):  # "tanda terimanya masih di meja saya. Ini saya
        marks = [name for name in marks  # kembalikan": the receipt goes back, not the map
                 if name not in ("return_documents", "receipt_with_clerk")] + ["return_receipt"]
    scrap = bool(_SCRAP_RECEIPT.search(ctx.reply.norm))
    if scrap or _NO_RECEIPT.search(ctx.reply.norm):  # "tanda terima nggak usah ya": none given
        marks = [name for name in marks if name not in ("receipt", "receipt_handover")] + [
            "no_receipt"] + (["scrap_receipt"] if scrap else [])
    elif _RECEIPT_LATER.search(ctx.reply.norm) and "receipt_handover" not in marks:
        marks = [name for name in marks if name != "receipt"] + ["receipt_later"]  # audit 38
    if _RECEIPT_PENDING.search(ctx.reply.norm) and "receipt_handover" not in marks:
        marks = [name for name in marks if name != "receipt"] + ["receipt_pending"]
    if "result_complete" in negated and _NOTHING_MISSING.search(ctx.reply.norm):
        negated.remove("result_complete")  # "tidak ada yang kurang" says it is complete
    if refusal:
        marks.append("refusal")
        if ctx.has("refusal_explicit") or ctx.negated_concept("acceptance") or \
                ctx.negated_words(ctx.lex.negation.refusal_verbs):
            marks.append("refusal_explicit")
    missing = ctx.missing_documents()
    if missing:
        marks.append("missing_document")
    elif ctx.has("missing_cue") or ("result_complete" in negated and not _IF_INCOMPLETE.search(
            ctx.reply.norm)):  # "kalau tidak lengkap, pulang": no verdict (audit 37)
        marks.append("missing_unnamed")
    terms = [Term(h.text, h.key, h.explained, h.plain) for h in ctx.jargon]
    if any(h.plain for h in ctx.jargon):
        marks.append("plain_explanation")
    register = []
    if ctx.slang_words:
        register.append("slang")
    if ctx.abbreviation_words:
        register.append("abbreviations")
    n_en, share = english_share(ctx)
    if (n_en >= 2 and share >= 0.12) or n_en >= 4:
        register.append("english")
        if share >= 0.6:  # "Your file is complete, waiting for the signature": little to follow
            marks.append("mostly_english")
        if ctx.citizen_spoke_english():  # a foreign owner who speaks English: the right language
            marks.append("english_expected")
    if ctx.shouting or "!!" in ctx.reply.text:
        register.append("shouting")
    if ctx.reply.text.lower() == ctx.reply.text and ctx.reply.word_count >= 2:
        register.append("chat")
    hostility = [name for name in HOSTILE if ctx.has(name)]
    if "sarcasm" not in hostility and "sarcasm" in signals:
        hostility.append("sarcasm")
    reading = Reading(
        clauses=_clauses(ctx.reply.text),
        acts=_acts(ctx, move, refusal if _gift_context(ctx) else None, marks, hostility),
        marks=marks,
        negated=negated,
        documents=ctx.all("documents")[:8],
        missing_documents=missing,
        durations=ctx.all("duration_fact")[:4],
        concrete_time=ctx.has("duration_fact"),
        vague_time=ctx.has("vague_time") or ctx.has("vague"),
        fees=ctx.all("cost_fact")[:3],
        places=ctx.all("place")[:4],
        terms=terms,
        refusal=refusal,
        accepted_gift=next(filter(None, map(ctx.first, (
            "acceptance", "acceptance_generic", "gift_gratitude", "terima_kasih"))), None
        ) if accepted else None,
        address=_address(ctx, signals),
        register=register,
        hostility=hostility,
        sentence=not is_keyword_string(ctx),
        greeting=_greeting_time(ctx),
        words=ctx.reply.word_count,
    )
    if ctx.needs:
        need, cue = ctx.needs[0]
        asked = ctx.customer is not None and "?" in ctx.customer.text
        status = ctx.need_status(need)[0]
        # left aside altogether: no word on the terms asked about, no refusal, no reaction
        ignored = status == "unmet" and (need.about is None or ctx.ignores_terms(need)) and \
            not refusal and not hostility
        reading.need = {"name": need.name, "label": need.label, "status": status,
                        "voiced": not is_soft(cue), "asked": asked, "ignored": ignored}
    reading.claims = extract_claims(ctx)
    if any(c["kind"] == "duration" and c.get("days", 0) >= 7 for c in reading.claims):
        reading.marks.append("long_duration")  # "sebulan", "dua minggu": the citizen balks
    reading.last_question = last_question(ctx, reading.marks, reading.acts)
    reading.wrong_facts = list(dict.fromkeys(
        wrong_facts(ctx, reading.marks) + wrong_claims(ctx, reading.claims)))
    if ctx.has("broker_warning"):  # "… bayar seratus ribu, itu calo": not the office's fee
        reading.wrong_facts = [w for w in reading.wrong_facts if w != "biaya"]
    taken = ctx.first("take_envelope") if "take_envelope" in reading.marks and not refusal \
        else None  # "(membuka amplop) Cuma 50 ribu?": the envelope in the clerk's hands
    reading.incidents = find_incidents(ctx, reading.accepted_gift or taken)
    confirmed_wrong, confirmed_breaches = affirmed(ctx)  # "Betul, Bu" to "bayar 200 ribu ya?"
    reading.wrong_facts += [w for w in confirmed_wrong if w not in reading.wrong_facts]
    kinds = {i["kind"] for i in reading.incidents}
    reading.incidents += [i for i in confirmed_breaches if i["kind"] not in kinds]
    if reading.incidents:
        reading.marks.append("critical_incident")
    if any(i["kind"] == "integrity" for i in reading.incidents):  # "makasih, saya ambil ya
        reading.acts = [a for a in reading.acts if a != "refuse_gratuity"]  # amplopnya": taken
    if reading.wrong_facts:
        reading.marks.append("misinforms")
    if not ctx.has_content():
        reading.marks.append("no_content")
    if _repeats_a_sentence(ctx.reply.text.lower()):  # as typed: "Good morning, Sir. Selamat
        # pagi, Bapak." says one greeting in two languages, not one sentence twice
        reading.marks.append("repeated_text")
    if _PLACEHOLDER.search(ctx.reply.text):
        reading.marks.append("unfilled_placeholder")
    return reading


_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
# a template sent with its gaps ("[NAMA PEMOHON]", "{dokumen_kurang}", "XX hari kerja", "<tanggal>")
_PLACEHOLDER = re.compile(r"\[[A-Z][A-Z0-9 _/.-]{2,}\]|\{\{?\s*[A-Za-z_][\w .]*\}\}?"
                          r"|<[A-Za-z_][\w ]{2,}>"
                          r"|(?<![\w-])(?:XX+|xxx+|_{3,})(?![\w-])|\[\s*\.{2,}\s*\]")


def _repeats_a_sentence(text: str) -> bool:
    """The same sentence of three words or more sent twice ("Mohon maaf Ibu. Mohon maaf Ibu.
    Mohon maaf Ibu."): pasted or sent in a loop, not said to a citizen."""
    seen: set[str] = set()
    for m in _SENTENCE.finditer(text):
        sentence = " ".join(re.findall(r"\w+", m.group(0)))
        if len(sentence.split()) >= 3 and sentence in seen:
            return True
        seen.add(sentence)
    return False


def wrong_facts(ctx: Context, marks: List[str]) -> List[str]:
    """What the reply states against the scenario's facts: "biaya" (a fee for a free service) and
    "hasil" (complete when it is not); another processing time is a claim (claims.py)."""
    out: List[str] = []
    facts = ctx.lex.scenario_facts.get(ctx.scenario or "") or {}
    if facts.get("free") and ctx.has("fee_claim"):
        out.append("biaya")
    wrong = ctx.lex.scenario_wrong_marks.get(ctx.scenario or "") or {}
    hit = set(wrong.get("marks") or ()) & set(marks)
    if hit == {"result_complete"} and not _says_complete(ctx, marks):
        hit = set()  # "KTP, NPWP, NIB, dan izin lamanya sudah lengkap": not the whole file
    if hit and not any(ctx.has(name) or name in marks for name in wrong.get("unless") or ()):
        out.append("hasil")
    elif ctx.scenario and "hasil" not in out:  # "NPWP-nya belum ada" when the citizen brought it
        present = present_documents(ctx.scenario)
        said = ctx.customer.norm if ctx.customer is not None else ""  # "NPWP saya ketinggalan"
        named = {requirement_key(doc) for doc in ctx.missing_documents()} - {None}
        # naming the one really missing too, the clause is read as a list ("KTP … sudah, SKDU
        # belum"): only a present document named missing on its own misinforms
        echoed = requirement_key(said) if said else None
        if not named - present and named & present - {echoed}:
            out.append("hasil")
    return out


def _gift_context(ctx: Context) -> bool:
    """The citizen has just offered money (its line, or the stage after the offer)."""
    return "bribe" in ctx.need_names()
