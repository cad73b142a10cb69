from __future__ import annotations

from renfang.alarms.models import Signal, Webhook
from renfang.core.filters import RegistryFilterSet


class SignalFilterSet(RegistryFilterSet):
    search_fields = ("code", "name", "meaning")

    class Meta:
        model = Signal
        fields = {"public": ["exact"]}


class WebhookFilterSet(RegistryFilterSet):
    search_fields = ("name", "url")

    class Meta:
        model = Webhook
        fields = {"active": ["exact"]}
