"""Aggregate many points into a hexagon grid (in EPSG:4549 metres) for drawing large inputs."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer

from spatial.crs import PLANNING_CRS

_TO_PLANNING = Transformer.from_crs(4326, PLANNING_CRS, always_xy=True)


def hexbin(lon, lat, *, size_m: float = 1000.0) -> gpd.GeoDataFrame:
    """Count WGS84 points per pointy-top hexagon of circumradius ``size_m`` (EPSG:4549).

    Returns one row per non-empty hexagon: ``q``, ``r`` (axial cell index), ``count`` and the
    hexagon polygon in EPSG:4326. Non-finite points are ignored.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    keep = np.isfinite(lon) & np.isfinite(lat)
    x, y = _TO_PLANNING.transform(lon[keep], lat[keep])
    # axial coordinates of a pointy-top hex grid, then cube rounding
    qf = (math.sqrt(3) / 3 * x - y / 3) / size_m
    rf = (2 / 3 * y) / size_m
    sf = -qf - rf
    q, r, s = np.round(qf), np.round(rf), np.round(sf)
    dq, dr, ds = np.abs(q - qf), np.abs(r - rf), np.abs(s - sf)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    q = np.where(fix_q, -r - s, q)
    r = np.where(fix_r, -q - s, r)
    cells, counts = np.unique(np.column_stack([q, r]).astype(np.int64), axis=0, return_counts=True)
    if len(cells) == 0:
        return gpd.GeoDataFrame({"q": [], "r": [], "count": []}, geometry=[], crs=4326)
    cx = size_m * math.sqrt(3) * (cells[:, 0] + cells[:, 1] / 2)
    cy = size_m * 1.5 * cells[:, 1]
    angles = np.deg2rad(np.arange(6) * 60 + 30)
    rings = np.stack([cx[:, None] + size_m * np.cos(angles), cy[:, None] + size_m * np.sin(angles)], axis=-1)
    polygons = shapely.polygons(np.concatenate([rings, rings[:, :1]], axis=1))
    frame = gpd.GeoDataFrame(
        {"q": cells[:, 0], "r": cells[:, 1], "count": counts}, geometry=polygons, crs=PLANNING_CRS
    ).to_crs(4326)
    return frame.set_geometry(shapely.transform(frame.geometry.values, lambda xy: np.round(xy, 5)))
