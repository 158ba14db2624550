"""The interactive map as one self-contained HTML file (same layers, popups and legend as the app)."""

from __future__ import annotations

from atlas_web.basemaps import resolve_basemap
from atlas_web.display import build_display_layers
from atlas_web.i18n import t
from atlas_web.standalone import standalone_html
from atlas_web.webmap import MapView, build_map
from layers import present_categories


def interactive_map_html(
    atlas,
    *,
    lang: str = "zh",
    corridors: tuple[str, ...] = (),
    categories: tuple[str, ...] = (),
    display=None,
    extra_groups=(),
    extra_legend: tuple = (),
) -> str:
    """A page that opens from disk with no internet: no basemap tiles, every asset inlined.

    ``extra_groups`` and ``extra_legend`` add a planner's imported layers (see
    ``atlas_web.webmap.workspace_groups``), drawn and listed in the legend as in the app.
    """
    shown = corridors or tuple(atlas.corridors["id"])
    cats = categories or tuple(present_categories(atlas.facilities))
    layers_ = display if display is not None else build_display_layers(atlas)
    fmap = build_map(
        atlas,
        layers_,
        resolve_basemap("none"),
        MapView(lang=lang, corridors=shown, categories=cats),
        extra_groups=extra_groups,
        extra_legend=extra_legend,
    )
    return standalone_html(fmap, title=t("app_title", lang))
