"""A workspace file or a stored workspace edited by hand (issue 22, items 1 and 2): every field of
the manifest and of its view is checked once, at the edge; every problem is reported at once, in
both languages; a stored workspace with a bad part opens the rest."""

from __future__ import annotations

import hashlib
import json

import pytest

from layers.layout import as_scenario, plan_layout
from workspace.saved import checked_view, restore_workspace
from workspace.store import BaseStore, StoreError, check_manifest, pack, unpack

SITES = "名称,经度,纬度\n甲,120.606389,31.330556\n".encode()
DIGEST = hashlib.sha256(SITES).hexdigest()


def _manifest(**fields) -> dict:
    manifest = {"format": "suzhou-atlas-workspace", "version": 1, "layout": None, "view": {}}
    return {**manifest, **fields}


def _points(**fields) -> dict:
    return {"name": "sites.csv", "file": DIGEST, "options": {"lon": "经度", "lat": "纬度", "crs": "wgs84"}, **fields}


def _refused(manifest: dict, files: dict | None = None) -> StoreError:
    with pytest.raises(StoreError) as info:
        check_manifest(manifest, {DIGEST: SITES} if files is None else files)
    return info.value


@pytest.mark.parametrize("view", ["corridors=ring", ["ring"], 7, {"corridors": 7}, {"corridors": ["ring", 3]}])
def test_a_view_that_is_not_an_object_of_texts_is_refused_on_import(view):
    error = _refused(_manifest(view=view))
    assert "view" in str(error) and "视图" in error.message("zh")
    with pytest.raises(StoreError, match="view"):
        unpack(pack(_manifest(view=view), {}))


def test_a_view_of_texts_and_lists_of_texts_is_accepted():
    check_manifest(_manifest(view={"corridors": "ring,taihu", "cats": ["lab"], "unit": "320571"}), {})


@pytest.mark.parametrize(
    "entry",
    [
        {"name": "sites.csv", "options": {}},  # no file
        {"name": "sites.csv", "file": ["x"], "options": {}},
        {"name": "sites.csv", "file": 7, "options": {}},
        {"name": "sites.csv", "file": {"a": 1}, "options": {}},
        "sites.csv",
        ["sites.csv"],
    ],
)
def test_an_entry_without_a_file_or_with_one_of_another_type_is_a_store_error(entry):
    error = _refused(_manifest(points=entry))
    assert "points" in str(error) and "points" in error.message("zh")
    with pytest.raises(StoreError, match="points"):
        unpack(pack(_manifest(points=entry), {DIGEST: SITES}))


def test_every_problem_of_a_manifest_is_reported_at_once():
    manifest = _manifest(
        view="x",
        layout=[1],
        borders={"name": 7, "file": [], "options": "x"},
        boundary={**_points(), "show": "yes", "label_column": 3},
        points=_points(options={"lon": 1, "swapped": "x"}),
        saved=5,
    )
    error = _refused(manifest)
    text = str(error)
    for part in ("view", "layout", "borders", "name", "file", "options", "show", "label_column", "lon", "swapped"):
        assert part in text, part
    assert text.count("\n") >= 9 and error.message("zh").count("\n") == text.count("\n")


def test_a_manifest_of_another_type_is_refused_not_a_crash():
    for manifest in ([], "x", None, 7):
        assert "not a Suzhou Atlas workspace" in str(_refused(manifest))


def _stored(store: BaseStore, sql, edit) -> BaseStore:
    """``store`` (each backend: tests/store_backends.py) holding workspace 甲 (a scenario and a
    point table) whose manifest was then edited by hand."""
    manifest = _manifest(layout=as_scenario(plan_layout(), "情景甲"), points=_points(), view={"corridors": "ring"})
    store.save("甲", manifest, {DIGEST: SITES})
    [(text,)] = sql("SELECT manifest FROM revisions")
    sql("UPDATE revisions SET manifest = ?", (json.dumps(edit(json.loads(text)), ensure_ascii=False),))
    return store


@pytest.mark.parametrize("view", ["corridors=ring", ["ring"], 7, {"corridors": 7}, {"cats": ["lab", None]}])
def test_a_stored_view_of_the_wrong_type_is_reported_and_the_rest_opens(atlas, store, sql, view):
    store = _stored(store, sql, lambda m: {**m, "view": view})
    manifest, files, _ = store.load("甲")
    params, problems = checked_view(manifest)
    assert isinstance(params, dict) and all(isinstance(v, (str, list)) for v in params.values())
    assert len(problems) == 1 and "view" in str(problems[0]) and "视图" in problems[0].message("zh")
    back, part_problems = restore_workspace(manifest, files, atlas)
    assert back.scenario == "情景甲" and back.points is not None and not part_problems


def test_only_the_bad_values_of_a_stored_view_are_dropped():
    params, problems = checked_view(_manifest(view={"corridors": "ring", "cats": 7, "unit": ["320571"]}))
    assert params == {"corridors": "ring", "unit": ["320571"]} and len(problems) == 1 and "cats" in str(problems[0])


@pytest.mark.parametrize(
    "points", ["sites.csv", ["sites.csv"], {"name": "sites.csv", "options": {}}, _points(file=["x"]), _points(name=7)]
)
def test_a_stored_entry_of_the_wrong_shape_is_reported_and_the_rest_opens(atlas, store, sql, points):
    store = _stored(store, sql, lambda m: {**m, "points": points})
    manifest, files, _ = store.load("甲")
    back, problems = restore_workspace(manifest, files, atlas)
    assert back.scenario == "情景甲" and back.points is None
    assert len(problems) == 1 and "point table" in str(problems[0]) and "点位表" in problems[0].message("zh")
    store.delete("甲")  # a bad revision does not stop a delete either
    assert store.names() == []


@pytest.mark.parametrize("layout", [["ring"], "plan", 7])
def test_a_stored_layout_of_the_wrong_type_is_reported_and_the_rest_opens(atlas, store, sql, layout):
    store = _stored(store, sql, lambda m: {**m, "layout": layout})
    manifest, files, _ = store.load("甲")
    back, problems = restore_workspace(manifest, files, atlas)
    assert back.scenario is None and back.points is not None
    assert len(problems) == 1 and "scenario" in str(problems[0]) and "情景" in problems[0].message("zh")


@pytest.mark.parametrize("text", ["not json", "[1, 2]", '"x"'])
def test_a_stored_manifest_that_is_not_an_object_is_a_store_error_and_the_list_still_shows(store, sql, text):
    store = _stored(store, sql, lambda m: m)
    sql("UPDATE revisions SET manifest = ?", (text,))
    [info] = store.workspaces()
    assert info.name == "甲"
    with pytest.raises(StoreError, match="甲") as error:
        store.load("甲")
    assert "甲" in error.value.message("zh")
    store.delete("甲")
