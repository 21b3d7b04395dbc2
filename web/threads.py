"""Blocking work (database, files) off the web service's event loop."""

from __future__ import annotations

import asyncio
from typing import Any, Callable


async def in_thread(function: Callable, *args: Any) -> Any:
    """``function(*args)`` in the default thread pool, awaited."""
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)
