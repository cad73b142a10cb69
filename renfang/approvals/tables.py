from __future__ import annotations

from renfang.approvals.models import Assessment, RuleSet
from renfang.core.tables import Table


class RuleSetTable(Table):
    model = RuleSet
    columns = (
        "name",
        "code",
        "version",
        "jurisdiction",
        "effective_from",
        "effective_to",
        "example",
        "reason",
        "created",
    )
    default_columns = ("name", "code", "version", "jurisdiction", "effective_from", "effective_to", "example")
    link_columns = ("name",)


class AssessmentTable(Table):
    model = Assessment
    columns = ("created", "rule_set", "assessed_on", "case", "required_area_m2", "grade", "fee_yuan", "made_by")
    link_columns = ("created",)
