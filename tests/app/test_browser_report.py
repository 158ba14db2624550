"""Real-browser test of the report pack: a planner makes a corridor chapter and the whole-city report
on the Export page with its own buttons, sees the progress bar, and downloads both.

The downloads are then opened as a reader would: the Word file with python-docx (its headings),
the PDF with poppler's pdftotext (the corridors' names).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import time

import docx
import pytest
from browser import SHOTS, offline_page, wait_for, wait_idle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,  # the whole-city PDF: six 300 dpi figures and a LibreOffice layout, over a minute
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice comes with make system-deps"),
]

CITY_TIMEOUT_S = 300.0


def _pick(page, key: str, typed: str, option: str) -> None:
    """Choose ``option`` in the select box with widget key ``key`` (the report's own, not the figure's)."""
    wait_idle(page)
    page.locator(f".st-key-{key} input").click()
    page.keyboard.type(typed)
    page.locator('[role="option"]').filter(has_text=option).first.click()
    page.locator(f".st-key-{key} input").and_(page.locator(f'[value*="{option}"]')).wait_for(timeout=15_000)


def _make_and_download(page, make: str, download: str, name: str, folder, *, timeout_s: float):
    """Click the make button, then the download button labelled ``download`` with ``name`` in it;
    return whether a progress bar showed while the report was made, and the saved file."""
    wait_idle(page)
    page.get_by_role("button", name=make).click()
    progress_seen = False
    deadline = time.monotonic() + timeout_s
    button = page.get_by_role("button", name=f"{download} {name}")
    while time.monotonic() < deadline and not button.count():
        progress_seen = progress_seen or page.locator('[data-testid="stProgress"]').count() > 0
        time.sleep(0.1)
    assert button.count(), f"no {name!r} after {timeout_s:.0f} s"
    wait_idle(page)
    with page.expect_download(timeout=60_000) as info:
        button.click()
    assert info.value.suggested_filename == name
    target = folder / name
    info.value.save_as(str(target))
    return progress_seen, target


def test_a_chapter_in_chinese_and_the_whole_city_in_english_download_from_the_export_page(
    browser_session, atlas, tmp_path
):
    url, browser = browser_session
    today = dt.date.today().isoformat()
    corridors = atlas.corridors.set_index("id")
    page, outside = offline_page(browser, f"{url}/export")
    wait_for(page, lambda s: "报告（Word 或 PDF）" in s and "生成报告" in s, timeout=60)

    _pick(page, "ex_report_scope", "沿江", corridors.loc["yangtze", "name_zh"])
    chapter_name = f"suzhou_atlas_report_yangtze_zh_{today}.docx"
    progress, chapter = _make_and_download(page, "生成报告", "下载", chapter_name, tmp_path, timeout_s=120)
    assert progress, "no progress bar while the chapter was made"
    headings = [p.text for p in docx.Document(str(chapter)).paragraphs if p.style.name.startswith("Heading")]
    assert docx.Document(str(chapter)).paragraphs[0].text == corridors.loc["yangtze", "name_zh"]
    assert headings[:3] == ["规划要求", "成员单元与角色", "主要指标"], headings

    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    wait_for(page, lambda s: "Report (Word or PDF)" in s and "Make the report" in s)
    _pick(page, "ex_report_scope", "whole city", "The whole city")
    wait_idle(page)
    page.locator(".st-key-ex_report_format").get_by_text("PDF", exact=True).click()
    city_name = f"suzhou_atlas_report_city_en_{today}.pdf"
    progress, city = _make_and_download(
        page, "Make the report", "Download", city_name, tmp_path, timeout_s=CITY_TIMEOUT_S
    )
    assert progress, "no progress bar while the whole-city report was made"
    page.screenshot(path=str(SHOTS / "export_report_downloaded.png"), full_page=True)
    page.close()

    assert chapter_name != city_name  # two downloads never overwrite each other
    assert city.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", str(city), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", " ", text)
    for name in corridors["name_en"]:
        assert name in flat, name
    assert outside == []
