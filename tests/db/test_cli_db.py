"""``atlas db tables`` and ``atlas classify --db`` against a throw-away PostGIS (issue 27)."""

from __future__ import annotations

import codecs
import json

import numpy as np
import psycopg
import pytest
import shapely
from postgis_cluster import fresh_database, load_points

import atlas_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bureau(postgis, atlas):
    """A bureau's database: a register of points, the same points' metres declared as degrees,
    borders as polygons, a view, and a table of addresses without geometry."""
    url = fresh_database(postgis, "bureau")
    rng = np.random.default_rng(7)
    xy = np.column_stack([rng.uniform(120.3, 121.0, 3_000), rng.uniform(31.0, 31.8, 3_000)])
    rows = [(i + 1, "A" if i % 3 else "B", float(x), float(y)) for i, (x, y) in enumerate(xy.tolist())]
    load_points(url, "firms", rows, extra="sector text")
    metres = [(1, "x", 500_000.0 + i, 3_470_000.0 + i) for i in range(1, 50)]
    load_points(url, "firms_wrong_srid", [(i, s, x, y) for i, (_, s, x, y) in enumerate(metres, 1)], extra="s text")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE SCHEMA planning")
        connection.execute(
            "CREATE TABLE planning.borders (code text, geom geometry(MultiPolygon, 4490)); "
            "CREATE VIEW planning.firms_b AS SELECT * FROM public.firms WHERE sector = 'B'; "
            "CREATE TABLE planning.addresses (name text, address text); "
            "INSERT INTO planning.addresses VALUES ('甲公司', '苏州工业园区星湖街218号'), "
            "('乙公司', '江苏省苏州市吴江区盛泽镇'), ('丙公司', '地址不详')"
        )
        connection.execute("CREATE TABLE planning.districts (code text, name text, geom geometry(MultiPolygon, 4326))")
        for code, name, shape in zip(atlas.units["adcode"], atlas.units["name_zh"], atlas.units.geometry, strict=True):
            moved = shapely.transform(shape, lambda xy: xy + np.array([0.05, 0.0]))  # about 4.8 km east
            connection.execute(
                "INSERT INTO planning.districts VALUES (%s, %s, ST_Multi(ST_GeomFromWKB(%s, 4326)))",
                (code, name, shapely.to_wkb(moved)),
            )
    return postgis, url


def run(capsys, monkeypatch, url: str | None, *argv: str) -> tuple[int, str, str]:
    if url is None:
        monkeypatch.delenv("ATLAS_DB", raising=False)
    else:
        monkeypatch.setenv("ATLAS_DB", url)
    code = atlas_cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_listing_gives_geometry_column_srid_type_and_rows_of_what_the_role_may_read(bureau, capsys, monkeypatch):
    cluster, url = bureau
    code, out, _ = run(capsys, monkeypatch, url, "db", "tables", "--json")
    tables = {t["table"]: t for t in json.loads(out)["tables"]}
    assert code == 0 and "planning.addresses" not in tables
    assert tables["public.firms"] == {
        "table": "public.firms",
        "kind": "table",
        "geometry_column": "geom",
        "srid": 4326,
        "geometry_type": "POINT",
        "rows_estimate": 3000,
    }
    assert tables["planning.borders"]["srid"] == 4490 and tables["planning.borders"]["geometry_type"] == "MULTIPOLYGON"
    assert tables["planning.firms_b"]["kind"] == "view" and tables["planning.firms_b"]["rows_estimate"] is None
    assert cluster.password not in out
    code, out, _ = run(capsys, monkeypatch, url, "--lang", "en", "db", "tables", "--all")
    assert code == 0 and "planning.addresses  (table)  no geometry column" in out
    assert "public.firms  (table)  geom · POINT · SRID 4326  · about 3,000 rows" in out


def test_classified_inside_the_database_and_pulled_the_counts_are_the_same(bureau, capsys, monkeypatch, tmp_path):
    _, url = bureau
    code, inside, _ = run(
        capsys, monkeypatch, url, "classify", "--db", "firms", "--json", "-o", str(tmp_path / "r.csv")
    )
    code_pulled, pulled, _ = run(capsys, monkeypatch, url, "classify", "--db", "public.firms", "--pull", "--json")
    inside_counts, pulled_counts = json.loads(inside), json.loads(pulled)
    assert code == code_pulled == 0
    assert inside_counts["where"] == "database" and pulled_counts["where"] == "python"
    for key in ("rows", "no_point", "outside", "by_unit", "by_corridor", "by_footprint"):
        assert inside_counts[key] == pulled_counts[key], key
    assert inside_counts["rows"] == 3000 and sum(inside_counts["by_unit"].values()) > 1000
    written = (tmp_path / "r.csv").read_bytes()
    assert written.startswith(codecs.BOM_UTF8) and written.count(b"\n") == 3001  # Excel's BOM, a header, every row
    code, view, _ = run(capsys, monkeypatch, url, "classify", "--db", "planning.firms_b", "--json")
    code, filtered, _ = run(capsys, monkeypatch, url, "classify", "--db", "firms", "--filter", "sector=B", "--json")
    assert json.loads(view)["by_unit"] == json.loads(filtered)["by_unit"] and json.loads(view)["rows"] == 1000


def test_the_text_output_names_units_and_corridors_in_the_language_asked(bureau, capsys, monkeypatch):
    _, url = bureau
    code, out, _ = run(capsys, monkeypatch, url, "classify", "--db", "firms")
    assert code == 0 and "已在数据库内分类 public.firms：3,000 行" in out and "按走廊（所在单元为成员）" in out
    code, out, _ = run(capsys, monkeypatch, url, "--lang", "en", "classify", "--db", "firms", "--pull")
    assert code == 0 and "classified it row by row" in out and "Suzhou Industrial Park (320571)" in out


def test_a_bad_connection_says_why_and_never_shows_the_password(bureau, capsys, monkeypatch):
    cluster, _ = bureau
    wrong = cluster.url(database="bureau").replace(cluster.password, "N0tTheRightOne")
    code, out, err = run(capsys, monkeypatch, wrong, "db", "tables")
    assert code == 2 and "数据库错误" in err and "密码被拒绝" in err and "N0tTheRightOne" not in out + err
    code, out, err = run(capsys, monkeypatch, wrong, "--lang", "en", "classify", "--db", "firms", "--json")
    assert code == 2 and "the password was refused" in err and "N0tTheRightOne" not in out + err
    code, _, err = run(capsys, monkeypatch, None, "db", "tables")
    assert code == 2 and "ATLAS_DB" in err


def test_a_table_whose_srid_does_not_fit_its_coordinates_is_refused_with_what_they_look_like(
    bureau, capsys, monkeypatch
):
    _, url = bureau
    code, _, err = run(capsys, monkeypatch, url, "--lang", "en", "classify", "--db", "firms_wrong_srid")
    assert (
        code == 2 and "read as SRID 4326" in err and "they look like EPSG:4549" in err and "UpdateGeometrySRID" in err
    )
    code, out, _ = run(capsys, monkeypatch, url, "classify", "--db", "firms_wrong_srid", "--crs", "EPSG:4549", "--json")
    assert code == 0 and json.loads(out)["rows"] == 49


@pytest.mark.parametrize(
    "name", ["firms; DROP TABLE firms", 'firms" ; DROP TABLE firms; --', "pg_catalog.pg_authid", "firms'--"]
)
def test_a_table_name_cannot_carry_sql_and_nothing_is_dropped(bureau, capsys, monkeypatch, name):
    _, url = bureau
    code, _, err = run(capsys, monkeypatch, url, "--lang", "en", "classify", "--db", name)
    assert code == 2 and "no table or view" in err
    code, out, err = run(
        capsys, monkeypatch, url, "classify", "--db", "firms", "--filter", "sector=B' OR '1'='1", "--json"
    )
    assert code == 0 and json.loads(out)["rows"] == 0
    code, _, err = run(capsys, monkeypatch, url, "--lang", "en", "classify", "--db", "firms", "--filter", "1=1; --=x")
    assert code == 2 and "no column '1'" in err
    with psycopg.connect(url) as connection:
        assert connection.execute("SELECT count(*) FROM firms").fetchone()[0] == 3000


def test_a_column_without_an_srid_asks_for_the_system(bureau, capsys, monkeypatch):
    _cluster, url = bureau
    load_points(url, "no_srid", [(1, "x", 120.6, 31.3), (2, "y", 120.7, 31.4)], srid=0, extra="s text")
    code, _, err = run(capsys, monkeypatch, url, "--lang", "en", "classify", "--db", "no_srid")
    assert code == 2 and "declares no SRID" in err and "--crs" in err
    code, out, _ = run(capsys, monkeypatch, url, "classify", "--db", "no_srid", "--crs", "wgs84", "--json")
    assert code == 0 and sum(json.loads(out)["by_unit"].values()) == 2


def test_a_table_of_addresses_without_geometry_is_placed_by_its_addresses(bureau, capsys, monkeypatch, tmp_path):
    _, url = bureau
    target = tmp_path / "addresses.csv"
    code, out, _ = run(
        capsys, monkeypatch, url, "classify", "--db", "planning.addresses", "--pull", "--json", "-o", str(target)
    )
    counts = json.loads(out)
    assert code == 0 and counts["rows"] == 3 and counts["by_unit"] == {"320571": 1, "320509": 1}
    assert "苏州工业园区" in target.read_text(encoding="utf-8-sig")
    code, _, err = run(capsys, monkeypatch, url, "--lang", "en", "classify", "--db", "planning.addresses")
    assert code == 2 and "has no geometry column: classify it with --pull" in err


def test_borders_from_a_table_replace_the_units_for_both_classifiers(bureau, capsys, monkeypatch):
    _, url = bureau
    code, plain, _ = run(capsys, monkeypatch, url, "classify", "--db", "firms", "--json")
    moved = ["--borders-db", "planning.districts", "classify", "--db", "firms", "--json"]
    code_inside, inside, _ = run(capsys, monkeypatch, url, *moved)
    code_pulled, pulled, _ = run(capsys, monkeypatch, url, *moved, "--pull")
    assert code == code_inside == code_pulled == 0
    assert json.loads(inside)["by_unit"] == json.loads(pulled)["by_unit"] != json.loads(plain)["by_unit"]
    code, _, err = run(capsys, monkeypatch, url, "--lang", "en", "--borders-db", "planning.borders", "units")
    assert code == 2 and "planning.borders has no rows" in err  # an empty table replaces nothing


def test_a_filter_that_matches_nothing_says_so(bureau, capsys, monkeypatch):
    _, url = bureau
    code, _, err = run(
        capsys, monkeypatch, url, "--lang", "en", "classify", "--db", "firms", "--filter", "sector=Z", "--pull"
    )
    assert code == 2 and "public.firms [sector=Z] has no rows: nothing to read (check the filter)" in err
    code, out, _ = run(capsys, monkeypatch, url, "classify", "--db", "firms", "--filter", "sector=Z", "--json")
    assert code == 0 and json.loads(out)["rows"] == 0  # counted inside the database: none, not an error
