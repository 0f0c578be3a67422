"""The front-end middleware (layers/frontend.py): files from memory, the Chinese page shell, and
everything else untouched. Driven as plain ASGI, with a fake Streamlit behind it."""

from __future__ import annotations

import asyncio
import gzip
import urllib.request

import pytest

from layers.frontend import NOSCRIPT, TITLE, FrontEnd, shell_html, streamlit_static_dir

STREAMLIT_INDEX = ('<!DOCTYPE html>\n<html lang="en">\n<head><title>Streamlit</title></head>\n'
                   '<body><noscript>You need to enable JavaScript to run this app.</noscript>'
                   '<div id="root"></div></body></html>')
BUNDLE = "function f(){return 1}\n" * 400


class FakeStreamlit:
    """Answers like Streamlit: the page shell for app addresses, gzip when asked, 404 for /static/ misses."""

    def __init__(self) -> None:
        self.calls: list[dict] = []

    async def __call__(self, scope, receive, send) -> None:
        self.calls.append(scope)
        path = scope["path"]
        gz = any(k == b"accept-encoding" and b"gzip" in v for k, v in scope["headers"])
        if path.startswith("/static/") or path.endswith(".png"):
            status, body, ctype = (404, b"not found", b"text/plain") if "missing" in path else (200, b"png", b"image/png")
        else:
            status, body, ctype = 200, STREAMLIT_INDEX.encode(), b"text/html; charset=utf-8"
        headers = [(b"content-type", ctype), (b"etag", b'"abc"')]
        if gz:
            body = gzip.compress(body)
            headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


@pytest.fixture
def web_root(tmp_path):
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "static" / "js" / "main.abc123.js").write_text(BUNDLE, encoding="utf-8")
    (tmp_path / "static" / "js" / "tiny.js").write_text("1", encoding="utf-8")
    (tmp_path / "static" / "font.woff2").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "secret.txt").write_text("server file", encoding="utf-8")
    (tmp_path / "app_static" / "vendor" / "bundle").mkdir(parents=True)
    return tmp_path


def front_end(inner, web_root, base_path: str = ""):
    return FrontEnd(inner, web_root, app_static=web_root / "app_static", base_path=base_path)


def request(app, path: str, *, method: str = "GET", gzip_ok: bool = True, root_path: str = "",
            extra: list | None = None, query: bytes = b"") -> tuple[int, dict[bytes, bytes], bytes]:
    """One request through ``app``; returns status, headers and body."""
    headers = [(b"host", b"localhost")] + ([(b"accept-encoding", b"gzip, deflate, br")] if gzip_ok else [])
    scope = {"type": "http", "method": method, "path": root_path + path, "root_path": root_path,
             "headers": headers + (extra or []), "query_string": query}
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], dict(start["headers"]), body


def test_shell_speaks_chinese():
    page = shell_html(STREAMLIT_INDEX)
    assert '<html lang="zh-CN">' in page and "lang=\"en\"" not in page
    assert f"<title>{TITLE}</title>" in page and "Streamlit" not in page
    assert f"<noscript>{NOSCRIPT}</noscript>" in page and "JavaScript to run" not in page
    assert '<div id="root"></div>' in page


def test_shell_of_another_streamlit_version_is_left_working():
    other = '<html lang="en-US"><head></head><body><div id="root"></div></body></html>'
    assert shell_html(other) == other


def test_installed_streamlits_shell_is_rewritten():
    """The pinned Streamlit's own index.html still has what shell_html replaces."""
    page = shell_html((streamlit_static_dir() / "index.html").read_text(encoding="utf-8"))
    assert '<html lang="zh-CN">' in page and f"<title>{TITLE}</title>" in page and NOSCRIPT in page
    assert "You need to enable JavaScript" not in page


def test_front_end_file_is_sent_compressed_from_memory(web_root):
    inner = FakeStreamlit()
    app = front_end(inner, web_root)
    for _ in range(2):
        status, headers, body = request(app, "/static/js/main.abc123.js")
        assert status == 200 and headers[b"content-encoding"] == b"gzip"
        assert gzip.decompress(body).decode() == BUNDLE
        assert int(headers[b"content-length"]) == len(body) < len(BUNDLE) / 10
        assert headers[b"content-type"].startswith(b"text/javascript") or b"javascript" in headers[b"content-type"]
        assert b"immutable" in headers[b"cache-control"]
    assert inner.calls == []


def test_front_end_file_without_gzip_is_sent_plain(web_root):
    status, headers, body = request(front_end(FakeStreamlit(), web_root), "/static/js/main.abc123.js", gzip_ok=False)
    assert status == 200 and b"content-encoding" not in headers and body.decode() == BUNDLE
    assert headers[b"vary"] == b"Accept-Encoding"


@pytest.mark.parametrize("name", ["js/tiny.js", "font.woff2"])
def test_file_that_does_not_shrink_is_sent_as_it_is(web_root, name):
    status, headers, body = request(front_end(FakeStreamlit(), web_root), f"/static/{name}")
    assert status == 200 and b"content-encoding" not in headers
    assert body == (web_root / "static" / name).read_bytes()


def test_map_bundle_written_after_start_is_sent_from_memory(web_root):
    """The maps' Leaflet bundle is written while the app runs, under its content hash."""
    inner = FakeStreamlit()
    app = front_end(inner, web_root)
    bundle = web_root / "app_static" / "vendor" / "bundle" / "0123456789abcdef.js"
    assert request(app, "/app/static/vendor/bundle/0123456789abcdef.js")[0] == 200 and len(inner.calls) == 1
    bundle.write_text(BUNDLE, encoding="utf-8")
    status, headers, body = request(app, "/app/static/vendor/bundle/0123456789abcdef.js")
    assert status == 200 and gzip.decompress(body).decode() == BUNDLE and b"immutable" in headers[b"cache-control"]
    assert len(inner.calls) == 1


@pytest.mark.parametrize("name", ["leaflet.js", "0123456789ABCDEF.js", "0123456789abcdef.py", "../../secret.txt",
                                  "0123456789abcdef.js/../../../secret.txt"])
def test_other_app_static_files_go_to_streamlit(web_root, name):
    """Only content-hashed bundle names are kept: Streamlit serves the rest (Leaflet's images, say)."""
    (web_root / "app_static" / "vendor" / "bundle" / "leaflet.js").write_text("var L;", encoding="utf-8")
    inner = FakeStreamlit()
    request(front_end(inner, web_root), f"/app/static/vendor/bundle/{name}")
    assert len(inner.calls) == 1


@pytest.mark.parametrize("path", ["/static/js/missing.js", "/static/../secret.txt", "/static/js/../../secret.txt",
                                  "/static//etc/passwd", "/secret.txt"])
def test_anything_not_in_the_listing_goes_to_streamlit(web_root, path):
    inner = FakeStreamlit()
    status, _, body = request(front_end(inner, web_root), path)
    assert len(inner.calls) == 1
    assert b"server file" not in body


def test_range_and_post_go_to_streamlit(web_root):
    inner = FakeStreamlit()
    app = front_end(inner, web_root)
    request(app, "/static/js/main.abc123.js", extra=[(b"range", b"bytes=0-9")])
    request(app, "/static/js/main.abc123.js", method="POST")
    assert len(inner.calls) == 2


@pytest.mark.parametrize("path", ["/", "/zones", "/parks/"])
def test_every_app_address_gets_the_chinese_shell(web_root, path):
    inner = FakeStreamlit()
    status, headers, body = request(front_end(inner, web_root), path)
    page = body.decode("utf-8")
    assert status == 200 and '<html lang="zh-CN">' in page and TITLE in page
    assert b"content-encoding" not in headers and b"etag" not in headers  # the rewritten page, not Streamlit's
    assert int(headers[b"content-length"]) == len(body)
    assert all(k != b"accept-encoding" for k, _ in inner.calls[0]["headers"])  # asked uncompressed


def test_other_answers_pass_untouched(web_root):
    status, headers, body = request(front_end(FakeStreamlit(), web_root), "/favicon.png")
    assert status == 200 and headers[b"content-encoding"] == b"gzip" and gzip.decompress(body) == b"png"


def test_app_mounted_below_a_root_path(web_root):
    """Mounted in another ASGI app, the app's root reaches the middleware as ASGI's root_path."""
    inner = FakeStreamlit()
    app = front_end(inner, web_root)
    status, headers, body = request(app, "/static/js/main.abc123.js", root_path="/plan")
    assert status == 200 and gzip.decompress(body).decode() == BUNDLE and inner.calls == []
    status, _, body = request(app, "/zones", root_path="/plan")
    assert '<html lang="zh-CN">' in body.decode("utf-8")


@pytest.mark.parametrize("base", ["plan", "/plan/", "city/plan"])
def test_app_under_a_base_url_path(web_root, base):
    """``server.baseUrlPath``: Streamlit's routes carry it in the path itself."""
    inner = FakeStreamlit()
    app = front_end(inner, web_root, base_path=base)
    prefix = "/" + base.strip("/")
    status, headers, body = request(app, f"{prefix}/static/js/main.abc123.js")
    assert status == 200 and gzip.decompress(body).decode() == BUNDLE and inner.calls == []
    for page in (f"{prefix}/", f"{prefix}/zones", prefix):
        assert '<html lang="zh-CN">' in request(app, page)[2].decode("utf-8")
    request(app, "/planning/static/js/main.abc123.js")  # another app's path, not ours
    assert len(inner.calls) == 4


def test_running_app_sends_the_shell_and_compressed_front_end():
    """``streamlit run app.py`` finds the st.App in app.py: the real server uses the middleware."""
    from tests.browser import streamlit_process

    with streamlit_process() as (url, _proc):
        with urllib.request.urlopen(f"{url}/zones", timeout=10) as resp:
            page = resp.read().decode("utf-8")
        assert '<html lang="zh-CN">' in page and f"<title>{TITLE}</title>" in page
        script = next(part.split('"')[0] for part in page.split('src="./')[1:] if part.startswith("static/js/"))
        req = urllib.request.Request(f"{url}/{script}", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert resp.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(resp.read()) == (streamlit_static_dir() / script).read_bytes()
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as resp:
            assert resp.read() == b"ok"


@pytest.mark.parametrize("path, query, root_path, base, location", [
    ("/zones/extra", b"zone=zone-02", "", "", b"/zones?zone=zone-02"),
    ("/parks/a/b/", b"", "", "", b"/parks"),
    ("/plan/zones/extra", b"", "", "plan", b"/plan/zones"),
    ("/zones/extra", b"", "/city", "", b"/city/zones"),
    ("/\\evil.example/x", b"", "", "", b"/%5Cevil.example"),
    ("/总览/x", b"", "", "", b"/%E6%80%BB%E8%A7%88"),
])
def test_an_address_below_a_page_is_sent_to_the_page(web_root, path, query, root_path, base, location):
    """/zones/extra gave a blank page: the shell's "./static/js/…" resolved below it, to the shell again."""
    status, headers, body = request(front_end(FakeStreamlit(), web_root, base_path=base), path, query=query,
                                    root_path=root_path)
    assert (status, headers[b"location"], body) == (302, location, b"")


def test_a_route_of_streamlit_below_two_segments_is_not_redirected(web_root):
    async def login(scope, receive, send):  # like Streamlit's auth/login: a redirect of its own
        await send({"type": "http.response.start", "status": 302, "headers": [(b"location", b"https://idp/")]})
        await send({"type": "http.response.body", "body": b""})

    status, headers, _ = request(front_end(login, web_root), "/auth/login")
    assert (status, headers[b"location"]) == (302, b"https://idp/")
    for path in ("/", "/zones"):
        assert request(front_end(FakeStreamlit(), web_root), path)[0] == 200
