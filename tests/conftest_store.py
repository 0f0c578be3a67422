"""The ``db`` fixture: an upgraded, empty store database on every backend.

``sqlite`` always runs (a file in the test's temp folder). ``postgresql`` runs when
``WEICHENG_TEST_PG`` holds a URL (``postgresql://user:pw@127.0.0.1/dbname``, a
database with PostGIS installed; CI sets it): each test gets a schema of its own,
dropped afterwards, so parallel runs and other engineers' tests never meet.
"""

from __future__ import annotations

import os
import uuid
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from layers.store.engine import get_engine, upgrade

PG_ENV = "WEICHENG_TEST_PG"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A database URL or path, empty, for one test; ``request.param`` names the backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.sqlite3")
        get_engine(str(tmp_path / "store.sqlite3")).dispose()
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL backend: set {PG_ENV}=postgresql://… to run")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=sa.NullPool)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options={quote(f'-csearch_path={schema},public')}"
    try:
        yield url
    finally:
        get_engine(url).dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def db(db_url):
    """An upgraded (Alembic head) SQLAlchemy ``Engine`` on ``db_url``."""
    engine = get_engine(db_url)
    upgrade(engine)
    return engine


def sign_in_as(at, location, role: str = "editor", username: str | None = None):
    """Sign an AppTest session in as a new account with ``role`` on the database at ``location``, and rerun."""
    from layers.store.users import add_user, get_user

    engine = get_engine(str(location))
    upgrade(engine)
    username = username or f"test-{role}"
    if get_user(engine, username) is None:
        add_user(engine, username, role, password="a long test password", display_name=f"测试{role}")
    at.session_state["signed_in_user"] = username
    at.run()
    return at
