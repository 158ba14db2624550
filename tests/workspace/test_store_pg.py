"""The workspace store in PostgreSQL (issue 27, part 3): what only it has. Its shared promises
(save, list, load, rename, delete, names, the exported file, hand-edited manifests) run on both
backends through the ``store`` fixture (tests/store_backends.py); here: several servers
saving at once, a schema that is not ours or is newer, an older one upgraded, the role's rights,
and no password anywhere. Every test has a new database of the throw-away cluster (``pg_url``)."""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import psycopg
import pytest

from atlas_core.settings import read_settings
from workspace.store import MIGRATIONS, SCHEMA_VERSION, StoreError
from workspace.store_pg import APPLICATION, PG_MIGRATIONS, SCHEMA, PostgresWorkspaceStore
from workspace.stores import open_store

pytestmark = pytest.mark.slow  # each test has a PostgreSQL database of its own

MANIFEST = {"format": "suzhou-atlas-workspace", "version": 1, "layout": None, "view": {}}


def _with_points(data: bytes) -> tuple[dict, dict[str, bytes]]:
    digest = hashlib.sha256(data).hexdigest()
    return {**MANIFEST, "points": {"name": "sites.csv", "file": digest, "options": {}}}, {digest: data}


def _admin(url: str) -> psycopg.Connection:
    return psycopg.connect(url, autocommit=True)


def _contents(url: str) -> dict[str, list]:
    """Every relation in the store's schema, with the rows of each table: to show it untouched."""
    with _admin(url) as db:
        relations = db.execute(
            "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s ORDER BY 1",
            (SCHEMA,),
        ).fetchall()
        out: dict[str, list] = {"": relations}
        for name, kind in relations:
            if kind == "r":
                out[name] = sorted(map(repr, db.execute(f'SELECT * FROM {SCHEMA}."{name}"').fetchall()))
    return out


# ---------------------------------------------------------------- several servers at once


SERVERS, WORKERS, SAVES = 2, 4, 8


def _worker(store: PostgresWorkspaceStore, session: str) -> list[tuple[int, tuple[int, ...], int | None]]:
    """One planner's session saving SAVES revisions of the shared workspace, each based on its last."""
    done: list[tuple[int, tuple[int, ...], int | None]] = []
    based_on = None
    for i in range(SAVES):
        result = store.save("共享", *_with_points(f"{session},{i}\n".encode()), based_on=based_on, session=session)
        done.append((result.revision, result.others, based_on))
        based_on = result.revision
    return done


def _server(url: str, server: int) -> dict[str, list]:
    """An app server (a process of its own): opens the store as the app does, then serves WORKERS
    sessions at once (threads sharing that one store object, as Streamlit's do)."""
    store = open_store(read_settings({"ATLAS_STORE_URL": url, "ATLAS_DB_TIMEOUT_S": "60"}))
    assert isinstance(store, PostgresWorkspaceStore)
    sessions = [f"server{server}-session{w}" for w in range(WORKERS)]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return dict(zip(sessions, pool.map(lambda s: _worker(store, s), sessions), strict=True))


def test_several_servers_saving_one_workspace_at_once_lose_nothing(pg_url):
    # The database is new: the servers' first opens race to make the schema, too.
    with ProcessPoolExecutor(max_workers=SERVERS) as pool:
        results = [job.result() for job in [pool.submit(_server, pg_url, s) for s in range(SERVERS)]]
    saves = {session: done for result in results for session, done in result.items()}
    total = SERVERS * WORKERS * SAVES
    revisions = sorted(revision for done in saves.values() for revision, _, _ in done)
    assert revisions == list(range(1, total + 1))  # every save a revision of its own, none skipped
    for done in saves.values():
        for revision, others, based_on in done:
            # told of exactly the revisions the other sessions saved since its own last one
            assert others == tuple(range((based_on or 0) + 1, revision)), (revision, others, based_on)
    store = PostgresWorkspaceStore(pg_url)
    [info] = store.workspaces()
    assert (info.name, info.revisions, info.latest) == ("共享", total, total)
    by_revision = {revision: session for session, done in saves.items() for revision, _, _ in done}
    for revision in (1, total // 2, total):  # each revision holds its own session's file
        _manifest, files, _ = store.load("共享", revision)
        assert [data.decode().split(",")[0] for data in files.values()] == [by_revision[revision]]
    with _admin(pg_url) as db:
        assert db.execute(f"SELECT count(*) FROM {SCHEMA}.files").fetchone() == (total,)


# ---------------------------------------------------------------- a schema that is not ours


PLANTED = {
    "another program's tables": [
        f"CREATE SCHEMA {SCHEMA}",
        f"CREATE TABLE {SCHEMA}.customers (name TEXT)",
        f"INSERT INTO {SCHEMA}.customers VALUES ('x')",
    ],
    "another application's marker": [
        f"CREATE SCHEMA {SCHEMA}",
        f"CREATE TABLE {SCHEMA}.meta (application TEXT, schema_version INTEGER)",
        f"INSERT INTO {SCHEMA}.meta VALUES ('someone-elses-app', 1)",
        f"CREATE TABLE {SCHEMA}.workspaces (id INTEGER, name TEXT)",
    ],
    "a meta table of another shape": [
        f"CREATE SCHEMA {SCHEMA}",
        f"CREATE TABLE {SCHEMA}.meta (key TEXT, value TEXT)",
        f"INSERT INTO {SCHEMA}.meta VALUES ('application', '{APPLICATION}')",
    ],
    "our marker with tables missing": [
        f"CREATE SCHEMA {SCHEMA}",
        f"CREATE TABLE {SCHEMA}.meta (application TEXT, schema_version INTEGER)",
        f"INSERT INTO {SCHEMA}.meta VALUES ('{APPLICATION}', {SCHEMA_VERSION})",
    ],
}


@pytest.mark.parametrize("planted", PLANTED.values(), ids=PLANTED.keys())
def test_a_schema_that_is_not_ours_is_refused_and_left_alone(pg_url, postgis, planted):
    with _admin(pg_url) as db:
        for statement in planted:
            db.execute(statement)
    before = _contents(pg_url)
    with pytest.raises(StoreError, match="is not a workspace store of this app") as caught:
        PostgresWorkspaceStore(pg_url)
    assert _contents(pg_url) == before
    for lang in ("en", "zh"):
        text = caught.value.message(lang)
        assert SCHEMA in text and "ATLAS_STORE_URL" in text and f"127.0.0.1:{postgis.port}/" in text
        assert postgis.password not in text


def test_the_rest_of_the_database_is_neither_refused_nor_touched(pg_url):
    with _admin(pg_url) as db:  # the bureau's own tables, in its own schema
        db.execute("CREATE TABLE public.parcels (id INTEGER, owner TEXT)")
        db.execute("INSERT INTO public.parcels VALUES (1, '甲')")
    store = PostgresWorkspaceStore(pg_url)
    store.save("甲", *_with_points(b"x"))
    with _admin(pg_url) as db:
        assert db.execute("SELECT * FROM public.parcels").fetchall() == [(1, "甲")]
        tables = db.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY 1", (SCHEMA,)).fetchall()
    assert [t for (t,) in tables] == ["files", "meta", "revisions", "workspaces"]


# ---------------------------------------------------------------- versions


def test_a_store_from_a_newer_app_is_refused_and_left_alone(pg_url):
    PostgresWorkspaceStore(pg_url).save("甲", *_with_points(b"x"))
    with _admin(pg_url) as db:
        db.execute(f"UPDATE {SCHEMA}.meta SET schema_version = %s", (SCHEMA_VERSION + 1,))
    before = _contents(pg_url)
    with pytest.raises(StoreError, match="newer version") as caught:
        PostgresWorkspaceStore(pg_url)
    assert "更新版本" in caught.value.message("zh") and f"schema {SCHEMA_VERSION + 1}" in str(caught.value)
    assert _contents(pg_url) == before


def _plant_version_1(url: str) -> dict[str, bytes]:
    """A store as the first schema made it, holding workspace 旧的 (one revision, no session)."""
    manifest, files = _with_points(b"name,lon,lat\n")
    [(digest, data)] = files.items()
    with _admin(url) as db:
        db.execute(f"CREATE SCHEMA {SCHEMA}")
        db.execute(f"SET search_path TO {SCHEMA}")
        for statement in PG_MIGRATIONS[1]:
            db.execute(statement)
        db.execute("INSERT INTO meta (application, schema_version) VALUES (%s, 1)", (APPLICATION,))
        db.execute("INSERT INTO workspaces (id, name, created) VALUES (1, '旧的', '2026-01-01T00:00:00+00:00')")
        db.execute(
            "INSERT INTO revisions VALUES (1, 1, '2026-01-01T00:00:00+00:00', %s)",
            (json.dumps(manifest | {"name": "旧的"}),),
        )
        db.execute("INSERT INTO files VALUES (%s, %s)", (digest, data))
    return files


def _columns(url: str, table: str) -> list[str]:
    with _admin(url) as db:
        rows = db.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s"
            " ORDER BY ordinal_position",
            (SCHEMA, table),
        ).fetchall()
    return [name for (name,) in rows]


def test_an_older_store_is_upgraded_in_place_and_keeps_its_workspaces(pg_url):
    files = _plant_version_1(pg_url)
    store = PostgresWorkspaceStore(pg_url)
    with _admin(pg_url) as db:
        assert db.execute(f"SELECT application, schema_version FROM {SCHEMA}.meta").fetchall() == [
            (APPLICATION, SCHEMA_VERSION)
        ]
    assert "session" in _columns(pg_url, "revisions")
    assert store.load("旧的")[1] == files
    again = store.save("旧的", *_with_points(b"name,lon,lat\n"), based_on=1, session="x")
    assert (again.revision, again.others) == (2, ())
    store.save("旧的", *_with_points(b"y"), session="colleague")
    assert store.save("旧的", *_with_points(b"z"), based_on=2, session="x").others == (3,)


def test_an_upgrade_that_fails_changes_nothing(pg_url, monkeypatch):
    _plant_version_1(pg_url)
    before = _contents(pg_url)
    broken = (*PG_MIGRATIONS[2], "SELECT 1 / 0")  # a step that fails after its first statement
    monkeypatch.setitem(PG_MIGRATIONS, 2, broken)
    with pytest.raises(StoreError, match="division by zero"):
        PostgresWorkspaceStore(pg_url)
    assert _contents(pg_url) == before and "session" not in _columns(pg_url, "revisions")


def test_both_backends_have_the_same_schema_versions():
    assert set(PG_MIGRATIONS) == set(MIGRATIONS) and max(PG_MIGRATIONS) == SCHEMA_VERSION


# ---------------------------------------------------------------- roles, passwords


def test_a_schema_an_administrator_made_for_the_role_is_used(postgis, pg_url):
    database = pg_url.rsplit("/", 1)[1]
    with _admin(postgis.admin(database)) as db:
        db.execute("CREATE ROLE ws_app LOGIN PASSWORD 'App-Secret-1'")
        db.execute(f"REVOKE CREATE ON DATABASE {database} FROM PUBLIC")
        db.execute(f"CREATE SCHEMA {SCHEMA} AUTHORIZATION ws_app")
    store = PostgresWorkspaceStore(postgis.url("ws_app", database, password="App-Secret-1"))
    assert store.save("甲", *_with_points(b"x")).revision == 1


def test_a_role_that_may_not_make_the_schema_is_told_what_to_ask_for(postgis, pg_url):
    database = pg_url.rsplit("/", 1)[1]
    with _admin(postgis.admin(database)) as db:
        db.execute("CREATE ROLE ws_reader LOGIN PASSWORD 'Reader-Secret-1'")
    with pytest.raises(StoreError, match=f"CREATE SCHEMA {SCHEMA} AUTHORIZATION") as caught:
        PostgresWorkspaceStore(postgis.url("ws_reader", database, password="Reader-Secret-1"))
    text = str(caught.value) + caught.value.message("zh")
    assert "ws_reader@127.0.0.1" in text and "Reader-Secret-1" not in text
    assert _contents(pg_url) == {"": []}


def test_a_refused_password_is_a_store_error_that_never_shows_it(postgis, pg_url):
    wrong = pg_url.replace(postgis.password, "Wr0ng-Secret-9")
    with pytest.raises(StoreError) as caught:
        PostgresWorkspaceStore(wrong)
    for lang in ("en", "zh"):
        text = caught.value.message(lang)
        assert "ATLAS_STORE_URL" in text and f"atlas_admin@127.0.0.1:{postgis.port}/" in text
        assert "Wr0ng-Secret-9" not in text and postgis.password not in text
    assert "password was refused" in str(caught.value) and "密码被拒绝" in caught.value.message("zh")


def test_where_the_store_is_is_shown_without_the_password(postgis, pg_url):
    store = open_store(read_settings({"ATLAS_STORE_URL": pg_url}))
    assert isinstance(store, PostgresWorkspaceStore)
    database = pg_url.rsplit("/", 1)[1]
    assert store.where == f"atlas_admin@127.0.0.1:{postgis.port}/{database}"
    assert postgis.password not in repr(store) + store.where
