from renfang.evacuation.models.places import AssemblyPoint, EvacuationBase, Pairing, ReceptionArea, TrunkRoute
from renfang.evacuation.models.plans import EvacuationGroup, EvacuationPlan, PlanDistrict
from renfang.evacuation.models.routing import EvacuationRoute, EvacuationRun, RoadLoad, SourceSchedule
from renfang.evacuation.models.runs import AssignmentFlow, AssignmentRun, BlockResult, PlanningParameters, WorkLoad

__all__ = [
    "AssemblyPoint",
    "AssignmentFlow",
    "AssignmentRun",
    "BlockResult",
    "EvacuationBase",
    "EvacuationGroup",
    "EvacuationPlan",
    "EvacuationRoute",
    "EvacuationRun",
    "Pairing",
    "PlanDistrict",
    "PlanningParameters",
    "ReceptionArea",
    "RoadLoad",
    "SourceSchedule",
    "TrunkRoute",
    "WorkLoad",
]
