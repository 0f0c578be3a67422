"""Data every session shares, held once per server process.

The plan's layers of one version and the imported projects are the same
for every visitor: they are kept once (``st.cache_resource``) and must
never be modified by a page. Imported projects are re-read at most every
:data:`IMPORTS_TTL_S` seconds (another server may write to the same
database) and at once after this server writes (:func:`imports_changed`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable

import pandas as pd
import streamlit as st

from layers.data import Layers
from layers.project_table import all_projects
from layers.review.versions import files_of

IMPORTS_TTL_S = 30


@st.cache_resource(ttl=IMPORTS_TTL_S, max_entries=8, show_spinner=False)
def _imported(db_key: str, _read: Callable[[], pd.DataFrame | None]) -> tuple[str, pd.DataFrame | None]:
    rows = _read()
    if rows is None or not len(rows):
        return "none", None
    digest = hashlib.sha1(pd.util.hash_pandas_object(rows.astype(str), index=False).to_numpy().tobytes())
    return digest.hexdigest()[:16], rows


@st.cache_resource(max_entries=8, show_spinner=False)
def _combined(version_key: str, imports_key: str, _data: Layers, _rows: pd.DataFrame | None) -> Layers:
    projects = all_projects(_data.projects, _rows)
    return dataclasses.replace(_data, projects=projects, version_key=f"{version_key}+{imports_key}")


def with_imports(data: Layers, read: Callable[[], pd.DataFrame | None]) -> Layers:
    """The layers with the imported projects added to the projects layer (one shared copy).

    Its ``version_key`` names both the layer version and the imports, so map
    caches keyed on it are rebuilt when either changes.
    """
    key, rows = _imported(os.environ.get("WEICHENG_MAP_DB", ""), read)
    return _combined(data.version_key, key, data, rows)


def imports_changed() -> None:
    """Forget the cached imported projects (after this server imported or deleted some)."""
    _imported.clear()


@st.cache_data(max_entries=8, show_spinner="正在读取版本…")
def _stored_version(database: str, number: int, _engine) -> dict[str, str]:
    # A stored version never changes: the database and the number identify it.
    return files_of(_engine, number)


def version_files(engine, number: int) -> dict[str, str]:
    """The files of layer version ``number`` in the database behind ``engine``, read once per server."""
    return _stored_version(engine.url.render_as_string(hide_password=True), number, engine)
