"""The project extractor measured against our reviewed reading of the whole plan.

``tests/data/reading_projects.csv`` is a hand reading of ``geodata/plan_clean.txt``:
every named project, facility, platform and engineering work, with a verbatim
snippet, chapter/section, the status as worded and the zone/park tie. It is a
check on the extractor, never its input.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from layers.plan.areas import extract_areas
from layers.plan.project_status import STATUS_ORDER
from layers.plan.projects import CATEGORY_LABELS, extract_projects
from layers.plan.sections import split_sections

READING = Path(__file__).parent / "data" / "reading_projects.csv"


def _reading() -> list[dict]:
    with READING.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _spellings(row: dict) -> list[str]:
    return [row["name"], *(a for a in row["aliases"].split("|") if a)]


def _split(value: str) -> set[str]:
    return {v for v in value.split("|") if v}


@pytest.fixture(scope="module")
def projects(clean_plan):
    zones, parks = extract_areas(clean_plan.text)
    return extract_projects(clean_plan.text, zones, parks)


@pytest.fixture(scope="module")
def matched(projects):
    """Reading row name → the extracted project that has one of its spellings (or None)."""
    by_spelling = {s: p for p in projects for s in [p.name, *p.aliases]}
    return {row["name"]: next((by_spelling[s] for s in _spellings(row) if s in by_spelling), None)
            for row in _reading()}


def test_reading_is_well_formed_and_quotes_the_plan(clean_plan):
    rows = _reading()
    assert len(rows) >= 150 and len({r["name"] for r in rows}) == len(rows)
    sections = split_sections(clean_plan.text)
    for row in rows:
        assert row["snippet"] in clean_plan.text, row["name"]
        # Road works and per-place facilities are named place + work ("东风西街改造提升",
        # "望留公交枢纽站"): the place stands in the snippet.
        road = re.match(r"(.+?)(?:改造提升|断头路打通|扩宽及快速化改造|公交枢纽站|卫生院|BRT 改造)$", row["name"])
        assert any(s in row["snippet"] for s in _spellings(row)) or road and road.group(1) in row["snippet"], \
            row["name"]
        assert row["status"] in STATUS_ORDER and row["category"] in CATEGORY_LABELS, row["name"]
        assert all(w in row["snippet"] for w in row["status_words"].split("…") if w), row["name"]
        where = [(s.chapter, s.section) for s in sections for p in s.paragraphs if row["snippet"] in p.text]
        assert (row["chapter"], row["section"]) in where, row["name"]


def test_examples_from_the_issue_are_in_the_reading():
    names = {s for row in _reading() for s in _spellings(row)}
    assert {"谷德锦商业综合体", "上合国际物流港潍坊分港", "中韩双创产业园", "潍日高速与宝通街互通立交改建工程",
            "北宫西街(安顺路至昌乐界段)扩宽及快速化改造", "大于河宝通街桥", "区级图书馆", "档案馆",
            "潍县战役纪念馆", "西街68", "西街88", "月河楼新金融产业园"} <= names


def test_recall_and_precision_against_the_reading(projects, matched):
    rows = _reading()
    found = [name for name, p in matched.items() if p is not None]
    hit_ids = {p.id for p in matched.values() if p is not None}
    recall, precision = len(found) / len(rows), len(hit_ids) / len(projects)
    print(f"\nprojects: recall {len(found)}/{len(rows)} = {recall:.1%}, "
          f"precision {len(hit_ids)}/{len(projects)} = {precision:.1%}")
    print("  missed:", [name for name, p in matched.items() if p is None])
    print("  not in the reading:", [p.name for p in projects if p.id not in hit_ids])
    assert recall >= 0.95
    assert precision >= 0.95


def test_status_and_ties_agree_with_the_reading(matched):
    wrong = []
    for row in _reading():
        project = matched[row["name"]]
        if project is None:
            continue
        got = (project.status, set(project.zones), set(project.parks))
        want = (row["status"], _split(row["zone"]), _split(row["park"]))
        if got != want:
            wrong.append((row["name"], got, want))
    assert wrong == []


@pytest.mark.parametrize("name, status, words", [
    ("传化公路港", "introduced", "新引进"),
    ("普洛斯智慧物流园", "introduced", "新引进"),
    ("潍城科创园", "new", "新建"),
    ("南大营大学生创意产业园", "exploring", "探索建设"),
    ("潍县战役纪念馆", "preparing", "积极筹建"),
    ("区级图书馆", "completed", "主体建成"),
    ("万科城", "started", "落地开工"),
    ("中恒", "upgrade", "提档升级"),
])
def test_statuses_the_issue_doubted(projects, name, status, words):
    project = next(p for p in projects if name in [p.name, *p.aliases])
    assert (project.status, project.status_words) == (status, words)


def test_every_mention_is_listed_with_its_quote_and_citation(projects):
    by_name = {p.name: p for p in projects}
    station = next(p for p in projects if "站南广场" in p.aliases)
    assert len(station.mentions) >= 6   # 第一章 ×3, 第四章 ×3 (商圈, 夜间经济), 第九章
    assert {m.citation.chapter for m in station.mentions} >= {"一", "四", "九"}
    # "火车站南广场二级综合医院" is a project of its own, not a mention of the square.
    assert all("二级综合医院" not in m.clause or "站南广场商圈" in m.clause for m in station.mentions)
    west88 = by_name["西街88"]
    assert [m.citation.chapter for m in west88.mentions] == ["四", "九"]   # "西街68、88" counts
    for project in projects:
        assert project.mentions, project.name
        for mention in project.mentions:
            assert mention.quote and mention.citation.chapter
            assert any(s in mention.quote for s in [project.name, *project.aliases]) or project.stretch \
                or mention.quote.count("、") or project.name == "西街88", (project.name, mention.quote)


def test_roads_of_road_works_are_not_mentioned_by_boundary_clauses(projects):
    road = next(p for p in projects if p.name == "潍昌路")
    assert len(road.mentions) == 1 and "新建潍昌路" in road.mentions[0].quote


def test_a_project_named_in_two_zones_is_tied_to_neither(projects):
    wetland = next(p for p in projects if p.name == "白浪绿洲湿地公园")
    assert wetland.zone is None and wetland.zones == ["站南片区", "宝通片区"]


def test_zone_and_park_names_are_ties_not_projects(projects):
    names = {p.name for p in projects}
    assert not names & {"站南片区", "半导体(激光)产业园", "潍坊节能环保产业园", "国家广告产业园区"}


def test_road_stretch_projects_carry_their_ends(projects):
    stretches = {p.name: p.stretch for p in projects if p.stretch}
    assert {(s.road, s.start, s.end) for s in stretches.values()} == {
        ("北宫西街", "安顺路", "昌乐界"), ("宝通西街", "西环路", "昌乐界")}


def test_categories_mostly_agree_with_the_reading(matched):
    rows = [r for r in _reading() if matched[r["name"]] is not None]
    agree = [r["name"] for r in rows if matched[r["name"]].category == r["category"]]
    print(f"\ncategories: {len(agree)}/{len(rows)} agree with the reading")
    assert len(agree) / len(rows) >= 0.9
