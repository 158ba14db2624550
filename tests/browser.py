"""Helpers for the real-browser tests: start the app on 127.0.0.1, drive Debian's Chromium."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # scripts.serve, when these helpers are used outside pytest
    sys.path.insert(0, str(ROOT))
SHOTS = ROOT / "out" / "screenshots"  # screenshots the browser tests leave for a person to look at
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--no-first-run",
]


@contextmanager
def running_app(timeout: float = 60.0, env: dict | None = None, *, behind_nginx: bool = False):
    """Start ``streamlit run app.py`` on 127.0.0.1 and a free port (``scripts/serve.py``); yield its
    base URL and process; stop it by PID. ``behind_nginx``: the URL is nginx's, which serves the
    front end itself and passes the rest to Streamlit, as ``make serve`` deploys it."""
    from scripts.serve import free_port, nginx_in_front, streamlit_app

    port = free_port()
    log_path = ROOT / "out" / f"streamlit-{port}.log"
    log = log_path.open("w") if log_path.parent.is_dir() else subprocess.DEVNULL
    try:
        with streamlit_app(port, env=env, log=log, timeout=timeout) as (url, process):
            if not behind_nginx:
                yield url, process
                return
            with nginx_in_front(port, listen_port=free_port()) as (proxied, _nginx):
                yield proxied, process
    finally:
        if not isinstance(log, int):  # a file, not subprocess.DEVNULL
            log.close()


def launch(playwright):
    if not Path(CHROMIUM).exists():
        raise RuntimeError("Debian's Chromium is not installed: run `make system-deps` (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def drawn_map_frame(page, min_paths: int = 10):
    """The iframe holding the Leaflet map if it has drawn at least ``min_paths`` vector paths, else None."""
    for frame in page.frames:
        try:
            if frame.locator("path.leaflet-interactive").count() >= min_paths:
                return frame
        except Exception:  # frame navigated away while we looked
            continue
    return None


def map_frame(page, timeout: float = 30.0, min_paths: int = 10):
    """The iframe holding the Leaflet map, once it has drawn at least ``min_paths`` vector paths."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        frame = drawn_map_frame(page, min_paths)
        if frame is not None:
            return frame
        time.sleep(0.2)
    raise AssertionError("the map did not draw its vector layers in time")


def offline_page(browser, url: str, *, viewport: tuple[int, int] = (1500, 1000)):
    """A page whose requests to any host but 127.0.0.1 are refused and recorded; returns (page, refused)."""
    from urllib.parse import urlsplit

    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]}, accept_downloads=True)
    outside: list[tuple[str, str]] = []

    def route(request_route):
        request = request_route.request
        if request.url.startswith(("data:", "blob:", "about:")) or urlsplit(request.url).hostname == "127.0.0.1":
            request_route.continue_()
        else:
            outside.append((request.resource_type, request.url))
            request_route.abort()

    page.route("**/*", route)
    page.goto(url)
    return page, outside


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def wait_for(page, predicate, timeout: float = 30.0) -> str:
    """Poll the main area's text until ``predicate(text)`` holds; return that text."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            text = main_text(page)
        except Exception:  # the page is between two runs
            text = ""
        if predicate(text):
            return text
        time.sleep(0.25)
    raise AssertionError(f"timed out; main text was:\n{main_text(page)[:2000]}")


def wait_map_settled(frame, timeout: float = 10.0) -> None:
    """Wait until the map's size, centre and zoom stop changing (the frame resizes after its first draw)."""
    view = (
        "() => { const s = window.map.getSize(), c = window.map.getCenter();"
        " return [s.x, s.y, c.lat, c.lng, window.map.getZoom()]; }"
    )
    deadline = time.monotonic() + timeout
    previous = None
    while time.monotonic() < deadline:
        current = frame.evaluate(view)
        if current == previous:
            return
        previous = current
        time.sleep(0.3)


def click_latlng(frame, lat: float, lng: float) -> None:
    """Click the Leaflet map at a WGS84 position (the map's own projection gives the pixel), once the
    map has settled: a pixel computed while the frame still resizes misses a 7-pixel marker."""
    wait_map_settled(frame)
    x, y = frame.evaluate(
        "([lat, lng]) => { const p = window.map.latLngToContainerPoint([lat, lng]); return [p.x, p.y]; }", [lat, lng]
    )
    frame.locator("#map_div").click(position={"x": x, "y": y})


def goto_page(page, label: str) -> None:
    """Go to another page of the app the way a planner does: its entry in the sidebar."""
    page.locator('[data-testid="stSidebar"]').get_by_text(label, exact=True).first.click()


def wait_idle(page, timeout: float = 60.0, settle: float = 0.5) -> None:
    """Wait until the app has finished its run (no running indicator for ``settle`` seconds)."""
    deadline = time.monotonic() + timeout
    quiet_since = None
    while time.monotonic() < deadline:
        running = page.locator('[data-testid="stStatusWidgetRunningIcon"]').count() > 0
        now = time.monotonic()
        if running:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= settle:
            return
        time.sleep(0.1)
    raise AssertionError("the app kept running")


def choose_option(page, label: str, option: str, attempts: int = 3) -> None:
    """Pick ``option`` in the select box labelled exactly ``label``, with the mouse and keyboard."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text(label, exact=True)).first
    for attempt in range(attempts):
        wait_idle(page)  # a rerun redraws the list under the pointer
        box.locator("input").click()
        page.keyboard.type(option)  # the list filters as one types, as a planner would narrow it
        try:
            page.locator('[role="option"]').filter(has_text=option).first.click(timeout=10_000)
            box.locator("input").and_(page.locator(f'[value*="{option}"]')).wait_for(timeout=15_000)
            return
        except Exception:
            if attempt == attempts - 1:
                raise
            page.keyboard.press("Escape")


# What a unit's name may not cover on the map: the facilities' clusters and circles, the sub-areas'
# counts and points, the hub's name; and each unit's name (label, or name and count) itself.
MAP_SYMBOLS = (
    ".atlas-cluster, path.atlas-point, .atlas-badge.sub-area span, .atlas-badge.sub-area i, .atlas-label b.hub"
)
UNIT_TAGS = ".atlas-label.unit span, .atlas-badge.unit"


def unit_tag_clashes(frame, anchors: dict[str, tuple[float, float]]) -> dict:
    """At the map's current view: which unit names overlap another unit's name or a symbol, and which
    lie off their unit's label point (``anchors``: name as shown -> (lat, lng)) with no leader back to
    it. Rectangles are the browser's own (getBoundingClientRect of what is drawn)."""
    return frame.evaluate(
        """([symbols, tags, anchors]) => {
        const map = Object.values(window).find(v => v instanceof L.Map);
        const origin = map.getContainer().getBoundingClientRect();
        const box = e => e.getBoundingClientRect();
        const name = e => ((e.querySelector(".atlas-unit-name") || e).textContent || "").trim();
        const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        const drawn = s => Array.from(document.querySelectorAll(s)).filter(e => box(e).width > 0);
        const unitTags = drawn(tags), marks = drawn(symbols);
        const overlaps = [], detached = [];
        unitTags.forEach((tag, i) => {
            const b = box(tag);
            unitTags.slice(i + 1).forEach(o => { if (meet(b, box(o))) overlaps.push([name(tag), name(o)]); });
            marks.forEach(m => { if (meet(b, box(m))) overlaps.push([name(tag), m.getAttribute("class")]); });
            const p = map.latLngToContainerPoint(anchors[name(tag)]);
            const x = origin.left + p.x, y = origin.top + p.y;
            const leader = tag.closest(".leaflet-marker-icon").querySelector("svg.atlas-leader line");
            if (!(x >= b.left && x <= b.right && y >= b.top && y <= b.bottom) && !leader) detached.push(name(tag));
        });
        return {names: unitTags.map(name), marks: marks.length, overlaps, detached};
    }""",
        [MAP_SYMBOLS, UNIT_TAGS, {name: list(latlng) for name, latlng in anchors.items()}],
    )


def unit_anchors(atlas, lang: str) -> dict[str, tuple[float, float]]:
    """Each unit's name as the map writes it -> its label point (lat, lng, WGS84)."""
    from presentation.i18n import unit_label_name

    return {unit_label_name(row, lang): (row.label_point.y, row.label_point.x) for _, row in atlas.units.iterrows()}


def settled_tag_clashes(frame, anchors, timeout: float = 10.0) -> dict:
    """``unit_tag_clashes`` once the map and its labels have stopped moving (two equal readings)."""
    wait_map_settled(frame)
    deadline = time.monotonic() + timeout
    previous = None
    while time.monotonic() < deadline:
        time.sleep(0.5)
        current = unit_tag_clashes(frame, anchors)
        if current == previous:
            break
        previous = current
    return current
