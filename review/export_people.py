"""The exports for people: Indonesian headers and values, local time, trainer scores one
column per dimension, and an Excel sheet with real dates, a frozen header row with filters and
column widths. The machine format (snake_case keys, JSON values, UTC) stays in
``review/export.py`` (``?format=raw``, ``--raw``) and is what JSON always gives.

The local time zone is ``PTSP_TIMEZONE``: WIB (default), WITA or WIT.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Mapping, Optional

from actions import catalog

ZONES = {"WIB": 7, "WITA": 8, "WIT": 9}
DIMS = [d for d in catalog.DIMENSIONS if d != "overall"]
Row = Mapping[str, Any]


def zone() -> tuple[str, timezone]:
    """The office's time zone (``PTSP_TIMEZONE``; ``ValueError`` for an unknown one)."""
    name = (os.environ.get("PTSP_TIMEZONE") or "WIB").strip().upper()
    if name not in ZONES:
        raise ValueError(f"PTSP_TIMEZONE harus WIB, WITA, atau WIT (bukan {name[:10]!r}).")
    return name, timezone(timedelta(hours=ZONES[name]), name)


def local(iso: Any) -> Optional[datetime]:
    """An ISO timestamp (UTC) as the office's local time, without zone (Excel has none)."""
    if not isinstance(iso, str) or not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone()[1]).replace(tzinfo=None)


def yes_no(value: Any) -> str:
    return "" if value is None else "Ya" if value else "Tidak"


def _verdict(row: Row) -> str:
    if not row.get("finished"):
        return "Belum selesai"
    return "Lulus" if row.get("passed") else "Tidak lulus"


def _decided_by(row: Row) -> str:
    by = str(row.get("verdict_by") or "mesin")
    return "Mesin" if by == "mesin" else "Pelatih " + by.partition(":")[2].strip()


def _minutes(seconds: Any) -> Optional[float]:
    return round(float(seconds) / 60, 1) if isinstance(seconds, (int, float)) else None


def _joined(items: Any, sep: str = " | ") -> str:
    return sep.join(str(i) for i in items) if isinstance(items, list) else ""


def _evidence(items: Any) -> str:
    if not isinstance(items, list):
        return ""
    return "; ".join(f"{e.get('label') or 'penilaian'} ({e.get('effect'):+d})"
                     if isinstance(e.get("effect"), int) else str(e.get("label") or "")
                     for e in items if isinstance(e, dict))


Column = tuple[str, Callable[[Row], Any], int]  # header, value of a row, Excel width


def session_columns() -> list[Column]:
    name, _ = zone()
    return [
        ("ID pegawai", lambda r: r.get("trainee_id"), 14),
        ("Nama peserta", lambda r: r.get("trainee_name"), 24),
        ("Unit kerja", lambda r: r.get("unit"), 26),
        ("Skenario", lambda r: catalog.scenario_title(r.get("scenario")), 40),
        ("Mode", lambda r: "Ujian" if r.get("exam_mode") else "Latihan", 10),
        (f"Mulai ({name})", lambda r: local(r.get("started")), 18),
        ("Durasi (menit)", lambda r: _minutes(r.get("duration_seconds")), 10),
        ("Jumlah balasan", lambda r: r["turns"] if isinstance(r.get("turns"), int)
         else len(r.get("turns") or []), 10),
        ("Nilai kunjungan", lambda r: r.get("visit_score"), 10),
        ("Rata-rata balasan", lambda r: r.get("reply_mean"), 10),
        ("Hasil", _verdict, 14),
        ("Diputuskan oleh", _decided_by, 18),
        ("Alasan tidak lulus", lambda r: _joined(r.get("fail_reasons")), 50),
        ("Keterangan", lambda r: r.get("reason"), 50),
        ("Akhir kunjungan", lambda r: catalog.ENDED_BY_LABELS.get(r.get("ended_by") or "", ""),
         18),
        ("Suasana hati akhir", lambda r: catalog.MOOD_LABELS.get(r.get("final_mood") or "", ""),
         12),
        *((f"{catalog.dimension_label(d)} (rata-rata balasan)", _getter(d), 12) for d in DIMS),
        ("ID sesi", lambda r: r.get("id"), 30),
    ]


def turn_columns() -> list[Column]:
    name, _ = zone()
    return [
        ("ID pegawai", lambda r: r.get("trainee_id"), 14),
        ("Skenario", lambda r: catalog.scenario_title(r.get("scenario")), 36),
        ("Mode", lambda r: "Ujian" if r.get("exam_mode") else "Latihan", 10),
        ("Balasan ke-", lambda r: r.get("turn"), 8),
        (f"Waktu ({name})", lambda r: local(r.get("time")), 18),
        ("Ucapan pelanggan sebelumnya", lambda r: r.get("customer_turn"), 40),
        ("Balasan petugas", lambda r: r.get("reply"), 60),
        ("Jenis balasan", lambda r: r.get("move_label"), 24),
        ("Jawaban pelanggan", lambda r: r.get("citizen_answer"), 40),
        ("Suasana hati sebelum", lambda r: catalog.MOOD_LABELS.get(r.get("mood_before") or "",
                                                                  ""), 12),
        ("Suasana hati sesudah", lambda r: catalog.MOOD_LABELS.get(r.get("mood_after") or "",
                                                                  ""), 12),
        ("Dinilai", lambda r: yes_no(r.get("scored")), 8),
        *((catalog.dimension_label(d), _getter(d), 11) for d in catalog.DIMENSIONS),
        ("Saran", lambda r: _joined(r.get("tips")), 50),
        ("Bukti penilaian", lambda r: _evidence(r.get("evidence")), 60),
        *((f"Nilai pelatih: {catalog.dimension_label(d)}", _trainer(d), 12)
          for d in catalog.DIMENSIONS),
        ("Komentar pelatih", lambda r: r.get("trainer_comment"), 50),
        ("Dinilai ulang", lambda r: yes_no(r.get("rescored")), 10),
        ("Versi penilai", lambda r: r.get("scorer_version"), 14),
        ("ID sesi", lambda r: r.get("session_id"), 30),
    ]


def _getter(key: str) -> Callable[[Row], Any]:
    return lambda r: r.get(key)


def _trainer(dim: str) -> Callable[[Row], Any]:
    return lambda r: (r.get("trainer_scores") or {}).get(dim) if isinstance(
        r.get("trainer_scores"), dict) else None


def table(rows: list[Row], what: str) -> tuple[list[str], list[list[Any]], list[int]]:
    """Headers, values and Excel widths of the rows (sessions or turns) for people."""
    columns = session_columns() if what == "sessions" else turn_columns()
    return ([c[0] for c in columns], [[c[1](r) for c in columns] for r in rows],
            [c[2] for c in columns])


def csv_value(value: Any) -> Any:
    """A value as a CSV cell for people: local times written out, decimals with a comma."""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return value
