"""The leaders' map: zones and parks with every located project coloured by its status."""

from __future__ import annotations

from collections import Counter

import folium
import geopandas as gpd

from layers.data import Layers
from layers.escape import html_text
from layers.geometry.stretch import marker_point
from layers.maps.basemaps import Basemap
from layers.maps.print import STATUS_COLORS, status_of
from layers.maps.views import (STYLE, add_project_pane, by_place, fit_first_view, geojson_layer, layer_geojson,
                               located, marker_layer, new_map, place_label, shift)
from layers.plan.projects import STATUS_LABELS


#: A place whose projects are in different states.
MIXED_COLOR = "#e7298a"  # magenta: no status colour is near it (the purple it was matched 已获批/入选)
MIXED_LABEL = "多种状态（同一地点）"


def status_features(projects: gpd.GeoDataFrame, basemap: Basemap) -> list[dict]:
    """One GeoJSON point per place with an escaped label, coloured by its projects' status.

    Projects at exactly the same point (a plaza named for several) share one marker that lists them
    all; drawn one on top of the other, only the top one could be hovered. Its colour is their
    status, or :data:`MIXED_COLOR` when they differ (``mixed``).
    """
    places = by_place(((r, marker_point(r.geometry)) for r in projects.itertuples() if located(r.geometry)), basemap)
    features = []
    for (x, y), rows in places.items():
        statuses = [status_of(getattr(r, "status", None)) for r in rows]
        exact = [getattr(r, "location_precision", "") == "exact" for r in rows]
        names = [f"{html_text(r.name)} · {STATUS_LABELS[status]}" + ("" if ok else "（位置仅到片区/园区）")
                 for r, status, ok in zip(rows, statuses, exact)]
        mixed = len(set(statuses)) > 1
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [x, y]}, "properties": {
            "id": html_text(rows[0].id), "ids": [html_text(r.id) for r in rows], "kind": "project",
            "label": place_label(names),
            "color": MIXED_COLOR if mixed else STATUS_COLORS[statuses[0]], "exact": all(exact), "mixed": mixed}})
    return features


def status_counts(projects: gpd.GeoDataFrame | None) -> Counter:
    """Projects per status code (all projects, located or not)."""
    if projects is None or not len(projects):
        return Counter()
    return Counter(status_of(s) for s in projects.get("status", []))


def status_map(layers: Layers, features: list[dict], basemap: Basemap,
               asset_urls: dict[str, str]) -> folium.Map:
    """District, zones and parks, and the projects as circles in their status colour (hollow: zone/park only)."""
    m = new_map(basemap, asset_urls)
    geojson_layer(layer_geojson(layers.district, basemap, kind="district"), "潍城区界", STYLE["district"],
                  tooltip=False).add_to(m)
    geojson_layer(layer_geojson(layers.zones, basemap, kind="zone"), "十大片区", STYLE["zone"]).add_to(m)
    geojson_layer(layer_geojson(layers.parks, basemap, kind="park"), "十大园区", STYLE["park"]).add_to(m)
    data = {"type": "FeatureCollection", "features": features}

    def style(feature: dict) -> dict:
        p = feature["properties"]
        # Filled white when hollow: an unfilled circle took the pointer only on its ring.
        return {"color": p["color"], "fill": True, "fillColor": p["color"] if p["exact"] else "#ffffff",
                "weight": 3, "radius": 8, "fillOpacity": 0.9}

    add_project_pane(m)
    marker_layer(data, "项目（按状态着色）", style, radius=8).add_to(m)
    if len(layers.district):
        minx, miny, maxx, maxy = shift(layers.district.geometry.iloc[0], basemap).bounds
        fit_first_view(m, [[miny, minx], [maxy, maxx]])
    folium.LayerControl(collapsed=True).add_to(m)
    return m
