"""Build every zone and park at once, collecting every failure instead of stopping at the first."""

from __future__ import annotations

from layers.plan.areas import PlanArea
from layers.geometry.coverage import bank_notices, variant_notices
from layers.geometry.gazetteer import Gazetteer
from layers.geometry.plausibility import plausibility_checks
from layers.geometry.polygons import BuildError, BuiltArea, build_area


def uses_osm(gazetteer: Gazetteer) -> bool:
    """Whether any feature comes from imported OpenStreetMap ways."""
    return any(f.geometry_status == "osm" for f in gazetteer.features)


def build_all(areas: list[PlanArea], gazetteer: Gazetteer, district_m, *,
              approx: Gazetteer | None = None) -> tuple[dict[str, BuiltArea], list[dict]]:
    """Build each area that has bounds; return the builds and their plausibility checks.

    ``approx`` is the gazetteer without OSM lines: each area built from it is
    the reference for the plausibility of the real build.

    Raises
    ------
    BuildError
        Naming **every** area that could not be built, one line each.
    """
    built: dict[str, BuiltArea] = {}
    checks: list[dict] = []
    errors: list[str] = []
    for area in areas:
        if not area.bounds:
            continue
        try:
            built[area.name] = build_area(area.name, area.bounds, gazetteer, district_m)
        except BuildError as exc:
            errors.append(str(exc))
            continue
        reference = _reference(area, approx, district_m)
        checks += plausibility_checks(area.name, built[area.name], reference)
        checks += variant_notices(area.name, built[area.name]) + bank_notices(area.name, built[area.name])
    if errors:
        raise BuildError(f"{len(errors)} 个区域无法构建：\n" + "\n".join(errors))
    return built, checks


def _reference(area: PlanArea, approx: Gazetteer | None, district_m) -> BuiltArea | None:
    if approx is None:
        return None
    try:
        return build_area(area.name, area.bounds, approx, district_m)
    except BuildError:
        return None
