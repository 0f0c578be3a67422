"""Deterministic, atomic GeoJSON and text writing.

Every build product goes through here so that the same input gives
byte-identical files and a failed build never leaves a half-written file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

#: 6 decimals ≈ 0.1 m: far finer than any accuracy the layers claim.
COORD_PRECISION = 6


def _round_coords(obj: Any) -> Any:
    if isinstance(obj, float):
        return round(obj, COORD_PRECISION)
    if isinstance(obj, (list, tuple)):
        return [_round_coords(v) for v in obj]
    return obj


def geometry_json(geom: BaseGeometry | None) -> dict | None:
    """Return the RFC 7946 dict of a WGS-84 geometry, coordinates rounded."""
    if geom is None or geom.is_empty:
        return None
    raw = mapping(geom)
    return {"type": raw["type"], "coordinates": _round_coords(raw["coordinates"])}


def feature_collection(features: Iterable[dict], **extra: Any) -> dict:
    """Wrap features in a FeatureCollection, rounding every geometry."""
    out = []
    for feat in features:
        geom = feat.get("geometry")
        if isinstance(geom, BaseGeometry):
            geom = geometry_json(geom)
        elif geom is not None:
            geom = {"type": geom["type"], "coordinates": _round_coords(geom["coordinates"])}
        out.append({"type": "Feature", "id": feat.get("id", feat["properties"].get("id")),
                    "properties": feat["properties"], "geometry": geom})
        if out[-1]["id"] is None:
            del out[-1]["id"]
    return {"type": "FeatureCollection", **extra, "features": out}


def dumps(obj: Any) -> str:
    """Serialise JSON deterministically (sorted keys, UTF-8 text, newline at end)."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def stage_text(path: Path, text: str) -> Path:
    """Write ``text`` to a hidden temporary file beside ``path`` and return it.

    The caller renames it into place (``os.replace``) once everything it
    writes has been staged; on failure the temporary file is removed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and an atomic rename."""
    os.replace(stage_text(path, text), path)


def write_geojson(path: Path, features: Iterable[dict], **extra: Any) -> None:
    """Write a FeatureCollection atomically and deterministically."""
    write_text_atomic(Path(path), dumps(feature_collection(features, **extra)))


def read_features(path: Path) -> list[dict]:
    """Read a GeoJSON FeatureCollection and return its features.

    Raises
    ------
    ValueError
        With a Chinese message naming the file when it is not valid GeoJSON.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"无法读取 GeoJSON 文件 {path}：{exc}") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValueError(f"{path} 不是 GeoJSON FeatureCollection")
    return list(data.get("features") or [])
