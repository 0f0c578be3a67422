"""The shipped Streamlit config is part of the product: safety and serving cost depend on it."""

import tomllib
from pathlib import Path

CONFIG = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_users_never_see_tracebacks_and_tables_leave_only_through_safe_downloads():
    assert CONFIG["client"]["showErrorDetails"] == "none"
    assert CONFIG["client"]["disableDataExport"] is True


def test_the_embedded_default_serves_only_this_computer():
    assert CONFIG["server"]["address"] == "localhost"


def test_serving_does_no_per_view_full_collection_and_no_file_watching():
    # Both measured with py-spy: together most of the server's CPU per view of 总览.
    assert CONFIG["runner"]["postScriptGC"] is False
    assert CONFIG["server"]["fileWatcherType"] == "none"
