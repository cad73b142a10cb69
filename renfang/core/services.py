"""Writes shared by every registry. Each runs in one transaction; the change log is written by signals
inside the same transaction, so a failed write leaves no trace."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction


@transaction.atomic
def save_form(*, form: Any) -> Any:
    return form.save()


@transaction.atomic
def save_instance(*, instance: models.Model) -> models.Model:
    """Validate with the model's own rules (``full_clean``) and save; used by the API."""
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def delete_object(*, instance: models.Model) -> None:
    instance.delete()


def save_preference(*, user: Any, key: str, label: str, value: Any) -> None:
    prefs = dict(user.preferences or {})
    section = dict(prefs.get(key, {}))
    section[label] = value
    prefs[key] = section
    user.preferences = prefs
    user.save(update_fields=["preferences"])
