"""The folder nginx serves itself (README, "Serving an office"): every file, a gzip twin, atomically."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest

from layers.maps import publish
from layers.maps.assets import ASSETS, STATIC_URL, site_bundle, sync_assets
from layers.maps.publish import main, publish_static


def frontend(root: Path) -> Path:
    """A small stand-in for Streamlit's front end: text that compresses, fonts and images that do not."""
    files = {
        "js/index.Ab12.js": "function streamlit(){return 'x';}\n" * 400,
        "css/index.Cd34.css": ".a{color:red}\n" * 300,
        "media/icons.svg": "<svg>" + "<path d='M0 0'/>" * 100 + "</svg>",
        "media/font.woff2": bytes(range(256)) * 20,
        "js/tiny.js": "x",  # gzip would only make it bigger
        ".hidden": "never published",
    }
    for rel, body in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body if isinstance(body, bytes) else body.encode())
    return root


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def sources(tmp_path):
    return frontend(tmp_path / "frontend"), tmp_path / "app_static"


def test_every_file_is_published_with_a_gzip_twin_where_it_helps(tmp_path, sources):
    front, app_static = sources
    done = publish_static(tmp_path / "public", frontend=front, app_static=app_static)
    out = tree(tmp_path / "public")
    for rel in ("js/index.Ab12.js", "css/index.Cd34.css", "media/icons.svg"):
        assert out[f"static/{rel}"] == (front / rel).read_bytes()
        assert gzip.decompress(out[f"static/{rel}.gz"]) == out[f"static/{rel}"]
        assert len(out[f"static/{rel}.gz"]) < len(out[f"static/{rel}"]) / 5
    assert "static/media/font.woff2" in out and "static/media/font.woff2.gz" not in out
    assert "static/js/tiny.js" in out and "static/js/tiny.js.gz" not in out
    assert "static/.hidden" not in out
    assert done.files == sum(1 for rel in out if not rel.endswith(".gz") and rel != publish.MARKER)
    assert done.compressed == sum(1 for rel in out if rel.endswith(".gz")) >= 5


def test_the_maps_shared_leaflet_bundle_is_published(tmp_path, sources):
    front, app_static = sources
    publish_static(tmp_path / "public", frontend=front, app_static=app_static)
    urls = sync_assets(tmp_path / "check")
    js = [u for k, u in urls.items() if ASSETS[k].path.endswith(".js")]
    [bundle_url] = site_bundle(tmp_path / "check", js[:1], ".js")  # what a map with Leaflet alone loads
    published = tmp_path / "public" / bundle_url.lstrip("/")
    assert bundle_url.startswith(f"/{STATIC_URL}/vendor/bundle/") and published.is_file()
    assert gzip.decompress(published.with_name(published.name + ".gz").read_bytes()) == published.read_bytes()
    assert published.read_text("utf-8").startswith(f"/* {urls['leaflet']} */")  # Leaflet before its plugins


def test_publishing_is_deterministic(tmp_path, sources, monkeypatch):
    front, app_static = sources
    publish_static(tmp_path / "one", frontend=front, app_static=app_static)
    later = time.time() + 86_400
    monkeypatch.setattr(time, "time", lambda: later)  # a day later: gzip would stamp another time
    publish_static(tmp_path / "two", frontend=front, app_static=app_static)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")  # the .gz files carry no time stamp


def test_a_new_run_replaces_the_folder_and_a_failed_one_leaves_it(tmp_path, sources, monkeypatch):
    front, app_static = sources
    dest = tmp_path / "public"
    publish_static(dest, frontend=front, app_static=app_static)
    (dest / "static" / "js" / "old.Zz99.js").write_text("from the last Streamlit")
    before = tree(dest)
    real = publish._copy_tree

    def half_then_fail(src, target):
        real(src, target)
        raise OSError("disk full")

    monkeypatch.setattr(publish, "_copy_tree", half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        publish_static(dest, frontend=front, app_static=app_static)
    assert tree(dest) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no half-written folder

    monkeypatch.setattr(publish, "_copy_tree", real)
    publish_static(dest, frontend=front, app_static=app_static)
    assert "static/js/old.Zz99.js" not in tree(dest)  # a file Streamlit no longer has goes
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_command_says_in_chinese_what_is_wrong(tmp_path, capsys):
    assert main([str(tmp_path / "missing" / "public")]) == 1
    err = capsys.readouterr().err
    assert "发布失败" in err and "不存在" in err and str(tmp_path / "missing") in err
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("case", ["empty", "dot", "foreign folder", "file"])
def test_it_never_replaces_what_it_did_not_write(tmp_path, sources, monkeypatch, capsys, case):
    """Publishing replaces the whole folder: ``publish ""`` once replaced the current folder."""
    front, app_static = sources
    work = tmp_path / "project"
    work.mkdir()
    (work / "canary.txt").write_text("keep")
    monkeypatch.chdir(work)
    dest = {"empty": "", "dot": ".", "foreign folder": str(work), "file": str(work / "canary.txt")}[case]
    with pytest.raises(publish.PublishError):
        publish_static(dest, frontend=front, app_static=app_static)
    assert (work / "canary.txt").read_text() == "keep" and sorted(p.name for p in work.iterdir()) == ["canary.txt"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert main([dest]) == 1
    err = capsys.readouterr().err
    assert err.startswith("发布失败：") and "Traceback" not in err and "Errno" not in err
    assert (work / "canary.txt").read_text() == "keep"


def test_an_empty_folder_is_published_into_and_then_replaced_again(tmp_path, sources):
    front, app_static = sources
    dest = tmp_path / "public"
    dest.mkdir()
    publish_static(dest, frontend=front, app_static=app_static)
    assert (dest / publish.MARKER).is_file()
    publish_static(dest, frontend=front, app_static=app_static)  # its own folder: replaced
    assert (dest / "static" / "js" / "index.Ab12.js").is_file()
