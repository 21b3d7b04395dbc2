"""Command line for the trainer review data.

    python -m review export --format csv|json|xlsx [--what sessions|turns] [--sep ';'] [--raw]
                            [--trainee ID] [--scenario ID] [--since YYYY-MM-DD]
                            [--until YYYY-MM-DD] [-o FILE]
    python -m review rescore [--all] [--sender ID ...] [--dry-run]
    python -m review calibrate [--json]   # the scorer against the trainers' score overrides
    python -m review fit [--json] [--dry-run]   # refit the scorer's calibration on them
    python -m review migrate          # the review's own tables to the newest schema
    python -m review rebuild          # replay the tracker store into the review store
    python -m review users add NAME --role trainer|admin [--unit UNIT ...] [--full-name ..]
    python -m review users passwd NAME | disable NAME | enable NAME | list
                                      # password from a prompt, or --password-stdin
    python -m review users token NAME | revoke-token NAME   # API tokens for scripts
    python -m review units add NAME | list
    python -m review roster add ID NAME UNIT | import FILE [--unit UNIT] | code ID
                            | disable ID | enable ID | list [--unit UNIT]

The tracker store is the one in endpoints.yml (``PTSP_ENDPOINTS`` chooses another endpoints
file, ``PTSP_TRACKER_DB_URL`` gives an SQLAlchemy URL directly).
"""

from __future__ import annotations

import argparse
import getpass
import sys
import tempfile
from pathlib import Path

from review import accounts, cli_roster
from review.db import engine, review_db_url
from review.export import export
from review.ingest import ReviewIngest, SqlBrokerFeed, broker_db_url
from review.notes import audit, notes_for
from review.queries import Filters, details
from review.store import TrackerStore


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Kata sandi baru: ")
    if first != getpass.getpass("Ulangi kata sandi: "):
        raise ValueError("kedua kata sandi tidak sama")
    return first


def _users(args: argparse.Namespace) -> int:
    url = args.review_db_url
    try:
        if args.action in ("token", "revoke-token"):
            if not args.username:
                raise ValueError("sebutkan nama pengguna")
            return cli_roster.token(args)
        if args.action == "list":
            for user in accounts.list_users(url):
                units = ", ".join(user["units"]) or "semua unit"
                state = " (nonaktif)" if user["disabled"] else ""
                print(f"{user['username']:<20} {user['role']:<8} {user['name']} — {units}{state}")
            return 0
        if not args.username:
            raise ValueError("sebutkan nama pengguna")
        if args.action == "add":
            accounts.add_user(args.username, args.full_name or args.username, args.role,
                              args.unit, _password(args), url)
        elif args.action == "passwd":
            accounts.set_password(args.username, _password(args), url)
        else:
            accounts.set_disabled(args.username, args.action == "disable", url)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    audit(f"cli:{getpass.getuser()}", f"users-{args.action}", {"username": args.username}, url)
    print(f"{args.action}: {args.username} (sesi masuk yang terbuka diakhiri)"
          if args.action in ("passwd", "disable") else f"{args.action}: {args.username}")
    return 0


def _catch_up(args: argparse.Namespace, store: TrackerStore) -> None:
    """The review store brought up to date from the SQL event broker, if there is one."""
    broker = broker_db_url()
    if broker is not None:
        SqlBrokerFeed(ReviewIngest(store, args.review_db_url), broker).catch_up()


def _export(args: argparse.Namespace, store: TrackerStore) -> int:
    if args.format == "xlsx" and not args.output:
        print("error: --format xlsx needs -o FILE (a workbook is not text)", file=sys.stderr)
        return 2
    try:
        filters = Filters(trainee=args.trainee, scenario=args.scenario, since=args.since,
                          until=args.until)
        filters.where()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.db_url:  # another tracker store than the review store's: export from it
        with tempfile.TemporaryDirectory() as tmp:
            scratch = f"sqlite:///{Path(tmp) / 'review.db'}"
            ReviewIngest(store, scratch).rebuild()
            sessions = details(filters, scratch)
    else:
        _catch_up(args, store)
        sessions = details(filters, args.review_db_url)
    notes = notes_for({s["sender_id"] for s in sessions}, args.review_db_url)
    data = export(sessions, args.format, args.what, args.sep, notes, raw=args.raw)
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
    parser.add_argument("--db-url", help="SQLAlchemy URL of a tracker store to read directly "
                        "(export: built into a scratch review store; default: the review store "
                        "fed by the event broker)")
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
    ex.add_argument("--raw", action="store_true",
                    help="CSV/Excel in the machine format (snake_case keys, UTC) instead of "
                         "Indonesian headers and local time")

    rs = commands.add_parser("rescore", help="score unscored turns (--all: every older score)")
    rs.add_argument("--all", action="store_true",
                    help="also re-score turns scored by another rubric version")
    rs.add_argument("--sender", action="append", help="only this conversation (repeatable)")
    rs.add_argument("--dry-run", action="store_true", help="count, write nothing")

    us = commands.add_parser("users", help="trainer and admin accounts")
    us.add_argument("action", choices=["add", "passwd", "disable", "enable", "list", "token",
                                       "revoke-token"])
    us.add_argument("username", nargs="?")
    us.add_argument("--role", choices=["trainer", "admin"], default="trainer")
    us.add_argument("--unit", action="append", default=[],
                    help="a unit whose trainees this trainer sees (repeatable; none: all)")
    us.add_argument("--full-name", default="", help="the name shown on notes and in the log")
    us.add_argument("--password-stdin", action="store_true",
                    help="read the password from the first line of standard input")
    cli_roster.add_parsers(commands)
    ca = commands.add_parser("calibrate", help="the current scorer against the trainers' "
                             "score overrides (rho, clear-pair order)")
    ca.add_argument("--json", action="store_true", help="rows as JSON")
    fi = commands.add_parser("fit", help="fit the scorer's calibration layer on the rated sets "
                             "and the trainers' corrections; adopt it if held-out agreement "
                             "rises (docs/feedback_loop.md)")
    fi.add_argument("--json", action="store_true", help="the figures as JSON")
    fi.add_argument("--dry-run", action="store_true", help="fit and compare, write nothing")
    commands.add_parser("migrate", help="the review's own tables to the newest schema")
    commands.add_parser("rebuild", help="replay the whole tracker store into the review store")

    args = parser.parse_args(argv)
    if args.command == "users":
        return _users(args)
    if args.command in ("units", "roster"):
        try:
            return (cli_roster.units if args.command == "units" else
                    cli_roster.roster_command)(args)
        except (ValueError, OSError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    if args.command == "migrate":
        url = args.review_db_url or review_db_url()
        engine(url)
        print(f"review database at the newest schema: {sa_url(url)}")
        return 0
    store = TrackerStore(args.db_url)
    if args.command == "calibrate":
        from review.calibrate import agreement, ratings, report

        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(encoding="utf-8")
        print(report(agreement(ratings(store, args.review_db_url)), args.json))
        return 0
    if args.command == "fit":
        from review.fit import fit
        from review.fit import report as fit_report

        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(encoding="utf-8")
        try:
            result = fit(store, args.review_db_url, dry_run=args.dry_run)
        except OSError as exc:  # the calibration folder not writable, ...
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(fit_report(result, args.json))
        return 0
    if args.command == "export":
        return _export(args, store)
    if args.command == "rebuild":
        report = ReviewIngest(store, args.review_db_url).rebuild()
        print(f"{report.conversations} conversations, {report.events} events -> "
              f"{report.sessions} sessions, {report.turns} turns in {report.seconds:.1f} s "
              f"({report.rate():.0f} events/s)")
        return 0
    code = _rescore(args, store)
    ReviewIngest(store, args.review_db_url).sync(store.sender_ids())  # the new scores shown
    return code


def sa_url(url: str) -> str:
    """A database URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


if __name__ == "__main__":
    sys.exit(main())
