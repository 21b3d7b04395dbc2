"""The repository holds sources, data and docs only: no generated file is tracked."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("check_generated",
                                               ROOT / "scripts" / "check_generated.py")
check_generated = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_generated)


def test_no_generated_file_is_tracked():
    try:
        tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True,
                                 text=True, check=True).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    bad = check_generated.generated(tracked)
    assert not bad, bad[:10]


def test_the_before_commit_hook_refuses_a_generated_file(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("no git")
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "check_generated.py", repo / "scripts")
    shutil.copytree(ROOT / ".githooks", repo / ".githooks")
    env = {**os.environ, "GIT_AUTHOR_NAME": "uji", "GIT_AUTHOR_EMAIL": "uji@example.org",
           "GIT_COMMITTER_NAME": "uji", "GIT_COMMITTER_EMAIL": "uji@example.org"}

    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                              env=env)

    git("init", "-q")
    git("config", "core.hooksPath", ".githooks")
    (repo / "notes.md").write_text("sumber\n", encoding="utf-8")
    git("add", "notes.md", "scripts", ".githooks")
    assert git("commit", "-qm", "sources").returncode == 0
    (repo / ".hypothesis").mkdir()
    (repo / ".hypothesis" / "examples").write_text("x", encoding="utf-8")
    (repo / "trackers.db").write_bytes(b"x")
    git("add", "-f", ".hypothesis", "trackers.db")
    refused = git("commit", "-qm", "generated")
    assert refused.returncode != 0 and "trackers.db" in refused.stderr


def test_generated_folders_are_ignored():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    for folder in (".hypothesis/", "models/", "results/", "var/"):
        assert folder in ignored


def test_no_import_runs_upward():
    """The action server's packages never import the review or the web service above them
    (``python -m review calibrate`` lives with the review, issue 24)."""
    import ast

    below = [ROOT / "actions", ROOT / "channels", ROOT / "ptsp_stores"]
    upward = []
    for folder in below:
        for path in folder.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                    [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                upward += [f"{path.relative_to(ROOT)}: {n}" for n in names
                           if n.split(".")[0] in ("review", "web")]
    assert not upward, upward


def test_no_data_file_says_the_same_key_twice():
    """YAML keeps the last of two equal keys without a word: a norm or a line written twice
    (with two meanings) silently loses one. Every data file under actions/ is read strictly."""
    import yaml

    class Strict(yaml.SafeLoader):
        pass

    def mapping(loader: Strict, node: yaml.MappingNode) -> dict:
        keys = [loader.construct_object(k) for k, _ in node.value]
        twice = {k for k in keys if keys.count(k) > 1}
        assert not twice, (node.start_mark.name, node.start_mark.line + 1, sorted(twice))
        return loader.construct_mapping(node)

    Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    files = sorted((ROOT / "actions").rglob("*.yml"))
    assert files
    for path in files:
        yaml.load(path.read_text(encoding="utf-8"), Loader=Strict)  # noqa: S506 - SafeLoader
