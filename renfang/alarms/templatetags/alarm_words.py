"""Template filters for the alarm pages: log events, commands and reasons in words (alarms.words)."""

from __future__ import annotations

from typing import Any

from django import template

from renfang.alarms import words

register = template.Library()
register.filter("event_label", words.event_label)
register.filter("command_label", words.command_label)
register.filter("reason_label", words.reason_label)
register.filter("cap_label", words.cap_label)


@register.filter
def log_detail(detail: Any) -> str:
    return words.detail_text(detail)
