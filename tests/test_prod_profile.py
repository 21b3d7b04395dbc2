"""The production profile (endpoints.prod.yml) loaded by Rasa's own loaders against real services.

The environment is deploy/prod.env.example (local PostgreSQL with trust auth and an empty
DB_PASSWORD, local Redis), except DB_NAME: the tests use their own database `ptsp_test` so they
never touch `test` or a local `ptsp`. PostgreSQL and Redis are started when they are down; the
tests are skipped, with the reason, only when that is impossible.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from pathlib import Path

import pytest

from tests.backends import backend_env, read_env_example

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "endpoints.prod.yml"
TEST_DB = "ptsp_test"


@pytest.fixture(scope="module")
def prod_env() -> dict[str, str]:
    # The dedicated test database; SQLTrackerStore itself would retry forever without it.
    return backend_env(TEST_DB)


@pytest.fixture
def endpoints(prod_env, monkeypatch):
    from rasa.core.utils import AvailableEndpoints

    for key, value in prod_env.items():
        monkeypatch.setenv(key, value)
    return AvailableEndpoints.read_endpoints(str(PROFILE))


def test_every_variable_of_the_profile_is_in_the_env_example():
    lines = [line.split("#")[0] for line in PROFILE.read_text(encoding="utf-8").splitlines()]
    used = set(re.findall(r"\$\{(\w+)\}", "\n".join(lines)))
    assert used, "endpoints.prod.yml reads nothing from the environment"
    assert used <= set(read_env_example()), used - set(read_env_example())


def test_unset_variable_stops_rasa(prod_env, monkeypatch):
    from rasa.core.utils import AvailableEndpoints
    from rasa.shared.exceptions import RasaException

    for key, value in prod_env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("DB_PASSWORD")
    with pytest.raises(RasaException, match="DB_PASSWORD"):
        AvailableEndpoints.read_endpoints(str(PROFILE))


def test_profile_values_come_from_the_environment(endpoints, prod_env):
    assert endpoints.action.url == prod_env["ACTION_SERVER_URL"]
    store = endpoints.tracker_store
    # SQLTrackerStore with pool_pre_ping (ptsp_stores/tracker_store.py); same keys as `type: SQL`
    assert store.type == "ptsp_stores.tracker_store.PtspSQLTrackerStore"
    assert store.url == prod_env["DB_HOST"]
    assert store.kwargs == {
        "dialect": "postgresql",
        "port": prod_env["DB_PORT"],
        "db": TEST_DB,
        "username": prod_env["DB_USER"],
        "password": "",  # empty DB_PASSWORD: no password is sent (trust auth here)
    }
    lock = endpoints.lock_store
    assert lock.type == "ptsp_stores.lock_store.AtomicRedisLockStore"  # RedisLockStore, atomic
    assert lock.url == prod_env["REDIS_HOST"]
    assert lock.kwargs["key_prefix"] == "ptsp"


def test_tracker_saved_to_postgresql_and_read_back(endpoints, prod_env):
    import sqlalchemy as sa
    from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from ptsp_stores.tracker_store import PtspSQLTrackerStore

    domain = Domain.load(str(ROOT / "domain.yml"))
    store = TrackerStore.create(endpoints.tracker_store, domain=domain)
    # Rasa falls back to an in-memory store (with only a warning) if the class cannot be loaded
    assert isinstance(store, PtspSQLTrackerStore) and isinstance(store, SQLTrackerStore)
    assert store.engine.dialect.name == "postgresql"
    assert store.engine.url.database == TEST_DB
    # pool_pre_ping, and Rasa's engine kwargs kept (SQL_POOL_SIZE / SQL_MAX_OVERFLOW)
    assert store.engine.pool._pre_ping is True
    assert store.engine.pool.size() == int(prod_env["SQL_POOL_SIZE"])
    assert store.engine.pool._max_overflow == int(prod_env["SQL_MAX_OVERFLOW"])
    assert store.sessionmaker.kw["bind"] is store.engine

    sender = f"prod-profile-{uuid.uuid4().hex[:12]}"
    events = [
        ActionExecuted("action_listen"),
        UserUttered("Selamat pagi Pak, ada yang bisa kami bantu?",
                    intent={"name": "greet", "confidence": 0.99}),
        SlotSet("turn_record", {"reply": "Selamat pagi Pak", "scores": {"overall": 81}}),
        BotUttered("Pagi, Bu. Saya mau memperpanjang izin usaha."),
        ActionExecuted("action_listen"),
    ]
    tracker = DialogueStateTracker.from_events(sender, events, domain.slots)
    try:
        asyncio.run(store.save(tracker))
        # A second store, as a second replica would have, reads what the first wrote.
        replica = TrackerStore.create(endpoints.tracker_store, domain=domain)
        loaded = asyncio.run(replica.retrieve(sender))
        assert loaded is not None
        assert [e.as_dict() for e in loaded.events] == [e.as_dict() for e in tracker.events]
        assert loaded.get_slot("turn_record")["scores"]["overall"] == 81
        with store.engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}
            ).scalar()
        assert rows == len(events)
        replica.engine.dispose()
    finally:
        with store.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM events WHERE sender_id = :s"), {"s": sender})
        store.engine.dispose()


def test_redis_lock_is_shared_between_replicas(endpoints):
    from rasa.core.lock_store import LockStore, RedisLockStore

    from ptsp_stores.lock_store import AtomicRedisLockStore

    first = LockStore.create(endpoints.lock_store)
    second = LockStore.create(endpoints.lock_store)  # another replica, same Redis
    assert isinstance(first, AtomicRedisLockStore) and isinstance(second, RedisLockStore)
    assert first.key_prefix == "ptsp:lock:"
    conversation = f"prod-profile-{uuid.uuid4().hex[:12]}"
    order: list[str] = []

    async def hold_first() -> None:
        async with first.lock(conversation, lock_lifetime=10):
            order.append("first acquired")
            assert second.get_lock(conversation) is not None  # visible to the other replica
            await asyncio.sleep(0.5)
            order.append("first released")

    async def wait_second() -> None:
        await asyncio.sleep(0.1)  # the first replica holds the lock by now
        async with second.lock(conversation, lock_lifetime=10, wait_time_in_seconds=0.05):
            order.append("second acquired")

    async def both() -> None:
        await asyncio.gather(hold_first(), wait_second())

    try:
        asyncio.run(both())
        assert order == ["first acquired", "first released", "second acquired"]
        assert first.red.get(first.key_prefix + conversation) is None  # released, cleaned up
    finally:
        first.red.delete(first.key_prefix + conversation)


def test_events_reach_the_review_store_through_rabbitmq(endpoints, prod_env, tmp_path,
                                                        monkeypatch):
    """Rasa's own Pika broker (endpoints.prod.yml) publishes a visit's events to the real
    RabbitMQ; the review's consumer builds the session from them, and a second delivery of the
    same events changes nothing."""
    import sqlalchemy as sa
    from rasa.core.brokers.broker import EventBroker
    from rasa.core.tracker_store import TrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import BotUttered, SessionStarted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from review.db import engine as review_engine
    from review.db import sessions
    from review.ingest import ReviewIngest
    from review.pika_feed import PikaFeed, amqp_url
    from review.store import TrackerStore as ReviewTrackerStore

    queue = f"ptsp_review_test_{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("PTSP_REVIEW_QUEUE", queue)
    endpoints = type(endpoints).read_endpoints(str(PROFILE))
    assert endpoints.event_broker.type == "pika"
    review_url = f"sqlite:///{tmp_path / 'review.db'}"
    sender = f"web.rmq-{uuid.uuid4().hex[:6]}.{uuid.uuid4().hex[:16]}"
    domain = Domain.load(str(ROOT / "domain.yml"))
    record = {"turn": 1, "reply": "Selamat pagi, Bapak.", "move": "greet",
              "scenario": "renewal_complete", "stage_before": "opening",
              "stage_after": "opening", "visit_event": "greeted", "mood_before": "calm",
              "mood_after": "calm", "scored": True,
              "scores": {"politeness": 80, "clarity": 70, "responsiveness": 75, "overall": 75}}
    events = [SessionStarted(), SlotSet("scenario", "renewal_complete"),
              UserUttered("Selamat pagi, Bapak.", intent={"name": "greet", "confidence": 0.9},
                          metadata={"trainee": {"id": sender.split(".")[1], "name": "Rina"}}),
              SlotSet("turn_record", record),
              BotUttered("Pagi, Pak.", metadata={"type": "citizen"})]

    async def scenario() -> int:
        broker = await EventBroker.create(endpoints.event_broker)
        store = TrackerStore.create(endpoints.tracker_store, domain=domain, event_broker=broker)
        tracker = DialogueStateTracker.from_events(sender, events, domain.slots)
        await store.save(tracker)  # Rasa streams the new events to RabbitMQ
        await asyncio.sleep(1)
        await broker.close()
        feed = PikaFeed(ReviewIngest(ReviewTrackerStore(store_url(prod_env)), review_url),
                        amqp_url(), queue)
        stop = asyncio.Event()
        task = asyncio.create_task(feed.run(stop))
        for _ in range(60):
            await asyncio.sleep(0.5)
            if feed.processed >= len(events):
                break
        stop.set()
        await asyncio.wait_for(task, 10)
        return feed.processed

    try:
        assert asyncio.run(scenario()) >= len(events)
        with review_engine(review_url).connect() as conn:
            rows = conn.execute(sa.select(sessions.c.id, sessions.c.turns, sessions.c.finished,
                                          sessions.c.overall)
                                .where(sessions.c.sender_id == sender)).all()
        # one unfinished visit: its turn is stored, but it has no visit score yet
        assert rows == [(f"{sender}:0", 1, False, None)]
        again = ReviewIngest(ReviewTrackerStore(store_url(prod_env)), review_url).sync([sender])
        assert again.sessions == 1  # replayed: the same one row, not a second
        with review_engine(review_url).connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(sessions).where(
                sessions.c.sender_id == sender)).scalar() == 1
    finally:
        asyncio.run(delete_queue(queue))


def store_url(env: dict[str, str]) -> str:
    return (f"postgresql://{env['DB_USER']}@{env['DB_HOST']}:{env['DB_PORT']}/{TEST_DB}")


async def delete_queue(name: str) -> None:
    import aio_pika

    from review.pika_feed import amqp_url

    connection = await aio_pika.connect_robust(amqp_url())
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(name)
