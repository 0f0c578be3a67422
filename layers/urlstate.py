"""Shareable views: read ``?zone=…``, ``?park=…``, ``?basemap=…`` safely."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from layers.plan.text import to_simplified

PARAMS = ("zone", "park", "basemap")
_MAX_LEN = 100


def _first(value) -> str:
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    return str(value or "").strip()


def _resolve(value: str, names: Iterable[str], ids: Iterable[str]) -> str | None:
    names, ids = list(names), list(ids)
    if value in names:
        return value
    if value in ids:
        return names[ids.index(value)]
    simple = to_simplified(value)
    matches = [n for n in names if n == simple or n.startswith(simple) or n.rstrip("片区园") == simple]
    return matches[0] if len(matches) == 1 else None


def read_query(params: Mapping, *, zones: Mapping[str, str], parks: Mapping[str, str],
               basemaps: Mapping[str, str]) -> tuple[dict[str, str | None], list[str]]:
    """Validate URL parameters.

    Parameters
    ----------
    params
        The query parameters (``st.query_params`` or a dict).
    zones, parks
        ``{id: name}`` of the known zones and parks.
    basemaps
        ``{key: label}`` of the offered basemaps.

    Returns
    -------
    tuple
        The view (``zone``, ``park``, ``basemap``: a name/key or ``None``) and
        a Chinese message for every parameter that was not understood.
    """
    view: dict[str, str | None] = {k: None for k in PARAMS}
    errors = []
    for key, known, what in (("zone", zones, "片区"), ("park", parks, "园区")):
        raw = _first(params.get(key))
        if not raw:
            continue
        found = _resolve(raw[:_MAX_LEN], known.values(), known.keys()) if len(raw) <= _MAX_LEN else None
        if found is None:
            shown = raw[:30] + ("…" if len(raw) > 30 else "")
            errors.append(f"网址参数 {key}=“{shown}” 无效：没有这个{what}。可用的{what}："
                          + "、".join(known.values()))
        view[key] = found
    raw = _first(params.get("basemap"))
    if raw:
        if raw in basemaps:
            view["basemap"] = raw
        else:
            errors.append(f"网址参数 basemap=“{raw[:30]}” 无效。可用的底图：" + "、".join(
                f"{k}（{v}）" for k, v in basemaps.items()))
    return view, errors
