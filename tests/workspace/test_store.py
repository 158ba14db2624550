"""Workspaces that persist (issue 14, part 3): the store, its file format, concurrent writers,
stores that are not ours, schema upgrades, and a workspace saved and reopened whole.

A test taking the ``store`` fixture (tests/store_backends.py) is a promise of both backends
and runs on each: the SQLite file and PostgreSQL (slow). What only one backend has (a file's
damage, a backup copy; a schema's marker, several servers) is tested on its own, here and in
test_store_pg.py."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from concurrent.futures import ProcessPoolExecutor
from io import BytesIO

import numpy as np
import pytest
import shapely

from atlas_core.settings import read_settings
from layers.layout import as_scenario, plan_layout, with_member
from userdata.boundaries import replace_units
from workspace.saved import restore_workspace, workspace_record
from workspace.session import ImportedBoundary, SourceFile, classify_points, new_workspace, read_boundary
from workspace.store import (
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_VERSION,
    StoreError,
    WorkspaceStore,
    pack,
    unpack,
)
from workspace.stores import open_store

SITES = "名称,经度,纬度\n甲,120.606389,31.330556\n乙,120.5,31.2\n丙,120.738400,31.272900\n".encode()


def _manifest(**parts) -> tuple[dict, dict]:
    files = {}
    manifest = {"format": "suzhou-atlas-workspace", "version": 1, "layout": None, "view": {}}
    for key, data in parts.items():
        digest = hashlib.sha256(data).hexdigest()
        files[digest] = data
        manifest[key] = {"name": f"{key}.csv", "file": digest, "options": {}}
    return manifest, files


def test_save_list_load_rename_delete(store, sql):
    manifest, files = _manifest(points=SITES)
    first = store.save("早上的工作", manifest, files, session="a")
    second = store.save("早上的工作", manifest, files, based_on=first.revision, session="a")
    assert (first.revision, second.revision, second.others) == (1, 2, ())
    [info] = store.workspaces()
    assert (info.name, info.revisions, info.latest, info.contents) == ("早上的工作", 2, 2, ("points",))
    loaded, loaded_files, revision = store.load("早上的工作")
    assert revision == 2 and loaded_files == files and loaded["points"] == manifest["points"]
    assert sql("SELECT count(*) FROM files") == [(1,)]  # the file is kept once, whatever the number of revisions
    assert store.rename("早上的工作", "  下午  的工作 ") == "下午 的工作"
    with pytest.raises(StoreError):
        store.load("早上的工作")
    store.save("另一个", *_manifest())
    with pytest.raises(StoreError, match="exists already"):
        store.rename("另一个", "下午 的工作")
    store.delete("下午 的工作")
    assert store.names() == ["另一个"]
    assert sql("SELECT count(*) FROM files") == [(0,)]  # its file went with it
    with pytest.raises(StoreError):
        store.save("   ", *_manifest())


def _save_many(args) -> list[int]:
    path, name, session, count = args
    store = WorkspaceStore(path)
    revisions = []
    for i in range(count):
        manifest, files = _manifest(points=f"{session},{i}\n".encode())
        revisions.append(store.save(name, manifest, files, session=session).revision)
    return revisions


@pytest.mark.slow
def test_sessions_saving_at_the_same_time_lose_nothing(tmp_path):
    path = tmp_path / "ws.sqlite"
    WorkspaceStore(path)
    jobs = [(path, "共享" if i % 2 else f"自己的{i}", f"s{i}", 15) for i in range(6)]
    with ProcessPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(_save_many, jobs))
    store = WorkspaceStore(path)
    shared = sorted(r for job, revs in zip(jobs, results, strict=True) if job[1] == "共享" for r in revs)
    assert shared == list(range(1, 46))  # 3 sessions x 15 saves, every one a revision of its own
    counts = {info.name: info.revisions for info in store.workspaces()}
    assert counts == {"共享": 45, "自己的0": 15, "自己的2": 15, "自己的4": 15}
    for revision in range(1, 46):  # and every revision still has its own file
        _manifest_saved, files, _ = store.load("共享", revision)
        assert len(files) == 1


def test_a_save_after_another_session_saved_says_so(store):
    mine = store.save("共享", *_manifest(points=b"a"), session="me")
    store.save("共享", *_manifest(points=b"b"), session="colleague")
    again = store.save("共享", *_manifest(points=b"c"), based_on=mine.revision, session="me")
    assert again.others == (2,) and again.revision == 3
    assert store.load("共享", 2)[1] == {hashlib.sha256(b"b").hexdigest(): b"b"}  # theirs is kept


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"name,lon,lat\n" * 500, id="a CSV"),
        pytest.param(b"SQLite format 3\x00" + bytes(range(256)) * 20, id="a damaged header"),
    ],
)
def test_a_file_that_is_not_a_store_is_refused_and_left_alone(tmp_path, content):
    path = tmp_path / "ws.sqlite"
    path.write_bytes(content)
    with pytest.raises(StoreError) as caught:
        WorkspaceStore(path)
    assert str(path) in str(caught.value) and "ATLAS_DATA_DIR" in str(caught.value)
    assert "ATLAS_DATA_DIR" in caught.value.message("zh")
    assert path.read_bytes() == content


def test_another_programs_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "ws.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE customers (name TEXT)")
        db.execute("INSERT INTO customers VALUES ('x')")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="another program"):
        WorkspaceStore(path)
    assert path.read_bytes() == before


def test_a_damaged_store_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "ws.sqlite"
    store = WorkspaceStore(path)
    for i in range(40):
        store.save(f"w{i}", *_manifest(points=bytes(np.random.default_rng(i).integers(0, 255, 3000, dtype=np.uint8))))
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 3 : page * 3 + 200] = b"\xff" * 200  # a b-tree page overwritten
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError):
        WorkspaceStore(path).workspaces()
    assert path.read_bytes() == bytes(data)


def test_an_older_store_is_upgraded_with_a_backup_and_keeps_its_workspaces(tmp_path):
    path = tmp_path / "ws.sqlite"
    with sqlite3.connect(path) as db:  # a store as the first schema made it
        for statement in MIGRATIONS[1]:
            db.execute(statement)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute("PRAGMA user_version = 1")
        manifest, files = _manifest(points=SITES)
        [(digest, data)] = files.items()
        db.execute("INSERT INTO workspaces (id, name, created) VALUES (1, '旧的', '2026-01-01T00:00:00+00:00')")
        db.execute("INSERT INTO revisions VALUES (1, 1, '2026-01-01T00:00:00+00:00', ?)", (json.dumps(manifest),))
        db.execute("INSERT INTO files VALUES (?, ?)", (digest, data))
    old = path.read_bytes()
    store = WorkspaceStore(path)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert "session" in [row[1] for row in db.execute("PRAGMA table_info(revisions)")]
    assert store.load("旧的")[1] == files
    assert store.save("旧的", manifest, files, based_on=1, session="x").revision == 2
    assert (tmp_path / "ws.sqlite.schema1.bak").read_bytes() == old


def test_a_store_from_a_newer_app_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "ws.sqlite"
    WorkspaceStore(path)
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer version"):
        WorkspaceStore(path)
    assert path.read_bytes() == before


def test_a_workspace_file_round_trips_and_is_checked(store):
    store.save("甲", *_manifest(points=SITES))
    data = store.export_file("甲")
    assert store.import_file(data).name == "甲 (2)"  # a name taken already is not overwritten
    assert store.load("甲 (2)")[1] == store.load("甲")[1]
    manifest, files = unpack(data)
    [digest] = files
    tampered = pack(manifest, {digest: SITES + b"x"})
    with pytest.raises(StoreError, match="missing or damaged"):
        unpack(tampered)
    with pytest.raises(StoreError, match="not a readable ZIP"):
        unpack(b"PK\x03\x04 not really")
    foreign = BytesIO()
    with zipfile.ZipFile(foreign, "w") as archive:
        archive.writestr("workspace.json", json.dumps({"format": "something-else"}))
    with pytest.raises(StoreError, match="not a Suzhou Atlas workspace"):
        unpack(foreign.getvalue())
    assert store.names() == ["甲 (2)", "甲"] or sorted(store.names()) == ["甲", "甲 (2)"]


@pytest.fixture()
def bureau_borders(atlas, tmp_path) -> SourceFile:
    moved = atlas.units[["adcode", "name_zh", "geometry"]].copy()
    moved["geometry"] = shapely.transform(moved.geometry.values, lambda xy: xy + np.array([0.02, 0.0]))
    path = tmp_path / "bureau.geojson"
    moved.to_file(path, driver="GeoJSON")
    return SourceFile("bureau.geojson", path.read_bytes(), {"layer": None, "crs": None, "datum": "wgs84"})


@pytest.mark.slow
def test_a_whole_workspace_is_saved_and_reopened_as_it_was(atlas, bureau_borders, store):
    ws = new_workspace(atlas)
    frame, report = read_boundary(bureau_borders, atlas.units)
    ws.replace_borders(replace_units(atlas, frame, report), name="bureau.geojson", source=bureau_borders)
    ws.set_boundary(ImportedBoundary("bureau.geojson", frame, "name_zh", True, bureau_borders))
    scenario = as_scenario(with_member(plan_layout(), "yangtze", {"adcode": "320506", "role_zh": "试验"}), "试验情景")
    ws.set_layout(scenario)
    options = {"encoding": None, "sheet": None, "lon": "经度", "lat": "纬度", "name": "名称", "crs": "wgs84"}
    ws.set_points(classify_points(SourceFile("sites.csv", SITES, {**options, "swapped": []}), ws.atlas))
    store.save("全部", *workspace_record(ws, view={"corridors": "yangtze"}))
    manifest, files, _ = store.load("全部")
    back, problems = restore_workspace(manifest, files, atlas)
    assert problems == []
    assert back.borders == "bureau.geojson" and back.scenario == "试验情景" and back.layout == ws.layout
    assert back.atlas.units.geometry.geom_equals_exact(ws.atlas.units.geometry, 1e-12).all()
    assert back.points.table.equals(ws.points.table)
    assert "yangtze" in back.points.table.loc[back.points.table["名称"] == "乙", "atlas_corridors"].iloc[0]  # 吴中区
    assert back.boundary.label_column == "name_zh" and len(back.boundary.frame) == len(ws.boundary.frame)
    assert manifest["view"] == {"corridors": "yangtze"}


def test_a_part_that_cannot_be_read_again_is_reported_and_the_rest_opens(atlas, tmp_path):
    ws = new_workspace(atlas)
    ws.set_layout(as_scenario(plan_layout(), "只有情景"))
    options = {"lon": "经度", "lat": "纬度", "name": None, "crs": "wgs84"}
    ws.set_points(classify_points(SourceFile("sites.csv", SITES, options), ws.atlas))
    manifest, files = workspace_record(ws)
    manifest["points"]["options"]["lon"] = "不存在的列"
    back, problems = restore_workspace(manifest, files, atlas)
    assert back.scenario == "只有情景" and back.points is None
    assert len(problems) == 1 and "sites.csv" in str(problems[0]) and "点位表" in problems[0].message("zh")


@pytest.mark.slow
def test_a_workspace_file_with_nonsense_choices_opens_what_it_can(atlas, tmp_path):
    ws = new_workspace(atlas)
    ws.set_layout(as_scenario(plan_layout(), "情景"))
    options = {"lon": "经度", "lat": "纬度", "crs": "wgs84"}
    ws.set_points(classify_points(SourceFile("sites.csv", SITES, options), ws.atlas))
    manifest, files = workspace_record(ws)
    edits = ({"encoding": "no-such-codec"}, {"encoding": 7}, {"swapped": "x"}, {"swapped": [99999]}, {"name": ["a"]})
    for nonsense in edits:
        edited = {**manifest, "points": {**manifest["points"], "options": {**options, **nonsense}}}
        back, problems = restore_workspace(edited, files, atlas)  # an edited or hostile file: no crash
        assert back.scenario == "情景" and back.points is None and len(problems) == 1, nonsense
        assert "sites.csv" in problems[0].message("en") and "点位表" in problems[0].message("zh")


def test_a_manifest_is_read_without_its_files(store):
    manifest, files = _manifest(points=SITES)
    store.save("甲", manifest, files)
    store.save("甲", *_manifest(points=b"x"))
    first, revision = store.manifest("甲", 1)
    assert revision == 1 and first == store.load("甲", 1)[0] and first["points"] == manifest["points"]
    assert store.manifest("甲")[1] == 2
    with pytest.raises(StoreError):
        store.manifest("乙")


def test_a_store_path_that_cannot_be_made_or_opened_is_a_store_error_naming_the_data_dir(tmp_path):
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(StoreError, match="ATLAS_DATA_DIR") as info:
        WorkspaceStore(tmp_path / "a-file" / "workspaces.sqlite")
    assert "ATLAS_DATA_DIR" in info.value.message("zh")
    (tmp_path / "dir.sqlite").mkdir()
    with pytest.raises(StoreError, match="ATLAS_DATA_DIR"):
        WorkspaceStore(tmp_path / "dir.sqlite")


def test_a_workspace_saved_with_a_version_1_layout_still_opens(atlas, store):
    """A scenario saved before sources were cited by id (its points with a free-text ``source`` and
    ``source_kind``) opens: the texts are kept as coord_detail, and the spines are drawn as before."""
    old = as_scenario(with_member(plan_layout(), "yangtze", {"adcode": "320506", "role_zh": "试验"}), "旧情景")
    old["version"] = 1
    for corridor in old["corridors"]:
        for point in (corridor["spine"] or {}).get("waypoints", []):
            if "ref" not in point:
                point["source"], point["source_kind"] = point.pop("coord_detail"), "encyclopedia"
                point.pop("source_id", None)
    for anchor in old["anchors"]:
        anchor["source"] = anchor.pop("coord_detail")
        anchor.pop("source_id", None)
    store.save("旧的", {"format": "suzhou-atlas-workspace", "version": 1, "layout": old, "view": {}}, {})
    manifest, files, _ = store.load("旧的")
    back, problems = restore_workspace(manifest, files, atlas)
    assert problems == [] and back.scenario == "旧情景" and back.layout["version"] == 2
    ring = next(c for c in back.layout["corridors"] if c["id"] == "ring")["spine"]["waypoints"][0]
    assert ring["coord_detail"].endswith("(encyclopedia)") and "source" not in ring and "source_id" not in ring
    assert back.atlas.corridors["spine"].geom_equals_exact(atlas.corridors["spine"], 1e-9).all()


def test_the_sqlite_file_in_the_data_dir_is_the_store_unless_a_store_url_is_set(tmp_path):
    store = open_store(read_settings({"ATLAS_DATA_DIR": str(tmp_path)}))
    assert isinstance(store, WorkspaceStore) and store.path == tmp_path / "workspaces.sqlite"
    assert store.where == str(tmp_path / "workspaces.sqlite")
