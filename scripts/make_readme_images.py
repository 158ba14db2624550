"""Generate the README's pictures with the project's own code (never hand-made):
docs/images/app_map.png (the app in Debian's Chromium, a unit selected) and
docs/images/figure_layout.png (an exported report figure), docs/images/figure_six_corridors.png
(the six-corridor sheet) and docs/images/report_chapter_page.png (the first page of a corridor
chapter's PDF, as ``atlas report --format pdf`` makes it, drawn by poppler).
Run: python scripts/make_readme_images.py [figures] [app] [report]  (all three by default)
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import layers
from exports.figure import FigureSpec, render_corridor_sheet, render_figure
from reports.content import corridor_chapter
from reports.pdf import pdf_bytes
from reports.word import PDF_FONTS, docx_bytes

IMAGES = ROOT / "docs" / "images"
CHAPTER_PAGE_DPI = 80  # legible in a README, and a small file


def app_screenshot(target: Path) -> None:
    from browser import launch, map_frame, running_app
    from playwright.sync_api import sync_playwright

    with running_app() as (url, _), sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{url}/?unit=320571")
        map_frame(page)
        deadline = time.monotonic() + 20
        while "引领辐射" not in page.locator('[data-testid="stMain"]').inner_text() and time.monotonic() < deadline:
            time.sleep(0.3)
        time.sleep(1.0)
        page.screenshot(path=str(target))
        browser.close()


def chapter_page(atlas, target: Path) -> None:
    """The first page of the 沿江 chapter's PDF (zh), as a bureau would print it."""
    chapter = corridor_chapter(atlas, "yangtze", lang="zh", date=dt.date.today().isoformat())
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "chapter.pdf"
        pdf.write_bytes(pdf_bytes(docx_bytes(chapter, fonts=PDF_FONTS)))
        prefix = Path(tmp) / "page"
        command = ["pdftoppm", "-r", str(CHAPTER_PAGE_DPI), "-png", "-f", "1", "-l", "1", "-singlefile"]
        subprocess.run([*command, str(pdf), str(prefix)], check=True)
        target.write_bytes(prefix.with_suffix(".png").read_bytes())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", nargs="*", choices=["figures", "app", "report"], help="all three when none is named")
    which = set(parser.parse_args(argv).which or ["figures", "app", "report"])
    IMAGES.mkdir(parents=True, exist_ok=True)
    atlas = layers.load_atlas()
    made = []
    if "figures" in which:
        made += [IMAGES / "figure_layout.png", IMAGES / "figure_six_corridors.png"]
        made[-2].write_bytes(render_figure(atlas, FigureSpec(dpi=150, fmt="png", lang="zh")))
        made[-1].write_bytes(render_corridor_sheet(atlas, FigureSpec(dpi=150, fmt="png", lang="zh")))
    if "app" in which:
        made.append(IMAGES / "app_map.png")
        app_screenshot(made[-1])
    if "report" in which:
        made.append(IMAGES / "report_chapter_page.png")
        chapter_page(atlas, made[-1])
    for path in made:
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
