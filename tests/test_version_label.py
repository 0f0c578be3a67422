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


def test_two_approvals_of_the_same_zone_read_apart_in_the_version_chooser():
    """Cut at 24 characters, 第 1 版 and 第 2 版 both read "批准提案 #N：站南片区：四至改为“东至白浪河、"."""
    from datetime import datetime, timezone

    from layers.review.versions import Version
    from pages.common import NOTE_SHOWN, version_option

    note = "批准提案 #{}：站南片区：四至改为“东至白浪河、西至{}、南至高家街、北至胶济铁路”"
    first = version_option(Version(1, datetime(2026, 11, 27, 9, 5, tzinfo=timezone.utc), "li", 1, None,
                                   note.format(1, "清平路")))
    second = version_option(Version(2, datetime(2026, 11, 28, 14, 30, tzinfo=timezone.utc), "li", 2, None,
                                    note.format(2, "西环路")))
    assert first.startswith("第 1 版（11-27 09:05） · 批准提案 #1") and "（11-28 14:30）" in second
    assert first.endswith("…") and len(first.split(" · ", 1)[1]) == NOTE_SHOWN
    assert version_option(Version(3, None, "li", None, 1, "恢复第 1 版")) == "第 3 版 · 恢复第 1 版"
