from django.db import migrations


def seed(apps, schema_editor):
    from renfang.core.calendar import sync_from_package

    sync_from_package(year_model=apps.get_model("core", "CalendarYear"), day_model=apps.get_model("core", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("core", "0004_calendar")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
