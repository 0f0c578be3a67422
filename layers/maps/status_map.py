"""The leaders' map: zones and parks with every located project coloured by its status."""

from __future__ import annotations

import math
from collections import Counter

import folium
import geopandas as gpd

from layers.data import Layers
from layers.escape import html_text
from layers.maps.basemaps import Basemap
from layers.maps.print import STATUS_COLORS
from layers.maps.views import STYLE, fit_first_view, geojson_layer, layer_geojson, new_map, shift
from layers.plan.projects import STATUS_LABELS


def _located(geom) -> bool:
    return geom is not None and not geom.is_empty and all(math.isfinite(v) for v in geom.bounds)


def status_of(value) -> str:
    """A known status code; anything else (missing, a user's free text) counts as ``unstated``."""
    return value if value in STATUS_COLORS else "unstated"


def status_features(projects: gpd.GeoDataFrame, basemap: Basemap) -> list[dict]:
    """One GeoJSON point per located project, with an escaped label and its status colour."""
    features = []
    for row in projects.itertuples():
        if not _located(row.geometry):
            continue
        status = status_of(getattr(row, "status", None))
        exact = getattr(row, "location_precision", "") == "exact"
        # A road-stretch project (a line) is marked at the middle of its stretch.
        geom = row.geometry if row.geometry.geom_type == "Point" else row.geometry.interpolate(0.5, normalized=True)
        point = shift(geom, basemap)
        label = f"{html_text(row.name)} · {STATUS_LABELS[status]}" + ("" if exact else "（位置仅到片区/园区）")
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(point.x, 5),
                                                                                      round(point.y, 5)]},
                         "properties": {"id": html_text(row.id), "kind": "project", "label": label,
                                        "color": STATUS_COLORS[status], "exact": exact}})
    return features


def status_counts(projects: gpd.GeoDataFrame | None) -> Counter:
    """Projects per status code (all projects, located or not)."""
    if projects is None or not len(projects):
        return Counter()
    return Counter(status_of(s) for s in projects.get("status", []))


def status_map(layers: Layers, projects: gpd.GeoDataFrame, basemap: Basemap,
               asset_urls: dict[str, str]) -> folium.Map:
    """District, zones and parks, and the projects as circles in their status colour (hollow: zone/park only)."""
    m = new_map(basemap, asset_urls)
    geojson_layer(layer_geojson(layers.district, basemap, kind="district"), "潍城区界", STYLE["district"],
                  tooltip=False).add_to(m)
    geojson_layer(layer_geojson(layers.zones, basemap, kind="zone"), "十大片区", STYLE["zone"]).add_to(m)
    geojson_layer(layer_geojson(layers.parks, basemap, kind="park"), "十大园区", STYLE["park"]).add_to(m)
    data = {"type": "FeatureCollection", "features": status_features(projects, basemap)}

    def style(feature: dict) -> dict:
        p = feature["properties"]
        return {"color": p["color"], "fillColor": p["color"] if p["exact"] else "#ffffff", "weight": 3,
                "radius": 8, "fillOpacity": 0.9}

    folium.GeoJson(data, name="项目（按状态着色）", marker=folium.CircleMarker(radius=8), style_function=style,
                   tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False, sticky=True)).add_to(m)
    if len(layers.district):
        minx, miny, maxx, maxy = shift(layers.district.geometry.iloc[0], basemap).bounds
        fit_first_view(m, [[miny, minx], [maxy, maxx]])
    folium.LayerControl(collapsed=True).add_to(m)
    return m
