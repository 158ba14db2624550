from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import layers  # noqa: E402

pytest_plugins = ["store_backends"]  # the `store` and `sql` fixtures: each workspace store backend

# The workspace store of every app the tests start (AppTest and real servers) is a fresh folder,
# never the planner's own data directory.
os.environ["ATLAS_DATA_DIR"] = tempfile.mkdtemp(prefix="atlas-test-store-")


BROWSER_FIXTURES = {"chromium", "app_url", "browser_session"}


def pytest_collection_modifyitems(items):
    """A test that uses a browser fixture is a browser test, marked or not (make test-fast leaves it out)."""
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def atlas():
    return layers.load_atlas()


@pytest.fixture(scope="session")
def grid(atlas):
    from spatial.classify import build_unit_grid

    return build_unit_grid(atlas.units)


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright, one for every real-browser test."""
    from browser import SHOTS, launch
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def app_url():
    """The app running on 127.0.0.1 for the whole test run; stopped by its PID at the end."""
    from browser import ROOT, running_app

    (ROOT / "out").mkdir(exist_ok=True)  # the app's log goes to out/streamlit-<port>.log
    with running_app() as (url, _process):
        yield url


@pytest.fixture()
def browser_session(app_url, chromium):
    """(app URL, browser): each test opens its own page, so its own Streamlit session."""
    return app_url, chromium


@pytest.fixture(scope="session")
def postgis():
    """A throw-away PostgreSQL cluster with PostGIS, one per run (tests/postgis_cluster.py); skipped
    where scripts/install_system_deps.sh has not installed it."""
    from postgis_cluster import available, postgis_cluster

    if not available():
        pytest.skip("PostgreSQL 15 with PostGIS is not installed: run scripts/install_system_deps.sh")
    with postgis_cluster() as cluster:
        yield cluster


@pytest.fixture()
def pg_url(postgis) -> str:
    """A URL to a new, empty database of the test cluster (the superuser's, over TCP, with its
    password): each test its own, so none sees another's tables."""
    import secrets

    import psycopg

    name = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(postgis.admin(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return postgis.url(database=name)
