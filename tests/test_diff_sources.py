"""The 版本 comparison names where each moved line came from in Chinese (it showed the layers' English)."""

from __future__ import annotations

import re

from layers.geometry.gazetteer import APPROX_SOURCE
from layers.review.diff import LineChange, lines_frame


def test_moved_lines_name_their_sources_in_chinese():
    frame = lines_frame([LineChange("清平路", 180.4, APPROX_SOURCE, "review: 提案 #3，在高德卫星影像上描绘")])
    row = frame.iloc[0]
    assert row["原来源"] == "项目组绘制的示意中心线（未经测绘，近似位置）"
    assert row["新来源"] == "审核修正线：提案 #3，在高德卫星影像上描绘"
    assert not re.search(r"[A-Za-z]{3,}", " ".join(frame.astype(str).iloc[0]))
