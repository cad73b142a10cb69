"""Choices of the approvals app: an application's states (forwards only), events, bureaus, materials."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting acceptance")
    CORRECTION = "correction", _("Waiting for the applicant's corrections")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    REVIEW = "review", _("Accepted, under review")
    DECIDED = "decided", _("Decided, to be issued")
    ISSUED = "issued", _("Issued")
    DISCLOSED = "disclosed", _("Issued and disclosed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# where each state may go (services.transition enforces it: nothing moves backwards)
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (Status.SUBMITTED, Status.WITHDRAWN),
    Status.SUBMITTED: (Status.REVIEW, Status.NOT_ACCEPTED, Status.CORRECTION, Status.WITHDRAWN),
    Status.CORRECTION: (Status.SUBMITTED, Status.REVIEW, Status.WITHDRAWN),
    Status.REVIEW: (Status.CORRECTION, Status.DECIDED, Status.WITHDRAWN),
    Status.DECIDED: (Status.ISSUED,),
    Status.ISSUED: (Status.DISCLOSED,),
    Status.NOT_ACCEPTED: (),
    Status.DISCLOSED: (),
    Status.WITHDRAWN: (),
}
OPEN_STATUSES = (Status.SUBMITTED, Status.CORRECTION, Status.REVIEW, Status.DECIDED)


class EventKind(models.TextChoices):
    CREATED = "created", _("Application started")
    SUBMITTED = "submitted", _("Submitted")
    UPLOADED = "uploaded", _("Material uploaded")
    ACCEPTED = "accepted", _("Accepted")
    ACCEPTED_DEFERRED = "accepted_deferred", _("Accepted with items to follow (容缺受理)")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    CORRECTION_REQUESTED = "correction_requested", _("Corrections requested (补正)")
    CORRECTION_ANSWERED = "correction_answered", _("Corrections supplied")
    OPINION = "opinion", _("Opinion of another bureau")
    ASSESSED = "assessed", _("Required area and fee assessed")
    DECIDED = "decided", _("Decided")
    ISSUED = "issued", _("Issued at the window")
    DISCLOSED = "disclosed", _("Disclosed")
    COMMITMENT_KEPT = "commitment_kept", _("Commitment kept")
    COMMITMENT_BROKEN = "commitment_broken", _("Commitment broken")
    VISIT = "visit", _("Counter visit")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Bureau(models.TextChoices):
    APPROVAL_BUREAU = "approval_bureau", _("Administrative Approval Bureau (行政审批局)")
    PLANNING = "planning", _("Planning bureau (规划局)")
    CONSTRUCTION = "construction", _("Housing and construction bureau (建设局)")
    OTHER = "other", _("Other department")


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Obligation(models.TextChoices):
    BUILD = "build", _("Builds the shelter with the building (结建)")
    RELOCATE = "relocate", _("Exempted: pays the relocation fee (易地建设)")
    NONE = "none", _("No shelter required")


class CommitmentState(models.TextChoices):
    OPEN = "open", _("Open")
    KEPT = "kept", _("Kept")
    BROKEN = "broken", _("Broken")


class MaterialState(models.TextChoices):
    PROVIDED = "provided", _("Provided")
    DEFERRED = "deferred", _("To follow under the commitment")
    MISSING = "missing", _("Missing")
