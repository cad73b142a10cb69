"""Fail if anything under renfang/engine/ imports Django or a Renfang app (docs/architecture.md).

Parses every module's imports with ast (so a string mentioning Django is fine, an import is not).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parent.parent / "renfang" / "engine"
FORBIDDEN = (
    "django",
    "rest_framework",
    "huey",
    "renfang.core",
    "renfang.citymodel",
    "renfang.works",
    "renfang.sirens",
    "renfang.alerting",
    "renfang.evacuation",
    "renfang.approvals",
    "renfang.enforcement",
    "renfang.readiness",
    "renfang.plans",
    "renfang.portal",
    "renfang.dashboard",
    "renfang.settings",
)


def violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN):
                found.append(f"{path}:{node.lineno}: imports {name}")
    return found


def main() -> int:
    problems = [v for p in sorted(ENGINE.rglob("*.py")) for v in violations(p)]
    for problem in problems:
        print(problem)
    if problems:
        print("renfang/engine must stay pure: no Django and no Renfang apps", file=sys.stderr)
        return 1
    print(f"engine purity: {len(list(ENGINE.rglob('*.py')))} modules checked, no Django imports")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
