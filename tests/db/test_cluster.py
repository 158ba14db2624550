"""The throw-away PostGIS cluster the database tests run against (issue 27)."""

from __future__ import annotations

import pytest
from postgis_cluster import available, postgis_cluster

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not available(), reason="run scripts/install_system_deps.sh")]


def test_a_cluster_starts_with_postgis_on_localhost_only_and_is_gone_afterwards():
    import psycopg

    with postgis_cluster() as cluster:
        with psycopg.connect(cluster.url()) as connection:
            version = connection.execute("SELECT postgis_full_version()").fetchone()[0]
            listen = connection.execute("SHOW listen_addresses").fetchone()[0]
            point = connection.execute("SELECT ST_AsText(ST_SetSRID(ST_MakePoint(120.6, 31.3), 4326))").fetchone()[0]
        assert "POSTGIS=" in version and listen == "127.0.0.1" and point == "POINT(120.6 31.3)"
        directory = cluster.directory
    assert not directory.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(cluster.url(), connect_timeout=2)
