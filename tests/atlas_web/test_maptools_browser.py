"""The map tools in a real browser, on the standalone HTML export (the app's map is the same builder):
measure, the coordinates of a clicked point, the search box; all offline, in zh and en."""

from __future__ import annotations

import re
import time

import pytest
from browser import SHOTS
from pyproj import Geod

pytestmark = pytest.mark.browser
LOOK = SHOTS  # screenshots for a person to look at
GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def export_files(atlas, tmp_path_factory):
    from atlas_web.html_export import interactive_map_html

    folder = tmp_path_factory.mktemp("maptools")
    paths = {}
    for lang in ("zh", "en"):
        paths[lang] = folder / f"map_{lang}.html"
        paths[lang].write_text(interactive_map_html(atlas, lang=lang, date="2026-12-08"), encoding="utf-8")
    return paths


class Offline:
    """A page of the exported map that may load nothing but itself (file: and data: URLs)."""

    def __init__(self, chromium, path):
        self.page = chromium.new_page(viewport={"width": 1280, "height": 800})
        self.refused: list[str] = []
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("requestfailed", lambda request: self.errors.append(f"failed: {request.url[:100]}"))
        self.page.route("**/*", self._route)
        self.page.goto(path.as_uri())
        self.page.wait_for_selector(".atlas-title")
        self.page.evaluate("() => { window.map = Object.values(window).find(v => v instanceof L.Map); }")

    def _route(self, route):
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.refused.append(route.request.url)
            route.abort()

    def click(self, x: float, y: float) -> tuple[float, float]:
        """Click the map at container pixel (x, y); return the (lon, lat) that pixel is, by the map."""
        box = self.page.locator(".leaflet-container").bounding_box()
        self.page.mouse.click(box["x"] + x, box["y"] + y)
        lat, lng = self.page.evaluate(
            "([x, y]) => { const p = map.containerPointToLatLng([x, y]); return [p.lat, p.lng]; }", [x, y]
        )
        return lng, lat

    def pixel(self, lon: float, lat: float) -> tuple[float, float]:
        script = "([lat, lng]) => { const p = map.latLngToContainerPoint([lat, lng]); return [p.x, p.y]; }"
        x, y = self.page.evaluate(script, [lat, lon])
        return x, y

    def close(self):
        time.sleep(0.3)
        self.page.close()
        assert not self.refused, self.refused
        assert not self.errors, self.errors


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_measuring_between_two_clicks_gives_the_geodesic_length(chromium, export_files, lang):
    view = Offline(chromium, export_files[lang])
    page = view.page
    page.hover(".leaflet-control-measure")
    page.click(".leaflet-control-measure a.start")
    centre = page.evaluate("() => [map.getCenter().lat, map.getCenter().lng]")
    (lon1, lat1), (lon2, lat2) = view.click(420, 380), view.click(880, 560)
    assert page.evaluate("() => [map.getCenter().lat, map.getCenter().lng]") == centre  # a click never pans
    page.click(".leaflet-control-measure a.finish")
    shown = page.inner_text(".leaflet-popup-content")
    page.screenshot(path=str(LOOK / f"maptools_measure_{lang}.png"))
    metres = float(re.search(r"\(([\d,]+) (?:米|Meters)\)", shown).group(1).replace(",", ""))
    _, _, geodesic_m = GEOD.inv(lon1, lat1, lon2, lat2)
    assert geodesic_m > 40_000  # a real distance across Suzhou, not a slip of the mouse
    assert abs(metres - geodesic_m) / geodesic_m < 0.01, (metres, geodesic_m)
    assert ("距离测量" if lang == "zh" else "Linear measurement") in shown  # the plugin speaks the map's language
    view.close()
