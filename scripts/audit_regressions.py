"""Turn the coherence audits (tests/citizen/audits/<audit>/incoherent.yml, written by independent
play-testers with scripts/playtest.py) into the regressions tests/test_citizen_memory.py plays:

    python3 scripts/audit_regressions.py    # rewrites tests/citizen/audit_regressions.yml

Each incoherent line becomes a case: the same clerk turns must no longer lead to the flagged
words; where the fix is an answer, the answer is required instead. Lines left unfixed are listed
with the reason in the file's header (and the issue's closing note).
"""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
AUDITS = ROOT / "tests" / "citizen" / "audits"


def cases(path, prefix, skip, override):
    d = yaml.safe_load(Path(path).read_text(encoding='utf-8'))
    out = []
    for i, e in enumerate(d):
        if i in skip:
            continue
        case = {"id": f"{prefix}_{i:02d}_{e['family']}", "family": e["family"],
                "scenario": e["scenario"], "citizen": e.get("citizen", "bapak"),
                "reason": e["reason"][:200], "clerk_turns": e["clerk_turns"]}
        parts = [p.strip() for p in e["bad_line"].split(" / ") if p.strip()]
        case["forbid_text"] = [re.escape(p) for p in parts]
        case.update(override.get(i, {}))
        out.append(case)
    return out


skip1 = {24: "gossip names a market ('di pasar'): read as where the letter is issued",
         66: "the clerk's question whether the envelope was put away is not answered"}
over1 = {6: {"require_text": [r"[Ss]aya (Sari|Budi)"], "forbid_text": []},
         28: {"require_text": [r"08\d\d-"], "forbid_text": []},
         83: {"forbid_text": [re.escape("Asal benar-benar diurus")]},
         67: {"forbid_text": [re.escape("Kok jawabnya begitu")]}}
skip2 = {16: "a brush-off late in the visit ends it with an uneasy goodbye (not a protest)",
         24: "a term explained a second time is acknowledged as if new",
         25: "'Rp150.000 for the SKDU service, mau nggak?' is not read as asking for money",
         28: "an annoyed citizen closes after a vague time (an earlier reply gave the normal one)",
         34: "gossip about the citizen's wife is not read as misconduct",
         43: "a terse but complete answer angers the citizen (politeness below the threshold)"}
over2 = {22: {"require_text": [r"naik motor"], "forbid_text": []},
         39: {"require_text": [r"Toko|Warung|[Uu]saha saya|Saya punya"], "forbid_text": []},
         48: {"require_text": [r"(?i)\b(pernah|sudah), waktu"], "forbid_text": []}}
skip3 = {6: "gossip about the previous applicant is not read as a breach of confidentiality",
         11: "'Ya. Dah.' is not read as a goodbye",
         23: "'proses aja dulu, SKDU nyusul' is not read as bending the rules",
         30: "'Nanti ya, Pak.' ends a visit whose business is not done",
         32: "'Terima kasih sudah menunggu' is read as a time",
         39: "'kirim ke WA saya' is not read as a private channel",
         44: "'sistemnya lagi lambat' gets 'saya kurang paham'",
         51: "gossip about another applicant is not read as a breach of confidentiality",
         53: "'Ibu mau bayar atau tidak?' is not read as asking for money",
         71: "a question inside a Javanese explanation is not answered",
         92: "'Sini amplopnya' (the clerk wants the envelope back) is not understood",
         100: "a wrong name ('Bu Maria') is not corrected",
         103: "asked whether the missing letter was left at home, the citizen says it "
              "knows where to get it"}
over3 = {}
skip4 = {3: "'udh gt aja pak' closes the visit with thanks",
         4: "a Javanese krama explanation of where and when is asked again",
         5: "a Javanese krama answer about handing the letter in is asked again",
         7: "a correction of the time (with an apology) is noted, not acknowledged as one",
         8: "a receipt handed back to the upset citizen gets an uneasy line",
         19: "'tadi Bapak tanya apa?' is read as a contradiction",
         29: "'tanda terimanya tetap Ibu pegang ya' is answered as if still to come",
         36: "the envelope comes out after 'kalau ikut aturan, ya tunggu saja'",
         44: "'tanda terimanya disimpan ya' is answered with the documents",
         49: "the clerk's offer to forge the head's signature is not understood",
         51: "after a retracted rule-bend the upset citizen says 'syukurlah sudah lengkap'",
         59: "told its receipt is on the clerk's desk, the citizen says it will bring it",
         62: "a retracted receipt (the file cannot be processed) is met with doubt",
         63: "asked to give back the wrongly issued receipt, it also asks for the steps",
         64: "'Canda Pak. Gratis.' after asking for money is not remarked upon"}
over4 = {}
skip5 = {4: "a Sundanese answer that mixes in the NIB is asked again",
         6: "a bare 'Tidak ada, Bu.' is read as something missing",
         8: "'tanda terimanya nggak usah' goes unremarked by the briber",
         26: "'Secepatnya' is pressed with annoyance",
         29: "a correction to a wrong time is doubted, not taken as the correction it is",
         35: "a Javanese krama reception ('map-ipun kula tampi') is not understood",
         36: "asked whether it still holds its folder, it says it does after handing it over",
         42: "'Eh, tunggu, Ibu mau tanya apa lagi?' after a goodbye gets 'saya tunggu'"}
over5 = {22: {"require_text": [r"papan nama"], "forbid_text": []},
         47: {"require_text": [r"Nomornya \d"], "forbid_text": []},
         48: {"require_text": [r"Nomornya \d"], "forbid_text": []}}
skip6 = {45: "a wrong business type named by the clerk ('oh bengkel') is not corrected",
         64: "a receipt given before any check, after the envelope was taken, is taken for a time",
         65: "a receipt given before any check, after the envelope was taken, is taken for a time",
         68: "'itu kan amplop di bawah map Bapak, taruh sini' is not read as claiming the envelope",
         75: "a retracted promise with a concrete step is met with 'minggu lalu juga dijanjikan'"}
over6 = {1: {"require_text": [r"Saya Sari"], "forbid_text": []},
         13: {"require_text": [r"saya Sari|Nama saya Sari"], "forbid_text": []},
         37: {"forbid_text": [r"Tidak, itu saja"]},  # the receipt handed back is thanked for
         77: {"require_text": [r"bawa pulang"], "forbid_text": []}}
skip7 = {55: "English with a question about the envelope in Indonesian ('Itu amplop apa di bawah "
             "map?') is met with a request for Indonesian",
         58: "asked whether it holds the envelope and the receipt, after giving up its offer, it "
             "says both that it gave the envelope and that it takes it back"}
over7 = {}
skip8 = {0: "after objecting to a fee, it asks again how much although an amount was named",
         5: "a krama invitation to ask ('menawi wonten ingkang kirang cetha') reads as incomplete",
         15: "'trust me, aman' after a rule-bend it refused makes it ask for the next step",
         26: "its own file's signing time, read as gossip, is scolded",
         44: "an apology with the full explanation gets 'Oke, saya dengarkan dulu'",
         52: "asked whether the envelope found under the map is its own, it slips it under again",
         55: "told to take the envelope to the car park, it pushes it closer again",
         61: "the envelope handed back after it was taken: it takes the map back instead"}
over8 = {6: {"require_text": [r"perpanjang izin"], "forbid_text": []},  # the errand, asked again
         64: {"require_text": [r"Rumah saya"]}}       # "dari daerah mana?" is answered
skip9 = {
    4: "an OSS explanation that names the NIB only by its expansion: it still asks what NIB is",
    6: "a hostile reply that ends with a question about the kelurahan: the question is unanswered",
    18: "'Bentar, saya lagi makan. Ya, apa?' at the opening: it waits, not stating its business",
    44: "the envelope taken and no receipt given: 'kan tadi sudah saya titipkan' in the same turn",
    54: "'tunggu tanda tangan, saya nggak bisa apa-apa': accepting and demanding in one line",
    57: "a terse NIB expansion with 'dua minggu' and 'nggak ada tanda terima': it asks NIB again",
    67: "'asal ada administrasi VIP-nya' after it had backed off: it pushes the envelope again",
    69: "'kan udah bayar, lupa?' (its envelope taken): read as blame"}
skip10 = {
    4: "'Saya tanya: Bapak mau ngurus apa?' after a quarrel: it also hands over its map",
    11: "told its receipt was given back before it sat down, it says 'Iya, betul'",
    29: "no receipt ('besok tanya saya, Anton') after the envelope: it holds the clerk to it",
    34: "'cek di web pajak, ada lagi?' read as a re-check",
    41: "'urus sendiri di rumah pakai HP' read as blame",
    42: "the clerk leaving to eat: the generic uneasy line about misconduct",
    45: "'Assalamualaikum' answered with 'Selamat pagi juga'",
    46: "'Wassalamualaikum' answered with 'selamat pagi'",
    49: "'NPWP ini kok beda nama sama KTP?' is not answered",
    50: "the same question repeated is not answered",
    52: "no receipt ('printer rusak, catat nomor ini') is accepted",
    59: "a hint at 'uang rokok' makes the citizen who said it is not in a hurry hand it over",
    66: "asked to hand back the old receipt, it says it will bring it",
    68: "'Tanda terima nanti aja, kertasnya habis' goes unremarked",
    70: "a chatty remark about uniforms read as a brush-off",
    72: "a threat over the survey answered with 'saya tidak tahu persisnya'",
    77: "told the rest is in the map it holds, it says the map is on the desk",
    89: "'lima hari kerja itu lamanya tertahan' answered with 'Oh, segitu ya'",
    98: "a date changed with tip-ex is not objected to",
    102: "'Siapa yang bilang Bapak nawarin?' read as about the receipt",
    103: "'sering kok berkas hilang, bikin ulang dari awal' pressed only for the time",
    105: "a wrong business type named by the clerk is not corrected",
    115: "the clerk walking off mid-visit: it storms out instead of waiting"}
over10 = {74: {"require_text": [r"Pernah"], "forbid_text": []},
          83: {"require_text": [r"Dari tempat usaha"], "forbid_text": []},
          93: {"require_text": [r"buru-buru"], "forbid_text": []}}
skip11 = {  # the auditor's reasons, shortened
    1: "Clerk hands back the receipt (tanda terima); citizen narrates receiving the map and",
    4: "Clerk gossips about the owner's divorce; citizen ignores it completely and restarts",
    5: "Clerk asked 'Ibu tahu kantor kelurahannya?'; citizen skips the",
    9: "Clerk already took the envelope and put it in the drawer; citizen then 'hands over",
    22: "She just said her matter is 'not clear yet'; asked 'what else is unclear?' she",
    26: "Clerk's friendly closing has nothing about the envelope; 'Tidak akan saya ulangi",
    30: "Clerk's remark about queue numbers for next time; citizen recites his queue number",
    35: "Clerk says he 'received the envelope' that the citizen never handed over; citizen",
    36: "Given receipt and told to hurry off; citizen: 'Panggil saya Bapak atau Ibu saja.",
    37: "Clerk had returned the envelope and asks if she took it back; citizen: 'Lho, kan",
    38: "Clerk self-corrected '3... eh salah, 2 hari kerja' in one breath; citizen protests",
    42: "Clerk has just given the full status explanation; 'Oke, saya dengarkan dulu' (I'll",
    43: "'Iya. Terus?' after a complete explanation, and no answer to the WA",
    47: "Clerk returns receipt and apologises; 'Oh, segitu ya. Baik, tidak masalah' is a",
    53: "Clerk is counting the citizen's own envelope; citizen: 'kok ada uang-uangan begitu?",
    57: "Clerk (rudely) asks what she wants; nobody refused her - 'Masa tidak bisa dibantu?'",
    60: "Asked 'is this about the unfinished file?' - answers 'Terima kasih sudah diluruskan'",
    61: "Clerk offers a concrete solution and asks 'Bagaimana Pak?'; 'Soal itu saya tidak",
    64: "One turn after demanding the supervisor, quietly 'Itu saja. Terima kasih' - the",
    65: "Clerk asked what else is unclear; citizen: 'tadi katanya sudah lengkap, jadi yang",
    66: "'Saya baru dengar istilah itu' about KBLI - clerk had mentioned and glossed KBLI",
    67: "Thanks the clerk for explaining 'pelan-pelan' (patiently) after curt, dismissive",
    68: "Verbatim repeat 'Saya ambil sendiri nanti.' to 'Ada lagi yang bisa saya",
    77: "One turn after 'uang apa lagi? ... gratis' she says 'Iya, ini sudah saya siapkan'",
}
over11: dict[int, dict] = {}
skip12 = {  # the auditor's reasons, shortened
    1: "She had just objected that the announcement says two working days, not three; the cle",
    8: "She had just demanded to see the supervisor; brushed off with 'atasan lagi rapat', sh",
    14: "The clerk never said the permit would be ready 'besok' (only that counting starts tom",
    16: "Stitched double acknowledgement 'Baik, terima kasih. Baik kalau begitu, jelas sekaran",
    28: "Pressed a second time about the viral gossip ('bener kan Bu?'), she still shows no re",
    34: "He states he never got the letter and then 'realises' 'Oh, berarti surat domisilinya ",
    50: "He walks out leaving his receipt on the clerk's desk.",
    54: "In one line she says the receipt is still with the clerk and must be returned, then h",
    60: "The clerk told her to use OSS online; the confused citizen, who doesn't know what OSS",
    64: "The clerk returned only the kelurahan note; she 'receives the map', which is being ke",
    70: "To 'Ada lagi yang bisa dibantu?' he replies 'Ooh, jadi itu artinya', though nothing w",
    80: "Asked to hand over the file and told to keep the envelope, she answers only 'Iya, ben",
    81: "She glances at 'the envelope under her map', but the map was already handed to the cl",
    82: "The clerk asked what he wants; he replies 'saya kan belum menyerahkan dokumennya', as",
    86: "Right after 'Ini keterlaluan!' he nods 'Iya, itu saja... Terima kasih', answering a q",
    88: "She reacts with surprise 'Biaya?' to a fee she had just acknowledged and thanked him ",
    94: "The clerk refused his envelope and said the service is free; the citizen who just tri",
}
over12: dict[int, dict] = {}
skip13 = {  # the auditor's reasons, shortened
    5: "The clerk only asked what he needs (in English); 'Jadi intinya bagaimana?' treats it ",
    6: "The clerk was chatting about a football referee; the citizen reacts as if he had been",
    14: "'Eh, iya' answers the clerk's jibe 'Bapak yang tadi parkir mobil sembarangan ya?' as ",
    15: "The clerk insists the 50k 'materai' fee is needed and asks 'Bapak mau ditolak?'; he s",
    21: "'Maksudnya saya harus kasih uang?' comes a turn late: the clerk had already named the",
    26: "The clerk asked for the file; 'Tolong dijelaskan baik-baik saja' asks for an explanat",
    28: "He gives the same address (Jalan Pemuda 12) for his business and his home but says th",
    30: "No money was mentioned; 'kok ada uang-uangan begitu?' invents a bribe request out of ",
    31: "A business owner says he cannot say which kecamatan his own business is in ('Soal itu",
    32: "He said his shop is by a pura on Jalan Gunung Agung; the clerk wrongly says 'dekat pa",
    43: "The clerk pushes the promised call back a day ('jadi lusa siang'); an already upset c",
    44: "Nothing contradicted 'lengkap'; she invents a contradiction ('tadi katanya sudah leng",
    48: "Asked what the problem is, she says she does not know ('Saya tidak tahu persisnya!') ",
    50: "The clerk offers to put the head's paraf on himself (forgery); he accepts ('Baik, tap",
    51: "He walks out to report the clerk but leaves his receipt (his only proof) in the clerk",
    52: "The clerk asked to see last week's receipt; he reacts as if he were being given anoth",
    56: "The clerk blames the upset citizen ('Bapak juga sih... maunya instan'); he answers ca",
    72: "'Ooh, jadi itu artinya' answers a tip about the helpdesk in which no term was defined",
    80: "Asked for the map ('Mapnya saya terima ya'), he hands over the bribe envelope, and in",
    85: "She is pleased ('Nah, begitu') when the clerk pockets her money and promises special ",
    86: "She agrees to leave her file without any receipt ('Baik, saya tunggu') after paying t",
    92: "A clear, polite next-step explanation gets a sigh ('Ya sudah... saya coba sabar') as ",
    96: "Told to put the envelope in the clerk's drawer for same-day service, he is reassured ",
}
over13: dict[int, dict] = {}
over9 = {71: {"require_text": [r"Surat Keterangan Domisili Usaha"], "forbid_text": []}}
# the audits in the order they were played: folder (and case prefix), lines left alone, overrides
PLAN = [("before", skip1, over1), ("after", skip2, over2), ("third", skip3, over3),
        ("fourth", skip4, over4), ("fifth", skip5, over5), ("sixth", skip6, over6),
        ("seventh", skip7, over7), ("eighth", skip8, over8), ("ninth", skip9, over9),
        ("tenth", skip10, over10), ("eleventh", skip11, over11),
        ("twelfth", skip12, over12), ("thirteenth", skip13, over13)]
HEADER = """# Every incoherent citizen line the coherence audits found (issue 20, 2026-12-03),
# replayed offline through the turn function by tests/test_citizen_memory.py: the same clerk
# turns must no longer lead to the flagged words (`forbid_text`, regular expressions) and must
# contain `require_text` where the fix is an answer (a name, a phone number, the business).
#   before_*: first audit, 101 incoherent messages in 48 visits (375 judged)
#   after_*:  second audit after the memory landed, 50 incoherent in 43 visits (334 judged)
#   third_*:  third audit, a stricter auditor, 104 incoherent in 44 visits (381 judged)
#   fourth_*: fourth audit, 65 incoherent in 44 visits (355 judged; 17 of 152 in ordinary visits)
#   fifth_*:  fifth audit, 51 incoherent in 40 visits (306 judged; 6 of 136 in ordinary visits)
#   sixth_*:  sixth audit, 79 incoherent in 42 visits (347 judged; 35 of 180 in ordinary visits)
#   seventh_*: seventh audit, 74 incoherent in 44 visits (366 judged; 23 of 178 in ordinary visits)
#   eighth_*: eighth audit, 70 incoherent in 44 visits (340 judged; 33 of 160 in ordinary visits)
#   ninth_*:  ninth audit, 96 incoherent in 44 visits (343 judged; 35 of 157 in ordinary visits)
#   tenth_*:  tenth audit, 116 incoherent in 44 visits (346 judged; 52 of 164 in ordinary visits)
#   eleventh_*: eleventh audit, 79 incoherent in 40 visits (269 judged; 36 of 126 ordinary)
#   twelfth_*: twelfth audit, 95 incoherent in 40 visits (292 judged; 30 of 138 ordinary)
#   thirteenth_*: thirteenth audit, 99 incoherent in 40 visits (304 judged; 36 of 153 ordinary)
# Not fixed, left alone (see the closing note of issue 20):
"""


def main() -> None:
    out, left_alone = [], []
    for name, skip, override in PLAN:
        out += cases(AUDITS / name / "incoherent.yml", name, skip, override)
        left_alone += [f"#   - {name} #{i}: {why}\n" for i, why in skip.items()]
    (ROOT / "tests" / "citizen" / "audit_regressions.yml").write_text(
        HEADER + "".join(left_alone)
        + yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=100),
        encoding="utf-8")
    print(f"{len(out)} cases")


if __name__ == "__main__":
    main()
