"""The works registries: works and their parts, emergency shelters, capacity standards."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renfang.core.choices import Department
from renfang.core.context_processors import analysis
from renfang.core.permissions import ADMIN_ONLY, MAINTAINER_SEES
from renfang.core.registry import Registry, register
from renfang.works import api, filters, forms, tables
from renfang.works.models import (
    CapacityStandard,
    ConversionTask,
    Defect,
    DefectType,
    Entrance,
    Inspection,
    ProtectiveUnit,
    QualityRule,
    QualitySupervision,
    RectificationTask,
    Shelter,
    Work,
    WorkAttachment,
)

# city staff of the works department keep the works registry; district staff keep their district's
WORKS = frozenset({Department.WORKS, Department.READINESS})

register(
    Registry(
        model=Work,
        export_extra=(("capacity", _("sheltering capacity")), ("hours_to_ready", _("hours to wartime readiness"))),
        view_roles=MAINTAINER_SEES,
        filterset=filters.WorkFilterSet,
        form=forms.WorkForm,
        table=tables.WorkTable,
        serializer=api.WorkSerializer,
        slug="works",
        nav_group="works",
        detail_fields=(
            "code",
            "name",
            "work_type",
            "construction_form",
            "protection_category",
            "nuclear_class",
            "conventional_class",
            "chemical_class",
            "building_area",
            "sheltering_area",
            "capacity",
            "capacity_override_reason",
            "hours_to_ready",
            "region",
            "defence_zone",
            "address",
            "lon",
            "lat",
            "status",
            "peacetime_use",
            "wartime_use",
            "completed_on",
            "property_holder",
            "property_registration",
            "maintainer",
            "insured",
            "insurance_until",
            "signage",
            "open_to_public",
            "sensitive",
            "description",
        ),  # fmt: skip
        departments=WORKS,
        select_related=("region", "defence_zone", "maintainer"),
        related=(
            ("works.protectiveunit", "work"),
            ("works.entrance", "work"),
            ("works.conversiontask", "work"),
            ("works.workattachment", "work"),
            ("works.inspection", "work"),
            ("works.rectificationtask", "work"),
            ("works.qualitysupervision", "work"),
        ),
        list_actions=(("works:readiness", _("Readiness")), ("works:data_quality", _("Data quality"))),
    )
)
for model, filterset, form, table, serializer, slug in (
    (
        ProtectiveUnit,
        filters.ProtectiveUnitFilterSet,
        forms.ProtectiveUnitForm,
        tables.ProtectiveUnitTable,
        api.ProtectiveUnitSerializer,
        "protective-units",
    ),
    (
        Entrance,
        filters.EntranceFilterSet,
        forms.EntranceForm,
        tables.EntranceTable,
        api.EntranceSerializer,
        "entrances",
    ),
    (
        ConversionTask,
        filters.ConversionTaskFilterSet,
        forms.ConversionTaskForm,
        tables.ConversionTaskTable,
        api.ConversionTaskSerializer,
        "conversion-tasks",
    ),
):
    register(
        Registry(
            model=model,
            filterset=filterset,
            form=form,
            table=table,
            serializer=serializer,
            slug=slug,
            nav_group="works",
            departments=WORKS,
            select_related=("work",),
        )
    )
register(
    Registry(
        model=WorkAttachment,
        filterset=filters.WorkAttachmentFilterSet,
        form=forms.WorkAttachmentForm,
        table=tables.WorkAttachmentTable,
        serializer=api.WorkAttachmentSerializer,
        slug="work-files",
        nav_group="works",
        departments=WORKS,
        select_related=("work",),
        allow_import=False,
    )
)
register(
    Registry(
        model=Shelter,
        filterset=filters.ShelterFilterSet,
        form=forms.ShelterForm,
        table=tables.ShelterTable,
        serializer=api.ShelterSerializer,
        slug="shelters",
        nav_group="works",
        departments=WORKS,
        select_related=("region", "work"),
    )
)
register(
    Registry(
        model=CapacityStandard,
        configuration=True,
        filterset=filters.CapacityStandardFilterSet,
        form=forms.CapacityStandardForm,
        table=tables.CapacityStandardTable,
        serializer=api.CapacityStandardSerializer,
        slug="capacity-standards",
        nav_group="works",
        edit_roles=ADMIN_ONLY | {"city_staff"},
        departments=WORKS,
    )
)

register(
    Registry(
        model=DefectType,
        configuration=True,
        filterset=filters.DefectTypeFilterSet,
        form=forms.DefectTypeForm,
        table=tables.DefectTypeTable,
        serializer=api.DefectTypeSerializer,
        slug="defect-types",
        nav_group="works",
        edit_roles=ADMIN_ONLY | {"city_staff"},
        departments=WORKS,
    )
)
register(
    Registry(
        model=Inspection,
        view_roles=MAINTAINER_SEES,
        filterset=filters.InspectionFilterSet,
        form=forms.InspectionForm,
        table=tables.InspectionTable,
        serializer=api.InspectionSerializer,
        slug="inspections",
        nav_group="works",
        departments=WORKS,
        select_related=("work",),
        related=(("works.defect", "inspection"),),
    )
)
register(
    Registry(
        model=Defect,
        filterset=filters.DefectFilterSet,
        form=forms.DefectForm,
        table=tables.DefectTable,
        serializer=api.DefectSerializer,
        slug="defects",
        nav_group="works",
        detail_fields=(
            "inspection",
            "defect_type",
            "severity",
            "description",
            "photo",
            "owner",
            "deadline",
            "task__status",
        ),
        departments=WORKS,
        select_related=("inspection__work", "defect_type", "owner", "task"),
        related=(("works.rectificationtask", "defect"),),
        allow_import=False,
    )
)
rectification_tasks = register(
    Registry(
        model=RectificationTask,
        view_roles=MAINTAINER_SEES,
        filterset=filters.RectificationTaskFilterSet,
        form=forms.RectificationTaskForm,
        table=tables.RectificationTaskTable,
        serializer=api.RectificationTaskSerializer,
        slug="rectification-tasks",
        nav_group="works",
        detail_fields=(
            "defect__defect_type",
            "defect__description",
            "work",
            "severity",
            "owner",
            "deadline",
            "status",
            "overdue",
            "reported_on",
            "reinspection",
            "reinspections",
            "closed_on",
            "notes",
        ),  # fmt: skip
        departments=WORKS,
        select_related=("work", "defect__defect_type", "owner"),
        allow_add=False,
        allow_import=False,
        detail_actions=(("works:task_report", _("Report rectified")), ("works:task_reinspect", _("Re-inspect"))),
        action_roles={"works:task_report": frozenset({"maintenance"})},
    )
)
rectification_tasks.api_viewset = type(
    "RectificationTaskViewSet",
    (api.RectificationTaskViewSet,),
    {
        "registry": rectification_tasks,
        "serializer_class": api.RectificationTaskSerializer,
        "filterset_class": filters.RectificationTaskFilterSet,
        "queryset": RectificationTask.objects.none(),
    },
)
register(
    Registry(
        model=QualitySupervision,
        filterset=filters.QualitySupervisionFilterSet,
        form=forms.QualitySupervisionForm,
        table=tables.QualitySupervisionTable,
        serializer=api.QualitySupervisionSerializer,
        slug="quality-supervision",
        nav_group="works",
        departments=WORKS,
        select_related=("work",),
    )
)
register(
    Registry(
        model=QualityRule,
        configuration=True,
        filterset=filters.QualityRuleFilterSet,
        form=forms.QualityRuleForm,
        table=tables.QualityRuleTable,
        serializer=api.QualityRuleSerializer,
        slug="data-quality-rules",
        nav_group="works",
        edit_roles=ADMIN_ONLY | {"city_staff"},
        departments=WORKS,
        allow_add=False,
        allow_import=False,
    )
)

# the analyses of works, in the menu of those who may see the works registry
analysis(_("Readiness of sheltering capacity"), "works:readiness", "works.work")
analysis(_("Data quality"), "works:data_quality", "works.work")
