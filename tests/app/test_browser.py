"""Real-browser test: the app in Debian's Chromium, on 127.0.0.1, with every other host cut off."""

from __future__ import annotations

import re
import time

import pandas as pd
import pytest
from browser import (
    SHOTS,
    choose_option,
    click_latlng,
    map_frame,
    offline_page,
    settled_tag_clashes,
    unit_anchors,
    wait_for,
    wait_idle,
)

from spatial.query import corridors_of_unit

pytestmark = pytest.mark.browser


def test_map_draws_offline_with_only_local_scripts_and_styles(browser_session, atlas):
    url, browser = browser_session
    page, outside = offline_page(browser, url)
    frame = map_frame(page)
    # unit polygons (10) + one zone per corridor (6) + spines, all drawn as SVG paths
    assert frame.locator("path.leaflet-interactive").count() >= len(atlas.units) + len(atlas.corridors)
    # facility markers: single circles or cluster icons
    markers = frame.locator("path.leaflet-interactive[fill-opacity='0.95']").count()
    clusters = frame.locator(".marker-cluster").count()
    assert markers + clusters > 0
    legend = frame.locator(".atlas-legend").text_content()
    assert all(name in legend for name in atlas.corridors["name_zh"])
    labels = frame.locator(".atlas-label").all_inner_texts() + frame.locator(".atlas-unit-name").all_inner_texts()
    assert set(atlas.units["name_zh"]) <= set(labels)
    time.sleep(1.0)
    blocked = [(kind, u) for kind, u in outside if kind in ("script", "stylesheet", "font")]
    assert not blocked, blocked
    page.screenshot(path=str(SHOTS / "browser_map.png"))
    page.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_at_the_first_view_no_unit_name_overlaps_another_or_a_facility(browser_session, atlas, lang):
    """Issue 24 (6): the cluster of 姑苏区's two universities sat on its name; in English the names of
    虎丘区, 姑苏区, 园区 and 昆山市 ran into each other. Every unit's name is drawn, clear of the others and
    of every cluster, circle and count, on its label point or on a leader to it."""
    url, browser = browser_session
    page, _ = offline_page(browser, f"{url}/?lang={lang}")
    frame = map_frame(page)
    anchors = unit_anchors(atlas, lang)
    found = settled_tag_clashes(frame, anchors)
    page.screenshot(path=str(SHOTS / f"browser_unit_names_{lang}.png"))
    assert sorted(found["names"]) == sorted(anchors)
    assert found["marks"] >= 3  # the clusters and sub-area counts are there to be covered
    assert found["overlaps"] == [] and found["detached"] == []
    page.close()


def test_clicking_a_unit_shows_its_corridors_and_roles(browser_session, atlas):
    url, browser = browser_session
    page, _ = offline_page(browser, url)
    frame = map_frame(page)
    click_latlng(frame, 31.00, 120.65)  # inside 吴江区, far from any facility marker
    expected = corridors_of_unit("320509", units=atlas.units, corridors=atlas.corridors, members=atlas.members)
    assert expected["corridors"]
    text = wait_for(page, lambda s: "吴江区" in s and expected["corridors"][0]["role"]["role_zh"] in s)
    for entry in expected["corridors"]:
        assert entry["corridor"]["name_zh"] in text and entry["role"]["role_zh"] in text
    assert re.search(r"[?&]unit=320509", page.url)
    page.screenshot(path=str(SHOTS / "browser_unit_selected.png"))
    page.close()


def test_clicking_a_facility_shows_its_record(browser_session, atlas):
    url, browser = browser_session
    page, _ = offline_page(browser, url)
    frame = map_frame(page)
    campus = atlas.facilities.set_index("facility_id").loc["xjtlu"]  # beside the Dushu Lake count: not under it
    click_latlng(frame, campus.geometry.y, campus.geometry.x)
    text = wait_for(page, lambda s: campus["name_en"] in s)
    assert campus["name_zh"] in text and "fac=xjtlu" in page.url
    page.close()


def test_a_units_count_lists_what_is_known_only_by_unit(browser_session, atlas):
    # Before: 20 facilities known only by their unit stood as stacked points at one marker per unit.
    url, browser = browser_session
    page, _ = offline_page(browser, url)
    frame = map_frame(page)
    place = atlas.places.set_index("place_id").loc["320507"]  # 相城区
    badge = frame.locator('.atlas-badge.unit span[data-place="320507"]')
    assert badge.inner_text() == str(place["n"])
    settled_tag_clashes(frame, unit_anchors(atlas, "zh"))  # names move off the symbols once the map settles
    label = frame.locator(".atlas-unit-name", has_text="相城区").bounding_box()
    box = badge.bounding_box()
    assert box["x"] >= label["x"] + label["width"]  # after the name, never on it
    assert box["y"] < label["y"] + label["height"] and label["y"] < box["y"] + box["height"]
    badge.click()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    names = atlas.facilities.set_index("facility_id").loc[list(place["facility_ids"]), "name_zh"]
    assert all(name in popup.inner_text() for name in names)
    # no facility of the unit is drawn as a circle at the unit's label
    assert frame.locator(".atlas-badge.sub-area span").count() == (atlas.places["kind"] == "sub-area").sum()
    page.screenshot(path=str(SHOTS / "browser_unit_count.png"))
    page.close()


def test_shared_link_restores_the_view(browser_session, atlas):
    url, browser = browser_session
    page, _ = offline_page(browser, f"{url}/?lang=en&corridors=ring&unit=320571")
    frame = map_frame(page)
    text = wait_for(page, lambda s: "Suzhou Industrial Park" in s)
    assert "Middle Ring" in text
    legend = frame.locator(".atlas-legend").text_content()
    ring = atlas.corridors.set_index("id").loc["ring", "name_en"]
    others = atlas.corridors.loc[atlas.corridors["id"] != "ring", "name_en"]
    assert ring in legend and not any(name in legend for name in others)
    page.close()


def test_tiled_basemap_without_internet_fails_quietly_and_vectors_draw(browser_session, atlas):
    url, browser = browser_session
    page, outside = offline_page(browser, f"{url}/?basemap=osm")
    frame = map_frame(page)
    assert frame.locator("path.leaflet-interactive").count() >= len(atlas.units)
    deadline = time.monotonic() + 10
    while not any(kind == "image" for kind, _ in outside) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert any("openstreetmap" in u for kind, u in outside if kind == "image")  # tiles were tried...
    assert not [(k, u) for k, u in outside if k in ("script", "stylesheet", "font")]  # ...nothing else
    page.close()


def test_uploaded_hostile_names_stay_text_in_the_browser(browser_session, tmp_path):
    url, browser = browser_session
    payload = '<img src=x onerror="window.__pwned=1">${window.__pwned=2}`\\'
    csv_file = tmp_path / "hostile.csv"
    pd.DataFrame({"name": [payload, "ok"], "lon": [120.606389, 120.73807], "lat": [31.330556, 31.2748]}).to_csv(
        csv_file, index=False, encoding="utf-8"
    )
    page, _ = offline_page(browser, f"{url}/?page=import&lang=en")  # an old-style link still opens its page
    wait_for(page, lambda s: "Point table" in s and "Boundary file" in s)  # both upload boxes drawn, in order
    wait_idle(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(csv_file))
    wait_for(page, lambda s: "no default" in s)
    choose_option(page, "Coordinate system", "WGS84")
    wait_for(page, lambda s: "2 rows: 2 accepted" in s)
    page.locator('[data-testid="stSidebar"]').get_by_text("Map", exact=True).click()  # same session
    frame = map_frame(page)
    deadline = time.monotonic() + 15
    while "My points" not in frame.locator(".leaflet-control-layers").inner_text() and time.monotonic() < deadline:
        time.sleep(0.3)
        frame = map_frame(page)
    shown = frame.evaluate("""() => {
        const texts = [];
        window.map.eachLayer(layer => {
            if (layer.getLayers) layer.getLayers().forEach(child => {
                if (child.getPopup && child.getPopup()) {
                    const popup = L.popup().setLatLng(window.map.getCenter())
                                   .setContent(child.getPopup().getContent()).openOn(window.map);
                    texts.push(popup.getElement().textContent);
                }
            });
        });
        return texts;
    }""")
    time.sleep(0.5)
    assert frame.evaluate("() => window.__pwned") is None and page.evaluate("() => window.__pwned") is None
    page.screenshot(path=str(SHOTS / "browser_user_points.png"))
    assert any(payload in text for text in shown), (shown[:5], frame.locator(".leaflet-control-layers").inner_text())
    page.close()


def test_a_hostile_column_header_shows_as_text_not_as_markup_or_links(browser_session, atlas, tmp_path):
    """Issue 15, defect 1: the header named in "matched by column ..." rendered bold, an image and a link."""
    url, browser = browser_session
    header = "**b** ![x](http://evil.example/x.png) www.evil.example a@evil.example"
    path = tmp_path / "evil.geojson"
    atlas.units[["name_zh", "geometry"]].rename(columns={"name_zh": header}).to_file(path, driver="GeoJSON")
    page, outside = offline_page(browser, f"{url}/import?lang=en")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').nth(1).set_input_files(str(path))
    wait_for(page, lambda s: "no default" in s)
    choose_option(page, "Where the lon/lat came from", "WGS84")
    text = wait_for(page, lambda s: "Matched 10 units" in s).replace("\u2060", "")
    assert header in text  # shown literally, every character there
    main = page.locator('[data-testid="stMain"]')
    assert main.locator("img").count() == 0 and main.locator("strong").count() == 0
    assert main.locator('a[href*="evil"]').count() == 0
    assert not [u for _kind, u in outside if "evil" in u]
    page.close()


def test_an_address_only_workbook_is_counted_on_the_map_and_in_the_summary(browser_session, tmp_path):
    """A register of names and addresses, no coordinates: counts per unit, never sites."""
    url, browser = browser_session
    book = tmp_path / "高企名录.xlsx"
    pd.DataFrame(
        {
            "企业名称": ["甲", "乙", "丙", "丁"],
            "注册地址": [
                "苏州工业园区星湖街218号",
                "苏州工业园区金鸡湖大道1号",
                "江苏省苏州市吴江区盛泽镇",
                "苏州虎丘",
            ],
        }
    ).to_excel(book, index=False)
    page, _ = offline_page(browser, f"{url}/import?lang=en")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(book))
    wait_for(page, lambda s: "4 rows: 3 accepted, 0 doubtful, 1 rejected" in s)
    page.locator('[data-testid="stSidebar"]').get_by_text("Map", exact=True).click()
    frame = map_frame(page)
    deadline = time.monotonic() + 20
    while frame.locator(".atlas-address-count").count() < 2 and time.monotonic() < deadline:
        time.sleep(0.3)
        frame = map_frame(page)
    counts = sorted(frame.locator(".atlas-address-count").all_inner_texts())
    assert counts == ["1", "2"]  # 吴江区 1, the park 2; the ambiguous row is nowhere
    assert "rows placed by address" in frame.locator(".atlas-legend").text_content()  # folded until opened
    page.screenshot(path=str(SHOTS / "browser_address_counts.png"))
    frame.locator(".leaflet-control-search .search-button").click()  # a row is found at its unit's count
    frame.locator(".leaflet-control-search input.search-input").fill("丙")
    frame.locator(".search-tip").first.wait_for()
    assert "placed by address in Wujiang District" in frame.locator(".search-tip").first.inner_text()
    frame.locator(".search-tip").first.click()
    frame.locator(".leaflet-popup-content").wait_for()
    assert "丙" in frame.locator(".leaflet-popup-content").inner_text()  # the count's list opens
    page.locator('[data-testid="stSidebar"]').get_by_text("Summary", exact=True).click()
    wait_for(page, lambda s: "1 rows to their town, 2 rows to their district only" in s)
    page.close()


def test_the_map_tools_answer_in_the_app_as_in_the_export(browser_session, atlas):
    """Issue 25: the clicked point's coordinates and unit (while the side panel shows the unit), the
    search box and the measure tool are on the app's map too, from local copies only."""
    url, browser = browser_session
    page, outside = offline_page(browser, f"{url}/?lang=en")
    frame = map_frame(page)
    click_latlng(frame, 30.95, 120.55)  # in 吴江区
    wait_for(page, lambda s: "Wujiang District" in s)  # the side panel answers; the map is not reloaded
    box = frame.locator(".atlas-coords")
    box.locator("input").first.wait_for()
    lon, lat = (float(v) for v in box.locator("input").first.input_value().split(","))
    assert abs(lon - 120.55) < 0.01 and abs(lat - 30.95) < 0.01  # the pixel's own point is checked on the export
    assert "Wujiang District" in box.inner_text()
    assert box.locator("details").count() == 1  # the app's map (640 px) folds the roles, so the box stays low
    frame.locator(".leaflet-control-search .search-button").click()
    frame.locator(".leaflet-control-search input.search-input").fill("Shengze")
    frame.locator(".search-tip").first.wait_for()
    assert frame.locator(".search-tip").first.inner_text().startswith("盛泽镇 Shengze")
    assert frame.locator(".leaflet-control-measure").count() == 1
    page.screenshot(path=str(SHOTS / "browser_map_tools_en.png"))
    blocked = [(kind, u) for kind, u in outside if kind in ("script", "stylesheet", "font", "image")]
    assert not blocked, blocked
    page.close()
