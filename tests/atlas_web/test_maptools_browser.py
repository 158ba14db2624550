"""The map tools in a real browser, on the standalone HTML export (the app's map is the same builder):
measure, the coordinates of a clicked point, the search box; all offline, in zh and en."""

from __future__ import annotations

import re
import time

import numpy as np
import pytest
from browser import SHOTS, wait_map_settled
from pyproj import Geod

from spatial.datum import gcj02_to_wgs84, wgs84_to_gcj02
from spatial.query import corridors_of_unit

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

    def __init__(self, chromium, path, *, size: tuple[int, int] = (1280, 800)):
        self.page = chromium.new_page(viewport={"width": size[0], "height": size[1]})
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
        """Click the map at container pixel (x, y); return the (lon, lat) that pixel is, by the map's own
        projection, read before the click (a popup that opens may pan the map after it)."""
        wait_map_settled(self.page)
        lat, lng = self.page.evaluate(
            "([x, y]) => { const p = map.containerPointToLatLng([x, y]); return [p.lat, p.lng]; }", [x, y]
        )
        box = self.page.locator(".leaflet-container").bounding_box()
        self.page.mouse.click(box["x"] + x, box["y"] + y)
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
    wait_map_settled(page)  # the page's first fit may still be under way
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


def _shown_lonlat(page, nth: int) -> tuple[float, float]:
    lon, lat = page.locator(".atlas-coords input").nth(nth).input_value().split(",")
    return float(lon), float(lat)


def test_the_pages_gcj02_conversions_agree_with_spatial_datum_on_many_points(chromium, export_files):
    """js/datum.js is a port of spatial.datum: both directions, over China and densely over Suzhou."""
    rng = np.random.default_rng(25)
    lon = np.concatenate([rng.uniform(73.7, 134.9, 2000), rng.uniform(119.8, 121.4, 2000)])
    lat = np.concatenate([rng.uniform(18.2, 53.5, 2000), rng.uniform(30.7, 32.1, 2000)])
    view = Offline(chromium, export_files["zh"])
    forward, back = view.page.evaluate(
        """([lon, lat]) => [lon.map((x, i) => atlasDatum.wgs84ToGcj02(x, lat[i])),
                            lon.map((x, i) => atlasDatum.gcj02ToWgs84(x, lat[i]))]""",
        [lon.tolist(), lat.tolist()],
    )
    view.close()
    assert np.abs(np.array(forward) - np.column_stack(wgs84_to_gcj02(lon, lat))).max() < 1e-10
    assert np.abs(np.array(back) - np.column_stack(gcj02_to_wgs84(lon, lat))).max() < 1e-9


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_clicked_point_shows_its_coordinates_in_both_datums_and_its_unit_and_corridors(
    chromium, export_files, atlas, lang
):
    view = Offline(chromium, export_files[lang])
    page = view.page
    wait_map_settled(page)
    x, y = view.pixel(120.55, 30.95)  # in 吴江区, away from its labels and counts
    lon, lat = view.click(round(x), round(y))
    page.wait_for_selector(".atlas-coords input")
    shown = page.inner_text(".atlas-coords")
    page.screenshot(path=str(LOOK / f"maptools_coordinates_{lang}.png"))
    wgs = _shown_lonlat(page, 0)
    gcj = _shown_lonlat(page, 1)
    assert abs(wgs[0] - lon) < 1e-5 and abs(wgs[1] - lat) < 1e-5, (wgs, lon, lat)
    expected = wgs84_to_gcj02(lon, lat)
    assert abs(gcj[0] - float(expected[0])) < 1e-5 and abs(gcj[1] - float(expected[1])) < 1e-5
    found = corridors_of_unit("320509", units=atlas.units, corridors=atlas.corridors, members=atlas.members)
    assert found["unit"][f"name_{lang}"] in shown
    for entry in found["corridors"]:
        assert entry["corridor"][f"name_{lang}"] in shown and entry["role"][f"role_{lang}"] in shown
    page.locator(".atlas-coords-value button").first.click()  # copy: the field's text is selected and copied
    assert page.evaluate("() => window.getSelection().toString() || document.activeElement.value") == (
        page.locator(".atlas-coords input").first.input_value()
    )
    lake = view.pixel(120.95, 30.6)  # outside Suzhou: in Zhejiang
    view.click(*lake)
    assert ("不在苏州十个规划单元内" if lang == "zh" else "outside Suzhou") in page.inner_text(".atlas-coords")
    page.click(".atlas-coords-close")  # folds back to the hint
    assert page.locator(".atlas-coords input").count() == 0
    view.close()


def test_over_amap_tiles_the_click_is_gcj02_and_wgs84_is_converted_back(chromium, atlas, tmp_path):
    """On a map drawn in GCJ-02 (Amap's tiles), the clicked position is a GCJ-02 one."""
    from atlas_web.basemaps import resolve_basemap
    from atlas_web.mapview import MapView
    from atlas_web.standalone import standalone_html
    from atlas_web.webmap import build_map
    from presentation.display import build_display_layers

    fmap = build_map(
        atlas, build_display_layers(atlas, datum="gcj02"), resolve_basemap("amap"), MapView(lang="zh"), unit_popups=True
    )
    path = tmp_path / "amap.html"
    path.write_text(standalone_html(fmap), encoding="utf-8")
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    page.goto(path.as_uri())
    page.wait_for_selector("path.leaflet-interactive")
    page.evaluate("() => { window.map = Object.values(window).find(v => v instanceof L.Map); }")
    wait_map_settled(page)
    x, y = page.evaluate("() => { const p = map.latLngToContainerPoint([30.95, 120.55]); return [p.x, p.y]; }")
    lat, lon = page.evaluate(
        "([x, y]) => { const p = map.containerPointToLatLng([x, y]); return [p.lat, p.lng]; }", [round(x), round(y)]
    )
    page.mouse.click(round(x), round(y))
    page.wait_for_selector(".atlas-coords input")
    wgs, gcj = _shown_lonlat(page, 0), _shown_lonlat(page, 1)
    back = gcj02_to_wgs84(lon, lat)
    assert abs(gcj[0] - lon) < 1e-5 and abs(gcj[1] - lat) < 1e-5
    assert abs(wgs[0] - float(back[0])) < 1e-5 and abs(wgs[1] - float(back[1])) < 1e-5
    assert "吴江区" in page.inner_text(".atlas-coords")
    page.close()


def test_on_a_small_map_the_box_folds_the_roles_and_never_covers_the_point_clicked(chromium, export_files):
    """The app's map is 640 px high: the box (bottom left) folds the corridors' roles, and a point
    it would cover is brought up above it."""
    view = Offline(chromium, export_files["en"], size=(900, 560))
    page = view.page
    wait_map_settled(page)
    x, y = view.pixel(120.62, 30.86)  # south of 吴江区, low on the map
    view.click(round(x), round(y))
    page.wait_for_selector(".atlas-coords input")
    details = page.locator(".atlas-coords details")
    assert details.count() == 1 and "corridors: 3" in details.locator("summary").inner_text()
    assert "Taihu Lakeside" not in page.inner_text(".atlas-coords")  # folded until opened
    details.locator("summary").click()
    assert "Taihu Lakeside" in page.inner_text(".atlas-coords")
    page.click(".atlas-coords-close")  # back to the one-line hint
    hint = page.locator(".atlas-coords").bounding_box()
    frame = page.locator(".leaflet-container").bounding_box()
    view.click(hint["x"] - frame["x"] + 40, hint["y"] - frame["y"] - 40)  # just above it: the box will open over it
    wait_map_settled(page)
    page.screenshot(path=str(LOOK / "maptools_coordinates_small.png"))
    corner = page.locator(".leaflet-bottom.leaflet-left").bounding_box()  # the box and the scale above it
    mark = page.locator("path.atlas-coords-mark").bounding_box()
    assert mark["y"] + mark["height"] < corner["y"], (corner, mark)  # brought up above them, in sight
    view.close()


def _search(page, typed: str) -> list[str]:
    page.click(".leaflet-control-search .search-button")
    page.locator(".leaflet-control-search input.search-input").fill(typed)  # as a paste or an input method
    page.wait_for_selector(".search-tip")
    return page.locator(".search-tip").all_inner_texts()


def _view(page) -> tuple[float, float, float, float]:
    return tuple(
        page.evaluate(
            "() => { const b = map.getBounds(); return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }"
        )
    )


def test_search_finds_dushu_lake_and_opens_its_list(chromium, export_files, atlas):
    view = Offline(chromium, export_files["zh"])
    page = view.page
    tips = _search(page, "独墅湖")
    assert tips[0].startswith("独墅湖科教创新区") and "苏州工业园区" in tips[0], tips
    page.screenshot(path=str(LOOK / "maptools_search_list_zh.png"))
    page.locator(".search-tip").first.click()
    page.wait_for_selector(".leaflet-popup-content")
    popup = page.inner_text(".leaflet-popup-content")
    assert "中国科学院苏州纳米技术与纳米仿生研究所" in popup  # the sub-area's count lists what it holds
    point = atlas.sub_areas.set_index("sub_area_id").loc["dushu_lake", "geometry"]
    west, south, east, north = _view(page)
    assert west < point.x < east and south < point.y < north and page.evaluate("() => map.getZoom()") >= 14
    view.close()


def test_search_finds_a_town_and_shows_its_unit_saying_it_is_a_town_of_it(chromium, export_files, atlas):
    view = Offline(chromium, export_files["zh"])
    page = view.page
    tips = _search(page, "盛泽镇")
    assert tips[0] == "盛泽镇 吴江区的镇（街道）", tips
    page.keyboard.press("Enter")  # the first result
    page.wait_for_selector(".leaflet-popup-content")
    wait_map_settled(page)
    assert "盛泽镇：吴江区的镇（街道）" in page.inner_text(".leaflet-popup-content")
    page.screenshot(path=str(LOOK / "maptools_search_town_zh.png"))
    west, south, east, north = atlas.units.set_index("adcode").loc["320509", "geometry"].bounds
    shown = _view(page)
    assert shown[0] <= west + 0.01 and shown[1] <= south + 0.01 and shown[2] >= east - 0.01 and shown[3] >= north - 0.01
    assert (shown[2] - shown[0]) < 2.5 * (east - west)  # zoomed to it, not the whole city
    view.close()


@pytest.mark.parametrize(("typed", "first"), [("SIP", "Suzhou Industrial Park"), ("szgyyq", "Suzhou Industrial Park")])
def test_search_in_english_finds_sip_by_its_short_name_and_pinyin_initials(chromium, export_files, atlas, typed, first):
    view = Offline(chromium, export_files["en"])
    page = view.page
    tips = _search(page, typed)
    assert tips[0].startswith(first) and "planning unit" in tips[0], tips
    page.screenshot(path=str(LOOK / f"maptools_search_list_en_{typed}.png"))
    page.locator(".search-tip").first.click()
    wait_map_settled(page)
    west, _south, east, _north = atlas.units.set_index("adcode").loc["320571", "geometry"].bounds
    shown = _view(page)
    assert shown[0] <= west and shown[2] >= east and (shown[2] - shown[0]) < 3 * (east - west)
    view.close()


def test_search_says_when_nothing_is_found(chromium, export_files):
    view = Offline(chromium, export_files["en"])
    page = view.page
    page.click(".leaflet-control-search .search-button")
    page.locator(".leaflet-control-search input.search-input").fill("zzzqqq")
    time.sleep(0.4)
    page.keyboard.press("Enter")
    assert page.locator(".search-tip").count() == 0
    assert "Not found" in page.inner_text(".leaflet-control-search .search-alert")
    view.close()
