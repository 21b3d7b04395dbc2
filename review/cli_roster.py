"""Command line for units, the roster and API tokens (``python -m review units|roster``,
``python -m review users token|revoke-token``)."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import datetime
from pathlib import Path

from review import accounts, roster
from review.notes import audit


def add_parsers(commands: argparse._SubParsersAction) -> None:
    un = commands.add_parser("units", help="the managed list of units")
    un.add_argument("action", choices=["add", "list"])
    un.add_argument("name", nargs="?")
    ro = commands.add_parser("roster", help="enrolled trainees and their enrolment codes")
    ro.add_argument("action", choices=["add", "import", "code", "disable", "enable", "list"])
    ro.add_argument("values", nargs="*",
                    help="add: ID NAME UNIT; import: FILE (.csv/.xlsx); code/disable/enable: ID")
    ro.add_argument("--unit", help="import: the unit of rows without one; list: only this unit")


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def units(args: argparse.Namespace) -> int:
    url = args.review_db_url
    if args.action == "list":
        for unit in roster.unit_counts(url):
            print(f"{unit['name']} — {unit['trainees']} peserta")
        return 0
    name = roster.add_unit(args.name or "", url)
    audit(_actor(), "unit-add", {"unit": name}, url)
    print(f"unit ditambahkan: {name}")
    return 0


def _codes(rows: list[dict]) -> None:
    print("Kode pendaftaran (sekali pakai, berlaku 14 hari) — berikan kepada pesertanya:")
    for row in rows:
        print(f"  {row['id']:<16} {row['code']}  {row['name']} ({row['unit']})")


def roster_command(args: argparse.Namespace) -> int:
    url, values = args.review_db_url, args.values
    if args.action == "list":
        for row in roster.members(None, "", args.unit or "", 100_000, url):
            print(f"{row['id']:<16} {row['status']:<9} {row['name']} ({row['unit']})")
        return 0
    if args.action == "add":
        if len(values) != 3:
            raise ValueError("roster add ID NAMA UNIT")
        trainee, code = roster.enrol(values[0], values[1], values[2], _actor(), None, url)
        audit(_actor(), "enrol", trainee, url)
        _codes([{**trainee, "code": code}])
        return 0
    if len(values) != 1:
        raise ValueError(f"roster {args.action} {'BERKAS' if args.action == 'import' else 'ID'}")
    if args.action == "import":
        path = Path(values[0])
        rows = roster.read_sheet(path.name, path.read_bytes())
        enrolled, errors = roster.enrol_sheet(rows, _actor(), args.unit, None, url)
        audit(_actor(), "enrol-sheet", {"file": path.name, "errors": len(errors),
                                        "enrolled": [t["id"] for t in enrolled]}, url)
        _codes(enrolled)
        for error in errors:
            print(f"  baris {error['row']}: {error['error']}", file=sys.stderr)
        return 0 if not errors else 1
    found = roster.entry(values[0], url)
    if found is None:
        raise ValueError(f"peserta {values[0]} tidak terdaftar")
    if args.action == "code":
        code = roster.new_enrolment_code(found["id"], url)
        audit(_actor(), "enrol-code", {"trainee_id": found["id"]}, url)
        _codes([{**found, "code": code}])
        return 0
    roster.set_disabled(found["id"], args.action == "disable", url)
    audit(_actor(), f"enrol-{args.action}", {"trainee_id": found["id"]}, url)
    print(f"{args.action}: {found['id']}")
    return 0


def token(args: argparse.Namespace) -> int:
    """``users token NAME``: a new API token, printed once; ``users revoke-token NAME``."""
    url = args.review_db_url
    if args.action == "revoke-token":
        count = accounts.revoke_tokens(args.username, url)
        audit(_actor(), "token-revoke", {"username": args.username, "tokens": count}, url)
        print(f"{count} token {args.username} dicabut")
        return 0
    made = accounts.new_token(args.username, f"dibuat {datetime.now():%Y-%m-%d}", url)
    audit(_actor(), "token-new", {"username": args.username}, url)
    print("Token API (ditampilkan sekali saja; simpan di tempat aman):", file=sys.stderr)
    print(made)
    return 0
