"""Writes the change log for every create, update and delete (NetBox's pattern, with signals).

The acting user comes from a context variable set per request (middleware) or per background job,
so services never pass it around. Operational tables (the change log itself, jobs, failed sign-ins,
sessions, OTP device counters) are not logged: they are logs already, or change on every request.
"""

from __future__ import annotations

import contextvars
import copy
import datetime as dt
import decimal
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

_actor: contextvars.ContextVar[tuple[Any, uuid.UUID | None] | None] = contextvars.ContextVar(
    "renfang_change_actor", default=None
)

LOGGED_APPS = {"core", "citymodel", "works", "sirens", "alarms", "evacuation", "approvals"}
# analysis runs are immutable results with their own record of who ran them, when, and on what inputs
NOT_LOGGED = {
    "core.objectchange", "core.job", "core.loginattempt", "sirens.coveragerun", "sirens.sitingrun",
    # a one-time secret: its digest must not be copied where every administrator reads it
    "core.enrolmentcode",
    # the alarm side keeps its own append-only activation log (alarms.LogEntry), event by event; a
    # terminal's last report changes at every heartbeat (its changes are logged there as status_change)
    "alarms.sirencommand", "alarms.logentry", "alarms.notification", "alarms.terminalstate",
    "evacuation.assignmentrun", "evacuation.blockresult", "evacuation.assignmentflow", "evacuation.workload",
    "evacuation.evacuationrun", "evacuation.evacuationroute", "evacuation.sourceschedule", "evacuation.roadload",
    # an application's steps are their own append-only record (who, when, what), shown on its page
    "approvals.applicationevent",
}  # fmt: skip
MASKED_FIELDS = {"password", "password_hash", "secret", "seed"}  # recorded as a fingerprint, never as the value
IGNORED_FIELDS = {"updated", "last_login", "preferences"}


@contextmanager
def change_actor(actor: Any, request_id: uuid.UUID | None = None) -> Iterator[None]:
    """Attribute changes made inside the block to ``actor`` (a user or a request whose .user is read late)."""
    token = _actor.set((actor, request_id or uuid.uuid4()))
    try:
        yield
    finally:
        _actor.reset(token)


def _current_user() -> tuple[Any, uuid.UUID | None]:
    value = _actor.get()
    if value is None:
        return None, None
    actor, request_id = value
    # a request is stored rather than its user so that DRF token authentication, which runs after the
    # middleware, is still seen
    user = getattr(actor, "user", actor)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return user, request_id


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        # one instant, one text: a time written back in another zone (an API client's +08:00) is no change
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return f"<{len(value)} bytes>"
    if hasattr(value, "name") and hasattr(value, "storage"):  # FieldFile
        return value.name or ""
    return value


def _masked(value: Any) -> str:
    # never the secret itself, but a fingerprint so that a change of it still shows as a change
    import hashlib

    return "********" + hashlib.sha256(str(value).encode()).hexdigest()[:6]


def serialize(instance: models.Model) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in MASKED_FIELDS:
            data[field.name] = _masked(getattr(instance, field.attname))
            continue
        data[field.name] = _json_value(getattr(instance, field.attname))
    return data


def region_id_of(instance: models.Model) -> int | None:
    """The id of the region owning ``instance`` (for filtering the change log by region)."""
    field = getattr(type(instance), "scope_field", None)
    if field is None:
        return None
    if field == "self":
        return instance.pk  # type: ignore[no-any-return]
    obj: Any = instance
    parts = field.split("__")
    for part in parts[:-1]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return getattr(obj, f"{parts[-1]}_id", None)


def _is_logged(sender: type[models.Model]) -> bool:
    meta = sender._meta
    return meta.app_label in LOGGED_APPS and meta.label_lower not in NOT_LOGGED and not meta.abstract


def _before_values(instance: models.Model) -> dict[str, Any] | None:
    snapshot = getattr(instance, "_changelog_snapshot", None)
    if snapshot is not None:
        return snapshot  # type: ignore[no-any-return]
    loaded = getattr(instance, "_changelog_loaded", None)
    fields = instance._meta.concrete_fields
    if loaded is not None and all(f.attname in loaded for f in fields):
        return {
            f.name: _masked(loaded[f.attname]) if f.name in MASKED_FIELDS else _json_value(loaded[f.attname])
            for f in fields
        }
    try:
        return serialize(type(instance)._default_manager.get(pk=instance.pk))
    except type(instance).DoesNotExist:  # type: ignore[attr-defined]
        return None


def _record(instance: models.Model, action: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    from renfang.core.models import ObjectChange

    user, request_id = _current_user()
    ObjectChange.objects.create(
        user=user,
        user_name=getattr(user, "username", "") if user else "",
        request_id=request_id,
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        region_id=region_id_of(instance),
        prechange_data=before,
        postchange_data=after,
    )


def _on_pre_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or not _is_logged(sender) or instance._state.adding or instance.pk is None:
        return
    instance._changelog_before = _before_values(instance)  # type: ignore[attr-defined]


def _on_post_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw or not _is_logged(sender):
        return
    after = serialize(instance)
    if created:
        _record(instance, "create", None, after)
    else:
        before = getattr(instance, "_changelog_before", None)
        if before is not None:
            changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
            if not changed - IGNORED_FIELDS - set(getattr(sender, "changelog_ignore", ())):
                _remember_loaded(instance, after)
                return
        _record(instance, "update", before, after)
    _remember_loaded(instance, after)


def _remember_loaded(instance: models.Model, after: dict[str, Any]) -> None:
    # the saved values become the "before" of the next save of this same object
    instance._changelog_snapshot = copy.deepcopy(after)  # type: ignore[attr-defined]


def _on_pre_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _is_logged(sender):
        instance._changelog_before = serialize(instance)  # type: ignore[attr-defined]
        instance._changelog_region = region_id_of(instance)  # type: ignore[attr-defined]


def _on_post_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _is_logged(sender):
        _record(instance, "delete", getattr(instance, "_changelog_before", None), None)


def connect() -> None:
    for model in apps.get_models():
        if _is_logged(model):
            uid = f"changelog-{model._meta.label_lower}"
            pre_save.connect(_on_pre_save, sender=model, dispatch_uid=f"{uid}-pre")
            post_save.connect(_on_post_save, sender=model, dispatch_uid=f"{uid}-post")
            pre_delete.connect(_on_pre_delete, sender=model, dispatch_uid=f"{uid}-predel")
            post_delete.connect(_on_post_delete, sender=model, dispatch_uid=f"{uid}-postdel")


def record_bulk_create(objects: list[models.Model]) -> None:
    """Change-log entries for rows written with bulk_create (which sends no signals)."""
    from renfang.core.models import ObjectChange

    if not objects:
        return
    user, request_id = _current_user()
    content_type = ContentType.objects.get_for_model(type(objects[0]))
    ObjectChange.objects.bulk_create(
        [
            ObjectChange(
                user=user,
                user_name=getattr(user, "username", "") if user else "",
                request_id=request_id,
                action="create",
                content_type=content_type,
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                region_id=region_id_of(obj),
                postchange_data=serialize(obj),
            )
            for obj in objects
        ],
        batch_size=2000,
    )
