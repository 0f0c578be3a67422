"""Progress of the plan's targets against the values users record."""

from __future__ import annotations

import math

import pandas as pd

from layers.plan.targets import CATEGORY_LABELS, MEASURE_LABELS

#: The downloadable target sheet: (column of :func:`target_table`, header users read).
SHEET_COLUMNS = (("category_label", "类别"), ("indicator", "指标"), ("baseline", "基数（2020 年值或“十三五”累计）"),
                 ("target_text", "目标"), ("measure", "类型"), ("period", "期间"), ("year", "目标年份"),
                 ("current", "最新值"), ("current_on", "最新值日期"), ("progress", "进度（%）"),
                 ("status", "进度状态"), ("scope", "范围"), ("quote", "规划原文"), ("citation", "出处"))


def _num(value) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def progress_ratio(target: float, current: float | None, baseline: float | None, comparator: str) -> float | None:
    """How far from baseline to target the current value is (0–1, capped); ``None`` without a value.

    For ≤ targets (a rate to bring down) progress runs from the baseline down
    to the target; without a baseline only "met or not" can be said.
    """
    current, target, baseline = _num(current), _num(target), _num(baseline)
    if current is None or target is None:
        return None
    if comparator == "≤":
        if baseline is not None and baseline > target:
            return max(0.0, min(1.0, (baseline - current) / (baseline - target)))
        return 1.0 if current <= target else 0.0
    if baseline is not None and target > baseline:
        return max(0.0, min(1.0, (current - baseline) / (target - baseline)))
    return max(0.0, min(1.0, current / target)) if target else None


def target_table(targets: pd.DataFrame, progress: pd.DataFrame) -> pd.DataFrame:
    """Targets (not baselines) with their latest recorded value and progress."""
    rows = targets[targets["kind"] == "target"].copy()
    for col in ("value", "value_max", "baseline"):
        rows[col] = pd.to_numeric(rows[col], errors="coerce")
    # The latest value is the one recorded last, not the one with the latest typed date (issue 10).
    order = ["created_at", "id"] if "created_at" in progress else ["recorded_on", "id"]
    latest = progress.sort_values(order).groupby("target_id").last() if len(progress) else None
    rows["current"] = rows["id"].map(latest["value"]) if latest is not None else None
    rows["current_on"] = rows["id"].map(latest["recorded_on"]) if latest is not None else None
    # Only a level starts from its baseline; a total (cumulative) starts from 0,
    # its baseline being the previous period's total.
    start = rows["baseline"].where(rows["measure"] == "level") if "measure" in rows else rows["baseline"]
    rows["progress"] = [progress_ratio(t, c, b, cmp) for t, c, b, cmp in
                        zip(rows["value"], rows["current"], start, rows["comparator"])]
    rows["category_label"] = rows["category"].map(CATEGORY_LABELS)
    rows["target_text"] = [_target_text(*args) for args in
                           zip(rows["comparator"], rows["value"], rows["value_max"], rows["unit"])]
    return rows


def _target_text(comparator: str, value: float, value_max: float | None, unit: str) -> str:
    """"≥ 5 家", "3–5 %", "55 %": an exact target has no "=" (it tells a reader nothing, and a cell
    starting with it is a formula to Excel)."""
    upper = f"–{value_max:g}" if _num(value_max) is not None else ""
    sign = "" if comparator == "=" else f"{comparator} "
    return f"{sign}{value:g}{upper} {unit if isinstance(unit, str) else ''}".strip()


def with_measure_labels(table: pd.DataFrame) -> pd.DataFrame:
    """``measure`` in words (水平值, 累计量…); a code without a label stays, a table without the column
    (a targets.csv built before it existed) is returned as it is."""
    if "measure" not in table:
        return table
    return table.assign(measure=table["measure"].map(MEASURE_LABELS).fillna(table["measure"]))


def target_sheet(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`target_table` (with its pacing ``status``) as the download's users read it: Chinese headers
    and labels, numbers as numbers, an empty cell where nothing is known (never a code or "nan")."""
    sheet = with_measure_labels(table).assign(progress=(pd.to_numeric(table["progress"], errors="coerce") * 100).round(1))
    present = [(col, head) for col, head in SHEET_COLUMNS if col in sheet]
    return sheet[[col for col, _ in present]].rename(columns=dict(present))
