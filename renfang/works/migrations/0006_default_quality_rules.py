"""Default thresholds of the data-quality checks (offices change them on the rules page)."""

from __future__ import annotations

from django.db import migrations

DEFAULTS = [
    ("capacity", 0.2, "A capacity more than 20 % away from area ÷ standard, or a sheltering work without area"),
    ("outside", 0.0, "The work's or shelter's point is outside the boundary of its district"),
    ("duplicate", 20.0, "Two works of one district closer than 20 m, or with the same name within 200 m"),
    ("stale", 365.0, "A work or shelter not updated for 365 days"),
]


def add(apps, schema_editor):  # type: ignore[no-untyped-def]
    rule = apps.get_model("works", "QualityRule")
    for code, threshold, description in DEFAULTS:
        rule.objects.get_or_create(rule=code, defaults={"threshold": threshold, "description": description})


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("works", "QualityRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("works", "0005_quality_rules")]
    operations = [migrations.RunPython(add, remove)]
