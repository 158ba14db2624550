"""Benchmark: classify 1 M points into units, grid fast path vs geopandas.sjoin, in one run.

Both timings include building the inputs each method needs from raw lon/lat arrays
(sjoin: the points GeoDataFrame; fast path: nothing beyond the arrays). The unit grid is
built once per session in real use; its build time is printed separately and also
added in a second ratio. Assignments are checked to be identical.

Run: python scripts/bench_classify.py [N]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import layers
from spatial.classify import build_unit_grid, classify_points


def main(n: int = 1_000_000, repeats: int = 3) -> None:
    units = layers.load_units()
    rng = np.random.default_rng(2025)
    lon = rng.uniform(119.85, 121.45, n)
    lat = rng.uniform(30.7, 32.1, n)

    t0 = time.perf_counter()
    grid = build_unit_grid(units)
    grid_s = time.perf_counter() - t0

    fast_s, sjoin_s = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        ours = classify_points(grid, lon, lat)["adcode"].to_numpy()
        fast_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
        joined = gpd.sjoin(pts, units[["adcode", "geometry"]], predicate="within", how="left")
        ref = joined["adcode"].groupby(level=0).first().reindex(range(n)).to_numpy()
        sjoin_s.append(time.perf_counter() - t0)

    same = np.array_equal(
        np.array([c if c is not None else "-" for c in ours], dtype=object),
        np.array([c if isinstance(c, str) else "-" for c in ref], dtype=object),
    )
    fast, slow = min(fast_s), min(sjoin_s)
    print(f"points: {n:,}; best of {repeats}")
    print(f"grid build (once per session): {grid_s:.3f} s")
    print(f"fast path:                     {fast:.3f} s")
    print(f"geopandas.sjoin (within):      {slow:.3f} s")
    print(f"ratio sjoin / fast:            {slow / fast:.1f}x")
    print(f"ratio sjoin / (fast + build):  {slow / (fast + grid_s):.1f}x")
    print(f"identical assignments:         {same}")
    if not same:
        raise SystemExit("assignments differ")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
