"""One way into a PostgreSQL database: a libpq connection string or URL from the settings, every
query bounded by a statement timeout, and no password in any message.

The connection string is never typed into a page: it comes from ``ATLAS_DB`` (or, for the
workspace store, ``ATLAS_STORE_URL``), and may name a libpq service (``service=onemap``) whose
file holds the password. What the atlas shows of a connection is :func:`describe`'s
``user@host:port/dbname``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from atlas_core import settings
from atlas_core.errors import DatabaseError
from atlas_core.settings import DB_ENV

APPLICATION_NAME = "suzhou-atlas"
CONNECT_TIMEOUT_S = 10

# libpq's words for why a connection failed -> what a planner or the bureau's DBA can do
_CAUSES: tuple[tuple[str, str, str], ...] = (
    (
        "password authentication failed",
        "the password was refused: check the password given for this role (in the URL, its service file or .pgpass)",
        "密码被拒绝：请检查为该角色提供的密码（连接地址、服务文件或 .pgpass 中）",
    ),
    (
        "no password supplied",
        "the server asks for a password and none was given: put it in a .pgpass or service file",
        "服务器要求密码但未提供：请将密码写入 .pgpass 或服务文件",
    ),
    (
        "does not exist",
        "the database or role named does not exist on that server",
        "该服务器上不存在所指定的数据库或角色",
    ),
    (
        "connection refused",
        "nothing answers at that host and port: check the host, the port and that the server runs",
        "该主机和端口无响应：请检查主机、端口以及数据库是否在运行",
    ),
    (
        "timeout expired",
        f"the server did not answer within {CONNECT_TIMEOUT_S} s: check the host and the network",
        f"服务器在 {CONNECT_TIMEOUT_S} 秒内未响应：请检查主机与网络",
    ),
    (
        "could not translate host name",
        "the host name is not known: check the host",
        "无法解析主机名：请检查主机",
    ),
    (
        "definition of service",
        "the service is not defined: check PGSERVICEFILE or ~/.pg_service.conf",
        "未找到该服务的定义：请检查 PGSERVICEFILE 或 ~/.pg_service.conf",
    ),
    (
        "pg_hba.conf",
        "the server does not let this role in from here: ask the database administrator (pg_hba.conf)",
        "服务器不允许该角色从此处连接：请联系数据库管理员（pg_hba.conf）",
    ),
)


def describe(conninfo: str) -> str:
    """``user@host:port/dbname`` (or ``service=name``) of a connection: what the atlas may show of
    it. Never the password, whatever the string holds."""
    try:
        parts = conninfo_to_dict(conninfo)
    except psycopg.ProgrammingError:
        return "(a connection string that cannot be read)"
    if "service" in parts and "host" not in parts:
        return f"service={parts['service']}"
    user = f"{parts['user']}@" if parts.get("user") else ""
    port = f":{parts['port']}" if parts.get("port") else ""
    dbname = f"/{parts['dbname']}" if parts.get("dbname") else ""
    return f"{user}{parts.get('host', 'localhost')}{port}{dbname}"


def redact(text: str, conninfo: str) -> str:
    """``text`` with the connection's password (and anything shaped like ``password=…`` or a
    URL's ``user:secret@``) removed."""
    try:
        secret = conninfo_to_dict(conninfo).get("password")
    except psycopg.ProgrammingError:
        secret = None
    if secret:
        text = text.replace(str(secret), "***")
    text = re.sub(r"(password\s*=\s*)('[^']*'|\S+)", r"\1***", text, flags=re.IGNORECASE)
    return re.sub(r"(postgres(?:ql)?://[^:/@\s]+:)[^@\s]+@", r"\1***@", text)


def connection_error(exc: Exception, conninfo: str, *, setting: str = DB_ENV) -> DatabaseError:
    """A failed connection as a planner's message: where (no password), why in libpq's words, and
    what to do (``setting``: the variable that gave the connection string)."""
    reason = redact(str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__, conninfo)
    lowered = str(exc).lower()
    cause = next(((en, zh) for key, en, zh in _CAUSES if key in lowered), None)
    en, zh = cause or (f"check {setting} and that the server runs", f"请检查 {setting} 以及数据库是否在运行")
    where = describe(conninfo)
    return DatabaseError(
        f"cannot connect to the database {where}: {en} (the server said: {reason})",
        zh=f"无法连接数据库 {where}：{zh}（服务器返回：{reason}）",
    )


@contextmanager
def connect(conninfo: str, *, timeout_s: int | None = None, setting: str = DB_ENV) -> Iterator[psycopg.Connection]:
    """A connection in autocommit mode whose every statement stops after ``timeout_s`` seconds
    (``ATLAS_DB_TIMEOUT_S`` unless given); closed on leaving. A failure to connect raises
    :class:`DatabaseError` without the password (naming ``setting``, the variable that gave the
    connection string)."""
    try:
        connection = psycopg.connect(
            conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S, application_name=APPLICATION_NAME
        )
    except (psycopg.Error, OSError) as exc:
        raise connection_error(exc, conninfo, setting=setting) from None
    try:
        limit = settings.current().db_timeout_s if timeout_s is None else int(timeout_s)
        connection.execute(sql.SQL("SET statement_timeout = {}").format(sql.Literal(f"{limit}s")))
        yield connection
    finally:
        connection.close()


def query_error(exc: psycopg.Error, conninfo: str, *, doing_en: str, doing_zh: str) -> DatabaseError:
    """A failed query as a planner's message (a timeout says which setting raises it)."""
    if isinstance(exc, psycopg.errors.QueryCanceled):
        return DatabaseError(
            f"{doing_en} took longer than the statement timeout (ATLAS_DB_TIMEOUT_S): raise it, or add a filter",
            zh=f"{doing_zh}超过语句超时（ATLAS_DB_TIMEOUT_S）：请调大该值或增加筛选条件",
        )
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return DatabaseError(
            f"{doing_en} is not allowed for this role: ask the database administrator for SELECT on it",
            zh=f"当前角色无权{doing_zh}：请联系数据库管理员授予 SELECT 权限",
        )
    reason = redact(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__, conninfo)
    return DatabaseError(f"{doing_en} failed: {reason}", zh=f"{doing_zh}失败：{reason}")
