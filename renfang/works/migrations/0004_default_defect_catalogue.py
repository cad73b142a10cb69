"""A starting defect catalogue from the typical site-check items (domain-facts.md §9.4).

Codes, names, severities and deadlines are data: each office edits the catalogue on its own pages.
"""

from __future__ import annotations

from django.db import migrations

DEFAULTS = [
    ("FH-01", "防护密闭门、密闭门损坏或不能关闭", "critical", 30),
    ("FH-02", "防爆波活门、密闭阀门缺失或失效", "critical", 30),
    ("FH-03", "临战封堵构件缺失", "minor", 60),
    ("CK-01", "出入口或疏散通道堵塞", "critical", 7),
    ("AQ-01", "工程内停放或充电电动自行车", "critical", 3),
    ("AQ-02", "工程内存放易燃易爆物品", "critical", 3),
    ("SB-01", "通风、给排水或供电设备不能正常运行", "minor", 30),
    ("SB-02", "渗漏水", "minor", 30),
    ("GL-01", "维护管理制度未建立或未落实", "minor", 30),
    ("GL-02", "人防标识缺失", "minor", 30),
]


def add(apps, schema_editor):  # type: ignore[no-untyped-def]
    defect_type = apps.get_model("works", "DefectType")
    for code, name, severity, days in DEFAULTS:
        defect_type.objects.get_or_create(
            code=code, defaults={"name": name, "severity": severity, "rectify_days": days}
        )


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("works", "DefectType").objects.filter(code__in=[d[0] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("works", "0003_inspections")]
    operations = [migrations.RunPython(add, remove)]
