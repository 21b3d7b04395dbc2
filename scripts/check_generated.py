"""Refuse generated files in git (issue 24): the before-commit hook (.githooks/pre-commit, set
up by `make setup`) and tests/test_repository.py ask the same question.

    python3 scripts/check_generated.py --staged   # the files about to be committed
    python3 scripts/check_generated.py            # every tracked file
"""

from __future__ import annotations

import subprocess
import sys

GENERATED = (".hypothesis/", "models/", "results/", "var/", ".rasa/", "__pycache__/",
             ".pytest_cache/", ".ruff_cache/", ".venv/")
SUFFIXES = (".db", ".sqlite", ".sqlite3", ".log", ".tar.gz", ".joblib", ".pyc")


def generated(paths: list[str]) -> list[str]:
    """The paths that are generated (databases, models, caches, logs)."""
    return [p for p in paths if any(p.startswith(g) or f"/{g}" in p for g in GENERATED)
            or p.endswith(SUFFIXES)]


def main(argv: list[str]) -> int:
    command = ["git", "diff", "--cached", "--name-only", "--diff-filter=AM"] \
        if "--staged" in argv else ["git", "ls-files"]
    paths = subprocess.run(command, capture_output=True, text=True, check=True
                           ).stdout.splitlines()
    bad = generated(paths)
    for path in bad:
        print(f"generated file refused: {path} (git rm --cached it; .gitignore lists these)",
              file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
