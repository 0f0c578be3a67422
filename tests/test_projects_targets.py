import json

import pandas as pd
import pytest
from shapely.geometry import shape

from layers.plan.areas import extract_areas
from layers.plan.projects import extract_projects
from layers.plan.targets import extract_targets


@pytest.fixture(scope="module")
def projects(clean_plan):
    zones, parks = extract_areas(clean_plan.text)
    return {p.name: p for p in extract_projects(clean_plan.text, zones, parks)}


@pytest.fixture(scope="module")
def targets(clean_plan):
    return extract_targets(clean_plan.text)


def test_well_over_a_hundred_projects_each_quoted_from_the_plan(clean_plan, projects):
    assert len(projects) >= 150
    assert all(p.quote in clean_plan.text for p in projects.values())


@pytest.mark.parametrize("name, zone, park, status", [
    ("万科城", "永安片区", None, "started"),
    ("站南广场地下空间", "站南片区", None, "completed"),
    ("绿地新里城", "鲁台片区", None, "in progress"),
    ("深新能源大厦", "利昌片区", None, "in progress"),
    ("潍坊先进光电芯片研究院", None, "半导体(激光)产业园", "existing"),
    ("十笏园文化街区", None, "十笏园文旅产业园", "existing"),
    ("潍城区人民医院", None, None, "started"),
])
def test_known_projects(projects, name, zone, park, status):
    p = projects[name]
    assert (p.zone, p.park) == (zone, park)
    if status:
        assert p.status == status
    assert name in p.quote and p.citation.chapter


def test_projects_layer_places_only_what_the_plan_locates(build_result):
    fc = json.loads(build_result.files["projects.geojson"])
    zones = {f["properties"]["name"]: shape(f["geometry"]) for f in json.loads(build_result.files["zones.geojson"])["features"]}
    for feat in fc["features"]:
        p = feat["properties"]
        if p["zone"] or p["park"] in ("半导体(激光)产业园",):
            assert feat["geometry"] is not None and p["location_precision"] in ("zone", "park")
            assert p["accuracy_m"] >= 100
        if p["zone"]:
            assert zones[p["zone"]].contains(shape(feat["geometry"]))
        if not p["zone"] and not p["park"] and p["location_precision"] != "road_stretch":
            assert feat["geometry"] is None and p["location_precision"] == "unlocated"
        assert p["mention_count"] == len(p["mentions"]) >= 1
        assert all(m["quote"] and m["citation"] for m in p["mentions"])


def find(targets, indicator_part, unit):
    return next(t for t in targets if indicator_part in t.indicator and t.unit == unit and t.kind == "target")


@pytest.mark.parametrize("indicator, unit, value, comparator, baseline", [
    ("高新技术企业总数", "家", 50, "≥", 42),
    ("5G基站", "个", 650, "=", None),
    ("PM2.5", "微克/立方米", 44, "=", None),
    ("城镇登记失业率", "%", 3.5, "≤", 3.8),
    ("高新技术产业产值占规模以上工业总产值比重", "%", 55, "=", 45.4),
    ("受污染耕地安全利用率", "%", 92, "≈", None),
])
def test_known_targets(targets, indicator, unit, value, comparator, baseline):
    t = find(targets, indicator, unit)
    assert (t.value, t.comparator) == (value, comparator)
    if baseline is not None:
        assert (t.baseline, t.baseline_year) == (baseline, "2020")
    assert t.quote and t.citation.chapter


def test_target_counts_and_years(targets):
    kinds = pd.Series([t.kind for t in targets]).value_counts()
    assert kinds["target"] >= 60 and kinds["baseline"] >= 40
    assert {"2025", "每年", "2021-2025"} <= {t.year for t in targets if t.kind == "target"}
    assert {t.category for t in targets} >= {"innovation", "industry", "ecology", "livelihood", "rural"}


def test_targets_csv_opens_in_excel(build_result):
    text = build_result.files["targets.csv"]
    assert text.startswith("\ufeffid,indicator,value")


@pytest.mark.parametrize("target, current, baseline, comparator, expected", [
    (55, 50, 45, "=", 0.5), (50, 60, 42, "≥", 1.0), (3.5, 3.65, 3.8, "≤", 0.5),
    (3.5, 3.0, None, "≤", 1.0), (100, 50, None, "=", 0.5), (100, None, 1, "=", None),
])
def test_progress_ratio(target, current, baseline, comparator, expected):
    from layers.progress import progress_ratio
    result = progress_ratio(target, current, baseline, comparator)
    assert result == (pytest.approx(expected) if expected is not None else None)


def test_industry_where_the_plan_says_it(projects):
    assert projects["鲁中大马力拖拉机及智慧农机具生产"].industry == "高端装备产业"
    assert projects["万科城"].industry is None
