"""Serve Leaflet and its plugins from installed packages, so maps draw offline.

folium points the browser at CDNs. In a meeting room without internet (and
in CI) those requests fail and the map never draws. ``django-leaflet`` (a
PyPI package; Django itself is never imported) ships Leaflet 1.9.3 and
Leaflet.draw with their images; ``xstatic-leaflet-markercluster`` ships
Leaflet.markercluster. :func:`sync_assets` copies those files into
the app's ``static/vendor`` folder, which Streamlit serves at
``/app/static/vendor/…`` (``server.enableStaticServing``); the map then
references them instead of the CDNs.
"""

from __future__ import annotations

import filecmp
import importlib.util
import shutil
from dataclasses import dataclass
from pathlib import Path

#: URL prefix under which Streamlit serves the app's ``static/`` folder.
STATIC_URL = "app/static"


@dataclass(frozen=True)
class Asset:
    """One JS/CSS file (and the folders it references) from an installed package."""

    key: str
    package: str
    path: str
    extra_dirs: tuple[str, ...] = ()


_CLUSTER = "xstatic.pkg.leaflet_markercluster"
ASSETS = {
    "leaflet": Asset("leaflet", "leaflet", "static/leaflet/leaflet.js"),
    "leaflet_css": Asset("leaflet_css", "leaflet", "static/leaflet/leaflet.css",
                         ("static/leaflet/images",)),
    "leaflet_draw_js": Asset("leaflet_draw_js", "leaflet", "static/leaflet/draw/leaflet.draw.js"),
    "leaflet_draw_css": Asset("leaflet_draw_css", "leaflet", "static/leaflet/draw/leaflet.draw.css",
                              ("static/leaflet/draw/images",)),
    # xstatic-leaflet-markercluster: clustering of many project markers.
    "markerclusterjs": Asset("markerclusterjs", _CLUSTER, "data/leaflet.markercluster.js"),
    "markerclustercss": Asset("markerclustercss", _CLUSTER, "data/MarkerCluster.css"),
    "markerclusterdefaultcss": Asset("markerclusterdefaultcss", _CLUSTER, "data/MarkerCluster.Default.css"),
}


def _package_root(package: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(package)
    except ModuleNotFoundError:
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def _copy_if_changed(src: Path, dst: Path) -> None:
    if dst.exists() and filecmp.cmp(src, dst, shallow=False):
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".{dst.name}.tmp")
    shutil.copyfile(src, tmp)
    tmp.replace(dst)


def _installed() -> list[tuple[Asset, Path]]:
    """The assets whose package is installed, with that package's folder."""
    found = []
    for asset in ASSETS.values():
        root = _package_root(asset.package)
        if root is not None and (root / asset.path).exists():
            found.append((asset, root))
    return found


def sync_assets(static_dir: Path) -> dict[str, str]:
    """Copy the available assets under ``static_dir/vendor``; return key → local URL.

    Keys whose package is not installed are left out, so the map falls back
    to folium's CDN address for them.
    """
    urls = {}
    for asset, root in _installed():
        rel = Path("vendor") / asset.package / asset.path
        _copy_if_changed(root / asset.path, static_dir / rel)
        for folder in asset.extra_dirs:
            for src in sorted((root / folder).glob("*")):
                _copy_if_changed(src, static_dir / "vendor" / asset.package / folder / src.name)
        urls[asset.key] = f"/{STATIC_URL}/{rel.as_posix()}"
    return urls


def file_urls() -> dict[str, str]:
    """``file://`` URLs of the installed assets, for static HTML files opened locally."""
    return {asset.key: (root / asset.path).as_uri() for asset, root in _installed()}
