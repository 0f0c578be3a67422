"""The map legend: constant HTML, collapsible, and out of the way while measuring.

Every piece of text that comes from data (category labels) is escaped with
:func:`layers.escape.html_text` before it is put into the HTML.
"""

from __future__ import annotations

from layers.escape import html_text

#: One colour per project category, all distinct (Tableau 10 plus four more): charts and maps share them.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac", "#1b9e77", "#7570b3", "#e7298a", "#66a61e")
#: Colours of the plan's own categories, fixed so a category keeps its colour on every page.
CATEGORY_ORDER = ("industry", "innovation", "logistics", "commerce", "culture-tourism", "public service",
                  "infrastructure", "agriculture", "ecology")
OTHER_COLOR = "#555555"

_SWATCH_AREA = ('<span style="display:inline-block;width:14px;height:10px;background:{fill};'
                'border:2px solid {line}"></span>')
_SWATCH_LINE = '<span style="display:inline-block;width:14px;border-top:2px {style} {color}"></span>'
_SWATCH_DOT = ('<span style="display:inline-block;width:10px;height:10px;border-radius:50%;'
               'background:{fill};border:2px solid {line}"></span>')


def category_colors(labels) -> dict[str, str]:
    """A distinct colour per category label: the plan's categories first (fixed), then the others sorted."""
    from layers.plan.projects import CATEGORY_LABELS

    fixed = [CATEGORY_LABELS[c] for c in CATEGORY_ORDER]
    others = sorted({str(x) for x in labels if isinstance(x, str) and x} - set(fixed))
    colors = {label: PALETTE[i] for i, label in enumerate(fixed)}
    for i, label in enumerate(others, start=len(fixed)):
        colors[label] = PALETTE[i] if i < len(PALETTE) else OTHER_COLOR
    return colors


def area_rows(*, district: bool = True, roads: bool = True) -> list[tuple[str, str]]:
    """Legend rows for the areas and lines of a map."""
    rows = [(_SWATCH_AREA.format(fill="rgba(31,111,209,.3)", line="#1f6fd1"), "片区"),
            (_SWATCH_AREA.format(fill="rgba(230,126,34,.35)", line="#d35400"), "园区"),
            (_SWATCH_LINE.format(style="dashed", color="#333"), "虚线：近似边界")]
    if roads:
        rows.append((_SWATCH_LINE.format(style="solid", color="#7f8c8d"), "边界道路/河流"))
    if district:
        rows.append((_SWATCH_LINE.format(style="dotted", color="#555"), "潍城区界"))
    return rows


def project_rows(labels_in_use, colors: dict[str, str]) -> list[tuple[str, str]]:
    """One row per category label present (each label once), then the two marker kinds."""
    rows = [(_SWATCH_DOT.format(fill=colors.get(label, OTHER_COLOR), line=colors.get(label, OTHER_COLOR)),
             html_text(label)) for label in sorted(set(labels_in_use), key=list(colors).index)]
    rows.append((_SWATCH_DOT.format(fill="#888", line="#888"), "实心：有确切坐标"))
    rows.append((_SWATCH_DOT.format(fill="#fff", line="#888"), "空心：仅知所在片区/园区（代表点）"))
    return rows


def legend_html(rows: list[tuple[str, str]], title: str = "图例") -> str:
    """A collapsible legend (HTML ``<details>``), open at first."""
    body = "<br>".join(f"{symbol} {text}" for symbol, text in rows)
    return (f'<details open><summary style="cursor:pointer;font-weight:bold">{html_text(title)}</summary>'
            f'<div style="margin-top:4px">{body}</div></details>')


#: Adds the legend as a Leaflet control; clicks on it never reach the map; it folds while measuring.
LEGEND_JS = """
var legend = L.control({position: 'bottomright'});
legend.onAdd = function () {
  var div = L.DomUtil.create('div', 'plan-legend');
  div.style.cssText = 'background:#fff;padding:6px 8px;font:12px/1.5 sans-serif;border-radius:4px;'
    + 'box-shadow:0 0 4px rgba(0,0,0,.3);max-height:45vh;overflow:auto';
  div.innerHTML = {{ this.legend_html }};
  L.DomEvent.disableClickPropagation(div);
  L.DomEvent.disableScrollPropagation(div);
  return div;
};
legend.addTo(map);
// Folded at first unless the map is wide: open, it would cover (and swallow clicks on) the lower right.
if (map.getSize().x < 900) { legend.getContainer().querySelector('details').open = false; }
map.on('draw:drawstart', function () {
  var d = legend.getContainer().querySelector('details');
  if (d) { d.open = false; }
});
"""
