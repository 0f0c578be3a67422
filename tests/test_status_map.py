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
