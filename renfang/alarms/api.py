from __future__ import annotations

from renfang.alarms.models import Signal
from renfang.core.api import RegistrySerializer


class SignalSerializer(RegistrySerializer):
    class Meta:
        model = Signal
        fields = ("id", "display", "code", "name", "region", "segments", "repeats", "tone_hz", "meaning", "action",
                  "order", "public", "created", "updated")  # fmt: skip
        read_only_fields = ("created", "updated")
