from django.db import migrations


def load(apps, schema_editor):
    from renfang.approvals.rules import model_fields, shipped_rules

    RuleSet = apps.get_model("approvals", "RuleSet")
    for data in shipped_rules():
        fields = model_fields(data)
        if not RuleSet.objects.filter(code=fields["code"], version=fields["version"]).exists():
            RuleSet.objects.create(**fields)


class Migration(migrations.Migration):
    dependencies = [("approvals", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
