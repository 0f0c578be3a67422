"""Search over the plan's layers and imported projects (layers/search.py)."""

from __future__ import annotations

import dataclasses

import pytest

from layers.data import load_layers
from layers.project_table import all_projects
from layers.search import search
from layers.store.database import Store


@pytest.fixture
def with_imports(tmp_path):
    """The plan's layers with two imported projects joined in, as the app joins them."""
    store = Store(tmp_path / "search.sqlite3")
    store.add_projects([
        {"name": "导入的物流仓储项目", "category": "industry", "lon": 119.09, "lat": 36.70, "location_precision": "exact"},
        {"name": "站南配套导入项目", "category": "industry", "zone": "站南片区", "location_precision": "zone"},
    ], batch_id="b1", source_file="a.csv")
    data = load_layers()
    return dataclasses.replace(data, projects=all_projects(data.projects, store.projects()))


def test_search_after_an_import_finds_plan_features_and_imported_projects(with_imports):
    """Imported rows have no aliases (NaN after the join): searching used to raise TypeError."""
    assert with_imports.projects["aliases"].isna().any()  # the case that broke
    labels = [h.label for h in search(with_imports, "站南")]
    assert "站南片区（片区）" in labels and "站南配套导入项目（项目）" in labels
    assert [h.name for h in search(with_imports, "物流仓储")] == ["导入的物流仓储项目"]


def test_search_still_finds_aliases(with_imports):
    """A gazetteer alias (白浪河西岸 for 白浪河) still leads to its feature."""
    assert "白浪河" in [h.name for h in search(with_imports, "白浪河西岸")]
