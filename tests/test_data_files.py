"""Damaged data files in geodata/: each gives a Chinese message naming the file and the place, and a
damaged target table no longer takes the map down with it."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from layers.data import DataError, load_layers
from layers.paths import GEODATA


@pytest.fixture
def geodata(tmp_path):
    target = tmp_path / "geodata"
    shutil.copytree(GEODATA, target, ignore=shutil.ignore_patterns("inputs"))
    return target


def _zones(geodata) -> dict:
    return json.loads((geodata / "zones.geojson").read_text(encoding="utf-8"))


def _no_english(message: str) -> None:
    """No parser's English: only file names, the command and the format's name."""
    plain = re.sub(r"[\w.]+\.(geojson|csv)|python -m layers\.build|JSON|UTF-8|GBK|NaN", "", message)
    assert not re.search(r"[A-Za-z]{3,}", plain), message


def test_a_truncated_layer_names_the_file_line_and_column_in_chinese(geodata):
    text = (geodata / "zones.geojson").read_text(encoding="utf-8")
    (geodata / "zones.geojson").write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_layers(geodata)
    message = str(caught.value)
    assert "zones.geojson 在第" in message and "行第" in message and "数据管理员" in message
    _no_english(message)


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # shapely, on the NaN itself
def test_a_nan_coordinate_is_named_before_it_reaches_leaflet(geodata):
    """Leaflet drew no map at all and said "Invalid LatLng object: (36.6875, NaN)"."""
    data = _zones(geodata)
    ring = data["features"][2]["geometry"]["coordinates"][0]
    ring[1] = [ring[1][0], float("nan")]
    (geodata / "zones.geojson").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DataError, match="zones.geojson 第 3 个要素的坐标不是有限数"):
        load_layers(geodata)


def test_a_zone_without_its_bounds_is_named(geodata):
    """片区审查 failed with "'float' object has no attribute 'get'"."""
    data = _zones(geodata)
    del data["features"][0]["properties"]["bounds"]
    (geodata / "zones.geojson").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DataError, match="zones.geojson 第 1 个要素缺少属性：bounds"):
        load_layers(geodata)


@pytest.mark.parametrize("damage, words", [
    ("extra_fields", "第 4 行的列数与表头不符"), ("gbk", "不是 UTF-8"), ("empty", "无法读取或是空的"),
    ("no_columns", "缺少列"),
])
def test_a_damaged_target_table_leaves_the_layers_and_says_why(geodata, damage, words):
    """One row with 21 fields, or the file saved as GBK, took every page down, the map included."""
    path = geodata / "targets.csv"
    text = path.read_text(encoding="utf-8-sig")
    if damage == "extra_fields":
        lines = text.splitlines()
        lines[3] += ",a,b,c,d"
        path.write_text("\n".join(lines), encoding="utf-8")
    elif damage == "gbk":
        path.write_bytes(text.encode("gbk"))
    elif damage == "empty":
        path.write_text("", encoding="utf-8")
    else:
        path.write_text("a,b\n1,2\n", encoding="utf-8")
    data = load_layers(geodata)
    assert len(data.zones) == 10 and data.targets is None
    assert words in data.targets_error and "targets.csv" in data.targets_error
    if damage != "no_columns":  # that one names the file's own columns
        _no_english(data.targets_error)


def test_the_built_target_table_loads_with_no_error(geodata):
    data = load_layers(geodata)
    assert data.targets is not None and data.targets_error is None and len(data.targets) > 100
