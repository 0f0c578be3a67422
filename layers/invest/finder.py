"""园区选址: rank the ten parks and ten zones for a company's industry, land need and location wish.

Matching uses the plan's own industry lists and positioning texts, widened by
a small reviewed synonym table (``geodata/industry_synonyms.csv``) in which
every row quotes the plan passage that justifies it. Distances are measured
in EPSG:4549 from the gazetteer's lines, which are mostly approximate; the
explanation says so. Unlocated parks have no area and no distance: they rank
by industry alone, and their explanation says that too.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import geopandas as gpd

from layers.data import Layers
from layers.details import accuracy_text
from layers.geometry.crs import SQM_PER_HA, SQM_PER_MU, to_metric
from layers.numbers import number_text
from layers.paths import GEODATA

SYNONYMS_FILE = GEODATA / "industry_synonyms.csv"
SYNONYM_COLUMNS = ("term", "plan_term", "evidence", "citation", "basis")
MAX_QUERY_CHARS = 50
#: Score of a typed word found among the area's listed industries (or in its name) as typed / through a synonym.
#: Each typed word counts once, by its best evidence: a logistics park lists five 物流 industries, and counting
#: each put it ahead of the laser park for "激光、物流".
DIRECT_WEIGHT, SYNONYM_WEIGHT = 3.0, 2.0
#: Score of a typed word that the positioning text names as typed / only through a synonym's plan term.
POSITIONING_WEIGHT, POSITIONING_SYNONYM_WEIGHT = 1.0, 0.5
#: Areas within this distance of the wished-for feature get a proximity bonus (linear, up to 2 points).
NEAR_RADIUS_M = 5_000.0
NEAR_WEIGHT = 2.0
#: Penalty for an area smaller than the land need.
SMALL_PENALTY = 2.0
LAND_UNITS = {"亩": SQM_PER_MU / SQM_PER_HA, "公顷": 1.0}
_SPLIT = re.compile(r"[、,，;；/\s]+")


class FinderError(ValueError):
    """A finder input that cannot be used; the message (Chinese) names it."""


@dataclass(frozen=True)
class Synonym:
    """One reviewed row: a company's word, the plan's word, and the plan passage that links them."""

    term: str
    plan_term: str
    evidence: str
    citation: str
    basis: str


@dataclass
class Match:
    """One ranked zone or park with the reasons for its place."""

    kind: str
    id: str
    name: str
    score: float
    industry_score: float
    matched: list[str] = field(default_factory=list)
    positioning_terms: list[str] = field(default_factory=list)
    synonyms_used: list[Synonym] = field(default_factory=list)
    located: bool = True
    area_ha: float | None = None
    land_ok: bool | None = None
    distance_m: float | None = None
    explanation: str = ""

    @property
    def links(self) -> dict[str, str]:
        """Relative URLs of the park card / zone review and of the overview map for this area."""
        param = f"{self.kind}={quote(self.name)}"
        card = f"parks?{param}" if self.kind == "park" else f"zones?{param}"
        return {"card": card, "map": f"./?{param}"}


def load_synonyms(path: Path = SYNONYMS_FILE) -> list[Synonym]:
    """Read the reviewed synonym table.

    Raises
    ------
    FinderError
        When the file is missing or a row lacks a field (every bad row listed).
    """
    if not path.exists():
        raise FinderError(f"缺少产业同义词表 {path.name}")
    rows, problems = [], []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(SYNONYM_COLUMNS) - set(reader.fieldnames or [])
        if missing:
            raise FinderError(f"产业同义词表 {path.name} 缺少列：{'、'.join(sorted(missing))}")
        for line_no, row in enumerate(reader, start=2):
            values = {c: (row.get(c) or "").strip() for c in SYNONYM_COLUMNS}
            empty = [c for c, v in values.items() if not v]
            if empty:
                problems.append(f"第 {line_no} 行缺少 {'、'.join(empty)}")
                continue
            rows.append(Synonym(**values))
    if problems:
        raise FinderError(f"产业同义词表 {path.name} 有问题：" + "；".join(problems))
    return rows


def query_tokens(query: str) -> list[str]:
    """The industries the user typed, split at 、，; spaces and slashes.

    Raises
    ------
    FinderError
        When nothing was typed or the text is too long.
    """
    text = (query or "").strip()
    if not text:
        raise FinderError("请输入产业，例如：激光、冷链物流、医疗器械、总部办公")
    if len(text) > MAX_QUERY_CHARS:
        raise FinderError(f"产业关键词过长（{len(text)} 字）：请控制在 {MAX_QUERY_CHARS} 字以内")
    tokens = [t for t in _SPLIT.split(text) if t]
    if not tokens:
        raise FinderError("请输入产业，例如：激光、冷链物流、医疗器械、总部办公（只有标点无法查找）")
    return tokens


def expand_each(tokens: list[str], synonyms: list[Synonym]) -> dict[str, dict[str, Synonym | None]]:
    """For each typed word, the terms to look for: the word itself (``None``) and the plan terms its synonyms give."""
    groups: dict[str, dict[str, Synonym | None]] = {}
    for token in tokens:
        terms: dict[str, Synonym | None] = groups.setdefault(token, {token: None})
        for syn in synonyms:
            if syn.term in token or (len(token) >= 2 and token in syn.term):
                terms.setdefault(syn.plan_term, syn)
    return groups


def parse_land(value: float | str | None, unit: str) -> float | None:
    """A land need in hectares; ``None`` when none was given.

    Raises
    ------
    FinderError
        When the number is not a positive finite number or the unit is unknown.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if unit not in LAND_UNITS:
        raise FinderError(f"用地单位“{unit}”无法识别：请选择 亩 或 公顷")
    try:
        text = number_text(value)
    except ValueError as exc:
        raise FinderError(f"用地需求“{value}”：{exc}") from None
    try:
        number = float(text)
    except ValueError:
        raise FinderError(f"用地需求“{value}”不是数字：请填写例如 50（{unit}）") from None
    if not math.isfinite(number) or number <= 0:
        raise FinderError(f"用地需求“{value}”须为大于 0 的数字")
    return number * LAND_UNITS[unit]


def feature_distances(areas: gpd.GeoDataFrame, gazetteer: gpd.GeoDataFrame, near: str) -> dict[str, float]:
    """Shortest distance (metres, EPSG:4549) from each located area to the named gazetteer feature.

    Raises
    ------
    FinderError
        When the gazetteer has no feature of that name.
    """
    rows = gazetteer[gazetteer["name"] == near]
    if rows.empty:
        raise FinderError(f"地名库中没有“{near}”：请从列表中选择道路、河流或铁路")
    line = to_metric(rows.geometry.union_all())
    return {row.id: to_metric(row.geometry).distance(line) for row in areas.itertuples()
            if row.geometry is not None and not row.geometry.is_empty}


def _industries(row) -> list[str]:
    value = getattr(row, "industries", None)
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


def industry_match(row, groups: dict[str, dict[str, Synonym | None]]) -> tuple[float, list[str], list[str], list[Synonym]]:
    """Score one area's listed industries, name and positioning against each typed word (:func:`expand_each`).

    Each typed word scores once for the listed industries and the area's name, by its best evidence:
    as typed (:data:`DIRECT_WEIGHT`; ``金融`` in 金融总部产业园 too) or through a synonym
    (:data:`SYNONYM_WEIGHT`); and once more when the positioning text names it (as typed
    :data:`POSITIONING_WEIGHT`, through a synonym :data:`POSITIONING_SYNONYM_WEIGHT`). How many
    listed industries match breaks ties (:func:`rank_areas`), never adds to the score.

    Returns
    -------
    tuple
        ``(score, matched industries or name, terms the positioning names, synonyms used)``.
    """
    industries = _industries(row)
    name, positioning = str(row.name), str(getattr(row, "positioning", "") or "")
    score, matched, mentioned, used = 0.0, [], [], []
    for terms in groups.values():
        listed = in_positioning = 0.0
        for term, syn in terms.items():
            hits = [i for i in industries if term in i] or ([f"园区/片区名称（{term}）"] if term in name else [])
            if hits:
                matched += [h for h in hits if h not in matched]
                listed = max(listed, DIRECT_WEIGHT if syn is None else SYNONYM_WEIGHT)
            if term in positioning:
                mentioned += [term] if term not in mentioned else []
                in_positioning = max(in_positioning, POSITIONING_WEIGHT if syn is None else POSITIONING_SYNONYM_WEIGHT)
            if (hits or term in positioning) and syn is not None and syn not in used:
                used.append(syn)
        score += listed + in_positioning
    return score, matched, mentioned, used


def _explain(m: Match, near: str | None, need_ha: float | None, near_note: str) -> str:
    parts = []
    if m.matched:
        parts.append("匹配规划产业：" + "、".join(m.matched))
    if m.positioning_terms:
        parts.append("规划定位提及：" + "、".join(m.positioning_terms))
    if not m.matched and not m.positioning_terms:
        parts.append("产业未匹配")
    for syn in m.synonyms_used:
        parts.append(f"同义词“{syn.term}→{syn.plan_term}”（据{syn.citation}）")
    if not m.located:
        parts.append("未定位：规划只给出楼宇/街区，无范围、面积和距离，仅按产业排序")
        return "；".join(parts)
    if near and m.distance_m is not None:
        parts.append(f"距{near}约 {m.distance_m:,.0f} 米（EPSG:4549；{near_note}）" if m.distance_m >= 1
                     else f"与{near}相接或相交（{near_note}）")
    if need_ha is not None and m.area_ha is not None:
        verdict = "满足" if m.land_ok else "小于"
        parts.append(f"总面积 {m.area_ha:,.1f} 公顷，{verdict}需求 {need_ha:,.1f} 公顷（总面积并非可供地面积）")
    return "；".join(parts)


def _areas(layers: Layers) -> list[tuple[str, object]]:
    return [("park", r) for r in layers.parks.itertuples()] + [("zone", r) for r in layers.zones.itertuples()]


def rank_areas(layers: Layers, query: str, *, land: float | str | None = None, land_unit: str = "亩",
               near: str | None = None, synonyms: list[Synonym] | None = None) -> list[Match]:
    """Rank every park and zone for an industry, an optional land need and an optional nearby feature.

    Areas whose industries or positioning match come first, by score (industry
    match, plus up to 2 points for lying within 5 km of ``near``, minus 2 for
    being smaller than the land need); unlocated parks get the industry score
    alone. Of equal scores, the area with more matching listed industries comes first; then the plan's
    order, parks before zones.

    Raises
    ------
    FinderError
        For an empty or over-long query, a bad land need or an unknown feature.
    """
    synonyms = load_synonyms() if synonyms is None else synonyms
    groups = expand_each(query_tokens(query), synonyms)
    need_ha = parse_land(land, land_unit)
    distances: dict[str, float] = {}
    near_note = ""
    if near:
        distances = {**feature_distances(layers.parks, layers.gazetteer, near),
                     **feature_distances(layers.zones, layers.gazetteer, near)}
        feat = layers.gazetteer[layers.gazetteer["name"] == near].iloc[0]
        near_note = f"{near}线位：" + accuracy_text(feat.get("geometry_status"), feat.get("accuracy_m"))
    out = []
    for order, (kind, row) in enumerate(_areas(layers)):
        score, matched, extra, used = industry_match(row, groups)
        geom = row.geometry
        located = geom is not None and not geom.is_empty
        area = float(row.area_ha) if located and not _nan(row.area_ha) else None
        m = Match(kind, row.id, row.name, score, score, matched, extra, used, located, area)
        if located:
            if need_ha is not None and area is not None:
                m.land_ok = area >= need_ha
                m.score -= 0.0 if m.land_ok else SMALL_PENALTY
            if near:
                m.distance_m = distances.get(row.id)
                m.score += NEAR_WEIGHT * max(0.0, 1.0 - (m.distance_m or 0.0) / NEAR_RADIUS_M)
        m.explanation = _explain(m, near, need_ha, near_note)
        out.append((m.industry_score <= 0, -m.score, -len(m.matched), order, m))
    return [m for *_, m in sorted(out, key=lambda t: t[:4])]


def _nan(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
