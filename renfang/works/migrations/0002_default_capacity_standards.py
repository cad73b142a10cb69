"""Default sheltering standards (docs/reference domain-facts §3.3); offices change them as data."""

from __future__ import annotations

from django.db import migrations

DEFAULTS = [
    ("personnel_2", 1.0, "GB 50038 practice: 1.0 m² of sheltering area per person (二等人员掩蔽)"),
    ("personnel_1", 1.0, "Same per-person area as class 2 until the office sets its own (unconfirmed)"),
    ("service_team", 3.0, "About 3 m² per team member (unconfirmed; set the office's own figure)"),
]


def add(apps, schema_editor):  # type: ignore[no-untyped-def]
    standard = apps.get_model("works", "CapacityStandard")
    for work_type, area, basis in DEFAULTS:
        standard.objects.get_or_create(work_type=work_type, defaults={"m2_per_person": area, "basis": basis})


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("works", "CapacityStandard").objects.filter(work_type__in=[d[0] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("works", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
