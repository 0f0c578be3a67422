"""The shipped Streamlit config is part of the product: safety and serving cost depend on it."""

import ast
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


def bare_expressions(source: str) -> list[int]:
    """Lines of statements that Streamlit's "magic" would write to the page (not calls, not docstrings)."""
    out = []
    for node in ast.walk(ast.parse(source)):
        for field in ("body", "orelse", "finalbody"):
            body = getattr(node, field, None)
            if not isinstance(body, list):
                continue
            for i, stmt in enumerate(body):
                if not isinstance(stmt, ast.Expr) or isinstance(stmt.value, (ast.Call, ast.Await, ast.Yield)):
                    continue
                if i == 0 and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
                    continue  # a docstring
                out.append(stmt.lineno)
    return out


def test_pages_are_not_compiled_with_magic_and_need_none():
    # Magic rewrote every page's syntax tree on each compile: most of a returning visitor's view (py-spy).
    assert CONFIG["runner"]["magicEnabled"] is False
    assert bare_expressions('"""doc"""\nx = 1\nx\nst.write(x)\nif x:\n    [x]\n') == [3, 6]
    root = Path(__file__).resolve().parents[1]
    for script in [root / "app.py", *sorted((root / "pages").glob("*.py"))]:
        assert bare_expressions(script.read_text(encoding="utf-8")) == [], f"{script.name} relies on magic"


def test_the_server_in_app_py_has_the_front_end_and_the_chinese_failure_notice():
    """``streamlit run app.py`` serves the ``st.App`` assigned to ``app`` there (Streamlit finds it by
    reading the file); it must carry layers/frontend.py and pages/failure.py, which tests/test_frontend.py
    and tests/test_browser.py exercise on servers of their own."""
    tree = ast.parse((Path(__file__).resolve().parents[1] / "app.py").read_text(encoding="utf-8"))
    calls = [node.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
             and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["app"] and isinstance(node.value, ast.Call)]
    assert len(calls) == 1 and ast.unparse(calls[0].func) == "st.App"
    keywords = {k.arg: ast.unparse(k.value) for k in calls[0].keywords}
    assert keywords["on_script_error"] == "show_script_error"
    assert keywords["middleware"] == "[Middleware(FrontEnd)]"
