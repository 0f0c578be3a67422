"""Shared fixtures: the cleaned plan and one in-memory build, made once per run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from layers.build import PLAN_FILE, build  # noqa: E402
from layers.plan.text import read_plan  # noqa: E402


@pytest.fixture(scope="session")
def clean_plan():
    return read_plan(PLAN_FILE)


@pytest.fixture(scope="session")
def build_result():
    return build(log=lambda *_: None)


# The store database on every backend (sqlite always, postgresql with WEICHENG_TEST_PG): see conftest_store.py.
from tests.conftest_store import db, db_url  # noqa: E402,F401
