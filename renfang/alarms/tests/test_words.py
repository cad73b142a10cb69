"""The alarm log in words: events, commands, reasons and details as a duty officer reads them."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from renfang.alarms import words


def test_log_details_name_their_codes_and_hide_identifiers(city: Any) -> None:
    with translation.override("zh-hans"):
        detail = {"signal": "air_raid", "mode": "live", "region": city.city.code, "whole_city": False,
                  "commands": 3, "kind": "activate", "command": "abc123", "status": "Actual"}  # fmt: skip
        text = words.detail_text(detail)
        assert "空袭警报" in text and city.city.name in text and "实战" in text and "鸣响" in text
        for raw in ("air_raid", "live", city.city.code, "abc123", "Actual", "activate", "True", "False"):
            assert raw not in text, raw
        assert words.event_label("approved") != "approved" and words.reason_label("no_answer") != "no_answer"
        assert words.cap_label("Exercise") == "演习" and words.command_label("cancel") == "停止鸣响"
