"""Folium pieces of the review pages: old and new outlines, status colours, the tracing tool."""

from __future__ import annotations

import folium
import folium.plugins
import geopandas as gpd
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from layers.escape import html_text
from layers.maps.basemaps import Basemap
from layers.maps.views import _DRAW_LOCALE_JS, STYLE, _Script, geojson_layer, layer_geojson, new_map, shift, use_local_assets
from layers.review.status import DEFAULT_STATUS, STATUS_COLORS

OLD_STYLE = {"color": "#555555", "weight": 3, "fill": False, "dashArray": "6 6"}
NEW_STYLE = {"color": "#e74c3c", "weight": 3, "fillColor": "#e74c3c", "fillOpacity": 0.12}
LINE_STYLE = {"color": "#8e44ad", "weight": 5, "opacity": 0.9}


def outline_group(items: list[tuple[object, str]], basemap: Basemap, *, style: dict, name: str) -> folium.FeatureGroup:
    """Outlines (GeoJSON dicts or shapely geometries, WGS-84) with an escaped tooltip each."""
    group = folium.FeatureGroup(name=name)
    for geom, label in items:
        if geom is None:
            continue
        geom = geom if isinstance(geom, BaseGeometry) else shape(geom)
        if geom.is_empty:
            continue
        folium.GeoJson(mapping(shift(geom, basemap)), style_function=lambda _f, s=style: dict(s),
                       tooltip=folium.Tooltip(html_text(label)) if label else None).add_to(group)
    return group


def before_after_groups(changes, basemap: Basemap, *, before: str = "修改前", after: str = "修改后") -> list:
    """Two groups for :class:`~layers.review.diff.AreaChange` items: old outlines dashed grey, new ones red."""
    return [outline_group([(c.before, f"{c.name}（{before}）") for c in changes], basemap, style=OLD_STYLE, name=before),
            outline_group([(c.after, f"{c.name}（{after}）") for c in changes], basemap, style=NEW_STYLE, name=after)]


def zones_map(zones: gpd.GeoDataFrame, basemap: Basemap, asset_urls: dict[str, str]) -> folium.Map:
    """The zones review page's base map: every zone outlined; the chosen zone's edges come per run."""
    m = new_map(basemap, asset_urls)
    geojson_layer(layer_geojson(zones, basemap, kind="zone"), "十大片区", STYLE["zone"]).add_to(m)
    return m


def review_map(zones: gpd.GeoDataFrame, parks: gpd.GeoDataFrame, basemap: Basemap, asset_urls: dict[str, str], *,
               trace: bool = False) -> folium.Map:
    """A base map with faint zones and parks; with ``trace`` a line-only drawing tool."""
    m = new_map(basemap, asset_urls)
    faint = {**STYLE["zone"], "fillOpacity": 0.05, "weight": 1}
    geojson_layer(layer_geojson(zones, basemap, kind="zone"), "十大片区", faint).add_to(m)
    geojson_layer(layer_geojson(parks, basemap, kind="park"), "十大园区", {**STYLE["park"], "fillOpacity": 0.05,
                                                                      "weight": 1}).add_to(m)
    if trace:
        _Script(_DRAW_LOCALE_JS).add_to(m)
        draw = folium.plugins.Draw(
            export=False, position="topleft", show_geometry_on_click=False,
            draw_options={"polyline": {"shapeOptions": {"color": "#8e44ad", "weight": 4}}, "polygon": False,
                          "rectangle": False, "circle": False, "marker": False, "circlemarker": False},
            edit_options={"edit": True, "remove": True})
        use_local_assets(draw, asset_urls)
        draw.add_to(m)
    return m


def status_group(frame: gpd.GeoDataFrame, kind: str, marked: dict[tuple[str, str], str], basemap: Basemap,
                 name: str = "审查状态") -> folium.FeatureGroup:
    """Areas filled with the colour of their review status (待核实 grey, 已核实 green, 有异议 red)."""
    group = folium.FeatureGroup(name=name)
    for row in frame.itertuples():
        if row.geometry is None or row.geometry.is_empty:
            continue
        status = marked.get((kind, row.id), DEFAULT_STATUS)
        color = STATUS_COLORS[status]
        folium.GeoJson(mapping(shift(row.geometry, basemap)),
                       style_function=lambda _f, c=color: {"color": c, "fillColor": c, "weight": 2, "fillOpacity": 0.35},
                       tooltip=folium.Tooltip(html_text(f"{row.name}：{status}"))).add_to(group)
    return group

