"""Names from data or users must come out inert in every place that renders them."""

from __future__ import annotations

import copy
import re

import geopandas as gpd
import pytest
from shapely.geometry import box

from layers.maps.basemaps import available_basemaps
from layers.data import load_layers
from layers.escape import html_text
from layers.maps.views import base_map, edges_group, highlight_group, project_layer
from layers.maps.profile import park_profile_html
from layers.search import search

EVIL = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "`${alert(1)}`", "</script><b>x"]
RAW_MARKERS = ["<script>alert", "<img src=x", "${alert", "</script><b>"]


@pytest.fixture(scope="module")
def evil_layers():
    data = copy.deepcopy(load_layers())
    for frame in (data.zones, data.parks, data.gazetteer):
        frame["name"] = [EVIL[i % len(EVIL)] + str(i) for i in range(len(frame))]
    data.edges["feature"] = [EVIL[i % len(EVIL)] for i in range(len(data.edges))]
    data.edges["qualifier"] = EVIL[0]
    data.projects = gpd.GeoDataFrame(
        {"id": ["p1", "p2"], "name": EVIL[:2], "category": [EVIL[2], "industry"],
         "location_precision": ["exact", "zone"]},
        geometry=[box(119.0, 36.7, 119.001, 36.701).centroid] * 2, crs="EPSG:4326")
    return data


def assert_inert(html: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in html, f"unescaped {marker!r} reached the HTML"


@pytest.mark.parametrize("basemap", ["osm", "amap"])
def test_overview_map_escapes_every_name(evil_layers, basemap):
    m = base_map(evil_layers, available_basemaps()[basemap], {})
    highlight_group([evil_layers.zones.geometry.iloc[0]], available_basemaps()[basemap]).add_to(m)
    html = m.get_root().render()
    assert_inert(html)
    assert "&lt;script&gt;alert(1)" in html or "\\u0026lt;script\\u0026gt;alert(1)" in html


def test_edge_labels_and_project_tooltips_are_escaped(evil_layers):
    osm = available_basemaps()["osm"]
    m = base_map(evil_layers, osm, {}, roads=False)
    edges_group(evil_layers.edges.head(8), osm).add_to(m)
    project_layer(evil_layers.projects, osm).add_to(m)
    assert_inert(m.get_root().render())


def test_park_profile_escapes_text(evil_layers):
    park = evil_layers.parks.iloc[0].to_dict()
    park["description"] = EVIL[1]
    park["industries"] = [EVIL[0]]
    html = park_profile_html(park, evil_layers.district.geometry.iloc[0], [EVIL[2]])
    assert_inert(html)


def test_search_labels_keep_text_for_streamlit(evil_layers):
    hits = search(evil_layers, "script")
    # Streamlit widgets escape their labels themselves: search keeps the raw text.
    assert hits and all("script" in h.name and "<" in h.name for h in hits)


@pytest.mark.parametrize("raw, expected", [
    ("<b>", "&lt;b&gt;"), ("`x`", "&#96;x&#96;"), ("${x}", "&#36;{x}"), ("a\\b", "a&#92;b"), (None, ""),
    ('"q"', "&quot;q&quot;"),
])
def test_html_text(raw, expected):
    assert html_text(raw) == expected


# -- Markdown: every user/file/URL string reaches Streamlit's Markdown escaped (issue 10, item 3) --

from layers.escape import cell_text, md_text  # noqa: E402

MD_ATTACKS = ["[重新登录](http://host)", "![](http://host)", ":red[**系统已停用…**]", "![t](http://host/x.png)",
              "<img src=http://host/x.png>", "http://host/x", "www.host.com", "$x^2$", "~~删~~", "# 标题",
              "1. 列表", "| a | b |", ":material/warning:", "a\n\n[链接](http://host)", "x@host.com"]
_UNESCAPED = re.compile(r"(?<!\\)(?:\\\\)*[\[\]()!:<>*_`$~#|]")


def md_unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


@pytest.mark.parametrize("raw", MD_ATTACKS)
def test_md_text_leaves_no_markdown_syntax_active(raw):
    out = md_text(raw)
    assert not _UNESCAPED.search(out), out
    assert "\n" not in out
    # the reader still sees exactly what was typed (bare URLs carry an invisible zero-width space)
    assert md_unescape(out).replace("\u200b", "") == " ".join(raw.splitlines())


@pytest.mark.parametrize("raw", ["http://host/x", "HTTPS://host", "www.host.com", "me@host.com"])
def test_md_text_keeps_bare_urls_from_becoming_links(raw):
    # GFM links bare URLs after escapes are resolved: the scheme, www. and @ must be broken up.
    out = md_unescape(md_text(raw))
    assert not re.search(r"(?i)https?://|www\.|@\w", out)


@pytest.mark.parametrize("raw, expected", [(None, ""), (float("nan"), ""), ("站南片区", "站南片区"), (12.5, "12\\.5")])
def test_md_text_on_plain_values(raw, expected):
    assert md_text(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("=1+2", "'=1+2"), ("+86 123", "'+86 123"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=x", "'\t=x"), ("\r=x", "'\r=x"), ("站南", "站南"), (-5.0, -5.0), (None, None),
])
def test_cell_text_neutralises_formulas(raw, expected):
    assert cell_text(raw) == expected
