"""WGS-84 ↔ GCJ-02 ("Mars coordinates") used by Chinese web tiles such as AMap.

The forward transform is the public formula (Krasovsky ellipsoid constants).
The inverse has no closed form; it is solved by fixed-point iteration, which
converges to well under a millimetre in a few steps around Weifang.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

_A = 6378245.0
_EE = 0.00669342162296594323


def _outside_china(lon: float, lat: float) -> bool:
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _delta(lon: float, lat: float) -> tuple[float, float]:
    x, y = lon - 105.0, lat - 35.0
    dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y
            + 0.2 * math.sqrt(abs(x)))
    dlat += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    dlat += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    dlon += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlon += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    dlon += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Shift a WGS-84 position to GCJ-02.

    Parameters
    ----------
    lon, lat
        WGS-84 longitude and latitude in degrees.

    Returns
    -------
    tuple of float
        GCJ-02 ``(lon, lat)``; positions outside China are returned unchanged.
    """
    if _outside_china(lon, lat):
        return lon, lat
    dlon, dlat = _delta(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float, *, tol_deg: float = 1e-10) -> tuple[float, float]:
    """Invert :func:`wgs84_to_gcj02` by fixed-point iteration.

    Parameters
    ----------
    lon, lat
        GCJ-02 longitude and latitude in degrees.
    tol_deg
        Stop when a step moves less than this many degrees (1e-10° ≈ 0.01 mm).

    Returns
    -------
    tuple of float
        WGS-84 ``(lon, lat)``.
    """
    wlon, wlat = lon, lat
    for _ in range(30):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        step_lon, step_lat = lon - glon, lat - glat
        wlon, wlat = wlon + step_lon, wlat + step_lat
        if abs(step_lon) < tol_deg and abs(step_lat) < tol_deg:
            break
    return wlon, wlat


def _transform_geometry(geom: BaseGeometry, func: Any) -> BaseGeometry:
    def apply(coords):
        return [func(x, y) for x, y in coords]

    return shapely.transform(geom, lambda arr: np.array(apply(arr), dtype=float).reshape(-1, 2))


def geometry_to_gcj02(geom: BaseGeometry) -> BaseGeometry:
    """Return a copy of a WGS-84 geometry shifted to GCJ-02 (for AMap display)."""
    return _transform_geometry(geom, wgs84_to_gcj02)


def geometry_to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    """Return a copy of a GCJ-02 geometry shifted back to WGS-84."""
    return _transform_geometry(geom, gcj02_to_wgs84)
