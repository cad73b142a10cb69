from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renfang.alarms.models import Signal, Webhook
from renfang.core.tables import Table


class SignalTable(Table):
    model = Signal
    columns = ("code", "name", "region", "pattern_text", "tone_hz", "public", "updated")
    # the code is the terminals' and the API's key, set once in the edit form; people read the name
    default_columns = ("name", "region", "pattern_text", "public")
    labels = {"pattern_text": _("pattern")}


class WebhookTable(Table):
    model = Webhook
    columns = ("name", "url", "active", "updated")
