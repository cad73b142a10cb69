"""What follows from a save, however it was made (page, API, import, undo of an import, another service).

Models never call services (docs/architecture.md); these receivers, connected in WorksConfig.ready, do.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from renfang.works import services
from renfang.works.models import CapacityStandard, Defect


@receiver(post_save, sender=Defect, dispatch_uid="works.defect_opens_task")
def defect_opens_its_task(sender: Any, instance: Defect, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:  # not when fixtures are loaded: their tasks are loaded with them
        services.open_task(instance)


@receiver(post_save, sender=CapacityStandard, dispatch_uid="works.standard_recomputes")
def standard_recomputes_capacities(sender: Any, instance: CapacityStandard, raw: bool = False, **kwargs: Any) -> None:
    if not raw:  # every work of this type now shelters a different number of people: store it (and log it)
        services.recompute_capacities(work_type=instance.work_type)
