"""A deterministic demo city: 东川市, a fictional prefecture-level city in Shandong.

Everything comes from one seed, so a demo, a test and a benchmark see the same city. Regions tile
their parents exactly (Voronoi cells of random seeds, clipped to the parent: convex cells inside a
convex parent stay convex, so every region is one simple polygon). The walking network is a dense
jittered grid in the urban core and a sparse one outside, cut by a river with bridges; the population
lives in blocks along the roads, denser towards the centre. The city code 3799xx is deliberately
unused by the real GB/T 2260 table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import Point, Polygon, box

from renfang.engine import EngineError
from renfang.engine.coords import haversine_m
from renfang.engine.graph import build_graph, largest_component_mask
from renfang.engine.uscc import ALPHABET, uscc_check_char

WEST, SOUTH, EAST, NORTH = 115.90, 36.39, 116.20, 36.61
CENTRE = (116.05, 36.50)
M_PER_DEG_LAT = 111_195.0
M_PER_DEG_LON = M_PER_DEG_LAT * math.cos(math.radians(36.5))
HIGHWAYS = ("primary", "secondary", "tertiary", "residential", "footway", "path", "track")
# street names for the arterial and collector lines of the grid: east-west lines are 路, north-south 街
NAME_WORDS = ("建设", "和平", "解放", "人民", "文化", "胜利", "光明", "新华", "青年", "振兴", "兴华", "朝阳",
              "团结", "幸福", "友谊", "民主", "长江", "黄河", "泰山", "滨河", "站前", "工业", "学府", "育才",
              "金桥", "银河", "春华", "秋实", "迎宾", "永安", "太平", "富民", "安居", "康宁", "德政",
              "仁和")  # fmt: skip

DISTRICTS = (  # code, name, seed point
    ("379902", "东川区", (116.05, 36.50)),
    ("379903", "临河区", (116.15, 36.53)),
    ("379904", "南山区", (116.05, 36.42)),
    ("379921", "望湖县", (115.95, 36.55)),
    ("379922", "清平县", (116.12, 36.59)),
)
STREET_WORDS = (
    "文化路",
    "古楼",
    "柳园",
    "新华",
    "湖西",
    "北城",
    "东城",
    "建设",
    "兴华",
    "振兴",
    "光明",
    "人民路",
    "青年路",
    "解放路",
    "向阳",
    "和平",
    "滨河",
    "站前",
    "湖滨",
    "花园",
    "卫育",
    "龙山",
    "凤凰",
    "金水",
)
TOWN_WORDS = (
    "郑家",
    "沙镇",
    "堂邑",
    "梁水",
    "张炉集",
    "于集",
    "许营",
    "闫寺",
    "侯营",
    "朱老庄",
    "顾官屯",
    "斗虎屯",
    "魏庄",
    "大张家",
    "十里铺",
    "韩集",
    "李台",
    "王奉",
    "杨屯",
    "贾镇",
)
COMMUNITY_WORDS = (
    "花园",
    "滨河",
    "安居",
    "幸福",
    "和谐",
    "阳光",
    "锦绣",
    "康乐",
    "振华",
    "明珠",
    "新苑",
    "广场",
    "育新",
    "春晖",
    "文苑",
    "金桥",
    "兴隆",
    "永安",
    "福星",
    "东关",
    "西关",
    "南关",
    "北关",
    "长安",
)
BLOCK_FIRST = (
    "阳光",
    "锦绣",
    "金色",
    "翡翠",
    "御景",
    "碧水",
    "幸福",
    "和平",
    "世纪",
    "东方",
    "盛世",
    "书香",
    "水岸",
    "香榭",
    "紫荆",
    "丽景",
    "鑫城",
    "嘉园",
    "星河",
    "龙湖",
    "润华",
    "恒大",
    "建业",
    "昌润",
)
BLOCK_SECOND = ("花园", "家园", "小区", "名苑", "雅居", "公寓", "新村", "名都", "华庭", "城", "府", "湾")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国建华志强海燕"


@dataclass(frozen=True)
class RegionSpec:
    code: str
    name: str
    level: str
    parent_code: str | None
    boundary: list[list[list[float]]] | None
    lon: float
    lat: float


@dataclass(frozen=True)
class ZoneSpec:
    code: str
    name: str
    district_code: str
    boundary: list[list[list[float]]]
    lon: float
    lat: float


@dataclass(frozen=True)
class BlockSpec:
    code: str
    name: str
    community_code: str
    zone_code: str
    residents: int
    households: int
    day_population: int
    night_population: int
    lon: float
    lat: float
    polygon: list[list[list[float]]] | None


@dataclass(frozen=True)
class OrgSpec:
    name: str
    uscc: str
    district_code: str
    kinds: tuple[str, ...]
    address: str
    contact: str
    phone: str
    lon: float
    lat: float


@dataclass(frozen=True, eq=False)
class RoadArrays:
    node_lon: NDArray[np.float64]
    node_lat: NDArray[np.float64]
    edge_u: NDArray[np.int32]
    edge_v: NDArray[np.int32]
    edge_highway: tuple[str, ...]
    edge_length_m: NDArray[np.float64]
    edge_name: tuple[str, ...]  # street names ('' for minor streets)


@dataclass(frozen=True, eq=False)
class DemoCity:
    seed: int
    scale: float
    province: RegionSpec
    city: RegionSpec
    districts: tuple[RegionSpec, ...]
    streets: tuple[RegionSpec, ...]
    communities: tuple[RegionSpec, ...]
    defence_zones: tuple[ZoneSpec, ...]
    roads: RoadArrays
    blocks: tuple[BlockSpec, ...]
    organisations: tuple[OrgSpec, ...]


def _coords(poly: Polygon) -> list[list[list[float]]]:
    return [[[round(x, 6), round(y, 6)] for x, y in poly.exterior.coords]]


def _point(poly: Polygon) -> tuple[float, float]:
    p = poly.representative_point()
    return round(p.x, 6), round(p.y, 6)


def _seeds(rng: np.random.Generator, poly: Polygon, count: int) -> list[tuple[float, float]]:
    west, south, east, north = poly.bounds
    seeds: list[tuple[float, float]] = []
    while len(seeds) < count:
        x, y = float(rng.uniform(west, east)), float(rng.uniform(south, north))
        if poly.contains(Point(x, y)):
            seeds.append((x, y))
    return seeds


def _partition(parent: Polygon, seeds: list[tuple[float, float]]) -> list[Polygon]:
    """Voronoi cells of ``seeds`` clipped to ``parent``, in the order of the seeds."""
    cells = shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=parent.buffer(1.0))
    out: list[Polygon] = []
    for x, y in seeds:
        cell = next(c for c in cells.geoms if c.contains(Point(x, y)))
        out.append(shapely.set_precision(cell.intersection(parent), 1e-7))
    return out


def _unique_names(rng: np.random.Generator, words: tuple[str, ...], count: int, suffix: str) -> list[str]:
    chosen = rng.permutation(len(words))[:count]
    return [words[i] + suffix for i in chosen]


def _regions(rng: np.random.Generator) -> tuple[list[RegionSpec], list[Polygon], list[ZoneSpec], list[Polygon]]:
    city_poly = box(WEST, SOUTH, EAST, NORTH)
    district_polys = _partition(city_poly, [seed for _, _, seed in DISTRICTS])
    regions = [
        RegionSpec("370000", "山东省", "province", None, None, 117.0, 36.67),
        RegionSpec("379900", "东川市", "city", "370000", _coords(city_poly), *CENTRE),
    ]
    community_polys: list[Polygon] = []
    zones: list[ZoneSpec] = []
    zone_polys: list[Polygon] = []
    for (code, name, _), dpoly in zip(DISTRICTS, district_polys, strict=True):
        regions.append(RegionSpec(code, name, "district", "379900", _coords(dpoly), *_point(dpoly)))
        is_county = code[4:] >= "21"
        n_streets = int(rng.integers(6, 11))
        towns = n_streets // 2 if is_county else int(rng.integers(0, 3))
        street_names = _unique_names(rng, STREET_WORDS, n_streets - towns, "街道") + _unique_names(
            rng, TOWN_WORDS, towns, "镇"
        )
        for s, spoly in enumerate(_partition(dpoly, _seeds(rng, dpoly, n_streets))):
            is_town = street_names[s].endswith("镇")
            scode = code + (f"{100 + s:03d}" if is_town else f"{1 + s:03d}")
            regions.append(RegionSpec(scode, street_names[s], "street", code, _coords(spoly), *_point(spoly)))
            n_comm = int(rng.integers(3, 7))
            suffix = "村" if is_town else "社区"
            comm_names = _unique_names(rng, COMMUNITY_WORDS, n_comm, suffix)
            for c, cpoly in enumerate(_partition(spoly, _seeds(rng, spoly, n_comm))):
                ccode = scode + (f"{200 + c:03d}" if is_town else f"{1 + c:03d}")
                regions.append(RegionSpec(ccode, comm_names[c], "community", scode, _coords(cpoly), *_point(cpoly)))
                community_polys.append(cpoly)
        n_zones = int(rng.integers(3, 7))
        numerals = "一二三四五六"
        for z, zpoly in enumerate(_partition(dpoly, _seeds(rng, dpoly, n_zones))):
            zones.append(
                ZoneSpec(f"{code}-FK{z + 1:02d}", f"{name}第{numerals[z]}防空片", code, _coords(zpoly), *_point(zpoly))
            )
            zone_polys.append(zpoly)
    return regions, community_polys, zones, zone_polys


def _grid(
    rng: np.random.Generator, spacing_m: float, keep: NDArray[np.bool_] | None = None, mask_fn: object = None
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64],
           NDArray[np.str_]]:  # fmt: skip
    """A jittered lattice over the city; returns lon, lat, edge u, v, the line rank (for road classes) and
    the street name of each edge (arterials and collectors only; minor streets have none, as in OSM)."""
    dx, dy = spacing_m / M_PER_DEG_LON, spacing_m / M_PER_DEG_LAT
    xs, ys = np.arange(WEST + dx / 2, EAST, dx), np.arange(SOUTH + dy / 2, NORTH, dy)
    gx, gy = np.meshgrid(xs, ys)
    ix, iy = np.meshgrid(np.arange(xs.size), np.arange(ys.size))
    lon = gx.ravel() + rng.uniform(-0.15, 0.15, gx.size) * dx
    lat = gy.ravel() + rng.uniform(-0.15, 0.15, gy.size) * dy
    ids = np.arange(gx.size).reshape(gx.shape)
    u = np.concatenate([ids[:, :-1].ravel(), ids[:-1, :].ravel()])
    v = np.concatenate([ids[:, 1:].ravel(), ids[1:, :].ravel()])
    # rank 0 for every 8th line (arterials), 1 for every 4th, 2 otherwise
    line = np.concatenate([iy[:, :-1].ravel(), ix[:-1, :].ravel()])
    rank = np.where(line % 8 == 0, 0, np.where(line % 4 == 0, 1, 2))
    east_west = np.concatenate([np.ones(ids[:, :-1].size, bool), np.zeros(ids[:-1, :].size, bool)])
    word = np.array(NAME_WORDS)[(line // 4 + np.where(east_west, 0, 17)) % len(NAME_WORDS)]
    name = np.where(rank < 2, np.char.add(word, np.where(east_west, "路", "街")), "")
    return lon, lat, u, v, rank, name


def _river_lat(lon: NDArray[np.float64]) -> NDArray[np.float64]:
    return 36.465 + 0.012 * np.sin((lon - WEST) * 21.0) + 0.004 * np.sin((lon - WEST) * 57.0)


def _roads(rng: np.random.Generator, scale: float) -> RoadArrays:
    factor = 1 / math.sqrt(scale)
    core_r = 6000.0
    parts = []
    for spacing, inside in ((85.0 * factor, True), (280.0 * factor, False)):
        lon, lat, u, v, rank, name = _grid(rng, spacing)
        r = haversine_m(lon, lat, CENTRE[0], CENTRE[1])
        keep_node = r < core_r if inside else r > core_r - 300
        keep_edge = keep_node[u] & keep_node[v] & (rng.random(u.size) > (0.04 if inside else 0.08))
        classes = np.array([0, 2, 3] if inside else [1, 2, 6])[rank]
        parts.append((lon, lat, keep_node, u[keep_edge], v[keep_edge], classes[keep_edge], name[keep_edge]))
    # stack both grids and renumber the kept nodes
    lons, lats, us, vs, cls, names = [], [], [], [], [], []
    offset = 0
    starts = []
    for lon, lat, keep_node, u, v, c, nm in parts:
        new_id = np.full(lon.size, -1, np.int64)
        new_id[keep_node] = np.arange(int(keep_node.sum())) + offset
        starts.append(offset)
        offset += int(keep_node.sum())
        lons.append(lon[keep_node])
        lats.append(lat[keep_node])
        us.append(new_id[u])
        vs.append(new_id[v])
        cls.append(c)
        names.append(nm)
    node_lon, node_lat = np.concatenate(lons), np.concatenate(lats)
    n_fine = starts[1]
    # stitch: every coarse node in the overlap ring joins its nearest fine node
    from scipy.spatial import cKDTree

    fine_xy = np.column_stack((node_lon[:n_fine] * M_PER_DEG_LON, node_lat[:n_fine] * M_PER_DEG_LAT))
    coarse = np.arange(n_fine, node_lon.size)
    ring = coarse[haversine_m(node_lon[coarse], node_lat[coarse], CENTRE[0], CENTRE[1]) < core_r + 200]
    d, nearest = cKDTree(fine_xy).query(
        np.column_stack((node_lon[ring] * M_PER_DEG_LON, node_lat[ring] * M_PER_DEG_LAT))
    )
    ok = d < 400
    us.append(ring[ok])
    vs.append(nearest[ok])
    cls.append(np.full(int(ok.sum()), 3))
    names.append(np.full(int(ok.sum()), ""))
    u, v, c, nm = np.concatenate(us), np.concatenate(vs), np.concatenate(cls), np.concatenate(names)
    # the river: edges crossing it survive only at bridges (every ~1.6 km)
    side = node_lat - _river_lat(node_lon) > 0
    crosses = side[u] != side[v]
    mid = (node_lon[u] + node_lon[v]) / 2
    bridge_lons = np.arange(WEST + 0.01, EAST, 1600 / M_PER_DEG_LON)
    at_bridge = np.min(np.abs(mid[:, None] - bridge_lons[None, :]), axis=1) * M_PER_DEG_LON < 0.6 * 85 * factor
    keep = ~crosses | at_bridge
    c = np.where(crosses & at_bridge, 0, c)
    u, v, c, nm = u[keep], v[keep], c[keep], nm[keep]
    # keep the connected city (drop the islands the random drops cut off)
    graph = build_graph(node_lon, node_lat, u, v)
    main = largest_component_mask(graph)
    renumber = np.full(node_lon.size, -1, np.int64)
    renumber[main] = np.arange(int(main.sum()))
    edge_ok = main[u] & main[v]
    u, v, c, nm = renumber[u[edge_ok]], renumber[v[edge_ok]], c[edge_ok], nm[edge_ok]
    node_lon, node_lat = np.round(node_lon[main], 6), np.round(node_lat[main], 6)
    length = np.asarray(haversine_m(node_lon[u], node_lat[u], node_lon[v], node_lat[v]), dtype=np.float64)
    return RoadArrays(node_lon, node_lat, u.astype(np.int32), v.astype(np.int32), tuple(HIGHWAYS[i] for i in c), length,
                      tuple(str(x) for x in nm))


def _find(tree: shapely.STRtree, polys: list[Polygon], x: float, y: float) -> int:
    for i in tree.query(Point(x, y), predicate="intersects"):
        return int(i)
    return int(tree.nearest(Point(x, y)))


def _blocks(
    rng: np.random.Generator,
    scale: float,
    roads: RoadArrays,
    regions: list[RegionSpec],
    community_polys: list[Polygon],
    zones: list[ZoneSpec],
    zone_polys: list[Polygon],
) -> list[BlockSpec]:
    communities = [r for r in regions if r.level == "community"]
    ctree, ztree = shapely.STRtree(community_polys), shapely.STRtree(zone_polys)
    r = haversine_m(roads.node_lon, roads.node_lat, CENTRE[0], CENTRE[1])
    weight = np.exp(-np.asarray(r) / 3500.0) + 0.02
    count = max(20, int(round(2200 * scale)))
    nodes = rng.choice(roads.node_lon.size, size=count, replace=False, p=weight / weight.sum())
    blocks: list[BlockSpec] = []
    for i, node in enumerate(sorted(int(n) for n in nodes)):
        dist_c = float(r[node])
        urban = dist_c < 6000
        angle, off = rng.uniform(0, 2 * math.pi), rng.uniform(10, 60)
        x = float(roads.node_lon[node] + off * math.cos(angle) / M_PER_DEG_LON)
        y = float(roads.node_lat[node] + off * math.sin(angle) / M_PER_DEG_LAT)
        x, y = min(max(x, WEST + 1e-4), EAST - 1e-4), min(max(y, SOUTH + 1e-4), NORTH - 1e-4)
        community = communities[_find(ctree, community_polys, x, y)]
        zone = zones[_find(ztree, zone_polys, x, y)]
        if urban:
            residents = int(rng.integers(60, 320) * (1.5 if dist_c < 2500 else 1.0))
            first, second = (
                BLOCK_FIRST[int(rng.integers(len(BLOCK_FIRST)))],
                BLOCK_SECOND[int(rng.integers(len(BLOCK_SECOND)))],
            )
            name = first + second + ("" if rng.random() < 0.7 else ("一期", "二期", "三期")[int(rng.integers(3))])
        else:
            residents = int(rng.integers(40, 250))
            name = SURNAMES[int(rng.integers(len(SURNAMES)))] + ("家村", "庄", "屯", "集")[int(rng.integers(4))]
        households = max(1, int(round(residents / rng.uniform(2.4, 3.1))))
        day_factor = rng.uniform(1.3, 2.5) if dist_c < 2000 else rng.uniform(0.5, 0.85)
        polygon = None
        if rng.random() < 0.5:
            w, h = rng.uniform(80, 250) / M_PER_DEG_LON / 2, rng.uniform(80, 250) / M_PER_DEG_LAT / 2
            polygon = _coords(box(x - w, y - h, x + w, y + h))
        blocks.append(
            BlockSpec(
                code=f"B{i + 1:06d}",
                name=name,
                community_code=community.code,
                zone_code=zone.code,
                residents=residents,
                households=households,
                day_population=int(residents * day_factor),
                night_population=residents,
                lon=round(x, 6),
                lat=round(y, 6),
                polygon=polygon,
            )
        )
    return blocks


ORG_KINDS = (  # kinds, name patterns, credit-code prefix (91 enterprise, 12 public institution)
    (("builder",), ("{p}建设集团有限公司", "{p}置业有限公司", "{p}房地产开发有限公司"), "91"),
    (("maintainer",), ("{p}物业服务有限公司", "{p}物业管理有限公司"), "91"),
    (("builder", "maintainer"), ("{p}城市建设投资有限公司",), "91"),
    (("intermediary",), ("{p}工程咨询有限公司", "{p}建筑设计研究院有限公司", "{p}工程监理有限公司"), "91"),
    (("team_parent",), ("东川市{p}医院", "东川市{p}供水公司", "东川市{p}燃气公司"), "12"),
    (
        ("important_target", "team_parent"),
        ("东川{p}热电厂", "东川{p}水厂", "{p}220千伏变电站", "东川{p}通信枢纽"),
        "91",
    ),
)


def _organisations(rng: np.random.Generator, regions: list[RegionSpec], roads: RoadArrays) -> list[OrgSpec]:
    districts = [r for r in regions if r.level == "district"]
    orgs: list[OrgSpec] = []
    seen: set[str] = set()
    while len(orgs) < 120:
        kinds, patterns, prefix = ORG_KINDS[int(rng.choice(len(ORG_KINDS), p=[0.3, 0.25, 0.05, 0.15, 0.12, 0.13]))]
        word = (STREET_WORDS + COMMUNITY_WORDS)[int(rng.integers(len(STREET_WORDS) + len(COMMUNITY_WORDS)))]
        name = patterns[int(rng.integers(len(patterns)))].format(p=word.removesuffix("路"))
        if name in seen:
            continue
        seen.add(name)
        district = districts[int(rng.integers(len(districts)))]
        body = prefix + district.code + "".join(ALPHABET[int(i)] for i in rng.integers(0, len(ALPHABET), 9))
        node = int(rng.integers(roads.node_lon.size))
        person = SURNAMES[int(rng.integers(len(SURNAMES)))] + GIVEN[int(rng.integers(len(GIVEN)))]
        road = STREET_WORDS[int(rng.integers(len(STREET_WORDS)))].removesuffix("路")
        number = int(rng.integers(1, 300))
        orgs.append(
            OrgSpec(
                name=name,
                uscc=body + uscc_check_char(body),
                district_code=district.code,
                kinds=kinds,
                address=f"{district.name}{road}路{number}号",
                contact=person,
                phone=f"0635-{int(rng.integers(2000000, 9000000))}",
                lon=float(roads.node_lon[node]),
                lat=float(roads.node_lat[node]),
            )
        )
    return orgs


def generate_city(seed: int = 2026, scale: float = 1.0) -> DemoCity:
    """The demo city for ``seed``; ``scale`` multiplies road nodes and blocks (1.0: ~25k nodes, ~420k people)."""
    if not 0.01 <= scale <= 20:
        raise EngineError(f"scale must be between 0.01 and 20, not {scale}")
    rng = np.random.default_rng(seed)
    regions, community_polys, zones, zone_polys = _regions(rng)
    roads = _roads(rng, scale)
    blocks = _blocks(rng, scale, roads, regions, community_polys, zones, zone_polys)
    orgs = _organisations(rng, regions, roads)
    by_level = {level: tuple(r for r in regions if r.level == level) for level in ("district", "street", "community")}
    return DemoCity(
        seed=seed,
        scale=scale,
        province=regions[0],
        city=regions[1],
        districts=by_level["district"],
        streets=by_level["street"],
        communities=by_level["community"],
        defence_zones=tuple(zones),
        roads=roads,
        blocks=tuple(blocks),
        organisations=tuple(orgs),
    )
