"""What changed between two layer versions: areas, shifts, bounds, lines and checks.

Areas are measured in EPSG:4549; the shift of an outline is the Hausdorff
distance between the old and the new outline (the largest distance any
point of one lies from the other), in metres.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd
from shapely.geometry import shape

from layers.details import source_text
from layers.geometry.crs import SQM_PER_HA, SQM_PER_MU, to_metric
from layers.plan.bounds import SIDE_NAMES, SIDES
from layers.review.rebuild import area_features, features_of

#: Below this an outline counts as unchanged (rounding of stored coordinates is ~0.1 m).
SHIFT_TOL_M = 0.5
AREA_TOL_HA = 0.01
_KIND_LABEL = {"zone": "片区", "park": "园区"}


@dataclass
class AreaChange:
    """How one zone or park differs between two versions."""

    id: str
    name: str
    kind: str
    area_before_ha: float | None
    area_after_ha: float | None
    shift_m: float
    bounds_changes: list[str] = field(default_factory=list)
    failed_checks: list[str] = field(default_factory=list)
    new_failures: list[str] = field(default_factory=list)
    before: object = None
    after: object = None

    @property
    def delta_ha(self) -> float:
        """Area change in hectares (after − before)."""
        return (self.area_after_ha or 0.0) - (self.area_before_ha or 0.0)

    @property
    def delta_mu(self) -> float:
        """Area change in 亩."""
        return self.delta_ha * SQM_PER_HA / SQM_PER_MU

    @property
    def changed(self) -> bool:
        """Whether the outline or the bounds differ."""
        return self.shift_m > SHIFT_TOL_M or abs(self.delta_ha) > AREA_TOL_HA or bool(self.bounds_changes)


@dataclass
class LineChange:
    """A gazetteer line whose geometry or source differs."""

    name: str
    shift_m: float
    source_before: str
    source_after: str


def _metric(feat: dict | None):
    geom = (feat or {}).get("geometry")
    return to_metric(shape(geom)) if geom else None


def _bounds_changes(before: dict, after: dict) -> list[str]:
    out = []
    a, b = before.get("bounds") or {}, after.get("bounds") or {}
    for side in SIDES:
        old = "、".join(e["feature"] for e in a.get(side) or []) or "—"
        new = "、".join(e["feature"] for e in b.get(side) or []) or "—"
        if old != new:
            out.append(f"{SIDE_NAMES[side]}：{old} → {new}")
    return out


def _failures(checks: list[dict], name: str) -> list[str]:
    return [c["detail"] if c["area"] == name else f"{c['area']}：{c['detail']}"
            for c in checks if c["status"] == "fail" and (c["area"] == name or name in c["area"].split(" / "))]


def _checks(files: dict[str, str]) -> list[dict]:
    return list(json.loads(files.get("report.json") or '{"checks": []}').get("checks", []))


def area_changes(before: dict[str, str], after: dict[str, str], *, only_changed: bool = True) -> list[AreaChange]:
    """Per zone and park: area before/after, largest shift, changed sides and failing checks.

    Parameters
    ----------
    before, after
        The files of two versions.
    only_changed
        Leave out areas whose outline and bounds are the same in both.
    """
    old = {f["properties"]["id"]: f for f in area_features(before)}
    checks_before, checks_after = _checks(before), _checks(after)
    out = []
    for feat in area_features(after):
        props = feat["properties"]
        prev = old.get(props["id"], {"properties": {}, "geometry": None})
        a, b = _metric(prev), _metric(feat)
        shift = a.hausdorff_distance(b) if a is not None and b is not None else 0.0
        failed = _failures(checks_after, props["name"])
        change = AreaChange(
            id=props["id"], name=props["name"], kind=props["kind"],
            area_before_ha=a.area / SQM_PER_HA if a is not None else None,
            area_after_ha=b.area / SQM_PER_HA if b is not None else None,
            shift_m=shift, bounds_changes=_bounds_changes(prev["properties"], props),
            failed_checks=failed,
            new_failures=[f for f in failed if f not in _failures(checks_before, props["name"])],
            before=prev.get("geometry"), after=feat.get("geometry"))
        if change.changed or not only_changed:
            out.append(change)
    return out


def line_changes(before: dict[str, str], after: dict[str, str]) -> list[LineChange]:
    """Gazetteer lines that moved between two versions, with the largest shift in metres."""
    old = {f["properties"]["name"]: f for f in features_of(before, "gazetteer.geojson")}
    out = []
    for feat in features_of(after, "gazetteer.geojson"):
        name = feat["properties"]["name"]
        prev = old.get(name)
        a, b = _metric(prev), _metric(feat)
        if a is None or b is None:
            continue
        shift = a.hausdorff_distance(b)
        if shift > SHIFT_TOL_M:
            out.append(LineChange(name, shift, prev["properties"].get("source", ""),
                                  feat["properties"].get("source", "")))
    return out


def changes_frame(changes: list[AreaChange]) -> pd.DataFrame:
    """The table of changed areas a planner reads (Chinese headers)."""
    return pd.DataFrame([{
        "对象": c.name, "类型": _KIND_LABEL.get(c.kind, c.kind),
        "边界变化": "；".join(c.bounds_changes) or "线位变化",
        "原面积（公顷）": round(c.area_before_ha or 0, 2), "新面积（公顷）": round(c.area_after_ha or 0, 2),
        "面积变化（公顷）": round(c.delta_ha, 2), "面积变化（亩）": round(c.delta_mu, 1),
        "最大位移（米）": round(c.shift_m, 1),
        "检查": "；".join(c.failed_checks) if c.failed_checks else "全部通过",
    } for c in changes], columns=["对象", "类型", "边界变化", "原面积（公顷）", "新面积（公顷）",
                                  "面积变化（公顷）", "面积变化（亩）", "最大位移（米）", "检查"])


def lines_frame(changes: list[LineChange]) -> pd.DataFrame:
    """The table of moved lines (Chinese headers)."""
    return pd.DataFrame([{"地物": c.name, "最大位移（米）": round(c.shift_m, 1), "原来源": source_text(c.source_before),
                          "新来源": source_text(c.source_after)} for c in changes],
                        columns=["地物", "最大位移（米）", "原来源", "新来源"])
