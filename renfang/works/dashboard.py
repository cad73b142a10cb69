"""The works' figures on the home page: overdue rectification tasks of the user's region."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from renfang.core.dashboard import Figure, figure_source
from renfang.core.permissions import can_view
from renfang.core.registry import get_registry
from renfang.works.services import overdue_tasks


@figure_source
def overdue_figure(user: Any) -> list[Figure]:
    registry = get_registry("works.rectificationtask")
    if not can_view(user, registry):
        return []
    tasks = registry.queryset(user)
    overdue = overdue_tasks(tasks).count()
    open_ = tasks.exclude(status="closed").count()
    return [
        Figure(
            label=_("Overdue rectification tasks"),
            value=str(overdue),
            url=f"{registry.list_url}?overdue=true",
            note=_("%(n)d tasks open in all") % {"n": open_},
            warning=overdue > 0,
        )
    ]
