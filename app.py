"""潍城区“十四五”规划地图 — entry point: the shared frame and the page router, and the server.

Run with ``streamlit run app.py``. Streamlit then imports this file once to
find ``app``, the server (``st.App``), and runs it as the script of every
session, where ``__name__`` is ``"__main__"``.
"""

from __future__ import annotations

import streamlit as st
import streamlit.commands.navigation as streamlit_navigation

from layers.escape import md_text

PAGES = [
    ("pages/overview.py", "总览", ":material/map:"),
    ("pages/zones.py", "片区审查", ":material/fact_check:"),
    ("pages/review.py", "边界提案", ":material/edit_road:"),
    ("pages/versions.py", "版本", ":material/history:"),
    ("pages/parks.py", "园区", ":material/factory:"),
    ("pages/finder.py", "园区选址", ":material/travel_explore:"),
    ("pages/projects.py", "项目", ":material/construction:"),
    ("pages/targets.py", "指标", ":material/monitoring:"),
    ("pages/leaders.py", "领导总览", ":material/dashboard:"),
]
ADMIN_PAGE = ("pages/admin.py", "管理", ":material/admin_panel_settings:")


def _page_not_found(ctx) -> None:
    """Remember a mistyped page address (Streamlit itself would open an English "Page not found" dialog)."""
    st.session_state["page_not_found"] = ctx.pages_manager.intended_page_name or ""


# st.navigation calls this module-level hook when the address names no page; streamlit is pinned and
# tests/test_browser.py checks the Chinese notice, so a change in Streamlit shows up there.
streamlit_navigation.send_page_not_found = _page_not_found


#: How much of an unknown page name the notice repeats (as the URL-parameter warnings do).
SHOWN_NAME = 30


def page_not_found_notice() -> None:
    """Say in Chinese that the address named no page and the overview opened instead."""
    name = st.session_state.pop("page_not_found", None)
    if name is not None:
        shown = name if len(name) <= SHOWN_NAME else name[:SHOWN_NAME] + "…"  # 3,000 characters filled screens
        st.warning(f"网址中的页面“{md_text(shown)}”不存在，已打开总览。请从左侧菜单选择页面。")


def main() -> None:
    """Set up the page, the sidebar and the navigation, then run the chosen page."""
    from pages.common import remember_url_basemap
    remember_url_basemap()  # first of all: a click on another page may cut this run short (the URL is then gone)
    # An emoji icon is drawn in the page; a ":material/…:" one is fetched from fonts.gstatic.com on every visit.
    st.set_page_config(page_title="潍城区规划地图", page_icon="🗺️", layout="wide")
    from pages.common import (account_widget, chrome_in_chinese, may, sidebar, store_banner,  # after set_page_config:
                              url_warnings, version_chooser)  # they write to the page

    pages = [st.Page(path, title=title, icon=icon, default=i == 0) for i, (path, title, icon) in enumerate(PAGES)]
    # Only admins see the page in the menu; a deep link from anyone else reaches the page's
    # own Chinese refusal instead of Streamlit's English "Page not found".
    pages.append(st.Page(ADMIN_PAGE[0], title=ADMIN_PAGE[1], icon=ADMIN_PAGE[2],
                         visibility="visible" if may("manage_users") else "hidden"))
    nav = st.navigation(pages)

    st.sidebar.title("潍城区规划地图")
    st.sidebar.caption("依据《潍坊市潍城区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要》（2022年更新，征求意见稿）")
    sidebar()
    version_chooser()
    account_widget()
    chrome_in_chinese()
    url_warnings(nav.url_path)
    page_not_found_notice()
    store_banner()
    nav.run()


if __name__ == "__main__":
    main()
else:
    from starlette.middleware import Middleware

    from layers.frontend import FrontEnd
    from pages.failure import show_script_error

    # Streamlit's front end from memory, compressed once, and its page shell in Chinese (layers/frontend.py);
    # a page that fails unforeseen says so in Chinese (pages/failure.py).
    app = st.App(__file__, middleware=[Middleware(FrontEnd)], on_script_error=show_script_error)
