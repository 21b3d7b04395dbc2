"""One catalog of scenarios and labels, read from ``actions/data/scenarios.yml``.

Scenario ids, titles and briefs, the scored dimensions and their Indonesian names: the
action server, the review, the exports and the web page all take them from here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from actions.datafiles import load_data

_DATA = load_data("scenarios")
OFFICE: dict[str, Any] = load_data("office")
for _spec in _DATA["scenarios"].values():
    # one office, one set of rules: every card shows the office's rules, then the case's own
    _spec["sop"] = [*OFFICE["sop"], *(_spec.get("case_rules") or [])]
DIMENSIONS: tuple[str, ...] = tuple(_DATA["dimensions"])
DIMENSION_LABELS: dict[str, str] = dict(_DATA["dimensions"])
ENDED_BY_LABELS: dict[str, str] = dict(_DATA.get("ended_by") or {})
MOOD_LABELS: dict[str, str] = dict(_DATA.get("moods") or {})
DEFAULT_SCENARIO: str = _DATA.get("default") or next(iter(_DATA["scenarios"]))


def scenario_ids() -> list[str]:
    """All scenario ids that can be played, in catalog order."""
    return list(_DATA["scenarios"])


def scenario_spec(scenario: str | None) -> dict[str, Any]:
    """The settings of a scenario (the default scenario's for an unknown id)."""
    return _DATA["scenarios"].get(scenario or "") or _DATA["scenarios"][DEFAULT_SCENARIO]


def scenario_title(scenario: str | None) -> str:
    """The Indonesian title of a scenario (its id if unknown, never empty)."""
    spec = _DATA["scenarios"].get(scenario or "")
    return str(spec.get("title")) if spec else str(scenario or "")


def scenarios() -> list[dict[str, str]]:
    """Id, title and brief of every scenario, as the pages list them."""
    return [{"id": key, "title": str(value.get("title", key)),
             "brief": str(value.get("brief", ""))} for key, value in _DATA["scenarios"].items()]


def dimension_label(key: str) -> str:
    return DIMENSION_LABELS.get(key, key)


def move_label(move: str | None) -> str:
    """The Indonesian name of a clerk move (never the intent name itself)."""
    return _move_labels().get(move or "", "tidak dikenali")


@cache
def _move_labels() -> dict[str, str]:
    path = Path(__file__).resolve().parent / "scoring" / "data" / "labels.yml"
    return {str(k): str(v) for k, v in
            (yaml.safe_load(path.read_text(encoding="utf-8")).get("moves") or {}).items()}
