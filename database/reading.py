"""Rows out of a table or view: its extent, and its rows as a GeoDataFrame (every attribute as
text, the geometry as the table holds it, in its own SRID), fetched in batches through a
server-side cursor so the server never builds the whole result at once."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import shapely
from psycopg import sql

from atlas_core.errors import DatabaseError, TooManyRowsError
from database.catalog import Table, columns, where_clause
from database.connection import query_error

BATCH_ROWS = 50_000
WKB_COLUMN = "__atlas_wkb"


@dataclass(frozen=True)
class Extent:
    """The bounds of a table's geometries in its own SRID, and how many rows hold one."""

    minx: float | None
    miny: float | None
    maxx: float | None
    maxy: float | None
    with_geometry: int
    rows: int

    @property
    def bounds(self) -> tuple[float, float, float, float] | None:
        if self.minx is None or self.miny is None or self.maxx is None or self.maxy is None:
            return None
        return (self.minx, self.miny, self.maxx, self.maxy)


def _geometry(table: Table) -> sql.Identifier:
    if table.geometry_column is None:
        raise DatabaseError(
            f"{table.qualified} has no geometry column", zh=f"{table.qualified} 没有几何列"
        )  # pragma: no cover - callers pick spatial tables
    return sql.Identifier(table.geometry_column)


def extent(connection: psycopg.Connection, table: Table, filters: list[tuple[str, str]]) -> Extent:
    """The extent of the (filtered) rows' geometries, in the table's SRID."""
    where, values = where_clause(columns(connection, table), filters)
    geometry = _geometry(table)
    query = sql.SQL(
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e), n, total FROM ("
        "SELECT ST_Extent({g})::geometry AS e, count({g}) AS n, count(*) AS total FROM {t}{w}) s"
    ).format(g=geometry, t=table.identifier, w=where)
    try:
        row = connection.execute(query, values).fetchone()
    except psycopg.Error as exc:
        raise query_error(exc, "", doing_en=f"reading {table.qualified}", doing_zh=f"读取 {table.qualified}") from None
    assert row is not None
    minx, miny, maxx, maxy, with_geometry, rows = row
    return Extent(minx, miny, maxx, maxy, int(with_geometry), int(rows))


def read_frame(
    connection: psycopg.Connection, table: Table, filters: list[tuple[str, str]], *, max_rows: int | None = None
) -> pd.DataFrame:
    """The (filtered) rows of ``table``: every other column as text ("" for NULL), and, when it has
    one, the geometry in the table's SRID (a GeoDataFrame; CRS None when it declares none).
    ``max_rows`` refuses a larger result before it is fetched (classify it inside the database
    instead)."""
    table_columns = columns(connection, table)
    where, values = where_clause(table_columns, filters)
    attributes = [name for name, _kind in table_columns if name != table.geometry_column]
    if max_rows is not None:
        count = connection.execute(
            sql.SQL("SELECT count(*) FROM (SELECT 1 FROM {t}{w} LIMIT %s) s").format(t=table.identifier, w=where),
            [*values, max_rows + 1],
        ).fetchone()
        if count is not None and count[0] > max_rows:
            raise TooManyRowsError(
                f"{table.qualified} has more than {max_rows:,} rows (with its filters): count them inside the "
                "database instead, or add a filter",
                zh=f"{table.qualified}（含筛选条件）超过 {max_rows:,} 行：请改为在数据库内统计，或增加筛选条件",
                limit=max_rows,
            )
    selected = [sql.SQL("{}::text").format(sql.Identifier(name)) for name in attributes]
    if table.geometry_column is not None:
        selected.append(sql.SQL("ST_AsBinary({})").format(_geometry(table)))
    query = sql.SQL("SELECT {s} FROM {t}{w}").format(s=sql.SQL(", ").join(selected), t=table.identifier, w=where)
    texts: list[list] = [[] for _ in attributes]
    wkbs: list = []
    rows = 0
    try:
        with connection.transaction(), connection.cursor(name="atlas_read") as cursor:
            cursor.itersize = BATCH_ROWS
            cursor.execute(query, values)
            while batch := cursor.fetchmany(BATCH_ROWS):
                rows += len(batch)
                for i, values_of_column in enumerate(zip(*batch, strict=True)):
                    if i < len(attributes):
                        texts[i].extend(values_of_column)
                    else:
                        wkbs.extend(values_of_column)
    except psycopg.Error as exc:
        raise query_error(exc, "", doing_en=f"reading {table.qualified}", doing_zh=f"读取 {table.qualified}") from None
    frame = pd.DataFrame(
        {name: ["" if v is None else v for v in cells] for name, cells in zip(attributes, texts, strict=True)},
        index=pd.RangeIndex(rows),
    )
    if table.geometry_column is None:
        return frame
    geometry = shapely.from_wkb(np.array([bytes(w) if w is not None else None for w in wkbs], dtype=object))
    crs = f"EPSG:{table.srid}" if table.srid else None
    frame[table.geometry_column] = gpd.GeoSeries(geometry, crs=crs)
    return gpd.GeoDataFrame(frame, geometry=table.geometry_column, crs=crs)
