"""Target pacing: is the district ahead of, on, or behind the straight path to the plan's target?

Four kinds of target are paced differently:

``level``
    A value to reach by 2025 from the 2020 baseline (高新技术企业 42 → 50 家). The path
    runs straight from the baseline on 2020-12-31 to the target on 2025-12-31.
``cumulative``
    A total over the plan period (“十四五”期间建成 5G 基站 650 个): recorded values are
    totals since 2021-01-01, the path runs from 0 to the target over the five years.
``yearly``
    A figure to reach each year (每年新增科技型入库企业 5 家): recorded values count from
    1 January of their own year, the path runs from 0 to the target within that year.
``rate``
    A growth rate (年均增长 6%): no path; the latest rate is compared with the target.

Targets that must stay at or below a value (comparator ``≤``, 控制在) are paced
downwards: lower is better. The status is 超前 / 正常 / 滞后 / 无数据 with the
tolerance :data:`TOLERANCE` stated in :func:`tolerance_text`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import altair as alt
import pandas as pd

from layers.plan.targets import CATEGORY_LABELS

STATUSES = ("超前", "正常", "滞后", "无数据")
#: Share of the whole path (baseline → target) by which a value may be off the path and still be 正常.
TOLERANCE = 0.05
PLAN_START, PLAN_END = date(2020, 12, 31), date(2025, 12, 31)
KINDS = ("level", "cumulative", "yearly", "rate")


@dataclass(frozen=True)
class Pace:
    """The pacing of one target at its latest recorded value."""

    status: str
    reason: str
    kind: str
    actual: float | None = None
    expected: float | None = None
    as_of: date | None = None


def tolerance_text() -> str:
    """The tolerance in words, for captions."""
    return (f"容差：偏离直线路径不超过全程的 {TOLERANCE:.0%} 为“正常”，领先更多为“超前”，落后更多为“滞后”；"
            "≤（控制在）类指标越低越好；年均增速类指标直接与目标比较（容差为目标值的 "
            f"{TOLERANCE:.0%}）。")


def _num(value) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _text(value) -> str:
    """A cell as text; missing cells (``None``, NaN) are ``""``."""
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()


def _date(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def pacing_kind(row) -> str:
    """``level``, ``cumulative``, ``yearly`` or ``rate``, from ``measure``/``period`` or, without them, ``year``."""
    measure, period = _text(row.get("measure")), _text(row.get("period")) or _text(row.get("year"))
    if period == "每年":
        return "yearly"
    if measure == "rate":
        return "rate"
    if measure in ("cumulative", "change"):
        return "cumulative"
    if measure == "level":
        return "level"
    return "cumulative" if "-" in period else "level"


def _lower_is_better(row) -> bool:
    return _text(row.get("comparator")) in ("≤", "<", "控制在")


def path(row, on: date | None = None) -> tuple[tuple[date, float], tuple[date, float]] | None:
    """The straight path ``((start date, start value), (end date, target))``, or ``None`` (rate, or no baseline).

    For yearly targets the path is that of the year of ``on`` (today when not given).
    """
    kind, target = pacing_kind(row), _num(row.get("value"))
    if target is None or kind == "rate":
        return None
    if kind == "yearly":
        year = (on or date.today()).year
        return (date(year - 1, 12, 31), 0.0), (date(year, 12, 31), target)
    if kind == "cumulative":
        return (PLAN_START, 0.0), (PLAN_END, target)
    baseline = _num(row.get("baseline"))
    return None if baseline is None else ((PLAN_START, baseline), (PLAN_END, target))


def expected_value(row, on: date) -> float | None:
    """The value the straight path asks for on a date (held at the ends)."""
    line = path(row, on)
    if line is None:
        return None
    (d0, v0), (d1, v1) = line
    share = min(1.0, max(0.0, (on - d0).days / (d1 - d0).days))
    return v0 + (v1 - v0) * share


def _status(gap: float, span: float, lower_better: bool) -> str:
    """Status from the gap (actual − expected) measured against the path's whole span."""
    if span == 0:
        return "正常" if (gap <= 0 if lower_better else gap >= 0) else "滞后"
    ahead = (-gap if lower_better else gap) / abs(span)
    return "超前" if ahead > TOLERANCE else "滞后" if ahead < -TOLERANCE else "正常"


def _latest(records: pd.DataFrame) -> tuple[float, date] | None:
    """The latest usable record: the one entered last (``created_at``) when the store says so,
    else the one with the latest date; ties go to the later row.

    A value typed with an old date (a correction) is still the newest word on the target.
    """
    dates = list(records.get("recorded_on", []))
    values = list(records.get("value", []))
    created = list(records["created_at"].astype(str)) if "created_at" in records else [""] * len(dates)
    usable = [(c, _date(d), i, _num(v)) for i, (c, d, v) in enumerate(zip(created, dates, values))
              if _date(d) is not None and _num(v) is not None]
    if not usable:
        return None
    _, day, _, value = max(usable, key=lambda t: t[:3])
    return value, day


def pace(row, records: pd.DataFrame) -> Pace:
    """Pace one target (a row of targets.csv) against its recorded values."""
    kind = pacing_kind(row)
    target = _num(row.get("value"))
    latest = _latest(records)
    if target is None:
        return Pace("无数据", "目标值缺失", kind)
    if latest is None:
        return Pace("无数据", "尚无记录值", kind)
    actual, on = latest
    lower = _lower_is_better(row)
    if kind == "rate":
        return Pace(_status(actual - target, target, lower), f"增速 {actual:g} 对比目标 {target:g}", kind, actual, target, on)
    line = path(row, on)
    if line is None:
        if (actual <= target) if lower else (actual >= target):
            return Pace("超前", "无 2020 年基数；记录值已达到目标", kind, actual, None, on)
        return Pace("无数据", "缺少 2020 年基数，无法画出路径、判断进度", kind, actual, None, on)
    if lower and kind == "level" and line[0][1] <= target:
        # already at or below the ceiling in 2020: staying there is the whole task
        met = actual <= target
        return Pace("正常" if met else "滞后", f"{on.isoformat()} 记录 {actual:g}，上限 {target:g}", kind, actual, target, on)
    expected = expected_value(row, on)
    span = line[1][1] - line[0][1]
    status = _status(actual - expected, span, lower)
    return Pace(status, f"{on.isoformat()} 记录 {actual:g}，按直线路径应为 {expected:g}", kind, actual, expected, on)


def pacing_table(targets: pd.DataFrame, progress: pd.DataFrame) -> pd.DataFrame:
    """Every target (not baseline) with its pacing: ``status``, ``reason``, ``pacing_kind``, ``expected``."""
    rows = targets[targets["kind"] == "target"].copy()
    by_target = {tid: part for tid, part in progress.groupby("target_id")} if len(progress) else {}
    empty = pd.DataFrame({"recorded_on": [], "value": []})
    paces = [pace(row, by_target.get(row["id"], empty)) for _, row in rows.iterrows()]
    rows["status"] = [p.status for p in paces]
    rows["status_reason"] = [p.reason for p in paces]
    rows["pacing_kind"] = [p.kind for p in paces]
    rows["expected"] = [p.expected for p in paces]
    rows["category_label"] = rows["category"].map(CATEGORY_LABELS).fillna(rows["category"])
    return rows


def status_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Counts of targets per category (rows, plan order) and status (columns, all four, zeros kept)."""
    order = [CATEGORY_LABELS[c] for c in CATEGORY_LABELS if CATEGORY_LABELS[c] in set(table["category_label"])]
    order += sorted(set(table["category_label"]) - set(order))
    counts = pd.crosstab(table["category_label"], table["status"]).reindex(index=order, columns=list(STATUSES),
                                                                          fill_value=0)
    counts.index.name, counts.columns.name = "类别", "状态"
    return counts.astype(int)


def chart_data(row, records: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """What the pacing chart draws, with dates on the time axis.

    Returns
    -------
    dict
        ``path`` (the straight line, two points; empty without one), ``goal``
        (the target as a horizontal line over the period), ``records``
        (recorded values by date) and ``baseline`` (the 2020 point, if any).
    """
    recs = pd.DataFrame({"date": [pd.Timestamp(_date(d)) for d in records.get("recorded_on", [])
                                  if _date(d) is not None],
                         "value": [_num(v) for d, v in zip(records.get("recorded_on", []), records.get("value", []))
                                   if _date(d) is not None]}).dropna()
    latest = _latest(records)
    line = path(row, latest[1] if latest else None)
    path_df = pd.DataFrame([{"date": pd.Timestamp(d), "value": v} for d, v in line]) if line else \
        pd.DataFrame({"date": [], "value": []})
    target = _num(row.get("value"))
    start = line[0][0] if line else PLAN_START
    end = line[1][0] if line else PLAN_END
    goal = pd.DataFrame({"date": [pd.Timestamp(start), pd.Timestamp(end)], "value": [target, target]}) \
        if target is not None else pd.DataFrame({"date": [], "value": []})
    baseline = _num(row.get("baseline"))
    base = pd.DataFrame({"date": [pd.Timestamp(PLAN_START)], "value": [baseline]}) \
        if baseline is not None and pacing_kind(row) == "level" else pd.DataFrame({"date": [], "value": []})
    return {"path": path_df, "goal": goal, "records": recs.sort_values("date"), "baseline": base}


#: Dates in tooltips as 2020-12-31 (Vega's default is "Dec 31, 2020").
DAY = "%Y-%m-%d"


def pacing_chart(parts: dict[str, pd.DataFrame], unit: str) -> alt.LayerChart:
    """Time on the x axis: the straight path (dashed), the target as a goal line, the recorded values as points."""
    layers = []
    y = alt.Y("value:Q", title=unit or "数值", axis=alt.Axis(description=f"数值轴（{unit or '数值'}）"))
    x = alt.X("date:T", title="日期", axis=alt.Axis(format="%Y-%m", description="时间轴"))
    if len(parts["goal"]):
        goal = parts["goal"].assign(series="目标")
        layers.append(alt.Chart(goal).mark_line(color="#d73027", strokeWidth=2).encode(
            x=x, y=y, tooltip=[alt.Tooltip("value:Q", title="目标")]))
    if len(parts["path"]):
        layers.append(alt.Chart(parts["path"].assign(series="直线路径")).mark_line(
            color="#7f7f7f", strokeDash=[6, 4]).encode(x=x, y=y, tooltip=[alt.Tooltip("value:Q", title="路径")]))
    if len(parts["baseline"]):
        layers.append(alt.Chart(parts["baseline"]).mark_point(shape="square", size=80, color="#555555",
                                                              filled=True).encode(
            x=x, y=y, tooltip=[alt.Tooltip("date:T", title="基数日期", format=DAY), alt.Tooltip("value:Q", title="2020 年基数")]))
    if len(parts["records"]):
        layers.append(alt.Chart(parts["records"]).mark_line(point=True, color="#2c7fb8").encode(
            x=x, y=y, tooltip=[alt.Tooltip("date:T", title="记录日期", format=DAY), alt.Tooltip("value:Q", title="记录值")]))
    return alt.layer(*layers).properties(height=320, description="指标进度：目标线、直线路径与记录值")
