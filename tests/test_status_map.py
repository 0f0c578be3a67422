"""The leaders' map (layers/maps/status_map.py): one marker per place, filled, hoverable."""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import Point

from layers.data import load_layers
from layers.maps.basemaps import available_basemaps
from layers.maps.print import STATUS_COLORS
from layers.maps.status_map import MIXED_COLOR, status_features, status_map

OSM = available_basemaps({})["osm"]


def frame(rows: list[dict]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def test_projects_at_one_point_share_one_marker_listing_them_all():
    """They were drawn on top of each other: only the top one could be hovered."""
    here, there = Point(119.09, 36.70), Point(119.10, 36.71)
    features = status_features(frame([
        {"id": "a", "name": "和平广场<b>", "status": "new", "location_precision": "park", "geometry": here},
        {"id": "b", "name": "坤泰城", "status": "existing", "location_precision": "park", "geometry": here},
        {"id": "c", "name": "单独项目", "status": "new", "location_precision": "exact", "geometry": there},
        {"id": "d", "name": "同状态", "status": "new", "location_precision": "exact", "geometry": there},
    ]), OSM)
    assert len(features) == 2
    shared, same = (f["properties"] for f in features)
    assert shared["ids"] == ["a", "b"] and shared["label"].startswith("此处 2 个项目：")
    assert "和平广场&lt;b&gt;" in shared["label"] and "坤泰城" in shared["label"]
    assert shared["mixed"] and shared["color"] == MIXED_COLOR and not shared["exact"]
    assert not same["mixed"] and same["color"] == STATUS_COLORS["new"] and same["exact"]


def test_markers_are_filled_in_their_own_pane_with_their_own_tooltips():
    """Unfilled circles took the pointer only on their ring, and the zone below got the rest."""
    data = load_layers()
    html = status_map(data, status_features(data.projects, OSM), OSM, {}).get_root().render()
    assert '"fill": true' in html and '"pane": "projects"' in html
    assert "bindTooltip(feature.properties.label" in html
    assert '"bubblingMouseEvents": false' in html


def _lab(hex_color: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour."""
    r, g, b = (int(hex_color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    r, g, b = (((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92 for c in (r, g, b))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def test_a_place_of_several_states_is_coloured_unlike_any_one_state():
    """"多种状态" (#5b4b8a) and 已获批/入选 (#5e4fa2) looked the same on the map and in its legend."""
    mixed = _lab(MIXED_COLOR)
    for code, color in STATUS_COLORS.items():
        assert sum((a - b) ** 2 for a, b in zip(mixed, _lab(color))) ** 0.5 > 30, code
