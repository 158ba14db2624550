"""Fixtures (a pytest plugin of tests/conftest.py) that run the workspace store's shared promises
on both backends: the SQLite file (always) and PostgreSQL (slow: a new database of the throw-away
cluster, tests/postgis_cluster.py). A test that takes ``store`` runs once on each."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import psycopg
import pytest

from workspace.store import BaseStore, WorkspaceStore
from workspace.store_pg import SCHEMA, PostgresWorkspaceStore

RunSql = Callable[..., list[tuple]]


@dataclass(frozen=True)
class Backend:
    store: BaseStore
    sql: RunSql  # one statement (``?`` placeholders) on the store's own database, as another program would run it


def sqlite_runner(path) -> RunSql:
    def run(statement: str, params: Sequence[object] = ()) -> list[tuple]:
        db = sqlite3.connect(path)
        try:
            with db:
                return db.execute(statement, tuple(params)).fetchall()
        finally:
            db.close()

    return run


def pg_runner(url: str) -> RunSql:
    def run(statement: str, params: Sequence[object] = ()) -> list[tuple]:
        with psycopg.connect(url, autocommit=True) as db:
            db.execute(f"SET search_path TO {SCHEMA}")
            cursor = db.execute(statement.replace("?", "%s"), tuple(params))
            return cursor.fetchall() if cursor.description is not None else []

    return run


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def backend(request, tmp_path) -> Backend:
    if request.param == "sqlite":
        path = tmp_path / "ws.sqlite"
        return Backend(WorkspaceStore(path), sqlite_runner(path))
    url = request.getfixturevalue("pg_url")
    return Backend(PostgresWorkspaceStore(url, timeout_s=60), pg_runner(url))


@pytest.fixture()
def store(backend) -> BaseStore:
    """A new, empty store of each backend."""
    return backend.store


@pytest.fixture()
def sql(backend) -> RunSql:
    """Run one statement on ``store``'s database directly: to plant what an older app or a hand
    edit left there, and to look at what was stored."""
    return backend.sql
