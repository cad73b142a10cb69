from __future__ import annotations

from renfang.citymodel.models import PopulationBlock, RoadNetwork
from renfang.core.tables import Table


class PopulationBlockTable(Table):
    model = PopulationBlock
    columns = (
        "code",
        "name",
        "region",
        "defence_zone",
        "residents",
        "households",
        "day_population",
        "night_population",
        "lon",
        "lat",
        "updated",
    )
    default_columns = ("code", "name", "region", "defence_zone", "residents", "households")


class RoadNetworkTable(Table):
    model = RoadNetwork
    columns = ("name", "source", "is_active", "node_count", "edge_count", "length_km", "engine_version", "created")
    default_columns = ("name", "source", "is_active", "node_count", "edge_count", "length_km")
