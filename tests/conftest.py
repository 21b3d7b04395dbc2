"""Shared fixtures: a live stack (real action server + real Rasa server + SQLite store)."""

from __future__ import annotations

import pytest

from tests.stack import ROOT, Stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """Start the real servers once for the whole test session."""
    if not any((ROOT / "models").glob("*.tar.gz")):
        pytest.fail("no trained model in models/: run `make test` (it trains first)")
    live = Stack(tmp_path_factory.mktemp("stack")).start()
    yield live
    live.stop()


@pytest.fixture(scope="session")
def web(stack):
    """The web service (trainee page + trainer review) beside the live stack."""
    if "web" not in stack.procs:
        stack.start_web()
    return stack
