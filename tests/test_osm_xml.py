"""OSM XML as people hand it over: Overpass order and ``out geom``, JOSM's negative ids and deleted
objects, clipped ways, compressed files, and files that are not OSM at all."""

from __future__ import annotations

import bz2
import gzip
import json
import re
import shutil
from pathlib import Path

import pytest

from layers.build import INPUTS
from layers.geometry import osm
from layers.geometry.osm_read import read_extract

SMALL = (Path(__file__).parent / "fixtures" / "small.osm").read_text(encoding="utf-8")
NODES = re.findall(r"  <node [^>]*/>\n", SMALL)
WAYS = re.findall(r"  <way .*</way>\n", SMALL)
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="test">\n'
LOCATIONS = {int(i): (lat, lon) for i, lat, lon in
             (re.search(r'id="(\d+)" lat="([\d.]+)" lon="([\d.]+)"', n).groups() for n in NODES)}


@pytest.fixture
def inputs(tmp_path):
    target = tmp_path / "inputs"
    shutil.copytree(INPUTS, target)
    return target


def write(tmp_path, body: str, name: str = "extract.osm") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + body + "</osm>\n", encoding="utf-8")
    return path


def qingping_ids(inputs: Path) -> list[int]:
    data = json.loads((inputs / "gazetteer_osm.geojson").read_text(encoding="utf-8"))
    return next(f["properties"]["osm_way_ids"] for f in data["features"] if f["properties"]["name"] == "清平路")


def test_ways_before_their_nodes_overpass_order_are_read(tmp_path, inputs, capsys):
    """``out body; >; out skel qt;`` lists ways first: every way had read as having no location."""
    assert osm.main([str(write(tmp_path, "".join(WAYS + NODES))), "--inputs", str(inputs)]) == 0
    assert "已匹配 清平路: OSM 路段 101, 102" in capsys.readouterr().out


def test_coordinates_inside_the_nd_elements_overpass_out_geom_are_read(tmp_path, inputs, capsys):
    def with_geometry(way: str) -> str:
        return re.sub(r'<nd ref="(\d+)"/>', lambda m: '<nd ref="{0}" lat="{1[0]}" lon="{1[1]}"/>'.format(
            m.group(1), LOCATIONS[int(m.group(1))]), way)

    assert osm.main([str(write(tmp_path, "".join(map(with_geometry, WAYS)))), "--inputs", str(inputs)]) == 0
    assert "已匹配 清平路: OSM 路段 101, 102" in capsys.readouterr().out


def test_josm_negative_ids_in_josm_order_are_read(tmp_path, inputs, capsys):
    body = re.sub(r'(id|ref)="(\d+)"', r'\1="-\2"', "".join(NODES + WAYS))
    assert osm.main([str(write(tmp_path, body)), "--inputs", str(inputs)]) == 0
    assert "已匹配 清平路: OSM 路段 -102, -101" in capsys.readouterr().out


def test_deleted_and_invisible_copies_are_left_out_and_counted(tmp_path, inputs, capsys):
    """A JOSM file keeps a deleted way until upload; a history extract keeps invisible versions. The
    deleted copy of 清平路 lies 200 m east, inside its corridor: it was the line traced."""
    shifted = [f'  <node id="9{i}" lat="{lat}" lon="{float(lon) + 0.002:.4f}"/>\n'
               for i, (lat, lon) in LOCATIONS.items() if i <= 3]
    copies = ('  <way id="901" action="modify" visible="true"><nd ref="91"/><nd ref="92"/><nd ref="93"/>'
              '<tag k="highway" v="primary"/><tag k="name" v="清平路"/></way>\n'
              '  <way id="902" visible="false"><nd ref="91"/><nd ref="93"/>'
              '<tag k="highway" v="primary"/><tag k="name" v="清平路"/></way>\n')
    deleted = copies.replace('action="modify" visible="true"', 'action="delete"')
    assert osm.main([str(write(tmp_path, "".join(NODES + shifted + WAYS) + deleted)), "--inputs", str(inputs)]) == 0
    out = capsys.readouterr().out
    assert "已匹配 清平路: OSM 路段 101, 102\n" in out and qingping_ids(inputs) == [101, 102]
    assert "已略过 2 个标记为删除（action=delete）或不可见（visible=false）的对象" in out
    assert "同名道路" not in out
    # the same way, not deleted, is seen (as a second 清平路 beside the first): the test can tell
    assert osm.main([str(write(tmp_path, "".join(NODES + shifted + WAYS) + copies.split("\n")[0])),
                     "--inputs", str(inputs)]) == 0
    assert "走廊内另有一条同名道路（相距约 1" in capsys.readouterr().out


def test_a_way_with_missing_nodes_is_split_at_the_gap_not_drawn_across_it(tmp_path):
    nodes = [n for n in NODES if 'id="2"' not in n]  # 清平路's middle node is outside the extract
    way = '  <way id="101"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="5"/>' \
          '<tag k="highway" v="primary"/><tag k="name" v="清平路"/></way>\n'
    notes: list[str] = []
    data = read_extract(write(tmp_path, "".join(nodes) + way), log=notes.append)
    assert len(data) == 1  # 1–(2)–3: one node left alone is no line; 3–4–5 is
    assert [tuple(round(c, 4) for c in xy) for xy in data.geoms[0].coords] == [
        (119.0782, 36.7), (119.065, 36.676), (119.11, 36.6758)]
    assert data.notes == ["1 条路段缺少部分节点（提取范围截断），已在缺口处断开，未跨缺口连线"]


@pytest.mark.parametrize("suffix, pack", [(".osm.gz", gzip.compress), (".osm.bz2", bz2.compress),
                                          (".OSM", lambda b: b), (".txt", lambda b: b)])
def test_compressed_and_oddly_named_xml_files_are_read(tmp_path, suffix, pack):
    path = tmp_path / f"extract{suffix}"
    path.write_bytes(pack(SMALL.encode("utf-8")))
    assert sorted(set(read_extract(path, log=lambda _: None).ids)) == [101, 102, 201, 301]


def test_a_river_named_only_by_its_waterway_relation_gets_the_name(tmp_path):
    body = "".join(NODES) + ('  <way id="401"><nd ref="6"/><nd ref="7"/><tag k="waterway" v="river"/></way>\n'
                             '  <relation id="1"><member type="way" ref="401" role="main_stream"/>'
                             '<tag k="type" v="waterway"/><tag k="name" v="白浪河"/></relation>\n')
    data = read_extract(write(tmp_path, body), log=lambda _: None)
    assert data.names == [("白浪河",)]


def test_a_clipped_water_multipolygon_is_named_as_clipped(tmp_path):
    body = "".join(NODES) + (
        '  <way id="501"><nd ref="1"/><nd ref="4"/><nd ref="5"/></way>\n'
        '  <relation id="7"><member type="way" ref="501" role="outer"/><member type="way" ref="502" role="outer"/>'
        '<tag k="type" v="multipolygon"/><tag k="natural" v="water"/><tag k="water" v="river"/>'
        '<tag k="name" v="白浪河"/></relation>\n')
    road = '  <way id="601"><nd ref="6"/><nd ref="7"/><tag k="highway" v="primary"/></way>\n'
    data = read_extract(write(tmp_path, body + road), log=lambda _: None)
    assert data.water == [] and data.notes == [
        "水域面 relation/7（白浪河）的外环不闭合：缺少 1 个成员路段或其节点（提取范围可能截断了它）"]
    closing = '  <way id="502"><nd ref="5"/><nd ref="1"/></way>\n'
    data = read_extract(write(tmp_path, body + closing + road), log=lambda _: None)
    assert data.water_ids == ["relation/7"] and data.water[0].area > 0


@pytest.mark.parametrize("content, message", [
    (b"", "文件是空的"),
    (HEAD.encode() + b'  <node id="1" lat="36.6" lon="119.0"/>\n  <way id="2"><nd', "中断，不完整"),
    (b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", "最外层元素是 <html>"),
    ('<?xml version="1.0" encoding="GBK"?><osm><node id="1" lat="1" lon="2"/></osm>'.encode("gbk"), "不是 UTF-8"),
])
def test_files_that_are_not_readable_osm_say_why_in_chinese(tmp_path, inputs, capsys, content, message):
    bad = tmp_path / "bad.osm"
    bad.write_bytes(content)
    assert osm.main([str(bad), "--inputs", str(inputs)]) == 1
    err = capsys.readouterr().err
    assert f"无法读取 OSM 文件 bad.osm：" in err and message in err
    assert not re.search(r"[A-Za-z]{5,}", err.split("：", 1)[1].replace("JOSM", "").replace("html", ""))


def test_an_extract_that_matches_nothing_leaves_the_previous_import_in_place(tmp_path, inputs, capsys):
    """osmtogeojson's nested tags matched nothing, and a file of zero lines replaced a good import."""
    assert osm.main([str(write(tmp_path, "".join(NODES + WAYS))), "--inputs", str(inputs)]) == 0
    before = (inputs / "gazetteer_osm.geojson").read_bytes()
    unnamed = re.sub(r'<tag k="name(:zh)?" v="[^"]*"/>', "", "".join(NODES + WAYS))
    assert osm.main([str(write(tmp_path, unnamed, "unnamed.osm")), "--inputs", str(inputs)]) == 1
    err = capsys.readouterr().err
    assert "导入未完成，gazetteer_osm.geojson 未改动" in err and "没有一条与规划的边界地物对上" in err
    assert (inputs / "gazetteer_osm.geojson").read_bytes() == before


@pytest.mark.parametrize("where, why", [("", "这是一个文件夹"), ("extract.osm/x.geojson", "上一级不是文件夹")])
def test_an_output_that_cannot_be_written_is_a_message_not_a_traceback(tmp_path, inputs, capsys, where, why):
    out = tmp_path / where if where else tmp_path
    assert osm.main([str(write(tmp_path, "".join(NODES + WAYS))), "--inputs", str(inputs), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "导入结果无法写入" in err and why in err and "Traceback" not in err
