"""channels/speedups.py: the cached validator accepts what Rasa accepts, rejects what it rejects."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError

from channels import speedups


@pytest.fixture()
def remote_action():
    from rasa.core.actions.action import RemoteAction

    speedups.install()
    return RemoteAction("action_process_turn", None)


def test_the_patch_is_installed(remote_action):
    assert type(remote_action)._validate_action_result is speedups.validate_action_result


@pytest.mark.parametrize("result", [
    {"events": [{"event": "slot", "name": "mood", "value": "calm"}], "responses": []},
    {"events": [], "responses": [{"text": "halo"}, {"custom": {"type": "feedback"}}]},
    {},
])
def test_valid_responses_pass(remote_action, result):
    assert remote_action._validate_action_result(result) is True


@pytest.mark.parametrize("result", [
    {"events": [{"event": "no_such_event"}]},
    {"events": "not a list"},
    {"responses": [5]},
    {"events": [{"event": "slot", "name": 5, "value": 1}]},
])
def test_invalid_responses_raise_like_rasa(remote_action, result):
    with pytest.raises(ValidationError) as err:
        remote_action._validate_action_result(result)
    assert "Failed to validate Action server response" in err.value.message
    from jsonschema import validate
    from rasa.core.actions.action import RemoteAction

    with pytest.raises(ValidationError):  # Rasa's own check agrees
        validate(result, RemoteAction.action_response_format_spec())


def test_event_types_resolve_as_in_rasa():
    from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
    from rasa.shared.utils.common import all_subclasses

    speedups.install()
    assert Event.resolve_by_type("slot") is SlotSet
    assert Event.resolve_by_type("user") is UserUttered
    assert Event.resolve_by_type("action") is ActionExecuted
    for cls in all_subclasses(Event):  # same answer as Rasa's loop for every known type
        expected = next(c for c in all_subclasses(Event) if c.type_name == cls.type_name)
        assert Event.resolve_by_type(cls.type_name) is expected
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("nope", default=SlotSet) is SlotSet
    with pytest.raises(ValueError):
        Event.resolve_by_type("nope")


def test_the_hook_refuses_another_rasa_version(monkeypatch, caplog):
    import rasa
    from rasa.core.actions.action import RemoteAction

    monkeypatch.setattr(speedups, "_INSTALLED", False)
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    original = RemoteAction._validate_action_result
    monkeypatch.setattr(RemoteAction, "_validate_action_result", original)
    with caplog.at_level("WARNING", logger=speedups.logger.name):
        assert speedups.install() is False
    assert RemoteAction._validate_action_result is original  # Rasa left alone
    assert "NOT installed" in caplog.text and "3.7.0" in caplog.text


def test_importing_the_rest_channel_patches_nothing():
    import subprocess
    import sys

    code = ("import channels.rest; from rasa.core.actions.action import RemoteAction; "
            "print(RemoteAction._validate_action_result.__module__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "rasa.core.actions.action"


def test_the_rasa_server_of_the_stack_started_through_the_hook(stack):
    log = (stack.workdir / "rasa.log").read_text(encoding="utf-8", errors="replace")
    assert "speed-ups installed for Rasa 3.6" in log
