"""The Import page's "from the database" (issue 27), drawn with AppTest: a table too large to read
here is counted inside the database; a wrong SRID is refused with what the numbers look like;
nothing shows the password."""

from __future__ import annotations

import psycopg
import pytest
from conftest import ROOT
from postgis_cluster import fresh_database, load_points
from streamlit.testing.v1 import AppTest

from presentation.pages import PAGES

pytestmark = pytest.mark.slow

ROWS_BEYOND_THE_PAGE = 500_001  # app_pages.imports.PAGE_PULL_ROWS + 1
PASSWORD = "Imp0rtSecret"


@pytest.fixture(scope="module")
def database(postgis):
    url = fresh_database(postgis, "import_page")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            "CREATE TABLE registry (id integer, geom geometry(Point, 4326)); "
            "INSERT INTO registry SELECT g, ST_SetSRID(ST_MakePoint(120.5 + (g % 1000) * 0.0004, "
            f"31.2 + (g / 1000) * 0.0004), 4326) FROM generate_series(1, {ROWS_BEYOND_THE_PAGE}) g; ANALYZE registry"
        )
        connection.execute(f"CREATE ROLE page_reader LOGIN PASSWORD '{PASSWORD}'")
        connection.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO page_reader")
    load_points(url, "metres_as_degrees", [(1, "x", 560_000.0, 3_470_000.0)])  # 苏州城区 in EPSG:4549
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            "CREATE TABLE addresses (名称 text, 地址 text); INSERT INTO addresses VALUES "
            "('甲', '苏州工业园区星湖街218号'), ('乙', '江苏省苏州市吴江区盛泽镇'), ('丙', '地址不详')"
        )
        connection.execute("GRANT SELECT ON metres_as_degrees, addresses TO page_reader")
    return postgis.url("page_reader", database="import_page", password=PASSWORD)


def _import_page(monkeypatch, url: str) -> AppTest:
    monkeypatch.setenv("ATLAS_DB", url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page(next(p.file for p in PAGES if p.name == "import")).run()
    at.radio(key="im_source_im_file").set_value("db").run()
    return at


def _everything(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [e.value for e in at.error]
    parts += [w.value for w in at.warning] + [i.value for i in at.info] + [s.value for s in at.success]
    return "\n".join(str(p) for p in parts).replace("\u2060", "").replace("\\", "")  # as md() escaped it


def test_a_table_too_large_to_read_is_counted_inside_the_database(database, monkeypatch, atlas):
    at = _import_page(monkeypatch, database)
    at.selectbox(key="im_db_table_im_file").set_value("public.registry.geom").run()
    at.button(key="im_db_read_im_file").click().run()
    assert "more than 500,000 rows" in _everything(at) and not at.exception
    at.button(key="im_db_count").click().run()
    text = _everything(at)
    assert f"public.registry: {ROWS_BEYOND_THE_PAGE:,} rows" in text and "counted inside the database" in text
    frames = [frame.value for frame in at.dataframe]
    by_unit = next(f for f in frames if "Suzhou Industrial Park" in set(f.iloc[:, 0]))
    assert by_unit.iloc[:, 1].sum() <= ROWS_BEYOND_THE_PAGE and by_unit.iloc[:, 1].sum() > 400_000
    assert PASSWORD not in text


def test_metres_declared_as_degrees_are_read_with_what_they_look_like_and_no_system_chosen(database, monkeypatch):
    at = _import_page(monkeypatch, database)
    at.selectbox(key="im_db_table_im_file").set_value("public.metres_as_degrees.geom").run()
    at.button(key="im_db_read_im_file").click().run()
    text = _everything(at)
    assert "read as SRID 4326" in text and "they look like EPSG:4549" in text and not at.exception
    digest = at.session_state["_stored_im_file"].digest
    assert at.selectbox(key=f"im_crs_{digest}").value is None  # the planner chooses; nothing is classified yet
    at.selectbox(key=f"im_crs_{digest}").set_value("projected").run()
    at.text_input(key=f"im_epsg_{digest}").set_value("EPSG:4549").run()
    assert "1 rows: 1 accepted" in _everything(at)
    at.selectbox(key="im_db_table_im_file").set_value("public.registry.geom").run()  # another table, not read
    text = _everything(at)
    assert "read as SRID 4326" not in text and "Coordinate system" not in [s.label for s in at.selectbox]
    assert "Added to the map and the summary page: PostGIS public.metres_as_degrees" in text  # what is on the map


def test_a_table_of_addresses_without_geometry_is_listed_and_placed_by_its_addresses(database, monkeypatch):
    at = _import_page(monkeypatch, database)
    table_box = at.selectbox(key="im_db_table_im_file")
    assert table_box.format_func("public.addresses.None") == "public.addresses · no geometry column · rows unknown"
    table_box.set_value("public.addresses.None").run()
    at.button(key="im_db_read_im_file").click().run()
    text = _everything(at)
    assert "3 rows: 2 accepted" in text and not at.exception
