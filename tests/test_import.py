import io
import re
import zipfile
from pathlib import Path

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
    assert Store(path).revision() == "0004"
    assert Store(path).revision() == "0004"


def test_progress_records(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    store.record_progress("target-001", 47.5, "张三", "2026-06-30", "统计局")
    store.record_progress("target-001", 49.0, "李四", "2026-09-30")
    assert list(store.progress("target-001")["value"]) == [49.0, 47.5]


def test_default_path_follows_the_environment(tmp_path):
    assert default_db_path({"WEICHENG_MAP_DB": str(tmp_path / "x.db")}) == tmp_path / "x.db"
    assert default_db_path({}).name == "weicheng.sqlite3"


# -- issue 10: defects users hit in the import (each would have failed before the fix) --------

def test_a_row_placed_by_an_unlocated_park_is_unlocated_never_nan(data):
    # 金融总部产业园 has no outline (the plan locates it by a building): POINT(NaN NaN) blanked every map.
    frame = read_table(f"{HEADER}金融项目甲,industry,,,,,,,金融总部产业园\n".encode(), "a.csv")
    result = check(frame, data)
    assert result.errors == []
    row = result.valid.iloc[0]
    assert row["location_precision"] == "unlocated" and row.geometry is None
    assert result.records()[0]["lon"] is None and result.records()[0]["lat"] is None
    assert result.records()[0]["park"] == "金融总部产业园"


@pytest.mark.parametrize("header, line, where", [
    ("name,park\n", "厂房,智能制造产业园\n", "park"),      # no zone column at all
    ("name,zone\n", "配套,站南片区\n", "zone"),            # no park column at all
    ("名称,片区,园区\n", "配套,站南片区,\n", "zone"),
])
def test_rows_placed_only_by_zone_or_park_name_get_a_real_point(data, header, line, where):
    result = check(read_table((header + line).encode(), "a.csv"), data)
    assert result.errors == []
    row = result.valid.iloc[0]
    assert row["location_precision"] == where
    area = (data.zones if where == "zone" else data.parks)
    polygon = area[area["name"] == row[where]].geometry.iloc[0]
    assert polygon.contains(row.geometry)
    record = result.records()[0]
    assert record["lon"] == pytest.approx(row.geometry.x) and record["lat"] == pytest.approx(row.geometry.y)


def test_records_never_hold_nan(data):
    frame = read_table((HEADER + ROWS + "无坐标,,,,,,,,国家广告产业园\n").encode(), "a.csv")
    for record in check(frame, data).records():
        for key, value in record.items():
            assert not (isinstance(value, float) and value != value), (key, record)


@pytest.mark.parametrize("header, words", [("name,名称,lon,lat\n", ("name", "名称")),
                                           ("name,lon,经度,lat\n", ("lon", "经度"))])
def test_a_header_naming_a_column_twice_is_a_message_not_a_traceback(header, words):
    with pytest.raises(ImportFileError, match="只保留其中一列") as info:
        read_table((header + "甲,乙,119.09,36.68\n").encode(), "a.csv")
    assert all(w in str(info.value) for w in words)


def test_names_are_trimmed_including_full_width_spaces_and_nul_bytes(data):
    text = f"{HEADER}\u3000 火车站配套\x00项目 \u3000,,,,,119.09,36.682,,\n 乙 ,,,,,,,\u3000站南片区\u3000,\n"
    result = check(read_table(text.encode(), "a.csv"), data)
    assert result.errors == []
    assert list(result.valid["name"]) == ["火车站配套项目", "乙"]
    assert result.valid.loc[1, "zone"] == "站南片区"


def test_a_blank_name_is_an_error(data):
    result = check(read_table(f"{HEADER}\u3000  ,,,,,119.09,36.682,,\n".encode(), "a.csv"), data)
    assert [(e.row, e.column) for e in result.errors] == [(2, "name")]
    assert result.valid.empty


@pytest.mark.parametrize("name", ["NA", "None", "nan", "N/A", "NULL"])
def test_na_like_words_are_valid_names(data, name):
    result = check(read_table(f"{HEADER}{name},,,,,119.09,36.682,,\n".encode(), "a.csv"), data)
    assert result.errors == [] and list(result.valid["name"]) == [name]


def test_duplicates_ignore_width_case_and_spaces(data):
    text = f"{HEADER}ＡＢＣ项目,,,,,119.09,36.682,,\nabc 项目,,,,,119.09,36.682,,\n"
    result = check(read_table(text.encode(), "a.csv"), data, existing={"甲"})
    assert [(e.row, e.column) for e in result.errors] == [(3, "name")]
    assert [e.row for e in check(read_table(f"{HEADER}甲 ,,,,,119.09,36.682,,\n".encode(), "a.csv"),
                                 data, existing={"甲"}).errors] == [2]


@pytest.mark.parametrize("value", ["1e309", "-inf", "inf", "9" * 400, "nan"])
def test_infinite_or_nan_numbers_are_errors(data, value):
    result = check(read_table(f"{HEADER}甲,,,{value},,119.09,36.682,,\n".encode(), "a.csv"), data)
    assert [(e.row, e.column) for e in result.errors] == [(2, "investment_10k_yuan")]


def test_a_csv_parse_error_names_its_line():
    text = HEADER + ROWS + 'X,,,,,119.09,36.68,,\n"未闭合的引号,,,,,,,,\n'
    with pytest.raises(ImportFileError, match="第 5 行"):
        read_table(text.encode(), "a.csv")
    with pytest.raises(ImportFileError, match="第 3 行有 11 列"):
        read_table((HEADER + "A,,,,,119.09,36.68,,\nB,,,,,119.09,36.68,,,x,y\n").encode(), "a.csv")


def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_sheets_can_be_listed_and_chosen(data):
    from layers.store.imports import xlsx_sheet_names
    blob = _xlsx({"说明": [["这是说明"]], "项目": [["name", "lon", "lat"], ["甲", 119.09, 36.682]]})
    assert xlsx_sheet_names(blob, "a.xlsx") == ["说明", "项目"]
    with pytest.raises(ImportFileError, match="缺少“name”"):
        read_table(blob, "a.xlsx")  # the first sheet is only a note
    result = check(read_table(blob, "a.xlsx", sheet="项目"), data)
    assert list(result.valid["name"]) == ["甲"] and result.valid.loc[0, "zone"] == "站南片区"
    with pytest.raises(ImportFileError, match="没有名为“别的”的工作表"):
        read_table(blob, "a.xlsx", sheet="别的")


def test_xlsx_numbers_become_the_text_a_user_typed(data):
    blob = _xlsx({"Sheet1": [["name", "start_year", "investment_10k_yuan", "lon", "lat"],
                             [2024, 2023, 1200.5, 119.09, 36.682]]})
    result = check(read_table(blob, "a.xlsx"), data)
    assert result.errors == []
    assert result.valid.loc[0, "name"] == "2024" and result.valid.loc[0, "start_year"] == 2023


def test_a_huge_xlsx_is_refused_before_its_rows_are_parsed():
    # The sheet declares 700,001 rows in its <dimension>: refused from that alone.
    blob = _xlsx({"Sheet1": [["name", "lon", "lat"], ["甲", 119.09, 36.682]]})
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:C700001"', body)
            dst.writestr(info, body)
    with pytest.raises(ImportFileError, match="700000 行"):
        read_table(out.getvalue(), "big.xlsx")


def test_an_xlsx_that_unpacks_to_gigabytes_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (210 * 1024 * 1024))
    with pytest.raises(ImportFileError, match="解压后过大"):
        read_table(out.getvalue(), "bomb.xlsx")


def test_the_limit_in_messages_is_the_real_one():
    from layers.store.imports import MAX_BYTES, MAX_MEGABYTES
    assert MAX_BYTES == MAX_MEGABYTES * 1024 * 1024 == 8 * 1024 * 1024
    with pytest.raises(ImportFileError, match="上限 8 MB"):
        read_table(b"x" * (MAX_BYTES + 1), "a.csv")
    config = (Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert re.search(r"(?m)^maxUploadSize\s*=\s*8\s*$", config), "the upload box must advertise 8 MB"


def test_categories_and_statuses_written_in_chinese_become_the_plan_codes(data):
    text = f"{HEADER}甲,商贸,已开工,,,119.09,36.682,,\n乙,Commerce,已建成,,,119.091,36.682,,\n丙,文创,某状态,,,119.092,36.682,,\n"
    valid = check(read_table(text.encode(), "a.csv"), data).valid
    assert list(valid["category"]) == ["commerce", "commerce", "文创"]
    assert list(valid["status"]) == ["started", "completed", "某状态"]


def test_rows_are_numbered_as_the_file_numbers_its_lines_blank_lines_included(data):
    """Blank lines were dropped before numbering: an error on line 10 was reported on line 8."""
    text = HEADER + "甲,,,,,119.09,36.682,,\n\n,,,,,,,,\n乙,,,abc,,119.09,36.682,,\n\n丙,,,,,120.5,30.1,,\n"
    result = check(read_table(text.encode(), "a.csv"), data)
    assert sorted((e.row, e.column) for e in result.errors) == [(5, "investment_10k_yuan"), (7, "lon/lat")]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["甲", None, None, None, None, 119.09, 36.682])
    sheet.cell(row=6, column=1, value="乙")
    sheet.cell(row=6, column=4, value="abc")
    sheet.cell(row=6, column=8, value="站南片区")
    blob = io.BytesIO()
    book.save(blob)
    result = check(read_table(blob.getvalue(), "a.xlsx"), data)
    assert [(e.row, e.column) for e in result.errors] == [(6, "investment_10k_yuan")]


@pytest.mark.parametrize("value, problem", [("12,5", "千位分隔符"), ("1,5000", "千位分隔符"), ("abc", "不是有效数字")])
def test_a_decimal_comma_is_refused_not_read_as_thousands(data, value, problem):
    """"12,5" was stored as 125: every comma was removed as if it separated thousands."""
    result = check(read_table(f'{HEADER}甲,,,"{value}",,119.09,36.682,,\n'.encode(), "a.csv"), data)
    assert [(e.row, e.column) for e in result.errors] == [(2, "investment_10k_yuan")]
    assert problem in result.errors[0].message
    grouped = check(read_table(f'{HEADER}甲,,,"1,234.5",,119.09,36.682,,\n'.encode(), "a.csv"), data)
    assert not grouped.errors and grouped.valid["investment_10k_yuan"].iloc[0] == 1234.5


def test_a_title_above_the_header_is_skipped_and_lines_keep_their_numbers(data):
    """A merged title row ("潍城区项目清单（2025年）") above the header was refused: "缺少“name”…实际表头：
    潍城区项目清单（2025年）,,.1,.2…"."""
    blob = _xlsx({"项目清单": [["潍城区项目清单（2025年）"], ["名称", "投资额", "经度", "纬度"],
                               ["甲", 100, 119.09, 36.682], ["乙", "abc", 119.09, 36.682]]})
    frame = read_table(blob, "a.xlsx")
    assert frame.attrs["header_line"] == 2
    result = check(frame, data)
    assert list(result.valid["name"]) == ["甲"] and [(e.row, e.column) for e in result.errors] == [
        (4, "investment_10k_yuan")]


@pytest.mark.parametrize("content, message", [
    (b"PK\x03\x04" + b"\x00" * 40, "内容却是压缩包或 Excel 工作簿"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "旧版 Excel（.xls）"),
    ("名称,经度,纬度\n".encode(), "只有表头，没有项目行"),
    ("说明,,\n,,\n".encode(), "缺少“name”（项目名称）列"),
])
def test_files_that_are_not_what_their_name_says_are_named_for_what_they_are(content, message):
    """A workbook renamed .csv was "无法识别 CSV 的编码"; a header alone was "共 0 行：0 行有效"."""
    with pytest.raises(ImportFileError, match=message) as info:
        read_table(content, "a.csv")
    assert ".1" not in str(info.value)


def test_columns_that_are_not_imported_are_named(data):
    """Under merged "投资" / "位置" cells, a second header row's columns lost their values without a word."""
    blob = _xlsx({"Sheet1": [["name", "投资", None, "lon", "lat", "备注"],
                             ["甲", 100, 2024, 119.09, 36.682, None]]})
    frame = read_table(blob, "a.xlsx")
    assert frame.attrs["ignored_columns"] == ["投资", "第 3 列（无表头）"]  # 备注 is empty: nothing lost
    plain = read_table(f"{HEADER}甲,,,,,119.09,36.682,,\n".encode(), "a.csv")
    assert plain.attrs["ignored_columns"] == []
