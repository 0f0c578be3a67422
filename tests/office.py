"""README's office setup for tests and benchmarks: its own nginx block, run on a free local port."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.browser import ROOT, free_port, require_tool

#: README's placeholders, replaced with the local run's values.
README_UPSTREAM = "http://127.0.0.1:8501"
README_PUBLIC = "/srv/weicheng/public"


def nginx_path() -> str | None:
    """The nginx binary, or ``None`` when it is not installed (Debian puts it in /usr/sbin)."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


def require_nginx() -> None:
    """Skip the calling test module when nginx is missing; in CI a missing nginx is an error."""
    require_tool(nginx_path(), "nginx-light")


def readme_server_block() -> str:
    """The ``server { … }`` block of README's "Serving an office", exactly as written there."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```nginx\n(.*?)```", text, re.S)
    if len(blocks) != 1:
        raise ValueError(f"README.md should hold one nginx block, not {len(blocks)}")
    return blocks[0]


def local_config(tmp: Path, port: int, upstream: str, public: Path) -> str:
    """README's block on ``127.0.0.1:port`` without TLS (no certificate here), in a complete nginx.conf."""
    block = readme_server_block()
    block = re.sub(r"listen 443 ssl;", f"listen 127.0.0.1:{port};", block)
    block = re.sub(r"\n\s*ssl_certificate(_key)?\s[^\n]*", "", block)
    block = block.replace(README_UPSTREAM, upstream).replace(README_PUBLIC, str(public))
    temp_paths = " ".join(f"{kind}_temp_path {tmp}/{kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                          "uwsgi", "scgi"))
    # As root, nginx's worker would run as nobody and could not read pytest's private temporary folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (f"{user}worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n"
            f"events {{ worker_connections 1024; }}\n"
            f"http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n  sendfile on;\n  {temp_paths}\n"
            f"{block}}}\n")


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc: no procps needed)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


@contextlib.contextmanager
def behind_nginx(upstream: str, public: Path):
    """Serve ``upstream`` through nginx configured as README says, with ``public`` as the published folder.

    Yields the URL and the pid of nginx's one worker (for its CPU time).
    """
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(local_config(Path(tmp), port, upstream, public), encoding="utf-8")
        subprocess.run([nginx_path(), "-c", str(conf)], check=True, capture_output=True)
        try:
            deadline = time.monotonic() + 10
            while not (Path(tmp) / "nginx.pid").exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            master = (Path(tmp) / "nginx.pid").read_text().strip()
            worker = None
            while worker is None and time.monotonic() < deadline:
                worker = next(iter(_children(int(master))), None) or time.sleep(0.05)
            yield f"http://127.0.0.1:{port}", worker
        finally:
            subprocess.run([nginx_path(), "-c", str(conf), "-s", "stop"], check=False, capture_output=True)
