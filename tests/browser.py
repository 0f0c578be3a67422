"""Shared helpers for real-browser runs (tests and benchmarks): a Streamlit server and Chromium."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Flags for a closed network: no background connections, no sandbox as root.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: The map's element in the page (pages/map_widget.js; its Leaflet map is the element's ``leafletMap``).
MAP = ".wc-map"
#: The map the page shell draws before Streamlit starts, over the map's place (layers/maps/premap.py).
PREMAP = ".wc-premap"


def chromium_path() -> str | None:
    """The Chromium binary, or ``None`` when it is not installed."""
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


def require_tool(found: str | None, package: str) -> None:
    """Skip the calling test module when a program is missing (``found`` is None); in CI that is an error."""
    if found is None:
        if os.environ.get("CI"):
            raise RuntimeError(f"CI must install {package} (see .ci/run)")
        import pytest
        pytest.skip(f"{package} is not installed (apt-get install {package})", allow_module_level=True)


def require_chromium() -> None:
    """Skip the calling test module when Chromium is missing; in CI a missing Chromium is an error."""
    require_tool(chromium_path(), "chromium")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def streamlit_process(script: Path | str = ROOT / "app.py", *, env: dict[str, str] | None = None,
                      timeout_s: float = 60):
    """Start ``streamlit run SCRIPT`` on a free local port; yield ``(url, process)``; stop it.

    The app's own ``.streamlit/config.toml`` applies (the working directory is the project).
    """
    port = free_port()
    log = tempfile.TemporaryFile()  # not a pipe: a full pipe would stall a busy server
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                out = log.read().decode("utf-8", "replace")
                raise RuntimeError(f"streamlit did not start:\n{out}")
            time.sleep(0.3)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextlib.contextmanager
def streamlit_server(timeout_s: float = 60):
    """Start ``streamlit run app.py`` on a free local port; yield its URL; stop it."""
    with streamlit_process(timeout_s=timeout_s) as (url, _proc):
        yield url


@contextlib.contextmanager
def browser():
    """A headless Chromium driven by Playwright (Debian's binary; Playwright downloads nothing)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chrome = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chrome
        finally:
            chrome.close()


def wait_until_idle(page, timeout_ms: float = 60_000) -> None:
    """Wait until the app's script has finished its run (Streamlit marks the page's root)."""
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=timeout_ms)


def click_download(page, button, timeout_ms: float = 60_000, lost_after_ms: float = 15_000):
    """Click a download button once the run that drew it has finished; return Playwright's download.

    A button drawn mid-run may still move, and each run gives its file a new id. A failed
    download shows an error under the button instead of a download event, so waiting for the
    event alone would only time out: this fails at once with the error shown.

    Streamlit asks the server for a deferred file over the WebSocket and starts the download
    when the answer comes; meanwhile the button is disabled. A click after which the button is
    ready again ``lost_after_ms`` later, with neither a download nor an error, was lost (seen
    twice in full runs, never when run alone): it is clicked once more, with a warning. A second
    loss fails, saying what the button and the script were doing.
    """
    wait_until_idle(page)
    downloads = []

    def arrived(download) -> None:
        downloads.append(download)

    page.on("download", arrived)
    error = button.locator("xpath=ancestor::*[@data-testid='stDownloadButton'][1]").get_by_test_id(
        "stDownloadButtonError")

    def wait(attempt: int, lost_after_s: float | None) -> bool:
        """Until the download arrives (True) or, with ``lost_after_s``, the click proves lost (False)."""
        clicked = time.monotonic()
        while not downloads:
            if error.count():
                raise AssertionError(f"the download failed; under the button: {error.first.inner_text()!r}")
            waited = time.monotonic() - clicked
            if lost_after_s is not None and waited > lost_after_s and button.is_enabled():
                warnings.warn(f"a download click was lost (no download, no error, button ready after "
                              f"{waited:.0f} s); clicking again")
                return False
            if waited > timeout_ms / 1000:
                state = page.locator('[data-testid="stApp"]').get_attribute("data-test-script-state")
                raise AssertionError(
                    f"no download and no error within {timeout_ms / 1000:.0f} s (click {attempt}); the button "
                    f"is {'disabled (still waiting for the file)' if button.is_disabled() else 'ready'}; "
                    f"script state {state!r}")
            page.wait_for_timeout(100)
        return True

    try:
        button.click()
        if not wait(1, lost_after_ms / 1000):
            wait_until_idle(page)
            button.click()
            wait(2, None)
        return downloads[0]
    finally:
        page.remove_listener("download", arrived)


def sign_in(page, username: str, password: str) -> None:
    """Sign in through the sidebar as a person does: each click once the page has finished the run the
    last one started (a click into a box drawn mid-run can reach a run that no longer shows it; CI timed
    out here once)."""
    box = page.get_by_text("登录（编辑、审核、管理员）")
    box.wait_for(timeout=60_000)
    wait_until_idle(page)
    box.click()
    page.get_by_label("用户名", exact=True).wait_for(timeout=60_000)
    wait_until_idle(page)
    page.get_by_label("用户名", exact=True).fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_text("已登录").wait_for(timeout=60_000)
