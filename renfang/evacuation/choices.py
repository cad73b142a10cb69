from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Timing(models.TextChoices):
    EARLY = "early", _("Early evacuation (早期疏散)")
    IMMINENT = "imminent", _("Imminent-war evacuation (临战疏散)")
    EMERGENCY = "emergency", _("Emergency evacuation (紧急疏散)")


class TransportMode(models.TextChoices):
    WALK = "walk", _("On foot (步行)")
    BUS = "bus", _("Buses and coaches (客车)")
    RAIL = "rail", _("Rail (铁路)")
    CAR = "car", _("Own vehicles (自驾)")
    SHIP = "ship", _("Ships (船舶)")
    MIXED = "mixed", _("Mixed (多种方式)")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (草案)")
    APPROVED = "approved", _("Approved (已批准)")
    SUPERSEDED = "superseded", _("Superseded (已替代)")


class GroupKind(models.TextChoices):
    STREET = "street", _("Street (街道)")
    COMMUNITY = "community", _("Community (社区)")
    UNIT = "unit", _("Work unit (单位)")


class PopulationBasis(models.TextChoices):
    NIGHT = "night", _("Night population (夜间人口)")
    DAY = "day", _("Day population (日间人口)")
    RESIDENTS = "residents", _("Resident population (常住人口)")


class EvacueeSource(models.TextChoices):
    BLOCKS = "blocks", _("Their blocks (疏散人口按街区)")
    GROUPS = "groups", _("The plan's groups at their assembly points (编组集结点)")
