"""The app as ``make serve`` deploys it: nginx serves Streamlit's front end and passes the rest
(pages, the websocket, uploads, downloads) to Streamlit. A planner's morning, in the browser."""

from __future__ import annotations

import urllib.request

import pytest
from browser import SHOTS, goto_page, map_frame, offline_page, running_app, wait_for, wait_idle

pytestmark = pytest.mark.browser


def test_behind_nginx_the_map_draws_pages_switch_and_a_table_uploads(chromium, tmp_path):
    sites = tmp_path / "sites.csv"
    sites.write_text("名称,经度,纬度\n甲,120.606389,31.330556\n", encoding="utf-8")
    with running_app(behind_nginx=True) as (url, _process):
        with urllib.request.urlopen(f"{url}/") as reply:
            page_html = reply.read().decode()
        bundle = page_html.split('src="', 1)[1].split('"', 1)[0].lstrip("./")
        with urllib.request.urlopen(f"{url}/{bundle}") as reply:  # the front end comes from nginx...
            assert reply.headers["Server"].startswith("nginx") and "immutable" in reply.headers["Cache-Control"]
        page, refused = offline_page(chromium, f"{url}/")
        wait_for(page, lambda s: "点击地图上的规划单元或设施" in s, 60)
        map_frame(page)  # ...and the app, its websocket and components from Streamlit through it
        goto_page(page, "导入数据")
        before = wait_for(page, lambda s: "点位表格" in s, 60)
        assert "坐标系" not in before  # the coordinate-system picker comes with a table read by the server
        wait_idle(page)
        page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(sites))
        wait_for(page, lambda s: "sites.csv" in s and "坐标系" in s, 60)
        page.screenshot(path=str(SHOTS / "behind_nginx_import.png"))
        assert not refused
        page.close()


def test_make_serve_starts_both_servers_and_a_kill_stops_both(tmp_path):
    import subprocess
    import sys
    import time

    from browser import ROOT

    from scripts.serve import free_port

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "serve.py"), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        banner = ""
        deadline = time.monotonic() + 90
        while "Ctrl-C stops both" not in banner and time.monotonic() < deadline and process.poll() is None:
            banner += process.stdout.readline()
        assert f"http://127.0.0.1:{port}" in banner, banner
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5) as reply:
            assert reply.status == 200 and reply.headers["Server"].startswith("nginx")
        app_port = int(banner.split("Streamlit on 127.0.0.1:")[1].split(")")[0])
        process.terminate()
        assert process.wait(timeout=30) == 0
        for stopped in (port, app_port):  # nothing is left listening
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{stopped}/_stcore/health", timeout=2)
                raise AssertionError(f"port {stopped} still answers")
            except OSError:
                pass
    finally:
        if process.poll() is None:
            process.terminate()  # our handler stops both servers; kill only if that fails
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        process.stdout.close()
