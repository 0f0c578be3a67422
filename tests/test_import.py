import io

import openpyxl
import pytest

from layers.data import load_layers
from layers.geometry.gcj02 import wgs84_to_gcj02
from layers.store.imports import ImportFileError, read_table, template_csv, validate
from layers.store.database import Store, default_db_path

HEADER = "name,category,status,investment_10k_yuan,start_year,lon,lat,zone,park\n"
ROWS = ("火车站配套项目,commerce,开工,1200,2023,119.09,36.682,,\n"
        "园区厂房,industry,规划,,2024,,,,智能制造产业园\n")


@pytest.fixture(scope="module")
def data():
    return load_layers()


def check(frame, data, datum="wgs84", existing=None):
    return validate(frame, datum=datum, zones=data.zones, parks=data.parks,
                    district=data.district.geometry.iloc[0], existing_names=existing)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_common_encoding(data, encoding):
    frame = read_table((HEADER + ROWS).encode(encoding), "清单.csv")
    result = check(frame, data)
    assert result.errors == []
    assert list(result.valid["name"]) == ["火车站配套项目", "园区厂房"]
    assert result.valid.loc[0, "zone"] == "站南片区"  # spatial join
    assert result.valid.loc[1, "location_precision"] == "park"


def test_chinese_headers_are_understood(data):
    frame = read_table("名称,类别,经度,纬度\n甲,industry,119.09,36.682\n".encode("gbk"), "a.csv")
    assert check(frame, data).valid.loc[0, "zone"] == "站南片区"


def test_xlsx(data):
    wb = openpyxl.Workbook()
    ws = wb.active
    for line in (HEADER + ROWS).strip().split("\n"):
        ws.append(line.split(","))
    buf = io.BytesIO()
    wb.save(buf)
    result = check(read_table(buf.getvalue(), "清单.xlsx"), data)
    assert len(result.valid) == 2 and not result.errors


def test_gcj02_coordinates_are_shifted_back(data):
    lon, lat = wgs84_to_gcj02(119.09, 36.682)
    frame = read_table(f"{HEADER}甲,,,,,{lon},{lat},,\n".encode(), "a.csv")
    valid = check(frame, data, datum="gcj02").valid
    assert valid.loc[0, "lon"] == pytest.approx(119.09, abs=1e-7)
    assert valid.loc[0, "zone"] == "站南片区"


def test_every_bad_row_and_column_is_named(data):
    bad = ("A,,,abc,1800,119.09,,,\n"      # row 2: investment, year, half coordinate
           ",,,,,119.09,36.68,,\n"          # row 3: no name
           "B,,,,,120.5,30.1,,\n"           # row 4: outside the district
           "C,,,,,,,火星片区,\n"            # row 5: unknown zone
           "D,,,,,,,,\n"                    # row 6: no location
           "E,,,,,x,36.7,,\n"               # row 7: non-numeric lon
           "F,,,,,119.09,36.682,,\n"        # row 8: valid
           "F,,,,,119.09,36.682,,\n"        # row 9: duplicate of row 8
           "G,,,,,,,站南片区,\n")           # row 10: already imported
    result = check(read_table((HEADER + bad).encode(), "a.csv"), data, existing={"G"})
    found = {(e.row, e.column) for e in result.errors}
    assert {(2, "investment_10k_yuan"), (2, "start_year"), (2, "lon/lat"), (3, "name"), (4, "lon/lat"),
            (5, "zone"), (6, "lon/lat"), (7, "lon"), (9, "name"), (10, "name")} <= found
    assert list(result.valid["name"]) == ["F"]
    assert "不在潍城区范围内" in result.errors_frame().to_string()


@pytest.mark.parametrize("content, name, message", [
    (b"", "a.csv", "是空的"),
    (b"foo,bar\n1,2\n", "a.csv", "缺少“name”"),
    (b"name,category\nA,industry\n", "a.csv", "缺少位置列"),
    (b"PK\x03\x04 not really a zip", "a.xlsx", "不是有效的 Excel"),
    (b"\x00\x01" * 100, "a.csv", "二进制"),
    (b"name,lon,lat\n", "a.pdf", "不支持的文件类型"),
])
def test_bad_files_get_clear_messages(content, name, message):
    with pytest.raises(ImportFileError, match=message):
        read_table(content, name)


def test_ten_megabytes_of_junk_is_refused_quickly():
    with pytest.raises(ImportFileError, match="过大"):
        read_table(b"\xff\xfe junk " * (10 * 1024 * 1024 // 8), "junk.csv")


def test_template_has_the_documented_columns():
    assert template_csv().decode("utf-8-sig").strip().split(",")[:3] == ["name", "category", "status"]


def test_store_round_trip_and_delete(tmp_path, data):
    store = Store(tmp_path / "db.sqlite3")
    valid = check(read_table((HEADER + ROWS).encode(), "a.csv"), data).valid
    assert store.add_projects(valid.drop(columns="geometry").to_dict("records"), batch_id="b1", source_file="a.csv") == 2
    saved = store.projects()
    assert list(saved["name"]) == ["火车站配套项目", "园区厂房"] and set(saved["batch_id"]) == {"b1"}
    assert store.delete_projects(batch_id="b1") == 2
    assert store.projects().empty


def test_a_failed_write_leaves_nothing(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    rows = [{"name": "甲", "location_precision": "exact"}, {"name": None, "location_precision": "exact"}]
    with pytest.raises(Exception):
        store.add_projects(rows, batch_id="b", source_file="x")  # second row violates NOT NULL
    assert store.projects().empty


def test_schema_is_versioned_and_migrations_run_once(tmp_path):
    path = tmp_path / "db.sqlite3"
    assert Store(path).version() == 1
    assert Store(path).version() == 1


def test_progress_records(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    store.record_progress("target-001", 47.5, "张三", "2026-06-30", "统计局")
    store.record_progress("target-001", 49.0, "李四", "2026-09-30")
    assert list(store.progress("target-001")["value"]) == [49.0, 47.5]


def test_default_path_follows_the_environment(tmp_path):
    assert default_db_path({"WEICHENG_MAP_DB": str(tmp_path / "x.db")}) == tmp_path / "x.db"
    assert default_db_path({}).name == "weicheng.sqlite3"
