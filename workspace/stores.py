"""The workspace store the settings choose: the PostgreSQL schema ``ATLAS_STORE_URL`` names when it
is set (``workspace.store_pg``), else the SQLite file in the data directory (``workspace.store``)."""

from __future__ import annotations

from atlas_core import settings
from atlas_core.settings import Settings
from workspace.store import STORE_NAME, BaseStore, WorkspaceStore
from workspace.store_pg import PostgresWorkspaceStore


def open_store(chosen: Settings | None = None) -> BaseStore:
    """The store ``chosen`` (the settings in force when None) names, opened: checked, made when
    missing, upgraded if older; StoreError when it cannot be used."""
    chosen = chosen or settings.current()
    if chosen.store_url:
        return PostgresWorkspaceStore(chosen.store_url, timeout_s=chosen.db_timeout_s)
    return WorkspaceStore(chosen.data_dir / STORE_NAME)
