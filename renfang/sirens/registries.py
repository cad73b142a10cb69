"""The siren registries (and where the coverage and siting pages hang from)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renfang.core.choices import Department
from renfang.core.context_processors import analysis
from renfang.core.permissions import ADMIN_ONLY, MAINTAINER_SEES
from renfang.core.registry import Registry, register
from renfang.sirens import api, filters, forms, tables
from renfang.sirens.models import (
    CandidateSite,
    CoverageTarget,
    Fault,
    InstallationTask,
    MaintenanceCheck,
    PropagationSetting,
    Siren,
    SirenGroup,
    SirenModel,
)

# the command & communications department keeps the sirens (district staff keep their district's)
COMMAND = frozenset({Department.COMMAND})
CITY_EDITORS = ADMIN_ONLY | {"city_staff"}

register(
    Registry(
        model=Siren,
        view_roles=MAINTAINER_SEES,
        filterset=filters.SirenFilterSet,
        form=forms.SirenForm,
        table=tables.SirenTable,
        serializer=api.SirenSerializer,
        slug="sirens",
        nav_group="sirens",
        departments=COMMAND,
        select_related=("region", "model", "host_unit", "maintainer", "defence_zone"),
        related=(("sirens.maintenancecheck", "siren"), ("sirens.fault", "siren"), ("sirens.installationtask", "siren")),
        list_actions=(("sirens:coverage", _("Coverage")), ("sirens:siting", _("Siting"))),
        detail_fields=(
            "code",
            "name",
            "kind",
            "model",
            "effective_rated_db",
            "power_kw",
            "head_type",
            "height_m",
            "region",
            "defence_zone",
            "address",
            "lon",
            "lat",
            "host_unit",
            "maintainer",
            "controller_address",
            "power_supply",
            "backup_hours",
            "via_wired",
            "via_radio",
            "via_cellular",
            "via_satellite",
            "central_control",
            "installed_on",
            "state",
            "description",
        ),  # fmt: skip
    )
)
for model, slug, extra in (
    (SirenModel, "siren-models", {"edit_roles": CITY_EDITORS, "configuration": True}),
    (SirenGroup, "siren-groups", {}),
    (CandidateSite, "candidate-sites", {}),
    (InstallationTask, "installation-tasks", {"select_related": ("region", "model", "siren")}),
    (MaintenanceCheck, "siren-checks", {"select_related": ("siren",), "view_roles": MAINTAINER_SEES}),
    (Fault, "siren-faults", {"select_related": ("siren",), "view_roles": MAINTAINER_SEES}),
    (PropagationSetting, "propagation-models",
     {"edit_roles": CITY_EDITORS, "allow_import": False, "configuration": True}),
    (CoverageTarget, "coverage-targets", {"edit_roles": CITY_EDITORS, "allow_import": False, "configuration": True}),
):
    name = model.__name__
    register(
        Registry(
            model=model,
            filterset=getattr(filters, f"{name}FilterSet"),
            form=getattr(forms, f"{name}Form"),
            table=getattr(tables, f"{name}Table"),
            serializer=getattr(api, f"{name}Serializer"),
            slug=slug,
            nav_group="sirens",
            departments=COMMAND,
            **extra,  # type: ignore[arg-type]
        )
    )

# the analyses of sirens, in the menu of those who may see the sirens registry
analysis(_("Siren coverage"), "sirens:coverage", "sirens.siren")
analysis(_("Siren siting"), "sirens:siting", "sirens.siren")
