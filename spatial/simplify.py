"""Simplify a polygon coverage (units that tile an area) without opening gaps or overlaps."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from spatial.crs import PLANNING_CRS, require_wgs84


def simplify_coverage(frame: gpd.GeoDataFrame, *, tolerance_m: float, decimals: int = 5) -> gpd.GeoDataFrame:
    """Return ``frame`` with its polygons simplified as one coverage.

    The coverage is first cleaned (``shapely.coverage_clean``: overlaps of the source data
    go to one neighbour and shared edges become vertex-identical), then shared borders are
    simplified once (``shapely.coverage_simplify``), both in the planning CRS EPSG:4549 so
    the tolerance is in metres. Neighbours keep identical edges: no gaps, no slivers.
    Coordinates are then rounded to ``decimals`` degrees (5 is about 1 m);
    rounding is a pure function of each coordinate, so shared vertices stay shared.
    """
    require_wgs84(frame, name="coverage")
    if tolerance_m < 0:
        raise ValueError(f"tolerance_m must be >= 0; got {tolerance_m}")
    projected = frame.geometry.to_crs(PLANNING_CRS)
    cleaned = shapely.coverage_clean(projected.values, snapping_distance=1.0)
    simplified = shapely.coverage_simplify(cleaned, tolerance_m) if tolerance_m else cleaned
    back = gpd.GeoSeries(simplified, crs=PLANNING_CRS).to_crs(4326)
    rounded = shapely.transform(back.values, lambda xy: np.round(xy, decimals))
    repaired = np.array([g if g.is_valid else shapely.make_valid(g) for g in rounded], dtype=object)
    return frame.set_geometry(gpd.GeoSeries(repaired, index=frame.index, crs=4326))


def union_of(frame: gpd.GeoDataFrame, codes, *, code_column: str = "adcode"):
    """The union of the coverage members whose ``code_column`` is in ``codes`` (a shared-edge union)."""
    parts = frame.loc[frame[code_column].isin(list(codes))].geometry.values
    return shapely.coverage_union_all(parts)
