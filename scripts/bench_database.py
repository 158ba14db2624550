"""Benchmark (issue 27): a register of N generated points in PostGIS (default 10 M), classified
inside the database versus pulled into the Python classifier, in the same run.

A throw-away cluster is started (tests/postgis_cluster.py: PostgreSQL 15 with PostGIS from
Debian's packages, 127.0.0.1 only) and removed afterwards. Each path runs in its own process, so
the peak memory (max RSS) printed is that path's alone:

- database: ``userdata.from_database.classify_inside`` (units and footprints in temporary
  GiST-indexed pieces, counts returned; nothing per row comes back);
- pull: the rows' coordinates fetched in batches through a server-side cursor (the cheapest way to
  bring them into Python: two floats a row), then ``spatial.classify`` (the unit grid), counted;
- file pipeline (on the first M rows only, default 1 M): ``userdata.from_database.pull_and_classify``,
  what ``atlas classify --db --pull`` and the Import page do: every column read, the rows kept as a
  GeoPackage and checked row by row like a file.

The counts per unit of the paths are checked to be identical.

Run: python scripts/bench_database.py [N [M]]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from postgis_cluster import fresh_database, postgis_cluster

import layers
from database.catalog import find_table
from database.connection import connect
from spatial.classify import build_unit_grid, classify_unit_index
from userdata.from_database import classify_inside, pull_and_classify

BATCH = 200_000


def _database_path(url: str, table: str) -> dict:
    atlas = layers.load_atlas()
    start = time.perf_counter()
    with connect(url, timeout_s=3600) as connection:
        counts = classify_inside(connection, find_table(connection, table), [], atlas=atlas)
    return {"seconds": time.perf_counter() - start, "by_unit": counts.by_unit, "rows": counts.rows}


def _pipeline_path(url: str, table: str) -> dict:
    atlas = layers.load_atlas()
    start = time.perf_counter()
    with connect(url, timeout_s=3600) as connection:
        *_, counts = pull_and_classify(connection, find_table(connection, table), [], atlas=atlas)
    return {"seconds": time.perf_counter() - start, "by_unit": counts.by_unit, "rows": counts.rows}


def _pull_path(url: str, table: str) -> dict:
    atlas = layers.load_atlas()
    grid = build_unit_grid(atlas.units)
    start = time.perf_counter()
    found = np.zeros(len(grid.codes) + 1, dtype=np.int64)
    rows = 0
    with connect(url, timeout_s=3600) as connection, connection.transaction(), connection.cursor(name="p") as cursor:
        cursor.itersize = BATCH
        cursor.execute(sql.SQL("SELECT ST_X(geom), ST_Y(geom) FROM {}").format(sql.Identifier(table)))
        while batch := cursor.fetchmany(BATCH):
            xy = np.asarray(batch, dtype=float)
            index = classify_unit_index(grid, xy[:, 0], xy[:, 1])
            found += np.bincount(np.where(index < 0, len(grid.codes), index), minlength=len(found))
            rows += len(batch)
    by_unit = {str(code): int(n) for code, n in zip(grid.codes, found[:-1], strict=True) if n}
    return {"seconds": time.perf_counter() - start, "by_unit": by_unit, "rows": rows}


PATHS = {"database": _database_path, "pull": _pull_path, "pipeline": _pipeline_path}


def child(path: str, url: str, table: str) -> None:
    result = PATHS[path](url, table)
    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def _run(path: str, url: str, table: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", path, url, table], capture_output=True, text=True, cwd=ROOT
    )
    if done.returncode:
        raise SystemExit(f"the {path} path failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _line(label: str, result: dict) -> str:
    return f"{label:<34}{result['seconds']:8.1f} s   peak memory {result['max_rss_mb']:7.0f} MB"


def main(n: int, m: int) -> None:
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
            connection.execute("CREATE TABLE sample AS SELECT * FROM register WHERE id <= %s", (m,))
            connection.execute("ANALYZE register")
            connection.execute("ANALYZE sample")
        print(f"points: {n:,} generated in PostGIS in {time.perf_counter() - start:.1f} s; sample: the first {m:,}")
        big = {path: _run(path, url, "register") for path in ("database", "pull")}
        small = {path: _run(path, url, "sample") for path in ("database", "pull", "pipeline")}
    same = (
        big["database"]["by_unit"] == big["pull"]["by_unit"]
        and big["database"]["rows"] == big["pull"]["rows"] == n
        and small["database"]["by_unit"] == small["pull"]["by_unit"] == small["pipeline"]["by_unit"]
    )
    print(f"{n:,} points")
    print(_line("  in the database:", big["database"]))
    print(_line("  coordinates pulled into Python:", big["pull"]))
    print(f"  ratio time pull / database:   {big['pull']['seconds'] / big['database']['seconds']:.2f}x")
    print(f"  ratio memory pull / database: {big['pull']['max_rss_mb'] / big['database']['max_rss_mb']:.2f}x")
    print(f"{m:,} points")
    print(_line("  in the database:", small["database"]))
    print(_line("  coordinates pulled into Python:", small["pull"]))
    print(_line("  rows read and checked as a file:", small["pipeline"]))
    print(
        f"  ratio time file pipeline / database:   {small['pipeline']['seconds'] / small['database']['seconds']:.2f}x"
    )
    ratio = small["pipeline"]["max_rss_mb"] / small["database"]["max_rss_mb"]
    print(f"  ratio memory file pipeline / database: {ratio:.2f}x")
    growth = big["database"]["max_rss_mb"] / small["database"]["max_rss_mb"]
    print(f"memory of the database path, {n:,} / {m:,} points: {growth:.2f}x")
    print(f"identical counts per unit: {same}")
    if not same:
        raise SystemExit("counts differ")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
        main(n, int(sys.argv[2]) if len(sys.argv) > 2 else min(n, 1_000_000))
