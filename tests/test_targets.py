"""Targets and baselines: names, measures, periods, split clauses and baseline links."""

from __future__ import annotations

import csv
import io
import re

import pytest

from layers.plan.targets import MEASURES, extract_targets

_JOIN = r"和|及|与|或|并|的|、|以及|其中"
_BARE_VERB_LEAD = re.compile(r"^(?:打造|培育|按照|按|建成|实施|创建|推动|力争|实现|组织|开展|推进|引进)")


@pytest.fixture(scope="module")
def rows(clean_plan):
    return extract_targets(clean_plan.text)


def one(rows, indicator, value, kind="target"):
    hits = [t for t in rows if indicator in t.indicator and t.value == value and t.kind == kind]
    assert len(hits) == 1, [(t.indicator, t.value) for t in hits]
    return hits[0]


def name_problems(name: str) -> list[str]:
    """What makes an indicator name read badly (empty list when it is clean)."""
    problems = []
    if re.match(r"^\d+(?:\.\d+)?(?![\dA-Za-z])", name):
        problems.append("leading number")
    if re.match(rf"^(?:{_JOIN})", name) or re.search(r"(?:和|及|与|或|的|、)$", name):
        problems.append("joining word")
    if name.count("“") != name.count("”") or name.count("(") != name.count(")"):
        problems.append("stray quote or bracket")
    if "□" in name or re.search(r"[\s,，;；。]", name):
        problems.append("mojibake, space or punctuation")
    if re.search(r"(?:达到|超过|不少于|控制在|发展到|增长|增加|稳定在)$", name):
        problems.append("trailing verb")
    if _BARE_VERB_LEAD.match(name) and "的" not in name:
        problems.append("opens with a verb")
    if len(name) < 2 or name.endswith("级"):
        problems.append("fragment")
    return problems


def test_every_name_is_clean(rows):
    bad = {t.indicator: name_problems(t.indicator) for t in rows if name_problems(t.indicator)}
    assert bad == {}


@pytest.mark.parametrize("name", ["5 年建设海外仓", "三品一标”认证产品", "□营率", "打造产业兴旺", "按照人均用地",
                                  "国家级", "城镇居民人均可支配收入和农村居民人均可支配收入和22597 元", "和7.7%"])
def test_the_noisy_names_of_the_issue_are_refused(name):
    assert name_problems(name)


def test_mojibake_is_shown_as_a_gap_with_a_note(rows):
    damaged = [t for t in rows if t.note]
    assert {t.value for t in damaged} == {80.0, 50.0}
    assert len(damaged) == 3
    for t in damaged:
        assert "…" in t.indicator and "□" not in t.indicator and "乱码" in t.note
    assert all("…" not in t.indicator for t in rows if not t.note)


def test_two_incomes_are_two_rows_with_their_own_names(rows):
    urban = one(rows, "城镇居民人均可支配收入", 44619, "baseline")
    rural = one(rows, "农村居民人均可支配收入", 22597, "baseline")
    assert (urban.indicator, rural.indicator) == ("城镇居民人均可支配收入", "农村居民人均可支配收入")
    assert (urban.measure, urban.period, rural.unit) == ("level", "2020", "元")


def test_growth_rates_are_rates_over_the_five_years(rows):
    for name, value in [("城镇居民人均可支配收入", 6.7), ("农村居民人均可支配收入", 7.7), ("地区生产总值", 4.9)]:
        t = one(rows, name, value, "baseline")
        assert (t.indicator, t.unit, t.measure, t.period) == (name, "%", "rate", "2016-2020")


def test_air_quality_days_are_a_change_not_a_level(rows):
    t = one(rows, "空气优良天数", 88, "baseline")
    assert (t.measure, t.period, t.unit) == ("change", "2016-2020", "天")


def test_every_figure_of_a_list_keeps_the_closing_comparator(rows):
    assert one(rows, "受污染耕地安全利用率", 91, "baseline").comparator == "≥"
    assert one(rows, "污染地块安全利用率", 90, "baseline").comparator == "≥"


def test_second_figure_of_a_clause_is_found(rows):
    nurses = one(rows, "注册护士数", 7.2)
    assert nurses.indicator == "每千名人口拥有注册护士数" and nurses.period == "2025"
    road = [t for t in rows if t.indicator == "新建“四好”农村路"]
    assert {(t.value, t.unit) for t in road} == {(159, "条"), (86, "公里")}


def test_develop_is_a_target_verb(rows):
    t = one(rows, "高效节水灌溉面积", 8)
    assert (t.unit, t.measure, t.period, t.year) == ("万亩", "cumulative", "2021-2025", "2025")


def test_yearly_targets_of_chapter_three(rows):
    yearly = [t for t in rows if t.citation.chapter == "三" and t.citation.section in ("三", "四")]
    assert len(yearly) == 5
    assert {(t.period, t.year, t.measure) for t in yearly} == {("每年", "每年", "cumulative")}
    assert one(rows, "重大科技成果", 6).citation.section == "四"


def test_distributive_subjects_become_the_scope(rows):
    scopes = {t.scope for t in rows if t.citation.chapter in ("八", "九")}
    assert {"于河、望留各", "北关、乐埠山、军埠口各", "每个涉农街区", "每个街道(开发区、发展服务中心)"} <= scopes


def test_every_row_has_a_measure_and_a_period(rows):
    assert {t.measure for t in rows} == set(MEASURES)
    for t in rows:
        assert t.period in ({"2020", "2016-2020"} if t.kind == "baseline" else {"2025", "2021-2025", "每年"})
        if t.measure == "rate" or t.measure == "change":
            assert t.period in ("2016-2020", "2021-2025")
        if t.period == "2025":
            assert t.measure == "level"


def test_baselines_link_only_on_the_same_indicator_and_measure(rows):
    by_key = {(t.value, t.unit, t.measure, t.period) for t in rows if t.kind == "baseline"}
    linked = [t for t in rows if t.baseline is not None]
    assert len(linked) >= 8
    for t in linked:
        assert (t.baseline, t.unit, t.measure, t.baseline_year) in by_key
        assert t.baseline_year == ("2020" if t.measure == "level" else "2016-2020")
    jobs = one(rows, "城镇新增就业", 18000)
    assert (jobs.measure, jobs.baseline, jobs.baseline_year) == ("cumulative", 23600, "2016-2020")
    assert one(rows, "城镇登记失业率", 3.5).baseline == 3.8
    # 市级以上农民专业合作社示范社 is not 农民专业合作社: no link.
    assert one(rows, "农民专业合作社示范社", 50).baseline is None


def test_ids_are_deterministic_and_survive_a_new_figure_elsewhere(clean_plan, rows):
    again = extract_targets(clean_plan.text)
    assert [(t.id, t.indicator, t.value) for t in again] == [(t.id, t.indicator, t.value) for t in rows]
    assert len({t.id for t in rows}) == len(rows)
    assert all(re.fullmatch(r"(target|baseline)-[0-9a-f]{10}", t.id) for t in rows)
    # A figure added at the top of the plan does not move the ids of the others.
    grown = clean_plan.text.replace("2020 年地区生产总值达到308 亿元", "2020 年人口达到60 万人,地区生产总值达到308 亿元", 1)
    ids = {t.id for t in extract_targets(grown)}
    assert {t.id for t in rows} < ids and len(ids) == len(rows) + 1


SYNTHETIC = """第一章 基础
第一节 “十三五”时期奠定的发展基础
1.综合实力。 2020 年全区甲收入达到12.5 亿元,年均增长6%;乙园区和丙园区分别发展到8 家和9 家。累计新建公园4 处、绿道12 公里,空气优良天数减少3 天。
第三章 创新
第一节 企业
到2025 年,丁企业总数达到30 家以上,新增孵化器2-3 家。每年培育科技型企业10 家,引进人才20 名以上。戊覆盖率达到95%左右,己率控制在2%的目标以内。
"""


def test_rules_read_sentences_they_were_not_written_for():
    got = {(t.kind, t.indicator, t.value, t.value_max, t.unit, t.comparator, t.measure, t.period)
           for t in extract_targets(SYNTHETIC)}
    assert got == {
        ("baseline", "甲收入", 12.5, None, "亿元", "=", "level", "2020"),
        ("baseline", "甲收入", 6.0, None, "%", "=", "rate", "2016-2020"),
        ("baseline", "乙园区", 8.0, None, "家", "=", "level", "2020"),
        ("baseline", "丙园区", 9.0, None, "家", "=", "level", "2020"),
        ("baseline", "新建公园", 4.0, None, "处", "=", "cumulative", "2016-2020"),
        ("baseline", "绿道", 12.0, None, "公里", "=", "cumulative", "2016-2020"),
        ("baseline", "空气优良天数", 3.0, None, "天", "=", "change", "2016-2020"),
        ("target", "丁企业总数", 30.0, None, "家", "≥", "level", "2025"),
        ("target", "新增孵化器", 2.0, 3.0, "家", "=", "cumulative", "2021-2025"),
        ("target", "科技型企业", 10.0, None, "家", "=", "cumulative", "每年"),
        ("target", "人才", 20.0, None, "名", "≥", "cumulative", "每年"),
        # No 到2025年 in their own sentence: a level for the plan period.
        ("target", "戊覆盖率", 95.0, None, "%", "≈", "level", "2021-2025"),
        ("target", "己率", 2.0, None, "%", "≤", "level", "2021-2025"),
    }


def test_targets_csv_has_measure_period_and_note(clean_plan):
    from layers.build import targets_csv
    table = list(csv.DictReader(io.StringIO(targets_csv(clean_plan.text, []).lstrip("\ufeff"))))
    assert {"id", "indicator", "value", "value_max", "unit", "comparator", "year", "kind", "baseline",
            "baseline_year", "scope", "category", "quote", "citation", "measure", "period", "note"} <= set(table[0])
    air = next(r for r in table if r["indicator"] == "空气优良天数")
    assert (air["measure"], air["period"], air["value"]) == ("change", "2016-2020", "88.0")


def test_progress_of_a_total_starts_from_zero_not_from_the_previous_total():
    import pandas as pd

    from layers.progress import target_table
    targets = pd.DataFrame([
        {"id": "t1", "kind": "target", "indicator": "老旧小区改造任务", "value": 4.6, "value_max": None,
         "unit": "万户", "comparator": "=", "baseline": 4.4, "measure": "cumulative", "category": "urban"},
        {"id": "t2", "kind": "target", "indicator": "城镇登记失业率", "value": 3.5, "value_max": None,
         "unit": "%", "comparator": "≤", "baseline": 3.8, "measure": "level", "category": "livelihood"}])
    progress = pd.DataFrame([{"id": 1, "target_id": "t1", "value": 2.3, "recorded_on": "2023-01-01"},
                             {"id": 2, "target_id": "t2", "value": 3.65, "recorded_on": "2023-01-01"}])
    table = target_table(targets, progress).set_index("id")
    assert table.at["t1", "progress"] == pytest.approx(0.5)
    assert table.at["t2", "progress"] == pytest.approx(0.5)


def test_names_keep_what_is_counted_and_what_the_plan_left_out(rows):
    assert one(rows, "发明专利", 1965, "baseline").indicator == "申请发明专利"
    assert one(rows, "发明专利", 436, "baseline").indicator == "授权发明专利"
    assert one(rows, "十乱", 216.4, "baseline").indicator == "清理“十乱”问题"
    assert one(rows, "过亿元企业", 30).indicator == "产值过亿元企业"
    assert one(rows, "过亿元项目", 300).indicator == "新签约引进总投资过亿元项目"
    assert one(rows, "国家级", 9, "baseline").indicator == "国家级改革试点任务"
    assert one(rows, "村", 212, "baseline").indicator == "完成农村集体产权制度改革的村"
