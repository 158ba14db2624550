"""A table or view in the bureau's database taken in as a planner's file is: read into a
GeoPackage snapshot that the file pipeline checks row by row (points) or feature by feature
(borders), or, for a register too large to pull, classified inside the database
(``database.classify``) against the same units and footprints.

The SRID a table declares is checked against its coordinates before anything is classified:
metres declared as degrees (or the reverse) would put every row outside Suzhou.
"""

from __future__ import annotations

import io
import warnings
from typing import BinaryIO

import numpy as np
import pandas as pd
import psycopg
import pyogrio
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError as ProjCRSError

from atlas_core.errors import DatabaseError
from database.catalog import KINDS_ZH, Table
from database.classify import CellGrid, Counts, UnitShape, classify_in_database
from database.reading import extent, read_frame
from presentation.i18n import t
from safety.spreadsheet import xlsx_bytes
from spatial.classify import UnitGrid, build_unit_grid
from spatial.extent import SUZHOU_LAT_RANGE, SUZHOU_LON_RANGE
from userdata.boundaries import guess_crs, match_units, read_boundaries, replace_units
from userdata.reading import TableInfo, read_table
from userdata.tables import TableReport, classify_table

SNAPSHOT_PREFIX = "PostGIS "  # the name of rows read from the database, as a file's name is shown
NAMED_SYSTEMS = {4326: "wgs84", 4490: "cgcs2000"}  # what the table path calls these SRIDs
DATUM_SYSTEMS = ("gcj02", "bd09")  # offsets of the points, not SRIDs: only the Python path undoes them


def snapshot_kind(table: Table) -> str:
    """What :func:`snapshot` makes of ``table``, as ``read_table``'s ``kind``."""
    return "geo" if table.geometry_column is not None else "xlsx"


def _filters_text(filters: list[tuple[str, str]]) -> str:
    return "".join(f" [{column}={value}]" for column, value in filters)


def source_name(table: Table, filters: list[tuple[str, str]]) -> str:
    """What rows read from the database are called where a file's name is shown (the map's
    layers, the legend, the figure's source line): ``PostGIS schema.table [column=value]``."""
    return f"{SNAPSHOT_PREFIX}{table.qualified}{_filters_text(filters)}"


def _rows(connection: psycopg.Connection, table: Table, filters: list[tuple[str, str]], max_rows: int | None):
    """The rows read, or an error saying there are none (an empty filter is not a bad file)."""
    frame = read_frame(connection, table, filters, max_rows=max_rows)
    if frame.empty:
        shown = _filters_text(filters)
        raise DatabaseError(
            t("db_empty", "en", table=table.qualified, filters=shown),
            zh=t("db_empty", "zh", table=table.qualified, filters=shown),
        )
    return frame


def input_crs(table: Table, crs: str | None = None) -> str:
    """The coordinate system to read the points in: the planner's (``crs``), else the table's SRID."""
    if crs:
        return crs
    if not table.srid:
        raise DatabaseError(
            f"{table.qualified}.{table.geometry_column} declares no SRID: give the coordinate system "
            "(e.g. --crs EPSG:4549, or wgs84)",
            zh=f"{table.qualified}.{table.geometry_column} 未声明 SRID：请指定坐标系（例如 --crs EPSG:4549 或 wgs84）",
        )
    return NAMED_SYSTEMS.get(table.srid, f"EPSG:{table.srid}")


def _srid_of(crs: str) -> int:
    named = {name: srid for srid, name in NAMED_SYSTEMS.items()}
    if crs.lower() in named:
        return named[crs.lower()]
    if crs.lower() in DATUM_SYSTEMS:
        raise DatabaseError(
            f"points in {crs.upper()} cannot be classified inside the database (the offset is undone in Python): "
            "classify them with --pull, or convert them in the database first",
            zh=f"{crs.upper()} 坐标无法在数据库内分类（偏移须在 Python 中纠正）：请使用 --pull，或先在数据库中转换",
        )
    try:
        epsg = CRS.from_user_input(crs).to_epsg()
    except ProjCRSError:
        epsg = None
    if not epsg:
        raise DatabaseError(
            f"unknown coordinate system {crs!r}: give an EPSG code such as EPSG:4549",
            zh=f"未知坐标系 {crs!r}：请给出 EPSG 代码，例如 EPSG:4549",
        )
    return int(epsg)


def check_srid(
    connection: psycopg.Connection, table: Table, filters: list[tuple[str, str]], crs: str | None = None
) -> None:
    """Refuse a table whose coordinates cannot be in Suzhou in the system it declares (or the
    planner gave), naming the system they look like."""
    srid = _srid_of(input_crs(table, crs))
    bounds = extent(connection, table, filters).bounds
    if bounds is None:
        return  # no geometry at all: every row is reported as having no point
    try:
        lon0, lat0, lon1, lat1 = Transformer.from_crs(srid, 4326, always_xy=True).transform_bounds(*bounds)
    except Exception:  # PROJ cannot take these numbers in that system at all
        lon0 = lat0 = lon1 = lat1 = float("nan")
    overlaps = (
        np.isfinite([lon0, lat0, lon1, lat1]).all()
        and lon0 <= SUZHOU_LON_RANGE[1]
        and lon1 >= SUZHOU_LON_RANGE[0]
        and lat0 <= SUZHOU_LAT_RANGE[1]
        and lat1 >= SUZHOU_LAT_RANGE[0]
    )
    if overlaps:
        return
    guess = guess_crs(bounds)
    shown = ", ".join(f"{v:.6f}" if abs(v) <= 360 else f"{v:.0f}" for v in bounds)  # degrees, or metres
    looks_en = f"; they look like {guess}" if guess and guess != f"EPSG:{srid}" else ""
    looks_zh = f"；看起来像 {guess}" if guess and guess != f"EPSG:{srid}" else ""
    raise DatabaseError(
        f"{table.qualified}.{table.geometry_column} is read as SRID {srid}, but its coordinates (extent {shown}) "
        f"are not in Suzhou in that system{looks_en}. Correct the column's SRID in the database "
        "(UpdateGeometrySRID), or choose the system its numbers are in (--crs on the command line)",
        zh=f"{table.qualified}.{table.geometry_column} 按 SRID {srid} 读取，但其坐标（范围 {shown}）"
        f"在该坐标系下不在苏州{looks_zh}。请在数据库中更正该列的 SRID（UpdateGeometrySRID），"
        "或选择其坐标实际所用的坐标系（命令行用 --crs）",
    )


def snapshot(
    connection: psycopg.Connection, table: Table, filters: list[tuple[str, str]], *, max_rows: int | None = None
) -> bytes:
    """The (filtered) rows as a file: a GeoPackage, or for a table without geometry a workbook (its
    cells kept as text, exactly: ``snapshot_kind``), what the Import page and a saved workspace keep,
    so the rows are checked by the file pipeline and a reopened workspace needs no database."""
    frame = _rows(connection, table, filters, max_rows)
    if table.geometry_column is None:
        return xlsx_bytes({table.name: frame})
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "no CRS": kept as the table declares it (none)
        pyogrio.write_dataframe(frame, buffer, driver="GPKG", layer=table.name)
    return buffer.getvalue()


def atlas_with_borders(connection: psycopg.Connection, table: Table, filters: list[tuple[str, str]], atlas):
    """``atlas`` with its ten units' borders replaced by a table's polygons, read and checked as a
    boundary file is (repairs, features far from Suzhou dropped, matched by code or name; all ten
    matched once, or refused with what is missing)."""
    data = snapshot(connection, table, filters)
    frame, report = read_boundaries(data, source_name(table, filters), max_bytes=len(data))
    return replace_units(atlas, frame, match_units(frame, atlas.units, report))


def _unit_corridors(atlas) -> dict[str, tuple[str, ...]]:
    """adcode -> the corridors the unit is a member of, in the layout in force."""
    return atlas.members.groupby("adcode")["corridor_id"].agg(tuple).to_dict()


def unit_shapes(atlas) -> list[UnitShape]:
    """The units in force as the database classifier takes them (with their corridors)."""
    corridors = _unit_corridors(atlas)
    return [
        UnitShape(str(row.adcode), str(row.name_zh), str(row.name_en), corridors.get(row.adcode, ()), row.geometry)
        for row in atlas.units.itertuples()
    ]


def footprint_shapes(atlas) -> dict[str, object]:
    """Each corridor's footprint (its members' land within its band of the spine), WGS84."""
    return {str(row.id): row.footprint for row in atlas.corridors.itertuples() if row.footprint is not None}


FINE = 4  # each coarse cell a border crosses is cut into FINE x FINE sub-cells for the database


def _label_boxes(boxes: np.ndarray, units, footprints: dict) -> tuple[list, np.ndarray, list[list[str]]]:
    """For each box: the unit wholly containing it (or None), whether a unit's or footprint's
    border crosses it, and the footprints wholly covering it."""
    unit_of: list = [None] * boxes.size
    exact = np.zeros(boxes.size, dtype=bool)
    covering: list[list[str]] = [[] for _ in range(boxes.size)]
    tree = shapely.STRtree(boxes)
    for code, shape in zip(units["adcode"], units.geometry, strict=True):
        hit = tree.query(shape, predicate="intersects")
        inside = shapely.contains_properly(shape, boxes[hit])
        exact[hit[~inside]] = True
        for box in hit[inside]:
            exact[box] |= unit_of[box] is not None  # inside two overlapping units: decide exactly
            unit_of[box] = str(code)
    for corridor, shape in footprints.items():
        hit = tree.query(shape, predicate="intersects")
        inside = shapely.contains_properly(shape, boxes[hit])
        exact[hit[~inside]] = True
        for box in hit[inside]:
            covering[box].append(corridor)
    return unit_of, exact, covering


def _cells(numbers: np.ndarray, unit_of: list, exact: np.ndarray, covering: list[list[str]]) -> list:
    settled = np.array([u is not None or bool(c) for u, c in zip(unit_of, covering, strict=True)], dtype=bool)
    keep = np.flatnonzero(exact | settled)
    return [(int(numbers[i]), unit_of[i], tuple(covering[i]), bool(exact[i])) for i in keep]


def cell_grid(atlas, grid: UnitGrid | None = None) -> CellGrid:
    """The Python classifier's grid over the units in force (and the corridors' footprints), with
    each crossed cell cut into FINE x FINE sub-cells: a point in a crossed sub-cell is tested
    exactly, every other point settled by its cell. A box is settled only when it lies wholly
    inside a shape (or touches none), so the grids change how fast, never what, a point gets."""
    grid = grid if grid is not None else build_unit_grid(atlas.units)
    ny, nx = grid.labels.shape
    d = grid.cell_deg
    iy, ix = np.divmod(np.arange(nx * ny), nx)
    boxes = shapely.box(grid.x0 + ix * d, grid.y0 + iy * d, grid.x0 + (ix + 1) * d, grid.y0 + (iy + 1) * d)
    footprints = footprint_shapes(atlas)
    unit_of, exact, covering = _label_boxes(boxes, atlas.units, footprints)
    coarse = _cells(np.arange(boxes.size), unit_of, exact, covering)
    crossed = np.flatnonzero(exact)
    sy, sx = np.divmod(np.arange(FINE * FINE), FINE)
    fy = (iy[crossed][:, None] * FINE + sy[None, :]).ravel()
    fx = (ix[crossed][:, None] * FINE + sx[None, :]).ravel()
    f = d / FINE
    fine_boxes = shapely.box(grid.x0 + fx * f, grid.y0 + fy * f, grid.x0 + (fx + 1) * f, grid.y0 + (fy + 1) * f)
    fine_unit_of, fine_exact, fine_covering = _label_boxes(fine_boxes, atlas.units, footprints)
    fine = _cells(fy * (nx * FINE) + fx, fine_unit_of, fine_exact, fine_covering)
    return CellGrid(grid.x0, grid.y0, d, int(nx), int(ny), coarse, FINE, fine)


def pull_and_classify(
    connection: psycopg.Connection,
    table: Table,
    filters: list[tuple[str, str]],
    *,
    atlas,
    crs: str | None = None,
    max_rows: int | None = None,
    columns: dict[str, str | None] | None = None,
) -> tuple[pd.DataFrame, TableReport, TableInfo, Counts]:
    """The Python path: the rows pulled and classified like a file (every row reported); returns
    (classified table, report, how it was read, counts). A table without a geometry column is
    read as a spreadsheet is: placed by its coordinate columns or, without them, by its addresses
    (``columns``: the planner's ``lon``, ``lat``, ``name`` and ``address`` columns, else found by name)."""
    if table.geometry_column is None:
        frame = _rows(connection, table, filters, max_rows)
        info = TableInfo(
            file_kind="database",
            row_numbers=np.arange(1, len(frame) + 1),
            notes=[
                (
                    f"{table.qualified} is a {table.kind} of {len(frame)} rows without a geometry column, read as a "
                    "table; row numbers are positions in what the database returned",
                    f"{table.qualified} 是含 {len(frame)} 行、无几何列的{KINDS_ZH[table.kind]}，已按表格读取；"
                    "行号即数据库返回结果中的序号",
                )
            ],
        )
        chosen = columns or {}
        classified, report = classify_table(
            frame,
            info,
            atlas=atlas,
            crs=crs or "wgs84",
            lon_column=chosen.get("lon"),
            lat_column=chosen.get("lat"),
            name_column=chosen.get("name"),
            address_column=chosen.get("address"),
        )
        return classified, report, info, counts_of(classified, frame, info, atlas)
    check_srid(connection, table, filters, crs)
    data = snapshot(connection, table, filters, max_rows=max_rows)
    frame, info = read_table(data, source_name(table, filters), max_bytes=len(data))  # no upload: no upload limit
    classified, report = classify_table(frame, info, atlas=atlas, crs=input_crs(table, crs))
    return classified, report, info, counts_of(classified, frame, info, atlas)


def counts_of(classified: pd.DataFrame, frame: pd.DataFrame, info: TableInfo, atlas) -> Counts:
    """The counts of a table classified in Python, in the terms of the database's (``Counts``)."""
    has_point = (frame[info.lon_column] != "").to_numpy() if info.lon_column else np.ones(len(frame), bool)
    codes = classified["atlas_adcode"].to_numpy(dtype=object)
    placed = has_point & (codes != "")
    counts = Counts(rows=len(frame), no_point=int((~has_point).sum()), outside=int((has_point & ~placed).sum()))
    corridors = _unit_corridors(atlas)
    for code, n in zip(*np.unique(codes[placed].astype(str), return_counts=True), strict=True):
        counts.by_unit[str(code)] = int(n)
        for corridor in corridors.get(code, ()):
            counts.by_corridor[corridor] = counts.by_corridor.get(corridor, 0) + int(n)
    lon = classified["atlas_lon_wgs84"].to_numpy(dtype=float)
    lat = classified["atlas_lat_wgs84"].to_numpy(dtype=float)
    located = np.isfinite(lon) & np.isfinite(lat)
    for corridor, shape in footprint_shapes(atlas).items():
        hits = int(shapely.intersects_xy(shape, lon[located], lat[located]).sum())
        if hits:
            counts.by_footprint[corridor] = hits
    return counts


def classify_inside(
    connection: psycopg.Connection,
    table: Table,
    filters: list[tuple[str, str]],
    *,
    atlas,
    crs: str | None = None,
    rows_to: BinaryIO | None = None,
    grid: UnitGrid | None = None,
) -> Counts:
    """The database path: counts (and, with ``rows_to``, the classified rows as CSV) computed by
    PostGIS against the units and footprints in force."""
    if table.geometry_column is None:
        raise DatabaseError(
            f"{table.qualified} has no geometry column: classify it with --pull, by its coordinate or address "
            "columns, as a spreadsheet is",
            zh=f"{table.qualified} 没有几何列：请用 --pull 按其坐标列或地址列分类（与表格文件相同）",
        )
    check_srid(connection, table, filters, crs)
    return classify_in_database(
        connection,
        table,
        units=unit_shapes(atlas),
        footprints=footprint_shapes(atlas),
        grid=cell_grid(atlas, grid),
        filters=filters,
        srid=_srid_of(input_crs(table, crs)),
        rows_to=rows_to,
    )
