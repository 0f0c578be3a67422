import re
from pathlib import Path

import pytest

from layers.build import PLAN_FILE
from layers.plan.text import GAP_MARK, repair_mojibake, strip_pinyin, to_simplified

SHARED_PLAN = Path(__file__).resolve().parents[2] / "shared" / "plan" / PLAN_FILE.name


def test_embedded_plan_is_the_captured_file_unchanged():
    if not SHARED_PLAN.exists():
        pytest.skip("shared/plan is not beside this checkout")
    assert PLAN_FILE.read_bytes() == SHARED_PLAN.read_bytes()


@pytest.mark.parametrize("raw, expected", [
    ("區(qū)域發(fā)展", "區域發展"),
    ("綠(lǜ)色", "綠色"),
    ("半導體(激光)產業園", "半導體(激光)產業園"),
    ("細顆粒物(PM 2.5 )濃度", "細顆粒物(PM 2.5 )濃度"),
    ("(2022年更新)", "(2022年更新)"),
    ("(1)加強", "(1)加強"),
])
def test_strip_pinyin_keeps_real_parentheses(raw, expected):
    assert strip_pinyin(raw)[0] == expected


def test_simplified_conversion():
    assert to_simplified("濰坊市濰城區") == "潍坊市潍城区"


def test_mojibake_from_the_readme_is_repaired_with_a_marked_gap():
    text, repairs = repair_mojibake("實施“南北開發、東西優化”。城區?!澳媳遍_發”,主")
    assert to_simplified(text).endswith(f"城区{GAP_MARK}“南北开发”,主")
    assert repairs[0].gaps == 1


def test_a_decoding_the_plan_never_uses_elsewhere_is_not_taken():
    # The capture also dropped byte pairs here: in-step decoding gives 火安取康运, not 基金安全健康运.
    context = "醫保基金安全運行,健康"
    text, _ = repair_mojibake(context + "保障醫?;鸢踩】颠\\行。")
    assert "火安取康" not in to_simplified(text)
    assert GAP_MARK in text


def test_undecodable_mojibake_becomes_a_gap_not_a_guess():
    text, repairs = repair_mojibake("規?;?、集約化")
    assert text.startswith("規" + GAP_MARK)
    assert "?" not in text
    assert all(r.gaps >= 1 for r in repairs)


def test_cleaned_plan_has_no_pinyin_no_question_marks_and_is_simplified(clean_plan):
    text = clean_plan.text
    assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", text)
    assert "?" not in text
    assert "潍坊" in text and "濰" not in text
    assert "半导体(激光)产业园" in text
    assert "东至白浪河、西至清平路,南至高家街、北至胶济铁路" in text
    assert 15 <= len(clean_plan.repairs) <= 30
