"""database.connection: every query bounded by a timeout, and no password in any message (issue 27)."""

from __future__ import annotations

import psycopg
import pytest

from atlas_core.errors import DatabaseError
from database.connection import connect, describe, query_error, redact

pytestmark = pytest.mark.slow


def test_describe_shows_where_and_who_but_never_the_password():
    assert describe("postgresql://reader:s3cret@gis.bureau:5433/onemap") == "reader@gis.bureau:5433/onemap"
    assert describe("host=db user=r password='s 3cret' dbname=gis") == "r@db/gis"
    assert describe("service=onemap") == "service=onemap"


def test_redact_removes_the_password_in_every_spelling():
    conninfo = "postgresql://reader:s3cret@db/gis"
    text = "failed for postgresql://reader:s3cret@db/gis with password=s3cret and s3cret"
    assert "s3cret" not in redact(text, conninfo)


def test_a_refused_password_says_so_and_never_shows_it(postgis):
    with psycopg.connect(postgis.admin(), autocommit=True) as admin:
        admin.execute("CREATE ROLE pw_reader LOGIN PASSWORD 'right-one'")
    wrong = postgis.url("pw_reader", password="Wr0ngSecret")
    with pytest.raises(DatabaseError) as info, connect(wrong, timeout_s=5):
        pass
    text = str(info.value) + info.value.message("zh")
    assert "password was refused" in str(info.value) and "密码被拒绝" in info.value.message("zh")
    assert "Wr0ngSecret" not in text and f"pw_reader@127.0.0.1:{postgis.port}/postgres" in text


def test_nothing_listening_says_check_host_and_port(postgis):
    nowhere = "postgresql://u:p4ss@127.0.0.1:9/gis"
    with pytest.raises(DatabaseError, match="nothing answers at that host and port"), connect(nowhere, timeout_s=5):
        pass


def test_every_statement_stops_at_the_timeout_with_a_message_naming_the_setting(postgis):
    with connect(postgis.url(), timeout_s=1) as connection:
        assert connection.execute("SHOW statement_timeout").fetchone()[0] == "1s"
        with pytest.raises(psycopg.errors.QueryCanceled) as info:
            connection.execute("SELECT pg_sleep(3)")
    error = query_error(info.value, postgis.url(), doing_en="reading the table", doing_zh="读取该表")
    assert "ATLAS_DB_TIMEOUT_S" in str(error) and "ATLAS_DB_TIMEOUT_S" in error.message("zh")
