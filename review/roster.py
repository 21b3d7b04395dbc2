"""Who the trainees are: the managed list of units and the roster of enrolled trainees.

* Units are a managed list (an admin adds them; a unit named for a trainer account is added
  with it). Everything that takes a unit takes one of these, matched exactly (case and spaces
  aside) and stored in its listed spelling.
* A trainer enrols a trainee (employee ID, name, unit), one by one or from a CSV/Excel sheet,
  and hands out a one-time enrolment code (shown once, stored as an Argon2 hash, 14 days).
  The trainee signs in with ID + code and chooses a password, later with ID + password.
  A new code ends the password and every sign-in (the generation is bumped).
* Unit membership comes from here, never from what a visit declares.
"""

from __future__ import annotations

import csv
import io
import secrets
import time
from dataclasses import dataclass
from typing import Any, Iterable, Optional

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from actions.cleaning import clean_text
from review import limits
from review.db import engine, roster, units
from review.limits import LoginRefused

CODE_DAYS = 14
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
MIN_PASSWORD = 8
MAX_NAME = 120
MAX_ROWS = 2000
MAX_COLUMNS = 20
MAX_UNPACKED = 20_000_000  # bytes of an uploaded workbook once unzipped
EMPLOYEE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("no trainee has this secret")


class NeedPassword(Exception):
    """The secret was a valid enrolment code: the trainee must choose a password now."""


@dataclass(frozen=True)
class Member:
    """An enrolled trainee as the web service knows them."""

    id: str
    name: str
    unit: str
    generation: int

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "unit": self.unit}


def _norm(text: str) -> str:
    return " ".join(clean_text(text).split())


# --- units --------------------------------------------------------------------------------

def list_units(url: Optional[str] = None) -> list[str]:
    with engine(url).connect() as conn:
        return list(conn.execute(sa.select(units.c.name).order_by(units.c.name)).scalars())


def canonical_unit(name: Any, url: Optional[str] = None) -> Optional[str]:
    """The managed unit this name means (exact, case and spaces aside), else ``None``."""
    if not isinstance(name, str) or not name.strip():
        return None
    wanted = _norm(name).casefold()
    return next((u for u in list_units(url) if u.casefold() == wanted), None)


def add_unit(name: str, url: Optional[str] = None) -> str:
    """Add a unit to the managed list (``ValueError`` if it is there already or invalid)."""
    name = _norm(name)
    if not name or len(name) > MAX_NAME:
        raise ValueError(f"Nama unit wajib diisi (paling banyak {MAX_NAME} karakter).")
    if canonical_unit(name, url) is not None:
        raise ValueError(f"Unit {name} sudah ada.")
    with engine(url).begin() as conn:
        conn.execute(sa.insert(units).values(name=name, created=time.time()))
    return name


def ensure_units(names: Iterable[str], url: Optional[str] = None) -> list[str]:
    """The managed spelling of each name, adding the ones not listed yet."""
    return [canonical_unit(n, url) or add_unit(n, url) for n in names if _norm(n)]


def unit_counts(url: Optional[str] = None) -> list[dict[str, Any]]:
    query = sa.select(units.c.name, sa.func.count(roster.c.employee_id)).select_from(
        units.outerjoin(roster, roster.c.unit == units.c.name)).group_by(units.c.name
                                                                          ).order_by(units.c.name)
    with engine(url).connect() as conn:
        return [{"name": name, "trainees": count} for name, count in conn.execute(query)]


# --- enrolment ----------------------------------------------------------------------------

def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def _code_key(code: str) -> str:
    return "".join(c for c in code.upper() if c in CODE_ALPHABET)


def check_employee_id(employee_id: Any) -> str:
    if not isinstance(employee_id, str) or not employee_id.strip() or \
            len(employee_id.strip()) > 40 or not set(employee_id.strip()) <= EMPLOYEE_CHARS:
        raise ValueError("ID pegawai: huruf, angka, '-' atau '_' (paling banyak 40).")
    return employee_id.strip()


def enrol(employee_id: Any, name: Any, unit: Any, created_by: str,
          allowed_units: Optional[Iterable[str]] = None, url: Optional[str] = None
          ) -> tuple[dict[str, Any], str]:
    """Enrol one trainee; (the trainee as listed, their one-time code). ``allowed_units``: the
    units the enrolling trainer may use (``None``: any). ``PermissionError`` for another unit,
    ``ValueError`` (Indonesian) for anything invalid or an ID already enrolled."""
    employee_id = check_employee_id(employee_id)
    if not isinstance(name, str) or not _norm(name) or len(_norm(name)) > MAX_NAME:
        raise ValueError(f"Nama wajib diisi (paling banyak {MAX_NAME} karakter).")
    listed = canonical_unit(unit, url)
    if listed is None:
        raise ValueError("Unit tidak ada dalam daftar unit kerja.")
    if allowed_units is not None and listed.casefold() not in {u.casefold()
                                                               for u in allowed_units}:
        raise PermissionError("Unit itu bukan unit Anda.")
    code = new_code()
    with engine(url).begin() as conn:
        if conn.execute(sa.select(roster.c.employee_id).where(
                sa.func.lower(roster.c.employee_id) == employee_id.lower())).first():
            raise ValueError(f"ID pegawai {employee_id} sudah terdaftar.")
        conn.execute(sa.insert(roster).values(
            employee_id=employee_id, name=_norm(name), unit=listed, password_hash=None,
            code_hash=_hasher.hash(_code_key(code)),
            code_expires=time.time() + CODE_DAYS * 86400, generation=0, disabled=False,
            created=time.time(), created_by=created_by[:120]))
    return {"id": employee_id, "name": _norm(name), "unit": listed}, code


HEADERS = {"id": ("id pegawai", "id", "nip", "employee_id", "employee id", "no pegawai"),
           "name": ("nama", "nama lengkap", "name"),
           "unit": ("unit", "unit kerja", "kantor", "unit kerja / kantor")}


def read_sheet(filename: str, data: bytes) -> list[dict[str, str]]:
    """The rows of an uploaded CSV (``;`` or ``,``) or Excel sheet as {id, name, unit}; the
    first row names the columns (``ValueError`` when it does not)."""
    if filename.lower().endswith(".xlsx"):
        table = _xlsx_rows(data)
    elif filename.lower().endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        first = text.splitlines()[0] if text.strip() else ""
        try:
            reader = csv.reader(io.StringIO(text.replace("\x00", "")),
                                delimiter=";" if first.count(";") >= first.count(",") else ",")
            table = [row[:MAX_COLUMNS] for _, row in zip(range(MAX_ROWS + 2), reader, strict=False)]
        except csv.Error as exc:
            raise ValueError("Berkas CSV tidak dapat dibaca (baris atau sel terlalu panjang?)."
                             ) from exc
    else:
        raise ValueError("Unggah berkas .csv atau .xlsx.")
    table = [row + [str(number)] for number, row in enumerate(table, start=1)
             if any(cell.strip() for cell in row)]  # the sheet's row number kept last
    if not table:
        raise ValueError("Berkas kosong.")
    header = [_norm(cell).casefold() for cell in table[0]]
    columns = {key: next((i for i, h in enumerate(header) if h in names), None)
               for key, names in HEADERS.items()}
    if columns["id"] is None or columns["name"] is None:
        raise ValueError("Baris pertama harus berisi judul kolom: ID pegawai, Nama, Unit.")
    if len(table) - 1 > MAX_ROWS:
        raise ValueError(f"Paling banyak {MAX_ROWS} peserta per berkas.")

    def cell(row: list[str], key: str) -> str:
        index = columns[key]
        return row[index].strip() if index is not None and index < len(row) else ""

    return [{**{key: cell(row[:-1], key) for key in HEADERS}, "row": row[-1]}
            for row in table[1:]]


def _xlsx_rows(data: bytes) -> list[list[str]]:
    """The first rows of an Excel sheet as text. A workbook is a zip whose sheet may declare
    any size: the unpacked size is checked first and only the rows the roster can take (and
    the first columns) are read, so a tiny file cannot make the service build a huge table."""
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(item.file_size for item in archive.infolist()) > MAX_UNPACKED:
                raise ValueError("Berkas Excel terlalu besar setelah dibuka (maks. 20 MB).")
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        return [["" if v is None else str(v) for v in row]
                for row in sheet.iter_rows(min_row=1, max_row=MAX_ROWS + 2,
                                           max_col=MAX_COLUMNS, values_only=True)]
    except ValueError:
        raise
    except Exception as exc:  # noqa: BLE001 - any broken workbook is the user's file
        raise ValueError("Berkas Excel tidak dapat dibaca.") from exc


def enrol_sheet(rows: list[dict[str, str]], created_by: str, default_unit: Optional[str],
                allowed_units: Optional[Iterable[str]], url: Optional[str] = None
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Enrol every valid row; (enrolled with their codes, errors by spreadsheet row number)."""
    enrolled, errors = [], []
    allowed = list(allowed_units) if allowed_units is not None else None
    for number, row in enumerate(rows, start=2):
        number = int(row.get("row") or number)
        try:
            trainee, code = enrol(row["id"], row["name"], row["unit"] or default_unit or "",
                                  created_by, allowed, url)
        except (ValueError, PermissionError) as exc:
            errors.append({"row": number, "id": row["id"], "error": str(exc)})
            continue
        enrolled.append({**trainee, "code": code})
    return enrolled, errors


def new_enrolment_code(employee_id: str, url: Optional[str] = None) -> str:
    """A fresh one-time code: the password and every sign-in of the trainee end."""
    code = new_code()
    with engine(url).begin() as conn:
        changed = conn.execute(sa.update(roster).where(roster.c.employee_id == employee_id)
                               .values(code_hash=_hasher.hash(_code_key(code)),
                                       code_expires=time.time() + CODE_DAYS * 86400,
                                       password_hash=None,
                                       generation=roster.c.generation + 1)).rowcount
    if not changed:
        raise ValueError("Peserta tidak ditemukan.")
    return code


def set_disabled(employee_id: str, disabled: bool, url: Optional[str] = None) -> None:
    with engine(url).begin() as conn:
        changed = conn.execute(sa.update(roster).where(roster.c.employee_id == employee_id)
                               .values(disabled=disabled,
                                       generation=roster.c.generation + 1)).rowcount
    if not changed:
        raise ValueError("Peserta tidak ditemukan.")


# --- lookups ------------------------------------------------------------------------------

def _status(row: Any) -> str:
    if row.disabled:
        return "nonaktif"
    return "aktif" if row.password_hash else "menunggu"


def entry(employee_id: str, url: Optional[str] = None) -> Optional[dict[str, Any]]:
    """The roster entry of exactly this employee ID (case aside), else ``None``."""
    with engine(url).connect() as conn:
        row = conn.execute(sa.select(roster).where(
            sa.func.lower(roster.c.employee_id) == employee_id.strip().lower())).first()
    return _listed(row) if row is not None else None


def _listed(row: Any) -> dict[str, Any]:
    return {"id": row.employee_id, "name": row.name, "unit": row.unit, "status": _status(row),
            "code_expires": row.code_expires if row.code_hash else None}


def members(unit_scope: Optional[Iterable[str]] = None, q: str = "", unit: str = "",
            limit: int = 500, url: Optional[str] = None) -> list[dict[str, Any]]:
    """Enrolled trainees (of these units; matching ``q`` in ID or name), by name."""
    query = sa.select(roster).order_by(roster.c.name, roster.c.employee_id).limit(limit)
    if unit_scope is not None:  # units are stored in their listed spelling: exact matches
        query = query.where(roster.c.unit.in_(list(unit_scope)))
    if unit:
        query = query.where(roster.c.unit == (canonical_unit(unit, url) or _norm(unit)))
    if q.strip():
        pattern = "%" + q.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace(
            "_", "\\_") + "%"
        query = query.where(sa.or_(sa.func.lower(roster.c.employee_id).like(pattern, "\\"),
                                   sa.func.lower(roster.c.name).like(pattern, "\\")))
    with engine(url).connect() as conn:
        return [_listed(row) for row in conn.execute(query)]


def member(employee_id: Any, generation: Any = None, url: Optional[str] = None
           ) -> Optional[Member]:
    """The signed-in trainee a cookie names, if still enrolled, enabled and of that
    generation (a new code or disabling ends every sign-in)."""
    if not isinstance(employee_id, str) or not employee_id:
        return None
    with engine(url).connect() as conn:
        row = conn.execute(sa.select(roster).where(roster.c.employee_id == employee_id)).first()
    if row is None or row.disabled or row.password_hash is None or \
            (generation is not None and generation != row.generation):
        return None
    return Member(row.employee_id, row.name, row.unit, row.generation)


def sign_in(employee_id: Any, secret: Any, new_password: Any, address: str,
            url: Optional[str] = None) -> Member:
    """ID + password, or ID + enrolment code (then ``new_password`` is required:
    :class:`NeedPassword` without it). :class:`~review.limits.RateLimited` after too many
    attempts from this address; :class:`~review.limits.LoginRefused` otherwise."""
    if not isinstance(employee_id, str) or not isinstance(secret, str) or not secret:
        raise LoginRefused()
    employee_id = employee_id.strip()[:40]
    attempt = limits.reserve("trainee", employee_id, address, url)
    time.sleep(attempt.delay)
    with engine(url).connect() as conn:
        row = conn.execute(sa.select(roster).where(
            sa.func.lower(roster.c.employee_id) == employee_id.lower())).first()
    usable = row is not None and not row.disabled
    code_open = usable and row.code_hash is not None and (row.code_expires or 0) > time.time()
    # always two Argon2 checks: an unknown ID takes as long as a known one
    password_ok = verify_secret(row.password_hash if usable else None, secret)
    code_ok = verify_secret(row.code_hash if code_open else None, _code_key(secret))
    if password_ok:
        limits.succeeded(attempt, url)
        return Member(row.employee_id, row.name, row.unit, row.generation)
    if not code_ok:
        raise LoginRefused()
    limits.succeeded(attempt, url)
    if not isinstance(new_password, str) or not new_password:
        raise NeedPassword()
    if len(new_password) < MIN_PASSWORD:
        raise ValueError(f"Kata sandi minimal {MIN_PASSWORD} karakter.")
    with engine(url).begin() as conn:  # the code is used once, even by concurrent sign-ins
        used = conn.execute(sa.update(roster).where(
            roster.c.employee_id == row.employee_id, roster.c.code_hash == row.code_hash
        ).values(password_hash=_hasher.hash(new_password), code_hash=None, code_expires=None,
                 generation=roster.c.generation + 1)).rowcount
    if not used:
        raise LoginRefused()
    return Member(row.employee_id, row.name, row.unit, row.generation + 1)


def verify_secret(stored: Optional[str], given: str) -> bool:
    """Argon2 check of a password or code (trainees and accounts alike); nothing stored is
    checked against a dummy hash, so an unknown name takes as long as a known one."""
    try:
        return _hasher.verify(stored or _DUMMY_HASH, given) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def unit_of(employee_id: str, url: Optional[str] = None) -> Optional[str]:
    found = entry(employee_id, url)
    return found["unit"] if found else None
