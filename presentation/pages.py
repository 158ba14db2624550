"""The app's pages, in the order the navigation lists them: one list for the app, links and tests.

A page's name is its URL path (``/query``); its title is the text ``page_<name>`` in each language.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    name: str  # the URL path, and the key of its title text
    file: str  # the page's script, relative to the checkout
    icon: str  # a Material icon, drawn by Streamlit from its own bundled font


PAGES = (
    Page("map", "app_pages/map.py", ":material/map:"),
    Page("query", "app_pages/query.py", ":material/search:"),
    Page("summary", "app_pages/summary.py", ":material/table_chart:"),
    Page("scenario", "app_pages/scenario.py", ":material/alt_route:"),
    Page("import", "app_pages/imports.py", ":material/upload_file:"),
    Page("workspaces", "app_pages/workspaces.py", ":material/folder_open:"),
    Page("export", "app_pages/export.py", ":material/download:"),
)
PAGE_NAMES = tuple(page.name for page in PAGES)
DEFAULT_PAGE = "map"
