"""Play the citizen by hand against the running stack (``make run``), one clerk line per call.

    python3 scripts/playtest.py start NAME [SCENARIO] [--ibu|--bapak]  # a new visit: the scene
    python3 scripts/playtest.py say NAME "Selamat pagi, Pak."    # the citizen's answer
    python3 scripts/playtest.py say NAME "..." --scores          # with the reply's scores

For play-testers and coherence audits (issue 20): standard library only, talks to the REST
channel like any client (``RASA_URL``, default http://localhost:5005). NAME is any label; the
conversation id is ``playtest-NAME``.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request

URL = (os.environ.get("RASA_URL") or f"http://localhost:{os.environ.get('RASA_PORT') or 5005}"
       ).rstrip("/") + "/webhooks/rest/webhook"


def send(name: str, text: str) -> list[dict]:
    body = json.dumps({"sender": f"playtest-{name}", "message": text}).encode("utf-8")
    request = urllib.request.Request(URL, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - local stack
        return json.loads(response.read().decode("utf-8"))


def show(messages: list[dict], scores: bool) -> None:
    for message in messages:
        custom = message.get("custom") if isinstance(message.get("custom"), dict) else {}
        kind = message.get("type") or custom.get("type")
        text = message.get("text")
        if kind == "feedback":
            if scores:
                print(f"  (nilai: sopan {custom.get('scores', {}).get('politeness')}, jelas "
                      f"{custom.get('scores', {}).get('clarity')}, responsif "
                      f"{custom.get('scores', {}).get('responsiveness')}, total "
                      f"{custom.get('scores', {}).get('overall')})")
            continue
        if kind == "debrief" or custom.get("type") == "debrief":
            print("RINGKASAN:\n" + (text or json.dumps(custom, ensure_ascii=False)[:2000]))
            continue
        if text:
            who = {"citizen": "WARGA", "narrator": "NARATOR", "scene": "ADEGAN"}.get(
                str(kind), str(kind or "?").upper())
            print(f"{who}: {text}")


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("start", "say"):
        print(__doc__)
        return 2
    command, name, rest = argv[0], argv[1], argv[2:]
    scores = "--scores" in rest
    rest = [a for a in rest if a != "--scores"]
    if command == "start":
        kinds = [a[2:] for a in rest if a in ("--ibu", "--bapak")]
        rest = [a for a in rest if a not in ("--ibu", "--bapak")]
        payload = {"scenario": rest[0]} if rest else {}
        if kinds:
            payload["citizen"] = kinds[0]
        show(send(name, "/restart"), scores)
        show(send(name, "/start_scenario" + json.dumps(payload)), scores)
    else:
        if not rest:
            print("say NAME TEXT")
            return 2
        show(send(name, rest[0]), scores)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
