"""The interactive map as one self-contained HTML file (same layers, popups and legend as the app)."""

from __future__ import annotations

import datetime as dt

from branca.element import Element, Figure

from atlas_web.basemaps import resolve_basemap
from atlas_web.standalone import standalone_html
from atlas_web.webmap import MapView, build_map
from layers import present_categories
from presentation.display import build_display_layers
from presentation.i18n import approval_note, pick, selection_title, t
from safety.markup import text


def interactive_map_html(
    atlas,
    *,
    lang: str = "zh",
    corridors: tuple[str, ...] = (),
    categories: tuple[str, ...] = (),
    display=None,
    extra_groups=(),
    extra_legend: tuple = (),
    borders: str | None = None,
    date: str | None = None,
    approval: str = "",
) -> str:
    """A page that opens from disk with no internet: no basemap tiles, every asset inlined.

    The page carries a title for the corridors shown and a source line (``borders`` credits the
    unit borders in force; None = the embedded ones), and opens fitted to Suzhou.

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
        unit_popups=True,
    )
    chosen = [pick(row, lang) for row in atlas.corridors.itertuples(index=False) if row.id in shown]
    title = selection_title(chosen, len(atlas.corridors), lang)
    if getattr(atlas, "scenario", None) is not None:  # a scenario is never presented as the plan
        title = t("scenario_title", lang, name=atlas.scenario)
    source = t(
        "html_source",
        lang,
        approval=approval_note(approval, lang),
        borders=borders or t("borders_default", lang),
        date=date or dt.date.today().isoformat(),
    )
    if getattr(atlas, "scenario", None) is not None:
        source = f"{t('scenario_note', lang, date=date or dt.date.today().isoformat())}. {source}"
    page = fmap.get_root()
    assert isinstance(page, Figure)  # a folium Map's root is the page (branca Figure)
    page.header.add_child(Element(HEADER_CSS))
    page.html.add_child(
        Element(f'<div class="atlas-title"><b>{text(title)}</b><br><small>{text(source)}</small></div>')
    )
    return standalone_html(fmap, title=title)


HEADER_CSS = """<style>
  .atlas-title { position: fixed; top: 8px; left: 56px; right: 56px; z-index: 1000; pointer-events: none;
                 background: rgba(255,255,255,.92); padding: 4px 10px; border-radius: 4px;
                 font: 15px/1.35 sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
  .atlas-title small { font-size: 11px; color: #444; }
</style>"""
