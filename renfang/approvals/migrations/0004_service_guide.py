"""The 结建 approval's service guide as the office starts with it (the office edits it: 办事指南 registry)."""

from django.db import migrations

GUIDE = {
    "code": "RFJJ01",
    "name": "结合民用建筑修建防空地下室审批",
    "conditions": "城市规划区内新建民用建筑（含居住区、开发区、工业园区、保税区、重要经济目标区内的民用建筑），"
                  "按照国家和本地规定修建战时可用于防空的地下室；确因地质、地形等条件不能修建的，可申请易地建设，"
                  "按规定缴纳防空地下室易地建设费。",
    "legal_basis": "《中华人民共和国人民防空法》第二十二条；《人民防空工程建设管理规定》（国人防办字〔2003〕18号）"
                   "第四十五条至第四十八条；《中华人民共和国行政许可法》第三十二条、第四十二条。",
    "acceptance_days": 5,
    "decision_days": 20,
    "correction_days": 10,
    "deferral_days": 20,
    "disclosure_days": 20,
    "window": "市政务服务中心人防窗口",
    "fee_note": "不收取审批费用。经批准易地建设的，按规定标准缴纳防空地下室易地建设费，不得减免、缓缴（法定情形除外）。",
}
MATERIALS = [
    ("结合民用建筑修建防空地下室审批申请表", "建设单位盖章", True, False, "原件1份"),
    ("建设工程规划许可证或建设用地规划许可证", "含规划设计条件中的结建要求", True, False, "复印件1份"),
    ("人防工程建筑面积计算表", "按首层、地上总建筑面积分栋列明", True, False, "原件1份"),
    ("防空地下室施工图设计文件审查合格书", "施工图审查机构出具；可先受理后补交", False, True, "复印件1份"),
    ("授权委托书及受托人身份证明", "委托代理人办理时提交；可容缺", False, True, "原件1份"),
    ("易地建设申请及不能修建的证明材料", "申请易地建设时提交（地质勘察报告等）", False, False, "原件1份"),
]


def seed(apps, schema_editor):
    ServiceGuide = apps.get_model("approvals", "ServiceGuide")
    GuideMaterial = apps.get_model("approvals", "GuideMaterial")
    if ServiceGuide.objects.filter(code=GUIDE["code"]).exists():
        return
    guide = ServiceGuide.objects.create(**GUIDE)
    for order, (name, description, core, deferrable, copies) in enumerate(MATERIALS, 1):
        GuideMaterial.objects.create(guide=guide, order=order, name=name, description=description, core=core,
                                     deferrable=deferrable, copies=copies)


class Migration(migrations.Migration):
    dependencies = [("approvals", "0003_applications")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
