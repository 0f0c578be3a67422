"""What a visitor sees when a page fails in a way the app did not foresee.

Streamlit, with ``client.showErrorDetails = "none"``, shows its own English
notice ("This app has encountered an error…") under the page. The ``st.App``
in ``app.py`` hands every uncaught exception of a page run, a widget
callback or a fragment to :func:`show_script_error` instead, which says in
Chinese what happened and what to do. Streamlit has already written the
traceback to the server's log by then.
"""

from __future__ import annotations

import streamlit as st

SCRIPT_ERROR = ("这一页出错了：程序遇到了意外的问题，详细情况已记入服务器日志。"
                "请刷新页面再试；如果再次出现，请告诉管理员出错的页面、时间和刚才的操作。")


def show_script_error(_error: Exception) -> bool:
    """Show the Chinese notice in place of Streamlit's; returns True (Streamlit then shows nothing)."""
    st.error(SCRIPT_ERROR, icon=":material/error:")
    return True
