"""Directional variants and near misses of Chinese street names."""

import pytest

from layers.geometry.names import classify, split_name


@pytest.mark.parametrize("osm_name, wanted, expected", [
    ("长松路", {"长松路"}, "exact"),
    ("长松北路", {"长松路"}, "variant"),
    ("长松南路", {"长松路"}, "variant"),
    ("北宫东街", {"北宫西街", "北宫街"}, "variant"),
    ("西环南路", {"西环路"}, "variant"),
    ("长松街", {"长松路"}, "near_miss"),
    ("北门路", {"北门大街"}, "near_miss"),
    ("东风街", {"东风西街", "东风街"}, "exact"),
    ("胜利东街", {"东风西街"}, None),
    ("西环路", {"环路"}, None),
    ("工业三街", {"工业二街"}, None),
    ("长松", {"长松路"}, None),
])
def test_classify(osm_name, wanted, expected):
    assert classify(osm_name, wanted) == expected


def test_split_keeps_a_two_character_base():
    assert split_name("西环路") == split_name("西环路")
    assert (split_name("西环路").base, split_name("西环路").direction) == ("西环", "")
    assert (split_name("西环南路").base, split_name("西环南路").direction) == ("西环", "南")
    assert split_name("北门大街").generic == "大街"
