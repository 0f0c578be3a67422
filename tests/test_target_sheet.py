"""The 指标 page's download (layers/progress.target_sheet): a sheet its readers can use in Excel."""

from __future__ import annotations

import re

import pandas as pd

from layers.data import load_layers
from layers.maps.exports import table_csv
from layers.plan.targets import MEASURE_LABELS
from layers.progress import target_sheet, target_table

NO_RECORDS = pd.DataFrame(columns=["id", "target_id", "value", "recorded_on", "created_at"])


def sheet() -> pd.DataFrame:
    table = target_table(load_layers().targets, NO_RECORDS)
    return target_sheet(table.assign(status="无数据"))


def test_headers_and_labels_are_chinese_not_field_names_or_codes():
    """It had English headers (indicator, value_max, comparator…) and codes (level, cumulative, innovation)."""
    out = sheet()
    assert all(re.search(r"[\u4e00-\u9fff]", h) for h in out.columns), list(out.columns)
    assert set(out["类型"].dropna()) <= set(MEASURE_LABELS.values())
    assert not out["类别"].isna().any() and not out["类别"].str.contains(r"^[a-z_]+$").any()


def test_no_cell_opens_as_a_formula_or_needs_neutralising():
    """58 targets read "= 55 %": Excel would show the apostrophe that neutralises the formula."""
    out = sheet()
    assert not out["目标"].str.startswith("=").any()
    assert (out["目标"] == "55 %").any()  # the "=" of an exact target is dropped, the value kept
    text = table_csv(out).decode("utf-8-sig")
    assert ",'" not in text and "nan" not in text.lower().replace("nanjing", "")


def test_numbers_stay_numbers():
    out = sheet()
    assert pd.api.types.is_numeric_dtype(out["基数（2020 年值或“十三五”累计）"])
    assert pd.api.types.is_numeric_dtype(out["进度（%）"])
