"""API of the alarm registries (core.api.registry_serializer: each serializer is its form's fields)."""

from __future__ import annotations

from rest_framework import serializers

from renfang.alarms import forms
from renfang.core.api import registry_serializer

# the whole signal's length in seconds (repeats × cycle, silences included), as the public page says it
SignalSerializer = registry_serializer(
    forms.SignalForm, read_only=("duration_s",), duration_s=serializers.FloatField(read_only=True)
)
# a webhook's secret is set through the API but never read back; left out of an update, it is kept
WebhookSerializer = registry_serializer(
    forms.WebhookForm, extra_kwargs={"secret": {"write_only": True, "required": False}}
)
