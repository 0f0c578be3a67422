"""Issue 10: no page may show "None", "nan", a traceback or an English fragment.

Every page of the router is opened with AppTest over a database holding
messy imported projects (no category, no status, no coordinates, a park
located only by buildings). Every piece of text a user can see is
collected: Markdown and alerts, headings, widget labels, options and
placeholders, table headers and cells, metrics, tabs and expanders.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from tests.test_app import APP, plain
from tests.test_app import fake_map, navigation_mode, own_database  # noqa: F401  (fixtures)

PAGES = re.findall(r'\("(pages/\w+\.py)"', Path(APP).read_text(encoding="utf-8").split("PAGES = [", 1)[1].split("]", 1)[0])
#: Words a Chinese user meets as names of formats, products, data sources or commands they must type.
ALLOWED_WORDS = {
    "GeoJSON", "KML", "GeoPackage", "CSV", "XLSX", "WGS", "EPSG", "GCJ", "OpenStreetMap", "QGIS", "ArcGIS",
    "Google", "Earth", "HTML", "PNG", "PDF", "UTF", "GBK", "SQLite", "PostgreSQL", "PostGIS", "OIDC", "cnmaps",
    "data", "MIT", "AMap", "AutoNavi", "ODbL", "python", "layers", "build", "WEICHENG_MAP_DB", "TIANDITU_KEY",
    "CGCS", "Excel", "WPS", "GPS", "API", "URL", "ZIP", "SVG", "DXF", "CAD", "OSM", "dpi", "UTC", "zip",
    "geodata", "osm_import",
}
#: Latin words the plan itself uses in names (胜利街BRT 改造, VR 公共服务平台) are the plan's words, not UI English.
ALLOWED_WORDS |= set(re.findall(r"[A-Za-z][A-Za-z_]{2,}", (Path(APP).parent / "geodata" / "inputs"
                                                          / "weicheng-14th-five-year-plan.txt").read_text(encoding="utf-8")))
#: Not read as words: HTML markup, link targets, page links, a user's own file names.
_NOT_TEXT = re.compile(r"<[^>]+>|&\w+;|\]\([^)]*\)|\./\?\S+|\./[a-z_]+\b|[^\s，、：（）]+\.(?:csv|xlsx|txt|html|png|zip|geojson|kml|gpkg)\b")
_BAD = re.compile(r"\bNone\b|\bnan\b|\bNaN\b|<NA>|Traceback|Error:|Exception")
_WORD = re.compile(r"[A-Za-z][A-Za-z_]{2,}")
_FIELDS = ("body", "label", "options", "placeholder", "help", "value", "caption", "text")


def _strings(proto, depth: int = 0):
    """Every user-facing string field of a protobuf message (label, body, options …)."""
    if depth > 3 or not hasattr(proto, "ListFields"):
        return
    for field, value in proto.ListFields():
        if field.name in _FIELDS:
            values = [value] if isinstance(value, str) or hasattr(value, "ListFields") else list(value)
            for v in values:
                if isinstance(v, str):
                    yield v
        elif field.name in ("expandable", "tab", "popover") and hasattr(value, "ListFields"):
            yield from _strings(value, depth + 1)


def visible_texts(node) -> list[str]:
    """What a user can read anywhere in an AppTest tree."""
    out: list[str] = []
    kind = getattr(node, "type", "")
    if kind in ("bidi_component", "html", "code"):  # the map's script and styles are code, not text
        return out
    if kind in ("arrow_data_frame", "dataframe", "table"):
        frame = pd.DataFrame(node.value)
        config = json.loads(node.proto.columns or "{}") if hasattr(node.proto, "columns") else {}
        shown = [c for c in frame.columns if not (config.get(str(c)) or {}).get("hidden")]
        out += [str((config.get(str(c)) or {}).get("label") or c) for c in shown]
        out += [str(v) for v in frame[shown].astype(object).to_numpy().ravel()]
        return out
    proto = getattr(node, "proto", None)
    if proto is not None:
        out += list(_strings(proto))
    for child in getattr(node, "children", {}).values():
        out += visible_texts(child)
    return out


def problems(texts: list[str]) -> list[str]:
    found = []
    for raw in texts:
        text = re.sub(r"`[^`]*`", "", plain(raw))  # code spans: column names a user must type
        text = re.sub(r"https?://\S+|[\w.+-]+@[\w.-]+|:material/\w+:", "", text)
        text = _NOT_TEXT.sub("", text)
        if _BAD.search(text):
            found.append(f"missing value or error shown: {raw!r}")
        english = [w for w in _WORD.findall(text) if w not in ALLOWED_WORDS]
        if english:
            found.append(f"English {english} in {raw!r}")
    return found


@pytest.fixture
def messy_database(own_database):
    from layers.store.database import Store
    rows = [
        {"name": "有坐标无类别", "lon": 119.09, "lat": 36.682, "zone": "站南片区", "location_precision": "exact"},
        {"name": "仅园区", "park": "智能制造产业园", "location_precision": "park", "category": "commerce",
         "status": "started", "lon": 119.001, "lat": 36.70},
        {"name": "楼宇园区项目", "park": "金融总部产业园", "location_precision": "unlocated"},
        {"name": "NA", "lon": 119.091, "lat": 36.683, "location_precision": "exact", "investment_10k_yuan": 1200.0,
         "start_year": 2024},
    ]
    base = {c: None for c in ("category", "status", "investment_10k_yuan", "start_year", "lon", "lat", "zone", "park")}
    Store(own_database).add_projects([{**base, **r} for r in rows], batch_id="messy", source_file="清单.csv")
    return own_database




@pytest.mark.parametrize("page", PAGES)
def test_no_page_shows_none_nan_tracebacks_or_english(fake_map, messy_database, page):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    found = problems(visible_texts(at._tree))
    assert not found, "\n".join(found[:20])


def test_the_walker_sees_what_it_must_catch():
    # The check itself must fail on the defects it guards against.
    assert problems(["片区：None"]) and problems(["nan"]) and problems(["定位：park"])
    assert problems(["Traceback (most recent call last)"]) and problems(["Select all"])
    assert not problems(["下载 GeoJSON（WGS-84）", "列：`name`、`lon`", "无底图（离线）"])



def test_planners_are_not_sent_to_server_folders_or_shell_commands(fake_map):
    """"请在 geodata/inputs 中补充该地物", "python -m layers.osm_import …": things a planner cannot do."""
    from tests.test_app import app, texts

    at = app(page="pages/zones.py")
    at.text_area(key="edit-zone-01").input("东至不存在路、西至清平路，南至高家街、北至胶济铁路").run()
    shown = texts(at)
    assert "不在地物表中" in shown and "请联系数据管理员" in shown
    assert not re.search(r"geodata/|python -m", shown), shown


def test_the_leaders_latest_records_give_times_as_other_pages_do(fake_map, own_database):
    """最新记录 showed 记录时间 as "2026-11-27 23:00:05+00:00"."""
    from layers.store.database import Store
    from tests.test_app import app

    Store(own_database).record_progress("target-001", "48", "张三", "2026-06-30", actor="alice")
    at = app(page="pages/leaders.py")
    table = at.dataframe[-1].value
    [when] = table["记录时间（UTC）"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", when), when
