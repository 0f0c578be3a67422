"""A folium map as the script the page runs (layers/maps/script.py): stable names, one map variable."""

from __future__ import annotations

import re

import pytest

from layers.data import load_layers
from layers.maps.basemaps import available_basemaps
from layers.maps.script import groups_script, map_file, map_script, script_hash
from layers.maps.views import add_measure_tool, base_map, highlight_group

NONE = available_basemaps()["none"]
RANDOM_ID = re.compile(r"_[0-9a-f]{32}\b")  # folium's own element ids


def test_the_same_map_gives_the_same_script_with_no_random_names():
    data = load_layers()
    first, second = map_script(base_map(data, NONE, {})), map_script(base_map(data, NONE, {}))
    assert first == second and script_hash(first) == script_hash(second)
    assert not RANDOM_ID.search(first)
    assert re.search(r'var map_div = L\.map\(\s*"map_div"', first)  # map_widget.js renames map_div per map
    assert "alert(" not in first  # Leaflet.draw's click-to-alert is off


def test_the_measuring_layer_is_called_drawn_items():
    import folium
    m = folium.Map(tiles=None)
    assert "var drawnItems = null;" in map_script(m)
    m = folium.Map(tiles=None)
    add_measure_tool(m, {})
    script = map_script(m)
    assert re.search(r"var drawnItems\s*=", script) and "drawnItems_" not in script


def test_feature_groups_add_themselves_to_the_map_and_are_stable():
    zone = load_layers().zones.geometry.iloc[0]
    text = groups_script([highlight_group([zone], NONE), highlight_group([zone], NONE, name="另一个")])
    assert text == groups_script([highlight_group([zone], NONE), highlight_group([zone], NONE, name="另一个")])
    assert not RANDOM_ID.search(text)
    for name in ("feature_group_group_0", "feature_group_group_1"):
        assert f"map_div.addLayer({name});" in text and f"window.feature_group.push({name});" in text
    assert "L.map(" not in text  # the host map's own script is not part of it


def test_the_maps_file_draws_it_in_the_element_it_is_given_under_its_hash():
    script = map_script(base_map(load_layers(), NONE, {}))
    text = map_file(script, "abc123")
    assert text.startswith('(window.wcMapScripts = window.wcMapScripts || {})["abc123"] = function (container) {')
    assert '"map_div"' not in text and "L.map(container" in text  # the element is the caller's
    assert "return [map_div, typeof drawnItems === 'undefined' ? null : drawnItems];" in text
    assert text.count("var map_div = ") == 1  # a variable of the function: two maps never share it


def test_a_script_without_one_map_is_no_maps_file():
    with pytest.raises(ValueError, match="map_div"):
        map_file("var x = 1;", "h")
