"""Loading of the YAML data files that live beside the actions."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def load_data(name: str) -> Any:
    """Return the parsed content of ``actions/data/<name>.yml`` (cached per process)."""
    with open(DATA_DIR / f"{name}.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)
