"""Classify a register too large to pull into memory inside the database.

The units (and the corridors' footprints) are written to temporary tables, as the Python
classifier (``spatial.classify``) holds them: a grid of cells, each wholly inside one unit (and
some footprints), wholly outside, or crossed by a border, and a finer grid inside each crossed
cell. Most points are settled by a hash join on their cell (or fine cell); only a point in a
crossed fine cell is tested exactly, against the shapes cut into pieces
of at most ``PIECE_VERTICES`` vertices (``ST_Subdivide``) under a GiST index. A point belongs to
the unit whose pieces it intersects; where it touches more than one unit (a point on a shared
border), the same tie-break as the Python classifier decides on the whole units: the unit it lies
inside, else the smallest code. The database returns counts per unit and footprint; the classified rows, when
asked for, are streamed to a file as CSV (``COPY ... TO STDOUT``) without passing through memory.

Everything written lives in temporary tables dropped at the end of the transaction: the role
needs SELECT on the register and the TEMPORARY privilege, nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

import psycopg
import shapely
from psycopg import sql

from atlas_core.errors import DatabaseError
from database.catalog import Table, columns, where_clause
from database.connection import query_error

PIECE_VERTICES = 64  # ST_Subdivide's max_vertices: small pieces make each point-in-polygon test cheap


@dataclass(frozen=True)
class UnitShape:
    adcode: str
    name_zh: str
    name_en: str
    corridors: tuple[str, ...]  # the corridors the unit is a member of
    geometry: object  # shapely (multi)polygon, WGS84


Cell = tuple[int, str | None, tuple[str, ...], bool]  # number, unit or None, footprints covering it, exact


@dataclass(frozen=True)
class CellGrid:
    """The lookup grids: origin, cell size, columns and rows of the coarse grid
    (``spatial.classify.UnitGrid``'s); for each coarse cell that is not wholly outside, its
    ``Cell``; and for each coarse cell crossed by a border, its ``fine`` × ``fine`` sub-cells
    (numbered on a grid of ``nx * fine`` columns) that are not wholly outside."""

    x0: float
    y0: float
    cell_deg: float
    nx: int
    ny: int
    cells: Sequence[Cell]
    fine: int
    fine_cells: Sequence[Cell]


@dataclass
class Counts:
    """What a classification found: rows read, rows without a point, points in no unit, and
    points per unit, per corridor (by membership of its unit) and per corridor footprint."""

    rows: int = 0
    no_point: int = 0
    outside: int = 0
    by_unit: dict[str, int] = field(default_factory=dict)
    by_corridor: dict[str, int] = field(default_factory=dict)
    by_footprint: dict[str, int] = field(default_factory=dict)

    def record(self) -> dict:
        return {
            "rows": self.rows,
            "no_point": self.no_point,
            "outside": self.outside,
            "by_unit": dict(sorted(self.by_unit.items())),
            "by_corridor": dict(sorted(self.by_corridor.items())),
            "by_footprint": dict(sorted(self.by_footprint.items())),
        }


_UNIT_AT = """CREATE OR REPLACE FUNCTION pg_temp.atlas_unit_at(pt geometry) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
  codes text[];
BEGIN
  SELECT array_agg(DISTINCT q.adcode ORDER BY q.adcode) INTO codes
    FROM pg_temp.atlas_unit_pieces q WHERE ST_Intersects(q.geom, pt);
  IF codes IS NULL OR cardinality(codes) = 1 THEN
    RETURN codes[1];
  END IF;
  RETURN (SELECT u.adcode FROM pg_temp.atlas_units u WHERE u.adcode = ANY (codes)
          ORDER BY ST_Contains(u.geom, pt) DESC, u.adcode LIMIT 1);
END $$"""
_FOOTPRINTS_AT = """CREATE OR REPLACE FUNCTION pg_temp.atlas_footprints_at(pt geometry) RETURNS text[]
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT array_agg(DISTINCT q.corridor ORDER BY q.corridor) FROM pg_temp.atlas_footprint_pieces q
          WHERE ST_Intersects(q.geom, pt));
END $$"""


def _write_shapes(
    cursor: psycopg.Cursor, units: Sequence[UnitShape], footprints: Mapping[str, object], grid: CellGrid
) -> None:
    cursor.execute("SET LOCAL jit = off")  # compiling the plan costs more than it saves here
    for name, cells in (("atlas_cells", grid.cells), ("atlas_fine_cells", grid.fine_cells)):
        cursor.execute(
            sql.SQL(
                "CREATE TEMP TABLE {} (cell bigint PRIMARY KEY, unit text, footprints text[], exact boolean) "
                "ON COMMIT DROP"
            ).format(sql.Identifier(name))
        )
        with cursor.copy(sql.SQL("COPY {} FROM STDIN").format(sql.Identifier(name))) as copy:
            for cell, unit, ids, exact in cells:
                copy.write_row((cell, unit, list(ids) or None, exact))
        cursor.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(name)))
    cursor.execute(
        "CREATE TEMP TABLE atlas_units (adcode text PRIMARY KEY, name_zh text, name_en text, corridors text, "
        "geom geometry) ON COMMIT DROP"
    )
    cursor.executemany(
        "INSERT INTO atlas_units VALUES (%s, %s, %s, %s, ST_GeomFromWKB(%s, 4326))",
        [(u.adcode, u.name_zh, u.name_en, "|".join(u.corridors), shapely.to_wkb(u.geometry)) for u in units],
    )
    cursor.execute("CREATE TEMP TABLE atlas_footprints (corridor text PRIMARY KEY, geom geometry) ON COMMIT DROP")
    cursor.executemany(
        "INSERT INTO atlas_footprints VALUES (%s, ST_GeomFromWKB(%s, 4326))",
        [(corridor, shapely.to_wkb(shape)) for corridor, shape in footprints.items()],
    )
    for pieces, source, key in (
        ("atlas_unit_pieces", "atlas_units", "adcode"),
        ("atlas_footprint_pieces", "atlas_footprints", "corridor"),
    ):
        cursor.execute(
            sql.SQL(
                "CREATE TEMP TABLE {p} ON COMMIT DROP AS SELECT {k}, ST_Subdivide(geom, %s) AS geom FROM {s}"
            ).format(p=sql.Identifier(pieces), k=sql.Identifier(key), s=sql.Identifier(source)),
            (PIECE_VERTICES,),
        )
        cursor.execute(sql.SQL("CREATE INDEX ON {} USING gist (geom)").format(sql.Identifier(pieces)))
        cursor.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(pieces)))
    cursor.execute(_UNIT_AT)
    cursor.execute(_FOOTPRINTS_AT)


def _point(table: Table, srid: int) -> sql.Composable:
    """The row's geometry as a WGS84 point expression (``srid`` for a column that declares none)."""
    geometry = sql.Identifier(table.geometry_column or "")
    if table.srid:
        return geometry if srid == 4326 else sql.SQL("ST_Transform({}, 4326)").format(geometry)
    return (
        sql.SQL("ST_Transform(ST_SetSRID({}, %s), 4326)").format(geometry)
        if srid != 4326
        else (sql.SQL("ST_SetSRID({}, 4326)").format(geometry))
    )


def _classified(
    table: Table, srid: int, attributes: Sequence[str], where: sql.Composable, grid: CellGrid
) -> sql.Composable:
    """SELECT attributes, pt, is_point, unit, footprints: one row per row of the register; a point
    in a cell wholly inside (or outside) is settled by the cell, one in a crossed cell exactly."""
    kept = [sql.Identifier(a) for a in attributes]

    def cell(size: float, columns: int, rows: int) -> sql.Composable:
        return sql.SQL(
            "CASE WHEN src.is_point AND ST_X(src.pt) >= {x0} AND ST_Y(src.pt) >= {y0} "
            "AND floor((ST_X(src.pt) - {x0}) / {d}) < {nx} AND floor((ST_Y(src.pt) - {y0}) / {d}) < {ny} "
            "THEN (floor((ST_Y(src.pt) - {y0}) / {d}) * {nx} + floor((ST_X(src.pt) - {x0}) / {d}))::bigint END"
        ).format(
            x0=sql.Literal(grid.x0),
            y0=sql.Literal(grid.y0),
            d=sql.Literal(size),
            nx=sql.Literal(columns),
            ny=sql.Literal(rows),
        )

    fine = grid.fine
    return sql.SQL(
        """SELECT {attrs}src.pt, src.is_point,
  CASE WHEN k.exact IS NOT TRUE THEN k.unit WHEN f.exact IS NOT TRUE THEN f.unit
       ELSE pg_temp.atlas_unit_at(src.pt) END AS unit,
  CASE WHEN k.exact IS NOT TRUE THEN k.footprints WHEN f.exact IS NOT TRUE THEN f.footprints
       ELSE pg_temp.atlas_footprints_at(src.pt) END AS footprints
FROM (SELECT {src_attrs}p.pt, coalesce(GeometryType(p.pt) = 'POINT' AND NOT ST_IsEmpty(p.pt), false) AS is_point
      FROM (SELECT {inner_attrs}{point} AS pt FROM {table}{where}) p) src
LEFT JOIN atlas_cells k ON k.cell = {cell}
LEFT JOIN atlas_fine_cells f ON k.exact AND f.cell = {fine_cell}"""
    ).format(
        attrs=sql.SQL("").join(sql.SQL("src.{}, ").format(a) for a in kept),
        src_attrs=sql.SQL("").join(sql.SQL("p.{}, ").format(a) for a in kept),
        inner_attrs=sql.SQL("").join(sql.SQL("{}::text AS {}, ").format(a, a) for a in kept),
        point=_point(table, srid),
        table=table.identifier,
        where=where,
        cell=cell(grid.cell_deg, grid.nx, grid.ny),
        fine_cell=cell(grid.cell_deg / fine, grid.nx * fine, grid.ny * fine),
    )


def _parameters(table: Table, srid: int, values: list) -> list:
    return ([srid] if not table.srid and srid != 4326 else []) + values


def classify_in_database(
    connection: psycopg.Connection,
    table: Table,
    *,
    units: Sequence[UnitShape],
    footprints: Mapping[str, object],
    grid: CellGrid,
    filters: list[tuple[str, str]] = (),  # type: ignore[assignment]
    srid: int | None = None,
    rows_to: BinaryIO | None = None,
) -> Counts:
    """Counts per unit, corridor and footprint of the (filtered) points of ``table``, computed in
    the database; with ``rows_to``, every row (its columns as text, then ``atlas_lon_wgs84``, ``atlas_lat_wgs84``,
    ``atlas_adcode``, ``atlas_unit_zh``, ``atlas_unit_en``, ``atlas_corridors`` and ``atlas_footprints``) is
    also streamed there as CSV (UTF-8, a header row). ``srid`` overrides the column's SRID (needed
    when it declares none)."""
    srid = srid or table.srid
    if not srid:
        raise DatabaseError(
            f"{table.qualified}.{table.geometry_column} declares no SRID: give the coordinate system (--crs EPSG:…)",
            zh=f"{table.qualified}.{table.geometry_column} 未声明 SRID：请指定坐标系（--crs EPSG:…）",
        )
    table_columns = columns(connection, table)
    where, values = where_clause(table_columns, list(filters))
    params = _parameters(table, srid, values)
    counts = Counts()
    try:
        with connection.transaction(), connection.cursor() as cursor:
            _write_shapes(cursor, units, footprints, grid)
            if rows_to is not None:
                attributes = [name for name, _kind in table_columns if name != table.geometry_column]
                _stream_rows(cursor, _classified(table, srid, attributes, where, grid), attributes, params, rows_to)
            counted = sql.SQL("SELECT is_point, unit, footprints, count(*) FROM ({}) s GROUP BY 1, 2, 3").format(
                _classified(table, srid, [], where, grid)
            )
            for is_point, unit, ids, n in cursor.execute(counted, params).fetchall():
                _add(counts, units, is_point, unit, ids or (), int(n))
    except psycopg.Error as exc:
        raise query_error(
            exc, "", doing_en=f"classifying {table.qualified}", doing_zh=f"在数据库内分类 {table.qualified}"
        ) from None
    return counts


def _add(counts: Counts, units: Sequence[UnitShape], is_point: bool, unit: str | None, ids, n: int) -> None:
    counts.rows += n
    if not is_point:
        counts.no_point += n
        return
    if unit is None:
        counts.outside += n
    else:
        counts.by_unit[unit] = counts.by_unit.get(unit, 0) + n
        for corridor in next(u.corridors for u in units if u.adcode == unit):
            counts.by_corridor[corridor] = counts.by_corridor.get(corridor, 0) + n
    for corridor in ids:
        counts.by_footprint[corridor] = counts.by_footprint.get(corridor, 0) + n


def _stream_rows(
    cursor: psycopg.Cursor, classified: sql.Composable, attributes: Sequence[str], params: list, out: BinaryIO
) -> None:
    names = [sql.SQL("c.{}").format(sql.Identifier(a)) for a in attributes]
    query = sql.SQL(
        """COPY (SELECT {names}{sep}CASE WHEN c.is_point THEN round(ST_X(c.pt)::numeric, 7) END AS atlas_lon_wgs84,
  CASE WHEN c.is_point THEN round(ST_Y(c.pt)::numeric, 7) END AS atlas_lat_wgs84, c.unit AS atlas_adcode,
  u.name_zh AS atlas_unit_zh, u.name_en AS atlas_unit_en, coalesce(u.corridors, '') AS atlas_corridors,
  coalesce(array_to_string(c.footprints, '|'), '') AS atlas_footprints
FROM ({classified}) c LEFT JOIN atlas_units u ON u.adcode = c.unit) TO STDOUT (FORMAT csv, HEADER)"""
    ).format(names=sql.SQL(", ").join(names), sep=sql.SQL(", ") if names else sql.SQL(""), classified=classified)
    with cursor.copy(query, params) as copy:
        for chunk in copy:
            out.write(bytes(chunk))
