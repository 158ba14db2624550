"""The app as ``make serve`` deploys it: nginx serves Streamlit's front end and passes the rest
(pages, the websocket, uploads, downloads) to Streamlit. A planner's morning, in the browser."""

from __future__ import annotations

import time
import urllib.request

import pytest
from browser import SHOTS, goto_page, map_frame, offline_page, running_app, wait_for, wait_idle

pytestmark = pytest.mark.browser

# What the browser may load, as nginx says it (deploy/nginx.conf.template): the app's own scripts,
# styles, fonts, frames and websocket; inline script and style (folium's map); WebAssembly
# (Streamlit's protobuf reader), never JavaScript eval; tiles from any http(s) tile server.
CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self' 'unsafe-inline' 'wasm-unsafe-eval'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob: http: https:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'self'",
}


def _csp_violations(page) -> list[str]:
    """Reload ``page`` so that from then on every frame of it (the map's too) reports what the
    Content-Security-Policy refused; returns that list, filled as it happens. (Chromium logs such
    refusals outside the console that Playwright reports, so each document listens for them.)"""
    found: list[str] = []
    page.expose_binding("atlasCspViolation", lambda _source, text: found.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => window.atlasCspViolation(`${e.effectiveDirective} refused ${e.blockedURI} in ${document.URL}`));"
    )
    page.reload()
    return found


def test_behind_nginx_every_response_carries_the_security_headers():
    with running_app(behind_nginx=True) as (url, _process):
        with urllib.request.urlopen(f"{url}/") as reply:
            page_html = reply.read().decode()
        bundle = page_html.split('src="', 1)[1].split('"', 1)[0].lstrip("./")
        policies = set()
        # the page, a bundle nginx serves itself, Streamlit's own static file and health answer
        for path in ("", bundle, "app/static/vendor/leaflet/leaflet.js", "_stcore/health"):
            with urllib.request.urlopen(f"{url}/{path}") as reply:
                headers = reply.headers
            assert headers["Server"] == "nginx", (path, headers["Server"])  # no version (server_tokens off)
            assert headers.get_all("X-Content-Type-Options") == ["nosniff"], path  # once, not nginx's and Streamlit's
            assert headers.get_all("Referrer-Policy") == ["strict-origin-when-cross-origin"], path
            assert len(headers.get_all("Content-Security-Policy") or []) == 1, path
            policies.add(headers["Content-Security-Policy"])
        assert len(policies) == 1, policies  # the /static/ location's copy is the server's
        directives = dict(d.strip().split(" ", 1) for d in policies.pop().split(";") if d.strip())
        assert {name: directives.get(name) for name in CSP_DIRECTIVES} == CSP_DIRECTIVES


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
        violations = _csp_violations(page)
        wait_for(page, lambda s: "点击地图上的规划单元或设施" in s, 60)
        map_frame(page)  # ...and the app, its websocket and components from Streamlit through it
        goto_page(page, "汇总")  # the summary's charts (Vega) draw under the policy too
        charts = page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg')
        deadline = time.monotonic() + 60
        while charts.count() < 2 and time.monotonic() < deadline:
            time.sleep(0.25)
        assert charts.count() >= 2
        goto_page(page, "导入数据")
        before = wait_for(page, lambda s: "点位表格" in s, 60)
        assert "坐标系" not in before  # the coordinate-system picker comes with a table read by the server
        wait_idle(page)
        page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(sites))
        wait_for(page, lambda s: "sites.csv" in s and "坐标系" in s, 60)
        page.screenshot(path=str(SHOTS / "behind_nginx_import.png"))
        assert not refused
        assert not violations, violations  # the Content-Security-Policy lets the whole app work
        page.close()


def test_behind_nginx_the_policy_lets_tiles_load_with_the_servers_name_only(chromium):
    """A tiled basemap under the Content-Security-Policy: the map draws, the tiles are asked for
    (the offline browser refuses them only then), and their Referer is this server's origin, which
    OpenStreetMap's tile servers require, never the page's address with its query."""
    with running_app(behind_nginx=True) as (url, _process):
        page, outside = offline_page(chromium, f"{url}/?basemap=osm")
        violations = _csp_violations(page)
        referers: list[str] = []
        page.on(
            "request",
            lambda r: referers.append(r.headers.get("referer", "")) if "openstreetmap" in r.url else None,
        )
        frame = map_frame(page, 60)
        deadline = time.monotonic() + 15
        while not any(kind == "image" and "openstreetmap" in u for kind, u in outside) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert any(kind == "image" and "openstreetmap" in u for kind, u in outside), outside
        assert frame.locator("path.leaflet-interactive").count() >= 10
        assert referers and set(referers) == {f"{url}/"}, referers
        assert not [(k, u) for k, u in outside if k in ("script", "stylesheet", "font")]
        assert not violations, violations
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
