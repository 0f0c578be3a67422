"""In Debian's Chromium: download a park's pitch pack and a print map, and use the park finder."""

from __future__ import annotations

import io
import os
import re

import pytest
from pypdf import PdfReader

from tests.browser import browser, click_download, require_chromium, streamlit_server

pytestmark = pytest.mark.browser

require_chromium()

PARK = "高端智慧物流园"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    old = os.environ.get("WEICHENG_MAP_DB")
    os.environ["WEICHENG_MAP_DB"] = str(tmp_path_factory.mktemp("db") / "browser.sqlite3")
    try:
        with streamlit_server() as url:
            yield url
    finally:
        if old is None:
            os.environ.pop("WEICHENG_MAP_DB", None)
        else:
            os.environ["WEICHENG_MAP_DB"] = old


def pdf_text(path) -> str:
    with open(path, "rb") as handle:
        raw = handle.read()
    assert raw.startswith(b"%PDF"), raw[:80]
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(raw)).pages).replace("\n", "")


def test_park_card_downloads_the_pitch_pack_and_a_print_map(server, tmp_path):
    with browser() as chrome:
        page = chrome.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.goto(f"{server}/parks?park={PARK}")
        button = page.get_by_role("button", name="下载招商推介资料（中英文 PDF）")
        button.wait_for(timeout=60_000)
        download = click_download(page, button)
        pack = tmp_path / "pack.pdf"
        download.save_as(pack)
        assert download.suggested_filename == f"{PARK}-招商推介资料.pdf"
        text = pdf_text(pack)
        assert PARK in text and "High-end Smart Logistics Park" in text
        assert "公顷" in text and "hectares" in text and "电商物流" in text and "e-commerce logistics" in text

        page.get_by_text("打印地图（PDF / 300 dpi PNG）").first.click()
        pdf_button = page.get_by_role("button", name="下载打印版 PDF")
        pdf_button.wait_for(timeout=30_000)
        sheet = tmp_path / "sheet.pdf"
        click_download(page, pdf_button).save_as(sheet)
        text = pdf_text(sheet)
        assert f"{PARK}（园区）位置图" in text
        assert "图例" in text and "北 N" in text and "比例尺 1:" in text and "千米" in text


def test_finder_ranks_cold_chain_to_the_logistics_park(server):
    with browser() as chrome:
        page = chrome.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{server}/finder")
        box = page.get_by_label("产业（可输入多个，用顿号分隔）")
        box.wait_for(timeout=60_000)
        box.fill("冷链")
        box.press("Enter")
        page.get_by_text("个园区/片区与所输入产业匹配").wait_for(timeout=30_000)
        # the top matches are listed as cards, best first: "名称（园区）" then the one-line explanation
        heads = page.locator('[data-testid="stMarkdownContainer"]').filter(has_text=re.compile(r"（(园区|片区)）$"))
        heads.first.wait_for(timeout=30_000)
        assert heads.first.inner_text().strip() == f"{PARK}（园区）"
        assert page.get_by_text("同义词“冷链→物流”").first.is_visible()
        assert page.get_by_role("link", name="打开园区卡片").first.get_attribute("href").startswith("parks?park=")
