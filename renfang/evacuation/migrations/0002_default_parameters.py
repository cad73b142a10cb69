"""The planning figures of domain-facts.md §8 and performance-anchors.md §1.4, as editable data."""

from __future__ import annotations

from django.db import migrations

SOURCE = (
    "服务半径 200 m (the issue's standard for personnel shelters); walking 1.2 m/s and 1.3 people per metre of "
    "width per second (pedestrian flow, performance-anchors.md §1.4); usable widths per road class are estimates "
    "to be replaced with the office's survey."
)


def add(apps, schema_editor):  # type: ignore[no-untyped-def]
    from renfang.evacuation.models.runs import DEFAULT_ROAD_WIDTHS

    parameters = apps.get_model("evacuation", "PlanningParameters")
    if not parameters.objects.exists():
        parameters.objects.create(name="默认参数", road_widths=dict(DEFAULT_ROAD_WIDTHS), source=SOURCE, active=True)


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("evacuation", "PlanningParameters").objects.filter(name="默认参数").delete()


class Migration(migrations.Migration):
    dependencies = [("evacuation", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
