"""Every setting of the atlas, read from the environment and checked in this one place.

=========================  =====================================================  ==========================
Variable                   What it sets                                           Default
=========================  =====================================================  ==========================
``ATLAS_MAX_UPLOAD_MB``    the largest file a planner may upload, in whole MB,    50
                           from 1 to 2048; the app, Streamlit's upload box and
                           nginx (``make serve``) all take this one value
``ATLAS_DATA_DIR``         the folder of the workspace store                      the user's data directory
                           (``workspaces.sqlite``): a folder the app may write     (platformdirs)
                           in, made when missing
``TIANDITU_KEY``           the Tianditu basemap's key (8 to 64 letters and        unset (Streamlit secrets'
                           digits); without one, choosing Tianditu says how to    ``tianditu_key`` is read
                           get one and draws no basemap                           too)
=========================  =====================================================  ==========================

A bad value is never replaced by the default in silence: :func:`current` raises
:class:`~atlas_core.errors.SettingsError`, which names each variable, the value it had and
what it accepts. The app shows that message instead of its pages, the CLI and ``make serve``
print it and stop.

>>> read_settings({"ATLAS_MAX_UPLOAD_MB": "20", "ATLAS_DATA_DIR": "/tmp"}).max_upload_mb
20
>>> read_settings({"ATLAS_MAX_UPLOAD_MB": "nan", "ATLAS_DATA_DIR": "/tmp"})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
atlas_core.errors.SettingsError: ATLAS_MAX_UPLOAD_MB='nan' is not accepted: give a whole number ...
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs
from psycopg.conninfo import conninfo_to_dict

from atlas_core.errors import SettingsError

MAX_UPLOAD_MB_ENV = "ATLAS_MAX_UPLOAD_MB"
DATA_DIR_ENV = "ATLAS_DATA_DIR"
TIANDITU_KEY_ENV = "TIANDITU_KEY"
DB_ENV = "ATLAS_DB"
DB_TIMEOUT_ENV = "ATLAS_DB_TIMEOUT_S"
STORE_URL_ENV = "ATLAS_STORE_URL"
VARIABLES = (MAX_UPLOAD_MB_ENV, DATA_DIR_ENV, TIANDITU_KEY_ENV, DB_ENV, DB_TIMEOUT_ENV, STORE_URL_ENV)

DEFAULT_MAX_UPLOAD_MB = 50
MAX_UPLOAD_MB_RANGE = (1, 2048)  # Streamlit's upload limit is a whole number of MB
APP_NAME = "suzhou-atlas"  # the folder name under the user's data directory
TIANDITU_KEY_PATTERN = re.compile(r"[A-Za-z0-9]{8,64}")
DEFAULT_DB_TIMEOUT_S = 300
DB_TIMEOUT_RANGE = (1, 86_400)
STORE_URL_SCHEMES = ("postgresql://", "postgres://")


@dataclass(frozen=True)
class Settings:
    """The settings in force, checked (see the module's table)."""

    max_upload_mb: int
    data_dir: Path
    tianditu_key: str | None
    db_conninfo: str | None = field(default=None, repr=False)  # may hold a password: never printed
    db_timeout_s: int = DEFAULT_DB_TIMEOUT_S
    store_url: str | None = field(default=None, repr=False)  # None: the SQLite file in data_dir

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024


def _max_upload_mb(raw: str) -> tuple[int | None, tuple[str, str] | None]:
    if not raw:
        return DEFAULT_MAX_UPLOAD_MB, None
    low, high = MAX_UPLOAD_MB_RANGE
    if re.fullmatch(r"\d{1,5}", raw) and low <= int(raw) <= high:
        return int(raw), None
    return None, (
        f"{MAX_UPLOAD_MB_ENV}={raw!r} is not accepted: give a whole number of megabytes from {low} to {high}",
        f"{MAX_UPLOAD_MB_ENV}={raw!r} 无效：须为 {low} 到 {high} 之间的整数（单位 MB）",
    )


def _data_dir(raw: str) -> tuple[Path, tuple[str, str] | None]:
    path = Path(raw).expanduser() if raw else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    named = (
        f"{DATA_DIR_ENV}={str(path)!r}" if raw else f"the default data directory {str(path)!r} ({DATA_DIR_ENV} unset)"
    )
    named_zh = f"{DATA_DIR_ENV}={str(path)!r}" if raw else f"默认数据目录 {str(path)!r}（未设置 {DATA_DIR_ENV}）"
    existing = next((p for p in (path, *path.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        why = (
            ("is a file, not a folder", "是文件而不是目录")
            if existing == path
            else (
                f"cannot be made: {str(existing)!r} is a file",
                f"无法创建：{str(existing)!r} 是文件",
            )
        )
    elif existing is not None and not os.access(existing, os.W_OK | os.X_OK):
        why = (
            ("is read-only for the app", "对应用只读")
            if existing == path
            else (
                f"cannot be made: {str(existing)!r} is read-only",
                f"无法创建：{str(existing)!r} 只读",
            )
        )
    else:
        return path, None
    return path, (
        f"{named} {why[0]}: set {DATA_DIR_ENV} to a folder the app may write in (it is made when missing)",
        f"{named_zh} {why[1]}：请将 {DATA_DIR_ENV} 设为应用可写的目录（不存在时会自动创建）",
    )


def _tianditu_key(raw: str) -> tuple[str | None, tuple[str, str] | None]:
    if not raw or TIANDITU_KEY_PATTERN.fullmatch(raw):
        return raw or None, None
    return None, (
        f"{TIANDITU_KEY_ENV} is not accepted: a Tianditu key is 8 to 64 letters and digits (the value is not shown)",
        f"{TIANDITU_KEY_ENV} 无效：天地图密钥为 8 到 64 位字母和数字（不显示其值）",
    )


def _connection(variable: str, raw: str, *, url_only: bool) -> tuple[str | None, tuple[str, str] | None]:
    """A libpq connection string or URL, parsed by libpq's rules; its value is never quoted back
    (it may hold a password)."""
    if not raw:
        return None, None
    if url_only and not raw.startswith(STORE_URL_SCHEMES):
        return None, (
            f"{variable} is not accepted: give a postgresql:// URL, or leave it unset for the SQLite store "
            "(the value is not shown)",
            f"{variable} 无效：须为 postgresql:// 地址，或不设置（使用 SQLite 存储）（不显示其值）",
        )
    try:
        conninfo_to_dict(raw)
    except Exception:  # psycopg.ProgrammingError; its text may quote the value
        return None, (
            f"{variable} is not accepted: it is not a libpq connection string or URL, e.g. "
            "postgresql://reader@gis.bureau/onemap or service=onemap (the value is not shown)",
            f"{variable} 无效：不是 libpq 连接串或地址，例如 postgresql://reader@gis.bureau/onemap "
            "或 service=onemap（不显示其值）",
        )
    return raw, None


def _db_timeout_s(raw: str) -> tuple[int | None, tuple[str, str] | None]:
    if not raw:
        return DEFAULT_DB_TIMEOUT_S, None
    low, high = DB_TIMEOUT_RANGE
    if re.fullmatch(r"\d{1,6}", raw) and low <= int(raw) <= high:
        return int(raw), None
    return None, (
        f"{DB_TIMEOUT_ENV}={raw!r} is not accepted: give a whole number of seconds from {low} to {high}",
        f"{DB_TIMEOUT_ENV}={raw!r} 无效：须为 {low} 到 {high} 之间的整数（单位秒）",
    )


def read_settings(environ: Mapping[str, str]) -> Settings:
    """The settings that ``environ`` gives, every variable checked; raises SettingsError listing
    every bad one (variable, value, what is accepted)."""
    get = {name: str(environ.get(name, "") or "").strip() for name in VARIABLES}
    max_mb, upload_problem = _max_upload_mb(get[MAX_UPLOAD_MB_ENV])
    data_dir, dir_problem = _data_dir(get[DATA_DIR_ENV])
    key, key_problem = _tianditu_key(get[TIANDITU_KEY_ENV])
    db, db_problem = _connection(DB_ENV, get[DB_ENV], url_only=False)
    timeout, timeout_problem = _db_timeout_s(get[DB_TIMEOUT_ENV])
    store, store_problem = _connection(STORE_URL_ENV, get[STORE_URL_ENV], url_only=True)
    found = (upload_problem, dir_problem, key_problem, db_problem, timeout_problem, store_problem)
    problems = [p for p in found if p is not None]
    if problems:
        raise SettingsError(problems)
    assert max_mb is not None and timeout is not None
    return Settings(
        max_upload_mb=max_mb,
        data_dir=data_dir,
        tianditu_key=key,
        db_conninfo=db,
        db_timeout_s=timeout,
        store_url=store,
    )


@functools.lru_cache(maxsize=8)
def _cached(values: tuple[tuple[str, str], ...]) -> Settings:
    return read_settings(dict(values))


def current() -> Settings:
    """The settings from this process's environment, checked once per distinct set of values."""
    return _cached(tuple((name, os.environ.get(name, "")) for name in VARIABLES))


def main() -> int:
    """``python -m atlas_core.settings [NAME]``: check the settings (exit 2 with the reasons), or
    print one of them (``max_upload_mb``, ``data_dir``) for a launcher; the connection settings are
    never printed."""
    try:
        settings = current()
    except SettingsError as error:
        print(f"atlas: {error}", file=sys.stderr)
        return 2
    if len(sys.argv) > 1:
        if sys.argv[1] not in ("max_upload_mb", "data_dir", "db_timeout_s"):
            print(f"atlas: {sys.argv[1]!r} is not a setting this command prints", file=sys.stderr)
            return 2
        print(getattr(settings, sys.argv[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
