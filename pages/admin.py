"""管理: accounts (add, role, disable) and the audit log (view, filter, CSV export). Admins only."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import streamlit as st

from layers.store.audit import ACTION_LABELS, AuditFilter, actions, actors, to_csv
from layers.store.audit_text import actor_label, readable, search
from layers.store.database import StoreError
from layers.store.schema import ROLES
from layers.store.users import ROLE_LABELS, UserError, add_user, list_users, update_user
from layers.escape import md_text
from pages.common import ensure_frame, may, say, store

ensure_frame()
st.title("管理")
admin = may("manage_users")
db = store()
if db is None:
    st.error("此页只对管理员开放，且需要数据库；数据库暂不可用（见页面顶部的说明），暂时不能登录和管理。")
    st.stop()
if admin is None:
    st.error("此页只对管理员开放。请以管理员身份在左侧栏登录。")
    st.stop()

users_tab, log_tab = st.tabs(["用户", "操作日志"])

with users_tab:
    if "admin_flash" in st.session_state:  # the result of the last change, kept across the rerun
        st.success(md_text(st.session_state.pop("admin_flash")))
    try:
        accounts = list_users(db.engine)
    except StoreError as exc:
        st.error(say(exc))
        st.stop()
    st.dataframe(accounts.assign(
        role=accounts["role"].map(ROLE_LABELS), active=accounts["active"].map({True: "可用", False: "已停用"}),
        has_password=accounts["has_password"].map({True: "密码", False: "仅单位账号"}),
        email=accounts["email"].fillna("—"),  # an account without one showed "None"
        created_at=accounts["created_at"].map(lambda t: t.strftime("%Y-%m-%d %H:%M") + " UTC"))
        [["username", "display_name", "role", "active", "email", "has_password", "created_at"]],
        column_config={"username": "用户名", "display_name": "显示名称", "role": "角色", "active": "状态",
                       "email": "电子邮箱", "has_password": "登录方式", "created_at": "创建时间"},
        hide_index=True, width="stretch")

    st.markdown("#### 添加用户")
    with st.form("add_user", clear_on_submit=True):
        c1, c2, c3 = st.columns(3)
        name = c1.text_input("用户名（小写字母、数字或 . _ -）", max_chars=64)
        display = c2.text_input("显示名称", max_chars=50)
        role = c3.selectbox("角色", ROLES, format_func=ROLE_LABELS.get)
        c4, c5 = st.columns(2)
        email = c4.text_input("电子邮箱（单位统一登录用；可不填）", max_chars=254)
        password = c5.text_input("初始密码（至少 10 个字符；只用单位统一登录可不填）", type="password",
                                 max_chars=1024)
        if st.form_submit_button("添加", type="primary"):
            try:
                added = add_user(db.engine, name, role, password=password or None, display_name=display,
                                 email=email or None, actor=admin.username)
            except (UserError, StoreError) as exc:  # the message quotes what was typed: Markdown stays text
                st.error(f"未添加：{say(exc)}")
            else:
                st.session_state["admin_flash"] = f"已添加 {added.username}（{added.role_label}）。"
                st.rerun()

    st.markdown("#### 修改用户")
    if len(accounts):
        pick = st.selectbox("用户", list(accounts["username"]), key="admin_pick")
        row = accounts.set_index("username").loc[pick]
        # A form of its own per account, emptied on saving: a password typed for one account stayed in the
        # box, and saving the next account's role gave that account the same password.
        with st.form(f"change_user-{pick}", clear_on_submit=True):
            c1, c2, c3 = st.columns(3)
            new_role = c1.selectbox("角色", ROLES, index=ROLES.index(row["role"]), format_func=ROLE_LABELS.get)
            active = c2.checkbox("账户可用", value=bool(row["active"]))
            new_password = c3.text_input("重设密码（不改则留空；重设后解除该账户的登录锁定）", type="password",
                                         max_chars=1024)
            if st.form_submit_button("保存修改"):
                try:
                    changed = update_user(db.engine, pick, role=new_role, active=active,
                                          password=new_password or None, actor=admin.username)
                except (UserError, StoreError) as exc:
                    st.error(f"未保存：{say(exc)}")
                else:
                    st.session_state["admin_flash"] = (f"已保存 {changed.username}：{changed.role_label}，"
                                                       f"{'可用' if changed.active else '已停用'}"
                                                       + ("，密码已重设，登录锁定已解除。" if new_password else "。"))
                    st.rerun()

with log_tab:
    st.caption("每次写入（登录、导入、删除与撤销、指标记录、用户修改、提案与审批）都记在这里。"
               "日志只能追加：本程序不提供修改或删除，数据库也会拒绝。时间为 UTC。")
    try:
        logged_actors, logged_actions = actors(db.engine), actions(db.engine)
    except StoreError as exc:
        st.error(say(exc))
        st.stop()
    c1, c2, c3, c4 = st.columns(4)
    actor = c1.selectbox("操作人", [""] + logged_actors, format_func=lambda a: actor_label(a) if a else "全部",
                         key="log_actor")
    known = dict(ACTION_LABELS)
    options = [""] + list(known) + [a for a in logged_actions if a not in known]
    action = c2.selectbox("操作", options, format_func=lambda a: known.get(a, a) if a else "全部", key="log_action")
    days = c3.date_input("日期范围", value=(date.today() - timedelta(days=30), date.today()), key="log_days")
    text = c4.text_input("包含文字", key="log_text", max_chars=200)
    since = until = None
    if isinstance(days, tuple) and len(days) == 2:
        since = datetime.combine(days[0], time.min, tzinfo=timezone.utc)
        until = datetime.combine(days[1] + timedelta(days=1), time.min, tzinfo=timezone.utc)
    try:
        log = search(db.engine, AuditFilter(actor=actor or None, action=action or None, since=since, until=until,
                                            text=text.strip() or None))
    except StoreError as exc:
        st.error(say(exc))
        st.stop()
    st.markdown(f"共 {len(log)} 条（最多显示 5000 条，最新在前）。")
    shown = readable(log).assign(at=log["at"].map(lambda t: t.strftime("%Y-%m-%d %H:%M:%S")),
                                 action=log["action"].map(lambda a: known.get(a, a)))
    st.dataframe(shown[["at", "actor", "action", "target", "detail", "before_json", "after_json"]],
                 column_config={"at": "时间（UTC）", "actor": "操作人", "action": "操作", "target": "对象",
                                "detail": "说明", "before_json": "修改前", "after_json": "修改后"},
                 hide_index=True, width="stretch")
    # The file says what the table says: actions, objects and states in words, not stored codes and JSON.
    st.download_button("导出 CSV", to_csv(shown), file_name=f"操作日志-{date.today().isoformat()}.csv",
                       mime="text/csv", key="log_csv", on_click="ignore")
