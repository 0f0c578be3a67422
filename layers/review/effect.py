"""The effect of a proposed change, shown before it is submitted and to the approver."""

from __future__ import annotations

from dataclasses import dataclass, field

from layers.review.diff import AreaChange, LineChange, area_changes, line_changes
from layers.review.rebuild import Change, ChangeError, Rebuilt, features_of, rebuild


@dataclass
class Effect:
    """A change applied to a version: the rebuilt files and every zone and park it concerns."""

    change: Change
    rebuilt: Rebuilt
    areas: list[AreaChange] = field(default_factory=list)
    lines: list[LineChange] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        """Checks that fail after the change and did not fail before, one line each."""
        return [f"{a.name}：{f}" for a in self.areas for f in a.new_failures]

    @property
    def passes(self) -> bool:
        """Whether the change introduces no failing check."""
        return not self.failures


def users_of(files: dict[str, str], feature: str) -> set[str]:
    """Ids of the zones and parks with an edge made of ``feature``."""
    return {f["properties"]["area_id"] for f in features_of(files, "edges.geojson")
            if f["properties"]["feature"] == feature}


def effect(files: dict[str, str], change: Change) -> Effect:
    """Apply ``change`` to a version and list its effect on every zone and park concerned.

    Concerned are the areas whose outline or bounds change, the area the
    change names, and, for a corrected line, every area that uses the line
    (before or after), even where its outline stays the same.

    Raises
    ------
    ChangeError
        When the change cannot be built or changes nothing (message in Chinese).
    """
    rebuilt = rebuild(files, change)
    concerned = {change.area_id} if change.area_id else set()
    if change.kind == "line" and change.feature:
        concerned |= users_of(files, change.feature) | users_of(rebuilt.files, change.feature)
    areas = [a for a in area_changes(files, rebuilt.files, only_changed=False)
             if a.changed or a.id in concerned]
    lines = line_changes(files, rebuilt.files)
    if not lines and not any(a.changed for a in areas):
        raise ChangeError("修改后与当前版本完全相同（边界地物和范围都没有变化），无需提交")
    return Effect(change, rebuilt, areas, lines)
