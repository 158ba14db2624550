"""A self-contained HTML page of a folium map: every asset inlined, opens from disk offline."""

from __future__ import annotations

from atlas_web import assets
from safety.markup import text


def standalone_html(fmap, title: str = "") -> str:
    """The full HTML page of ``fmap`` with Leaflet and plugins inlined (no network needed)."""

    html = fmap.get_root().render()
    html = assets.inline_html(html)
    if title:
        html = html.replace("<head>", f"<head>\n<title>{text(title)}</title>", 1)
    return html
