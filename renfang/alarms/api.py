"""API of the alarm registries (core.api.registry_serializer: each serializer is its form's fields)."""

from __future__ import annotations

from renfang.alarms import forms
from renfang.core.api import registry_serializer

SignalSerializer = registry_serializer(forms.SignalForm)
# a webhook's secret is set through the API but never read back
WebhookSerializer = registry_serializer(forms.WebhookForm, extra_kwargs={"secret": {"write_only": True}})
