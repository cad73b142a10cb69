"""The layering of docs/architecture.md: models never call services (receivers in an app's signals.py do)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def model_modules() -> list[Path]:
    return sorted([*ROOT.glob("*/models.py"), *ROOT.glob("*/models/*.py")])


def test_no_model_imports_a_service() -> None:
    offenders = []
    for path in model_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            if any(n.split(".")[-1] == "services" for n in names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert model_modules() and not offenders, offenders
