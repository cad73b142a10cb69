from __future__ import annotations

from renfang.alarms.models import Signal
from renfang.core.forms import RegistryForm


class SignalForm(RegistryForm):
    class Meta:
        model = Signal
        fields = ("code", "name", "region", "segments", "repeats", "tone_hz", "meaning", "action", "order", "public")
