"""``make shell``: practice in the terminal, in Indonesian from the first line to ``/stop``.

Our own prompt and messages around Rasa's agent (loaded in this process with the endpoints of
``endpoints.yml``, so the conversation lands in the tracker store and the review like any
other): the trainee may sign in with their employee ID and password (or enrolment code) from
the roster, and then the visit is theirs — it shows in *Riwayat saya* and the review under
their name; without signing in it is open practice. ``/restart`` is confirmed, ``/stop`` (or
Ctrl-D, Ctrl-C) says goodbye. Every line the terminal prints is in web/terminal_lines.yml.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import sys
import uuid
import warnings
from pathlib import Path
from typing import Any, Callable, Optional

import yaml

LINES: dict[str, str] = yaml.safe_load(
    (Path(__file__).with_name("terminal_lines.yml")).read_text(encoding="utf-8"))
SHOWN_AS_CITIZEN = ("citizen",)


def quiet() -> None:
    """No Python warnings, no log lines: the terminal is the trainee's screen."""
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("ACTION_PORT", "5055")
    warnings.filterwarnings("ignore")
    logging.disable(logging.CRITICAL)


def ask(prompt: str) -> str:
    """A line from the trainee; the prompt on standard output (``input()`` with readline may
    write it to standard error, which the script keeps in a log). EOF: ``EOFError``."""
    sys.stdout.write(prompt)
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\n")


def sign_in(ask: Callable[[str], str], secret: Callable[[str], str], say: Callable[[str], Any],
            given_id: str = "") -> Optional[dict[str, Any]]:
    """The trainee signed in from the roster, or ``None`` (open practice)."""
    from review import roster
    from review.limits import LoginRefused, RateLimited

    employee_id = given_id.strip() or ask(LINES["ask_id"]).strip()
    if not employee_id:
        say(LINES["not_signed_in"])
        return None
    given = secret(LINES["ask_secret"])
    try:
        try:
            member = roster.sign_in(employee_id, given, None, "terminal")
        except roster.NeedPassword:
            first = secret(LINES["ask_new_password"])
            if first != secret(LINES["ask_new_password_again"]):
                say(LINES["passwords_differ"])
                return None
            member = roster.sign_in(employee_id, given, first, "terminal")
    except (LoginRefused, ValueError) as exc:
        say(str(exc) if isinstance(exc, ValueError) else LINES["refused"])
        say(LINES["not_signed_in"])
        return None
    except RateLimited:
        say(LINES["limited"])
        return None
    say(LINES["signed_in"].format(name=member.name, unit=member.unit))
    return {"id": member.id, "name": member.name, "unit": member.unit, "signed_in": True}


def show(messages: list[dict[str, Any]], say: Callable[[str], Any]) -> None:
    from actions.visits import rest_message_type

    if not messages:
        say(LINES["no_answer"])
    for message in messages:
        text = message.get("text")
        if not isinstance(text, str) or not text.strip():
            continue
        kind = message.get("type") or rest_message_type(message)
        say((LINES["citizen"] + text) if kind in SHOWN_AS_CITIZEN else text)
        say("")


async def practise(model: str, endpoints: str, trainee_id: str) -> None:
    from channels import speedups
    from channels.rest import TypedCollectingOutputChannel

    speedups.install()
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import UserMessage
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.CRITICAL)  # Rasa's own event log would print to the screen
    logging.disable(logging.CRITICAL)

    say = print
    say(LINES["loading"])
    agent = await load_agent(model_path=model,
                             endpoints=AvailableEndpoints.read_endpoints(endpoints))
    say(LINES["intro"])
    try:
        trainee = sign_in(ask, getpass.getpass, say, trainee_id)
    except EOFError:
        trainee = None
    sender = (f"web.{trainee['id']}.{uuid.uuid4().hex[:16]}" if trainee
              else f"terminal.{uuid.uuid4().hex[:16]}")
    metadata: dict[str, Any] = {"channel": "terminal"}
    if trainee:
        metadata["trainee"] = trainee
    say(LINES["ready"])
    while True:
        try:
            text = ask(LINES["prompt"])
        except (EOFError, KeyboardInterrupt):
            break
        from actions.cleaning import clean_text

        text = clean_text(text).strip()
        if text == "/stop":
            break
        if not text:
            say(LINES["empty"])
            continue
        collector = TypedCollectingOutputChannel()  # keeps each message's kind
        await agent.handle_message(UserMessage(text, collector, sender,
                                               input_channel="terminal", metadata=metadata))
        if text == "/restart":
            say(LINES["restarted"])
            continue
        show(collector.messages, say)
    say("")
    say(LINES["goodbye"])


def main() -> None:
    quiet()
    parser = argparse.ArgumentParser(prog="python -m web.terminal")
    parser.add_argument("--model", default="models")
    parser.add_argument("--endpoints", default="endpoints.yml")
    parser.add_argument("--trainee", default=os.environ.get("TRAINEE", ""),
                        help="employee ID to sign in with (the password is asked)")
    args = parser.parse_args()
    try:
        asyncio.run(practise(args.model, args.endpoints, args.trainee))
    except KeyboardInterrupt:
        print("\n" + LINES["goodbye"])
    sys.exit(0)


if __name__ == "__main__":
    main()
