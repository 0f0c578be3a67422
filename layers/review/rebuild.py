"""Apply one boundary change to a layer version and rebuild every zone and park.

A layer version is a set of files (``zones.geojson``, ``parks.geojson``,
``edges.geojson``, ``gazetteer.geojson``, ``report.json``, ``report.txt``).
Everything needed to rebuild it is in those files: each area's 四至 clause
and the gazetteer lines. A change replaces one of them, then every area is
rebuilt with the build's own code (:func:`layers.geometry.polygons.build_area`,
the checks of :mod:`layers.geometry.checks`, the features of
:mod:`layers.build`), so one corrected road reshapes every zone and park it
bounds, with the same topology rules as ``python -m layers.build``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from functools import lru_cache
from pathlib import Path

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from layers.build import build_areas, gazetteer_features, report_files
from layers.geometry.crs import to_metric
from layers.geometry.gazetteer import Gazetteer, GazetteerFeature, district_geometry, load_districts
from layers.geometry.geojson_io import dumps, feature_collection, geometry_json
from layers.geometry.polygons import BuildError, BuiltArea
from layers.paths import GEODATA, INPUTS
from layers.plan.areas import PlanArea
from layers.plan.bounds import SIDE_NAMES, SIDES, Bounds, BoundsError, parse_bounds
from layers.plan.sections import Citation

#: The files a layer version consists of.
VERSION_FILES = ("zones.geojson", "parks.geojson", "edges.geojson", "gazetteer.geojson",
                 "report.json", "report.txt")
KINDS = {"feature": "更换边界地物", "text": "修改四至文字", "line": "修正地物线位"}
MAX_CLAUSE = 2_000
#: Status of a gazetteer line that came from an approved review proposal.
REVIEWED_STATUS = "reviewed"


class ChangeError(ValueError):
    """A change that cannot be applied; the message (Chinese) says what and where."""


@dataclass
class Change:
    """One proposed boundary change.

    ``kind`` is ``feature`` (``area_id`` + ``side`` get ``feature``), ``text``
    (``area_id`` gets ``clause``) or ``line`` (the gazetteer feature
    ``feature`` gets ``geometry``, WGS-84 GeoJSON, with ``accuracy_m`` and a
    note on where the line came from in ``how``).
    """

    kind: str
    area_id: str | None = None
    side: str | None = None
    feature: str | None = None
    clause: str | None = None
    geometry: dict | None = None
    accuracy_m: float | None = None
    how: str = ""
    label: str = ""

    def to_payload(self) -> dict:
        """JSON-ready form stored with a proposal."""
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}

    @classmethod
    def from_payload(cls, payload: dict) -> "Change":
        """The change stored in a proposal's payload."""
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in payload.items() if k in known})


@dataclass
class Rebuilt:
    """A rebuilt layer version: its files, the built areas and their checks."""

    files: dict[str, str]
    built: dict[str, BuiltArea] = field(default_factory=dict)
    checks: list[dict] = field(default_factory=list)


def base_files(geodata: Path = GEODATA) -> dict[str, str]:
    """The files of version 0: the plan-derived layers in ``geodata/``."""
    return {name: (geodata / name).read_text(encoding="utf-8") for name in VERSION_FILES
            if (geodata / name).exists()}


@lru_cache(maxsize=2)
def district_metric(inputs: Path = INPUTS) -> BaseGeometry:
    """Weicheng's polygon in EPSG:4549 (what every area is clipped to)."""
    return to_metric(district_geometry(load_districts(inputs / "districts.geojson")))


def features_of(files: dict[str, str], name: str) -> list[dict]:
    """The features of one GeoJSON file of a version."""
    return json.loads(files[name])["features"]


def area_features(files: dict[str, str]) -> list[dict]:
    """Every zone and park feature of a version (zones first, in file order)."""
    return features_of(files, "zones.geojson") + features_of(files, "parks.geojson")


def find_area(files: dict[str, str], area_id: str) -> dict:
    """The zone or park feature with ``area_id``.

    Raises
    ------
    ChangeError
        When no zone or park has that id.
    """
    for feat in area_features(files):
        if feat["properties"]["id"] == area_id:
            return feat
    raise ChangeError(f"没有编号为“{area_id}”的片区或园区")


def gazetteer_of(files: dict[str, str]) -> Gazetteer:
    """The gazetteer a version was built with, read back from its ``gazetteer.geojson``."""
    out = []
    for feat in features_of(files, "gazetteer.geojson"):
        props = feat["properties"]
        out.append(GazetteerFeature(
            name=props["name"], kind=props.get("kind", "road"), geometry=shape(feat["geometry"]),
            source=props.get("source", ""), accuracy_m=props.get("accuracy_m") or 0,
            geometry_status=props.get("geometry_status", "approximate"),
            aliases=list(props.get("aliases") or []),
            osm_way_ids=[int(i) for i in props.get("osm_way_ids") or []]))
    return Gazetteer(out)


def clause_text(bounds: Bounds) -> str:
    """A 四至 clause written back from bounds, in the plan's phrasing (东至…、西至…，南至…、北至…)."""
    parts = []
    for side in SIDES:
        names = [f"{f}{q or ''}" for f, q in zip(bounds.features(side), bounds.qualifier_list(side))]
        if names:
            parts.append(f"{SIDE_NAMES[side]}至" + "、".join(names))
    return "、".join(parts[:2]) + ("，" + "、".join(parts[2:]) if parts[2:] else "")


def _plan_area(props: dict, bounds: Bounds | None) -> PlanArea:
    """The plan's area as the build saw it, read back from its feature's properties."""
    detail = {k: v for k, v in (props.get("citation_detail") or {}).items() if k != "text"}
    citation = Citation(**detail) if detail else Citation(chapter="", chapter_title=props.get("citation", ""))
    # every other PlanArea field the feature carries (industries, positioning, sites …), whatever the build adds
    known = {f.name for f in fields(PlanArea)} - {"bounds", "citation"}
    values = {k: v for k, v in props.items() if k in known and v is not None}
    return PlanArea(**{"number": 0, "description": "", **values}, citation=citation, bounds=bounds)


def _parse(name: str, clause: str) -> Bounds:
    try:
        return parse_bounds(clause)
    except BoundsError as exc:
        raise ChangeError(f"{name}：{exc}") from None


def _complete(name: str, new: Bounds, old: Bounds | None) -> Bounds:
    """Refuse a new text that leaves open a side the old one closed (it would run to the district border)."""
    dropped = set(new.missing_sides()) - set(old.missing_sides() if old else [])
    if dropped:
        raise ChangeError(f"{name}：四至不完整（{new.missing_message()}），请写全四边")
    return new


def _swap(name: str, bounds: Bounds, side: str, feature: str, gazetteer: Gazetteer) -> Bounds:
    if side not in SIDES:
        raise ChangeError(f"{name}：方位“{side}”无效，应为东、西、南、北之一")
    feature = (feature or "").strip()
    if not feature:
        raise ChangeError(f"{name}：请填写{SIDE_NAMES[side]}侧的新边界地物")
    if feature not in gazetteer:
        raise ChangeError(f"{name}：{SIDE_NAMES[side]}侧的新边界“{feature}”不在地物表中，"
                          "请从列表中选择已有道路、河流或铁路，或先提交该地物的线位")
    setattr(bounds, side, feature)
    bounds.qualifiers.pop(side, None)
    bounds.clause = clause_text(bounds)
    return bounds


def _new_line(change: Change, gazetteer: Gazetteer) -> Gazetteer:
    if not change.feature or change.feature not in gazetteer:
        raise ChangeError(f"地物表中没有“{change.feature or ''}”：只能修正已有道路、河流或铁路的线位，"
                          "请从列表中选择地物")
    try:
        geom = shape(change.geometry)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise ChangeError(f"“{change.feature}”的新线位无法读取，请重新描绘或上传") from None
    if geom.geom_type not in ("LineString", "MultiLineString") or geom.is_empty or geom.length == 0:
        raise ChangeError(f"“{change.feature}”的新线位必须是一条线（收到 {geom.geom_type}）")
    old = gazetteer.get(change.feature)
    accuracy = change.accuracy_m if change.accuracy_m and change.accuracy_m > 0 else old.accuracy_m
    note = f"review: {change.label or '提案'}，{change.how or '审核修正线'}"
    new = GazetteerFeature(name=old.name, kind=old.kind, geometry=geom, source=note, accuracy_m=float(accuracy),
                           geometry_status=REVIEWED_STATUS, aliases=old.aliases)
    return Gazetteer([new if f.name == old.name else f for f in gazetteer.features])


def _area_bounds(files: dict[str, str], change: Change | None, gazetteer: Gazetteer) -> dict[str, Bounds | None]:
    """Each area's bounds after the change (``None`` for parks placed by buildings)."""
    out: dict[str, Bounds | None] = {}
    for feat in area_features(files):
        props = feat["properties"]
        bounds = _parse(props["name"], props["clause"]) if props.get("clause") else None
        if change is not None and props["id"] == change.area_id:
            if change.kind == "text":
                text = (change.clause or "").strip()
                if not text:
                    raise ChangeError(f"{props['name']}：四至描述为空，请输入如“东至白浪河、西至清平路，南至高家街、北至胶济铁路”")
                if len(text) > MAX_CLAUSE:
                    raise ChangeError(f"{props['name']}：四至描述过长（{len(text)} 字），请只保留四至部分")
                bounds = _complete(props["name"], _parse(props["name"], text), bounds)
            elif change.kind == "feature":
                if bounds is None:
                    raise ChangeError(f"{props['name']}：规划以楼宇定位该园区，没有四至可改")
                bounds = _swap(props["name"], bounds, change.side, change.feature, gazetteer)
        out[props["id"]] = bounds
    return out


def check_change(files: dict[str, str], change: Change) -> None:
    """Refuse a change that names nothing real (unknown kind or area).

    Raises
    ------
    ChangeError
        With a Chinese message.
    """
    if change.kind not in KINDS:
        raise ChangeError(f"提案类型“{change.kind}”无效，应为：" + "、".join(KINDS.values()))
    if change.kind in ("feature", "text"):
        find_area(files, change.area_id or "")


def rebuild(files: dict[str, str], change: Change | None = None, inputs: Path = INPUTS) -> Rebuilt:
    """Apply ``change`` to a version's files and rebuild every zone and park.

    Parameters
    ----------
    files
        The version to start from (see :data:`VERSION_FILES`).
    change
        The change; ``None`` rebuilds the version as it is.
    inputs
        The input folder holding the district polygons.

    Raises
    ------
    ChangeError
        When the change is invalid, a feature is unknown or the sides enclose
        nothing; the message names the area, the side and the feature.
    """
    gazetteer = gazetteer_of(files)
    if change is not None:
        check_change(files, change)
        if change.kind == "line":
            gazetteer = _new_line(change, gazetteer)
    bounds = _area_bounds(files, change, gazetteer)
    district_m = district_metric(inputs)
    features = area_features(files)
    areas = [_plan_area(f["properties"], bounds[f["properties"]["id"]]) for f in features]
    try:
        rebuilt = build_areas(areas, gazetteer, district_m, inputs)
    except BuildError as exc:
        raise ChangeError(str(exc)) from None
    result = Rebuilt(files={}, built=rebuilt.built, checks=rebuilt.checks)
    layers: dict[str, list[dict]] = {"zones": [], "parks": []}
    # build_areas lists each kind's features in the order of the areas of that kind.
    new_features = {a.name: f for kind in ("zone", "park")
                    for a, f in zip([a for a in areas if a.kind == kind], rebuilt.features[kind + "s"])}
    for feat, area in zip(features, areas):
        if area.name not in rebuilt.built:  # a park the plan places by buildings: kept as it is
            layers[area.kind + "s"].append(feat)
            continue
        new = new_features[area.name]
        layers[area.kind + "s"].append({"properties": {**feat["properties"], **new["properties"]},
                                        "geometry": new["geometry"]})
    for name, feats in layers.items():
        result.files[f"{name}.geojson"] = dumps(feature_collection(
            [{"properties": f["properties"], "geometry": _geometry(f["geometry"])} for f in feats], name=name))
    result.files["edges.geojson"] = dumps(feature_collection(rebuilt.edges, name="edges"))
    located = [a for a in areas if a.bounds]
    result.files["gazetteer.geojson"] = dumps(feature_collection(gazetteer_features(gazetteer, located),
                                                                 name="gazetteer"))
    result.files.update(report_files(result.checks, result.built))
    return result


def _geometry(geom):
    return geometry_json(geom) if isinstance(geom, BaseGeometry) else geom


def touched(files: dict[str, str], change: Change) -> set[str]:
    """What a change touches, for conflict detection: ``edge:AREA:SIDE`` and ``feature:NAME`` keys.

    A corrected line touches its feature and every edge made of it; a swap
    touches one edge; a new text touches every side whose features differ.
    """
    if change.kind == "line":
        keys = {f"feature:{change.feature}"}
        for feat in features_of(files, "edges.geojson"):
            props = feat["properties"]
            if props["feature"] == change.feature:
                keys.add(f"edge:{props['area_id']}:{props['side']}")
        return keys
    if change.kind == "feature":
        return {f"edge:{change.area_id}:{change.side}"}
    props = find_area(files, change.area_id or "")["properties"]
    old = _parse(props["name"], props["clause"]).as_dict() if props.get("clause") else {}
    new = _parse(props["name"], change.clause or "").as_dict()
    return {f"edge:{change.area_id}:{side}" for side in SIDES if old.get(side) != new.get(side)}


def describe(files: dict[str, str], change: Change) -> str:
    """One Chinese line saying what a change does (for lists and changelogs)."""
    if change.kind == "line":
        return f"修正“{change.feature}”的线位（{change.how or '审核修正线'}）"
    props = find_area(files, change.area_id or "")["properties"]
    if change.kind == "feature":
        return f"{props['name']}：{SIDE_NAMES.get(change.side, change.side)}侧边界改为“{change.feature}”"
    return f"{props['name']}：四至改为“{(change.clause or '').strip()}”"
