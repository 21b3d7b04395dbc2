"""Command line: score JSON lines from stdin, one JSON result line per input line.

    echo '{"reply": "Baik, Bapak. Prosesnya 2 hari kerja.", "customer_turn": "Berapa lama?"}' \\
        | python -m actions.scoring

    python -m actions.scoring fit
        fit the learned half of the scorer on the tuning parts of the rated sets and cache it
        in models/ (actions/scoring/learned.py; make train runs it)

The scorer against the trainers' score overrides is a command of the review, which sits above
the action server: ``python -m review calibrate`` (review/calibrate.py).

Input fields: reply (required string), customer_turn, scenario, move, honorific,
latency_seconds, hour, id (all optional). Blank lines are skipped. A bad line yields
{"line": n, "error": "..."} and the batch continues. Exit code 0 unless stdin fails.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from typing import Any, Dict, Optional, TextIO, Tuple

from . import SCORER_VERSION, score_reply

_STR_FIELDS = ("customer_turn", "scenario", "move", "honorific")
_NUM_FIELDS = ("latency_seconds", "hour")


def parse_line(raw: str) -> Tuple[Optional[Dict[str, Any]], Optional[str]]:
    """Validate one input line; returns (kwargs for score_reply, None) or (None, error)."""
    try:
        obj = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        return None, f"invalid JSON: {exc}"
    if not isinstance(obj, dict):
        return None, f"expected a JSON object, got {type(obj).__name__}"
    if "reply" not in obj:
        return None, "missing required field 'reply'"
    if not isinstance(obj["reply"], str):
        return None, f"field 'reply' must be a string, got {_json_type(obj['reply'])}"
    kwargs: Dict[str, Any] = {"reply": obj["reply"]}
    for name in _STR_FIELDS:
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            return None, f"field '{name}' must be a string or null, got {_json_type(value)}"
        kwargs[name] = value
    for name in _NUM_FIELDS:
        value = obj.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            return None, f"field '{name}' must be a number or null, got {_json_type(value)}"
        kwargs[name] = value
    hour = kwargs.get("hour")
    if hour is not None and not (0 <= hour < 24):
        return None, "field 'hour' must be between 0 and 23"
    latency = kwargs.get("latency_seconds")
    if latency is not None and not (latency >= 0):
        return None, "field 'latency_seconds' must be zero or positive"
    return kwargs, None


def _json_type(value: Any) -> str:
    return {
        dict: "object",
        list: "array",
        bool: "boolean",
        int: "number",
        float: "number",
        str: "string",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _id_of(raw: str) -> Any:
    try:
        obj = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return obj.get("id") if isinstance(obj, dict) else None


def run(stdin: TextIO, stdout: TextIO, pretty: bool = False) -> int:
    """Process every line of stdin; returns the exit code."""
    indent = 2 if pretty else None
    n = 0
    for raw in stdin:
        n += 1
        if not raw.strip():
            continue
        kwargs, error = parse_line(raw)
        record: Dict[str, Any] = {"line": n}
        rid = _id_of(raw)
        if rid is not None:
            record["id"] = rid
        if error is not None:
            record["error"] = error
        else:
            assert kwargs is not None
            record.update(score_reply(**kwargs))
        stdout.write(json.dumps(record, ensure_ascii=False, indent=indent) + "\n")
        stdout.flush()
    return 0


def main(argv: Optional[list] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["fit"]:
        from .learned import cached
        from .scorer import fit_model

        path = cached()
        print(f"scorer model up to date: {path}" if path else f"scorer model: {fit_model()}")
        return 0
    parser = argparse.ArgumentParser(
        prog="python -m actions.scoring",
        description="Score PTSP clerk replies (JSON lines on stdin).",
    )
    parser.add_argument("--pretty", action="store_true", help="indent the JSON output")
    parser.add_argument("--version", action="version", version=SCORER_VERSION)
    args = parser.parse_args(argv)
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    try:
        return run(stdin, sys.stdout, pretty=args.pretty)
    except (OSError, KeyboardInterrupt) as exc:
        sys.stderr.write(f"error reading input: {exc}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
