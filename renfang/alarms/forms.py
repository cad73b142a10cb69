from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renfang.alarms.models import Mode, Signal
from renfang.core.forms import RegistryForm
from renfang.sirens.models import SirenGroup


class SignalForm(RegistryForm):
    class Meta:
        model = Signal
        fields = ("code", "name", "region", "segments", "repeats", "tone_hz", "meaning", "action", "order", "public")


class ActivationForm(forms.Form):
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices, widget=forms.RadioSelect)
    signal = forms.ModelChoiceField(label=_("Signal"), queryset=Signal.objects.all())
    whole_city = forms.BooleanField(label=_("The whole city"), required=False)
    groups = forms.ModelMultipleChoiceField(
        label=_("Siren groups"), queryset=SirenGroup.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    message = forms.CharField(
        label=_("Message to the public"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a live activation: what is happening and what to do"),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signal"].label_from_instance = lambda s: f"{s.name}（{s.pattern_text}）"
