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
import hashlib
import importlib.util
import os
import posixpath
import re
import shutil
import tempfile
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
        rel = _local_path(asset)
        _copy_if_changed(root / asset.path, static_dir / rel)
        for folder in asset.extra_dirs:
            for src in sorted((root / folder).glob("*")):
                _copy_if_changed(src, static_dir / "vendor" / asset.package / folder / src.name)
        urls[asset.key] = f"/{STATIC_URL}/{rel.as_posix()}"
    return urls


def site_bundle(static_dir: Path, urls: list[str] | tuple[str, ...], suffix: str) -> list[str]:
    """The one bundle every map of the app shares, when ``urls`` are all the app's Leaflet files.

    Maps differ in the plugins they use (measuring, clustering), but a
    bundle per combination would make a visitor fetch Leaflet again on every
    page that uses another one. Every map therefore loads Leaflet with all
    the installed plugins, in the order of :data:`ASSETS` (Leaflet first),
    and a browser fetches that file once for the whole app. A map that needs
    any other file (a CDN fallback) keeps its own links, as :func:`bundle`
    decides.

    Parameters
    ----------
    static_dir
        The app's ``static`` folder, with the assets copied by :func:`sync_assets`.
    urls
        The map's script or stylesheet URLs.
    suffix
        ``".js"`` or ``".css"``.

    Returns
    -------
    list of str
        The shared bundle's URL, or what :func:`bundle` makes of ``urls``.
    """
    everything = [f"/{STATIC_URL}/{_local_path(asset).as_posix()}" for asset, _ in _installed()
                  if asset.path.endswith(suffix)]
    if urls and set(urls) <= set(everything):
        return bundle(static_dir, everything, suffix)
    return bundle(static_dir, urls, suffix)


def _local_path(asset: Asset) -> Path:
    """Where :func:`sync_assets` puts ``asset`` inside the static folder."""
    return Path("vendor") / asset.package / asset.path


def file_urls() -> dict[str, str]:
    """``file://`` URLs of the installed assets, for static HTML files opened locally."""
    return {asset.key: (root / asset.path).as_uri() for asset, root in _installed()}


#: Relative ``url(...)`` references in a stylesheet (not ``data:``, not absolute, not another origin).
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(?![a-z]+:|/|#)([^'")]+)\1\s*\)""", re.IGNORECASE)


def _rebase_css(css: str, from_dir: str, to_dir: str) -> str:
    """Rewrite a stylesheet's relative ``url(...)`` so it still resolves when served from ``to_dir``."""
    def rebase(match: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(from_dir, match.group(2)))
        return f"url({match.group(1)}{posixpath.relpath(target, to_dir)}{match.group(1)})"

    return _CSS_URL.sub(rebase, css)


def bundle(static_dir: Path, urls: list[str] | tuple[str, ...], suffix: str) -> list[str]:
    """One file for ``urls`` (in their order) when every one is a file of the app's; else ``urls``.

    The map's front end fetches its scripts one after another and its
    stylesheets after them, each a round trip through a busy server before
    anything is drawn; one script and one stylesheet save most of that wait.
    The bundle lives at ``static/vendor/bundle/<content hash><suffix>``, so a
    new Leaflet is never served from an old cache, and it is written only
    when missing (atomically: two sessions may write it at once).

    Parameters
    ----------
    static_dir
        The app's ``static`` folder (served at ``/app/static``).
    urls
        Script or stylesheet URLs, as the map references them.
    suffix
        ``".js"`` or ``".css"``.

    Returns
    -------
    list of str
        The bundle's URL alone, or ``urls`` unchanged when one of them is not
        the app's (a CDN fallback: the order of scripts matters) or there is
        only one.
    """
    prefix = f"/{STATIC_URL}/"
    local = [u for u in urls if u.startswith(prefix) and (static_dir / u[len(prefix):]).is_file()]
    if len(local) < 2 or len(local) != len(urls):
        return list(urls)
    parts = []
    for url in local:
        text = (static_dir / url[len(prefix):]).read_text(encoding="utf-8")
        if suffix == ".css":
            text = _rebase_css(text, posixpath.dirname(url[len(prefix):]), "vendor/bundle")
        # A newline and a semicolon: a script without a trailing one cannot run into the next.
        parts.append(f"/* {url} */\n{text}\n" + (";\n" if suffix == ".js" else ""))
    return [write_bundle(static_dir, "".join(parts).encode("utf-8"), suffix)]


def write_bundle(static_dir: Path, body: bytes, suffix: str) -> str:
    """Write ``body`` as ``static/vendor/bundle/<content hash><suffix>`` unless it is there; its URL.

    The name is the content's hash, so a browser may keep the file for good; it is written only when
    missing, and atomically (two sessions may write it at once).
    """
    name = hashlib.sha256(body).hexdigest()[:16] + suffix
    target = static_dir / "vendor" / "bundle" / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the server may run as another user
        Path(tmp).replace(target)
    return f"/{STATIC_URL}/vendor/bundle/{name}"
