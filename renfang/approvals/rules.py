"""The rule documents shipped with Renfang (``rules/*.json``), each with its source."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RULES_DIR = Path(__file__).resolve().parent / "rules"


def shipped_rules() -> list[dict[str, Any]]:
    """The shipped rule documents, by code."""
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(RULES_DIR.glob("*.json"))]


def model_fields(data: dict[str, Any], language: str = "zh-hans") -> dict[str, Any]:
    """A rule document's descriptive fields for a RuleSet row (its name and source in the office's language)."""
    source = data.get("source") or {}
    return {
        "code": data["code"],
        "version": int(data.get("version", 1)),
        "name": (data.get("name") or {}).get(language) or data["code"],
        "jurisdiction": (data.get("jurisdiction") or {}).get(language, ""),
        "effective_from": data["effective_from"],
        "effective_to": data.get("effective_to"),
        "example": bool(data.get("example", True)),
        "source_title": source.get("title", ""),
        "source_urls": "\n".join(source.get("urls") or []),
        "source_note": (source.get("note") or {}).get(language, ""),
        "data": data,
    }
