"""The review pages under AppTest: each role sees and can do exactly what it may."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

import pages.common
from layers.review import proposals, status, versions
from layers.review.rebuild import Change
from layers.store.audit import entries
from layers.store.engine import get_engine, upgrade
from tests.conftest_store import sign_in_as

from tests.test_app import app, maps, navigation_mode, open_box, own_database, plain  # noqa: F401, E402  (autouse fixtures)
WRITE_BUTTONS = {"提交审核", "批准", "驳回", "恢复（生成新版本）", "保存状态", "发表"}
SWAP = Change("feature", area_id="zone-02", side="west", feature="西环路")


@pytest.fixture(autouse=True)
def fresh_layers(own_database):
    """Each test starts from version 0 of the layers, not a version an earlier test approved."""
    pages.common._load.clear()



@pytest.fixture
def engine(own_database):
    eng = get_engine(str(own_database))
    upgrade(eng)
    return eng


def page(path: str) -> AppTest:
    """The app switched to the page at ``path``."""
    return app(page=path)


def _args(at: AppTest) -> str:
    """The zones map's generated script and feature groups, as readable text."""
    return json.dumps(maps(at)[0], ensure_ascii=False)


def buttons(at: AppTest) -> set[str]:
    return {b.label for b in at.button}


@pytest.mark.parametrize("path", ["pages/review.py", "pages/versions.py", "pages/zones.py"])
def test_signed_out_visitors_see_no_writing_widget(engine, path):
    proposals.submit(engine, SWAP, actor="zhang", role="editor", reason="测试")
    at = page(path)
    assert not buttons(at) & WRITE_BUTTONS
    assert not [t for t in at.text_area if t.key in ("proposal_reason", "restore_note")]
    assert not [t for t in at.text_area if (t.key or "").startswith("comment-")]
    assert any("登录" in i.value for i in at.info)


def test_editor_previews_the_effect_and_submits_but_cannot_approve(engine, own_database):
    at = sign_in_as(page("pages/review.py"), own_database, "editor")
    at.selectbox(key="proposal_area").set_value("zone-02").run()
    at.radio(key="proposal_kind").set_value("feature").run()
    at.selectbox(key="proposal_side").set_value("west").run()
    at.selectbox(key="proposal_feature").set_value("西环路").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    row = table[table["对象"] == "鲁台片区"].iloc[0]
    assert row["面积变化（公顷）"] == pytest.approx(457.6, abs=0.5)
    assert row["面积变化（亩）"] == pytest.approx(457.6 * 15, abs=8)
    assert any("利昌片区" in e.value and "重叠" in e.value for e in at.error)
    # the map shows the new outline over the old one
    groups = maps(at)[-1]
    assert "修改前" in json.dumps(groups, ensure_ascii=False) and "修改后" in json.dumps(groups, ensure_ascii=False)
    at.button(key="submit_proposal").click().run()  # failing check, no reason
    assert any("理由" in e.value for e in at.error) and proposals.listing(engine) == []
    at.text_area(key="proposal_reason").input("两片区合并").run()
    at.button(key="submit_proposal").click().run()
    assert any("提案 #1 等待审核" in s.value for s in at.success)
    assert [p.status for p in proposals.listing(engine)] == ["pending"]
    assert not buttons(at) & {"批准", "驳回"}


def test_second_editor_on_the_same_edge_is_told_who_and_keeps_a_draft(engine, own_database):
    proposals.submit(engine, SWAP, actor="zhang", role="editor", reason="测试")
    at = sign_in_as(page("pages/review.py"), own_database, "editor", username="wang")
    at.selectbox(key="proposal_area").set_value("zone-02").run()
    at.radio(key="proposal_kind").set_value("feature").run()
    at.selectbox(key="proposal_side").set_value("west").run()
    at.selectbox(key="proposal_feature").set_value("殷大路").run()
    at.text_area(key="proposal_reason").input("另一方案").run()
    at.button(key="submit_proposal").click().run()
    assert any("zhang" in w.value and "草稿" in w.value for w in at.warning)
    assert "按最新版本重新提交" in buttons(at)


def test_approver_approves_and_the_new_version_is_shown_by_default(engine, own_database):
    pid = proposals.submit(engine, SWAP, actor="zhang", role="editor", reason="测试").id
    at = sign_in_as(page("pages/review.py"), own_database, "approver")
    assert {"批准", "驳回"} <= buttons(at)
    assert any("重叠" in e.value and "提交时" in e.value for e in at.error)  # the approver sees the failure
    at.button(key=f"reject-{pid}").click().run()
    assert any("驳回理由" in e.value for e in at.error) and proposals.get(engine, pid).status == "pending"
    at.button(key=f"approve-{pid}").click().run()
    assert any("生成第 1 版" in s.value for s in at.success)
    assert versions.latest(engine) == 1
    log = entries(engine)
    assert log["action"].iloc[0] == "approve" and log["actor"].iloc[0] == "test-approver"
    at.switch_page("pages/zones.py").run()
    table = at.dataframe[0].value
    assert table[table["片区"] == "鲁台片区"]["西至"].iloc[0] == "西环路"  # latest version by default


def test_an_approver_whose_proposal_was_decided_meanwhile_is_told_who_decided(engine, own_database):
    """admin1 clicked 驳回 on #2, which approver1 had approved a moment before: nothing happened, and the
    page only said "没有待审核的提案"."""
    pid = proposals.submit(engine, SWAP, actor="zhang", role="editor", reason="测试").id
    at = sign_in_as(page("pages/review.py"), own_database, "approver")
    assert f"reject-{pid}" in [b.key for b in at.button]
    proposals.approve(engine, pid, actor="li", role="approver")  # another approver, another server
    at.text_input(key=f"decision-{pid}").input("不同意")
    at.button(key=f"reject-{pid}").click().run()
    assert any(f"提案 #{pid} 已由 li" in w.value and "）批准：" in w.value and "“驳回”未执行" in w.value
               for w in at.warning), [w.value for w in at.warning]


def test_versions_page_compares_restores_and_exports(engine, own_database):
    pid = proposals.submit(engine, SWAP, actor="zhang", role="editor", reason="测试").id
    proposals.approve(engine, pid, actor="li", role="approver")
    at = page("pages/versions.py")
    assert list(at.dataframe[0].value["版本"]) == [1, 0]
    compare = at.dataframe[1].value
    assert list(compare["对象"]) == ["鲁台片区"] and compare["边界变化"][0] == "西：长松路 → 西环路"
    assert "恢复（生成新版本）" not in buttons(at)
    overlay = _args(at)
    assert "第 0 版" in overlay and "第 1 版" in overlay  # both outlines on one map
    at.radio(key="cmp_mode").set_value("并排").run()
    shown = [json.dumps(m, ensure_ascii=False) for m in maps(at)]
    assert len(shown) == 2 and "第 0 版" in shown[0] and "第 1 版" in shown[1] and "第 1 版" not in shown[0]
    at = sign_in_as(at, own_database, "approver")
    at.text_input(key="restore_note").input("撤回合并").run()
    at.button(key="restore_button").click().run()
    assert any("第 0 版恢复为新的第 2 版" in s.value for s in at.success)
    assert versions.files_of(engine, 2) == versions.files_of(engine, 0)
    assert at.get("download_button")


def test_editor_cannot_restore_and_marks_status_with_comments(engine, own_database):
    at = sign_in_as(page("pages/versions.py"), own_database, "editor")
    assert "恢复（生成新版本）" not in buttons(at)
    at.switch_page("pages/zones.py").run()
    at.selectbox(key="status_object").set_value(("edge", "zone-01:west")).run()
    at.selectbox(key="status-edge-zone-01:west").set_value("有异议").run()
    at.button(key="save-status-edge-zone-01:west").click().run()
    at.text_area(key="comment-edge-zone-01:west").input("[链接](http://x) 清平路偏西")  # a form: sent with 发表
    at.button(key="post-edge-zone-01:west").click().run()
    assert any("评论已发表" in s.value for s in at.success)
    assert at.text_area(key="comment-edge-zone-01:west").value == ""  # emptied once saved
    assert not at.exception, at.exception
    assert any("有异议" in m.value for m in at.markdown)
    assert at.dataframe[-1].value["内容"].iloc[0] == "[链接](http://x) 清平路偏西"  # shown as text, not a link
    status.set_status(engine, "zone", "zone-01", "有异议", actor="li", role="approver")
    status.set_status(engine, "zone", "zone-02", "已核实", actor="li", role="approver")
    before = _args(at)
    assert "站南片区：有异议" not in before
    at.toggle(key="status_colours").set_value(True).run()
    args = _args(at)
    assert "站南片区：有异议" in args and "鲁台片区：已核实" in args and "于河片区：待核实" in args
    assert "#c0392b" in args and "#27ae60" in args


def test_switching_to_an_earlier_version_or_a_pending_proposal(engine):
    pid = proposals.submit(engine, SWAP, actor="zhang", role="editor", reason="测试").id
    at = page("pages/zones.py")
    assert [e.label for e in at.expander if e.label.startswith("图层版本")] == ["图层版本：最新已批准版本（第 0 版）"]
    open_box(at, "version_box_open")
    choice = at.selectbox(key="layer_version")
    assert f"p{pid}-v0" in choice.options or any(f"#{pid}" in o for o in choice.options)
    at.selectbox(key="layer_version").set_value(f"p{pid}-v0").run()
    table = at.dataframe[0].value
    assert table[table["片区"] == "鲁台片区"]["西至"].iloc[0] == "西环路"
    assert f"图层版本：待审核提案 #{pid}（预览）" in [plain(e.label) for e in at.expander]  # the label says it
    at.session_state["version_box_open"] = False  # closing the box keeps the choice
    at.run()
    assert at.dataframe[0].value.query("片区 == '鲁台片区'")["西至"].iloc[0] == "西环路"
    open_box(at, "version_box_open")
    at.selectbox(key="layer_version").set_value("v0").run()
    table = at.dataframe[0].value
    assert table[table["片区"] == "鲁台片区"]["西至"].iloc[0] == "长松路"


def test_a_previewed_proposal_that_was_decided_meanwhile_is_announced(engine):
    pid = proposals.submit(engine, SWAP, actor="zhang", role="editor", reason="测试").id
    at = page("pages/zones.py")
    open_box(at, "version_box_open")
    at.selectbox(key="layer_version").set_value(f"p{pid}-v0").run()
    proposals.reject(engine, pid, actor="li", role="approver", reason="西环路不对")
    at.run()  # the next click of this user, after the approver's decision
    assert [plain(w.value) for w in at.sidebar.warning] == [
        f"待审核提案 #{pid}（预览）已不能预览（提案已审核或已撤回），现显示最新已批准版本（第 0 版）。"]
    assert at.dataframe[0].value.query("片区 == '鲁台片区'")["西至"].iloc[0] == "长松路"
    at.run()
    assert not at.sidebar.warning  # said once


def _road_dxf(crs: str = "EPSG:4549", dx: float = 150.0) -> bytes:
    """清平路 moved ``dx`` metres east, as a planning institute's DXF drawing in ``crs``."""
    import io

    import ezdxf
    from pyproj import Transformer
    from shapely.geometry import shape

    from layers.review.rebuild import base_files, features_of

    road = next(shape(f["geometry"]) for f in features_of(base_files(), "gazetteer.geojson")
                if f["properties"]["name"] == "清平路")
    t = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    doc = ezdxf.new()
    doc.layers.add("道路中线")
    doc.modelspace().add_lwpolyline([(x + dx, y) for x, y in (t.transform(*c) for c in road.coords)],
                                    dxfattribs={"layer": "道路中线"})
    out = io.StringIO()
    doc.write(out)
    return out.getvalue().encode()


def test_editor_uploads_a_dxf_line_and_a_wrong_crs_or_broken_file_gets_a_chinese_message(engine, own_database):
    at = sign_in_as(page("pages/review.py"), own_database, "editor")
    at.radio(key="proposal_kind").set_value("line").run()
    at.radio(key="line_source").set_value("上传文件").run()
    assert at.selectbox(key="line_crs").value == "EPSG:4549"
    at.file_uploader(key="line_upload").set_value(("清平路.dxf", _road_dxf(), "application/dxf")).run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert set(table["对象"]) == {"站南片区", "宝通片区", "仓南片区"}
    assert all(abs(v - 150) < 2 for v in table["最大位移（米）"])
    at.text_area(key="proposal_reason").input("设计院 CAD 中线").run()
    at.button(key="submit_proposal").click().run()
    p = proposals.listing(engine)[0]
    assert p.change.kind == "line" and "EPSG:4549" in p.change.how and "DXF" in p.change.how
    at.selectbox(key="line_crs").set_value("EPSG:4546").run()
    assert any("坐标系可能选错" in e.value for e in at.error), [e.value for e in at.error] + [w.value for w in at.warning]
    at.file_uploader(key="line_upload").set_value(("坏.dxf", b"0\nSECTION\nnot a drawing", "application/dxf")).run()
    assert not at.exception, at.exception
    assert any("DXF" in e.value and "坏" in e.value for e in at.error)  # the file is named (escaped)


def test_the_author_withdraws_a_pending_proposal_after_confirming_and_others_see_no_withdraw_button(
        engine, own_database):
    pid = proposals.submit(engine, SWAP, actor="zhang", role="editor", reason="测试").id
    other = sign_in_as(page("pages/review.py"), own_database, "editor", "wang")
    assert f"withdraw-{pid}" not in [b.key for b in other.button]
    at = sign_in_as(page("pages/review.py"), own_database, "editor", "zhang")
    at.button(key=f"withdraw-{pid}").click().run()
    assert proposals.get(engine, pid).status == "pending"  # one click only asks
    assert any(f"确定撤回提案 #{pid}" in w.value for w in at.warning)
    at.button(key=f"withdraw-no-{pid}").click().run()
    assert f"withdraw-yes-{pid}" not in [b.key for b in at.button]
    at.button(key=f"withdraw-{pid}").click().run()
    at.button(key=f"withdraw-yes-{pid}").click().run()
    assert proposals.get(engine, pid).status == "withdrawn"
    assert any(f"已撤回提案 #{pid}" in s.value for s in at.success)
    assert any("没有待审核的提案" in i.value for i in at.info)
    assert entries(engine)["action"].iloc[0] == "withdraw"


def test_a_comment_that_cannot_be_saved_stays_in_its_box(engine, own_database, monkeypatch):
    """The box emptied itself on 发表 even when the database refused the comment: the words were lost."""
    import pages.zones  # noqa: F401  (the page imports add_comment by name)
    from layers.store.engine import StoreError

    at = sign_in_as(page("pages/zones.py"), own_database, "editor")
    at.selectbox(key="status_object").set_value(("zone", "zone-01")).run()

    def locked(*_args, **_kwargs):
        raise StoreError("数据库正被其他程序占用，本次操作没有保存。")

    monkeypatch.setattr(status, "add_comment", locked)
    at.text_area(key="comment-zone-zone-01").input("西侧应为清平路，请核实")
    at.button(key="post-zone-zone-01").click().run()
    assert any("没有保存" in e.value for e in at.error)
    assert at.text_area(key="comment-zone-zone-01").value == "西侧应为清平路，请核实"


def test_a_withdrawal_overtaken_by_an_approval_says_so(engine, own_database):
    """ed1 confirmed 撤回 after ap1 had approved the proposal: the page only said "没有待审核的提案"."""
    pid = proposals.submit(engine, SWAP, actor="zhang", role="editor", reason="测试").id
    at = sign_in_as(page("pages/review.py"), own_database, "editor", "zhang")
    at.button(key=f"withdraw-{pid}").click().run()
    proposals.approve(engine, pid, actor="li", role="approver")  # another approver, another server
    at.button(key=f"withdraw-yes-{pid}").click().run()
    assert any(f"提案 #{pid} 已由 li" in w.value and "“撤回”未执行" in w.value for w in at.warning), \
        [w.value for w in at.warning]
    assert not any("确定撤回" in w.value for w in at.warning)
    assert proposals.get(engine, pid).status == "approved"


def test_the_authors_drafts_are_listed_before_any_change_is_entered(engine, own_database):
    """"我的草稿" (and its 撤回) showed only while a complete, buildable change was entered."""
    proposals.submit(engine, SWAP, actor="li", role="editor", reason="测试")
    draft = proposals.submit(engine, SWAP, actor="zhang", role="editor", reason="测试")
    assert draft.status == "draft"
    at = sign_in_as(page("pages/review.py"), own_database, "editor", "zhang")
    assert any("我的草稿" in m.value for m in at.markdown)
    at.button(key=f"withdraw-{draft.id}").click().run()
    at.button(key=f"withdraw-yes-{draft.id}").click().run()
    assert any(f"已撤回提案 #{draft.id}" in s.value for s in at.success)
    assert proposals.get(engine, draft.id).status == "withdrawn"
