"""Measure lines and polygons drawn on the map, in EPSG:4549."""

from __future__ import annotations

from shapely.geometry import shape

from layers.maps.basemaps import Basemap
from layers.geometry.crs import SQM_PER_HA, SQM_PER_MU, to_metric
from layers.geometry.gcj02 import geometry_to_wgs84


def length_text(metres: float) -> str:
    """``850 米`` or ``2.35 公里``."""
    return f"{metres:,.0f} 米" if metres < 1000 else f"{metres / 1000:,.2f} 公里"


def measure_drawings(drawings: list[dict] | None, basemap: Basemap) -> list[str]:
    """One Chinese line per drawn shape: distance for lines, area (公顷, 亩) for polygons.

    Drawings come in the basemap's datum; on 高德 basemaps they are shifted
    back to WGS-84 before measuring.
    """
    out = []
    for i, feature in enumerate(drawings or [], start=1):
        try:
            geom = shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError):
            out.append(f"图形 {i}：无法识别，已忽略")
            continue
        if basemap.datum == "gcj02":
            geom = geometry_to_wgs84(geom)
        metric = to_metric(geom)
        if geom.geom_type in ("LineString", "MultiLineString"):
            out.append(f"线 {i}：长度 {length_text(metric.length)}")
        elif geom.geom_type in ("Polygon", "MultiPolygon"):
            out.append(f"面 {i}：面积 {metric.area / SQM_PER_HA:,.2f} 公顷（{metric.area / SQM_PER_MU:,.1f} 亩），"
                       f"周长 {length_text(metric.length)}")
    return out
