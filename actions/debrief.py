"""The end-of-visit debrief: averages, objectives, best and weakest reply, tips, pass/fail."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from actions import catalog, incidents, objectives
from actions.scoring.tips import habit_signals, incident_tip_openings, shown_tips
from actions.turn_record import mean_scores

# the office's rule behind each kind of wrong fact (actions/data/office.yml), said briefly
_TRUE_FACTS = {
    "biaya": "layanan perpanjangan izin usaha gratis, tanpa biaya apa pun",
    "lama proses": "lama proses 2 hari kerja setelah berkas lengkap",
    "hasil": "sebutkan hasil pemeriksaan yang sebenarnya, termasuk dokumen yang belum ada",
    "persyaratan": ("persyaratannya fotokopi KTP, NPWP, NIB, izin usaha yang lama, dan Surat "
                    "Keterangan Domisili Usaha, tanpa syarat tambahan"),
    "arti istilah": ("NIB adalah nomor induk berusaha (identitas usaha), bukan NPWP; jelaskan "
                     "setiap istilah dengan benar"),
    "prosedur": ("berkas diterima setiap hari kerja di loket ini dan pelanggan dikabari; "
                 "jangan membuat aturan sendiri"),
    "tempat mengurus": ("Surat Keterangan Domisili Usaha diurus di kantor kelurahan/desa, dan izin "
                        "diambil di loket ini"),
    "tempat pengambilan izin": "izin diambil di loket ini dengan menunjukkan tanda terima",
    "urutan langkah": ("urutannya: berkas diperiksa, diberi tanda terima, diproses 2 hari kerja, "
                       "lalu izin diambil di loket ini; untuk NIB: buat akun OSS, isi data usaha "
                       "dan KBLI, lalu NIB terbit"),
    "hari pengambilan": ("izin selesai 2 hari kerja setelah berkas lengkap; loket buka Senin "
                         "sampai Jumat, jadi hitung hari kerjanya dengan benar"),
}


def _reasons(record: Mapping[str, Any], positive: bool) -> list[tuple[str, list[str], int]]:
    """What raised (or lowered) a reply's score, one reason per fault or strength: the
    evidence items of one label (the same wrong fact costs clarity and responsiveness, it is
    one reason) with their quoted words and summed points, biggest first."""
    grouped: dict[str, tuple[list[str], int]] = {}
    evidence = (record.get("scores") or {}).get("evidence") or []
    for e in evidence:
        effect, label = int(e.get("effect") or 0), _fault_label(e, evidence)
        if not label or e.get("signal") == "learned" or (effect > 0) != positive or not effect:
            continue  # only the reasons a trainee can act on, never an internal code
        texts, total = grouped.get(label, ([], 0))
        said = str(e.get("text") or "")
        if (len(said) <= 40 and any(c.isalpha() for c in said) and said not in texts
                and said.lower() not in label.lower()):  # words worth quoting only
            texts.append(said)
        grouped[label] = (texts, total + effect)
    return sorted(((label, texts, total) for label, (texts, total) in grouped.items()),
                  key=lambda item: -abs(item[2]))


# Clarity's view of the citizen's main need is the same fault (or strength) as the need itself
_SAME_AS_NEED = {"answer_clear": "need_met:", "answer_partial": "need_partial:",
                 "no_answer": "need_unmet:"}


def _fault_label(item: Mapping[str, Any], evidence: Sequence[Mapping[str, Any]]) -> str:
    prefix = _SAME_AS_NEED.get(str(item.get("signal") or ""))
    need = next((e for e in evidence if prefix and str(e.get("signal")).startswith(prefix)
                 and e.get("label")), None)
    return str((need or item).get("label") or "")


def _why(record: Mapping[str, Any], positive: bool) -> str:
    parts = []
    for label, texts, total in _reasons(record, positive)[:3]:
        said = "".join(f" “{text}”" for text in texts[:2])
        parts.append(f"{label}{said} ({total:+d})")
    if parts:
        return ", ".join(parts)
    if positive:
        return "tanpa catatan khusus"
    # nothing held it back on its own: say what would have raised it
    scores = record.get("scores") or {}
    dims = [(scores[key], label) for key, label in catalog.DIMENSION_LABELS.items()
            if key != "overall" and isinstance(scores.get(key), (int, float))]
    lowest = f", dengan nilai terendah pada {min(dims)[1]} ({min(dims)[0]})" if dims else ""
    tips = shown_tips(scores)
    advice = f". Agar lebih baik: {tips[0]}" if tips else ""
    return f"tidak ada kesalahan yang menonjol{lowest}{advice}"


def _main_tips(scored: Sequence[Mapping[str, Any]], limit: int) -> list[str]:
    """The tips the trainee saw under its replies, the most frequent first, then the ones
    under the weakest replies; a tip asking for a habit most replies show is left out."""
    seen: dict[str, list[int]] = {}
    for record in scored:
        for tip in shown_tips(record["scores"]):
            seen.setdefault(tip, []).append(int(record["scores"].get("overall") or 0))
    habits = habit_signals()

    def shows(record: Mapping[str, Any], signal: str) -> bool:
        return any(e.get("signal") == signal and (e.get("effect") or 0) > 0
                   for e in record["scores"].get("evidence") or [])

    kept = [tip for tip in seen if tip not in habits or
            2 * sum(shows(r, habits[tip]) for r in scored) < len(scored)]
    kept.sort(key=lambda tip: (-len(seen[tip]), min(seen[tip])))
    return kept[:limit]


def build(
    scenario: str,
    records: Sequence[Mapping[str, Any]],
    ended_by: str,
    mood: str,
) -> dict[str, Any]:
    """The debrief of a visit as a JSON-serialisable dict (stored in the tracker)."""
    scored = [r for r in records if r.get("scores")]
    averages = mean_scores([r["scores"] for r in scored])
    checklist = objectives.evaluate(scenario, records)
    spec = catalog.scenario_spec(scenario)
    rules = spec.get("pass") or {}
    required = rules.get("required") or [o["id"] for o in checklist]
    unmet = [o for o in checklist if o["id"] in required and not o["met"]]
    min_overall = rules.get("min_overall", 60)
    # The visit's overall: the replies' mean, less what the service left undone (an expert
    # grades the visit, not only its sentences). The replies' own mean is kept beside it.
    reply_mean = averages["overall"]
    # What took the visit's score below the replies' mean, in words the trainee reads.
    deductions: list[dict[str, Any]] = []
    if reply_mean is not None:
        weights = {o["id"]: o.get("weight") for o in spec.get("objectives") or []}
        default = int(rules.get("unmet_penalty", 8))
        penalty = min(sum(int(weights.get(o["id"]) or default) for o in unmet),
                      int(rules.get("unmet_penalty_cap", 50)))
        if penalty:
            deductions.append({"points": penalty, "why": f"{len(unmet)} sasaran belum tercapai"})
        if ended_by == "walked_out":
            extra = max(0, int(rules.get("walk_out_penalty", 20)) - penalty)
            penalty += extra
            if extra:
                deductions.append({"points": extra, "why": "pelanggan pergi karena kecewa"})
        averages["overall"] = max(0, reply_mean - penalty)

    def cap_at(cap: int, what: str) -> None:
        """The visit's score is at most ``cap`` (a deduction says why)."""
        if averages["overall"] is None:
            return
        if averages["overall"] > cap:
            deductions.append({"points": averages["overall"] - cap,
                               "why": f"{what}: nilai kunjungan paling tinggi {cap}"})
        averages["overall"] = min(averages["overall"], cap)

    took_gift = next((r for r in records if (r.get("reading") or {}).get("accepted_gift")), None)
    if took_gift is not None:
        cap_at(int(rules.get("integrity_cap", 10)), "menerima imbalan")
    breaches = incidents.of_visit(records)
    for breach in breaches if took_gift is None else []:
        cap_at(int(rules.get("integrity_cap", 10)) if breach["kind"] == "integrity" else
               int(rules.get("incident_cap", 30)), breach["label"])
    misinformed = next((r for i, r in enumerate(records)
                        if (r.get("reading") or {}).get("wrong_facts")
                        and not _corrected_later(records[i + 1:])), None)
    if misinformed is not None:
        cap_at(int(rules.get("misinformation_cap", 30)), "informasi keliru")
    if breaches:
        passed = False
        reason = " ".join(f"{b['label'].capitalize()} (balasan ke-{b['turn']}: “{b['text']}”). "
                          f"{b['rule']}" for b in breaches)
    elif misinformed is not None:
        passed = False
        what = " dan ".join((misinformed.get("reading") or {}).get("wrong_facts") or [])
        reason = (f"Memberikan informasi keliru tentang {what} (balasan ke-"
                  f"{misinformed.get('turn')}); pelanggan bisa dirugikan.")
    elif ended_by == "walked_out":
        passed, reason = False, "Pelanggan meninggalkan loket karena kecewa dengan pelayanan."
    elif ended_by == "abandoned":
        passed, reason = False, ("Latihan ditinggalkan sebelum selesai dan ditutup tanpa "
                                 "penilaian akhir.")
    elif not records:
        passed, reason = False, "Belum ada balasan petugas dalam kunjungan ini."
    elif unmet:
        passed = False
        reason = "Sasaran belum tercapai: " + "; ".join(o["label"] for o in unmet) + "."
    elif averages["overall"] is not None and averages["overall"] < min_overall:
        passed = False
        reason = f"Rata-rata nilai total {averages['overall']} di bawah batas {min_overall}."
    else:
        passed, reason = True, "Semua sasaran tercapai dan nilai rata-rata memenuhi batas."

    fail_reasons = [] if passed else _fail_reasons(
        breaches, took_gift, misinformed, ended_by, records, unmet, reply_mean,
        averages["overall"], min_overall) or [reason]
    clean = [r for r in scored if not (r.get("reading") or {}).get("incidents")]
    best = max(clean, key=lambda r: r["scores"]["overall"], default=None)
    weakest = min(scored, key=lambda r: r["scores"]["overall"], default=None)
    critical = []  # the lesson of a failed visit comes before the everyday tips
    critical += [b["lesson"] for b in breaches]
    if misinformed is not None:
        wrong = (misinformed.get("reading") or {}).get("wrong_facts") or []
        facts = "; ".join(_TRUE_FACTS[w] for w in wrong if w in _TRUE_FACTS)
        critical.append("Sampaikan hanya ketentuan yang benar" +
                        (f" ({facts})" if facts else "") + "; bila ragu, periksa dulu.")
    return {
        "type": "debrief",
        "scenario": scenario,
        "ended_by": ended_by,
        "final_mood": mood,
        "turns": len(records),
        "scored_turns": len(scored),
        "averages": averages,
        "reply_overall": reply_mean,
        "objectives": checklist,
        "best_reply": _quote(best, True),
        "weakest_reply": _quote(weakest, False),
        # the lessons of a failed visit lead; then the tips shown under the replies
        "top_tips": (critical + [tip for tip in _main_tips(scored, 6) if not tip.startswith(
            tuple(incident_tip_openings([b["kind"] for b in breaches])) or ("\0",))][:3])[:4],
        "deductions": deductions,
        "passed": passed,
        "reason": reason,
        "fail_reasons": fail_reasons,
    }


def _corrected_later(later: Sequence[Mapping[str, Any]]) -> bool:
    """The clerk put a wrong fact right in a later reply ("ralat, tadi saya keliru", "itu salah
    saya") that states nothing wrong itself: the citizen leaves with the right information."""
    return any("self_correction" in ((r.get("reading") or {}).get("marks") or ())
               and not (r.get("reading") or {}).get("wrong_facts") for r in later)


def _fail_reasons(
    breaches: Sequence[Mapping[str, Any]], took_gift: Mapping[str, Any] | None,
    misinformed: Mapping[str, Any] | None, ended_by: str, records: Sequence[Mapping[str, Any]],
    unmet: Sequence[Mapping[str, Any]], reply_mean: int | None, overall: int | None,
    min_overall: int,
) -> list[str]:
    """One short sentence per fault that made the visit fail (``reason`` tells the first)."""
    out = [f"{b['label'].capitalize()} pada balasan ke-{b['turn']}." for b in breaches]
    if took_gift is not None:
        out.append(f"Menerima imbalan dari pelanggan pada balasan ke-{took_gift.get('turn')}.")
    if misinformed is not None:
        what = " dan ".join((misinformed.get("reading") or {}).get("wrong_facts") or [])
        out.append(f"Memberikan informasi keliru tentang {what} pada balasan ke-"
                   f"{misinformed.get('turn')}.")
    if ended_by == "walked_out":
        out.append("Pelanggan meninggalkan loket karena kecewa dengan pelayanan.")
    elif ended_by == "abandoned":
        out.append("Latihan ditinggalkan sebelum selesai.")
    if not records:
        out.append("Belum ada balasan petugas dalam kunjungan ini.")
    out += [f"Sasaran wajib belum tercapai: {o['label']}." for o in unmet]
    if reply_mean is not None and reply_mean < min_overall:
        out.append(f"Rata-rata nilai balasan {reply_mean} di bawah batas lulus {min_overall}.")
    elif not out and overall is not None and overall < min_overall:
        out.append(f"Nilai kunjungan {overall} di bawah batas lulus {min_overall}.")
    return out


def _quote(record: Mapping[str, Any] | None, positive: bool) -> dict[str, Any] | None:
    if record is None:
        return None
    return {
        "turn": record.get("turn"),
        "reply": str(record.get("reply") or "")[:300],
        "overall": record["scores"]["overall"],
        "why": _why(record, positive),
    }


def as_text(debrief: Mapping[str, Any]) -> str:
    """The debrief as Indonesian text for the terminal."""
    verdict = "LULUS" if debrief["passed"] else "BELUM LULUS"
    lines = [f"[Ringkasan latihan — {verdict}] {debrief['reason']}"]
    reasons = debrief.get("fail_reasons") or []
    if len(reasons) > 1:  # the reason tells the first; every fault is listed
        lines.append("Penyebab belum lulus:")
        lines += [f"  - {reason}" for reason in reasons]
    lines.append(f"Jumlah balasan Anda: {debrief['turns']} (dinilai: {debrief['scored_turns']}).")
    averages = debrief["averages"]
    if averages["overall"] is not None:
        lines.append("Rata-rata balasan: " + ", ".join(
            f"{label} {debrief.get('reply_overall') if key == 'overall' else averages[key]}"
            for key, label in catalog.DIMENSION_LABELS.items()))
        lines.append(f"Nilai kunjungan: {averages['overall']} (rata-rata balasan "
                     f"{debrief.get('reply_overall')}" + "".join(
                         f"; −{d['points']}: {d['why']}" for d in debrief.get("deductions") or [])
                     + "; batas lulus 60)")
    lines.append("Sasaran:")
    for item in debrief["objectives"]:
        optional = " (opsional)" if item.get("optional") else ""
        lines.append(f"  [{'x' if item['met'] else ' '}] {item['label']}{optional}")
    if debrief["best_reply"]:
        best = debrief["best_reply"]
        lines.append(f"Balasan terbaik (balasan ke-{best['turn']}, {best['overall']}): "
                     f"\"{best['reply']}\" — {best['why']}")
    if debrief["weakest_reply"]:
        weak = debrief["weakest_reply"]
        lines.append(f"Balasan terlemah (balasan ke-{weak['turn']}, {weak['overall']}): "
                     f"\"{weak['reply']}\" — {weak['why']}")
    if debrief["top_tips"]:
        lines.append("Saran utama:")
        lines += [f"  - {tip}" for tip in debrief["top_tips"]]
    return "\n".join(lines)
