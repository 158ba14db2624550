"""Generate the README's pictures with the project's own code (never hand-made):
docs/images/app_map.png (the app in Debian's Chromium, a unit selected) and
docs/images/figure_layout.png (an exported report figure) and docs/images/figure_six_corridors.png
(the six-corridor sheet).
Run: python scripts/make_readme_images.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import layers
from exports.figure import FigureSpec, render_corridor_sheet, render_figure

IMAGES = ROOT / "docs" / "images"


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


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    figure = IMAGES / "figure_layout.png"
    atlas = layers.load_atlas()
    figure.write_bytes(render_figure(atlas, FigureSpec(dpi=150, fmt="png", lang="zh")))
    sheet = IMAGES / "figure_six_corridors.png"
    sheet.write_bytes(render_corridor_sheet(atlas, FigureSpec(dpi=150, fmt="png", lang="zh")))
    app_screenshot(IMAGES / "app_map.png")
    for path in (figure, sheet, IMAGES / "app_map.png"):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
