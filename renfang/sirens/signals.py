"""What follows from a save, however it was made (page, API, import, the alarm service, another service).

Models never call services (docs/architecture.md); these receivers, connected in SirensConfig.ready, do.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from renfang.sirens import services
from renfang.sirens.models import Fault, Siren


@receiver(post_save, sender=Fault, dispatch_uid="sirens.fault_saved")
def fault_saved(sender: Any, instance: Fault, raw: bool = False, **kwargs: Any) -> None:
    if not raw:  # an open fault makes the siren faulty; the last one repaired puts it back in use
        services.sync_state(instance.siren)


@receiver(post_delete, sender=Fault, dispatch_uid="sirens.fault_deleted")
def fault_deleted(sender: Any, instance: Fault, **kwargs: Any) -> None:
    siren = Siren.objects.filter(pk=instance.siren_id).first()
    if siren is not None:  # deleted with its siren: nothing left to update
        services.sync_state(siren)
