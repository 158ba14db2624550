"""Real-browser test (issue 27): borders and a point table read from PostGIS on the Import page
reach the map, the summary and an export, as a planner drives them; the connection is set by
ATLAS_DB for the app's server and never shows in the page."""

from __future__ import annotations

import numpy as np
import psycopg
import pyogrio
import pytest
import shapely
from browser import (
    SHOTS,
    choose_option,
    drawn_map_frame,
    goto_page,
    main_text,
    offline_page,
    running_app,
    wait_for,
    wait_idle,
)
from postgis_cluster import fresh_database

pytestmark = pytest.mark.browser

SHIFT_DEG = 0.02  # the bureau's borders: the embedded ones moved about 1.9 km east
SITES = [("数据库站点甲", 120.606389, 31.330556), ("数据库站点乙", 120.7384, 31.2729), ("数据库站点丙", 120.95, 31.38)]


@pytest.fixture(scope="module")
def bureau_app(postgis, atlas):
    """The app served with ATLAS_DB pointing at a bureau's database (borders and sites), as a
    read-only role with a password."""
    url = fresh_database(postgis, "onemap")
    moved = shapely.transform(atlas.units.geometry.values, lambda xy: xy + np.array([SHIFT_DEG, 0.0]))
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE SCHEMA planning")
        connection.execute("CREATE TABLE planning.borders (code text, name text, geom geometry(MultiPolygon, 4326))")
        for code, name, shape in zip(atlas.units["adcode"], atlas.units["name_zh"], moved, strict=True):
            connection.execute(
                "INSERT INTO planning.borders VALUES (%s, %s, ST_Multi(ST_GeomFromWKB(%s, 4326)))",
                (code, name, shapely.to_wkb(shape)),
            )
        connection.execute("CREATE TABLE public.sites (name text, kind text, geom geometry(Point, 4326))")
        for name, lon, lat in SITES:
            connection.execute(
                "INSERT INTO public.sites VALUES (%s, 'lab', ST_SetSRID(ST_MakePoint(%s, %s), 4326))", (name, lon, lat)
            )
        connection.execute("CREATE ROLE planner LOGIN PASSWORD 'Pl4nnerSecret'")
        connection.execute("GRANT USAGE ON SCHEMA planning TO planner")
        connection.execute("GRANT SELECT ON planning.borders, public.sites TO planner")
        connection.execute("ANALYZE")
    reader = postgis.url("planner", database="onemap", password="Pl4nnerSecret")
    with running_app(env={"ATLAS_DB": reader}) as (app, _process):
        yield app


def _from_database(page, section: int) -> None:
    """Pick "the database" in a section's source switch (0: points, 1: borders)."""
    radios = page.locator('[data-testid="stRadio"]').filter(has_text="the database")
    radios.nth(section).get_by_text("the database", exact=True).click()
    wait_idle(page)


def _chosen_table(page, section: int) -> str:
    boxes = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text("Table or view", exact=True))
    return boxes.nth(section).locator("input").get_attribute("value") or ""


def test_borders_and_points_from_postgis_reach_the_map_the_summary_and_an_export(
    bureau_app, chromium, atlas, postgis, tmp_path
):
    page, _ = offline_page(chromium, f"{bureau_app}/?lang=en")
    goto_page(page, "Import data")
    wait_for(page, lambda s: "Point table" in s)
    _from_database(page, 0)
    wait_for(page, lambda s: f"127.0.0.1:{postgis.port}/onemap (the connection is set by ATLAS_DB)" in s)
    assert "public.sites (geom) · POINT · SRID 4326 · about 3 rows" in _chosen_table(page, 0)
    page.get_by_role("button", name="Read the table").first.click()
    wait_for(page, lambda s: "3 rows: 3 accepted" in s)
    assert "the column declares SRID 4326" in main_text(page)

    _from_database(page, 1)
    wait_for(page, lambda s: s.count("the connection is set by ATLAS_DB") == 2)
    assert "planning.borders (geom) · MULTIPOLYGON · SRID 4326 · about 10 rows" in _chosen_table(page, 1)
    page.get_by_role("button", name="Read the table").nth(1).click()
    wait_for(page, lambda s: "Matched 10 units" in s)
    page.get_by_role("button", name="Replace the ten default unit borders with these").click()
    wait_for(page, lambda s: "The imported borders are in use" in s and "planning.borders" in s)
    assert "Pl4nnerSecret" not in page.content()
    page.screenshot(path=str(SHOTS / "import_from_database.png"), full_page=True)

    goto_page(page, "Map")
    frame = None
    for _ in range(60):
        frame = drawn_map_frame(page)
        if frame is not None and frame.locator("path.atlas-point").count() >= 3:
            break
        page.wait_for_timeout(500)
    assert frame is not None and frame.locator("path.atlas-point").count() >= 3

    goto_page(page, "Summary")
    wait_for(page, lambda s: "PostGIS public.sites" in s and "The imported borders are in use" in s)

    goto_page(page, "Export")
    wait_for(page, lambda s: "Imported layers in the exports" in s and "Preview" in s)
    choose_option(page, "Data format", "GPKG")
    wait_idle(page)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Download suzhou_atlas_wgs84.gpkg").click()
    gpkg = tmp_path / "layout.gpkg"
    info.value.save_as(str(gpkg))
    units = pyogrio.read_dataframe(gpkg, layer="units")
    assert abs(units.total_bounds[0] - (atlas.units.total_bounds[0] + SHIFT_DEG)) < 1e-6
    layers = [name for name, _kind in pyogrio.list_layers(gpkg)]
    points = pyogrio.read_dataframe(gpkg, layer=next(name for name in layers if "point" in name.lower()))
    assert {name for name, _lon, _lat in SITES} <= set(points["name"])
    assert "Pl4nnerSecret" not in page.content()
    page.close()
