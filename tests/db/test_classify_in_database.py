"""The register classified inside PostGIS gives what the Python classifier gives, row by row,
border points included (issue 27)."""

from __future__ import annotations

import csv
import io

import numpy as np
import psycopg
import pytest
import shapely
from postgis_cluster import fresh_database, load_points

from database.catalog import find_table
from database.connection import connect
from userdata.from_database import classify_inside, pull_and_classify

pytestmark = pytest.mark.slow

ROWS = 100_000


def shared_vertices(units) -> np.ndarray:
    """Vertices that lie on the border of two or more units (exactly: they are the same numbers)."""
    seen: dict[tuple[float, float], set[str]] = {}
    for code, geometry in zip(units["adcode"], units.geometry, strict=True):
        for x, y in shapely.get_coordinates(geometry).tolist():
            seen.setdefault((x, y), set()).add(code)
    return np.array([xy for xy, codes in seen.items() if len(codes) > 1])


@pytest.fixture(scope="module")
def register(postgis, atlas):
    """100 000 rows: random points over and around Suzhou, 2 000 on shared borders, 500 without a point."""
    rng = np.random.default_rng(27)
    border = shared_vertices(atlas.units)
    on_border = border[rng.choice(len(border), 2_000)]
    spread = np.column_stack([rng.uniform(119.8, 121.5, ROWS - 2_500), rng.uniform(30.7, 32.1, ROWS - 2_500)])
    xy = np.vstack([spread, on_border])
    rows = [(i + 1, f"firm {i + 1}", float(x), float(y)) for i, (x, y) in enumerate(xy.tolist())]
    rows += [(len(rows) + k + 1, "no point", None, None) for k in range(500)]
    url = fresh_database(postgis, "register")
    load_points(url, "firms", rows)
    return url


def test_in_the_database_and_in_python_every_row_lands_in_the_same_unit(register, atlas):
    with connect(register, timeout_s=120) as connection:
        table = find_table(connection, "firms")
        pulled, _report, _info, python_counts = pull_and_classify(connection, table, [], atlas=atlas)
        streamed = io.BytesIO()
        database_counts = classify_inside(connection, table, [], atlas=atlas, rows_to=streamed)
    assert database_counts.record() == python_counts.record()
    assert python_counts.rows == ROWS and python_counts.no_point == 500
    assert sum(python_counts.by_unit.values()) > 30_000 and python_counts.outside > 10_000
    rows = list(csv.DictReader(io.StringIO(streamed.getvalue().decode("utf-8"))))
    in_database = {int(r["id"]): r["atlas_adcode"] for r in rows}
    in_python = dict(zip(pulled["id"].astype(int), pulled["atlas_adcode"], strict=True))
    assert in_database == in_python
    border_ids = range(ROWS - 2_500 + 1, ROWS - 500 + 1)
    assert all(in_database[i] for i in border_ids)  # every shared vertex is in exactly one unit
    assert {r["atlas_unit_zh"] for r in rows if r["atlas_adcode"]} == set(atlas.units["name_zh"])


def test_a_filter_is_a_parameter_and_counts_only_its_rows(register, atlas):
    with connect(register, timeout_s=60) as connection:
        table = find_table(connection, "firms")
        counts = classify_inside(connection, table, [("name", "no point")], atlas=atlas)
        hostile = classify_inside(connection, table, [("name", "x' OR '1'='1")], atlas=atlas)
    assert counts.rows == counts.no_point == 500 and hostile.rows == 0


def test_a_read_only_role_can_classify_inside_the_database(register, atlas, postgis):
    with psycopg.connect(register, autocommit=True) as admin:
        admin.execute("DROP ROLE IF EXISTS reader")
        admin.execute("CREATE ROLE reader LOGIN PASSWORD 'reader-pw'")
        admin.execute("GRANT SELECT ON firms TO reader")
    reader = postgis.url("reader", database="register", password="reader-pw")
    with connect(reader, timeout_s=60) as connection:
        counts = classify_inside(connection, find_table(connection, "firms"), [], atlas=atlas)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("DELETE FROM firms")
    assert counts.rows == ROWS
