"""The city-model registries: population blocks and road networks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renfang.citymodel import api, filters, forms, tables
from renfang.citymodel.models import PopulationBlock, RoadNetwork
from renfang.core.permissions import ADMIN_ONLY
from renfang.core.registry import Registry, register

register(
    Registry(
        model=PopulationBlock,
        filterset=filters.PopulationBlockFilterSet,
        form=forms.PopulationBlockForm,
        table=tables.PopulationBlockTable,
        serializer=api.PopulationBlockSerializer,
        slug="population-blocks",
        nav_group="city",
        select_related=("region", "defence_zone"),
    )
)
road_networks = register(
    Registry(
        model=RoadNetwork,
        configuration=True,
        filterset=filters.RoadNetworkFilterSet,
        form=forms.RoadNetworkForm,
        table=tables.RoadNetworkTable,
        serializer=api.RoadNetworkSerializer,
        slug="road-networks",
        nav_group="city",
        edit_roles=ADMIN_ONLY | {"city_staff"},
        import_fields=("name", "source", "region", "is_active"),
        allow_add=False,
        allow_import=False,
        list_actions=(("citymodel:osm_import", _("Import an OpenStreetMap file")),),
        geometry=lambda n: (
            {
                "type": "Polygon",
                "coordinates": [
                    [
                        [n.bbox[0], n.bbox[1]],
                        [n.bbox[2], n.bbox[1]],
                        [n.bbox[2], n.bbox[3]],
                        [n.bbox[0], n.bbox[3]],
                        [n.bbox[0], n.bbox[1]],
                    ]
                ],
            }
            if n.bbox
            else None
        ),
    )
)
road_networks.api_viewset = type(
    "RoadNetworkViewSet",
    (api.RoadNetworkViewSet,),
    {
        "registry": road_networks,
        "serializer_class": api.RoadNetworkSerializer,
        "filterset_class": filters.RoadNetworkFilterSet,
        "queryset": RoadNetwork.objects.none(),
    },
)
