"""A throw-away PostgreSQL cluster with PostGIS for the tests (issue 27).

The cluster lives in a temporary directory, listens on 127.0.0.1 at a free port and on a socket
in that directory only, and is stopped (by its postmaster's PID, through pg_ctl) and removed
afterwards. PostgreSQL refuses to run as root: where the tests run as root the cluster belongs to
the unprivileged ``nobody``. Nothing depends on a server the project did not start.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")
SUPERUSER = "atlas_admin"
UNPRIVILEGED = "nobody"


@dataclass(frozen=True)
class Cluster:
    directory: Path
    port: int
    password: str  # the superuser's: TCP connections need a password (scram-sha-256), the socket not

    def url(self, user: str = SUPERUSER, database: str = "postgres", password: str | None = None) -> str:
        """A URL over TCP to 127.0.0.1; the superuser's password unless another is given."""
        secret = self.password if password is None and user == SUPERUSER else password
        credentials = f"{user}:{secret}" if secret else user
        return f"postgresql://{credentials}@127.0.0.1:{self.port}/{database}"

    def admin(self, database: str = "postgres") -> str:
        """The superuser over the cluster's own socket (no password): for setting up test data."""
        return f"host={self.directory} port={self.port} user={SUPERUSER} dbname={database}"


def available() -> bool:
    """PostgreSQL 15 and the PostGIS extension are installed (scripts/install_system_deps.sh)."""
    return (PG_BIN / "initdb").exists() and Path("/usr/share/postgresql/15/extension/postgis.control").exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_owner(args: list[str]) -> list[str]:
    """Run ``args`` as the cluster's owner: ourselves, or ``nobody`` when we are root."""
    return ["runuser", "-u", UNPRIVILEGED, "--", *args] if os.geteuid() == 0 else args


@contextlib.contextmanager
def postgis_cluster() -> Iterator[Cluster]:
    """Start a cluster, create the PostGIS extension in ``postgres``, yield it; stop and remove it."""
    directory = Path(tempfile.mkdtemp(prefix="atlas-pg-"))
    data = directory / "data"
    if os.geteuid() == 0:
        shutil.chown(directory, user=UNPRIVILEGED)
    port = _free_port()
    password = secrets.token_hex(12)
    password_file = directory / "pw"
    password_file.write_text(password)
    if os.geteuid() == 0:
        shutil.chown(password_file, user=UNPRIVILEGED)
    initdb = [str(PG_BIN / "initdb"), "-D", str(data), "-U", SUPERUSER, "-E", "UTF8", "--no-sync"]
    auth = ["--auth-local=trust", "--auth-host=scram-sha-256", f"--pwfile={password_file}"]
    subprocess.run(_as_owner(initdb + auth), check=True, capture_output=True)
    password_file.unlink()
    options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off"
    start = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(directory / "log"), "-w", "start"]
    try:
        subprocess.run(_as_owner(start), check=True, capture_output=True)
        cluster = Cluster(directory, port, password)
        import psycopg

        with psycopg.connect(cluster.admin(), autocommit=True) as connection:
            connection.execute("CREATE EXTENSION postgis")
        yield cluster
    finally:
        subprocess.run(
            _as_owner([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(directory, ignore_errors=True)


def fresh_database(cluster: Cluster, name: str) -> str:
    """Create database ``name`` with PostGIS in ``cluster`` (dropped first if there); its superuser URL."""
    import psycopg

    with psycopg.connect(cluster.admin(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(cluster.admin(name), autocommit=True) as connection:
        connection.execute("CREATE EXTENSION postgis")
    return cluster.url(database=name)


def load_points(url: str, table: str, rows: list[tuple], *, srid: int = 4326, extra: str = "name text") -> None:
    """Create ``table`` (id, the ``extra`` columns, geom POINT in ``srid``) and COPY ``rows`` into it:
    (id, *extra values, x, y), x and y None for a row without a point."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"CREATE TABLE {table} (id integer PRIMARY KEY, {extra}, geom geometry(Point, {srid}))")
        width = len(rows[0]) - 3 if rows else 1
        with connection.cursor().copy(f"COPY {table} FROM STDIN") as copy:
            for row in rows:
                x, y = row[-2], row[-1]
                point = None if x is None else f"SRID={srid};POINT({x!r} {y!r})"
                copy.write_row((row[0], *row[1 : 1 + width], point))
        connection.execute(f"ANALYZE {table}")
