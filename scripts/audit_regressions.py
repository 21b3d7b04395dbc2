"""Turn the coherence audits (tests/citizen/audits/<audit>/incoherent.yml, written by independent
play-testers with scripts/playtest.py) into the regressions tests/test_citizen_memory.py plays:

    python3 scripts/audit_regressions.py    # rewrites tests/citizen/audit_regressions.yml

Each incoherent line becomes a case: the same clerk turns must no longer lead to the flagged
words; where the fix is an answer, the answer is required instead. Which audits, which lines are
left alone (and why) and the overrides are data: tests/citizen/audits/plan.yml. Lines left
unfixed are listed with the reason in the regressions file's header (and the issue's closing
note).
"""

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
AUDITS = ROOT / "tests" / "citizen" / "audits"
PLAN = AUDITS / "plan.yml"

HEADER = """# Every incoherent citizen line the coherence audits found (issue 20, 2026-12-03),
# replayed offline through the turn function by tests/test_citizen_memory.py: the same clerk
# turns must no longer lead to the flagged words (`forbid_text`, regular expressions) and must
# contain `require_text` where the fix is an answer (a name, a phone number, the business).
# Written by scripts/audit_regressions.py from tests/citizen/audits/plan.yml.
"""


def cases(path: Path, prefix: str, skip: dict[int, str],
          override: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for i, e in enumerate(entries):
        if i in skip:
            continue
        case = {"id": f"{prefix}_{i:02d}_{e['family']}", "family": e["family"],
                "scenario": e["scenario"], "citizen": e.get("citizen", "bapak"),
                "reason": e["reason"][:200], "clerk_turns": e["clerk_turns"]}
        parts = [p.strip() for p in e["bad_line"].split(" / ") if p.strip()]
        case["forbid_text"] = [re.escape(p) for p in parts]
        case.update(override.get(i, {}))
        out.append(case)
    return out


def main() -> None:
    plan = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
    out: list[dict[str, Any]] = []
    found, left_alone = [], []
    for audit in plan:
        name = audit["audit"]
        skip = audit.get("left_alone") or {}
        out += cases(AUDITS / name / "incoherent.yml", name, skip, audit.get("overrides") or {})
        found.append(f"#   {name}_*: {audit['found']}\n")
        left_alone += [f"#   - {name} #{i}: {why}\n" for i, why in skip.items()]
    (ROOT / "tests" / "citizen" / "audit_regressions.yml").write_text(
        HEADER + "".join(found) + "# Not fixed, left alone (see the closing note of issue 20):\n"
        + "".join(left_alone)
        + yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=100),
        encoding="utf-8")
    print(f"{len(out)} cases")


if __name__ == "__main__":
    main()
