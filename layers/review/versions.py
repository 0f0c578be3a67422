"""Numbered layer versions: 0 is ``geodata/``, every approval or restore adds the next number.

Nothing is ever overwritten: a version's files are stored once, in one row,
inside the same transaction as the proposal's decision and the audit entry,
so an interrupted approval leaves the previous version as the latest.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
from sqlalchemy import Connection, Engine, func, insert, select, text
from sqlalchemy.exc import IntegrityError

from layers.escape import md_text
from layers.data import BASE_VERSION_KEY, DataError, Layers, load_layers, load_version
from layers.paths import GEODATA
from layers.review.rebuild import VERSION_FILES, base_files
from layers.store import audit
from layers.store.engine import translated_errors
from layers.store.schema import layer_versions, proposals, utcnow
from layers.store.users import ROLE_LABELS, ROLE_RANK

_VERSION_RE = re.compile(r"v(\d+)")
_PREVIEW_RE = re.compile(r"p(\d+)-v(\d+)")
#: PostgreSQL advisory lock serialising review writes (SQLite: BEGIN IMMEDIATE does it).
_PG_LOCK = 874_502


class ReviewError(ValueError):
    """A review action that cannot be done; the message (Chinese) says why and what to do."""


def require(role: str | None, needed: str, action: str) -> None:
    """Refuse an action to a user whose role is below ``needed``.

    Raises
    ------
    ReviewError
        Naming the action and the role it needs.
    """
    if ROLE_RANK.get(role or "", 0) < ROLE_RANK[needed]:
        raise ReviewError(f"{action}需要“{ROLE_LABELS[needed]}”或更高权限，请用相应账号登录")


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """One write transaction: the write lock is taken first, then committed or rolled back as a whole."""
    url = engine.url.render_as_string(hide_password=False)
    with translated_errors(url), engine.connect() as conn:
        conn.execution_options(write=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
            yield conn


@dataclass
class Version:
    """One layer version's record (files not loaded)."""

    number: int
    created_at: datetime | None
    created_by: str
    proposal_id: int | None
    restored_from: int | None
    note: str


def latest_number(conn: Connection) -> int:
    """The newest version number (0 when nothing was approved yet)."""
    return conn.execute(select(func.coalesce(func.max(layer_versions.c.number), 0))).scalar_one()


def latest(engine: Engine) -> int:
    """The newest version number, on its own connection."""
    with engine.connect() as conn:
        return latest_number(conn)


def files_of(engine: Engine, number: int, geodata: Path = GEODATA) -> dict[str, str]:
    """The files of version ``number`` (0: read from ``geodata/``).

    Raises
    ------
    ReviewError
        When there is no such version.
    """
    if number == 0:
        return base_files(geodata)
    with engine.connect() as conn:
        stored = conn.execute(select(layer_versions.c.files_json)
                              .where(layer_versions.c.number == number)).scalar_one_or_none()
    if stored is None:
        raise ReviewError(f"没有第 {number} 版")
    return json.loads(stored)


def history(engine: Engine) -> list[Version]:
    """Every version, newest first, version 0 last."""
    with engine.connect() as conn:
        rows = conn.execute(select(layer_versions.c.number, layer_versions.c.created_at,
                                   layer_versions.c.created_by, layer_versions.c.proposal_id,
                                   layer_versions.c.restored_from, layer_versions.c.note)
                            .order_by(layer_versions.c.number.desc())).all()
    out = [Version(*row) for row in rows]
    return out + [Version(0, None, "规划原文", None, None, "由规划文字生成的初始图层")]


def history_frame(engine: Engine) -> pd.DataFrame:
    """The version history for a table (Chinese headers, times in UTC)."""
    return pd.DataFrame([{
        "版本": v.number, "时间（UTC）": v.created_at.strftime("%Y-%m-%d %H:%M") if v.created_at else "—",
        "操作人": v.created_by, "提案": f"#{v.proposal_id}" if v.proposal_id else "—",
        "来源": f"恢复自第 {v.restored_from} 版" if v.restored_from is not None else ("批准提案" if v.proposal_id else "初始"),
        "说明": v.note} for v in history(engine)])


def add_version(conn: Connection, files: dict[str, str], *, actor: str, note: str,
                proposal_id: int | None = None, restored_from: int | None = None) -> int:
    """Store a new version inside the caller's transaction and return its number.

    Raises
    ------
    ReviewError
        When another write took the same number first (the caller retries).
    """
    missing = [name for name in VERSION_FILES if name not in files]
    if missing:
        raise ReviewError("新版本缺少文件：" + "、".join(missing))
    number = latest_number(conn) + 1
    try:
        with conn.begin_nested():
            conn.execute(insert(layer_versions).values(
                number=number, created_at=utcnow(), created_by=actor, proposal_id=proposal_id,
                restored_from=restored_from, note=note,
                files_json=json.dumps({k: files[k] for k in VERSION_FILES}, ensure_ascii=False)))
    except IntegrityError:
        raise ReviewError("另一位审核人刚刚生成了新版本，请刷新后重试") from None
    return number


def restore(engine: Engine, number: int, *, actor: str, role: str | None, note: str = "",
            geodata: Path = GEODATA) -> int:
    """Make version ``number`` current again by copying it into a new version; returns the new number.

    Raises
    ------
    ReviewError
        Without the approver role, or when the version does not exist, is the latest, or equals it.
    """
    require(role, "approver", "恢复旧版本")
    files = files_of(engine, number, geodata)
    newest = latest(engine)
    if number != newest and files == files_of(engine, newest, geodata):  # it would only add a copy
        raise ReviewError(f"第 {number} 版与当前第 {newest} 版内容完全相同，无需恢复")
    with write(engine) as conn:
        current = latest_number(conn)
        if number == current:
            raise ReviewError(f"第 {number} 版已经是当前版本，无需恢复")
        new = add_version(conn, files, actor=actor, restored_from=number,
                          note=f"恢复第 {number} 版" + (f"：{note.strip()}" if note.strip() else ""))
        audit.record(conn, actor, "restore", f"layers v{new}", before={"version": current},
                     after={"version": new, "restored_from": number}, detail=note.strip() or None)
    return new


def _changelog(engine: Engine, number: int) -> str:
    """The release's CHANGELOG.md; people's words (notes, reasons, names) are escaped, so a reason with a
    line break and "# …" or a link is shown as typed in any Markdown viewer, not as a heading or a live link."""
    with engine.connect() as conn:
        decided = {row.id: row for row in conn.execute(select(proposals)).all()}
    lines = [f"# 潍城区规划图层 第 {number} 版 变更记录", ""]
    for v in [v for v in history(engine) if v.number <= number]:
        when = v.created_at.strftime("%Y-%m-%d %H:%M UTC") if v.created_at else "—"
        lines.append(f"## 第 {v.number} 版 · {when} · {md_text(v.created_by)}")
        lines.append(md_text(v.note))
        p = decided.get(v.proposal_id)
        if p is not None:
            lines.append(f"- 提案 #{p.id}，提出人 {md_text(p.author)}，理由：{md_text(p.reason) or '—'}")
            lines.append(f"- 批准人 {md_text(p.decided_by)}（{p.decided_at:%Y-%m-%d %H:%M UTC}），"
                         f"意见：{md_text(p.decision_reason) or '—'}")
        if v.restored_from is not None:
            lines.append(f"- 由 {md_text(v.created_by)} 恢复自第 {v.restored_from} 版")
        lines.append("")
    return "\n".join(lines)


def _gpkg(files: dict[str, str], geodata: Path) -> bytes:
    layers = {name: files[f"{name}.geojson"] for name in ("zones", "parks", "edges", "gazetteer")}
    layers["district"] = (geodata / "district.geojson").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "layers.gpkg"
        for name, text_ in layers.items():
            frame = gpd.GeoDataFrame.from_features(json.loads(text_)["features"], crs="EPSG:4326")
            frame = frame[frame.geometry.notna()]
            for col in frame.columns:
                if col != "geometry" and frame[col].map(lambda v: isinstance(v, (dict, list))).any():
                    frame[col] = frame[col].map(lambda v: json.dumps(v, ensure_ascii=False)
                                                if isinstance(v, (dict, list)) else v)
            frame.to_file(path, layer=name, driver="GPKG")
        return path.read_bytes()


def release_stem(number: int, day: date) -> str:
    """The release's name without suffix, in the words of every other download: 潍城区规划图层-第3版-20261127."""
    return f"潍城区规划图层-第{number}版-{day:%Y%m%d}"


def release(engine: Engine, number: int, *, today: date | None = None, geodata: Path = GEODATA) -> tuple[str, bytes]:
    """A dated release of one version: GeoJSON, GeoPackage, the check report and a changelog, zipped.

    Returns
    -------
    tuple
        ``(file name, zip bytes)``; the name carries the version and the date.
    """
    files = files_of(engine, number, geodata)
    stem = release_stem(number, today or date.today())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in ("zones.geojson", "parks.geojson", "edges.geojson", "gazetteer.geojson"):
            zf.writestr(f"{stem}/{name}", files[name])
        zf.writestr(f"{stem}/district.geojson", (geodata / "district.geojson").read_text(encoding="utf-8"))
        zf.writestr(f"{stem}/{stem}.gpkg", _gpkg(files, geodata))
        zf.writestr(f"{stem}/report.txt", files["report.txt"])
        zf.writestr(f"{stem}/CHANGELOG.md", _changelog(engine, number))
    return f"{stem}.zip", buffer.getvalue()



def version_key(number: int) -> str:
    """The stable key of an approved version (``v3``)."""
    return f"v{number}"


def proposal_key(proposal_id: int, base: int) -> str:
    """The stable key of a proposal previewed on version ``base`` (``p12-v3``)."""
    return f"p{proposal_id}-v{base}"


def version_label(key: str, *, with_imports: bool = True) -> str:
    """How a layer version key reads on paper: ``v3`` → 第 3 版, ``p2-v3`` → 待审核提案 #2（基于第 3 版）.

    A key that also names imported projects (``v3+<digest>``; ``+none`` when
    there are none) says so, unless ``with_imports`` is False (a sheet or
    file without projects); a key of another form is shown as it is.
    """
    base, _, imports = key.partition("+")
    if re.fullmatch(r"v\d+", base):
        text = f"第 {base[1:]} 版"
    elif match := re.fullmatch(r"p(\d+)-v(\d+)", base):
        text = f"待审核提案 #{match.group(1)}（基于第 {match.group(2)} 版）"
    else:
        text = base
    return text + ("，含导入的项目" if with_imports and imports and imports != "none" else "")


def files_for(engine: Engine | None, key: str, geodata: Path = GEODATA) -> dict[str, str]:
    """The files a version key names: ``v0`` (geodata/), ``vN`` or a proposal preview ``pID-vN``.

    Raises
    ------
    DataError
        With a Chinese message when the key, the version or the proposal is unknown.
    """
    from layers.review.proposals import get
    from layers.review.rebuild import ChangeError, rebuild

    if key == BASE_VERSION_KEY:
        return base_files(geodata)
    approved, preview = _VERSION_RE.fullmatch(key or ""), _PREVIEW_RE.fullmatch(key or "")
    if engine is None or not (approved or preview):
        raise DataError(f"图层版本“{key}”无效或数据库不可用")
    try:
        if approved:
            return files_of(engine, int(approved[1]), geodata)
        proposal = get(engine, int(preview[1]))
        return rebuild(files_of(engine, int(preview[2]), geodata), proposal.change).files
    except (ReviewError, ChangeError) as exc:
        raise DataError(f"无法读取图层版本“{key}”：{exc}") from None


def layers_for(engine: Engine | None, key: str, geodata: Path = GEODATA) -> Layers:
    """The layers a version key names (see :func:`files_for`), as the app shows them.

    Raises
    ------
    DataError
        With a Chinese message when the key, the version or the proposal is unknown.
    """
    if key == BASE_VERSION_KEY:
        return load_layers(geodata)
    return load_version(files_for(engine, key, geodata), key, geodata)
