"""The seeded propagation model's source explained in Chinese (issue 13), only while it is still the seeded text."""

from __future__ import annotations

from django.db import migrations

ENGLISH = (
    "FEMA CPG 1-17 Outdoor Warning Systems Guide (1980) and the FEMA technical bulletin (2006): rate at 100 ft "
    "(≈30 m), subtract about 10 dB per doubling of distance, the 70 dB contour is the effective range. "
    "Spherical spreading alone is 6 dB per doubling; the rest is air absorption, ground and buildings."
)
CHINESE = (
    "美国 FEMA《室外警报系统指南》CPG 1-17（1980）及 FEMA 技术公告（2006）：额定声级按 100 英尺（约 30 m）处计，"
    "距离每增加一倍约衰减 10 dB，70 dB 等值线为有效范围。仅球面扩散为每倍 6 dB，其余来自空气吸收、地面和建筑物。"
)


TARGET_ENGLISH = "县(市)级以上城市警报音响覆盖率要达到90%以上 (provincial opinion, domain-facts.md §2.2)"
TARGET_CHINESE = "县(市)级以上城市警报音响覆盖率要达到90%以上（省级实施意见）"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("sirens", "PropagationSetting").objects.filter(source=ENGLISH).update(source=CHINESE)
    apps.get_model("sirens", "CoverageTarget").objects.filter(basis=TARGET_ENGLISH).update(basis=TARGET_CHINESE)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("sirens", "PropagationSetting").objects.filter(source=CHINESE).update(source=ENGLISH)
    apps.get_model("sirens", "CoverageTarget").objects.filter(basis=TARGET_CHINESE).update(basis=TARGET_ENGLISH)


class Migration(migrations.Migration):
    dependencies = [("sirens", "0003_location_note")]
    operations = [migrations.RunPython(forwards, backwards)]
