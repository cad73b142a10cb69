from __future__ import annotations

from renfang.alarms.models import Signal, Webhook
from renfang.core.api import RegistrySerializer


class SignalSerializer(RegistrySerializer):
    class Meta:
        model = Signal
        fields = ("id", "display", "code", "name", "region", "segments", "repeats", "tone_hz", "meaning", "action",
                  "order", "public", "created", "updated")  # fmt: skip
        read_only_fields = ("created", "updated")


class WebhookSerializer(RegistrySerializer):
    class Meta:
        model = Webhook
        fields = ("id", "display", "name", "url", "secret", "active", "created", "updated")
        read_only_fields = ("created", "updated")
        extra_kwargs = {"secret": {"write_only": True}}  # set it, never read it back
