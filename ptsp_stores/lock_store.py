"""Redis lock store whose ticket updates are atomic across Rasa replicas.

Rasa 3.6's ``RedisLockStore`` keeps a conversation's ticket lock as one JSON value and changes it
by GET, change in Python, SET. Inside one Rasa process that is safe (no ``await`` in between),
but two replicas that get messages of the same conversation at the same moment can both read
"no lock", both issue ticket 0 and both save: each believes it holds the lock, the two messages
are processed at the same time, and the tracker store gets two session starts and two turns
numbered 1 (tests/test_prod_replicas.py reproduces it). Removing a ticket races the same way
(a waiting replica's ticket is lost and it fails with ``LockError``).

``AtomicRedisLockStore`` does every read-change-write of the lock in a Redis transaction
(WATCH the key, MULTI/EXEC, retry when another replica changed it in between). Lock format,
key names (``<key_prefix>:lock:<conversation id>``), ticket lifetimes and waiting are Rasa's,
so it can run beside plain ``RedisLockStore`` replicas during a rolling update.

Select it in an endpoints file with the keys of ``type: redis``::

    lock_store:
      type: ptsp_stores.lock_store.AtomicRedisLockStore
      url: ${REDIS_HOST}
      ...
"""

from __future__ import annotations

import json
from typing import Any, Callable, Optional, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

T = TypeVar("T")
KEEP = object()  # a change that leaves the stored lock as it is
DELETE = object()  # a change that deletes the lock


class AtomicRedisLockStore(RedisLockStore):
    """``RedisLockStore`` with atomic ticket issue, expiry clean-up and release."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        # Rasa builds custom lock stores as `cls(endpoint_config=...)`; the keys are those of
        # `type: redis` (the `url` key is the host).
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
            if kwargs.get("host") is None:
                kwargs.pop("host")
        super().__init__(**kwargs)

    def _change(
        self, conversation_id: str, change: Callable[[Optional[TicketLock]], tuple[T, Any]]
    ) -> T:
        """Apply ``change(lock) -> (result, new lock | KEEP | DELETE)`` atomically."""
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    result, new = change(lock)
                    if new is KEEP:
                        pipe.unwatch()
                        return result
                    pipe.multi()
                    if new is DELETE:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another replica changed the lock in between: read it again

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: Optional[TicketLock]) -> tuple[int, TicketLock]:
            lock = lock or self.create_lock(conversation_id)
            return lock.issue_ticket(lock_lifetime), lock

        return self._change(conversation_id, issue)

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: Optional[TicketLock]) -> tuple[None, Any]:
            if lock is None:
                return None, KEEP
            lock.remove_expired_tickets()
            return None, lock

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def release(lock: Optional[TicketLock]) -> tuple[None, Any]:
            if lock is None:
                return None, KEEP
            lock.remove_ticket_for(ticket_number)
            return None, lock

        self._change(conversation_id, release)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Remove the ticket; delete the lock in the same step if no one else holds one."""

        def release(lock: Optional[TicketLock]) -> tuple[None, Any]:
            if lock is None:
                return None, KEEP
            lock.remove_ticket_for(ticket_number)
            return None, lock if lock.is_someone_waiting() else DELETE

        self._change(conversation_id, release)
