"""Pitch pack: text extracted from the PDF holds the park's name, area and industries in both languages."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from layers.data import load_layers
from layers.invest.finder import load_synonyms
from layers.invest.names import load_names
from layers.maps.pitch import STATUS_EN, area_lines, excerpt, park_targets, pitch_pack, wrap
from layers.maps.print import PrintError
from layers.maps.profile import find_cjk_font
from layers.plan.projects import STATUS_LABELS

pytestmark = pytest.mark.skipif(find_cjk_font() is None, reason="needs a CJK font (Debian fonts-noto-cjk)")


@pytest.fixture(scope="module")
def data():
    return load_layers()


def pages(raw: bytes) -> list[str]:
    # pypdf may break a long line anywhere: compare without line breaks
    return [p.extract_text().replace("\n", "") for p in PdfReader(io.BytesIO(raw)).pages]


@pytest.fixture(scope="module")
def logistics(data):
    return pages(pitch_pack(data, "高端智慧物流园", version="v3", when=date(2026, 5, 4)))


def test_pack_has_cover_map_chinese_english_projects_targets_and_sources(logistics):
    assert len(logistics) >= 5
    cover, location, chinese, english, rest = logistics[0], logistics[1], logistics[2], logistics[3], \
        "".join(logistics[4:])
    assert "高端智慧物流园" in cover and "High-end Smart Logistics Park" in cover
    assert "区位图" in location and "Location map" in location and "EPSG:4549" in location
    assert "近似范围，误差约 1500 米" in location and "approximate outline, ±1500 m" in location
    assert "Scale 1:" in location
    assert "园区概况" in chinese and "The park in English" in english
    assert "相关项目" in rest and "Related projects" in rest
    assert "资料来源" in rest and "Layer version: v3" in rest and "2026-05-04" in rest


def test_area_in_both_unit_systems(data, logistics):
    ha = float(data.parks.set_index("name").at["高端智慧物流园", "area_ha"])
    text = "".join(logistics)
    assert f"{ha:,.1f} 公顷" in text and f"{ha * 15:,.0f} 亩" in text
    assert f"{ha:,.1f} hectares" in text and f"{ha * 2.4710538:,.0f} acres" in text


def test_industries_in_both_languages_and_the_translation_is_marked(data, logistics):
    text = "".join(logistics)
    names = load_names()
    for industry in data.parks.set_index("name").at["高端智慧物流园", "industries"]:
        assert industry in text
        assert names.get("industry", industry) in text
    positioning = data.parks.set_index("name").at["高端智慧物流园", "positioning"]
    assert positioning[:30] in text  # quoted from the plan
    assert "[Translation]" in text and "not part of the plan" in text
    assert "national-level smart logistics hub" in text


def test_targets_for_the_park_industries_are_listed_with_their_citation(data, logistics):
    text = "".join(logistics)
    park = data.parks.set_index("name").loc["高端智慧物流园"].copy()
    park["name"] = "高端智慧物流园"
    found = park_targets(data.targets, park, load_synonyms())
    assert found["indicator"].str.contains("物流企业").sum() >= 2  # A级物流企业, 限额以上物流企业
    for row in found.itertuples():
        assert row.indicator in text and row.citation in text


def test_park_targets_skip_unrelated_categories(data):
    park = data.parks.set_index("name").loc["金融总部产业园"].copy()
    park["name"] = "金融总部产业园"
    found = park_targets(data.targets, park, load_synonyms())
    # 保险 is one of the park's industries; the plan's insurance *enrolment* targets are not about insurers
    assert not found["indicator"].str.contains("参保").any()


def test_unlocated_park_pack_says_so_in_both_languages(data):
    text = "".join(pages(pitch_pack(data, "金融总部产业园")))
    assert "金融总部产业园" in text and "Finance Headquarters Industrial Park" in text
    assert "本园区未定位" in text and "Not located" in text
    assert "Yuehelou New Finance Industrial Park" in text and "月河楼新金融产业园" in text
    assert "规划未给出范围" in text and "Area: not given" in text
    # nothing measured, nothing drawn from bounds: the pack said both ("面积在 EPSG:4549 中量算", "依据规划“四至”…绘制")
    assert "中量算" not in text and "Area measured" not in text
    assert "四至”文字和示意道路线位绘制" not in text and "bounding roads on schematic" not in text
    for industry in ("银行", "融资租赁", "banking", "financial leasing"):
        assert industry in text


def test_related_projects_with_status_in_both_languages(data):
    text = "".join(pages(pitch_pack(data, "高端商贸产业园")))
    linked = data.projects[data.projects["park"] == "高端商贸产业园"]
    assert {"和平广场", "坤泰城"} <= set(linked["name"])
    for row in linked.itertuples():
        assert f"{row.name} — {STATUS_LABELS[row.status]} / {STATUS_EN[row.status]}" in text


def test_unknown_park_is_refused(data):
    with pytest.raises(PrintError, match="没有名为“某园”的园区"):
        pitch_pack(data, "某园")


def test_area_lines():
    zh, en = area_lines(100.0)
    assert zh == "面积：约 100.0 公顷（1,500 亩）" and en == "Area: approx. 100.0 hectares (247 acres)"
    assert "无法计算" in area_lines(float("nan"))[0]


def test_wrap_keeps_latin_words_whole_and_breaks_chinese_anywhere():
    lines = wrap("international rehabilitation hospital " * 4, 2.0, 10)
    assert all(len(line) <= 40 for line in lines) and len(lines) > 2
    assert all(not line.endswith("rehabilitat") for line in lines)
    assert "".join(wrap("潍城区" * 30, 1.0, 10)) == "潍城区" * 30


def test_excerpt_centres_on_the_project_name_and_marks_cuts():
    quote = "甲" * 100 + "和平广场" + "乙" * 100
    out = excerpt(quote, "和平广场", 40)
    assert "和平广场" in out and out.startswith("…") and out.endswith("…") and len(out) == 42
    assert excerpt("短句和平广场。", "和平广场") == "短句和平广场。"


def test_wrap_never_starts_a_line_with_a_closing_mark_nor_ends_one_with_an_opening_mark(data):
    # The plan's own positioning texts, at every width a pack column may have: "”" or "，" alone at the
    # start of a line (an orphan the pack had) reads as a typo to an investor.
    texts = [str(p) for p in data.parks["positioning"] if str(p).strip()]
    assert len(texts) >= 8
    broken = 0
    for text in texts:
        for tenths in range(30, 68):
            lines = wrap(text, tenths / 10, 10)
            broken += len(lines) > 1
            assert "".join(lines).replace(" ", "") == "".join(text.split())
            for line in lines[1:]:
                assert line[:1] not in "）》”’」】，。、：；！？)", (tenths, line)
            for line in lines[:-1]:
                assert line[-1:] not in "（《“‘「【(", (tenths, line)
    assert broken > 100  # the widths do break the texts


def test_an_imported_projects_status_is_its_own_words_not_unstated():
    """An imported 在建 read "未说明 / not stated in the plan" in the pack."""
    from layers.maps.pitch import project_status

    assert project_status("在建", "import") == ("在建", "as written in our project list")
    assert project_status("new", "plan") == (STATUS_LABELS["new"], STATUS_EN["new"])
    assert project_status(None, "import")[0] == STATUS_LABELS["unstated"]
    assert project_status("在建", "plan")[0] == STATUS_LABELS["unstated"]  # the plan's reading has codes only
