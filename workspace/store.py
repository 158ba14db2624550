"""Named workspaces kept in a store, so a planner's borders, imported layers and scenario survive a
restart of the app and can be reopened, renamed, deleted, and carried to another machine as one file.

A saved workspace is a *manifest* (JSON: the layout, the view, and for each imported file its name,
the choices it was read with and the SHA-256 of its bytes) plus the files themselves, stored once
each by hash. Opening a workspace reads its files again with those choices (``workspace.saved``),
so what comes back is checked by the same code as on the day of the import.

Two backends keep the same tables and make the same promises; :class:`BaseStore` holds every
rule (names, revisions, manifests, the exported file) once, in SQL both speak, and each backend
only opens, checks and locks its own database (``workspace.stores.open_store`` picks one):

- :class:`WorkspaceStore` (the default): one SQLite file (``workspaces.sqlite``) in the data
  directory, ``$ATLAS_DATA_DIR``, else the user's data directory (``platformdirs``).
- :class:`workspace.store_pg.PostgresWorkspaceStore`: the schema ``atlas_workspaces`` of the
  PostgreSQL database that ``$ATLAS_STORE_URL`` names, for several servers sharing one store.

- Every save is a new *revision*, in one transaction that one writer holds at a time (SQLite's
  ``BEGIN IMMEDIATE``; PostgreSQL's transaction advisory lock): two sessions saving at the same
  moment both land, nothing is overwritten, and the later one is told about the other.
- The store is ours only if its marker says so (SQLite's ``application_id``; a ``meta`` row in
  PostgreSQL): anything else there raises :class:`StoreError` and is never written to.
- The schema has a version (``user_version``; ``meta.schema_version``), the same number in both
  backends for the same tables; an older store is upgraded in place (SQLite: after a backup copy
  of the file; PostgreSQL: in one transaction), a newer one is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import shutil
import sqlite3
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from atlas_core import settings
from atlas_core.errors import StoreError
from atlas_core.settings import DATA_DIR_ENV
from userdata.limits import check_size, check_zip
from workspace.clip import clipped
from workspace.names import name_key

STORE_NAME = "workspaces.sqlite"
APPLICATION_ID = 0x53414157  # "SAAW": Suzhou Atlas workspaces (PRAGMA application_id)
MANIFEST_FORMAT = "suzhou-atlas-workspace"
MANIFEST_VERSION = 1
FILE_MANIFEST = "workspace.json"  # in an exported workspace file (a ZIP)

# Each step takes the schema from the version before it to its own number (user_version). The
# PostgreSQL store's steps (workspace.store_pg) make the same tables at the same numbers.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE workspaces (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL
        )""",
        """CREATE TABLE revisions (
            workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            revision INTEGER NOT NULL,
            saved TEXT NOT NULL,
            manifest TEXT NOT NULL,
            PRIMARY KEY (workspace_id, revision)
        )""",
        """CREATE TABLE files (
            sha256 TEXT PRIMARY KEY,
            data BLOB NOT NULL
        )""",
    ),
    2: (  # which session saved a revision: a save tells a planner when another session saved in between
        "ALTER TABLE revisions ADD COLUMN session TEXT NOT NULL DEFAULT ''",
    ),
}
SCHEMA_VERSION = max(MIGRATIONS)


@dataclass(frozen=True)
class WorkspaceInfo:
    name: str
    created: str
    saved: str  # the latest revision's time (UTC, ISO 8601)
    revisions: int
    latest: int
    contents: tuple[str, ...]  # what the latest revision holds: borders, points, boundary, scenario


@dataclass(frozen=True)
class SaveResult:
    name: str
    revision: int
    others: tuple[int, ...]  # revisions another session saved since the one this session started from


def data_dir() -> Path:
    """Where the app keeps its SQLite store: ``$ATLAS_DATA_DIR``, else the user's data directory
    (checked by :mod:`atlas_core.settings`)."""
    return settings.current().data_dir


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def clean_name(name: str) -> str:
    """A workspace's name as stored: trimmed, one line, Unicode NFC, at most MAX_NAME characters;
    never empty. Two names with the same clean name are one name (``workspace.names``)."""
    text = name_key(name)
    if not text:
        raise StoreError("a workspace needs a name", zh="工作空间需要名称")
    return text


def _parsed(text: str) -> dict | None:
    """A stored manifest read from its JSON text; None when it is not a JSON object (edited by hand)."""
    try:
        manifest = json.loads(text)
    except (TypeError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


# ---------------------------------------------------------------- what every store does


class Sql:
    """The statements of one connection (a DB-API one: ``sqlite3``, ``psycopg``), each written once
    with ``?`` placeholders in SQL that SQLite and PostgreSQL both read."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def rows(self, statement: str, params: Sequence[object] = ()) -> list[tuple]:
        """Every row ``statement`` returns (none for one that returns no rows)."""
        cursor = self.connection.execute(statement, tuple(params))
        return list(cursor.fetchall()) if cursor.description is not None else []

    def one(self, statement: str, params: Sequence[object] = ()) -> tuple | None:
        found = self.rows(statement, params)
        return found[0] if found else None


def _find(db: Sql, name: str) -> tuple[int, str] | None:
    """The (id, stored name) of the workspace ``name`` names, in either Unicode form. A store an
    older app wrote may hold two that are one name: then the one stored exactly as asked. Names are
    compared here, in Python, so both backends compare them alike (a store holds tens of names)."""
    key = name_key(name)
    rows = [(row[0], row[1]) for row in db.rows("SELECT id, name FROM workspaces") if name_key(row[1]) == key]
    if len(rows) > 1:
        exact = [row for row in rows if row[1] in (name, " ".join(str(name).split()))]
        if len(exact) != 1:
            listed = "、".join(f"“{row[1]}”" for row in rows)
            raise StoreError(
                f"{len(rows)} saved workspaces have names that differ only in Unicode form ({listed}): rename one of "
                "them on the Workspaces page",
                zh=f"有 {len(rows)} 个已保存的工作空间名称仅 Unicode 形式不同（{listed}）："
                "请在工作空间页重命名其中一个",
            )
        rows = exact
    return rows[0] if rows else None


def _taken(db: Sql, key: str, *, but: int) -> bool:
    """Whether a workspace other than ``but`` has a name whose key is ``key``."""
    return any(row[0] != but and name_key(row[1]) == key for row in db.rows("SELECT id, name FROM workspaces"))


def _no_workspace(name: str) -> StoreError:
    return StoreError(f"no saved workspace {clipped(name, 'en')!r}", zh=f"没有名为“{clipped(name, 'zh')}”的工作空间")


Where = str | tuple[str, str]  # a store's place in a message: one text, or (English, Chinese)


def _in(where: Where, lang: str) -> str:
    if isinstance(where, str):
        return where
    return where[1] if lang == "zh" else where[0]


def not_ours(where: Where, why: tuple[str, str], remedy: tuple[str, str]) -> StoreError:
    """The store at ``where`` is something else (``why``); it is left as it is, and ``remedy`` says
    what to do. Each pair in English and Chinese."""
    return StoreError(
        f"{_in(where, 'en')} is not a workspace store of this app ({why[0]}). It has been left as it is: {remedy[0]}.",
        zh=f"{_in(where, 'zh')} 不是本应用的工作空间库（{why[1]}）。其内容保持原样未作改动：{remedy[1]}。",
    )


def newer(where: Where, version: int) -> StoreError:
    """The store at ``where`` has schema ``version``, newer than this app knows."""
    return StoreError(
        f"{_in(where, 'en')} was written by a newer version of the app (store schema {version}; this "
        f"version knows up to {SCHEMA_VERSION}). Update the app; the store is left as it is.",
        zh=f"{_in(where, 'zh')} 由更新版本的应用写入（库结构版本 {version}，本版本最高支持 "
        f"{SCHEMA_VERSION}）。请升级应用；该库未作改动。",
    )


class BaseStore(ABC):
    """The saved workspaces and what can be done with them, whatever keeps them. A backend gives
    where it is (:attr:`where`, shown on the Workspaces page: never a password) and connections:
    one for reading, one for writing that holds the store's one writer's lock until it ends."""

    @property
    @abstractmethod
    def where(self) -> str:
        """Where the store is, as a planner may be shown it."""

    @abstractmethod
    def _reading(self) -> AbstractContextManager[Sql]:
        """A connection to read with."""

    @abstractmethod
    def _writing(self) -> AbstractContextManager[Sql]:
        """One transaction, the only writer's until it ends: committed on leaving, rolled back on an error."""

    # ------------------------------------------------------------ reading

    def workspaces(self) -> list[WorkspaceInfo]:
        """Every saved workspace, the latest saved first."""
        with self._reading() as db:
            rows = db.rows(
                """SELECT w.name, w.created, r.saved, r.revision, r.manifest,
                          (SELECT count(*) FROM revisions WHERE workspace_id = w.id)
                   FROM workspaces w JOIN revisions r ON r.workspace_id = w.id
                   WHERE r.revision = (SELECT max(revision) FROM revisions WHERE workspace_id = w.id)"""
            )
        out = []
        for name, created, saved, latest, text, count in rows:
            manifest = _parsed(text)
            contents = ("damaged",) if manifest is None else contents_of(manifest)
            out.append(WorkspaceInfo(name, created, saved, int(count), latest, contents))
        out.sort(key=lambda info: info.name)  # in Python: both backends order names alike
        out.sort(key=lambda info: info.saved, reverse=True)
        return out

    def names(self) -> list[str]:
        return [info.name for info in self.workspaces()]

    def name_clashes(self) -> list[tuple[str, ...]]:
        """Groups of saved workspaces whose names are one name (they differ only in Unicode form or
        spacing): an older app could save them apart. Both are kept; a planner should rename one."""
        groups: dict[str, list[str]] = {}
        for name in self.names():
            groups.setdefault(name_key(name), []).append(name)
        return [tuple(group) for group in groups.values() if len(group) > 1]

    def latest_revision(self, name: str) -> int | None:
        with self._reading() as db:
            found = _find(db, name)
            if found is None:
                return None
            row = db.one("SELECT max(revision) FROM revisions WHERE workspace_id = ?", (found[0],))
            return row[0] if row else None

    @staticmethod
    def _manifest(db: Sql, name: str, revision: int | None) -> tuple[dict, int]:
        found = _find(db, name)
        query = "SELECT manifest, revision FROM revisions WHERE workspace_id = ?"
        if found is None:
            row = None
        elif revision is None:
            row = db.one(f"{query} ORDER BY revision DESC LIMIT 1", (found[0],))
        else:
            row = db.one(f"{query} AND revision = ?", (found[0], int(revision)))
        if row is None:
            raise _no_workspace(name)
        manifest = _parsed(row[0])
        if manifest is None:
            raise StoreError(
                f"the saved workspace {clipped(name, 'en')!r}, revision {row[1]}: its manifest is not a JSON object "
                "(edited by hand?); open another revision",
                zh=f"工作空间“{clipped(name, 'zh')}”第 {row[1]} 版：其清单不是 JSON 对象（被手工修改过？）；"
                "请打开其他版本",
            )
        return manifest, row[1]

    def manifest(self, name: str, revision: int | None = None) -> tuple[dict, int]:
        """A saved workspace's (manifest, revision), without its files (the layout, the view...)."""
        with self._reading() as db:
            return self._manifest(db, name, revision)

    def load(self, name: str, revision: int | None = None) -> tuple[dict, dict[str, bytes], int]:
        """A saved workspace's (manifest, files by hash, revision); each file checked against its hash."""
        with self._reading() as db:
            manifest, revision = self._manifest(db, name, revision)
            files = {}
            for digest in referenced_files(manifest):
                found = db.one("SELECT data FROM files WHERE sha256 = ?", (digest,))
                if found is None or hashlib.sha256(found[0]).hexdigest() != digest:
                    raise StoreError(
                        f"workspace {name!r}: a stored file is missing or damaged ({digest[:12]})",
                        zh=f"工作空间“{name}”：存储的文件缺失或损坏（{digest[:12]}）",
                    )
                files[digest] = bytes(found[0])
        return manifest, files, revision

    # ------------------------------------------------------------ writing

    def save(
        self, name: str, manifest: dict, files: dict[str, bytes], *, based_on: int | None = None, session: str = ""
    ) -> SaveResult:
        """Save a new revision of workspace ``name`` (made if new) for ``session`` (an id of the
        saving session). ``based_on`` is the revision this session opened or last saved: revisions
        other sessions saved since are reported in the result, never lost. A name that is the
        same name as a saved workspace's (``workspace.names``) saves a revision of it."""
        wanted, name = name, clean_name(name)
        text = json.dumps({**manifest, "name": name}, ensure_ascii=False, sort_keys=True)
        check_manifest(json.loads(text), files)  # as it will be read back (a tuple is a list then)
        with self._writing() as db:  # one writer at a time; others wait
            found = _find(db, wanted)
            if found is None:
                made = db.one("INSERT INTO workspaces (name, created) VALUES (?, ?) RETURNING id", (name, _now()))
                assert made is not None
                workspace_id = made[0]
            else:
                workspace_id, name = found
                if not _taken(db, name_key(name), but=workspace_id):  # an older name kept as NFC from now on
                    db.rows("UPDATE workspaces SET name = ? WHERE id = ?", (name_key(name), workspace_id))
                    name = name_key(name)
            others = tuple(
                row[0]
                for row in db.rows(
                    "SELECT revision FROM revisions WHERE workspace_id = ? AND revision > ? AND session != ?"
                    " ORDER BY revision",
                    (workspace_id, based_on or 0, session),
                )
            )
            latest = db.one("SELECT coalesce(max(revision), 0) FROM revisions WHERE workspace_id = ?", (workspace_id,))
            revision = 1 + (latest[0] if latest else 0)
            for digest, data in files.items():
                db.rows(
                    "INSERT INTO files (sha256, data) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING", (digest, data)
                )
            db.rows(
                "INSERT INTO revisions (workspace_id, revision, saved, manifest, session) VALUES (?, ?, ?, ?, ?)",
                (workspace_id, revision, _now(), text, session),
            )
        return SaveResult(name, revision, others)

    def rename(self, old: str, new: str) -> str:
        """Rename workspace ``old`` (either form of its name) to ``new`` (cleaned); refused when
        another workspace has that name already, in any form."""
        new = clean_name(new)
        with self._writing() as db:
            found = _find(db, old)
            if found is None:
                raise _no_workspace(old)
            if _taken(db, name_key(new), but=found[0]):
                raise StoreError(
                    f"a workspace called {new!r} exists already (names are compared trimmed and in one Unicode form)",
                    zh=f"已有名为“{new}”的工作空间（名称比较时去除首尾空白并统一 Unicode 形式）",
                )
            db.rows("UPDATE workspaces SET name = ? WHERE id = ?", (new, found[0]))
        return new

    def delete(self, name: str) -> None:
        """Delete a workspace with every revision; files no other revision uses go too."""
        with self._writing() as db:
            found = _find(db, name)
            if found is None:
                raise _no_workspace(name)
            db.rows("DELETE FROM workspaces WHERE id = ?", (found[0],))
            used = set()
            for (text,) in db.rows("SELECT manifest FROM revisions"):
                manifest = _parsed(text)  # an unreadable one keeps every hash it holds
                used |= set(re.findall("[0-9a-f]{64}", text) if manifest is None else referenced_files(manifest))
            for (digest,) in db.rows("SELECT sha256 FROM files"):
                if digest not in used:
                    db.rows("DELETE FROM files WHERE sha256 = ?", (digest,))

    def free_name(self, wanted: str) -> str:
        """``wanted``, or ``wanted (2)``, ``(3)``... if taken."""
        taken, base = {name_key(name) for name in self.names()}, clean_name(wanted)
        name, n = base, 1
        while name_key(name) in taken:
            n += 1
            name = f"{base} ({n})"
        return name

    # ------------------------------------------------------------ one file

    def export_file(self, name: str) -> bytes:
        manifest, files, _revision = self.load(name)
        return pack(manifest, files)

    def import_file(self, data: bytes, *, name: str | None = None) -> SaveResult:
        manifest, files = unpack(data)
        wanted = next((n for n in (name, manifest.get("name")) if n and name_key(n)), "workspace")  # never blank
        return self.save(self.free_name(wanted), manifest, files)


# ---------------------------------------------------------------- the SQLite file


def _not_a_store_file(path: Path, why_en: str, why_zh: str) -> StoreError:
    return not_ours(
        str(path),
        (why_en, why_zh),
        (f"move it away, or set {DATA_DIR_ENV} to another folder", f"请移走该文件，或将 {DATA_DIR_ENV} 设为另一个目录"),
    )


def _unusable(path: Path, exc: Exception) -> StoreError:
    return StoreError(
        f"the workspace store {path} cannot be used ({exc}): set {DATA_DIR_ENV} to a folder the app may write in",
        zh=f"无法使用工作空间库 {path}（{exc}）：请将 {DATA_DIR_ENV} 设为应用可写的目录",
    )


class WorkspaceStore(BaseStore):
    """The SQLite store at ``path`` (made when missing); checked, and upgraded if older, when opened."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else data_dir() / STORE_NAME
        self._open()

    @property
    def where(self) -> str:
        return str(self.path)

    # ------------------------------------------------------------ opening

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            yield connection
        finally:
            connection.close()

    @contextmanager
    def _reading(self) -> Iterator[Sql]:
        with self._connection() as connection:
            yield Sql(connection)

    @contextmanager
    def _writing(self) -> Iterator[Sql]:
        with self._connection() as connection:
            connection.execute("BEGIN IMMEDIATE")  # one writer at a time; others wait (timeout 30 s)
            try:
                yield Sql(connection)
                connection.execute("COMMIT")
            except Exception:
                connection.execute("ROLLBACK")
                raise

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.exists() and not self.path.is_file():
                raise IsADirectoryError(f"{self.path} is a folder")
        except OSError as exc:
            raise _unusable(self.path, exc) from None
        fresh = not self.path.exists() or self.path.stat().st_size == 0
        try:
            with self._connection() as db:
                app_id = db.execute("PRAGMA application_id").fetchone()[0]
                version = db.execute("PRAGMA user_version").fetchone()[0]
                tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if fresh or (app_id == 0 and version == 0 and tables == 0):
                    self._migrate(db, 0)
                    return
                if app_id != APPLICATION_ID:
                    raise _not_a_store_file(self.path, "another program's SQLite database", "其他程序的 SQLite 数据库")
                check = db.execute("PRAGMA quick_check").fetchone()[0]
                if check != "ok":
                    raise _not_a_store_file(self.path, f"damaged: {check}", f"文件已损坏：{check}")
                if version > SCHEMA_VERSION:
                    raise newer(str(self.path), version)
                if version < SCHEMA_VERSION:
                    self._backup(version)
                    self._migrate(db, version)
        except sqlite3.OperationalError as exc:  # cannot be opened or written (permissions, a full disk)
            raise _unusable(self.path, exc) from None
        except sqlite3.DatabaseError as exc:
            raise _not_a_store_file(self.path, str(exc), f"无法作为 SQLite 读取：{exc}") from None

    def _backup(self, version: int) -> None:
        """A copy of the store as it was, before an upgrade changes it."""
        target = self.path.with_name(f"{self.path.name}.schema{version}.bak")
        if not target.exists():
            shutil.copy2(self.path, target)

    def _migrate(self, db: sqlite3.Connection, version: int) -> None:
        db.execute("BEGIN IMMEDIATE")
        try:
            current = db.execute("PRAGMA user_version").fetchone()[0]  # another process may have done it
            if current != version:
                db.execute("ROLLBACK")
                return
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[step]:
                    db.execute(statement)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
        except Exception:
            db.execute("ROLLBACK")
            raise


# ---------------------------------------------------------------- the manifest and its file


PARTS = ("borders", "boundary", "points")  # the imported files a manifest names
TEXT_OPTIONS = (
    "encoding",
    "sheet",
    "lon",
    "lat",
    "name",
    "crs",
    "layer",
    "datum",
    "kind",
)  # reading choices: text or null
Problem = tuple[str, str]  # (English, Chinese)


def referenced_files(manifest: dict) -> list[str]:
    """The hashes of the files a manifest refers to (an entry without a readable hash refers to none)."""
    if not isinstance(manifest, dict):
        return []
    parts = (manifest.get(key) for key in PARTS)
    return [part["file"] for part in parts if isinstance(part, dict) and isinstance(part.get("file"), str)]


def contents_of(manifest: dict) -> tuple[str, ...]:
    if not isinstance(manifest, dict):
        return ()
    parts = tuple(key for key in ("borders", "points", "boundary") if manifest.get(key))
    return parts + (("scenario",) if manifest.get("layout") else ())


def _bad_file(why_en: str, why_zh: str) -> StoreError:
    return StoreError(f"not a workspace file: {why_en}", zh=f"不是工作空间文件：{why_zh}")


def _kind(value: object) -> str:
    """The JSON type of ``value``, as a problem names it."""
    names = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "an object"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _is_texts(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def view_problems(view: object) -> dict[str, Problem]:
    """What is wrong with a saved view, by parameter ("" for the view as a whole): it must be an
    object whose values are text or lists of text (the URL parameters of ``workspace.view``)."""
    if not isinstance(view, dict):
        return {"": (f"its view is {_kind(view)}, not an object", f"其视图是{_kind(view)}，不是对象")}
    return {
        str(key): (
            f"its view's {clipped(key, 'en')} is {_kind(value)}, not text or a list of text",
            f"其视图的 {clipped(key, 'zh')} 是{_kind(value)}，不是文本或文本列表",
        )
        for key, value in view.items()
        if not (isinstance(value, str) or _is_texts(value))
    }


def _option_problems(key: str, options: dict) -> list[Problem]:
    out = [
        (f"its {key} choice {name!r} is {_kind(options[name])}, not text", f"其 {key} 读取选项 {name!r} 不是文本")
        for name in TEXT_OPTIONS
        if options.get(name) is not None and not isinstance(options[name], str)
    ]
    swapped = options.get("swapped", [])
    if not (isinstance(swapped, list) and all(type(i) is int and i >= 0 for i in swapped)):
        out.append((f"its {key} swapped rows are not row numbers", f"其 {key} 交换经纬度的行号无效"))
    return out


def part_problems(key: str, part: object) -> list[Problem]:
    """What is wrong with the shape of a manifest's entry ``key`` (borders, boundary, points): an
    object with a text ``name``, the SHA-256 ``file`` of its bytes, an object of reading ``options``;
    a boundary layer's ``show`` true/false and ``label_column`` text or null."""
    if part is None:
        return []
    if not isinstance(part, dict):
        return [(f"its {key} entry is {_kind(part)}, not an object", f"其 {key} 条目是{_kind(part)}，不是对象")]
    out = []
    fields: dict[str, type] = {"name": str, "file": str, "options": dict}
    if key == "boundary":
        fields |= {"show": bool, "label_column": str}
    for field, wanted in fields.items():
        value = part.get(field)
        optional = field in ("show", "label_column")
        if field not in part and not optional:
            out.append((f"its {key} entry has no {field!r}", f"其 {key} 条目缺少 {field!r}"))
        elif not isinstance(value, wanted) and not (optional and value is None):
            out.append(
                (f"its {key} entry's {field!r} is {_kind(value)}", f"其 {key} 条目的 {field!r} 是{_kind(value)}")
            )
    if isinstance(part.get("options"), dict):
        out += _option_problems(key, part["options"])
    return out


def manifest_problems(manifest: object, files: dict[str, bytes] | None = None) -> list[Problem]:
    """Every problem of a manifest, each in English and Chinese (empty: none). ``files``: the files
    that came with it, each checked against its entry's hash (None: not checked)."""
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        return [("its manifest is not a Suzhou Atlas workspace", "清单不是苏州创新地图的工作空间")]
    if manifest.get("version") != MANIFEST_VERSION:
        version = repr(manifest.get("version"))
        return [
            (
                f"manifest version {clipped(version, 'en')}; this app reads {MANIFEST_VERSION}",
                f"清单版本 {clipped(version, 'zh')}，本应用读取版本 {MANIFEST_VERSION}",
            )
        ]
    out = []
    for field in ("name", "saved"):
        if manifest.get(field) is not None and not isinstance(manifest[field], str):
            out.append((f"its {field!r} is {_kind(manifest[field])}, not text", f"其 {field!r} 不是文本"))
    layout = manifest.get("layout")
    if layout is not None and not isinstance(layout, dict):
        out.append((f"its layout is {_kind(layout)}, not a layout", f"其中布局是{_kind(layout)}，格式错误"))
    out += view_problems(manifest.get("view", {})).values()
    for key in PARTS:
        shape = part_problems(key, manifest.get(key))
        out += shape
        if files is not None and isinstance(part := manifest.get(key), dict) and not shape:
            data = files.get(part["file"])
            if data is None or hashlib.sha256(data).hexdigest() != part["file"]:
                out.append((f"the {key} file is missing or damaged", f"{key} 文件缺失或损坏"))
    return out


def check_manifest(manifest: dict, files: dict[str, bytes]) -> None:
    """Refuse a manifest of another format or version, one any field of which has the wrong type
    (its view, layout, entries and their reading choices), or one whose files are missing or
    damaged: one StoreError naming every problem."""
    problems = manifest_problems(manifest, files)
    if len(problems) == 1:
        raise _bad_file(*problems[0])
    if problems:
        raise _bad_file(
            f"{len(problems)} problems:\n" + "\n".join(f"- {en}" for en, _ in problems),
            f"{len(problems)} 处问题：\n" + "\n".join(f"- {zh}" for _, zh in problems),
        )


def pack(manifest: dict, files: dict[str, bytes]) -> bytes:
    """A workspace as one ZIP file: ``workspace.json`` and ``files/<sha256>``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(FILE_MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        for digest, data in files.items():
            archive.writestr(f"files/{digest}", data)
    return buffer.getvalue()


def unpack(data: bytes) -> tuple[dict, dict[str, bytes]]:
    """A workspace file's (manifest, files), checked: a ZIP within the upload limits, our manifest,
    every file present with the hash the manifest gives."""

    check_size(len(data))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive)
            try:
                manifest = json.loads(archive.read(FILE_MANIFEST).decode("utf-8"))
            except KeyError:
                raise _bad_file(f"it has no {FILE_MANIFEST}", f"缺少 {FILE_MANIFEST}") from None
            files = {}
            for digest in referenced_files(manifest) if isinstance(manifest, dict) else []:
                try:
                    files[digest] = archive.read(f"files/{digest}")
                except KeyError:
                    continue  # reported by check_manifest, with what it was for
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise _bad_file(f"not a readable ZIP ({exc})", f"无法作为 ZIP 读取（{exc}）") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad_file(f"its manifest is not JSON ({exc})", f"清单不是 JSON（{exc}）") from None
    check_manifest(manifest, files)
    return manifest, files
