"""Loading of the YAML data files that live beside the actions."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Iterator, Mapping

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def load_data(name: str) -> Any:
    """Return the parsed content of ``actions/data/<name>.yml`` (cached per process)."""
    with open(DATA_DIR / f"{name}.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def strings_in(node: Any) -> Iterator[str]:
    """Every string of a parsed YAML tree (mappings' values, lists' items), in order."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, Mapping):
        for value in node.values():
            yield from strings_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings_in(value)
