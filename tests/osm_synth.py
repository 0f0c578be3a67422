"""Deterministic generator of messy OpenStreetMap extracts from known true lines.

The "true" lines are the project's approximate gazetteer lines, cut to the
stretch the zones and parks need (plus an overshoot past each corner, as
real roads run on through junctions). The generator writes them as a
Weifang extract would hold them, with the quirks of real OSM data, each of
which can be switched on alone:

``split``        every road is many ways (150–400 m)
``jitter``       nodes moved by up to 2 m
``broken``       consecutive ways do not share their join node (1–3 m apart)
``dual``         main roads are two one-way carriageways 16–30 m apart
``slip``         unnamed ``*_link`` slip roads leave the carriageways
``unnamed``      a middle stretch of some roads carries no name
``variants``     长松北路/长松南路, 北宫东街, 西环南路; a near-miss 长松街 nearby
``rail``         胶济铁路 as 2–4 unnamed tracks grouped by a ``route`` relation
``river``        白浪河 with a riverbank multipolygon (untagged outer ways)
``tgaps``        road ends stop 20–95 m short of the crossing road
``namesake``     a 东风街 15 km away (same name as an alias of 东风西街)
``noise``        200 unrelated local roads

and, outside ``QUIRKS`` (for one test), ``no_river_line``: the river only as a
water area, without its ``waterway=river`` centre line.

``make_extract`` writes .osm (XML) or .osm.pbf, chosen by the file name.
Run as a script to write one: ``python -m tests.osm_synth out.osm.pbf``.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import LineString, Point
from shapely.ops import substring

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from layers.paths import INPUTS, PLAN_FILE  # noqa: E402
from layers.plan.areas import extract_areas  # noqa: E402
from layers.plan.text import read_plan  # noqa: E402
from layers.geometry.crs import to_metric, to_wgs84  # noqa: E402
from layers.geometry.gazetteer import district_geometry, load_districts, load_gazetteer  # noqa: E402
from layers.geometry.polygons import EXTEND_M, BuiltArea, build_area, extend_lines  # noqa: E402

QUIRKS = ("split", "jitter", "broken", "dual", "slip", "unnamed", "variants", "rail", "river",
          "tgaps", "namesake", "noise")
#: Road overshoot past its last corner, metres.
OVERSHOOT_M = 150.0
#: Half-width of 白浪河's water area, metres.
RIVER_HALF_WIDTH_M = 20.0
_VARIANT_RULES = {"长松路": ("y", ["长松南路", "长松路", "长松北路"]),
                  "北宫西街": ("x", ["北宫西街", "北宫东街"]),
                  "西环路": ("y", ["西环南路", "西环路", "西环路"])}
_ROAD_CLASS = {500: "primary", 600: "primary", 700: "secondary", 800: "secondary"}


@dataclass
class Truth:
    """The true lines (EPSG:4549) and the areas built from them.

    ``lines`` maps a feature to (needed stretch, [start, end] along the
    extended line, the extended line itself).
    """

    lines: dict[str, tuple[LineString, list[float], LineString]]
    kinds: dict[str, str]
    accuracy: dict[str, float]
    built: dict[str, BuiltArea]
    district_m: object


@lru_cache(maxsize=2)
def truth(inputs: Path = INPUTS, plan: Path = PLAN_FILE) -> Truth:
    """Build the areas from the approximate lines; keep each line's needed stretch."""
    gaz = load_gazetteer(inputs, use_osm=False)
    district_m = to_metric(district_geometry(load_districts(inputs / "districts.geojson")))
    zones, parks = extract_areas(read_plan(plan).text)
    built = {a.name: build_area(a.name, a.bounds, gaz, district_m) for a in [*zones, *parks] if a.bounds}
    spans: dict[str, list[float]] = {}
    extended = {}
    for area in built.values():
        for edge in area.edges:
            name = edge.feature.name
            line = extended.setdefault(name, _one_line(extend_lines(edge.line_m, EXTEND_M)))
            # The corner may lie on the extension of the line: measure on the extended line.
            along = area.polygon_m.boundary.intersection(line.buffer(2.0))
            if along.is_empty:
                continue
            s = [line.project(Point(c)) for c in shapely.get_coordinates(along)]
            lo, hi = spans.get(name, [np.inf, -np.inf])
            spans[name] = [min(lo, min(s)), max(hi, max(s))]
    lines = {n: substring(extended[n], max(lo, 0.0), min(hi, extended[n].length)) for n, (lo, hi) in spans.items()}
    feats = {f.name: f for f in gaz.features}
    return Truth({n: (l, spans[n], extended[n]) for n, l in lines.items()},
                 {n: feats[n].kind for n in lines}, {n: feats[n].accuracy_m for n in lines}, built, district_m)


def _one_line(geom) -> LineString:
    merged = shapely.line_merge(geom) if geom.geom_type != "LineString" else geom
    return merged if merged.geom_type == "LineString" else max(merged.geoms, key=lambda g: g.length)


@dataclass
class _Writer:
    """Collects nodes, ways and relations (metric coordinates) with running ids."""

    rng: random.Random
    jitter: float = 0.0
    crop: object = None
    nodes: list = field(default_factory=list)
    ways: list = field(default_factory=list)
    relations: list = field(default_factory=list)
    next_way: int = 1000

    def node(self, xy, *, exact: bool = False) -> int:
        x, y = xy
        if self.jitter and not exact:
            x += self.rng.uniform(-self.jitter, self.jitter)
            y += self.rng.uniform(-self.jitter, self.jitter)
        self.nodes.append((x, y))
        return len(self.nodes)

    def way(self, refs: list[int], tags: dict) -> int:
        self.next_way += 1
        self.ways.append((self.next_way, refs, {k: v for k, v in tags.items() if v is not None}))
        return self.next_way

    def write(self, path: Path) -> None:
        import osmium
        from osmium.osm import mutable

        xy = np.asarray(self.nodes, dtype=float).reshape(-1, 2)
        lonlat = shapely.get_coordinates(to_wgs84(shapely.points(xy))) if len(xy) else xy
        keep = np.ones(len(xy), bool) if self.crop is None else shapely.contains_xy(self.crop, xy[:, 0], xy[:, 1])
        path.unlink(missing_ok=True)
        with osmium.SimpleWriter(str(path)) as out:
            for i, (lon, lat) in enumerate(lonlat.tolist()):
                if keep[i]:
                    out.add_node(mutable.Node(id=i + 1, location=(round(lon, 7), round(lat, 7)), version=1))
            for way_id, refs, tags in self.ways:
                if sum(keep[r - 1] for r in refs) >= 2 or not tags:
                    out.add_way(mutable.Way(id=way_id, nodes=refs, tags=tags, version=1))
            for rel_id, members, tags in self.relations:
                out.add_relation(mutable.Relation(id=rel_id, members=members, tags=tags, version=1))


def _densify(line: LineString, step: float = 25.0) -> np.ndarray:
    n = max(int(line.length // step), 1)
    return shapely.get_coordinates(shapely.line_interpolate_point(line, np.linspace(0, line.length, n + 1)))


def _pieces(coords: np.ndarray, rng: random.Random, split: bool, min_pieces: int) -> list[np.ndarray]:
    """Cut a node sequence into way-sized pieces (sharing their end nodes)."""
    if not split and min_pieces <= 1:
        return [coords]
    if split:
        cuts, i = [], 0
        while True:
            i += rng.randint(6, 16)  # 25 m nodes: 150–400 m ways
            if i >= len(coords) - 2:
                break
            cuts.append(i)
    else:
        cuts = [len(coords) * k // min_pieces for k in range(1, min_pieces)]
    bounds = [0, *cuts, len(coords) - 1]
    return [coords[a:b + 1] for a, b in zip(bounds, bounds[1:]) if b > a]


def _emit_chain(w: _Writer, pieces: list[np.ndarray], tags_for, broken: bool) -> list[int]:
    ids, last = [], None
    for k, piece in enumerate(pieces):
        refs = []
        for j, xy in enumerate(piece):
            if j == 0 and last is not None and not broken:
                refs.append(last)
                continue
            if j == 0 and last is not None:
                angle = w.rng.uniform(0, 2 * np.pi)
                gap = w.rng.uniform(1.0, 3.0)
                xy = (xy[0] + gap * np.cos(angle), xy[1] + gap * np.sin(angle))
            refs.append(w.node(xy))
        last = refs[-1]
        ids.append(w.way(refs, tags_for(k, piece)))
    return ids


def _name_for(name: str, piece: np.ndarray, line: LineString, quirks: set[str], k: int, count: int) -> str | None:
    if "unnamed" in quirks and count >= 3 and k == count // 2:
        return None
    if "variants" in quirks and name in _VARIANT_RULES:
        axis, names = _VARIANT_RULES[name]
        i = 0 if axis == "x" else 1
        lo, hi = sorted((line.coords[0][i], line.coords[-1][i]))
        mid = float(np.mean(piece[:, i]))
        frac = (mid - lo) / (hi - lo) if hi > lo else 0.5
        return names[min(int(frac * len(names)), len(names) - 1)]
    return name


def _road(w: _Writer, name: str, line: LineString, acc: float, quirks: set[str]) -> None:
    highway = _ROAD_CLASS.get(int(acc), "tertiary")
    dual = "dual" in quirks and acc <= 600
    half = 8.0 + (sum(map(ord, name)) % 8) if dual else 0.0
    sides = [line.offset_curve(half), line.offset_curve(-half).reverse()] if dual else [line]
    min_pieces = 3 if {"unnamed", "variants"} & quirks else 1
    for side in sides:
        coords = _densify(side)
        pieces = _pieces(coords, w.rng, "split" in quirks, min_pieces)

        def tags(k, piece, pieces=pieces):
            return {"highway": highway, "name": _name_for(name, piece, line, quirks, k, len(pieces)),
                    "oneway": "yes" if dual else None, "lanes": "3" if dual else "2"}

        _emit_chain(w, pieces, tags, "broken" in quirks)
        if "slip" in quirks and dual:
            _slips(w, side, highway)


def _slips(w: _Writer, side: LineString, highway: str) -> None:
    """Slip roads every ~600 m, diverging 25 m to the right of the carriageway."""
    for s in np.arange(300.0, side.length - 200.0, 600.0):
        base = side.interpolate(s)
        ahead = side.interpolate(s + 80.0)
        dx, dy = ahead.x - base.x, ahead.y - base.y
        n = np.hypot(dx, dy) or 1.0
        right = np.array([dy, -dx]) / n
        pts = [(base.x, base.y), (base.x + dx / 2 + right[0] * 10, base.y + dy / 2 + right[1] * 10),
               (ahead.x + right[0] * 25, ahead.y + right[1] * 25)]
        w.way([w.node(p) for p in pts], {"highway": highway + "_link", "oneway": "yes"})


def _rail(w: _Writer, name: str, line: LineString, quirks: set[str]) -> None:
    tracks = (2 + sum(map(ord, name)) % 3) if "rail" in quirks else 1
    members = []
    for t in range(tracks):
        off = (t - (tracks - 1) / 2) * 5.0
        track = line.offset_curve(off) if off else line
        pieces = _pieces(_densify(track), w.rng, "split" in quirks, 1)
        tag = {"railway": "rail", "name": None if tracks > 1 else name, "usage": "main"}
        members += [("w", i, "") for i in _emit_chain(w, pieces, lambda k, p: tag, "broken" in quirks)]
    if tracks > 1:
        w.relations.append((len(w.relations) + 1, members, {"type": "route", "route": "railway", "name": name}))


def _river(w: _Writer, name: str, line: LineString, quirks: set[str]) -> None:
    if "no_river_line" not in quirks:
        pieces = _pieces(_densify(line), w.rng, "split" in quirks, 1)
        _emit_chain(w, pieces, lambda k, p: {"waterway": "river", "name": name}, "broken" in quirks)
    if "river" not in quirks:
        return
    # Mapped water areas are valid polygons: no jitter here, which could make the ring cross itself.
    area = line.buffer(RIVER_HALF_WIDTH_M, cap_style="flat").simplify(1.0)
    ring = np.asarray(area.exterior.coords)
    refs = [w.node(xy, exact=True) for xy in ring[:-1]]
    refs.append(refs[0])
    half = len(refs) // 2
    outer = [w.way(refs[:half + 1], {}), w.way(refs[half:], {})]
    w.relations.append((len(w.relations) + 1, [("w", i, "outer") for i in outer],
                        {"type": "multipolygon", "natural": "water", "water": "river", "name": name}))


def _noise(w: _Writer, district_m, rng: random.Random, count: int = 200, step: float = 40.0) -> None:
    """Unrelated local roads, two in three named, at random places in the district."""
    minx, miny, maxx, maxy = district_m.bounds
    for k in range(count):
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        angle, length = rng.uniform(0, np.pi), rng.uniform(5 * step, 22 * step)
        end = (x + length * np.cos(angle), y + length * np.sin(angle))
        coords = _densify(LineString([(x, y), end]), step)
        name = f"新村{k}路" if k % 3 else None
        w.way([w.node(c) for c in coords], {"highway": "residential", "name": name})


def _cut(span, extended: LineString, quirks: set[str], rng: random.Random) -> LineString:
    """The stretch of a true line written to the extract: past its corners, or short of them (T-gaps)."""
    lo, hi = span
    if "tgaps" in quirks:
        lo, hi = lo + rng.uniform(20.0, 95.0), hi - rng.uniform(20.0, 95.0)
    else:
        lo, hi = lo - OVERSHOOT_M, hi + OVERSHOOT_M
    return substring(extended, max(lo, 0.0), min(hi, extended.length))


def displaced_inputs(target: Path, *, share: float, seed: int, inputs: Path = INPUTS) -> Path:
    """A copy of ``inputs`` whose lines are moved as real streets differ from schematic ones.

    Each approximate line is turned by up to 3° about its centre and shifted
    sideways by up to ``share`` of its ``accuracy_m``. Used as the *truth* of an
    extract (``make_extract(..., truth_inputs=...)``) while the import still
    matches against the unmoved approximate lines.
    """
    import json
    import math
    import shutil

    from shapely.geometry import mapping, shape

    shutil.copytree(inputs, target)
    path = target / "gazetteer_approx.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    for feat in data["features"]:
        line = shapely.affinity.rotate(to_metric(shape(feat["geometry"])), rng.uniform(-3, 3), origin="centroid")
        (x0, y0), (x1, y1) = line.coords[0], line.coords[-1]
        length = math.hypot(x1 - x0, y1 - y0)
        off = rng.uniform(-share, share) * feat["properties"]["accuracy_m"]
        line = shapely.affinity.translate(line, -(y1 - y0) / length * off, (x1 - x0) / length * off)
        feat["geometry"] = mapping(to_wgs84(line))
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return target


def make_extract(path: Path, quirks=frozenset(QUIRKS), *, seed: int = 7, drop=(), crop=None,
                 only_namesake: bool = False, noise_ways: int = 200, truth_inputs: Path = INPUTS) -> Path:
    """Write a messy extract of the true lines to ``path`` (.osm or .osm.pbf).

    Parameters
    ----------
    quirks
        Which quirks to apply (see the module docstring); ``"all"`` for all.
    drop
        Features left out of the extract (a missing road).
    crop
        A polygon (EPSG:4549): nodes outside it are left out, as in a bbox extract.
    only_namesake
        Leave out 东风西街 itself and keep only the far 东风街.
    noise_ways
        How many unrelated local roads the ``noise`` quirk adds (the benchmark
        asks for 150,000).
    truth_inputs
        Where the true lines come from (see :func:`displaced_inputs`).
    """
    quirks = set(QUIRKS) if quirks == "all" else set(quirks)
    rng = random.Random(seed)
    t = truth(Path(truth_inputs))
    w = _Writer(rng, jitter=2.0 if "jitter" in quirks else 0.0, crop=crop)
    for name in sorted(t.lines):
        if name in drop or t.kinds[name] == "border" or (only_namesake and name == "东风西街"):
            continue
        _, span, extended = t.lines[name]
        line = _cut(span, extended, quirks, rng)
        kind = t.kinds[name]
        if kind == "railway":
            _rail(w, name, line, quirks)
        elif kind == "river":
            _river(w, name, line, quirks)
        elif kind == "dam":
            w.way([w.node(c) for c in _densify(line)], {"waterway": "dam", "name": name})
        else:
            _road(w, name, line, t.accuracy[name], quirks)
    if "variants" in quirks:
        near = shapely.affinity.translate(t.lines["长松路"][0], xoff=250.0)
        w.way([w.node(c) for c in _densify(near)], {"highway": "residential", "name": "长松街"})
    if "namesake" in quirks or only_namesake:
        far = shapely.affinity.translate(t.lines["东风西街"][0], xoff=15_000.0)
        w.way([w.node(c) for c in _densify(far)], {"highway": "secondary", "name": "东风街"})
    if "noise" in quirks:
        _noise(w, t.district_m, rng, noise_ways, step=40.0 if noise_ways <= 1000 else 20.0)
    path = Path(path)
    w.write(path)
    return path


def true_lines() -> dict[str, LineString]:
    """The true line of each feature (EPSG:4549), overshoot included."""
    t = truth()
    return {n: _cut(span, ext, set(), random.Random(0)) for n, (_, span, ext) in t.lines.items()}


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "synthetic.osm.pbf")
    print(make_extract(target, "all"))
