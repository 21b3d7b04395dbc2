"""Command line for the trainer review data.

    python -m review export --format csv|json|xlsx [--what sessions|turns] [--sep ';']
                            [--trainee ID] [--scenario ID] [--since YYYY-MM-DD]
                            [--until YYYY-MM-DD] [-o FILE]
    python -m review rescore [--all] [--sender ID ...] [--dry-run]
    python -m review migrate          # the review's own tables to the newest schema

The tracker store is the one in endpoints.yml (``PTSP_ENDPOINTS`` chooses another endpoints
file, ``PTSP_TRACKER_DB_URL`` gives an SQLAlchemy URL directly).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from actions.visits import build_visits
from review.db import engine, review_db_url
from review.export import export
from review.notes import audit, notes_for
from review.reports import filter_sessions
from review.store import TrackerStore


def _export(args: argparse.Namespace, store: TrackerStore) -> int:
    sessions = build_visits(store.conversations())
    try:
        sessions = filter_sessions(sessions, args.trainee, args.scenario, args.since, args.until)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.format == "xlsx" and not args.output:
        print("error: --format xlsx needs -o FILE (a workbook is not text)", file=sys.stderr)
        return 2
    notes = notes_for({s.sender_id for s in sessions}, args.review_db_url)
    data = export(sessions, args.format, args.what, args.sep, notes)
    audit(f"cli:{getpass.getuser()}", "export", {
        "what": args.what, "format": args.format, "sessions": len(sessions),
        "filters": {k: getattr(args, k) for k in ("trainee", "scenario", "since", "until")}},
        args.review_db_url)
    if args.output:
        if isinstance(data, bytes):
            Path(args.output).write_bytes(data)
        else:
            Path(args.output).write_text(data, encoding="utf-8")
        print(f"{len(sessions)} sessions written to {args.output}", file=sys.stderr)
    else:
        assert isinstance(data, str)
        sys.stdout.write(data if data.endswith("\n") else data + "\n")
    return 0


def _rescore(args: argparse.Namespace, store: TrackerStore) -> int:
    from review.rescore import rescore

    report = rescore(store, everything=args.all, sender_ids=args.sender, dry_run=args.dry_run)
    verb = "would re-score" if args.dry_run else "re-scored"
    print(f"{report.sessions} sessions, {report.turns_seen} turns: {verb} {report.rescored}, "
          f"left {report.skipped} as they were")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m review", description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", help="SQLAlchemy URL of the tracker store")
    parser.add_argument("--review-db-url",
                        help="SQLAlchemy URL of the review's own tables (PTSP_REVIEW_DB_URL)")
    commands = parser.add_subparsers(dest="command", required=True)

    ex = commands.add_parser("export", help="sessions or turns as CSV or JSON")
    ex.add_argument("--format", choices=["csv", "json", "xlsx"], required=True)
    ex.add_argument("--sep", choices=[",", ";", "tab"], default=",",
                    help="CSV separator (';' for an Indonesian Excel)")
    ex.add_argument("--what", choices=["sessions", "turns"], default="sessions")
    ex.add_argument("--trainee", help="only this trainee id")
    ex.add_argument("--scenario", help="only this scenario id")
    ex.add_argument("--since", help="sessions started on or after this day (YYYY-MM-DD, UTC)")
    ex.add_argument("--until", help="sessions started on or before this day (YYYY-MM-DD, UTC)")
    ex.add_argument("-o", "--output", help="write to this file instead of stdout")

    rs = commands.add_parser("rescore", help="score unscored turns (--all: every older score)")
    rs.add_argument("--all", action="store_true",
                    help="also re-score turns scored by another rubric version")
    rs.add_argument("--sender", action="append", help="only this conversation (repeatable)")
    rs.add_argument("--dry-run", action="store_true", help="count, write nothing")

    commands.add_parser("migrate", help="the review's own tables to the newest schema")

    args = parser.parse_args(argv)
    if args.command == "migrate":
        url = args.review_db_url or review_db_url()
        engine(url)
        print(f"review database at the newest schema: {sa_url(url)}")
        return 0
    store = TrackerStore(args.db_url)
    if args.command == "export":
        return _export(args, store)
    return _rescore(args, store)


def sa_url(url: str) -> str:
    """A database URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


if __name__ == "__main__":
    sys.exit(main())
