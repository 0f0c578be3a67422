"""Ten first visits at once as the server sees them, without ten browsers on the same two cores.

    .venv/bin/python benchmarks/server_load.py [--visitors 10] [--rounds 3]

``map_render.py`` opens ten Chromium tabs at once on the machine that runs
the server; ten empty Streamlit pages already take 7–11 s there, because the
browsers' own work (parsing and running Streamlit's front end) fills both
cores. This script measures the server's side of the same ten visits:

1. Chromium opens the page once, and every request it makes is recorded:
   the files it fetched (in order, split into those before the script ran
   and those its result asked for: widget code, the map's component, the
   Leaflet bundle) and the messages it sent on the WebSocket.
2. Each simulated visitor then does what that browser did, as fast as the
   server lets it: fetches the first files over six keep-alive connections
   (as a browser does), opens the WebSocket, sends the recorded messages,
   waits until the page script has finished, and fetches the rest.
   A visit's time runs from its first request to its last byte.

The same is done for an empty Streamlit page, side by side. What this leaves
out is the browser's own time to run the page, which ``map_render.py``
reports.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import queue
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from tests.browser import MAP, browser, streamlit_process  # noqa: E402

AREAS = 'path.leaflet-interactive[fill="#1f6fd1"], path.leaflet-interactive[fill="#e67e22"]'
EMPTY_PAGE = 'import streamlit as st\nst.set_page_config(layout="wide")\nst.title("空白页")\n'
CONNECTIONS = 6  # a browser's connections per host over HTTP/1.1


@dataclass(frozen=True)
class Recording:
    """What one real first visit asked of the server."""

    page: str  # path and query of the page
    before: tuple[str, ...]  # files fetched before the WebSocket opened
    after: tuple[str, ...]  # files fetched after it (what the script's result needs)
    sent: tuple[bytes, ...]  # WebSocket messages the page sent while loading


def record(url: str, page: str, ready) -> Recording:
    """Open ``url + page`` once in a fresh Chromium context and note what it asked the server for.

    ``ready(page)`` waits until the page is fully shown.
    """
    host = urlparse(url).netloc
    before: list[str] = []
    after: list[str] = []
    sent: list[bytes] = []
    opened = threading.Event()

    def on_request(request):
        parts = urlparse(request.url)
        if parts.netloc == host and request.method == "GET" and request.resource_type != "websocket":
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path != page:
                (after if opened.is_set() else before).append(path)

    def on_socket(socket):
        opened.set()
        socket.on("framesent", lambda payload: sent.append(payload if isinstance(payload, bytes)
                                                            else payload.encode()))

    with browser() as chrome:
        context = chrome.new_context(viewport={"width": 1400, "height": 1000})
        tab = context.new_page()
        tab.on("request", on_request)
        tab.on("websocket", on_socket)
        tab.goto(url + page)
        ready(tab)
        tab.wait_for_timeout(1000)  # late requests (images of the map's controls)
        context.close()
    return Recording(page, tuple(dict.fromkeys(before)), tuple(dict.fromkeys(after)), tuple(sent))


def _fetch_all(host: str, paths: list[str]) -> None:
    """GET ``paths`` over :data:`CONNECTIONS` keep-alive connections, each reading whole responses."""
    todo: queue.SimpleQueue[str] = queue.SimpleQueue()
    for path in paths:
        todo.put(path)
    errors: list[str] = []

    def worker():
        conn = http.client.HTTPConnection(host, timeout=120)
        try:
            while True:
                try:
                    path = todo.get_nowait()
                except queue.Empty:
                    return
                conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
                resp = conn.getresponse()
                resp.read()
                if resp.status != 200:
                    errors.append(f"{path}: HTTP {resp.status}")
        finally:
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(min(CONNECTIONS, len(paths)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError("; ".join(errors[:3]))


async def _run_script(url: str, rec: Recording) -> None:
    """Open the WebSocket, send what the browser sent, and wait until the page script has finished."""
    from websockets.asyncio.client import connect

    ws_url = "ws://" + urlparse(url).netloc + "/_stcore/stream"
    async with connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=120) as socket:
        for message in rec.sent[:1]:  # the first run of the page (later ones are the user's)
            await socket.send(message)
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await asyncio.wait_for(socket.recv(), timeout=120))
            if msg.WhichOneof("type") == "script_finished" and \
                    msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                return


async def visit(url: str, rec: Recording) -> float:
    """One simulated first visit; seconds from its first request to its last byte."""
    host = urlparse(url).netloc
    start = time.perf_counter()
    await asyncio.to_thread(_fetch_all, host, [rec.page, *rec.before])
    await _run_script(url, rec)
    await asyncio.to_thread(_fetch_all, host, list(rec.after))
    return time.perf_counter() - start


async def _together(url: str, rec: Recording, visitors: int) -> list[float]:
    return list(await asyncio.gather(*[visit(url, rec) for _ in range(visitors)]))


def together(url: str, rec: Recording, visitors: int = 10) -> list[float]:
    """Seconds each of ``visitors`` simultaneous simulated first visits took."""
    return asyncio.run(_together(url, rec, visitors))


def app_ready(tab) -> None:
    tab.locator(MAP).locator(AREAS).first.wait_for(timeout=60_000)


def empty_ready(tab) -> None:
    tab.get_by_text("空白页").first.wait_for(timeout=60_000)


def med(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.0f} ms (max {max(values) * 1000:.0f})"


def measure(empty_url: str, app_url: str, visitors: int, rounds: int) -> str:
    """Record both pages, then run ``rounds`` bursts of ``visitors`` simulated visits each, interleaved;
    returns the figures as one line."""
    empty_rec = record(empty_url, "/", empty_ready)
    app_rec = record(app_url, "/?basemap=none", app_ready)
    together(empty_url, empty_rec, 1)  # warm-up
    together(app_url, app_rec, 1)
    empty_runs, app_runs = [], []
    for _ in range(rounds):
        empty_runs += together(empty_url, empty_rec, visitors)
        app_runs += together(app_url, app_rec, visitors)
    return (f"总览 {med(app_runs)}, empty page {med(empty_runs)} ({rounds} bursts of {visitors}; 总览 fetches "
            f"{len(app_rec.before)} files before its script runs and {len(app_rec.after)} after; target median < 4 s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visitors", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty_page.py"
        empty.write_text(EMPTY_PAGE, encoding="utf-8")
        env = {"WEICHENG_MAP_DB": str(Path(tmp) / "plain.sqlite3")}
        with streamlit_process(empty) as (empty_url, _), streamlit_process(env=env) as (app_url, _):
            print(f"{args.visitors} simultaneous first visits, server alone: "
                  f"{measure(empty_url, app_url, args.visitors, args.rounds)}")


if __name__ == "__main__":
    main()
