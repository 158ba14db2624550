"""Real-browser tests of what a planner does across pages: switch pages and language, keep the view.

Each drives the running app in Debian's Chromium the way a person would (sidebar clicks, map
clicks), because the failures they guard against (widget state dropped on a page switch, a
language switch that leaves half the UI behind) never show in AppTest.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from browser import SHOTS, click_latlng, goto_page, map_frame, offline_page, wait_for

pytestmark = pytest.mark.browser

CJK = re.compile(r"[\u3400-\u9fff]")

PAGE_LABELS_ZH = {"query": "查询", "summary": "汇总", "import": "导入数据", "export": "导出", "map": "地图"}
PAGE_READY_ZH = {
    "query": "单元 → 所在走廊",
    "summary": "各走廊汇总",
    "import": "点位表格",
    "export": "地图图片",
    "map": "点击地图上的规划单元或设施",
}


def _params(page) -> dict:
    return {k: v[-1] for k, v in parse_qs(urlsplit(page.url).query).items()}


def _legend(page) -> str:
    return map_frame(page).locator(".atlas-legend").text_content()


def test_leaving_the_map_page_and_coming_back_keeps_corridors_categories_and_selection(browser_session, atlas):
    url, browser = browser_session
    page, _ = offline_page(browser, f"{url}/?corridors=ring,taihu&cats=lab,university")
    names = atlas.corridors.set_index("id")["name_zh"]
    legend = _legend(page)
    assert names["ring"] in legend and names["taihu"] in legend and names["yangtze"] not in legend
    click_latlng(map_frame(page), 31.00, 120.65)  # 吴江区, far from any facility
    wait_for(page, lambda s: "吴江区" in s and "320509" in s)
    for name in ("query", "summary", "import", "export"):
        goto_page(page, PAGE_LABELS_ZH[name])
        wait_for(page, lambda s, name=name: PAGE_READY_ZH[name] in s)
        goto_page(page, PAGE_LABELS_ZH["map"])
        text = wait_for(page, lambda s: PAGE_READY_ZH["map"] in s and "320509" in s)
        assert "吴江区" in text, name
        legend = _legend(page)
        assert names["ring"] in legend and names["taihu"] in legend, (name, legend)
        assert names["yangtze"] not in legend, (name, legend)
        params = _params(page)
        assert params.get("corridors") == "ring,taihu" and params.get("cats") == "lab,university", (name, page.url)
        assert params.get("unit") == "320509", (name, page.url)
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert names["ring"] in sidebar and names["yangtze"] not in sidebar  # the pickers' chips
    page.screenshot(path=str(SHOTS / "session_back_on_map.png"))
    page.close()


def test_after_switching_to_english_the_ui_is_english_and_a_click_selects_a_unit(browser_session, atlas):
    url, browser = browser_session
    page, _ = offline_page(browser, url)
    map_frame(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    wait_for(page, lambda s: "Suzhou Innovation Atlas" in s and "Click a unit" in s)
    map_frame(page)
    click_latlng(map_frame(page), 31.00, 120.65)
    text = wait_for(page, lambda s: "Wujiang District" in s and "Corridors and roles" in s)
    params = _params(page)
    assert params.get("unit") == "320509" and params.get("lang") == "en", page.url
    assert params.get("corridors", "").split(",") == list(atlas.corridors["id"]), page.url
    legend = _legend(page)
    assert all(name in legend for name in atlas.corridors["name_en"]), legend
    # wholly English: the only Chinese left is the language switch (so a reader of either finds
    # it) and the selected unit's own Chinese name, shown on purpose beside the English one
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert not CJK.search(sidebar.replace("中文", "").replace("语言 / Language", "")), sidebar
    # ... and the sources, cited in their publishers' own words and titles (issue 26)
    cited = [line for line in text.splitlines() if line.startswith("Source: ")]
    assert cited and all("苏州市统计局" in line for line in cited), text
    assert not CJK.search("\n".join(x for x in text.splitlines() if x not in cited).replace("吴江区", "")), text
    page.screenshot(path=str(SHOTS / "session_english_click.png"))
    page.close()


def test_language_switch_on_another_page_keeps_the_page_and_the_view(browser_session, atlas):
    url, browser = browser_session
    page, _ = offline_page(browser, f"{url}/?corridors=huning")
    map_frame(page)
    goto_page(page, PAGE_LABELS_ZH["summary"])
    wait_for(page, lambda s: PAGE_READY_ZH["summary"] in s)
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    wait_for(page, lambda s: "Per-corridor summary" in s)
    goto_page(page, "Map")
    wait_for(page, lambda s: "Click a unit" in s)
    legend = _legend(page)
    hn = atlas.corridors.set_index("id").loc["huning", "name_en"]
    assert hn in legend and sum(name in legend for name in atlas.corridors["name_en"]) == 1, legend
    assert _params(page).get("corridors") == "huning"
    page.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_control_covers_a_unit_where_a_planner_would_click(browser_session, atlas, lang):
    """Each unit's label point is clickable: neither the legend nor another control lies over it."""
    url, browser = browser_session
    page, _ = offline_page(browser, f"{url}/?lang={lang}")
    frame = map_frame(page)
    points = [[float(p.y), float(p.x)] for p in atlas.units.geometry.representative_point()]
    covered = frame.evaluate(
        """(points) => points.filter(([lat, lng]) => {
        const p = window.map.latLngToContainerPoint([lat, lng]);
        const box = document.getElementById("map_div").getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + p.x, box.top + p.y);
        return !hit || hit.closest(".leaflet-control") !== null;
    })""",
        points,
    )
    assert not covered, covered
    page.close()


def test_language_switch_relabels_every_choice_on_the_export_page(browser_session, atlas):
    url, browser = browser_session
    page, _ = offline_page(browser, f"{url}/?lang=en")
    goto_page(page, "Export")
    wait_for(page, lambda s: "Preview" in s and "Data format" in s)
    page.locator('[data-testid="stSidebar"]').get_by_text("中文", exact=True).click()
    text = wait_for(page, lambda s: "预览" in s and "数据格式" in s)
    english = [name for name in [*atlas.corridors["name_en"], "unit names", "facilities"] if name in text]
    assert not english, english
    orientation = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text("方向", exact=True))
    assert orientation.locator("input").first.input_value() == "横向"  # the select box, relabelled
    figure_lang = page.locator('[data-testid="stMain"] [data-testid="stRadio"]').first
    assert figure_lang.get_by_role("radio", name="中文").is_checked()  # the figure follows the UI until chosen
    page.close()
