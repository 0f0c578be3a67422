"""The shared frame of every page: data, basemap choice, the map widget, details."""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from pathlib import Path

import folium
import streamlit as st

from layers.maps.assets import sync_assets
from layers.maps.basemaps import DEFAULT_BASEMAP, Basemap, available_basemaps
from layers.data import BASE_VERSION_KEY, DataError, Layers, load_layers
from layers.review.proposals import listing as proposal_listing
from layers.review.versions import history as version_history, latest as latest_version, layers_for, proposal_key
from layers.review.versions import Version, version_label
from layers.review.versions import version_key as version_key_of
from layers.maps.measure import measure_drawings
from layers.maps.review_views import review_map
from layers.escape import md_text
from layers.store import audit
from layers.store.database import Store, StoreError
from layers.store.engine import database_url, describe
from layers.store.users import SignInError, User, authenticate, can, get_user, oidc_user
from layers.urlstate import PARAMS, read_query
from pages.map_widget import MapPayload, cached_payload
from pages.shared_data import with_imports as add_imports

APP_DIR = Path(__file__).resolve().parents[1]


def ensure_frame() -> None:
    """Run every page through ``app.py``'s navigation.

    When the first request a new server process gets is a page URL
    (``/zones``), Streamlit still assumes the legacy ``pages/`` folder mode
    and runs that page alone, without the app frame. Leaving that mode and
    rerunning routes the request through ``app.py`` as intended.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


@st.cache_resource(show_spinner="正在读取图层…", max_entries=16)
def _load(version: str = BASE_VERSION_KEY) -> Layers:
    # One shared copy per version for every session (pages never modify it): no per-run unpickling.
    # Keyed by the version key: a version's content never changes once stored.
    if version == BASE_VERSION_KEY:
        return load_layers()
    db = store()
    return layers_for(db.engine if db is not None else None, version)


VERSION_WIDGET = "layer_version"
#: The layer version this session shows ("" = the latest approved), kept apart from the chooser's widget
#: state (:func:`kept_choice`), which Streamlit drops whenever the chooser's box is closed.
VERSION_CHOICE = f"{VERSION_WIDGET}_choice"
#: What the chooser offered on the last run, to name a choice that has gone since.
VERSION_LABELS = f"{VERSION_WIDGET}_labels"


_CHINESE = st.components.v2.component(
    "weicheng_chinese", html="<span hidden></span>",
    js=Path(__file__).with_name("streamlit_zh.js").read_text(encoding="utf-8"))


def chrome_in_chinese() -> None:
    """Put Streamlit's own words (press Enter, no results, upload, stop, table menus) in Chinese.

    ``streamlit_zh.js`` watches the page and replaces them. The component is drawn at the foot
    of the sidebar, where the empty line it leaves is not seen.
    """
    with st.sidebar:
        _CHINESE(key="chinese_chrome")


def version_key() -> str:
    """The layer version this session shows: the one chosen in the sidebar, else the latest approved."""
    chosen = st.session_state.get(VERSION_CHOICE)
    if chosen:
        return chosen
    db = store()
    try:
        return version_key_of(latest_version(db.engine)) if db is not None else BASE_VERSION_KEY
    except StoreError:
        return BASE_VERSION_KEY


def shows_latest() -> bool:
    """Whether this session shows the latest approved layers (no earlier version or proposal chosen)."""
    return not st.session_state.get(VERSION_CHOICE)


#: How much of a version's note the chooser shows: the box is narrow, and the rest is on page 版本.
NOTE_SHOWN = 30


def version_option(v: Version) -> str:
    """A version as the chooser lists it: number, when (UTC) and the start of its note, marked where cut.

    Cut at 24 characters without a mark, two approvals on the same zone read alike.
    """
    when = f"（{v.created_at:%m-%d %H:%M}）" if v.created_at else ""
    note = v.note if len(v.note) <= NOTE_SHOWN else v.note[:NOTE_SHOWN - 1] + "…"
    return f"第 {v.number} 版{when} · {note}"


def version_chooser() -> None:
    """Sidebar: show the latest approved layers, or any earlier version, or a pending proposal.

    The chooser sits in a box filled only while open (a first view fetches no code for it); the box's
    label always says which version the page shows.
    """
    db = store()
    if db is None:
        return
    try:
        history, pending = version_history(db.engine), proposal_listing(db.engine, "pending")
    except StoreError:
        return
    latest = history[0].number
    options = {"": f"最新已批准版本（第 {latest} 版）"}
    options.update({version_key_of(v.number): version_option(v) for v in history})
    options.update({proposal_key(p.id, latest): f"待审核提案 #{p.id}（预览）" for p in pending})
    gone = st.session_state.get(VERSION_CHOICE)
    if gone not in options:
        if gone:  # the proposal being previewed was approved, rejected or withdrawn meanwhile
            was = st.session_state.get(VERSION_LABELS, {}).get(gone, "所选版本")
            st.sidebar.warning(f"{md_text(was)}已不能预览（提案已审核或已撤回），现显示{md_text(options[''])}。")
        st.session_state[VERSION_CHOICE] = ""
    st.session_state[VERSION_LABELS] = options
    chosen = st.session_state[VERSION_CHOICE]
    with st.sidebar.expander(f"图层版本：{md_text(options[chosen])}", icon=":material/history:",
                             key="version_box_open", on_change="rerun") as box:
        if box.open:
            kept_choice("图层版本", list(options), key=VERSION_WIDGET, default=chosen, format_func=options.get,
                        label_visibility="collapsed")  # the box says it


def layers(*, with_imports: bool = False) -> Layers:
    """All built layers (read once per process); stops the page with a message on bad data.

    With ``with_imports`` the projects layer also holds the user's imported projects.
    """
    try:
        data = _load(version_key())
    except DataError as exc:
        st.error(f"无法读取地图数据：{exc}")
        st.stop()
    if with_imports:
        data = add_imports(data, _imported_rows)
    return data


def _imported_rows():
    db = store()
    try:
        return db.projects() if db is not None else None
    except StoreError:
        return None  # store_banner() says why; the plan's own projects still show


@st.cache_resource
def asset_urls() -> dict[str, str]:
    """Local URLs of Leaflet and its plugins, copied from installed packages once per process."""
    return sync_assets(APP_DIR / "static")


def store() -> Store | None:
    """The database (``$WEICHENG_MAP_DB``: a SQLite file or a PostgreSQL URL), or None when it cannot be
    opened: the map and plan layers then work read-only and :func:`store_banner` says why."""
    try:
        return Store()
    except StoreError:
        return None


def store_banner() -> None:
    """Above every page: say, in Chinese, why the database is unavailable and what still works."""
    try:
        Store()
    except StoreError as exc:
        cause = public_reason(exc).split("。")[0]  # the cause; what to do on the server is for the administrator
        st.warning(f"数据库暂不可用：{md_text(cause)}。\n\n地图和规划图层仍可正常查看；"
                   "导入的项目、指标记录和登录暂不可用。请联系系统管理员（详细信息已写入服务器日志）。",
                   icon=":material/database_off:")


_LOG = logging.getLogger(__name__)


def public_reason(exc: StoreError) -> str:
    """What a visitor is told: the cause without the server's file path or database address (the full
    message goes to the server log, once per distinct message)."""
    text = str(exc)
    if text not in _logged:
        _logged.add(text)
        _LOG.warning("数据库不可用：%s", text)
    try:
        where = describe(database_url())
    except StoreError:
        return text
    for shown in (f" {where} ", f" {where}", where):
        text = text.replace(shown, "")
    return text


_logged: set[str] = set()


def say(exc: Exception) -> str:
    """An error for the page, escaped; a database error without the server's path or address."""
    return md_text(public_reason(exc) if isinstance(exc, StoreError) else exc)


# -- accounts: sign-in widget, the signed-in user, role checks ------------------------------------

USER_KEY = "signed_in_user"
#: Session-state key of the sign-in box's open state.
SIGN_IN_OPEN = "sign_in_open"


def oidc_configured() -> bool:
    """Whether ``secrets.toml`` has an ``[auth]`` section, so ``st.login`` (OIDC) can be offered."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises its own not-found error
        return False


def _oidc_sign_in(db: Store) -> None:
    """Map the identity provider's e-mail to an account, once per session."""
    if not oidc_configured() or not st.user.is_logged_in:
        return
    email = st.user.get("email")
    if st.session_state.get("oidc_checked") == email:
        return
    st.session_state["oidc_checked"] = email
    if st.user.get("email_verified") is False:
        st.session_state["oidc_unmapped"] = email
        return
    user = oidc_user(db.engine, email, issuer=str(st.user.get("iss") or ""))
    if user is None:
        st.session_state["oidc_unmapped"] = email
    else:
        st.session_state[USER_KEY] = user.username
        st.session_state["signed_in_via"] = "oidc"


def current_user() -> User | None:
    """The signed-in, active account, or None (a visitor: may browse, sees no writing widget).

    Looked up on every run, so a disabled account or a changed role takes effect at once.
    """
    db = store()
    if db is None:
        return None
    try:
        _oidc_sign_in(db)
        name = st.session_state.get(USER_KEY)
        user = get_user(db.engine, name) if name else None
    except StoreError:
        return None
    if user is None or not user.active:
        st.session_state.pop(USER_KEY, None)
        return None
    return user


def may(action: str) -> User | None:
    """The signed-in user if they may do the writing ``action`` (see ``layers.store.users.ACTION_ROLES``)."""
    user = current_user()
    return user if can(user, action) else None


def sign_in_hint(what: str, role: str = "编辑") -> None:
    """Where a writing widget would be: say who may use it, and where to sign in or whom to ask."""
    user = current_user()
    if user is None and store() is None:  # the sidebar says sign-in is off: do not send people there
        st.info(f"{what}需要登录，但数据库暂不可用，暂时不能登录和修改（见页面顶部的说明）。浏览不受影响。",
                icon=":material/lock:")
    elif user is None:
        st.info(f"{what}需要以“{role}”或更高角色登录，请在左侧栏登录。未登录也可浏览全部内容。",
                icon=":material/lock:")
    else:  # signed in already: "请在左侧栏登录" read as if the sign-in had failed
        st.info(f"{what}需要“{role}”或更高角色；您的角色是“{md_text(user.role_label)}”。如需此权限，请联系管理员。",
                icon=":material/lock:")


def _client() -> str | None:
    """The browser's address, for the per-client sign-in limit.

    Behind the reverse proxy (README) every connection comes from the proxy, so the address the
    proxy appended last to ``X-Forwarded-For`` is used; earlier entries are the client's own claim.
    """
    try:
        forwarded = st.context.headers.get("X-Forwarded-For")
        address = forwarded.split(",")[-1].strip() if isinstance(forwarded, str) and forwarded else \
            st.context.ip_address
    except Exception:  # no browser behind this run (tests, bare mode)
        return None
    return address if isinstance(address, str) and address else None


def _sign_out(db: Store, user: User) -> None:
    try:
        with db.transaction() as conn:
            audit.record(conn, user.username, "sign_out", f"user {user.username}")
    except StoreError:
        pass  # signing out must work even when the log cannot be written
    via = st.session_state.pop("signed_in_via", None)
    for key in (USER_KEY, "oidc_unmapped"):
        st.session_state.pop(key, None)
    if via == "oidc":
        st.logout()
    st.rerun()


def account_widget() -> None:
    """The sidebar's sign-in / sign-out box (password, and 单位统一登录 when OIDC is configured)."""
    db = store()
    if db is None:
        st.sidebar.caption("数据库不可用，暂时不能登录。")
        return
    user = current_user()
    if user is not None:
        st.sidebar.markdown(f"已登录：**{md_text(user.display_name)}**（{user.role_label}）")
        if st.sidebar.button("退出登录", key="sign_out"):
            _sign_out(db, user)
        return
    if st.session_state.get("oidc_unmapped"):
        st.sidebar.warning(f"单位账号 {md_text(st.session_state['oidc_unmapped'])} 还没有对应的账户，只能浏览。"
                           "请联系管理员添加。")
    # Filled only while open: a closed box costs a first visit nothing (its form's code is not even fetched).
    with st.sidebar.expander("登录（编辑、审核、管理员）", icon=":material/login:", key=SIGN_IN_OPEN,
                             on_change="rerun") as box:
        if not box.open:
            return
        if oidc_configured() and not st.user.is_logged_in:
            st.button("用单位账号登录", key="oidc_sign_in", on_click=st.login)
        with st.form("sign_in_form", clear_on_submit=True):
            name = st.text_input("用户名", key="sign_in_name", max_chars=64)
            password = st.text_input("密码", type="password", key="sign_in_password", max_chars=1024)
            submitted = st.form_submit_button("登录")
        if submitted:
            try:
                signed_in = authenticate(db.engine, name, password, client=_client())
            except (SignInError, StoreError) as exc:
                st.error(say(exc))
            else:
                st.session_state[USER_KEY] = signed_in.username
                st.session_state["signed_in_via"] = "password"
                st.rerun()


def basemaps() -> dict[str, Basemap]:
    """The basemaps offered (天地图 only with a key)."""
    return available_basemaps()


def url_view() -> dict:
    """The view asked for in the URL, read once per session (see :func:`url_warnings`)."""
    if "url_view" not in st.session_state:
        data = layers()
        # The first of a repeated parameter counts (st.query_params.get gives the last), and the
        # address keeps only that one.
        given = {key: st.query_params.get_all(key) for key in PARAMS if key in st.query_params}
        for key, values in given.items():
            if len(values) > 1:
                st.query_params[key] = values[0]
        view, errors = read_query(
            given,
            zones=dict(zip(data.zones["id"], data.zones["name"])),
            parks=dict(zip(data.parks["id"], data.parks["name"])),
            basemaps={k: b.label for k, b in basemaps().items()})
        st.session_state["url_view"], st.session_state["url_errors"] = view, errors
        for key in ("zone", "park"):  # a copied link must not carry the bad value on (the warning says it)
            if key in st.query_params and view.get(key) is None:
                del st.query_params[key]
    return st.session_state["url_view"]


def kept_choice(label: str, options: list[str], *, key: str, default: str, widget=st.selectbox, **kwargs) -> str:
    """A chooser (``widget``: a select box by default) whose choice the session keeps, across pages and
    runs cut short.

    Streamlit drops a widget's state when the user leaves its page, and a click
    can cut a run short before the widget is seen (the box then showed one park
    while the page showed another, and ``?basemap=amap`` fell back to OSM). The
    choice therefore lives in a session key of its own, ``key + "_choice"``;
    ``default`` (say, the URL's) applies until the user chooses.
    """
    kept = f"{key}_choice"
    choice = st.session_state.get(kept) or default
    if choice not in options:
        choice = default if default in options else options[0]
    st.session_state[kept] = st.session_state[key] = choice

    def remember() -> None:
        st.session_state[kept] = st.session_state[key]

    return widget(label, options, key=key, on_change=remember, **kwargs)


def two_step(action: str, item: object, *, start, label: str, question: str, yes: str) -> bool:
    """An action that cannot simply be taken back, in two clicks: ``label`` (in the container ``start``),
    then ``question`` with ``yes`` and 取消. True on the run where ``yes`` was clicked.

    Buttons are keyed ``{action}-{item}``, ``{action}-yes-{item}`` and ``{action}-no-{item}``; the item
    being confirmed is kept in ``{action}_pending``.
    """
    pending = f"{action}_pending"
    if st.session_state.get(pending) != item:
        if start.button(label, key=f"{action}-{item}"):
            st.session_state[pending] = item
            st.rerun()
        return False
    st.warning(question)
    confirm, cancel, _ = st.columns([1, 1, 4])
    if confirm.button(yes, key=f"{action}-yes-{item}", type="primary"):
        st.session_state.pop(pending, None)
        return True
    if cancel.button("取消", key=f"{action}-no-{item}"):
        st.session_state.pop(pending, None)
        st.rerun()
    return False


def follow_in_url(param: str, value: str | None) -> None:
    """Keep ``?param=value`` in the address bar in step with a choice, so a copied link opens it."""
    if value and st.query_params.get(param) != value:
        st.query_params[param] = value
    elif not value and param in st.query_params:
        del st.query_params[param]


#: The page the address opened (where its parameters were read).
URL_PAGE = "url_page"


#: The URL parameters each page reads (by its address, "" for 总览); any other page reads ``basemap``.
PAGE_PARAMS = {"": ("zone", "park", "basemap"), "zones": ("zone", "basemap"), "parks": ("park", "basemap")}


def url_warnings(page: str) -> None:
    """Say, above the page the address opened, which URL parameters were not understood.

    The warning stays while the user is on that page (``page`` is the page shown now) and goes once
    they open another: it stayed on every page for the rest of the session.
    """
    url_view()
    if st.session_state.setdefault(URL_PAGE, page) != page:
        st.session_state["url_errors"] = []
    for key in set(PARAMS) - set(PAGE_PARAMS.get(page, ("basemap",))):
        if key in st.query_params:  # carried over from another page (Back, a pasted link): not read here
            del st.query_params[key]
    for message in st.session_state["url_errors"]:
        st.warning(md_text(message))  # it quotes the URL: links, images, :red[…] must stay text


#: The session's basemap, kept apart from the chooser's own state (:func:`kept_choice`).
BASEMAP_CHOICE = "basemap_choice"


def current_basemap() -> Basemap:
    """The basemap chosen in the sidebar or the URL (OpenStreetMap before any choice)."""
    maps = basemaps()
    return maps.get(st.session_state.get(BASEMAP_CHOICE), maps[DEFAULT_BASEMAP])


def remember_url_basemap() -> None:
    """Take ``?basemap=`` into the session before the first run does anything slow.

    Streamlit drops query parameters when the user opens another page, so a
    menu click that cut a fresh server's first run short lost ``?basemap=amap``.
    """
    if BASEMAP_CHOICE not in st.session_state and st.query_params.get("basemap") in basemaps():
        st.session_state[BASEMAP_CHOICE] = st.query_params.get("basemap")


#: Whether the sidebar's basemap box is open (the expander's own key).
BASEMAP_OPEN = "basemap_open"


def sidebar() -> Basemap:
    """The basemap chooser, in a box labelled with the basemap shown; its first value comes from ``?basemap=``.

    Like the version box, it is filled only while open. Its radio cost every page's first view 35–45 ms
    in the browser (its code and its options; benchmarks/map_render.py, first load), and a
    basemap is chosen seldom: a map whose tiles fail to load falls back to no basemap by itself.
    A choice closes the box, as a drop-down list closes: its label, which names the basemap, changes.
    """
    maps = basemaps()
    default = url_view().get("basemap") or DEFAULT_BASEMAP
    key = st.session_state.get(BASEMAP_CHOICE) or default
    if key not in maps:
        key = default if default in maps else DEFAULT_BASEMAP
    st.session_state[BASEMAP_CHOICE] = key
    with st.sidebar.expander(f"底图：{md_text(maps[key].label)}", icon=":material/layers:", key=BASEMAP_OPEN,
                             on_change="rerun") as box:
        if box.open:
            # A radio, not a select box: the few basemaps are all in view.
            key = kept_choice("底图", list(maps), key="basemap", default=key, widget=st.radio,
                              format_func=lambda k: maps[k].label, label_visibility="collapsed")  # the box says it
            st.caption("离线时请选“无底图（离线）”；瓦片加载失败时地图也会自动改为无底图。")
    if key != DEFAULT_BASEMAP:
        st.query_params["basemap"] = key
    elif "basemap" in st.query_params:
        del st.query_params["basemap"]
    if maps[key].datum == "gcj02":
        st.sidebar.caption("高德底图使用 GCJ-02 坐标：图层已按 GCJ-02 偏移以对齐底图；导出与量算仍用 WGS-84。")
    return maps[key]


def shared_map(name: str, version_key: str, basemap: Basemap, build: Callable[[dict[str, str]], folium.Map],
               *variant: Hashable) -> MapPayload:
    """A page's base map, rendered once per server and shared by every session that shows it.

    Parameters
    ----------
    name
        Which map (``"overview"``, ``"review"``…): maps of one name are built by one ``build``.
    version_key
        The layers' version (with the imports' when the map shows imported projects): a new one
        builds a new map.
    basemap
        The basemap the map is drawn for (高德 shifts every layer to GCJ-02).
    build
        Makes the folium map from the Leaflet files' URLs; called only when no session has yet.
    *variant
        Anything else the map depends on (a page's filters, a drawing tool).
    """
    assets = asset_urls()
    return cached_payload((name, version_key, basemap, tuple(sorted(assets.items())), *variant),
                          lambda: build(assets))


def review_base(data: Layers, basemap: Basemap, *, trace: bool = False) -> MapPayload:
    """The review pages' base map (faint zones and parks; with ``trace`` a line-drawing tool), shared."""
    return shared_map("review", data.version_key, basemap,
                      lambda assets: review_map(data.zones, data.parks, basemap, assets, trace=trace), trace)


def measurements(result: dict, basemap: Basemap) -> None:
    """Show the length/area of whatever the user drew with the measuring tool."""
    lines = measure_drawings(result.get("all_drawings"), basemap)
    if lines:
        st.info("测量结果（EPSG:4549 计算）：\n\n" + "\n\n".join(f"- {line}" for line in lines))


# The details panels moved to pages/panels.py (Markdown-escaped, no "None"/"nan"); kept importable from here.
from pages.panels import (  # noqa: E402,F401
    area_details,
    feature_details,
    linked_projects,
    project_details,
    road_details,
    text_or_dash,
)


def layers_version(data: Layers, *, with_imports: bool) -> str:
    """The layer version in words, as sheets and packs print it: 第 4 版, or 第 4 版，含导入的项目 for one
    that shows the imported projects."""
    return version_label(data.version_key, with_imports=with_imports)


def file_version(data: Layers, *, with_imports: bool) -> str:
    """The layer version as a file name says it: 第4版, or 第4版，含导入的项目 for a file that holds the
    imported projects (only the project layer and sheets with projects do)."""
    return layers_version(data, with_imports=with_imports).replace(" ", "")


def safe_file_name(text: str) -> str:
    """A file name without characters browsers or file systems refuse, at most 80 characters."""
    return "".join("_" if c in '\\/:*?"<>|' else c for c in text)[:80]
