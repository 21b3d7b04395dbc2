"""Talking to the Rasa server's REST channel on behalf of a trainee."""

from __future__ import annotations

from typing import Any, Optional

import aiohttp

from actions.visits import rest_message_type

TIMEOUT = aiohttp.ClientTimeout(total=60)


class RasaUnavailable(Exception):
    """The Rasa server did not answer (down, restarting or too slow)."""


async def send(
    session: aiohttp.ClientSession,
    rasa_url: str,
    sender: str,
    text: str,
    metadata: Optional[dict[str, Any]] = None,
    token: str = "",
) -> list[dict[str, Any]]:
    """Post one message to ``/webhooks/rest/webhook``; return the bot messages.

    ``token`` (``PTSP_CHANNEL_TOKEN``) proves to the channel that the web service owns the
    ``web.*`` sender ids (channels/rest.py).
    """
    payload = {"sender": sender, "message": text, "metadata": metadata or {}}
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        async with session.post(f"{rasa_url}/webhooks/rest/webhook", json=payload,
                                headers=headers, timeout=TIMEOUT) as response:
            if response.status != 200:
                raise RasaUnavailable(f"Rasa answered HTTP {response.status}")
            body = await response.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise RasaUnavailable(str(exc) or type(exc).__name__) from exc
    return body if isinstance(body, list) else []


def classify(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Bot messages as the page shows them, by the type each message carries.

    Scene, citizen and narrator lines are shown as text; feedback and the debrief in their
    structured form (their text twin is for the terminal). A message without a known type is
    not shown: the page never guesses a message's kind from its text.
    """
    shown = []
    for message in messages:
        kind = rest_message_type(message)
        if kind in ("feedback", "debrief"):
            if isinstance(message.get("custom"), dict):
                shown.append({"kind": kind, "data": message["custom"]})
        elif kind is not None and isinstance(message.get("text"), str) and message["text"]:
            line = {"kind": kind, "text": message["text"]}
            if isinstance(message.get("case"), dict):
                line["case"] = message["case"]  # card, documents, mood: the page's panels
            shown.append(line)
    return shown
