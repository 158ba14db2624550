"""What a role may read in the bureau's database: its tables and views, with their geometry column,
SRID, geometry type and an estimate of their rows; a table a planner names, found in that list
(never pasted into SQL); its columns; and ``COLUMN=VALUE`` filters as quoted names and parameters.

A name that is not in the list is refused, so nothing a planner types reaches the server as SQL:
tables and columns go into queries as identifiers quoted by the driver (``psycopg.sql``), values
as parameters.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import psycopg
from psycopg import sql

from atlas_core.errors import DatabaseError
from database.connection import query_error

KINDS = {"r": "table", "p": "table", "v": "view", "m": "materialized view", "f": "foreign table"}
KINDS_ZH = {"table": "表", "view": "视图", "materialized view": "物化视图", "foreign table": "外部表"}
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "topology", "tiger", "tiger_data")

_LISTING = """
SELECT n.nspname, c.relname, c.relkind, c.oid::bigint, g.f_geometry_column, g.srid, g.type,
       CASE WHEN c.relkind IN ('r', 'p', 'm') AND c.reltuples >= 0 THEN c.reltuples::bigint END
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN public.geometry_columns g ON g.f_table_schema = n.nspname AND g.f_table_name = c.relname
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname <> ALL (%(system)s) AND n.nspname NOT LIKE 'pg\\_%%'
  AND NOT (n.nspname = 'public' AND c.relname IN ('spatial_ref_sys', 'geometry_columns', 'geography_columns'))
  AND has_table_privilege(c.oid, 'SELECT')
  AND (%(all)s OR g.f_geometry_column IS NOT NULL)
ORDER BY n.nspname, c.relname, g.f_geometry_column
"""


@dataclass(frozen=True)
class Table:
    """A table or view the role may read (one entry per geometry column; none for a plain table)."""

    schema: str
    name: str
    kind: str  # table, view, materialized view, foreign table
    oid: int
    geometry_column: str | None
    srid: int | None  # 0: the column declares none
    geometry_type: str | None  # POINT, MULTIPOLYGON, GEOMETRY...
    rows_estimate: int | None  # from the planner's statistics; None for a view or a table never analysed

    @property
    def qualified(self) -> str:
        """``schema.name`` as shown to a planner (in SQL it is always a quoted identifier)."""
        return f"{self.schema}.{self.name}"

    @property
    def identifier(self) -> sql.Identifier:
        return sql.Identifier(self.schema, self.name)

    def record(self) -> dict:
        return {
            "table": self.qualified,
            "kind": self.kind,
            "geometry_column": self.geometry_column,
            "srid": self.srid,
            "geometry_type": self.geometry_type,
            "rows_estimate": self.rows_estimate,
        }


def list_tables(connection: psycopg.Connection, *, spatial_only: bool = True) -> list[Table]:
    """The tables and views this role may read (``spatial_only``: those with a geometry column)."""
    try:
        rows = connection.execute(_LISTING, {"system": list(SYSTEM_SCHEMAS), "all": not spatial_only}).fetchall()
    except psycopg.errors.UndefinedTable:
        raise DatabaseError(
            "this database has no PostGIS (public.geometry_columns is missing): ask the database administrator "
            "to run CREATE EXTENSION postgis",
            zh="该数据库未安装 PostGIS（缺少 public.geometry_columns）：请数据库管理员执行 CREATE EXTENSION postgis",
        ) from None
    except psycopg.Error as exc:
        raise query_error(exc, "", doing_en="listing the tables", doing_zh="列出数据表") from None
    return [
        Table(schema, name, KINDS[kind], int(oid), column, srid, kind_of_geometry, estimate)
        for schema, name, kind, oid, column, srid, kind_of_geometry, estimate in rows
    ]


def find_table(
    connection: psycopg.Connection, name: str, *, geometry_column: str | None = None, spatial: bool = True
) -> Table:
    """The readable table or view a planner named (``schema.table`` or a name unique across
    schemas), with its geometry column (the first, or ``geometry_column``). Anything else, an
    attempt to slip SQL in included, is refused with the names that exist."""
    tables = list_tables(connection, spatial_only=spatial)
    text = str(name).strip()
    schema, _, table = text.rpartition(".")
    found = [t for t in tables if t.name == table and (not schema or t.schema == schema)]
    if geometry_column is not None:
        found = [t for t in found if t.geometry_column == geometry_column]
    if not found:
        names = sorted({t.qualified for t in tables})
        close = difflib.get_close_matches(text, names, n=3) or difflib.get_close_matches(table, names, n=3)
        hint_en = f" (did you mean {', '.join(close)}?)" if close else ""
        hint_zh = f"（您是否要找：{'、'.join(close)}？）" if close else ""
        column_en = f" with a geometry column {geometry_column!r}" if geometry_column else ""
        column_zh = f"（几何列 {geometry_column!r}）" if geometry_column else ""
        listed = ", ".join(names[:20]) + (" ..." if len(names) > 20 else "") or "none"
        raise DatabaseError(
            f"no {'spatial ' if spatial else ''}table or view {text!r}{column_en} that this role may read{hint_en}. "
            f"Readable: {listed} (atlas db tables lists them)",
            zh=f"当前角色可读的{'空间' if spatial else ''}表或视图中没有 {text!r}{column_zh}{hint_zh}。"
            f"可读：{listed}（atlas db tables 可列出）",
        )
    if len({t.schema for t in found}) > 1:
        schemas = ", ".join(sorted(f"{t.schema}.{t.name}" for t in found))
        raise DatabaseError(
            f"{text!r} is in more than one schema ({schemas}): give it as schema.table",
            zh=f"{text!r} 存在于多个模式（{schemas}）：请写成 模式.表名",
        )
    return found[0]


def columns(connection: psycopg.Connection, table: Table) -> list[tuple[str, str]]:
    """(name, type) of every column of ``table``, in order."""
    rows = connection.execute(
        "SELECT attname, format_type(atttypid, atttypmod) FROM pg_catalog.pg_attribute "
        "WHERE attrelid = %s AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
        (table.oid,),
    ).fetchall()
    return [(str(column), str(kind)) for column, kind in rows]


def parse_filter(text: str) -> tuple[str, str]:
    """``COLUMN=VALUE`` -> (column, value); the value may hold ``=``."""
    column, equals, value = str(text).partition("=")
    if not equals or not column.strip():
        raise DatabaseError(
            f"a filter is COLUMN=VALUE, e.g. district=320505; got {text!r}",
            zh=f"筛选条件须写成 列名=值，例如 district=320505；收到 {text!r}",
        )
    return column.strip(), value


def where_clause(table_columns: list[tuple[str, str]], filters: list[tuple[str, str]]) -> tuple[sql.Composable, list]:
    """``WHERE col::text = %s AND ...`` with each column checked against the table's and quoted,
    and the values as parameters; an empty clause when there is no filter."""
    known = [column for column, _kind in table_columns]
    for column, _value in filters:
        if column not in known:
            raise DatabaseError(
                f"no column {column!r} to filter on; the columns are {', '.join(known)}",
                zh=f"没有可筛选的列 {column!r}；可用列：{'、'.join(known)}",
            )
    if not filters:
        return sql.SQL(""), []
    tests = [sql.SQL("{}::text = %s").format(sql.Identifier(column)) for column, _value in filters]
    return sql.SQL(" WHERE ") + sql.SQL(" AND ").join(tests), [value for _column, value in filters]
