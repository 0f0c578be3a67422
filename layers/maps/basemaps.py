"""The basemaps the map offers, and which datum each one needs.

高德 (AMap) tiles are in GCJ-02: overlays must be shifted to line up.
OpenStreetMap and 天地图 tiles are WGS-84 (CGCS2000) and need no shift.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

TIANDITU_ENV = "TIANDITU_KEY"


@dataclass(frozen=True)
class TileSpec:
    """One tile layer of a basemap."""

    url: str
    attribution: str
    subdomains: str = "abc"
    max_zoom: int = 18


@dataclass(frozen=True)
class Basemap:
    """A basemap: its tiles (none for the offline mode) and datum."""

    key: str
    label: str
    datum: str
    tiles: tuple[TileSpec, ...] = ()


_OSM = Basemap("osm", "OpenStreetMap", "wgs84", (TileSpec(
    "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> 贡献者', "abc", 19),))
_AMAP = Basemap("amap", "高德地图（道路）", "gcj02", (TileSpec(
    "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
    "&copy; 高德地图 AutoNavi（GCJ-02，图层已偏移对齐）", "1234"),))
_AMAP_SAT = Basemap("amap_sat", "高德地图（卫星）", "gcj02", (TileSpec(
    "https://webst0{s}.is.autonavi.com/appmaptile?style=6&x={x}&y={y}&z={z}",
    "&copy; 高德地图 AutoNavi（GCJ-02，图层已偏移对齐）", "1234"),))
_NONE = Basemap("none", "无底图（离线）", "wgs84", ())


def _tianditu(key: str) -> Basemap:
    def layer(kind: str) -> TileSpec:
        return TileSpec(f"https://t{{s}}.tianditu.gov.cn/DataServer?T={kind}_w&x={{x}}&y={{y}}&l={{z}}&tk={key}",
                        "&copy; 天地图 国家地理信息公共服务平台", "01234567")
    return Basemap("tianditu", "天地图", "wgs84", (layer("vec"), layer("cva")))


def available_basemaps(env: dict[str, str] | None = None) -> dict[str, Basemap]:
    """The basemaps to offer; 天地图 only when its key is set in the environment."""
    env = os.environ if env is None else env
    maps = [_OSM, _AMAP, _AMAP_SAT]
    key = (env.get(TIANDITU_ENV) or "").strip()
    if key:
        maps.append(_tianditu(key))
    maps.append(_NONE)
    return {m.key: m for m in maps}


DEFAULT_BASEMAP = "osm"
