"""A folium map as the script ``pages/map_widget.js`` runs, with stable names.

folium renders a whole HTML page; the app draws its maps in the Streamlit
page itself, so it needs only the JavaScript that builds the map and its
layers. folium names every element after a random id, so the same map would
render differently every time; here each element is named after its place in
the map instead. The map itself is called ``map_div`` (its variable and the
id of its div), which ``map_widget.js`` replaces with a name of its own per
map, and a measuring tool's layer is called ``drawnItems``.

Feature groups that change with each rerun (the highlighted area, say) are
rendered apart from the map, as scripts that add themselves to ``map_div``
and list themselves in ``window.feature_group``; the same groups give the
same text, so the page can skip redrawing them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable

import folium
from branca.element import Figure
from folium.plugins import Draw

#: What the map is called in the script (``map_widget.js`` renames it per map).
MAP_NAME = "map_div"


def _name_in_order(element, prefix: str) -> None:
    """Give ``element``'s descendants ids after their place in the tree (folium's are random)."""
    for i, child in enumerate(element._children.values()):
        child._id = f"{prefix}_{i}"
        _name_in_order(child, child._id)


def _draw_tools(element) -> list[Draw]:
    found = [element] if isinstance(element, Draw) else []
    for child in element._children.values():
        found += _draw_tools(child)
    return found


def _scripts(figure: Figure) -> str:
    """The scripts the elements rendered into ``figure``, in their order."""
    return "\n".join(child.render() for child in figure.script._children.values())


def map_script(m: folium.Map) -> str:
    """The JavaScript that builds ``m`` and its layers in a div called ``map_div``.

    Rendering renames ``m``'s elements (ids after their place in the map), so
    the same map always gives the same text.
    """
    m._id = "div"  # folium names a map "map_" + its id: "map_div"
    _name_in_order(m, "div")
    figure = Figure()
    figure.add_child(m)
    m.render()
    script = _scripts(figure)
    for draw in _draw_tools(m):  # Leaflet.draw's layer, under the one name map_widget.js looks for
        script = script.replace(f"drawnItems_{draw.get_name()}", "drawnItems")
    if "drawnItems" not in script:
        script += "\nvar drawnItems = null;"
    return script


#: Where folium's script names the map's div (``L.map("map_div", …)``).
_MAP_DIV = re.compile(r'L\.map\(\s*"map_div"')


def map_file(script: str, js_hash: str) -> str:
    """``script`` (from :func:`map_script`) as a file of its own, which draws the map when asked.

    The file registers ``window.wcMapScripts[js_hash]``: a function that draws the map in the
    element (or element id) it is given and returns ``[map, drawnItems]``. A browser fetches
    the file once for every page and visit that shows this map (its name is its content's
    hash), instead of receiving the script with every page run; the page shell's pre-drawn
    map (``layers/maps/premap.py``) runs the same file.

    Raises
    ------
    ValueError
        When ``script`` does not make exactly one map called ``map_div``.
    """
    if len(_MAP_DIV.findall(script)) != 1:
        raise ValueError("地图脚本中应恰有一个名为 map_div 的地图")
    body = _MAP_DIV.sub("L.map(container", script)
    return (f"(window.wcMapScripts = window.wcMapScripts || {{}})[{json.dumps(js_hash)}] = function (container) {{\n"
            f"{body}\nreturn [{MAP_NAME}, typeof drawnItems === 'undefined' ? null : drawnItems];\n}};\n")


def groups_script(groups: Iterable[folium.FeatureGroup]) -> str:
    """Scripts that add each feature group to ``map_div`` and list it in ``window.feature_group``."""
    parts = []
    for i, group in enumerate(groups):
        host = folium.Map(tiles=None)
        host._id = "div"
        figure = Figure()
        figure.add_child(host)
        group._id = f"group_{i}"
        _name_in_order(group, group._id)
        group.add_to(host)
        group.render()  # only the group: the host map's own script is not rendered
        name = group.get_name()
        parts.append(f"{_scripts(figure)}\n{MAP_NAME}.addLayer({name});\n"
                     f"window.feature_group = window.feature_group || [];\nwindow.feature_group.push({name});\n")
    return "".join(parts)


def script_hash(script: str) -> str:
    """A name for a map's script: the same script, the same name."""
    return hashlib.sha256(script.encode("utf-8")).hexdigest()

