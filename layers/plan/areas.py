"""The ten zones (十大片区) and ten parks (十大园区), read from the plan text."""

from __future__ import annotations

from dataclasses import dataclass, field

from layers.plan.bounds import Bounds, BoundsError, parse_bounds
from layers.plan.industries import read_industries
from layers.plan.sections import Citation, find_section, numbered_items, split_sections

#: Where the plan lists them: (chapter, section) numerals.
ZONE_SECTION = ("六", "一")
PARK_SECTION = ("四", "四")
#: Buildings and blocks by which the plan places parks that have no 四至.
#: Reviewed by hand; each must occur verbatim in its park's paragraph.
SITE_NAMES = ("月河楼新金融产业园", "西街68", "西街88", "十里春风文化商业街区")


@dataclass
class PlanArea:
    """A zone or park as the plan describes it."""

    id: str
    kind: str
    number: int
    name: str
    description: str
    citation: Citation
    bounds: Bounds | None = None
    positioning: str = ""
    sites: list[str] = field(default_factory=list)
    #: Industries as the plan words them, the chunks they come from, and the 定位 phrase.
    industries: list[str] = field(default_factory=list)
    industries_snippets: list[str] = field(default_factory=list)
    positioning_phrase: str = ""

    @property
    def located_by(self) -> str:
        """``"bounds"`` for a road-bounded area, ``"sites"`` for building-located parks."""
        return "bounds" if self.bounds else "sites"


def _area(kind: str, number: int, name: str, body: str, cite: Citation) -> PlanArea:
    area = PlanArea(id=f"{kind}-{number:02d}", kind=kind, number=number, name=name,
                    description=body, citation=cite)
    try:
        area.bounds = parse_bounds(body)
    except BoundsError:
        area.sites = [s for s in SITE_NAMES if s in body]
        area.positioning = body
    else:
        rest = body[body.index(area.bounds.clause) + len(area.bounds.clause):]
        area.positioning = rest.lstrip("，,、；; ")
    read = read_industries(area.positioning)
    area.industries, area.industries_snippets = read.industries, read.snippets
    area.positioning_phrase = read.positioning_phrase
    return area


def extract_areas(text: str) -> tuple[list[PlanArea], list[PlanArea]]:
    """Extract the zones and the parks from the cleaned plan text.

    Returns
    -------
    tuple
        ``(zones, parks)``, each in the plan's order.

    Raises
    ------
    LookupError
        When a section is missing or does not hold exactly ten items.
    """
    sections = split_sections(text)
    result = []
    for kind, (chapter, section) in (("zone", ZONE_SECTION), ("park", PARK_SECTION)):
        items = numbered_items(find_section(sections, chapter, section))
        if len(items) != 10:
            raise LookupError(f"第{chapter}章第{section}节应有 10 项，实际 {len(items)} 项")
        result.append([_area(kind, n, name, body, cite) for n, name, body, cite in items])
    return result[0], result[1]
