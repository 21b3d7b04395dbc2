"""Two caches for hot spots of the Rasa 3.6 server (found with py-spy under load).

1. A cached JSON-schema validator for the action server's responses.

``RemoteAction._validate_action_result`` calls ``jsonschema.validate(result, schema)`` on every
custom action call. ``jsonschema.validate`` first checks the *schema* against the meta-schema
(``check_schema``) and builds a new validator each time: profiling the Rasa server under load
(py-spy, 5 concurrent trainees) put about half of its CPU time there. This module replaces the
method with one that validates the response against the same schema with a validator built
once. Responses are still validated and an invalid one still raises ``ValidationError`` with
Rasa's message (tests/test_speedups.py).

2. ``Event.resolve_by_type`` walks every subclass of ``Event`` (``all_subclasses`` with
``inspect.isabstract`` on each) for every event it deserialises — each turn loads the whole
conversation from the tracker store, so this was about a fifth of the CPU. The patched version
looks the type name up in a table built from the same subclasses; a name not in the table
falls back to Rasa's own method (so ``topic``, defaults and errors behave as before).

Installed by an explicit start-up hook, :mod:`channels.launch` (``python -m channels.launch
run ...`` instead of ``rasa run ...``), whatever channels credentials.yml lists. The patch
targets Rasa 3.6's private methods: :func:`install` checks the Rasa version first and, on any
other version, leaves Rasa alone and says so. Either way it logs one line.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

logger = logging.getLogger(__name__)
_INSTALLED = False


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)  # once, as jsonschema.validate would on every call
    return cls(schema)


def validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """Same contract as Rasa's ``RemoteAction._validate_action_result``."""
    from jsonschema import ValidationError, exceptions

    error = exceptions.best_match(_validator().iter_errors(result))
    if error is None:
        return True
    if not isinstance(error, ValidationError):  # pragma: no cover - defensive
        raise error
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from "
        "the Action endpoint is valid. For more information about the format visit "
        "https://rasa.com/docs/rasa/custom-actions"
    )
    raise error


def _cached_resolve_by_type(original: Any) -> Any:
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    table: dict[str, Any] = {}

    def resolve_by_type(type_name: str, default: Any = None) -> Any:
        if not table:
            for cls in all_subclasses(Event):
                table.setdefault(cls.type_name, cls)  # first match wins, as in Rasa's loop
        found = table.get(type_name)
        return found if found is not None else original(type_name, default)

    return staticmethod(resolve_by_type)


SUPPORTED_RASA = "3.6."


def install() -> bool:
    """Patch ``RemoteAction`` and ``Event`` once per process; ``False`` on another Rasa."""
    global _INSTALLED
    if _INSTALLED:
        return True
    import rasa

    version = getattr(rasa, "__version__", "?")
    if not version.startswith(SUPPORTED_RASA):
        logger.warning("speed-ups NOT installed: written for Rasa %sx, this is Rasa %s",
                       SUPPORTED_RASA, version)
        return False
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[assignment]
    Event.resolve_by_type = _cached_resolve_by_type(Event.resolve_by_type)  # type: ignore
    _INSTALLED = True
    logger.warning("speed-ups installed for Rasa %s: cached action-response validator, "
                   "event type table", version)
    return True
