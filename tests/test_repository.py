"""The repository holds sources, data and docs only: no generated file is tracked."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GENERATED = (".hypothesis/", "models/", "results/", "var/", ".rasa/", "__pycache__/")
SUFFIXES = (".db", ".sqlite", ".sqlite3", ".log", ".tar.gz", ".joblib", ".pyc")


def test_no_generated_file_is_tracked():
    try:
        tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True,
                                 text=True, check=True).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    bad = [p for p in tracked if any(p.startswith(g) or f"/{g}" in p for g in GENERATED)
           or p.endswith(SUFFIXES)]
    assert not bad, bad[:10]


def test_generated_folders_are_ignored():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    for folder in (".hypothesis/", "models/", "results/", "var/"):
        assert folder in ignored
