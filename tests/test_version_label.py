"""A layer version as people read it on paper (print maps, pitch packs)."""

from __future__ import annotations

import pytest

from layers.review.versions import version_label


@pytest.mark.parametrize("key, label", [("v0", "第 0 版"), ("v3+none", "第 3 版"),
                                        ("v3+ab12cd34ef567890", "第 3 版，含导入的项目"),
                                        ("p2-v3", "待审核提案 #2（基于第 3 版）"), ("p2-v3+none", "待审核提案 #2（基于第 3 版）")])
def test_a_version_key_reads_as_words(key, label):
    """Print maps and pitch packs said "图层版本：v3+none" (an internal key)."""
    assert version_label(key) == label


def test_a_sheet_or_file_without_projects_does_not_claim_imported_ones():
    """The 十大片区 file was named 潍城区十大片区（第4版，含导入的项目）.geojson: it holds no projects."""
    assert version_label("v4+ab12cd34ef567890", with_imports=False) == "第 4 版"
    assert version_label("p2-v3+ab12", with_imports=False) == "待审核提案 #2（基于第 3 版）"
