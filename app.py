"""潍城区“十四五”规划地图 — entry point: the shared frame and the page router.

Run with ``streamlit run app.py``.
"""

from __future__ import annotations

import streamlit as st

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


def main() -> None:
    """Set up the page, the sidebar and the navigation, then run the chosen page."""
    # An emoji icon is drawn in the page; a ":material/…:" one is fetched from fonts.gstatic.com on every visit.
    st.set_page_config(page_title="潍城区规划地图", page_icon="🗺️", layout="wide")
    from pages.common import (account_widget, may, sidebar, store_banner,  # after set_page_config: they
                              url_warnings, version_chooser)  # write to the page

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
    url_warnings()
    store_banner()
    nav.run()


main()
