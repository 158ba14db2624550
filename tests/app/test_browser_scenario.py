"""Real-browser tests of scenarios and workspaces (issue 14): a planner edits a corridor's members
and name on the Scenario page and sees the map, the summary and its download follow; a workspace
saved before the app restarts opens again after it."""

from __future__ import annotations

import csv
import io
import time

import pytest
from browser import (
    SHOTS,
    choose_option,
    goto_page,
    map_frame,
    offline_page,
    running_app,
    wait_for,
    wait_idle,
)

pytestmark = pytest.mark.browser

ROLE = "试验角色甲"
NEW_NAME = "沿江试验带"


def _add_wuzhong_to_yangtze(page) -> None:
    wait_for(page, lambda s: "修改走廊" in s, 60)
    choose_option(page, "走廊", "沿江科技产业创新带")
    wait_idle(page)
    choose_option(page, "单元", "吴中区")
    wait_idle(page)
    form = page.locator('[data-testid="stForm"]').filter(has_text="角色（中文）")
    form.get_by_label("角色（中文）").fill(ROLE)
    form.get_by_role("button", name="加入 / 修改").click()
    wait_for(page, lambda s: "生效中（非规划原文）" in s, 60)
    wait_idle(page)


def _map_html(page, wanted: str, timeout: float = 60.0) -> str:
    """The document of a drawn map frame that holds ``wanted`` ("" if none does by the deadline).

    Read with ``evaluate`` in the frame's own page: ``Frame.content()`` was seen returning the
    document of the map frame the page had before a page switch."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                html = frame.evaluate("document.documentElement.outerHTML")
            except Exception:  # the frame went away while we read it
                continue
            if "leaflet" in html and wanted in html:
                return html
        time.sleep(0.3)
    return ""


def test_editing_a_membership_and_a_name_changes_the_map_and_the_summary(browser_session):
    url, browser = browser_session
    page, refused = offline_page(browser, f"{url}/scenario")
    goto_page(page, "地图")
    wait_for(page, lambda s: "点击地图上的规划单元或设施" in s, 60)
    map_frame(page)
    assert _map_html(page, ROLE, timeout=2) == ""
    goto_page(page, "情景推演")
    _add_wuzhong_to_yangtze(page)
    form = page.locator('[data-testid="stForm"]').filter(has_text="中文名称")
    form.get_by_label("中文名称").fill(NEW_NAME)
    form.get_by_role("button", name="应用").click()
    wait_idle(page)
    page.screenshot(path=str(SHOTS / "scenario_edited.png"))

    goto_page(page, "地图")
    text = wait_for(page, lambda s: "生效中（非规划原文）" in s and "点击地图上的规划单元或设施" in s, 60)
    assert "未命名情景" in text
    assert ROLE in _map_html(page, ROLE)  # 吴中区's tooltip names its new role in the 沿江 belt
    legend = map_frame(page).locator(".atlas-legend").text_content()
    assert NEW_NAME in legend and "沿江科技产业创新带" not in legend

    goto_page(page, "汇总")
    wait_for(page, lambda s: "各走廊汇总" in s, 60)
    wait_idle(page)
    with page.expect_download() as caught:
        page.locator('[data-testid="stDownloadButton"]').first.get_by_role("button").click()
    download = caught.value
    assert download.suggested_filename.startswith("scenario_corridor_summary")
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))
    yangtze = next(r for r in rows if r["编号"] == "yangtze")
    assert yangtze["走廊"] == NEW_NAME and "吴中区" in yangtze["途经单元"]
    assert all(r["情景"] == "情景：未命名情景（非规划原文）" for r in rows)

    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    wait_for(page, lambda s: "is in force (not the plan)" in s, 60)
    goto_page(page, "Map")
    wait_for(page, lambda s: "is in force (not the plan)" in s and "Click a unit or facility on the map" in s, 60)
    assert "Scenario" in page.locator('[data-testid="stMain"]').inner_text()
    legend = map_frame(page).locator(".atlas-legend").text_content()
    assert "Yangtze" in legend and NEW_NAME not in legend  # the English name was not changed
    page.screenshot(path=str(SHOTS / "scenario_map_en.png"))
    assert not refused
    page.close()


def test_a_saved_workspace_opens_again_after_the_app_restarts(chromium, tmp_path):
    env = {"ATLAS_DATA_DIR": str(tmp_path)}
    with running_app(env=env) as (url, _process):
        page, _ = offline_page(chromium, f"{url}/scenario")
        _add_wuzhong_to_yangtze(page)
        goto_page(page, "工作空间")
        wait_for(page, lambda s: "保存当前工作" in s, 60)
        page.get_by_label("工作空间名称").fill("周五下午")
        page.get_by_role("button", name="保存").click()
        wait_for(page, lambda s: "已保存“周五下午”，第 1 版" in s, 60)
        page.close()
    assert (tmp_path / "workspaces.sqlite").exists()
    with running_app(env=env) as (url, _process):  # a new server: nothing in memory survives
        page, _ = offline_page(chromium, f"{url}/workspaces")
        wait_for(page, lambda s: "已保存的工作空间" in s, 60)
        wait_idle(page)
        page.get_by_role("button", name="打开").click()
        wait_for(page, lambda s: "已打开“周五下午”第 1 版" in s and "生效中（非规划原文）" in s, 60)
        goto_page(page, "地图")
        wait_for(page, lambda s: "生效中（非规划原文）" in s and "点击地图上的规划单元或设施" in s, 60)
        assert ROLE in _map_html(page, ROLE)
        page.screenshot(path=str(SHOTS / "workspace_reopened.png"))
        link = page.url
        assert "workspace=" in link
        page.close()
        colleague, _ = offline_page(chromium, link)  # a shared link, in another planner's browser
        wait_for(colleague, lambda s: "链接打开了已保存的工作空间“周五下午”" in s and "生效中（非规划原文）" in s, 60)
        assert ROLE in _map_html(colleague, ROLE)
        colleague.close()


def test_layout_files_one_after_another_and_the_pickers_in_english(browser_session, tmp_path):
    import json

    from layers.layout import as_scenario, dump_layout, plan_layout, with_member

    plan = plan_layout()
    broken = json.loads(dump_layout(plan))
    broken["corridors"][1]["id"] = broken["corridors"][0]["id"]  # two corridors with one id
    broken["corridors"][2]["members"][0]["adcode"] = "999999"  # not a unit
    files = {
        "坏的布局.json": json.dumps(broken, ensure_ascii=False),
        "吴中入沿江.json": dump_layout(
            as_scenario(with_member(plan, "yangtze", {"adcode": "320506", "role_zh": ROLE}), "吴中入沿江")
        ),
        "plan.json": dump_layout(plan),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    url, browser = browser_session
    page, _ = offline_page(browser, f"{url}/scenario")
    wait_for(page, lambda s: "修改走廊" in s, 60)
    wait_idle(page)  # an upload box drawn again during a run loses what is set on it
    uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]').first

    uploader.set_input_files(str(tmp_path / "坏的布局.json"))
    text = wait_for(page, lambda s: "不是有效的布局文件" in s, 60)
    assert "坏的布局.json" in text and "2 处问题" in text and "999999" in text
    assert "生效中" not in text  # nothing changed
    wait_idle(page)
    uploader.set_input_files(str(tmp_path / "吴中入沿江.json"))  # a second file in the same box
    wait_for(page, lambda s: "已载入布局文件 吴中入沿江.json" in s and "情景“吴中入沿江”生效中" in s, 60)
    wait_idle(page)
    uploader.set_input_files(str(tmp_path / "plan.json"))
    wait_for(page, lambda s: "与规划布局相同" in s and "当前为规划布局" in s and "生效中" not in s, 60)

    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    wait_for(page, lambda s: "Change a corridor" in s, 60)
    wait_idle(page)
    picker = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text("Unit", exact=True)).first
    for attempt in range(4):  # a run that redraws the picker closes its list: open it again
        wait_idle(page)
        picker.locator("input").click()
        try:
            page.locator('[role="option"]').first.wait_for(timeout=5_000)
            break
        except Exception:
            if attempt == 3:
                raise
    options = page.locator('[role="option"]').all_inner_texts()
    assert any("Huqiu District" in o for o in options) and not any("虎丘区" in o for o in options), options
    page.keyboard.press("Escape")
    page.close()
