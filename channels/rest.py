"""Rasa's REST channel with input validation, a clear error instead of silence, and owned senders.

Registered in credentials.yml as ``channels.rest.ValidatedRestInput``; its name is still
``rest``, so the URL stays ``/webhooks/rest/webhook`` and the request and response shapes are
Rasa's own, plus a ``type`` on every message of the assistant. What it adds:

* a body that is not a JSON object, a missing or non-string ``sender`` or ``message``, or a
  ``metadata`` that is not an object gets **400** with a readable error (Rasa answers 500 or
  an empty list);
* messages longer than ``NLU_MAX_CHARS`` are cut before NLU (``metadata.original_length``
  keeps the length), so 100,000 characters cannot stall the server;
* a failure while handling the message (tracker store down, ...) gets **503** with a readable
  error (Rasa answers 200 with an empty list, i.e. silence); a message that was stored but got
  no answer (the action server is down) gets a ``narrator`` line saying so;
* sender ids of the web page (``web.<employee id>.<random>``) belong to the web service: when
  ``PTSP_CHANNEL_TOKEN`` is set, a message for such a sender needs ``Authorization: Bearer
  <token>`` (403 otherwise), so nobody can write into another trainee's conversation;
* who the trainee is (``metadata.trainee``) is believed only from a request with that token;
  any other request's metadata is stored under ``metadata.client``, which the review never
  reads as identity; metadata over 8 KB gets **413**;
* the text is cleaned before anything reads it (``actions/cleaning.py``: control and format
  characters, lone surrogates), the same cleaning as the web service's;
* a message with a client message id (``metadata.message_id``) that was already stored is
  answered with the stored answer, not handled again: a retry, or a resend after an aborted
  request, counts once. Retries that arrive while the first is still being handled wait for it
  (per server process; across replicas the stored answer is found once the first is saved).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.cleaning import as_reply, clean_text, exportable
from actions.visits import rest_message_type

logger = logging.getLogger(__name__)

MAX_SENDER = 200
MAX_MESSAGE = 100_000
# NLU time grows with the number of tokens (100,000 characters of words took over a minute);
# longer messages are cut to this length before NLU. The citizen still reacts to a too-long
# reply (actions/visit_flow.py: limits.too_long_chars = 2,000) and the metadata keeps the length.
NLU_MAX_CHARS = 4_000
OWNED_PREFIX = "web."
MAX_METADATA = 8 * 1024  # bytes of the metadata as JSON
NO_ANSWER = ("[Pelanggan belum menanggapi: sistem latihan sedang terganggu. Balasan Anda sudah "
             "tersimpan dan akan dinilai kemudian; silakan lanjutkan sebentar lagi.]")


class RequestError(Exception):
    """A request the channel refuses, with its HTTP status and message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message, "status": status}, status=status)


def parse_request(request: Request) -> tuple[str, str, Optional[dict[str, Any]], str]:
    """(sender, text, metadata, input channel) of a valid request, else :class:`RequestError`.

    The message text is cleaned (``actions/cleaning.py``) before anything reads it.
    """
    try:
        body = request.json
    except Exception as exc:  # noqa: BLE001 - Sanic raises its own InvalidUsage subclasses
        raise RequestError(400, "Body must be JSON (UTF-8).") from exc
    if not isinstance(body, dict):
        raise RequestError(400, 'Body must be a JSON object: {"sender": "...", "message": "..."}.')
    sender, text = body.get("sender"), body.get("message")
    metadata = body.get("metadata")
    if not isinstance(sender, str) or not sender.strip():
        raise RequestError(400, "'sender' is required and must be a non-empty string.")
    if len(sender) > MAX_SENDER or not sender.isprintable() or clean_text(sender) != sender:
        raise RequestError(400, f"'sender' must be printable, at most {MAX_SENDER} characters.")
    if not isinstance(text, str):
        raise RequestError(400, "'message' is required and must be a string (may be empty).")
    if len(text) > MAX_MESSAGE:
        raise RequestError(413, f"'message' is longer than {MAX_MESSAGE} characters.")
    if metadata is not None and not isinstance(metadata, dict):
        raise RequestError(400, "'metadata' must be a JSON object when given.")
    if metadata and len(json.dumps(metadata, ensure_ascii=True)) > MAX_METADATA:
        raise RequestError(413, f"'metadata' is larger than {MAX_METADATA // 1024} KB.")
    text = clean_text(text)
    metadata = exportable(metadata) if metadata else None
    if len(text) > NLU_MAX_CHARS:
        metadata = {**(metadata or {}), "original_length": len(text)}
        text = text[:NLU_MAX_CHARS]
    channel = body.get("input_channel")
    return sender, text, metadata, channel if isinstance(channel, str) and channel else "rest"


def has_token(request: Request) -> bool:
    """The request carries the channel token of the web service (``PTSP_CHANNEL_TOKEN``)."""
    token = os.environ.get("PTSP_CHANNEL_TOKEN", "")
    given = request.headers.get("authorization", "")
    given = given[7:].strip() if given.lower().startswith("bearer ") else ""
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


def check_owner(request: Request, sender: str) -> None:
    """Senders of the web page may only be written by the web service (shared token)."""
    if sender.startswith(OWNED_PREFIX) and os.environ.get("PTSP_CHANNEL_TOKEN") and \
            not has_token(request):
        raise RequestError(403, "This conversation belongs to a trainee of the web page.")


def trusted_metadata(request: Request, metadata: Optional[dict[str, Any]]
                     ) -> Optional[dict[str, Any]]:
    """Metadata as stored: who the trainee is is believed only from the web service.

    Without the channel token, the request's metadata is kept under ``client`` (the review
    never reads a trainee's identity there); the client's ``message_id`` stays usable.
    """
    if not metadata or has_token(request):
        return metadata
    kept: dict[str, Any] = {"client": metadata}
    if isinstance(metadata.get("message_id"), str):
        kept["message_id"] = metadata["message_id"]
    if "original_length" in metadata:
        kept["original_length"] = metadata["original_length"]
    return kept


def message_id_of(metadata: Optional[dict[str, Any]]) -> Optional[str]:
    """The client's id of this message (``metadata.message_id``), if it is a usable one."""
    value = (metadata or {}).get("message_id")
    if isinstance(value, str) and 0 < len(value) <= 80 and value.isprintable():
        return value
    return None


class TypedCollectingOutputChannel(CollectingOutputChannel):
    """Rasa's collector, but a message of the assistant stays whole and says what it is.

    Each message of the action server carries its type (scene, citizen, narrator, feedback,
    debrief; actions/visits.py). Rasa's collector drops it and cuts texts at blank lines; this
    one answers ``{"recipient_id", "type", "text"?, "custom"?, "case"?}`` for a typed message,
    so clients never guess a message's kind from its text; ``case`` holds the facts a line
    shows (scenario card, documents on the counter, the citizen's mood). Untyped messages
    are Rasa's own shape.
    """

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        kind = rest_message_type(message)
        if kind is None:
            await super().send_response(recipient_id, message)
            return
        out: dict[str, Any] = {"recipient_id": recipient_id, "type": kind}
        if message.get("text"):
            out["text"] = message["text"]
        if message.get("custom"):
            out["custom"] = message["custom"]
        if isinstance(message.get("case"), dict) and message["case"]:
            out["case"] = message["case"]  # what the clerk sees, structured (actions/counter.py)
        await self._persist_message(out)


async def _answer_of(request: Request, sender: str, message_id: str, command: bool = False
                     ) -> Optional[list[dict[str, Any]]]:
    """The answer already given to the message ``message_id`` of ``sender`` (from the tracker
    store), or ``None`` if no such message was stored.

    A reply is looked up in the current visit (Rasa loads the events since the last
    ``session_started``). A command (``/start_scenario`` ...) that started a visit stands just
    before that visit's ``session_started``, so a command not found there is looked up in the
    whole conversation: a retried start is answered with the visit it already started.
    """
    agent = getattr(request.app.ctx, "agent", None)
    store = getattr(agent, "tracker_store", None)
    if store is None:
        return None
    tracker = await store.retrieve(sender)  # the current visit: where a resent reply is
    if tracker is None:
        return None
    answer = await _answer_in(list(tracker.events), sender, message_id)
    if answer is None and command:
        full = await store.retrieve_full_tracker(sender)
        answer = await _answer_in(list(full.events), sender, message_id) if full else None
    return answer


async def _answer_in(events: list[Any], sender: str, message_id: str
                     ) -> Optional[list[dict[str, Any]]]:
    for index, event in enumerate(events):
        if isinstance(event, UserUttered) and event.message_id == message_id:
            collector = TypedCollectingOutputChannel()
            for later in events[index + 1:]:
                if isinstance(later, UserUttered):
                    break
                if isinstance(later, BotUttered):
                    await collector.send_response(sender, later.message())
            return collector.messages
    return None


class ValidatedRestInput(RestInput):
    """``rest`` channel that validates input and never answers an error with silence."""

    def __init__(self) -> None:
        super().__init__()
        self._in_flight: dict[tuple[str, str], asyncio.Lock] = {}

    @classmethod
    def name(cls) -> str:
        return "rest"

    @staticmethod
    async def _handle(
        on_new_message: Callable[[UserMessage], Awaitable[None]], sender: str, text: str,
        metadata: Optional[dict[str, Any]], channel: str, message_id: Optional[str],
    ) -> HTTPResponse:
        collector = TypedCollectingOutputChannel()
        try:
            await on_new_message(UserMessage(text, collector, sender, input_channel=channel,
                                             message_id=message_id, metadata=metadata))
        except CancelledError:
            logger.error("message of %s timed out", sender)
            return _error(503, "The assistant did not answer in time; please try again.")
        except Exception:  # noqa: BLE001 - answered with 503, logged with the traceback
            logger.exception("message of %s failed", sender)
            return _error(503, "The assistant could not handle this message right now; "
                               "please try again.")
        if not collector.messages and not text.lstrip().startswith("/"):
            # The action server did not answer (down or failing): Rasa stored the message
            # but nobody spoke. Say so instead of answering with silence.
            logger.error("no answer to a message of %s (action server down?)", sender)
            collector.messages.append({"recipient_id": sender, "type": "narrator",
                                       "text": NO_ANSWER})
        return response.json(collector.messages)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender, text, metadata, channel = parse_request(request)
                check_owner(request, sender)
            except RequestError as err:
                return _error(err.status, err.message)
            metadata = trusted_metadata(request, metadata)
            if metadata and metadata.get("reply") is True:
                text = as_reply(text)  # typed by a trainee: never a command, whatever it says
            message_id = message_id_of(metadata)
            if message_id is None:
                return await self._handle(on_new_message, sender, text, metadata, channel, None)
            # A retried message (same client message id) is answered, not handled again.
            key = (sender, message_id)
            lock = self._in_flight.setdefault(key, asyncio.Lock())
            try:
                async with lock:
                    try:
                        earlier = await _answer_of(request, sender, message_id,
                                                   command=text.lstrip().startswith("/"))
                    except Exception:  # noqa: BLE001 - the store is down: say so, not 500
                        logger.exception("could not look up message %s of %s", message_id,
                                         sender)
                        return _error(503, "The assistant could not handle this message right "
                                           "now; please try again.")
                    if earlier is not None:
                        return response.json(earlier)
                    return await self._handle(on_new_message, sender, text, metadata, channel,
                                              message_id)
            finally:
                if not lock.locked():
                    self._in_flight.pop(key, None)

        return webhook
