"""The seeded planning parameters' source explained in Chinese (issue 13), only while it is still the seeded text."""

from __future__ import annotations

from django.db import migrations

ENGLISH = (
    "服务半径 200 m (the issue's standard for personnel shelters); walking 1.2 m/s and 1.3 people per metre of "
    "width per second (pedestrian flow, performance-anchors.md §1.4); usable widths per road class are estimates "
    "to be replaced with the office's survey."
)
CHINESE = (
    "人员掩蔽工程服务半径 200 m；步行速度 1.2 m/s，通行能力每米宽度每秒 1.3 人（行人流研究）；"
    "各级道路的可用宽度为估计值，应以本办实测数据替换。"
)


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("evacuation", "PlanningParameters").objects.filter(source=ENGLISH).update(source=CHINESE)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("evacuation", "PlanningParameters").objects.filter(source=CHINESE).update(source=ENGLISH)


class Migration(migrations.Migration):
    dependencies = [("evacuation", "0004_location_note")]
    operations = [migrations.RunPython(forwards, backwards)]
