"""Benchmark the report pack against its targets, with a baseline measured in the same run.

1. A corridor chapter (DOCX, 300 dpi figure) and the whole-city report (DOCX), against the
   corridor's figure alone (the baseline: what a chapter costs beyond its map).
   Targets on 2 cores: chapter <= 5 s, whole-city report <= 30 s.
2. The same chapter as PDF (LibreOffice), against the DOCX.
3. In Debian's Chromium: from `streamlit run` to a downloaded chapter on the Export page.
   Target: <= 60 s from a cold start.

Run: python scripts/bench_report.py   (or `make bench`)
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import layers
from exports.figure import FigureSpec, render_figure
from presentation.i18n import t
from reports.content import city_report, corridor_chapter
from reports.pdf import pdf_bytes
from reports.word import docx_bytes

CHAPTER_TARGET_S, CITY_TARGET_S, COLD_TARGET_S = 5.0, 30.0, 60.0
CORRIDOR = "yangtze"


def timed(action) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def cold_start_to_download_s() -> float:
    """From starting the app to a chapter's file on disk, in the browser."""
    from browser import goto_page, launch, running_app, wait_idle  # the tests' helpers: Playwright, Debian's Chromium
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)  # the browser's own start is not the app's time
        start = time.perf_counter()
        with running_app() as (url, _process):
            page = browser.new_page()
            page.goto(url)
            wait_idle(page)
            goto_page(page, t("page_export", "zh"))
            page.get_by_role("button", name=t("ex_report_make", "zh")).click()
            with page.expect_download(timeout=120_000) as download:
                page.get_by_role("button", name="下载 suzhou_atlas_report").click()
            download.value.save_as(Path("out") / download.value.suggested_filename)
            seconds = time.perf_counter() - start
        browser.close()
    return seconds


def main() -> None:
    atlas = layers.load_atlas()
    date = dt.date.today().isoformat()
    spec = FigureSpec(corridors=(CORRIDOR,), focus=CORRIDOR, dpi=300, date=date)
    render_figure(atlas, spec)  # fonts and caches warm, as in a running app
    figure_s, _ = timed(lambda: render_figure(atlas, spec))
    chapter_s, chapter = timed(lambda: docx_bytes(corridor_chapter(atlas, CORRIDOR, lang="zh", date=date)))
    print(
        f"chapter ({CORRIDOR}, DOCX): {chapter_s:.1f} s; baseline its figure alone {figure_s:.1f} s "
        f"(ratio {chapter_s / figure_s:.2f}x); target <= {CHAPTER_TARGET_S} s -> "
        f"{'OK' if chapter_s <= CHAPTER_TARGET_S else 'MISS'}"
    )
    city_s, city = timed(lambda: docx_bytes(city_report(atlas, lang="zh", date=date)))
    print(
        f"whole-city report (DOCX): {city_s:.1f} s ({city_s / figure_s:.1f}x one figure); "
        f"target <= {CITY_TARGET_S} s -> {'OK' if city_s <= CITY_TARGET_S else 'MISS'}"
    )
    pdf_s, _ = timed(lambda: pdf_bytes(chapter))
    print(f"chapter as PDF (LibreOffice): {pdf_s:.1f} s beyond the DOCX ({(chapter_s + pdf_s) / chapter_s:.2f}x)")
    city_pdf_s, _ = timed(lambda: pdf_bytes(city))
    print(f"whole-city report as PDF: {city_pdf_s:.1f} s beyond the DOCX, {city_s + city_pdf_s:.1f} s in all")
    cold_s = cold_start_to_download_s()
    print(
        f"cold start to a downloaded chapter in Chromium: {cold_s:.1f} s; target <= {COLD_TARGET_S} s -> "
        f"{'OK' if cold_s <= COLD_TARGET_S else 'MISS'}"
    )


if __name__ == "__main__":
    main()
