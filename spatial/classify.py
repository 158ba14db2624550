"""Assign many points to planning units fast, with a cell grid that settles most points by lookup.

The grid covers the units' bounds. A cell wholly inside one unit answers for every point
in it; a cell touching no unit answers "outside"; only points in cells crossed by a
boundary are tested exactly (``shapely.contains_xy`` on prepared polygons), so every
uncertain point is decided exactly.

A point on a border (round numbers typed by hand often are) belongs to exactly one unit: the
one it lies inside, else, of the units whose border it lies on, the one with the smallest code.
A point on the city's outer border is in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from atlas_core.errors import CoordinateError
from spatial.crs import require_wgs84

OUTSIDE = -1
_BOUNDARY = -2
DEFAULT_CELL_DEG = 0.01


@dataclass(frozen=True)
class UnitGrid:
    """A prebuilt lookup grid over a set of unit polygons (EPSG:4326)."""

    codes: np.ndarray  # unit codes, position = unit index
    geometries: np.ndarray  # prepared shapely polygons, same order
    x0: float
    y0: float
    cell_deg: float
    labels: np.ndarray  # (ny, nx) int: unit index, OUTSIDE, or _BOUNDARY
    candidates: dict  # (iy, ix) -> unit indices crossing that boundary cell


def build_unit_grid(units, *, code_column: str = "adcode", cell_deg: float = DEFAULT_CELL_DEG) -> UnitGrid:
    """Build the lookup grid for ``units`` (a GeoDataFrame in EPSG:4326)."""
    require_wgs84(units, name="units")
    geoms = np.array(units.geometry.values, dtype=object)
    shapely.prepare(geoms)
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    nx = int(np.ceil((maxx - minx) / cell_deg)) + 1
    ny = int(np.ceil((maxy - miny) / cell_deg)) + 1
    xs = minx + np.arange(nx) * cell_deg
    ys = miny + np.arange(ny) * cell_deg
    gx, gy = np.meshgrid(xs, ys)
    boxes = shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + cell_deg, gy.ravel() + cell_deg)
    labels = np.full(boxes.shape, OUTSIDE, dtype=np.int32)
    touching: list[list[int]] = [[] for _ in range(boxes.size)]
    tree = shapely.STRtree(boxes)
    for unit_index, geom in enumerate(geoms):
        hit = tree.query(geom, predicate="intersects")
        inside = hit[shapely.contains_properly(geom, boxes[hit])]
        labels[inside] = unit_index
        for cell in np.setdiff1d(hit, inside, assume_unique=True):
            touching[cell].append(unit_index)
    codes = np.asarray(units[code_column].values, dtype=object)
    candidates = {}
    for cell, units_here in enumerate(touching):
        if units_here:
            labels[cell] = _BOUNDARY
            by_code = sorted(units_here, key=lambda i: str(codes[i]))  # the border tie-break's order
            candidates[divmod(cell, nx)] = np.array(by_code, dtype=np.int32)
    return UnitGrid(
        codes,
        geoms,
        float(minx),
        float(miny),
        float(cell_deg),
        labels.reshape(ny, nx),
        candidates,
    )


def classify_unit_index(grid: UnitGrid, lon, lat) -> np.ndarray:
    """Return, for each point, the index of the unit containing it or OUTSIDE (-1).

    NaN coordinates give OUTSIDE; callers that must reject them check first
    (see :func:`classify_points`).
    """
    lon = np.asarray(lon, dtype="float64")
    lat = np.asarray(lat, dtype="float64")
    ny, nx = grid.labels.shape
    ix = np.floor((lon - grid.x0) / grid.cell_deg)
    iy = np.floor((lat - grid.y0) / grid.cell_deg)
    in_grid = (ix >= 0) & (ix < nx) & (iy >= 0) & (iy < ny)
    result = np.full(lon.shape, OUTSIDE, dtype=np.int32)
    ixi = ix[in_grid].astype(np.int64)
    iyi = iy[in_grid].astype(np.int64)
    result[in_grid] = grid.labels[iyi, ixi]
    uncertain = np.flatnonzero(result == _BOUNDARY)
    if uncertain.size:
        result[uncertain] = OUTSIDE
        cells = iy[uncertain].astype(np.int64) * nx + ix[uncertain].astype(np.int64)
        order = np.argsort(cells, kind="stable")
        cells_sorted = cells[order]
        starts = np.flatnonzero(np.r_[True, cells_sorted[1:] != cells_sorted[:-1]])
        ends = np.r_[starts[1:], cells_sorted.size]
        for start, end in zip(starts, ends, strict=True):
            members = uncertain[order[start:end]]
            cell = int(cells_sorted[start])
            for test in (shapely.contains_xy, shapely.intersects_xy):  # inside first, then on a border
                for unit_index in grid.candidates[divmod(cell, nx)]:
                    pending = members[result[members] == OUTSIDE]
                    if not pending.size:
                        break
                    hit = test(grid.geometries[unit_index], lon[pending], lat[pending])
                    result[pending[hit]] = unit_index
    return result


def classify_points(
    grid: UnitGrid, lon, lat, *, unit_corridors: dict[str, tuple[str, ...]] | None = None
) -> pd.DataFrame:
    """Classify WGS84 points into units (and corridors, when ``unit_corridors`` is given).

    Parameters
    ----------
    grid : UnitGrid
        From :func:`build_unit_grid`.
    lon, lat : array-like of float
        WGS84 degrees; non-finite values raise.
    unit_corridors : dict, optional
        adcode -> corridor ids; adds a ``corridors`` column ("|"-joined ids).

    Returns
    -------
    DataFrame with columns ``adcode`` (None outside every unit) and, when asked,
    ``corridors``; one row per input point, in input order.
    """
    lon = np.asarray(lon, dtype="float64")
    lat = np.asarray(lat, dtype="float64")
    bad = ~(np.isfinite(lon) & np.isfinite(lat))
    if bad.any():
        rows = np.flatnonzero(bad)
        shown = ", ".join(str(r) for r in rows[:10])
        raise CoordinateError(
            f"{rows.size} point(s) have missing or non-finite coordinates "
            f"(positions {shown}{' ...' if rows.size > 10 else ''}); "
            "drop or fix them before classifying"
        )
    index = classify_unit_index(grid, lon, lat)
    codes = np.append(np.asarray(grid.codes, dtype=object), [None])[np.where(index == OUTSIDE, len(grid.codes), index)]
    out = pd.DataFrame({"adcode": pd.Series(codes, dtype=object)})
    if unit_corridors is not None:
        joined = {code: "|".join(ids) for code, ids in unit_corridors.items()}
        out["corridors"] = [joined.get(c, "") if c is not None else "" for c in codes]
    return out
