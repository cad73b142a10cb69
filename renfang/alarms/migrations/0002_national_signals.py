"""The three national signals (domain-facts.md §1.1); local ones (e.g. a 灾情警报) are added per city."""

from __future__ import annotations

from django.db import migrations

SIGNALS = [
    ("pre_warning", "预先警报", [[36, 24]], 3, 1,
     "敌人即将空袭。", "立即做好防空准备，有组织地进入人防工程或就近掩蔽。"),
    ("air_raid", "空袭警报", [[6, 6]], 15, 2,
     "敌人空袭即将开始或正在进行。", "迅速进入人防工程或就近隐蔽，听从人防指挥。"),
    ("all_clear", "解除警报", [[180, 0]], 1, 3,
     "空袭已经结束。", "可以离开人防工程，注意防范次生灾害，听从统一安排。"),
]  # fmt: skip


def add(apps, schema_editor):  # type: ignore[no-untyped-def]
    signal = apps.get_model("alarms", "Signal")
    for code, name, segments, repeats, order, meaning, action in SIGNALS:
        signal.objects.get_or_create(
            code=code,
            defaults={"name": name, "segments": segments, "repeats": repeats, "order": order, "meaning": meaning,
                      "action": action},
        )  # fmt: skip


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("alarms", "Signal").objects.filter(code__in=[s[0] for s in SIGNALS]).delete()


class Migration(migrations.Migration):
    dependencies = [("alarms", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
