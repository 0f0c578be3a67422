"""Publish the files a reverse proxy serves itself, each with a gzip twin.

A first visit fetches Streamlit's front end (about 100 files, 25 MB
uncompressed) and the maps' Leaflet bundle. Behind nginx (README, "Serving an
office") those come from disk, so the Python server never sends them; but
nginx's ``gzip on`` then compresses them again for every visitor, which cost
about 50 ms of CPU per first visit (``benchmarks/map_render.py``). With
``gzip_static on`` nginx sends a ready ``.gz`` file instead, and that is what
this module writes::

    .venv/bin/python -m layers.maps.publish /srv/weicheng/public

The folder then holds ``static/…`` (Streamlit's front end, served at
``/static/``) and ``app/static/…`` (the app's ``static`` folder with the
shared Leaflet bundle, served at ``/app/static/``), so nginx serves both with
one ``root``. Run it again after upgrading Streamlit or Leaflet; until then
nginx's ``try_files`` hands a file it does not have to the app, so an
outdated folder is slower, never broken.

The output is deterministic (gzip without a time stamp) and replaced
atomically: a failed run leaves the previous folder as it was.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from layers.frontend import gzip_twin, streamlit_static_dir
from layers.maps.assets import ASSETS, STATIC_URL, site_bundle, sync_assets
from layers.paths import ROOT

#: The file that marks a folder as written by :func:`publish_static` (only such a folder is replaced).
MARKER = ".weicheng-publish"


class PublishError(ValueError):
    """The folder given cannot be published to; the message says why, in Chinese."""


@dataclass(frozen=True)
class Published:
    """What :func:`publish_static` wrote."""

    files: int
    compressed: int
    bytes: int
    gzip_bytes: int


def streamlit_frontend() -> Path:
    """The installed Streamlit's front-end files (served at ``/static/``)."""
    return streamlit_static_dir() / "static"


def prepare_app_static(static_dir: Path) -> None:
    """Copy Leaflet and its plugins into ``static_dir`` and write the bundle every map shares."""
    urls = sync_assets(static_dir)
    for suffix in (".js", ".css"):
        site_bundle(static_dir, [u for k, u in urls.items() if ASSETS[k].path.endswith(suffix)], suffix)


def _copy_tree(src: Path, dest: Path) -> tuple[int, int, int, int]:
    """Copy ``src`` to ``dest`` (files in name order) and write a ``.gz`` twin where it is smaller."""
    files = compressed = size = gz_size = 0
    for path in sorted(p for p in src.rglob("*") if p.is_file() and not p.name.startswith(".")):
        target = dest / path.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        body = path.read_bytes()
        target.write_bytes(body)
        files, size = files + 1, size + len(body)
        packed = gzip_twin(body, path.suffix)
        if packed is not None:
            target.with_name(target.name + ".gz").write_bytes(packed)
            compressed, gz_size = compressed + 1, gz_size + len(packed)
    return files, compressed, size, gz_size


def publish_static(dest: Path | str, *, frontend: Path | None = None, app_static: Path | None = None) -> Published:
    """Write Streamlit's front end and the app's static files, with gzip twins, to ``dest``.

    Parameters
    ----------
    dest
        The folder nginx serves as ``root`` for ``/static/`` and ``/app/static/``.
        It is replaced as a whole, so it must be new, empty, or written by an
        earlier run (marked by :data:`MARKER`); its parent must exist.
    frontend
        Streamlit's front-end folder (default: the installed Streamlit's).
    app_static
        The app's ``static`` folder (default: the project's). Leaflet and the
        shared bundle are written into it first.

    Returns
    -------
    Published
        How many files were written, how many got a ``.gz`` twin, and their sizes.

    Raises
    ------
    PublishError
        When ``dest`` is empty, or exists and is neither an empty folder nor
        one this module wrote: publishing replaces the whole folder.
    FileNotFoundError
        When ``dest``'s parent or the front-end folder does not exist.
    """
    if not str(dest).strip():
        raise PublishError("没有给出目标文件夹，例如 /srv/weicheng/public。")
    dest = Path(dest).absolute()
    frontend = Path(frontend) if frontend is not None else streamlit_frontend()
    app_static = Path(app_static) if app_static is not None else ROOT / "static"
    if not dest.parent.is_dir():
        raise FileNotFoundError(f"目标文件夹的上级 {dest.parent} 不存在，请先创建它。")
    _check_replaceable(dest)
    if not frontend.is_dir():
        raise FileNotFoundError(f"找不到 Streamlit 的前端文件 {frontend}：Streamlit 是否已安装？")
    prepare_app_static(app_static)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.new-", dir=dest.parent))
    try:
        counts = [_copy_tree(frontend, work / "static"), _copy_tree(app_static, work / STATIC_URL)]
        (work / MARKER).write_text("由 python -m layers.maps.publish 写入；再次发布时整个文件夹会被替换。\n",
                                   encoding="utf-8")
        for folder in [work, *work.rglob("*")]:  # mkdtemp makes the folder private; nginx runs as another user
            os.chmod(folder, 0o755 if folder.is_dir() else 0o644)
        _swap(work, dest)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Published(*(sum(c[i] for c in counts) for i in range(4)))


def _check_replaceable(dest: Path) -> None:
    """Refuse to replace anything but an empty folder or one this module wrote (it holds :data:`MARKER`)."""
    if not dest.exists() and not dest.is_symlink():
        return
    if not dest.is_dir() or dest.is_symlink():
        raise PublishError(f"{dest} 已存在且不是文件夹，未作改动。请换一个文件夹。")
    if any(dest.iterdir()) and not (dest / MARKER).is_file():
        raise PublishError(f"{dest} 不是空文件夹，也不是本命令写过的文件夹，未作改动（发布会替换整个文件夹）。"
                           "请指定一个新的或空的文件夹，例如 /srv/weicheng/public。")


def _swap(new: Path, dest: Path) -> None:
    """Put ``new`` in the place of ``dest`` (two renames; nginx's ``try_files`` covers the instant between)."""
    old = None
    if dest.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
        os.rmdir(old)
        dest.rename(old)
    new.rename(dest)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m layers.maps.publish DEST``."""
    parser = argparse.ArgumentParser(
        prog="python -m layers.maps.publish",
        description="把 Streamlit 前端文件和地图的 Leaflet 文件（附 .gz 压缩版）写入 nginx 直接提供的文件夹。")
    parser.add_argument("dest", help="nginx 的 root 文件夹（新的、空的或本命令写过的），例如 /srv/weicheng/public")
    args = parser.parse_args(argv)
    try:
        done = publish_static(args.dest)
    except (PublishError, FileNotFoundError) as exc:
        print(f"发布失败：{exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        where = f"“{exc.filename}”" if exc.filename else "目标文件夹"
        print(f"发布失败：无法写入或替换{where}（{exc.strerror or exc}）。请检查该文件夹及其上级的写权限。",
              file=sys.stderr)
        return 1
    print(f"已写入 {args.dest}：{done.files} 个文件（{done.bytes / 1e6:.1f} MB），"
          f"其中 {done.compressed} 个附 .gz 压缩版（{done.gzip_bytes / 1e6:.1f} MB）。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
