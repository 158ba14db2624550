"""The app with workspaces and links a planner did not make with it (issue 22): a saved workspace
edited by hand, links with unknown or huge values, names in two Unicode forms, saving twice."""

from __future__ import annotations

import json
import sqlite3

import pytest
from browser import ROOT
from streamlit.testing.v1 import AppTest

from layers.layout import as_scenario, plan_layout
from workspace.store import WorkspaceStore

pytestmark = pytest.mark.slow  # each test draws app pages (AppTest)

APP = str(ROOT / "app.py")
CORRIDORS = 6


def _app(params: dict | None = None, page: str = "map") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    return at.switch_page(f"app_pages/{page}.py").run() if page != "map" else at


def _view(at: AppTest):
    return at.session_state["_view"]


def _warnings(at: AppTest) -> str:
    return "\n".join(w.value for w in at.warning).replace("\\", "")  # markdown escapes


def _saved_then_edited(tmp_path, edit, name: str = "编辑过的") -> WorkspaceStore:
    """A store in ``tmp_path`` holding workspace ``name`` (a scenario, corridors ring and taihu
    shown), whose manifest was then edited by hand with ``edit``."""
    store = WorkspaceStore(tmp_path / "workspaces.sqlite")
    manifest = {
        "format": "suzhou-atlas-workspace",
        "version": 1,
        "layout": as_scenario(plan_layout(), "手改情景"),
        "view": {"corridors": "ring,taihu"},
    }
    store.save(name, manifest, {})
    with sqlite3.connect(store.path) as db:
        [(text,)] = db.execute("SELECT manifest FROM revisions").fetchall()
        db.execute("UPDATE revisions SET manifest = ?", (json.dumps(edit(json.loads(text)), ensure_ascii=False),))
    return store


@pytest.mark.parametrize("view", ["corridors=ring", ["ring", "taihu"], {"corridors": 5}])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_saved_workspace_whose_view_was_edited_into_another_type_opens_and_says_so(tmp_path, monkeypatch, view, lang):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    _saved_then_edited(tmp_path, lambda m: {**m, "view": view})
    at = _app({"lang": lang}, page="workspaces")
    at.selectbox(key="ws_selected").set_value("编辑过的").run()
    at.button(key="ws_open").click().run()
    assert not at.exception and not at.error
    assert at.session_state["_workspace"].scenario == "手改情景"
    assert len(_view(at).corridors) == CORRIDORS  # the bad view is dropped: every corridor shown
    assert ("视图" if lang == "zh" else "view") in _warnings(at)


@pytest.mark.parametrize("points", ["a.csv", {"name": "a.csv", "options": {}}, {"name": "a.csv", "file": 5}])
def test_a_saved_workspace_with_an_entry_of_the_wrong_shape_opens_the_rest_and_says_so(tmp_path, monkeypatch, points):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    _saved_then_edited(tmp_path, lambda m: {**m, "points": points})
    at = _app(page="workspaces")
    at.selectbox(key="ws_selected").set_value("编辑过的").run()
    at.button(key="ws_open").click().run()
    assert not at.exception and not at.error
    assert at.session_state["_workspace"].scenario == "手改情景" and _view(at).corridors == ["ring", "taihu"]
    assert "点位表" in _warnings(at)


def test_a_link_to_a_saved_workspace_edited_by_hand_opens_it_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    _saved_then_edited(tmp_path, lambda m: {**m, "view": "x", "points": {"name": "a.csv", "options": {}}})
    at = _app({"workspace": "编辑过的", "lang": "en"})
    assert not at.exception and at.session_state["_workspace"].scenario == "手改情景"
    assert "a.csv" in _warnings(at)


def test_a_saved_workspace_whose_manifest_is_not_json_is_an_error_on_the_page_never_a_crash(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    store = _saved_then_edited(tmp_path, lambda m: m)
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE revisions SET manifest = '{not json'")
    at = _app(page="workspaces")
    at.selectbox(key="ws_selected").set_value("编辑过的").run()
    at.button(key="ws_open").click().run()
    assert not at.exception and any("清单不是 JSON 对象" in e.value for e in at.error)
    assert not any("意外" in e.value or "unexpected" in e.value for e in at.error)


@pytest.mark.parametrize("params", [{"corridors": "nowhere"}, {"corridors": "a,b,c", "cats": "nothing"}])
def test_a_link_whose_list_values_are_all_unknown_shows_everything_and_says_so(params):
    at = _app(params)
    assert len(_view(at).corridors) == CORRIDORS and len(_view(at).cats) > 1
    assert len(at.warning) == len(params) and all("已忽略" in w.value for w in at.warning)


@pytest.mark.parametrize(("lang", "length"), [("zh", "共 200000 个字符"), ("en", "200000 characters")])
def test_a_huge_link_value_is_shown_cut_with_its_length(lang, length):
    at = _app({"lang": lang, "corridors": "x" * 200_000, "workspace": "y" * 200_000})
    texts = [w.value for w in at.warning]
    assert len(texts) == 2 and all(len(text) < 300 and length in text for text in texts)
    assert len(_view(at).corridors) == CORRIDORS


def test_a_huge_scenario_name_in_an_edited_workspace_is_shown_cut(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    _saved_then_edited(tmp_path, lambda m: {**m, "layout": {**m["layout"], "name": "情" * 200_000}})
    at = _app({"workspace": "编辑过的"})
    assert not at.exception and at.session_state["_workspace"].scenario == "情" * 200_000
    assert at.warning and all(len(w.value) < 400 for w in at.warning)
    assert any("共 200000 个字符" in w.value for w in at.warning)


def test_a_store_holding_two_forms_of_one_name_says_so_on_the_workspaces_page(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    store = _saved_then_edited(tmp_path, lambda m: m, name="甲")
    store.save("乙", {"format": "suzhou-atlas-workspace", "version": 1, "layout": None, "view": {}}, {})
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE workspaces SET name = 'caf\u00e9' WHERE name = '甲'")
        db.execute("UPDATE workspaces SET name = 'cafe\u0301' WHERE name = '乙'")
    for lang, words in (("zh", "仅 Unicode 编码形式不同"), ("en", "differ only in their Unicode form")):
        at = _app({"lang": lang}, page="workspaces")
        assert not at.exception and any(words in w for w in _warnings(at).split("\n"))
        assert sorted(at.selectbox(key="ws_selected").options) == sorted(["caf\u00e9", "cafe\u0301"])
        at.selectbox(key="ws_selected").set_value("cafe\u0301").run()
        at.button(key="ws_open").click().run()
        assert at.session_state["_workspace"].scenario is None  # 乙's, not 甲's scenario


def _submit(at: AppTest, label: str) -> AppTest:
    [button] = [b for b in at.button if b.label == label]
    return button.click().run()


def _add_member(at: AppTest, corridor: str, adcode: str, role: str, label: str = "加入 / 修改") -> AppTest:
    at.selectbox(key="sc_corridor").set_value(corridor).run()
    suffix = f"{corridor}_{at.session_state['_workspace'].atlas_token}_{_view(at).lang}"
    at.selectbox(key=f"sc_unit_{suffix}").set_value(adcode).run()
    at.text_input(key=f"sc_role_zh_{suffix}_{adcode}").input(role)
    return _submit(at, label)


def test_saving_again_with_nothing_changed_makes_no_second_revision(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    at = _app(page="workspaces")
    at.text_input(key="ws_save_name").input("一次保存")
    at = _submit(at, "保存")  # as pressing Enter in the name box does (it submits the form)
    assert any("第 1 版" in s.value for s in at.success)
    at = _submit(at, "保存")  # then the button, for the same intent
    assert not at.success and any("没有改动" in i.value for i in at.info)
    assert WorkspaceStore(tmp_path / "workspaces.sqlite").latest_revision("一次保存") == 1
    at = at.switch_page("app_pages/scenario.py").run()
    at = _add_member(at, "yangtze", "320506", "改了")
    at = at.switch_page("app_pages/workspaces.py").run()
    at = _submit(at, "保存")  # something changed: a new revision
    assert any("第 2 版" in s.value for s in at.success)


@pytest.mark.parametrize(
    ("lang", "button", "name"), [("zh", "加入 / 修改", "未命名情景"), ("en", "Add / change", "Untitled scenario")]
)
def test_the_default_scenario_name_is_in_the_language_of_the_ui(lang, button, name):
    at = _app({"lang": lang}, page="scenario")
    at = _add_member(at, "yangtze", "320506", "试验", label=button)
    assert at.session_state["_workspace"].scenario == name


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_values_of_a_saved_view_the_app_no_longer_knows_are_reported_when_it_opens(tmp_path, monkeypatch, lang):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    _saved_then_edited(tmp_path, lambda m: {**m, "view": {"corridors": "ring,gone", "basemap": "x" * 500}})
    at = _app({"lang": lang}, page="workspaces")
    at.selectbox(key="ws_selected").set_value("编辑过的").run()
    at.button(key="ws_open").click().run()
    assert not at.exception and _view(at).corridors == ["ring"]
    warnings = _warnings(at)
    assert "gone" in warnings and "x" * 60 + "…" in warnings and "x" * 61 not in warnings
    assert ("已忽略" if lang == "zh" else "ignored") in warnings
