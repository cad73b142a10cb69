from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renfang.alarms.models import Mode, Signal, Webhook
from renfang.core.forms import RegistryForm, date_input
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

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signal"].label_from_instance = lambda s: f"{s.name}（{s.pattern_text}）"
        _region_groups(self, user)


def _region_groups(form: forms.Form, user: Any) -> None:
    """Only the groups of the operator's own region are offered (and accepted)."""
    from renfang.alarms.services import groups_for

    form.fields["groups"].queryset = groups_for(user)


class WebhookForm(RegistryForm):
    url = forms.URLField(label=_("URL"), assume_scheme="https")

    class Meta:
        model = Webhook
        fields = ("name", "url", "secret", "active")
        # the signing secret is written, never shown again (not even to the editors who may change it)
        widgets = {"secret": forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["secret"].required = False
            self.fields["secret"].help_text = _("Leave empty to keep the current secret.")

    def clean_secret(self) -> str:
        return self.cleaned_data.get("secret") or (self.instance.secret if self.instance.pk is not None else "")


TIMETABLE_ROWS = 6  # steps a sounding may have (the national test sounds three signals)


class TestSoundingForm(forms.Form):
    """A test sounding's plan; its timetable is picked row by row (a time and a signal from the list), so
    nobody types a signal's code."""

    title = forms.CharField(label=_("Title"), max_length=200, initial="九一八防空警报试鸣")
    date = forms.DateField(label=_("Date"), widget=date_input())
    whole_city = forms.BooleanField(label=_("The whole city"), required=False, initial=True)
    groups = forms.ModelMultipleChoiceField(
        label=_("Siren groups"), queryset=SirenGroup.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    notice = forms.CharField(label=_("Public notice"), widget=forms.Textarea(attrs={"rows": 4}))
    notice_days = forms.IntegerField(label=_("Show the notice this many days before"), min_value=1, max_value=60,
                                     initial=5)  # fmt: skip

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        from renfang.alarms.soundings import DEFAULT_TIMETABLE

        super().__init__(*args, **kwargs)
        _region_groups(self, user)
        defaults = [line.split() for line in DEFAULT_TIMETABLE.splitlines()]
        signals = Signal.objects.order_by("order", "code")
        for i in range(TIMETABLE_ROWS):
            clock, code = defaults[i] if i < len(defaults) else (None, None)
            self.fields[f"step_{i}_time"] = forms.TimeField(
                label=_("Time"), required=False, initial=clock,
                widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
            )  # fmt: skip
            self.fields[f"step_{i}_signal"] = forms.ModelChoiceField(
                label=_("Signal"), queryset=signals, to_field_name="code", required=False, initial=code,
            )  # fmt: skip

    @property
    def steps(self) -> list[tuple[Any, Any]]:
        """The timetable's rows as (time field, signal field), for the page's table."""
        return [(self[f"step_{i}_time"], self[f"step_{i}_signal"]) for i in range(TIMETABLE_ROWS)]

    @property
    def head_fields(self) -> list[Any]:
        """The plan's fields before the timetable (title, date); tail_fields come after it."""
        return [self["title"], self["date"]]

    @property
    def tail_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if not name.startswith("step_") and name not in ("title", "date")]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        steps = []
        for i in range(TIMETABLE_ROWS):
            clock, signal = data.get(f"step_{i}_time"), data.get(f"step_{i}_signal")
            if clock and signal:
                steps.append([clock.strftime("%H:%M"), signal.code])
            elif clock or signal:
                self.add_error(f"step_{i}_signal" if clock else f"step_{i}_time",
                               _("Give this step both its time and its signal, or neither."))  # fmt: skip
        if not steps and not self.errors:
            self.add_error(None, _("The timetable needs at least one step."))
        data["timetable"] = sorted(steps)
        if not data.get("whole_city") and not data.get("groups"):
            raise forms.ValidationError(_("Choose the siren groups, or the whole city."))
        return data
