"""The corridor sheet's parts: a small map per corridor, three a row, all at one scale over the
whole city, and the one legend line under them (the page itself: ``exports.figure.draw_corridor_sheet``)."""

from __future__ import annotations

import pandas as pd
import shapely
from matplotlib.artist import Artist
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from exports.furniture import (
    TOP_BAND_IN,
    Extent,
    Rect,
    draw_north_arrow,
    draw_scale_bar,
    fit_extent,
    frame_axes,
    page_renderer,
    wrap_label,
)
from exports.labels import place_unit_labels
from exports.map_layers import (
    MEMBER_DASH,
    CorridorStyle,
    PlanningLayers,
    beyond_band_legend,
    draw_context_areas,
    draw_corridor,
    draw_user_layers,
    spine_legend,
)
from presentation.i18n import capitalised, pick, t, unit_short_name
from presentation.style import FOOTPRINT_OPACITY, UNIT_EDGE, UNIT_FILL, WATER_FILL, corridor_colour

SHEET_BOTTOM_BAND_IN = 0.75  # kept under the small maps for the legend and source line
SHEET_COLUMNS = 3  # one small map per corridor, three a row: the plan's six make 2 x 3
SHEET_ARROW_M = 9_000.0  # small maps: an axis's arrowhead drawn larger so it reads at their scale
SHEET_CORRIDOR = CorridorStyle(footprint_lw=0.4, members_lw=0.9, spine_lw=1.6)
SHEET_LABEL_PT = 6.5  # member units' short names on a small map
SHEET_NORTH_SIZE = 0.6  # the one north arrow, on the first small map


def sheet_grid(count: int) -> tuple[int, int]:
    """Rows and columns of small maps for ``count`` corridors (a scenario may have more than six)."""
    return max(1, -(-count // SHEET_COLUMNS)), SHEET_COLUMNS


def sheet_cells(size_inches: tuple[float, float], layers: PlanningLayers) -> tuple[list[Rect], Extent]:
    """Each small map's rectangle (figure fractions) on a page ``size_inches`` (width, height), and
    the frame they share: the city at one scale."""
    width_in, height_in = size_inches
    top, bottom = 1 - TOP_BAND_IN / height_in, SHEET_BOTTOM_BAND_IN / height_in
    rows, cols = sheet_grid(len(layers.corridors))
    cell_w, cell_h = 0.94 / cols, (top - bottom) / rows
    rects = [
        (0.03 + c * cell_w, top - (r + 1) * cell_h, cell_w - 0.01, cell_h - 0.03)
        for r, c in (divmod(pos, cols) for pos in range(len(layers.corridors)))
    ]
    aspect = (cell_w * width_in) / ((cell_h - 0.03) * height_in)
    city = shapely.union_all(layers.units.geometry.values)
    return rects, fit_extent(city.bounds, aspect, margin=0.02)


def _cell_titles(ax, corridor: pd.Series, lang: str) -> None:
    """A small map's corridor name above it and its land areas in its upper left corner."""
    area = t("sheet_areas", lang, footprint=corridor["footprint_land_km2"], members=corridor["members_land_km2"])
    ax.set_title(
        wrap_label(pick(corridor, lang), 18 if lang == "zh" else 44), fontsize=9, fontweight="bold", pad=3, loc="left"
    )
    ax.text(
        0.02,
        0.98,
        area,
        transform=ax.transAxes,
        fontsize=6.5,
        va="top",
        color="#333333",
        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
        parse_math=False,
        gid="sheet_areas",
    )


def _member_labels(fig, ax, corridor: pd.Series, layers: PlanningLayers, label_points: dict, lang: str) -> None:
    """The member units' short names, placed off each other, the points and the corner texts."""
    units = layers.units.set_index("adcode").geometry
    items = [
        (unit_short_name(row, lang), label_points[code], units[code])
        for code, row in layers.units.set_index("adcode").loc[list(corridor["member_adcodes"])].iterrows()
    ]
    place_unit_labels(fig, ax, items, fontsize=SHEET_LABEL_PT)


def draw_sheet_cell(
    fig,
    rect,
    cid: str,
    *,
    atlas,
    layers: PlanningLayers,
    arrows,
    extent,
    lang: str,
    user_layers,
    label_points: dict,
    first: bool,
) -> list:
    """One corridor's small map (the neighbours and the water around them, units, water, the corridor,
    a planner's layers, its member units' names at ``label_points`` (adcode -> point, EPSG:4549); on
    the ``first``, the scale bar and north arrow); returns the planner's layers' legend entries."""
    ax = fig.add_axes(rect, gid=f"sheet_{cid}")
    draw_context_areas(ax, atlas, linewidth=0.3)
    layers.units.plot(ax=ax, facecolor=UNIT_FILL, edgecolor=UNIT_EDGE, linewidth=0.3, zorder=1, gid="units")
    layers.water.plot(ax=ax, facecolor=WATER_FILL, edgecolor="none", zorder=1.5)
    draw_corridor(ax, layers, cid, corridor_colour(cid, atlas.corridors["id"]), arrows.get(cid, []), SHEET_CORRIDOR)
    frame_axes(ax, extent, spine_width=0.5)
    _cell_titles(ax, layers.corridors.loc[cid], lang)
    user_handles: list[Artist] = []
    draw_user_layers(ax, user_layers, user_handles)
    if first:
        draw_scale_bar(ax, extent, lang, middle=False)
        draw_north_arrow(ax, lang, size=SHEET_NORTH_SIZE)
    _member_labels(fig, ax, layers.corridors.loc[cid], layers, label_points, lang)
    return user_handles


def _legend_row(fig, handles: list, *, ncol: int, height_in: float):
    return fig.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.32 / height_in),
        ncol=ncol,
        frameon=False,
        fontsize=7.5,
    )


def draw_sheet_legend(fig, layers: PlanningLayers, user_handles: list, lang: str, *, height_in: float) -> None:
    """One legend line under the small maps (two when one would run off the page): footprint,
    member units, members beyond a band, spines, water, a planner's layers."""
    L = lang
    handles: list[Artist] = [
        Patch(facecolor="#888888", alpha=FOOTPRINT_OPACITY + 0.15, edgecolor="#888888", label=t("legend_footprint", L)),
        Line2D([], [], color="#555555", linewidth=1.0, linestyle=MEMBER_DASH, label=t("legend_members", L)),
    ]
    handles += beyond_band_legend(layers, layers.corridors.index, L)
    handles += spine_legend(set(layers.corridors["spine_precision"]), L)
    handles.append(Patch(facecolor=WATER_FILL, edgecolor="none", label=t("legend_water", L)))
    handles += user_handles
    for handle in handles:
        handle.set_label(capitalised(str(handle.get_label())))
    legend = _legend_row(fig, handles, ncol=len(handles), height_in=height_in)
    if legend.get_window_extent(page_renderer(fig)).width > 0.96 * fig.bbox.width:  # two rows, not off the page
        legend.remove()
        legend = _legend_row(fig, handles, ncol=-(-len(handles) // 2), height_in=height_in)
    for label in legend.get_texts():
        label.set_parse_math(False)
