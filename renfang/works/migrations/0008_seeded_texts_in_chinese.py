"""The seeded standards and rules explained in Chinese, the language of the office (issue 13): a text is
replaced only while it is still the one the earlier migration wrote, so an office's own wording stays."""

from __future__ import annotations

from django.db import migrations

STANDARDS = {
    "GB 50038 practice: 1.0 m² of sheltering area per person (二等人员掩蔽)": "按 GB 50038 通行做法，二等人员掩蔽每人 1.0 m² 掩蔽面积",
    "Same per-person area as class 2 until the office sets its own (unconfirmed)": "暂按二等人员掩蔽的人均面积，待本办确定（未经确认）",
    "About 3 m² per team member (unconfirmed; set the office's own figure)": "每名队员约 3 m²（未经确认，请按本办标准修改）",
}
RULES = {
    "A capacity more than 20 % away from area ÷ standard, or a sheltering work without area": "掩蔽人数与“掩蔽面积 ÷ 人均标准”相差 20 % 以上，或掩蔽工程未填掩蔽面积",
    "The work's or shelter's point is outside the boundary of its district": "工程或避难场所的位置不在其所属区县的边界内",
    "Two works of one district closer than 20 m, or with the same name within 200 m": "同一区县两处工程相距不足 20 m，或 200 m 内同名",
    "A work or shelter not updated for 365 days": "工程或避难场所超过 365 天未更新",
}


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for model, field, texts in (("CapacityStandard", "basis", STANDARDS), ("QualityRule", "description", RULES)):
        rows = apps.get_model("works", model).objects
        for english, chinese in texts.items():
            rows.filter(**{field: english}).update(**{field: chinese})


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for model, field, texts in (("CapacityStandard", "basis", STANDARDS), ("QualityRule", "description", RULES)):
        rows = apps.get_model("works", model).objects
        for english, chinese in texts.items():
            rows.filter(**{field: chinese}).update(**{field: english})


class Migration(migrations.Migration):
    dependencies = [("works", "0007_location_note")]
    operations = [migrations.RunPython(forwards, backwards)]
