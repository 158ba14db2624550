"""Third-party web assets (Leaflet and plugins) served by the app itself, never from a CDN.

They are installed at set-up time from the npm registry (``assets/package.json``, pinned by its
lock file) and copied by :func:`install` into ``static/vendor/``, which Streamlit serves at
``/app/static/vendor/`` (``server.enableStaticServing``). None of them is committed.
"""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

from atlas_core.errors import MissingAssetsError
from presentation.media import media_type

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "assets" / "node_modules"
STATIC_VENDOR = ROOT / "static" / "vendor"
SERVED_PREFIX = "/app/static/vendor"

# folium's asset names -> our file under static/vendor (None: not needed, dropped from the page).
FOLIUM_ASSETS: dict[str, str | None] = {
    "leaflet": "leaflet/leaflet.js",
    "leaflet_css": "leaflet/leaflet.css",
    "markerclusterjs": "markercluster/leaflet.markercluster.js",
    "markerclustercss": "markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "markercluster/MarkerCluster.Default.css",
    "Control.Fullscreen.js": "fullscreen/Control.FullScreen.js",
    "Control.FullScreen.css": "fullscreen/Control.FullScreen.css",
    # our own elements' plugins (atlas_web.maptools): the measure tool in the map's language, the search box
    "leaflet_measure_zh": "measure/leaflet-measure.cn.js",
    "leaflet_measure_en": "measure/leaflet-measure.en.js",
    "leaflet_measure_css": "measure/leaflet-measure.css",
    "leaflet_search": "search/leaflet-search.js",
    "leaflet_search_css": "search/css/leaflet-search.css",
    # folium loads these by default; our map uses none of them (no jQuery popups, no icon fonts)
    "jquery": None,
    "bootstrap": None,
    "awesome_markers": None,
    "bootstrap_css": None,
    "glyphicons_css": None,
    "awesome_markers_font_css": None,
    "awesome_markers_css": None,
    "awesome_rotate_css": None,
}

# our file under static/vendor <- file in node_modules
_COPIES = {
    "leaflet/leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet/leaflet.css": "leaflet/dist/leaflet.css",
    "leaflet/images/layers.png": "leaflet/dist/images/layers.png",
    "leaflet/images/layers-2x.png": "leaflet/dist/images/layers-2x.png",
    "leaflet/images/marker-icon.png": "leaflet/dist/images/marker-icon.png",
    "leaflet/images/marker-icon-2x.png": "leaflet/dist/images/marker-icon-2x.png",
    "leaflet/images/marker-shadow.png": "leaflet/dist/images/marker-shadow.png",
    "markercluster/leaflet.markercluster.js": "leaflet.markercluster/dist/leaflet.markercluster.js",
    "markercluster/MarkerCluster.css": "leaflet.markercluster/dist/MarkerCluster.css",
    "markercluster/MarkerCluster.Default.css": "leaflet.markercluster/dist/MarkerCluster.Default.css",
    "fullscreen/Control.FullScreen.js": "leaflet.fullscreen/Control.FullScreen.js",
    "fullscreen/Control.FullScreen.css": "leaflet.fullscreen/Control.FullScreen.css",
    "fullscreen/icon-fullscreen.svg": "leaflet.fullscreen/icon-fullscreen.svg",
    "measure/leaflet-measure.cn.js": "leaflet-measure/dist/leaflet-measure.cn.js",
    "measure/leaflet-measure.en.js": "leaflet-measure/dist/leaflet-measure.en.js",
    "measure/leaflet-measure.css": "leaflet-measure/dist/leaflet-measure.css",
    "measure/assets/cancel.png": "leaflet-measure/dist/assets/cancel.png",
    "measure/assets/cancel_@2X.png": "leaflet-measure/dist/assets/cancel_@2X.png",
    "measure/assets/check.png": "leaflet-measure/dist/assets/check.png",
    "measure/assets/check_@2X.png": "leaflet-measure/dist/assets/check_@2X.png",
    "measure/assets/focus.png": "leaflet-measure/dist/assets/focus.png",
    "measure/assets/focus_@2X.png": "leaflet-measure/dist/assets/focus_@2X.png",
    "measure/assets/rulers.png": "leaflet-measure/dist/assets/rulers.png",
    "measure/assets/rulers_@2X.png": "leaflet-measure/dist/assets/rulers_@2X.png",
    "measure/assets/start.png": "leaflet-measure/dist/assets/start.png",
    "measure/assets/start_@2X.png": "leaflet-measure/dist/assets/start_@2X.png",
    "measure/assets/trash.png": "leaflet-measure/dist/assets/trash.png",
    "measure/assets/trash_@2X.png": "leaflet-measure/dist/assets/trash_@2X.png",
    "search/leaflet-search.js": "leaflet-search/dist/leaflet-search.src.js",
    "search/css/leaflet-search.css": "leaflet-search/dist/leaflet-search.src.css",
    "search/images/search-icon.png": "leaflet-search/images/search-icon.png",
    "search/images/loader.gif": "leaflet-search/images/loader.gif",
}


def missing() -> list[str]:
    """Files under static/vendor that the map needs but are absent."""
    return [name for name in _COPIES if not (STATIC_VENDOR / name).is_file()]


def require_installed() -> None:
    gone = missing()
    if gone:
        raise MissingAssetsError(
            f"web assets missing from {STATIC_VENDOR} ({', '.join(gone[:3])}...): run `make assets` "
            "(npm ci in assets/, then python -m atlas_web.assets) | 地图所需的网页资源未安装：请运行 make assets"
        )


def install(node_modules: Path = NODE_MODULES, target: Path = STATIC_VENDOR) -> list[Path]:
    """Copy the needed files from ``node_modules`` into ``target``; return the written paths."""
    written = []
    for ours, theirs in _COPIES.items():
        source = node_modules / theirs
        if not source.is_file():
            raise MissingAssetsError(f"{source} not found: run `npm ci` in {node_modules.parent} first")
        dest = target / ours
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
        written.append(dest)
    return written


def served_url(name: str) -> str:
    return f"{SERVED_PREFIX}/{name}"


def localise(element) -> None:
    """Point every JS/CSS link of a folium element tree at our served copies.

    Links folium adds that the map does not need are dropped; an asset this table does not
    know raises, so a new plugin cannot slip a CDN link into the page unnoticed.
    """
    for node in _walk(element):
        for attr in ("default_js", "default_css"):
            links = getattr(node, attr, None)
            if not links:
                continue
            local = []
            for name, _url in links:
                if name not in FOLIUM_ASSETS:
                    raise MissingAssetsError(
                        f"no local copy known for web asset {name!r}; add it to "
                        "atlas_web/assets.py and assets/package.json"
                    )
                asset = FOLIUM_ASSETS[name]
                if asset is not None:
                    local.append((name, served_url(asset)))
            setattr(node, attr, local)


def _walk(element):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def inline_html(html: str) -> str:
    """Replace every served-asset <script src>/<link href> in ``html`` by the file's content.

    Images that CSS refers to are inlined as data URIs, so the page opens from disk offline.
    """
    require_installed()

    def script(match):
        body = (STATIC_VENDOR / match.group(1)).read_text(encoding="utf-8").replace("</script", "<\\/script")
        return f"<script>{body}</script>"

    def style(match):
        path = STATIC_VENDOR / match.group(1)
        css = path.read_text(encoding="utf-8")
        css = re.sub(r"url\(['\"]?([^'\")#]+)['\"]?\)", lambda m: _data_uri(path.parent / m.group(1), m.group(0)), css)
        return f"<style>{css}</style>"

    prefix = re.escape(SERVED_PREFIX)
    html = re.sub(rf'<script[^>]*src="{prefix}/([^"]+)"[^>]*></script>', script, html)
    return re.sub(rf'<link[^>]*href="{prefix}/([^"]+)"[^>]*/?>', style, html)


def _data_uri(path: Path, original: str) -> str:
    if not path.is_file():
        return original
    return f"url(data:{media_type(path.name)};base64,{base64.b64encode(path.read_bytes()).decode()})"


if __name__ == "__main__":
    for written_path in install():
        print(written_path.relative_to(ROOT))
