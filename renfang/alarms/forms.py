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


class TestSoundingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, initial="九一八防空警报试鸣")
    date = forms.DateField(label=_("Date"), widget=date_input())
    timetable = forms.CharField(
        label=_("Timetable"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_('One step per line: "10:00 pre_warning" (time and signal code)'),
    )  # fmt: skip
    whole_city = forms.BooleanField(label=_("The whole city"), required=False, initial=True)
    groups = forms.ModelMultipleChoiceField(
        label=_("Siren groups"), queryset=SirenGroup.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    notice = forms.CharField(label=_("Public notice"), widget=forms.Textarea(attrs={"rows": 4}))
    notice_days = forms.IntegerField(label=_("Show the notice this many days before"), min_value=1, max_value=60,
                                     initial=5)  # fmt: skip

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _region_groups(self, user)

    def clean_timetable(self) -> list[list[str]]:
        from django.core.exceptions import ValidationError

        from renfang.alarms.soundings import parse_timetable

        try:
            return parse_timetable(self.cleaned_data["timetable"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("whole_city") and not data.get("groups"):
            raise forms.ValidationError(_("Choose the siren groups, or the whole city."))
        return data
