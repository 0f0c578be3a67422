"""Unnamed ways are bridged only where they close a gap between named ones (a dense extract's lanes
were followed on and on: a dam's line ran 1 km off, roads ran 100–160 m past their end)."""

from __future__ import annotations

import json

from layers.geometry import osm
from tests.test_osm_xml import HEAD, inputs, write  # noqa: F401  (fixture)

NODES = """  <node id="1" lat="36.6400" lon="119.0790"/>
  <node id="2" lat="36.6850" lon="119.0784"/>
  <node id="3" lat="36.6870" lon="119.0784"/>
  <node id="4" lat="36.7000" lon="119.0782"/>
  <node id="5" lat="36.7040" lon="119.0782"/>
  <node id="6" lat="36.7080" lon="119.0781"/>
  <node id="7" lat="36.6760" lon="119.0650"/>
  <node id="8" lat="36.6758" lon="119.1100"/>
"""
NAMED = """  <way id="101"><nd ref="1"/><nd ref="2"/><tag k="highway" v="primary"/><tag k="name" v="清平路"/></way>
  <way id="102"><nd ref="3"/><nd ref="4"/><tag k="highway" v="primary"/><tag k="name" v="清平路"/></way>
  <way id="201"><nd ref="7"/><nd ref="8"/><tag k="highway" v="secondary"/><tag k="name" v="高家街"/></way>
"""
GAP = '  <way id="150"><nd ref="2"/><nd ref="3"/><tag k="highway" v="primary"/></way>\n'
DEAD_END = ('  <way id="160"><nd ref="4"/><nd ref="5"/><tag k="highway" v="primary"/></way>\n'
            '  <way id="161"><nd ref="5"/><nd ref="6"/><tag k="highway" v="primary"/></way>\n')


def match_record(inputs, name: str) -> dict:
    data = json.loads((inputs / "gazetteer_osm.geojson").read_text(encoding="utf-8"))
    return next(f["properties"] for f in data["features"] if f["properties"]["name"] == name)


def test_an_unnamed_way_closing_a_gap_is_bridged_a_dead_end_chain_is_not(tmp_path, inputs, capsys):
    assert osm.main([str(write(tmp_path, NODES + NAMED + GAP + DEAD_END)), "--inputs", str(inputs)]) == 0
    assert "已匹配 清平路: OSM 路段 101, 102（推断 1 段）" in capsys.readouterr().out
    assert match_record(inputs, "清平路")["osm_match"]["inferred_way_ids"] == [150]


def test_a_dead_end_chain_alone_is_not_followed(tmp_path, inputs, capsys):
    assert osm.main([str(write(tmp_path, NODES + NAMED + DEAD_END)), "--inputs", str(inputs)]) == 0
    out = capsys.readouterr().out
    assert "已匹配 清平路: OSM 路段 101, 102\n" in out
    assert match_record(inputs, "清平路")["osm_match"]["inferred_way_ids"] == []


def test_a_gap_left_open_is_named_with_its_place_and_width(tmp_path, inputs, capsys):
    """玄武西街 with 250 m unmapped was "已匹配" without a word, and the build then failed naming only 鲁台片区."""
    assert osm.main([str(write(tmp_path, NODES + NAMED)), "--inputs", str(inputs)]) == 0
    out = capsys.readouterr().out
    note = next(line for line in out.splitlines() if line.startswith("  提示：清平路 线位在"))
    assert "（119.07840, 36.68600）处断开约 225 米" in note and "如桥梁" in note
    assert osm.main([str(write(tmp_path, NODES + NAMED + GAP)), "--inputs", str(inputs)]) == 0
    assert "断开" not in capsys.readouterr().out


def test_of_two_equal_same_named_roads_the_one_near_the_approximate_line_is_taken_and_named(
        tmp_path, inputs, capsys):
    """A second 拥军路 of equal length inside the corridor was taken as often as the right one (800 m off),
    without a word, and its ways were listed as the line's sources."""
    far = "".join(f'  <node id="{90 + i}" lat="{lat}" lon="{lon + 0.006:.4f}"/>\n'
                  for i, (lat, lon) in enumerate([(36.6400, 119.0790), (36.6850, 119.0784), (36.7000, 119.0782)]))
    rival = ('  <way id="301"><nd ref="90"/><nd ref="91"/><nd ref="92"/><tag k="highway" v="primary"/>'
             '<tag k="name" v="清平路"/></way>\n')
    near = ('  <way id="101"><nd ref="1"/><nd ref="2"/><nd ref="4"/><tag k="highway" v="primary"/>'
            '<tag k="name" v="清平路"/></way>\n')
    for order in (near + rival, rival + near):  # the file's order must not decide
        assert osm.main([str(write(tmp_path, NODES + far + order)), "--inputs", str(inputs)]) == 0
        out = capsys.readouterr().out
        assert "已匹配 清平路: OSM 路段 101\n" in out
        assert "走廊内另有一条同名道路（相距约 53" in out
