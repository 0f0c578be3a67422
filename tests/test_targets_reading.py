"""The extractor against the reviewed reading of the plan (tests/data/reading_targets.csv).

The reading was made by hand from the cleaned plan: every figure with a unit of
第一章第一节 (baselines) and of chapters 2–13 (targets), with its verbatim
snippet. It is a check on ``extract_targets``, never its input.

A reading row and an extracted row are the same figure when kind, chapter,
section, value, value_max, unit, comparator, measure and period are equal and
the indicator names agree: after removing spaces, one contains the other or
their difflib similarity ratio is at least 0.6. Each row matches at most once.
"""

from __future__ import annotations

import csv
import re
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from layers.plan.sections import split_sections
from layers.plan.targets import MEASURES, extract_targets

READING = Path(__file__).parent / "data" / "reading_targets.csv"
PERIODS = {"2020", "2016-2020", "2025", "2021-2025", "每年"}


def _reading() -> list[dict]:
    with READING.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _num(text: str) -> float | None:
    return float(text) if text else None


def _norm(name: str) -> str:
    return re.sub(r"\s", "", name)


def same_indicator(a: str, b: str) -> bool:
    """The matching rule for names stated in the module docstring."""
    a, b = _norm(a), _norm(b)
    return a in b or b in a or SequenceMatcher(None, a, b).ratio() >= 0.6


def same_figure(row: dict, t) -> bool:
    return (row["kind"], row["chapter"], row["section"]) == (t.kind, t.citation.chapter, t.citation.section) \
        and _num(row["value"]) == t.value and _num(row["value_max"]) == t.value_max \
        and (row["unit"], row["comparator"], row["measure"], row["period"]) == \
        (t.unit, t.comparator, t.measure, t.period) \
        and same_indicator(row["indicator"], t.indicator)


def pairs(reading: list[dict], extracted: list) -> tuple[list[tuple[dict, object]], list[dict], list]:
    """Pair reading rows with extracted rows one to one: ``(pairs, missed, extra)``."""
    free = list(extracted)
    paired, missed = [], []
    for row in reading:
        hit = next((t for t in free if same_figure(row, t)), None)
        if hit is None:
            missed.append(row)
        else:
            free.remove(hit)
            paired.append((row, hit))
    return paired, missed, free


@pytest.fixture(scope="module")
def reading():
    return _reading()


@pytest.fixture(scope="module")
def extracted(clean_plan):
    return extract_targets(clean_plan.text)


def test_every_snippet_occurs_verbatim_in_its_section(clean_plan, reading):
    where = {}
    for sec in split_sections(clean_plan.text):
        where.setdefault((sec.chapter, sec.section), []).extend(p.text for p in sec.paragraphs)
    bad = [r["snippet"] for r in reading
           if not any(r["snippet"] in text for text in where.get((r["chapter"], r["section"]), []))]
    assert bad == []


def test_reading_rows_are_well_formed(reading):
    assert len(reading) >= 170
    for r in reading:
        assert r["kind"] in ("target", "baseline")
        assert r["measure"] in MEASURES and r["period"] in PERIODS and r["comparator"] in ("=", "≥", "≤", "≈")
        assert float(r["value"]) >= 0 and r["unit"] and r["indicator"]
        # Every figure of the reading is in its snippet, as the plan writes it.
        assert re.search(rf"(?<![\d.]){re.escape(r['value'].removesuffix('.0'))}(?![\d])", r["snippet"])
        assert (r["kind"] == "baseline") == (r["period"] in ("2020", "2016-2020"))


def test_recall_and_precision_against_the_reading(reading, extracted):
    _, missed, extra = pairs(reading, extracted)
    recall = 1 - len(missed) / len(reading)
    precision = 1 - len(extra) / len(extracted)
    for kind in ("target", "baseline"):
        part = [r for r in reading if r["kind"] == kind]
        part_missed = [r for r in missed if r["kind"] == kind]
        print(f"{kind}: {len(part) - len(part_missed)}/{len(part)} found")
    print(f"recall {recall:.1%} ({len(reading) - len(missed)}/{len(reading)}), "
          f"precision {precision:.1%} ({len(extracted) - len(extra)}/{len(extracted)})")
    for r in missed:
        print("missed:", r["indicator"], r["value"], r["unit"], r["measure"], r["period"], "|", r["snippet"])
    for t in extra:
        print("extra:", t.indicator, t.value, t.unit, t.comparator, t.measure, t.period, "|", t.citation)
    assert recall >= 0.95
    assert extra == []


def test_scope_of_every_paired_row_agrees(reading, extracted):
    paired, _, _ = pairs(reading, extracted)
    assert [(r["indicator"], r["scope"], t.scope) for r, t in paired if r["scope"] != t.scope] == []


def test_the_matching_rule_can_fail(reading, extracted):
    """A wrong value, measure, period or name is not counted as found."""
    row = next(r for r in reading if r["indicator"] == "空气优良天数")
    t = next(t for t in extracted if t.indicator == "空气优良天数")
    assert same_figure(row, t)
    for key, wrong in [("value", "89"), ("measure", "level"), ("period", "2020"), ("indicator", "森林覆盖率"),
                       ("comparator", "≥"), ("unit", "个")]:
        assert not same_figure({**row, key: wrong}, t)
