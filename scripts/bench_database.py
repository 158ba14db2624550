"""Benchmark (issue 27): a register of N generated points in PostGIS (default 10 M), classified
inside the database versus pulled into the Python classifier, in the same run.

A throw-away cluster is started (tests/postgis_cluster.py: PostgreSQL 15 with PostGIS from
Debian's packages, 127.0.0.1 only) and removed afterwards. Each path runs in its own process, so
the peak memory (max RSS) printed is that path's alone:

- database: ``userdata.from_database.classify_inside`` (units and footprints in temporary
  GiST-indexed pieces, counts returned; nothing per row comes back);
- pull: the rows' coordinates fetched in batches through a server-side cursor (the cheapest way to
  bring them into Python: two floats a row), then ``spatial.classify`` (the unit grid), counted.

The counts per unit of both paths are checked to be identical.

Run: python scripts/bench_database.py [N]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

BATCH = 200_000


def _database_path(url: str) -> dict:
    import layers
    from database.catalog import find_table
    from database.connection import connect
    from userdata.from_database import classify_inside

    atlas = layers.load_atlas()
    start = time.perf_counter()
    with connect(url, timeout_s=3600) as connection:
        counts = classify_inside(connection, find_table(connection, "register"), [], atlas=atlas)
    return {"seconds": time.perf_counter() - start, "by_unit": counts.by_unit, "rows": counts.rows}


def _pull_path(url: str) -> dict:
    import layers
    from database.connection import connect
    from spatial.classify import build_unit_grid, classify_unit_index

    atlas = layers.load_atlas()
    grid = build_unit_grid(atlas.units)
    start = time.perf_counter()
    found = np.zeros(len(grid.codes) + 1, dtype=np.int64)
    rows = 0
    with connect(url, timeout_s=3600) as connection, connection.transaction(), connection.cursor(name="p") as cursor:
        cursor.itersize = BATCH
        cursor.execute("SELECT ST_X(geom), ST_Y(geom) FROM register")
        while batch := cursor.fetchmany(BATCH):
            xy = np.asarray(batch, dtype=float)
            index = classify_unit_index(grid, xy[:, 0], xy[:, 1])
            found += np.bincount(np.where(index < 0, len(grid.codes), index), minlength=len(found))
            rows += len(batch)
    by_unit = {str(code): int(n) for code, n in zip(grid.codes, found[:-1], strict=True) if n}
    return {"seconds": time.perf_counter() - start, "by_unit": by_unit, "rows": rows}


def child(path: str, url: str) -> None:
    result = (_database_path if path == "database" else _pull_path)(url)
    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def _run(path: str, url: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", path, url], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(n: int) -> None:
    import psycopg
    from postgis_cluster import fresh_database, postgis_cluster

    with postgis_cluster() as cluster:
        url = fresh_database(cluster, "bench")
        start = time.perf_counter()
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("SELECT setseed(0.27)")
            connection.execute(
                "CREATE TABLE register AS SELECT g AS id, ST_SetSRID(ST_MakePoint(119.85 + random() * 1.6, "
                "30.7 + random() * 1.4), 4326)::geometry(Point, 4326) AS geom FROM generate_series(1, %s) g",
                (n,),
            )
            connection.execute("ANALYZE register")
        print(f"points: {n:,} generated in PostGIS in {time.perf_counter() - start:.1f} s")
        database = _run("database", url)
        pull = _run("pull", url)
    same = database["by_unit"] == pull["by_unit"] and database["rows"] == pull["rows"] == n
    print(f"in the database:        {database['seconds']:8.1f} s   peak memory {database['max_rss_mb']:7.0f} MB")
    print(f"pulled into Python:     {pull['seconds']:8.1f} s   peak memory {pull['max_rss_mb']:7.0f} MB")
    print(f"ratio time pull / database:   {pull['seconds'] / database['seconds']:.2f}x")
    print(f"ratio memory pull / database: {pull['max_rss_mb'] / database['max_rss_mb']:.2f}x")
    print(f"identical counts per unit:    {same}")
    if not same:
        raise SystemExit("counts differ")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000)
