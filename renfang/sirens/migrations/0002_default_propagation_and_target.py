"""The propagation model of domain-facts.md §2.3 and the coverage target of §2.2, as editable data."""

from __future__ import annotations

from django.db import migrations

SOURCE = (
    "FEMA CPG 1-17 Outdoor Warning Systems Guide (1980) and the FEMA technical bulletin (2006): rate at 100 ft "
    "(≈30 m), subtract about 10 dB per doubling of distance, the 70 dB contour is the effective range. "
    "Spherical spreading alone is 6 dB per doubling; the rest is air absorption, ground and buildings."
)


def add(apps, schema_editor):  # type: ignore[no-untyped-def]
    setting = apps.get_model("sirens", "PropagationSetting")
    if not setting.objects.exists():
        setting.objects.create(
            name="CPG 1-17", reference_m=30.0, loss_per_doubling_db=10.0, threshold_db=70.0, area_cell_m=100.0,
            source=SOURCE, active=True,
        )  # fmt: skip
    target = apps.get_model("sirens", "CoverageTarget")
    if not target.objects.exists():
        target.objects.create(
            metric="area", target_percent=90.0,
            basis="县(市)级以上城市警报音响覆盖率要达到90%以上 (provincial opinion, domain-facts.md §2.2)",
        )  # fmt: skip


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("sirens", "PropagationSetting").objects.filter(name="CPG 1-17").delete()


class Migration(migrations.Migration):
    dependencies = [("sirens", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
