"""One centre line from many OSM ways: cross-sections along a guide line.

A road in OpenStreetMap is many ways: split at every junction, drawn twice
where it is a dual carriageway, with broken joins and jittered nodes;
a railway is 2–4 parallel tracks. Cutting all of them with short lines
perpendicular to a guide every few metres gives, at each station, a cluster
of crossings; the middle of the cluster is the centre line and its spread
is the collapsed carriageway width. Stations without data leave gaps; gaps
up to :data:`MAX_GAP_M` are bridged and reported. All in EPSG:4549 metres.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

#: Distance between cross-sections, in metres.
STATION_M = 5.0
#: Crossings further apart than this belong to different roads.
CLUSTER_GAP_M = 50.0
#: Gaps along a feature up to this length are bridged (and reported).
MAX_GAP_M = 100.0
#: Gaps longer than this (no way cut by a cross-section) are reported as bridged.
REPORT_GAP_M = 15.0
#: Half-width of the cross-sections in the refining pass.
REFINE_HALF_WIDTH_M = 60.0


@dataclass
class Stretch:
    """A stretch of the centre line, as distances along it (metres)."""

    start_m: float
    end_m: float

    @property
    def length_m(self) -> float:
        """Length of the stretch."""
        return self.end_m - self.start_m


@dataclass
class CentreLine:
    """The collapsed line of one feature and what it is made of."""

    parts: list[LineString] = field(default_factory=list)
    bridged: list[Stretch] = field(default_factory=list)
    inferred: list[Stretch] = field(default_factory=list)
    width_m: float = 0.0
    observed_m: float = 0.0
    observed: BaseGeometry | None = None
    #: Other roads of the feature's ways about as long as the one followed, as offsets (metres) from it:
    #: two same-named roads in one corridor, of which the one nearer the approximate line was taken.
    rivals_m: list[float] = field(default_factory=list)

    @property
    def geometry(self) -> BaseGeometry | None:
        """The line (one part) or multi-line; ``None`` when nothing was found."""
        if not self.parts:
            return None
        return self.parts[0] if len(self.parts) == 1 else shapely.MultiLineString(self.parts)


def _frames(guide: LineString, step: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stations along ``guide``: distances, points and unit normals."""
    dist = np.arange(0.0, guide.length + 1e-9, step)
    pts = shapely.get_coordinates(shapely.line_interpolate_point(guide, dist))
    ahead = shapely.get_coordinates(shapely.line_interpolate_point(guide, np.minimum(dist + 2.0, guide.length)))
    behind = shapely.get_coordinates(shapely.line_interpolate_point(guide, np.maximum(dist - 2.0, 0.0)))
    tangent = ahead - behind
    tangent /= np.maximum(np.hypot(tangent[:, 0], tangent[:, 1]), 1e-9)[:, None]
    normal = np.column_stack([-tangent[:, 1], tangent[:, 0]])
    return dist, pts, normal


def _segments(lines: BaseGeometry) -> np.ndarray:
    """Every two-point segment of ``lines`` (fast to index and to intersect)."""
    coords, index = shapely.get_coordinates(shapely.get_parts(lines), return_index=True)
    same = index[:-1] == index[1:]
    return shapely.linestrings(np.stack([coords[:-1][same], coords[1:][same]], axis=1))


def _crossings(pts: np.ndarray, normal: np.ndarray, half: float, lines: BaseGeometry) -> list[list[float]]:
    """Sorted signed offsets of every crossing of ``lines`` at each station."""
    cuts = shapely.linestrings(np.stack([pts - normal * half, pts + normal * half], axis=1))
    segments = _segments(lines)
    out: list[list[float]] = [[] for _ in range(len(pts))]
    if not len(segments):
        return out
    ci, sj = shapely.STRtree(segments).query(cuts, predicate="intersects")
    hits = shapely.intersection(cuts[ci], segments[sj])
    coords, index = shapely.get_coordinates(hits, return_index=True)
    station = ci[index]
    offsets = np.einsum("ij,ij->i", coords - pts[station], normal[station])
    for i, off in zip(station.tolist(), np.round(offsets, 2).tolist()):
        out[i].append(off)
    # A cut through a shared vertex meets two segments at one point: count it once.
    return [sorted(set(o)) for o in out]


def _pick(offsets: list[float], near: float) -> tuple[float, float, int] | None:
    """The (min, max, count) of the cluster of ``offsets`` nearest to ``near``."""
    if not offsets:
        return None
    clusters, current = [], [offsets[0]]
    for off in offsets[1:]:
        if off - current[-1] > CLUSTER_GAP_M:
            clusters.append(current)
            current = []
        current.append(off)
    clusters.append(current)
    best = min(clusters, key=lambda c: abs((c[0] + c[-1]) / 2 - near))
    return best[0], best[-1], len(best)


def _trim(run: list[int], picked: list) -> list[int]:
    """Drop stations that see fewer carriageways/tracks than the run does.

    Where one carriageway ends a few metres before the other, or has a
    broken join, a cross-section cuts only one of them and the centre would
    jump sideways by half the width; the neighbours carry the line instead.
    """
    typical = int(np.median([picked[i][2] for i in run]))
    return [i for i in run if picked[i][2] >= typical]


#: Parallel roads further apart than this are different roads, not the carriageways of one.
ROAD_APART_M = 150.0
#: A road followed over this share of the stations of the best-covered one is its rival.
RIVAL_SHARE = 0.8


def _follow(crossings: list[list[float]], near: float) -> list[tuple[float, float, int] | None]:
    """Follow one road across stations from the offset ``near``, each station's pick steering the next."""
    picked = []
    for offsets in crossings:
        choice = _pick(offsets, near)
        if choice is not None:
            near = (choice[0] + choice[1]) / 2
        picked.append(choice)
    return picked


def _mean_offset(track: list) -> float:
    return float(np.mean([(p[0] + p[1]) / 2 for p in track if p is not None]))


def _track(crossings: list[list[float]], rivals: list[float] | None = None) -> list[tuple[float, float, int] | None]:
    """Follow the feature's road across stations.

    Tracks start from the median crossing and from each road the middle station crosses; the one
    followed furthest is kept, and of several followed about as far (two same-named roads in one
    corridor) the one nearest the guide. Their offsets from it go to ``rivals``. Starting from the
    median alone fell on either of two equal roads: the one 800 m off was taken as often as the right one.
    """
    everything = [o for c in crossings for o in c]
    if not everything:
        return [None] * len(crossings)
    seen = [c for c in crossings if c]
    middle = seen[len(seen) // 2]
    groups = np.split(np.asarray(middle), np.nonzero(np.diff(middle) > ROAD_APART_M)[0] + 1)
    starts = [float(np.median(everything))] + [float(np.median(g)) for g in groups]
    tracks = [_follow(crossings, s) for s in starts]
    reach = [sum(p is not None for p in t) for t in tracks]
    close = [t for t, r in zip(tracks, reach) if r >= RIVAL_SHARE * max(reach)]
    chosen = min(close, key=lambda t: abs(_mean_offset(t)))
    if rivals is not None:
        for d in sorted(_mean_offset(t) - _mean_offset(chosen) for t in close):
            if abs(d) > ROAD_APART_M and all(abs(d - r) > ROAD_APART_M for r in rivals):
                rivals.append(d)  # several starts may follow the same rival road: name it once
    return chosen


def _runs(dist: np.ndarray, centres: list, max_gap: float) -> tuple[list[list[int]], list[tuple[float, float]]]:
    """Group stations with data into runs; return the runs and the bridged gaps."""
    runs: list[list[int]] = []
    bridged = []
    last = None
    for i, c in enumerate(centres):
        if c is None:
            continue
        if last is not None and dist[i] - dist[last] <= max_gap + 1e-9:
            runs[-1].append(i)
            if dist[i] - dist[last] > REPORT_GAP_M:
                bridged.append((dist[last], dist[i]))
        else:
            runs.append([i])
        last = i
    return [r for r in runs if len(r) > 1], bridged


def _section(guide: LineString, lines: BaseGeometry, half: float, step: float, rivals: list[float] | None = None):
    dist, pts, normal = _frames(guide, step)
    picked = _track(_crossings(pts, normal, half, lines), rivals)
    centres = [None if p is None else pts[i] + normal[i] * (p[0] + p[1]) / 2 for i, p in enumerate(picked)]
    widths = [p[1] - p[0] for p in picked if p is not None]
    return dist, centres, widths, picked, pts, normal


def centre_line(guide: LineString, lines: BaseGeometry, *, half_width: float,
                named: BaseGeometry | None = None, step: float = STATION_M) -> CentreLine:
    """Collapse ``lines`` (all the ways of one feature) into one centre line.

    Parameters
    ----------
    guide
        A line roughly along the feature (the approximate gazetteer line).
    lines
        The feature's ways, clipped to its corridor, in metres.
    half_width
        How far from the guide the first pass looks for the feature.
    named
        The subset of ``lines`` matched by name; stations covered only by
        other (inferred) ways are reported as inferred.
    """
    if lines is None or lines.is_empty:
        return CentreLine()
    rivals: list[float] = []
    first = _section(guide, lines, half_width, step * 4, rivals)
    rough = [c for c in first[1] if c is not None]
    if len(rough) < 2:
        return CentreLine()
    refined_guide = _extend(LineString(rough).simplify(2 * step), REFINE_HALF_WIDTH_M)
    dist, centres, widths, picked, pts, normal = _section(refined_guide, lines, REFINE_HALF_WIDTH_M, step)
    trimmed = [None] * len(centres)
    for run in _runs(dist, centres, MAX_GAP_M)[0]:
        for i in _trim(run, picked):
            trimmed[i] = centres[i]
    runs, gaps = _runs(dist, trimmed, MAX_GAP_M)
    parts = [LineString([centres[i] for i in run]).simplify(0.5) for run in runs]
    result = CentreLine(parts=parts, width_m=float(np.median(widths)) if widths else 0.0, rivals_m=rivals)
    result.bridged = _along(parts, [(refined_guide.interpolate(a), refined_guide.interpolate(b)) for a, b in gaps])
    by_name = [True] * len(centres)
    if named is not None and not named.is_empty:
        result.inferred = _inferred(parts, named, dist, picked, pts, normal, step)
        by_name = _named_flags(named, picked, pts, normal)
    result.observed = _observed(runs, centres, dist, by_name)
    result.observed_m = result.observed.length if result.observed is not None else 0.0
    return result


def _observed(runs: list[list[int]], centres: list, dist: np.ndarray, by_name: list[bool]):
    """The stretches seen in the data: stations cut by a named way, no longer gap between them."""
    pieces, current = [], []
    for run in runs:
        for i in run:
            if not by_name[i] or (current and dist[i] - dist[current[-1]] > REPORT_GAP_M):
                if len(current) > 1:
                    pieces.append(LineString([centres[k] for k in current]))
                current = [] if not by_name[i] else [i]
            else:
                current.append(i)
        if len(current) > 1:
            pieces.append(LineString([centres[k] for k in current]))
        current = []
    return shapely.MultiLineString(pieces) if pieces else None


def _named_flags(named, picked, pts, normal) -> list[bool]:
    """Per station: does the chosen cluster hold a way matched by name?"""
    hits = _crossings(pts, normal, REFINE_HALF_WIDTH_M, named)
    return [p is not None and any(p[0] - 1.0 <= h <= p[1] + 1.0 for h in hits[i]) for i, p in enumerate(picked)]


def _along(parts: list[LineString], ends: list) -> list[Stretch]:
    """Stretches between guide points, measured along the first part that holds them."""
    out = []
    for a, b in ends:
        part = min(parts, key=lambda p: p.distance(a) + p.distance(b)) if parts else None
        if part is None:
            continue
        s, e = sorted((part.project(a), part.project(b)))
        out.append(Stretch(round(s, 1), round(e, 1)))
    return out


def _inferred(parts, named, dist, picked, pts, normal, step) -> list[Stretch]:
    """Stations whose cluster holds no named way: runs of them as stretches."""
    named_hits = _crossings(pts, normal, REFINE_HALF_WIDTH_M, named)
    flags = []
    for i, p in enumerate(picked):
        if p is None:
            continue
        ok = any(p[0] - 1.0 <= h <= p[1] + 1.0 for h in named_hits[i])
        flags.append((i, not ok))
    stretches, start = [], None
    for k, (i, inferred) in enumerate(flags):
        if inferred and start is None:
            start = i
        end_here = start is not None and (not inferred or k == len(flags) - 1)
        if end_here:
            stop = i if inferred else flags[k - 1][0]
            a, b = shapely.Point(pts[start]), shapely.Point(pts[stop])
            if dist[stop] - dist[start] >= step:
                stretches += _along(parts, [(a, b)])
            start = None
    return stretches


def _extend(line: LineString, dist: float) -> LineString:
    """``line`` extended by ``dist`` metres at both ends along its end segments."""
    coords = np.asarray(line.coords)
    if len(coords) < 2:
        return line

    def push(end, inner):
        v = end - inner
        n = np.hypot(*v)
        return end if n == 0 else end + v / n * dist

    coords[0] = push(coords[0], coords[1])
    coords[-1] = push(coords[-1], coords[-2])
    return LineString(coords)


def extend_line(line: LineString, dist: float) -> LineString:
    """Public form of :func:`_extend`, used for corridors and guides."""
    return _extend(line, dist)


def bank_line(centre: LineString, water: BaseGeometry, direction: tuple[float, float], *,
              half_width: float = 400.0, step: float = STATION_M) -> LineString | None:
    """The bank of a river polygon on one side of its centre line.

    At each station the nearest crossing of the water area's outline on the
    side ``direction`` points to (``(-1, 0)`` for the west bank) is taken.
    """
    dist, pts, normal = _frames(centre, step)
    sign = np.sign(normal @ np.asarray(direction, dtype=float))
    crossings = _crossings(pts, normal, half_width, water.boundary)
    found = []
    for i, offsets in enumerate(crossings):
        side = np.asarray(offsets) * sign[i]
        ahead = side[side > 0]
        found.append(float(ahead.min()) if ahead.size else None)
    # Where the water area ends, cuts meet its end cap close to the centre line and
    # the bank would hook inwards: keep only stations at the bank's usual distance.
    usual = np.median([f for f in found if f is not None]) if any(f is not None for f in found) else 0.0
    points = [None if f is None or f < 0.5 * usual else pts[i] + normal[i] * f * sign[i]
              for i, f in enumerate(found)]
    runs, _ = _runs(dist, points, MAX_GAP_M)
    if not runs:
        return None
    best = max(runs, key=len)
    return LineString([points[i] for i in best]).simplify(0.5)
