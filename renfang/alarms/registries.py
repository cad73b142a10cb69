"""The alarm registries."""

from __future__ import annotations

from renfang.alarms import api, filters, forms, tables
from renfang.alarms.models import Signal, Webhook
from renfang.core.choices import Department
from renfang.core.permissions import ADMIN_ONLY
from renfang.core.registry import Registry, register

register(
    Registry(
        model=Signal,
        configuration=True,
        filterset=filters.SignalFilterSet,
        form=forms.SignalForm,
        table=tables.SignalTable,
        serializer=api.SignalSerializer,
        slug="signals",
        page_slug="signal-types",  # /alarms/signals/ is the public page explaining the signals
        nav_group="sirens",
        edit_roles=ADMIN_ONLY | {"city_staff"},
        departments=frozenset({Department.COMMAND}),
        allow_import=False,
        detail_fields=("name", "region", "pattern_text", "tone_hz", "meaning", "action", "order", "public"),
    )
)
register(
    Registry(
        model=Webhook,
        configuration=True,
        filterset=filters.WebhookFilterSet,
        form=forms.WebhookForm,
        table=tables.WebhookTable,
        serializer=api.WebhookSerializer,
        slug="webhooks",
        nav_group="sirens",
        view_roles=ADMIN_ONLY,
        edit_roles=ADMIN_ONLY,
        allow_import=False,
        detail_fields=("name", "url", "active"),  # the secret is not shown again
    )
)
