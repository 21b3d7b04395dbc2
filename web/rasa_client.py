"""Talking to the Rasa server's REST channel on behalf of a trainee."""

from __future__ import annotations

from typing import Any, Optional

import aiohttp

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
    """Bot messages as the page shows them: scene, citizen, feedback or debrief."""
    shown = []
    has_debrief = any((m.get("custom") or {}).get("type") == "debrief" for m in messages)
    for message in messages:
        custom = message.get("custom")
        if isinstance(custom, dict):
            kind = custom.get("type")
            if kind in ("feedback", "debrief"):
                shown.append({"kind": kind, "data": custom})
            continue
        text = message.get("text")
        if not text:
            continue
        if text.startswith("[Ringkasan latihan") and has_debrief:
            continue  # the page renders the structured debrief instead
        if text.startswith("[Umpan balik]"):
            continue
        shown.append({"kind": "scene" if text.startswith("[") else "citizen", "text": text})
    return shown
