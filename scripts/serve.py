"""Run the app behind nginx: nginx serves Streamlit's front end, Streamlit the rest.

A first visit downloads Streamlit's whole front end (about 100 files); served by Streamlit, that
costs its one Python process about 0.2 s of CPU per new planner (see scripts/bench_load.py).
nginx serves those files from the installed streamlit package instead, so the app's process
spends its time on the app. Run with ``make serve`` (port 8501, or ``--port``); stop with Ctrl-C.
Both processes listen on 127.0.0.1 only unless ``--listen`` says otherwise, and are stopped by
their PIDs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from atlas_core import settings
from atlas_core.errors import SettingsError
from atlas_core.settings import read_settings

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
MIME_TYPES = Path("/etc/nginx/mime.types")


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        raise RuntimeError("nginx is not installed: run `make system-deps` (Debian's nginx-light)")
    return found


def streamlit_static_dir() -> Path:
    """The folder of Streamlit's bundles (served at /static/), in the installed package."""
    import streamlit

    return Path(streamlit.__file__).parent / "static" / "static"


def upload_mb() -> int:
    """The upload limit nginx and Streamlit both take, in whole MB (atlas_core.settings)."""
    return settings.current().max_upload_mb


def render_config(*, listen: str, app_port: int, prefix: Path) -> str:
    """The nginx configuration for the app on ``app_port``, nginx listening on ``listen``."""
    values = {
        "@PREFIX@": str(prefix),
        "@LISTEN@": listen,
        "@APP_PORT@": str(app_port),
        "@STATIC_DIR@": str(streamlit_static_dir()),
        "@MIME_TYPES@": str(MIME_TYPES),
        "@UPLOAD_MB@": str(upload_mb()),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(name, value)
    return text


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer (exit code {process.poll()})")
        time.sleep(0.2)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def nginx_in_front(app_port: int, *, listen_port: int, host: str = "127.0.0.1", timeout: float = 30.0) -> Iterator:
    """nginx on ``host:listen_port`` in front of the app on ``app_port``; yields (url, process)."""
    with tempfile.TemporaryDirectory(prefix="atlas-nginx-") as tmp:
        prefix = Path(tmp)
        conf = prefix / "nginx.conf"
        conf.write_text(render_config(listen=f"{host}:{listen_port}", app_port=app_port, prefix=prefix))
        binary = nginx_binary()
        check = subprocess.run([binary, "-t", "-q", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx refused the configuration: {check.stderr.strip()}")
        process = subprocess.Popen(
            [binary, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        url = f"http://{host}:{listen_port}"
        try:
            _wait_healthy(url, process, timeout)
            yield url, process
        finally:
            _stop(process)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_app(port: int, *, env: dict | None = None, log=subprocess.DEVNULL, timeout: float = 60.0) -> Iterator:
    """``streamlit run app.py`` on 127.0.0.1:``port``; yields (url, process); stopped by its PID."""
    upload = read_settings({**os.environ, **(env or {})}).max_upload_mb  # the same limit as the app's own check
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.maxUploadSize",
            str(upload),
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, timeout)
        yield url, process
    finally:
        _stop(process)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8501, help="where planners open the app (default 8501)")
    parser.add_argument("--listen", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    args = parser.parse_args(argv)
    try:
        settings.current()
    except SettingsError as error:
        print(f"atlas: {error}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _interrupt)  # `kill PID` stops both servers, as Ctrl-C does
    app_port = free_port()
    with (
        streamlit_app(app_port, log=None) as (_app_url, _app),
        nginx_in_front(app_port, listen_port=args.port, host=args.listen) as (url, _nginx),
    ):
        print(f"Suzhou Innovation Atlas: {url} (nginx in front of Streamlit on 127.0.0.1:{app_port})", flush=True)
        print("Ctrl-C stops both", flush=True)
        with suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
    return 0


def _interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    raise SystemExit(main())
