"""English texts and CAP response types of the national signals (the CAP alert carries both languages)."""

from __future__ import annotations

from django.db import migrations

ENGLISH = {
    "pre_warning": ("Air-raid pre-warning", "An air attack is expected soon.",
                    "Get ready and go to a civil air defence shelter in an orderly way.", "Prepare"),
    "air_raid": ("Air-raid alarm", "An air attack is about to begin or is under way.",
                 "Take cover at once in the nearest shelter and follow the civil air defence instructions.", "Shelter"),
    "all_clear": ("All clear", "The air attack is over.",
                  "You may leave the shelters; beware of secondary hazards and follow instructions.", "AllClear"),
}  # fmt: skip


def add(apps, schema_editor):  # type: ignore[no-untyped-def]
    signal = apps.get_model("alarms", "Signal")
    for code, (name, meaning, action, response) in ENGLISH.items():
        signal.objects.filter(code=code, name_en="").update(
            name_en=name, meaning_en=meaning, action_en=action, response_type=response
        )


class Migration(migrations.Migration):
    dependencies = [("alarms", "0004_public_alerts")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
