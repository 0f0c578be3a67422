"""Streamlit's front end, sent from memory with gzip, and its page shell in Chinese.

``streamlit run app.py`` finds the ``st.App`` in ``app.py`` and runs it with
:class:`FrontEnd` as its outermost ASGI middleware. It does two jobs:

- **Front-end files from memory.** A first visit fetches about 100 of
  Streamlit's files (``/static/…``, hashed names that never change) and the
  maps' Leaflet bundle (``/app/static/vendor/bundle/<content hash>.js``).
  Streamlit reads each from disk and compresses it again, at gzip level 9,
  for every visitor: about 100 ms of server CPU per first visit, more than
  everything else the visit costs (``benchmarks/map_render.py``). Here each
  file is read and compressed once per process and then sent as it is.
- **The page shell in Chinese.** Streamlit's ``index.html`` says
  ``lang="en"``, is titled "Streamlit" until the first run sets the title,
  and tells a browser without JavaScript "You need to enable JavaScript to
  run this app." A screen reader picks its voice from ``lang``, so it read
  the whole Chinese app with an English voice. The shell is rewritten once:
  ``lang="zh-CN"``, the app's title, and the notice in Chinese.

Behind README's nginx ("Serving an office") nginx sends ``/static/`` itself;
this module then only rewrites the shell. Everything else passes through to
Streamlit untouched.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import mimetypes
import re
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

from layers.paths import ROOT

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Shown in the browser's tab before the first run sets it, and read by screen readers.
TITLE = "潍城区规划地图"
#: What a browser without JavaScript shows.
NOSCRIPT = "潍城区规划地图需要 JavaScript。请在浏览器设置中启用 JavaScript 后刷新本页。"
#: Suffixes worth compressing (fonts in woff2 and images already are compressed).
COMPRESSIBLE = frozenset({".js", ".mjs", ".css", ".html", ".json", ".svg", ".txt", ".map", ".ttf", ".xml"})
#: Where the maps' Leaflet bundles are served, and their names (content hashes: a name never changes
#: its content; ``layers/maps/assets.bundle``).
BUNDLE_URL = "app/static/vendor/bundle/"
BUNDLE_NAME = re.compile(r"[0-9a-f]{16}\.(?:js|css)")
#: Streamlit's own routes: never the page shell.
_NOT_SHELL = ("_stcore/", "static/", "app/static/", "media/", "component/")
_IMMUTABLE = b"public, immutable, max-age=31536000"
#: The start of Streamlit's own script tag in its shell.
STREAMLIT_SCRIPT = '<script type="module"'


def streamlit_static_dir() -> Path:
    """The installed Streamlit's web root (``index.html`` and the ``static/`` folder)."""
    import streamlit  # only for its location: this module runs no Streamlit command

    return Path(streamlit.__file__).parent / "static"


def gzip_twin(body: bytes, suffix: str) -> bytes | None:
    """``body`` compressed at gzip level 9 without a time stamp (the same file gives the same bytes), or
    None when its kind does not compress (``suffix`` not in :data:`COMPRESSIBLE`) or it did not shrink."""
    if suffix.lower() not in COMPRESSIBLE:
        return None
    packed = gzip.compress(body, compresslevel=9, mtime=0)
    return packed if len(packed) < len(body) else None


def shell_html(html: str, head: str = "") -> str:
    """Streamlit's ``index.html`` with a Chinese language, title and no-JavaScript notice.

    Parameters
    ----------
    html
        The page Streamlit sends for every app address.
    head
        Tags to run before Streamlit's own script (the pre-drawn map, ``layers/maps/premap.py``).

    Returns
    -------
    str
        The same page; a part that is not found (another Streamlit version)
        stays as it was, so the page always works.
    """
    html = html.replace('<html lang="en">', '<html lang="zh-CN">', 1)
    html = html.replace("<title>Streamlit</title>", f"<title>{TITLE}</title>", 1)
    start, end = html.find("<noscript>"), html.find("</noscript>")
    if 0 <= start < end:
        html = f"{html[:start]}<noscript>{NOSCRIPT}{html[end:]}"
    module = html.find(STREAMLIT_SCRIPT)
    if head and module >= 0:
        html = html[:module] + head + start_after_load(html[module:])
    return html


#: Streamlit's script and the modules it preloads, as its ``index.html`` names them.
_MODULE_TAG = re.compile(r'<script type="module" crossorigin src="([^"<>]+)"></script>')
_PRELOAD_TAG = re.compile(r'<link rel="modulepreload" crossorigin href="([^"<>]+)">\s*')
#: Starts Streamlit's code (its script and preloads, %s as JSON) once the page's own deferred scripts
#: have run and the browser has painted what they drew; at the latest 100 ms after they ran.
STARTER = """<script>
(function () {
  var code = %s, started = false;
  function start() {
    if (started) { return; }
    started = true;
    code.preloads.forEach(function (href) {
      var link = document.createElement("link");
      link.rel = "modulepreload"; link.crossOrigin = ""; link.href = href;
      document.head.appendChild(link);
    });
    var script = document.createElement("script");
    script.type = "module"; script.crossOrigin = ""; script.src = code.script;
    document.head.appendChild(script);
  }
  document.addEventListener("DOMContentLoaded", function () {
    requestAnimationFrame(function () { setTimeout(start, 0); });
    setTimeout(start, 100);  // a tab in the background paints no frame
  });
})();
</script>
"""


def start_after_load(html: str) -> str:
    """``html`` (the shell from Streamlit's script on) with Streamlit's code started after the page's own.

    The pre-drawn map is worth having only if it is drawn first. Streamlit's code is fetched and
    compiled from the first byte of the shell on (a module and ~60 preloads), and on a busy machine
    (ten people opening the app on two cores) that work came first: the map drew after seconds.
    Now the map's scripts run first, the browser paints the map, and then Streamlit's code is
    fetched. A shell of another form (another Streamlit version) is left as it is.
    """
    found = _MODULE_TAG.search(html)
    if found is None or len(_MODULE_TAG.findall(html)) != 1:
        return html
    preloads = _PRELOAD_TAG.findall(html)
    code = json.dumps({"script": found.group(1), "preloads": preloads}).replace("</", "<\\/")
    html = _PRELOAD_TAG.sub("", html)
    return html.replace(found.group(0), STARTER % code, 1)


def premap_head(path: str, query: bytes) -> str:
    """The pre-drawn map's tags for a shell at ``path`` (below the app) asked for with ``query``.

    Only 总览's addresses carry one, for the basemap the page will show (``?basemap=``, its first
    value, else the default) and only once 总览 has offered that map (``layers.maps.premap``).
    """
    from layers.maps.basemaps import DEFAULT_BASEMAP, available_basemaps
    from layers.maps.premap import PAGES, PREMAPS

    if path.strip("/") not in PAGES:
        return ""
    asked = parse_qs(query.decode("latin-1")).get("basemap", [""])[0]
    premap = PREMAPS.for_basemap(asked if asked in available_basemaps() else DEFAULT_BASEMAP)
    return premap.head_tags() if premap is not None else ""


@dataclass(frozen=True)
class StaticFile:
    """One front-end file as sent: its bytes, its gzip twin when smaller, its media type."""

    body: bytes
    packed: bytes | None
    media_type: str

    @classmethod
    def read(cls, path: Path) -> StaticFile:
        """Read ``path`` and compress it once (:func:`gzip_twin`)."""
        body = path.read_bytes()
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if media_type.startswith("text/") or media_type.endswith(("javascript", "json", "+xml")):
            media_type += "; charset=utf-8"
        return cls(body, gzip_twin(body, path.suffix), media_type)


class StaticFiles:
    """A folder of files that never change, each read on its first request and kept.

    Parameters
    ----------
    root
        The folder.
    names
        Without it, the files in ``root`` (and below) when the server starts:
        a request names a key of that listing, never a path on disk. With it,
        files directly in ``root`` whose name matches it, looked up when first
        asked for (the maps' bundles are written while the app runs).
    """

    def __init__(self, root: Path, names: re.Pattern[str] | None = None) -> None:
        self._root, self._names = root, names
        self._paths = {} if names is not None else {
            p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}
        self._files: dict[str, StaticFile] = {}
        self._lock = asyncio.Lock()

    def __contains__(self, name: str) -> bool:
        if name not in self._paths and self._names is not None and self._names.fullmatch(name):
            if (self._root / name).is_file():
                self._paths[name] = self._root / name
        return name in self._paths

    async def get(self, name: str) -> StaticFile:
        """The file ``name`` (a key of the listing), compressed in a worker thread the first time."""
        found = self._files.get(name)
        if found is None:
            async with self._lock:  # one compression per file, however many visitors ask at once
                found = self._files.get(name)
                if found is None:
                    found = await asyncio.to_thread(StaticFile.read, self._paths[name])
                    self._files[name] = found
        return found


def _path_in_app(scope: Scope, base: str) -> str:
    """The request's path below the app's root, without the leading '/'.

    The root is ``base`` (``server.baseUrlPath``, which Streamlit's own
    routes carry in the path) below the ASGI ``root_path`` (a mount).
    """
    path, root = scope.get("path", ""), scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root):]
    path = path.lstrip("/")
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base):].lstrip("/")
    return path


def configured_base_path() -> str:
    """Streamlit's ``server.baseUrlPath`` (say ``plan`` for https://host/plan/), without slashes."""
    from streamlit import config  # only the setting: this module runs no Streamlit command

    return (config.get_option("server.baseUrlPath") or "").strip("/")


def _header(scope: Scope, name: bytes) -> bytes | None:
    """A request header's value (ASGI gives names in lower case), or None."""
    return next((v for k, v in scope.get("headers", []) if k == name), None)


class FrontEnd:
    """ASGI middleware: Streamlit's front-end files from memory, and the Chinese page shell.

    Parameters
    ----------
    app
        The Streamlit application (``st.App``'s Starlette app) it wraps.
    web_root
        Streamlit's web root (default: the installed Streamlit's).
    app_static
        The app's ``static`` folder, served at ``/app/static/`` (default: the project's).
    base_path
        The app's address below the host (default: Streamlit's ``server.baseUrlPath``).
    """

    def __init__(self, app: ASGIApp, web_root: Path | None = None, app_static: Path | None = None,
                 base_path: str | None = None) -> None:
        self.app = app
        self.base = (configured_base_path() if base_path is None else base_path).strip("/")
        self.files = StaticFiles((web_root or streamlit_static_dir()) / "static")
        self.bundles = StaticFiles((app_static or ROOT / "static") / "vendor" / "bundle", BUNDLE_NAME)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        path = _path_in_app(scope, self.base)
        files = self._files_for(path)
        if files is not None and _header(scope, b"range") is None:
            gzip_ok = b"gzip" in (_header(scope, b"accept-encoding") or b"")
            await self._send_file(await files[0].get(files[1]), gzip_ok, send)
        elif path.startswith(_NOT_SHELL) or "." in path.rsplit("/", 1)[-1]:
            await self.app(scope, receive, send)
        else:
            await self._send_shell(scope, receive, send)

    def _files_for(self, path: str) -> tuple[StaticFiles, str] | None:
        """The kept folder and file name a path asks for, if it names one."""
        for prefix, files in ((BUNDLE_URL, self.bundles), ("static/", self.files)):
            if path.startswith(prefix) and path[len(prefix):] in files:
                return files, path[len(prefix):]
        return None

    @staticmethod
    async def _send_file(file: StaticFile, gzip_ok: bool, send: Send) -> None:
        headers = [(b"content-type", file.media_type.encode()), (b"cache-control", _IMMUTABLE)]
        body = file.body
        if file.packed is not None:
            headers.append((b"vary", b"Accept-Encoding"))
            if gzip_ok:
                body = file.packed
                headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _send_redirect(self, scope: Scope, page: str, send: Send) -> None:
        """Send ``/zones/extra`` to ``/zones``, with its query.

        The shell's files are addressed relative to the page ("./static/js/…"): below a second
        segment they resolved to the shell again, and the browser showed a blank page.
        """
        prefix = scope.get("root_path", "").rstrip("/") + (f"/{self.base}" if self.base else "")
        query = scope.get("query_string", b"")
        # Quoted whole: "/\evil.example/x" must not become a redirect to another host.
        location = f"{prefix}/{quote(page, safe='')}".encode() + (b"?" + query if query else b"")
        await send({"type": "http.response.start", "status": 302,
                    "headers": [(b"location", location), (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})

    async def _send_shell(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Let Streamlit answer (uncompressed), and rewrite its answer when it is the page shell."""
        plain = dict(scope, headers=[(k, v) for k, v in scope.get("headers", []) if k != b"accept-encoding"])
        start: Message = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(plain, receive, keep)
        body = b"".join(chunks)
        headers = list(start.get("headers", []))
        is_shell = start.get("status") == 200 and any(k.lower() == b"content-type" and v.startswith(b"text/html")
                                                      for k, v in headers)
        parts = [part for part in _path_in_app(scope, self.base).split("/") if part]
        if is_shell and len(parts) > 1:
            await self._send_redirect(scope, parts[0], send)
            return
        if is_shell:
            head = premap_head("/".join(parts), scope.get("query_string", b""))
            body = shell_html(body.decode("utf-8"), head).encode("utf-8")
            headers = [(k, v) for k, v in headers if k.lower() not in (b"content-length", b"etag",
                                                                       b"last-modified")]
            headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": start.get("status", 500), "headers": headers})
        await send({"type": "http.response.body", "body": body})
