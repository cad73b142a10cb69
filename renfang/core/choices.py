"""Choice sets used across Renfang. Each value carries a colour so badges look the same everywhere."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    CITY_STAFF = "city_staff", _("City office staff")
    DISTRICT_STAFF = "district_staff", _("District office staff")
    DUTY_OFFICER = "duty_officer", _("Duty officer")
    COMMANDER = "commander", _("Commander")
    LEADERSHIP = "leadership", _("Leadership (read-only)")
    APPLICANT = "applicant", _("Applicant")
    MAINTENANCE = "maintenance", _("Maintenance party")


class Department(models.TextChoices):
    WORKS = "works", _("Works (工程)")
    COMMAND = "command", _("Command and communications")
    APPROVALS = "approvals", _("Approvals")
    ENFORCEMENT = "enforcement", _("Enforcement")
    PUBLICITY = "publicity", _("Publicity and education")
    READINESS = "readiness", _("Readiness and evacuation")


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District or county")
    STREET = "street", _("Street or town")
    COMMUNITY = "community", _("Community or village")


# Depth of each level in the tree and the number of digits of its GB/T 2260 (or extended) code.
REGION_LEVEL_DIGITS = {
    RegionLevel.PROVINCE: 6,
    RegionLevel.CITY: 6,
    RegionLevel.DISTRICT: 6,
    RegionLevel.STREET: 9,
    RegionLevel.COMMUNITY: 12,
}
REGION_PARENT_LEVEL = {
    RegionLevel.CITY: RegionLevel.PROVINCE,
    RegionLevel.DISTRICT: RegionLevel.CITY,
    RegionLevel.STREET: RegionLevel.DISTRICT,
    RegionLevel.COMMUNITY: RegionLevel.STREET,
}


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")


CHANGE_ACTION_COLOURS = {"create": "success", "update": "primary", "delete": "danger"}


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


JOB_STATUS_COLOURS = {"pending": "secondary", "running": "info", "succeeded": "success", "failed": "danger"}


class OrganisationKind(models.TextChoices):
    BUILDER = "builder", _("Builder (建设单位)")
    MAINTAINER = "maintainer", _("Maintenance party (维护管理单位)")
    INTERMEDIARY = "intermediary", _("Intermediary (中介机构)")
    TEAM_PARENT = "team_parent", _("Parent unit of a team")
    IMPORTANT_TARGET = "important_target", _("Important economic target (重要经济目标)")


class CoordinateSystem(models.TextChoices):
    WGS84 = "wgs84", _("WGS-84 / CGCS2000 (GPS, 天地图, OpenStreetMap)")
    GCJ02 = "gcj02", _("GCJ-02 (高德, 腾讯)")
    BD09 = "bd09", _("BD-09 (百度)")
