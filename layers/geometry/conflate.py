"""Match OpenStreetMap ways to gazetteer features by name *and* place.

For each feature a corridor is drawn around its approximate line (buffered
by its ``accuracy_m`` plus :data:`MARGIN_M`); only ways inside it count.
Inside the corridor, ways named exactly (or by a known alias) or by a
directional variant (长松北路 for 长松路) are used; unnamed ways that
continue them in the same direction with a compatible class are bridged and
marked ``inferred``; near-miss names (长松街 for 长松路) and same-named
ways outside the corridor are listed, never used. The ways are collapsed
into one centre line (:mod:`layers.geometry.centreline`); river banks come
from water areas. All work in EPSG:4549 metres.
"""

from __future__ import annotations

from collections import Counter
from itertools import product
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from layers.geometry.centreline import CentreLine, bank_line, centre_line, extend_line
from layers.geometry.crs import to_metric
from layers.geometry.gazetteer import GazetteerFeature
from layers.geometry.names import classify, split_name
from layers.geometry.osm_read import OsmData
from layers.geometry.polygons import on_side

#: Added to a feature's accuracy to make its corridor, in metres.
MARGIN_M = 300.0
#: An unnamed way continues a named one when its end lies this close (metres) …
BRIDGE_TOL_M = 25.0
#: … and its direction differs by at most this many degrees.
BRIDGE_ANGLE_DEG = 30.0
#: Ways shorter than this inside the corridor are not worth a match.
MIN_PIECE_M = 5.0
#: A named way counts as a source of the line when it comes this close to it (metres).
TRACED_M = 60.0
_ROAD_RANK = {"motorway": 0, "trunk": 0, "primary": 1, "secondary": 2, "tertiary": 3,
              "unclassified": 4, "residential": 4, "living_street": 5, "road": 3, "service": 5}
_RAIL = {"rail", "light_rail", "narrow_gauge", "preserved", "disused"}
_RIVER = {"river", "canal", "stream", "drain"}
_DAM = {"dam", "weir", "dyke", "embankment"}
_BANK_DIRECTIONS = {"西岸": (-1.0, 0.0), "东岸": (1.0, 0.0), "南岸": (0.0, -1.0), "北岸": (0.0, 1.0)}


@dataclass
class MetricWays:
    """An extract's ways in metres with a spatial index and a name index."""

    data: OsmData
    geoms: np.ndarray
    tree: shapely.STRtree
    by_name: dict[str, list[int]]
    water: list[BaseGeometry]
    by_base: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_data(cls, data: OsmData) -> "MetricWays":
        """Project the ways once and index them."""
        geoms = to_metric(data.geoms) if len(data) else np.array([], dtype=object)
        by_name: dict[str, list[int]] = {}
        for i, names in enumerate(data.names):
            for name in names:
                by_name.setdefault(name, []).append(i)
        water = [to_metric(w) for w in data.water]
        by_base: dict[str, list[str]] = {}
        for name in by_name:
            by_base.setdefault(split_name(name).base, []).append(name)
        return cls(data, np.asarray(geoms), shapely.STRtree(geoms), by_name, water, by_base)

    def related_names(self, wanted: set[str]) -> list[str]:
        """Names in the extract that share a base with a wanted name (candidates for matching)."""
        found = {n for w in wanted for n in self.by_base.get(split_name(w).base, [])}
        return sorted(found | (wanted & self.by_name.keys()))


@dataclass
class FeatureMatch:
    """What the extract gave one feature, and everything a planner should review."""

    name: str
    kind: str
    line: CentreLine = field(default_factory=CentreLine)
    way_ids: list[int] = field(default_factory=list)
    inferred_ids: list[int] = field(default_factory=list)
    slip_ids: list[int] = field(default_factory=list)
    variants: dict[str, list[int]] = field(default_factory=dict)
    near_miss: dict[str, list[int]] = field(default_factory=dict)
    outside: list[dict] = field(default_factory=list)
    snaps: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    banks: dict[str, dict] = field(default_factory=dict)
    corridor_ways: int = 0
    #: Names of the corridor's compatible ways, most frequent first (for "why not matched").
    corridor_names: list[str] = field(default_factory=list)
    wrong_side: dict[str, list[int]] = field(default_factory=dict)

    def reason(self) -> str:
        """Why nothing was matched (Chinese), for the import's summary."""
        if self.corridor_ways == 0:
            return "走廊内没有任何 OSM 路段：提取范围可能未覆盖该地物"
        if self.wrong_side:
            where = "、".join(sorted(self.wrong_side))
            return f"走廊内的同名路段位于规划四至的另一侧（应在{where}），已忽略"
        if self.outside:
            return "走廊内没有同名路段，同名路段都在走廊以外"
        seen = f"；走廊内的名称有：{'、'.join(self.corridor_names[:6])}" if self.corridor_names else ""
        return f"走廊内的 {self.corridor_ways} 条路段都不叫这个名字（也不是其方向变体）{seen}"

    @property
    def matched(self) -> bool:
        """Whether the extract supports a centre line for this feature."""
        return self.line.geometry is not None


def compatible(kind: str, tags: dict[str, str]) -> bool:
    """Can a way with these tags be part of a feature of this kind?"""
    if kind == "railway":
        return tags.get("railway") in _RAIL
    if kind == "river":
        return tags.get("waterway") in _RIVER
    if kind == "dam":
        return tags.get("waterway") in _DAM or tags.get("man_made") in _DAM or "highway" in tags
    return _rank(tags) is not None or tags.get("highway", "").endswith("_link")


def _is_road_only(tags: dict[str, str]) -> bool:
    return "highway" in tags and tags.get("waterway") not in _DAM and tags.get("man_made") not in _DAM


def _is_slip(tags: dict[str, str]) -> bool:
    return tags.get("highway", "").endswith("_link") or tags.get("junction") in ("roundabout", "circular")


def guide_line(feature: GazetteerFeature) -> LineString:
    """The feature's longest line part in metres."""
    geom = to_metric(feature.geometry)
    merged = shapely.line_merge(geom) if geom.geom_type != "LineString" else geom
    if isinstance(merged, MultiLineString):
        return max(merged.geoms, key=lambda g: g.length)
    return merged


def corridor(feature: GazetteerFeature) -> tuple[LineString, BaseGeometry, float]:
    """Guide (extended), corridor polygon and its half-width for one feature."""
    reach = float(feature.accuracy_m) + MARGIN_M
    guide = extend_line(guide_line(feature), reach)
    return guide, guide.buffer(reach, quad_segs=2), reach


def _parallel(geoms: np.ndarray, guide: LineString) -> np.ndarray:
    """Which lines run within :data:`BRIDGE_ANGLE_DEG` of the guide's local direction (vectorised)."""
    if not len(geoms):
        return np.zeros(0, bool)
    first = shapely.get_coordinates(shapely.get_point(geoms, 0))
    last = shapely.get_coordinates(shapely.get_point(geoms, -1))
    at = shapely.line_locate_point(guide, shapely.line_interpolate_point(geoms, 0.5, normalized=True))
    ahead = shapely.get_coordinates(shapely.line_interpolate_point(guide, np.minimum(at + 50, guide.length)))
    behind = shapely.get_coordinates(shapely.line_interpolate_point(guide, np.maximum(at - 50, 0)))
    way, local = last - first, ahead - behind
    norm = np.hypot(*way.T) * np.hypot(*local.T)
    cos = np.abs(np.einsum("ij,ij->i", way, local)) / np.where(norm > 0, norm, 1)
    return (cos >= np.cos(np.radians(BRIDGE_ANGLE_DEG))) & (norm > 0)


def _classify_candidates(feat: GazetteerFeature, ways: MetricWays, inside: np.ndarray, match: FeatureMatch,
                         topology: list | None = None):
    """Split the ways in the corridor into used, slip, unnamed-compatible; list near misses.

    ``topology`` holds (rule, other line, tolerance) triples: a way on the wrong
    side of a feature across one of its areas is left out and listed.
    """
    wanted = {feat.name, *[a for a in feat.aliases if not a.endswith("岸")]}
    used, unnamed = [], []
    seen: Counter[str] = Counter()
    for i in inside.tolist():
        tags = ways.data.tags[i]
        names = ways.data.names[i]
        if not compatible(feat.kind, tags):
            continue
        seen.update(names[:1])
        kinds = {n: classify(n, wanted) for n in names}
        good = [n for n, k in kinds.items() if k in ("exact", "variant")]
        way_id = int(ways.data.ids[i])
        # Only ways that could be used are held against the plan's order (others are many).
        if (good or not names) and topology and _breaks_topology(ways.geoms[i], topology, match, way_id, names):
            continue
        if _is_slip(tags):
            # Slip roads and roundabouts are collapsed away, named or not.
            if good or not names:
                match.slip_ids.append(way_id)
            continue
        if not names:
            # A dam takes a named road along its crest, but unnamed lanes near a dam are not the dam.
            if feat.kind != "dam" or not _is_road_only(tags):
                unnamed.append(i)
            continue
        if good:
            used.append(i)
            for n in good:
                if kinds[n] == "variant" and not any(kinds[m] == "exact" for m in names):
                    match.variants.setdefault(n, []).append(way_id)
        for n, k in kinds.items():
            if k == "near_miss" and not good:
                match.near_miss.setdefault(n, []).append(way_id)
    match.corridor_names = [n for n, _ in seen.most_common()]
    return used, unnamed


def _breaks_topology(geom, topology, match: FeatureMatch, way_id: int, names) -> bool:
    mid = geom.interpolate(0.5, normalized=True)
    for rule, other_m, tolerance in topology:
        if wrong_side(mid, rule, other_m, tolerance):
            if names:
                match.wrong_side.setdefault(f"{rule.other}以{_SIDE_WORDS[rule.side]}", []).append(way_id)
            return True
    return False


_SIDE_WORDS = {"east": "东", "west": "西", "south": "南", "north": "北"}


def _rank(tags: dict[str, str]) -> int | None:
    """A road's class; a road under construction (many of the plan's roads) counts as what it will be."""
    highway = tags.get("highway", "")
    if highway == "construction":
        return _ROAD_RANK.get(tags.get("construction", ""), _ROAD_RANK["road"])
    return _ROAD_RANK.get(highway)


def _same_class(used: list[int], unnamed: list[int], ways: MetricWays) -> list[int]:
    """Unnamed roads at most one class from the named ones (an unnamed primary may
    continue a secondary road, a residential street may not continue a primary one).
    Railways and waterways were already checked by :func:`compatible`."""
    ranks = {_rank(ways.data.tags[i]) for i in used} - {None}
    if not ranks:
        return unnamed
    lo, hi = min(ranks) - 1, max(ranks) + 1
    return [i for i in unnamed if _rank(ways.data.tags[i]) is None or lo <= _rank(ways.data.tags[i]) <= hi]


def _bridge(used: list[int], unnamed: list[int], ways: MetricWays, guide: LineString) -> list[int]:
    """Unnamed ways that continue the named ones (connected, same direction and class), grown step by step."""
    unnamed = _same_class(used, unnamed, ways)
    if not used or not unnamed:
        return []
    keep = _parallel(ways.geoms[unnamed], guide)
    pool = {i: ways.geoms[i] for i, ok in zip(unnamed, keep.tolist()) if ok}
    if not pool:
        return []
    keys = list(pool)
    tree = shapely.STRtree([pool[k] for k in keys])
    added: list[int] = []
    frontier = used
    taken = set()
    while frontier:
        ends = shapely.points(np.concatenate([shapely.get_coordinates(
            shapely.boundary(ways.geoms[i])) for i in frontier] or [np.zeros((0, 2))]))
        if len(ends) == 0:
            break
        hits = tree.query(ends, predicate="dwithin", distance=BRIDGE_TOL_M)[1]
        frontier = sorted({keys[h] for h in hits.tolist()} - taken)
        taken.update(frontier)
        added += frontier
    return _gap_fillers(used, added, ways)


def _gap_fillers(used: list[int], added: list[int], ways: MetricWays) -> list[int]:
    """The grown ways that close a gap: both ends meet the named ways or another kept filler.

    Growing alone followed unnamed lanes on and on in a dense extract: a dam's line ran 1 km off,
    and lines ran 100–160 m past their road's end. A chain that leads nowhere is pruned leaf by leaf.
    """
    pieces = list(used) + list(added)
    tree = shapely.STRtree(ways.geoms[pieces])
    ends = {i: shapely.get_parts(shapely.boundary(ways.geoms[i])) for i in added}
    kept = set(added)
    while True:
        alive = set(used) | kept
        dead = set()
        for i in kept:
            for end in ends[i]:
                near = {pieces[h] for h in tree.query(end, predicate="dwithin", distance=BRIDGE_TOL_M).tolist()}
                if not (near - {i}) & alive:
                    dead.add(i)
                    break
        if not dead:
            return sorted(kept)
        kept -= dead


def _outside(feat: GazetteerFeature, ways: MetricWays, inside: set[int], guide: LineString,
             match: FeatureMatch) -> None:
    """Same-named (or variant) ways outside the corridor: listed with their distance."""
    wanted = {feat.name, *[a for a in feat.aliases if not a.endswith("岸")]}
    for name in ways.related_names(wanted):
        if classify(name, wanted) not in ("exact", "variant"):
            continue
        far = [i for i in ways.by_name[name] if i not in inside and compatible(feat.kind, ways.data.tags[i])]
        if far:
            dist = min(ways.geoms[i].distance(guide) for i in far)
            match.outside.append({"name": name, "way_ids": sorted(int(ways.data.ids[i]) for i in far),
                                  "distance_km": round(dist / 1000, 1)})


def match_feature(feat: GazetteerFeature, ways: MetricWays, topology: list | None = None) -> FeatureMatch:
    """Match one gazetteer feature against the extract.

    ``topology``: (:class:`Beyond` rule, the other feature's line in metres,
    tolerance in metres) for each feature the plan puts across an area from it.
    """
    match = FeatureMatch(feat.name, feat.kind)
    guide, corr, reach = corridor(feat)
    inside = ways.tree.query(corr, predicate="intersects") if len(ways.geoms) else np.array([], int)
    match.corridor_ways = len(inside)
    used, unnamed = _classify_candidates(feat, ways, inside, match, topology)
    _outside(feat, ways, set(inside.tolist()), guide, match)
    bridged = _bridge(used, unnamed, ways, guide)
    match.way_ids = sorted({int(ways.data.ids[i]) for i in used})
    match.inferred_ids = sorted({int(ways.data.ids[i]) for i in bridged} - set(match.way_ids))
    match.slip_ids = sorted(set(match.slip_ids))
    if used:
        named = shapely.intersection(unary_union(ways.geoms[used]), corr)
        lines = shapely.intersection(unary_union(ways.geoms[used + bridged]), corr)
        match.line = centre_line(guide, lines, half_width=reach, named=named)
        match.notes += [f"走廊内另有一条同名道路（相距约 {abs(r):.0f} 米），已取离近似线较近的一条，请核实"
                        for r in match.line.rivals_m]
        if match.line.geometry is not None:  # the ways of a rival road are not this line's sources
            near = shapely.dwithin(ways.geoms[used], match.line.geometry, TRACED_M)
            match.way_ids = sorted({int(ways.data.ids[i]) for i, ok in zip(used, near.tolist()) if ok})
    if feat.kind == "river":
        _banks(feat, ways, match)
    return match


def _banks(feat: GazetteerFeature, ways: MetricWays, match: FeatureMatch) -> None:
    """Bank lines from water areas for the banks the gazetteer knows (白浪河西岸).

    Without an OSM centre line, the feature's own line (for 白浪河 the district
    border that follows it) says where the river runs.
    """
    centre = max(match.line.parts, key=lambda p: p.length) if match.matched else guide_line(feat)
    near = [(i, w) for i, w in enumerate(ways.water) if w.intersects(centre.buffer(50))]
    for alias in feat.aliases:
        bank = alias[len(feat.name):] if alias.startswith(feat.name) else ""
        if bank not in _BANK_DIRECTIONS:
            continue
        instead = "河道中心线" if match.matched else "原有几何（区界）"
        if not near:
            match.notes.append(f"提取文件中没有“{feat.name}”的河道面（natural=water + water=river），"
                               f"“{alias}”改用{instead}")
            continue
        line = bank_line(centre, unary_union([w for _, w in near]), _BANK_DIRECTIONS[bank])
        if line is None:
            match.notes.append(f"河道面未覆盖“{feat.name}”的{bank}，“{alias}”改用{instead}")
            continue
        match.banks[alias] = {"geometry": line, "water_ids": [ways.data.water_ids[i] for i, _ in near]}


def snap_ends(lines: dict[str, BaseGeometry], targets: dict[str, BaseGeometry], *,
              tolerance: float, partners: dict[str, set[str]] | None = None,
              always: tuple[str, ...] = (), extend_targets: bool = True,
              ) -> tuple[dict[str, BaseGeometry], dict[str, list[dict]]]:
    """Extend each line end along its direction to the nearest crossing target within ``tolerance``.

    Only a line's ``partners`` (the features it meets at a corner of some
    area, from the plan) and the targets named in ``always`` (the district
    border) are considered, so an end never runs on to an unrelated road.
    Targets that are themselves being snapped are extended by ``tolerance``
    too, so two ends that both stop short of a corner meet there. An end that
    already touches a partner is left alone; nothing overshoots the target.
    """
    extended = {k: _extend_multi(g, tolerance) if k in lines and extend_targets else g
                for k, g in targets.items()}
    out, snaps = {}, {}
    for name, geom in lines.items():
        wanted = set(always) | (partners.get(name, set()) if partners is not None else set(targets))
        others = [g for k, g in extended.items() if k != name and k in wanted]
        other = unary_union(others) if others else None
        parts = []
        for part in getattr(geom, "geoms", [geom]):
            coords = list(part.coords)
            for at_end in (False, True):
                hit = _ray_hit(coords, at_end, other, tolerance) if other is not None else None
                if hit is None:
                    continue
                point, dist, target = hit
                if at_end:
                    coords.append(point)
                else:
                    coords.insert(0, point)
                snaps.setdefault(name, []).append({"end": "end" if at_end else "start",
                                                   "distance_m": round(dist, 1), "x": point[0], "y": point[1]})
            parts.append(LineString(coords))
        out[name] = parts[0] if len(parts) == 1 else MultiLineString(parts)
    for name, found in snaps.items():
        wanted = set(always) | (partners.get(name, set()) if partners is not None else set(targets))
        for snap in found:
            near = {k: g for k, g in targets.items() if k in wanted}
            snap["to"] = _nearest_name(Point(snap.pop("x"), snap.pop("y")), near, name)
    return out, snaps


def _extend_multi(geom: BaseGeometry, dist: float) -> BaseGeometry:
    parts = [extend_line(p, dist) for p in getattr(geom, "geoms", [geom]) if p.length > 0]
    return unary_union(parts)


def _ray_hit(coords, at_end: bool, other: BaseGeometry, tolerance: float):
    line = LineString(coords)
    end = np.asarray(coords[-1] if at_end else coords[0])
    if other.distance(Point(end)) < 0.5:
        return None
    # Direction over the last 30 m, not the last (possibly tiny) segment.
    back = min(30.0, line.length)
    inner = np.asarray(line.interpolate(line.length - back if at_end else back).coords[0])
    v = end - inner
    norm = np.hypot(*v)
    if norm == 0:
        return None
    ray = LineString([end, end + v / norm * tolerance])
    hits = ray.intersection(other)
    if hits.is_empty:
        return None
    pts = shapely.get_coordinates(hits)
    d = np.hypot(*(pts - end).T)
    k = int(np.argmin(d))
    return (float(pts[k][0]), float(pts[k][1])), float(d[k]), None


def _nearest_name(point: Point, targets: dict[str, BaseGeometry], own: str) -> str:
    others = [(g.distance(point), k) for k, g in targets.items() if k != own]
    return min(others)[1] if others else ""


_ADJACENT = {"east": ("north", "south"), "west": ("north", "south"),
             "north": ("east", "west"), "south": ("east", "west")}


def corner_partners(areas, resolve) -> dict[str, set[str]]:
    """Features that meet at a corner of some area, from the plan's 四至.

    ``resolve`` maps a name as written to the gazetteer's feature name (or
    ``None`` when unknown).
    """
    out: dict[str, set[str]] = {}
    for area in areas:
        if not area.bounds:
            continue
        for side, others in _ADJACENT.items():
            for other in others:
                for a, b in product(area.bounds.features(side), area.bounds.features(other)):
                    a, b = resolve(a), resolve(b)
                    if a and b and a != b:
                        out.setdefault(a, set()).add(b)
    return out


_OPPOSITE = {"east": "west", "west": "east", "north": "south", "south": "north"}
_UNIT = {"east": (1.0, 0.0), "west": (-1.0, 0.0), "north": (0.0, 1.0), "south": (0.0, -1.0)}


@dataclass(frozen=True)
class Beyond:
    """The plan puts a feature on ``side`` of ``other`` (西至长松路、东至友爱路: 长松路 west of 友爱路)."""

    other: str
    side: str


def facing_constraints(areas, resolve) -> dict[str, set[Beyond]]:
    """For each feature, the features across the same area and which side of them it lies on."""
    out: dict[str, set[Beyond]] = {}
    for area in areas:
        if not area.bounds:
            continue
        for side, opposite in _OPPOSITE.items():
            for a, b in product(area.bounds.features(side), area.bounds.features(opposite)):
                a, b = resolve(a), resolve(b)
                if a and b and a != b:
                    out.setdefault(a, set()).add(Beyond(b, side))
    return out


def wrong_side(point: Point, rule: Beyond, other_m: BaseGeometry, tolerance: float) -> bool:
    """Does ``point`` lie on the wrong side of ``other_m`` by more than ``tolerance`` metres?

    Only decided where the point is abreast of the other line (a ray along the
    axis meets it); elsewhere the plan says nothing about the point.
    """
    dx, dy = _UNIT[rule.side]
    shifted = Point(point.x + dx * tolerance, point.y + dy * tolerance)
    towards = on_side(other_m, shifted, _OPPOSITE[rule.side])
    away = on_side(other_m, shifted, rule.side)
    return away and not towards
