"""The audit log: filters, and a CSV export a spreadsheet cannot run as formulas (both backends)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from layers.store.audit import AuditFilter, actions, actors, entries, neutralise, record, to_csv
from layers.store.schema import utcnow


def fill(db):
    with db.begin() as conn:
        record(conn, "alice", "import", "=HYPERLINK(\"http://evil\",\"x\")", after={"count": 2})
        record(conn, "bob", "record_target", "target target-001", before=None, after={"value": -5.0},
               detail="+1 这是说明")
        record(conn, "alice", "sign_in", "user alice", detail="@SUM(A1:A9)")


def test_filters_by_actor_action_text_and_time(db):
    fill(db)
    assert list(entries(db, AuditFilter(actor="alice"))["action"]) == ["sign_in", "import"]
    assert list(entries(db, AuditFilter(action="record_target"))["actor"]) == ["bob"]
    assert list(entries(db, AuditFilter(text="说明"))["actor"]) == ["bob"]
    assert list(entries(db, AuditFilter(text="HYPERLINK"))["action"]) == ["import"]
    assert entries(db, AuditFilter(since=utcnow() + timedelta(minutes=1))).empty
    assert len(entries(db, AuditFilter(since=utcnow() - timedelta(minutes=1), until=utcnow() + timedelta(1)))) == 3
    assert actors(db) == ["alice", "bob"] and actions(db) == ["import", "record_target", "sign_in"]


def test_searched_text_is_matched_as_typed_not_as_wildcards(db):
    """"%" or "_" alone matched every entry, and "100%" matched "100.00%"."""
    fill(db)
    with db.begin() as conn:
        record(conn, "carol", "record_target", "target target-002", detail="完成率 100.00%")
        record(conn, "carol", "record_target", "target target-003", detail="完成率 100%，a_b\\c")
    assert list(entries(db, AuditFilter(text="100%"))["target"]) == ["target target-003"]
    assert list(entries(db, AuditFilter(text="a_b\\c"))["target"]) == ["target target-003"]
    assert list(entries(db, AuditFilter(text="_"))["target"]) == ["target target-003"]  # not all five
    assert entries(db, AuditFilter(text="%")).shape[0] == 2


def test_csv_export_neutralises_formula_cells(db):
    fill(db)
    rows = list(csv.reader(io.StringIO(to_csv(entries(db)).decode("utf-8-sig"))))
    assert rows[0] == ["时间（UTC）", "操作人", "操作", "对象", "修改前", "修改后", "说明"]
    by_action = {row[2]: row for row in rows[1:]}
    assert by_action["import"][3] == "'=HYPERLINK(\"http://evil\",\"x\")"
    assert by_action["record_target"][6] == "'+1 这是说明"
    assert by_action["sign_in"][6] == "'@SUM(A1:A9)"
    assert by_action["record_target"][5] == '{"value": -5.0}'  # JSON starts with "{": left as it is
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_neutralise_leaves_plain_text_alone():
    assert [neutralise(v) for v in ("甲", "-3", "=1+1", None, float("nan"), "\tx")] == ["甲", "'-3", "'=1+1", "", "",
                                                                                       "'\tx"]


def test_every_action_the_app_records_has_a_chinese_name():
    """The log's 操作 filter and column showed approve, propose_draft, review_status … as stored."""
    import re
    from pathlib import Path

    from layers.store.audit import ACTION_LABELS

    root = Path(__file__).resolve().parents[1]
    recorded = set()
    for path in [*root.joinpath("layers").rglob("*.py"), *root.joinpath("pages").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        for call in re.findall(r"audit\.record\((.*?)\)", text, flags=re.S):
            recorded.update(re.findall(r'"([a-z_]+)"', call.split(",", 3)[2] if call.count(",") >= 2 else ""))
    assert {"approve", "propose", "sign_in", "import"} <= recorded  # the scan finds them
    assert recorded <= set(ACTION_LABELS), sorted(recorded - set(ACTION_LABELS))
