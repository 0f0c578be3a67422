"""Coordinate reference systems: WGS-84 for storage, EPSG:4549 for measuring."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

WGS84 = "EPSG:4326"
#: CGCS2000 / 3-degree Gauss-Kruger CM 120E: metric, valid 118.5–121.5°E.
METRIC = "EPSG:4549"
SQM_PER_HA = 10_000.0
#: 1 亩 = 10000/15 m².
SQM_PER_MU = 10_000.0 / 15.0


@lru_cache(maxsize=2)
def _transformer(src: str, dst: str) -> Transformer:
    return Transformer.from_crs(src, dst, always_xy=True)


def _project(geom: BaseGeometry, src: str, dst: str) -> BaseGeometry:
    transformer = _transformer(src, dst)

    def apply(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))

    return shapely.transform(geom, apply)


def to_metric(geom: BaseGeometry) -> BaseGeometry:
    """Project a WGS-84 geometry to EPSG:4549 metres."""
    return _project(geom, WGS84, METRIC)


def to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    """Project an EPSG:4549 geometry back to WGS-84 lon/lat."""
    return _project(geom, METRIC, WGS84)


def area_ha(geom_wgs84: BaseGeometry) -> float:
    """Area of a WGS-84 geometry in hectares, measured in EPSG:4549."""
    return to_metric(geom_wgs84).area / SQM_PER_HA
