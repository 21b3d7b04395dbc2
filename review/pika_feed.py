"""RabbitMQ as the review store's change feed (production profile).

Rasa's Pika event broker (endpoints.prod.yml) publishes every event to a durable queue
(``PTSP_REVIEW_QUEUE``, default ``ptsp_review``). This consumer (aio-pika, which Rasa itself
depends on) takes the events in small batches, re-reads their conversations into the review
store (review/ingest.py) and only then acknowledges them: an event is never lost, and one
delivered twice changes nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from typing import Optional

from review.ingest import ReviewIngest

logger = logging.getLogger(__name__)
BATCH = 500
IDLE_SECONDS = 0.5


def amqp_url() -> str:
    """``amqp://user:password@host:port/`` from the same settings as Rasa's broker."""
    host = os.environ.get("RABBITMQ_HOST", "127.0.0.1")
    port = os.environ.get("RABBITMQ_PORT", "5672")
    user = os.environ.get("RABBITMQ_USERNAME", "guest")
    password = os.environ.get("RABBITMQ_PASSWORD", "guest")
    return f"amqp://{user}:{password}@{host}:{port}/"


def queue_name() -> str:
    return os.environ.get("PTSP_REVIEW_QUEUE", "ptsp_review")


class PikaFeed:
    """Consumes the review queue until ``stop`` is set."""

    def __init__(self, ingest: ReviewIngest, url: Optional[str] = None,
                 queue: Optional[str] = None) -> None:
        self.ingest = ingest
        self.url = url or amqp_url()
        self.queue = queue or queue_name()
        self.processed = 0

    async def run(self, stop: asyncio.Event) -> None:
        import aio_pika

        connection = await aio_pika.connect_robust(self.url)
        try:
            channel = await connection.channel()
            await channel.set_qos(prefetch_count=BATCH)
            queue = await channel.declare_queue(self.queue, durable=True)
            while not stop.is_set():
                batch = []
                async with queue.iterator(timeout=IDLE_SECONDS) as messages:
                    try:
                        async for message in messages:
                            batch.append(message)
                            if len(batch) >= BATCH:
                                break
                    except asyncio.TimeoutError:
                        pass
                if batch:
                    await self._handle(batch)
        finally:
            await connection.close()

    async def _handle(self, batch: list) -> None:
        senders = set()
        for message in batch:
            try:
                sender = json.loads(message.body).get("sender_id")
            except (ValueError, AttributeError):
                sender = None
            if isinstance(sender, str) and sender:
                senders.add(sender)
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(None, self.ingest.sync, senders)
        except Exception:  # noqa: BLE001 - requeued, tried again with the next batch
            logger.exception("review ingest failed; %d events requeued", len(batch))
            for message in batch:
                await message.nack(requeue=True)
            await asyncio.sleep(2)
            return
        for message in batch:
            await message.ack()
        self.processed += len(batch)
