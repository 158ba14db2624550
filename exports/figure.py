"""Print-quality map figures of the layout, drawn in EPSG:4549 so distances on the sheet are true."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import shapely
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.typing import RcKeyType

from atlas_core.errors import FigureSpecError
from exports.fonts import cjk_family
from exports.furniture import (
    TOP_BAND_IN,
    Extent,
    PageCanvas,
    draw_north_arrow,
    draw_scale_bar,
    draw_titles,
    fit_extent,
    frame_axes,
    page_renderer,
    wrap_to_width,
)
from exports.labels import place_context_labels, place_hub_labels, place_unit_labels, place_user_counts
from exports.map_layers import (
    MEMBER_DASH,
    CorridorStyle,
    PlanningLayers,
    beyond_band_legend,
    draw_context,
    draw_corridor,
    draw_facilities,
    draw_hubs,
    draw_locator,
    draw_units,
    draw_user_layers,
    draw_water,
    in_planning_crs,
    spine_legend,
)
from exports.places import (
    circled,
    draw_place_list,
    draw_sub_area_badges,
    place_list_columns,
    place_list_height_in,
    unit_counts,
)
from exports.sheet import SHEET_ARROW_M, draw_sheet_cell, draw_sheet_legend, sheet_cells
from layers.water import unit_label_points
from presentation.display import axis_arrows
from presentation.i18n import LANGS, approval_note, capitalised, pick, selection_title, t, unit_label_name
from presentation.style import (
    FOOTPRINT_OPACITY,
    corridor_colour,
)
from presentation.themes import THEMES
from spatial.crs import PLANNING_CRS

PAPERS_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
ORIENTATIONS = ("landscape", "portrait")
FORMATS = ("png", "svg", "pdf")
DPI_RANGE = (150, 600)
LAYERS = ("labels", "facilities", "spines")


@dataclass(frozen=True)
class FigureSpec:
    corridors: tuple[str, ...] = ()  # shown; empty = all six
    layers: tuple[str, ...] = LAYERS  # optional layers drawn on top of the units
    title: str | None = None  # None = the default title in ``lang``
    subtitle: str | None = None
    paper: str = "A4"
    orientation: str = "landscape"
    dpi: int = 300
    fmt: str = "png"
    lang: str = "zh"
    date: str = field(default_factory=lambda: dt.date.today().isoformat())
    focus: str | None = None  # a corridor id to zoom to (its zone), else the city
    borders: str | None = None  # credit for the unit borders used; None = the embedded ones
    approval: str = ""  # the map approval number (审图号) once one is granted; blank = for internal use
    theme: str | None = None  # a unit indicator (presentation.themes.THEMES) drawn as a thematic map

    def validated(self, corridor_ids) -> FigureSpec:
        problems = []
        if self.paper not in PAPERS_MM:
            problems.append(
                (
                    f"paper must be one of {', '.join(PAPERS_MM)}; got {self.paper!r}",
                    f"纸张须为 {'、'.join(PAPERS_MM)}；收到 {self.paper!r}",
                )
            )
        if self.orientation not in ORIENTATIONS:
            problems.append(
                (
                    f"orientation must be landscape or portrait; got {self.orientation!r}",
                    f"方向须为 landscape（横向）或 portrait（纵向）；收到 {self.orientation!r}",
                )
            )
        if self.fmt not in FORMATS:
            problems.append(
                (
                    f"format must be one of {', '.join(FORMATS)}; got {self.fmt!r}",
                    f"格式须为 {'、'.join(FORMATS)}；收到 {self.fmt!r}",
                )
            )
        if self.lang not in LANGS:
            problems.append((f"language must be zh or en; got {self.lang!r}", f"语言须为 zh 或 en；收到 {self.lang!r}"))
        if not isinstance(self.dpi, int) or not DPI_RANGE[0] <= self.dpi <= DPI_RANGE[1]:
            problems.append(
                (
                    f"DPI must be a whole number from {DPI_RANGE[0]} to {DPI_RANGE[1]}; got {self.dpi!r}",
                    f"DPI 须为 {DPI_RANGE[0]}–{DPI_RANGE[1]} 之间的整数；收到 {self.dpi!r}",
                )
            )
        unknown = [c for c in (*self.corridors, *([self.focus] if self.focus else [])) if c not in corridor_ids]
        if unknown:
            problems.append(
                (
                    f"unknown corridor(s) {', '.join(unknown)}; known: {', '.join(corridor_ids)}",
                    f"未知走廊 {'、'.join(unknown)}；可选：{'、'.join(corridor_ids)}",
                )
            )
        if self.theme is not None and self.theme not in THEMES:
            problems.append(
                (
                    f"thematic indicator must be one of {', '.join(THEMES)}; got {self.theme!r}",
                    f"专题指标须为 {'、'.join(THEMES)}；收到 {self.theme!r}",
                )
            )
        bad_layers = [name for name in self.layers if name not in LAYERS]
        if bad_layers:
            problems.append(
                (
                    f"unknown layer(s) {', '.join(bad_layers)}; known: {', '.join(LAYERS)}",
                    f"未知图层 {'、'.join(bad_layers)}；可选：{'、'.join(LAYERS)}",
                )
            )
        if problems:
            raise FigureSpecError("; ".join(en for en, _ in problems), zh="；".join(zh for _, zh in problems))
        return self

    @property
    def size_pixels(self) -> tuple[int, int]:
        """Paper size times DPI, rounded to whole pixels."""
        short, long = PAPERS_MM[self.paper]
        w, h = (long, short) if self.orientation == "landscape" else (short, long)
        return round(w / 25.4 * self.dpi), round(h / 25.4 * self.dpi)

    @property
    def size_inches(self) -> tuple[float, float]:
        """The paper size, adjusted by under half a pixel so the PNG is exactly ``size_pixels``."""
        w, h = self.size_pixels
        return w / self.dpi, h / self.dpi


MAP_BOTTOM_BAND_IN = 0.45  # kept under the single figure's map for the source line
LOCATOR_HEIGHT = 0.27  # the most of the page's height (a fraction) the locator inset and its title take
LOCATOR_MIN_IN = 1.45  # the least height of the locator and its title (inches) the legend leaves free ...
LOCATOR_FLOOR_IN = 0.6  # ... unless it cannot at its smallest font: the locator shrinks, below this it is left out
LOCATOR_GAP_IN = 0.08  # between the legend's last entry and the locator's title
LEGEND_FONT_SIZES = (8.0, 7.5, 7.0, 6.5, 6.0)  # points: the legend's largest that leaves the locator its room
LEGEND_TITLE_SIZE = 10
FIGURE_RC: dict[RcKeyType, Any] = {
    "pdf.fonttype": 3,  # Type 42 with Noto CJK (CFF outlines) writes fonts poppler rejects
    "ps.fonttype": 42,
    "svg.fonttype": "none",
    "axes.unicode_minus": False,
}
SAVE_RC: dict[RcKeyType, Any] = {"pdf.fonttype": 3, "svg.fonttype": "none"}
# the single figure's corridors: member units only when one corridor is shown, spines with the layer
THEMATIC_OUTLINE_LW = 1.4  # a corridor's outline over a thematic map (points)
FIGURE_CORRIDOR = CorridorStyle(
    footprint_lw=0.5, members_lw=1.3, spine_lw=2.2, members_zorder=2.7, spine_zorder=3, arrows_zorder=3.1
)


# -- titles: the one rule that a scenario is never titled as the plan ---------------------------


def _own_or_scenario_title(spec: FigureSpec, lang: str, scenario: str | None) -> str | None:
    """The planner's own title, else a scenario's (a scenario is never titled as the plan); None
    when the plan's own title applies."""
    if spec.title is not None:
        return spec.title
    if scenario is not None:
        return t("scenario_title", lang, name=scenario)
    return None


def figure_title(spec: FigureSpec, corridors, lang: str, scenario: str | None = None) -> str:
    """The planner's own title, else the one the selection calls for (``presentation.i18n.selection_title``);
    a scenario's figure is titled as the scenario, never as the plan."""
    title = _own_or_scenario_title(spec, lang, scenario)
    if title is not None:
        return title
    chosen = [spec.focus] if spec.focus else list(dict.fromkeys(spec.corridors))
    title = selection_title([pick(corridors.loc[c], lang) for c in chosen], len(corridors), lang)
    return f"{title} · {t(f'ind_{spec.theme}', lang)}" if spec.theme else title


def sheet_title(spec: FigureSpec, lang: str, scenario: str | None = None) -> str:
    """The planner's own title, else the six corridors' (a scenario's sheet: the scenario's)."""
    title = _own_or_scenario_title(spec, lang, scenario)
    return t("sheet_title", lang) if title is None else title


def figure_subtitle(spec: FigureSpec, lang: str, scenario: str | None = None) -> str:
    """The planner's subtitle, else the plan's; whatever the planner typed, a scenario's says it is not the plan."""
    if scenario is not None:
        return t("scenario_note", lang, date=dt.date.today().isoformat())
    return spec.subtitle if spec.subtitle is not None else t("fig_subtitle", lang)


# -- steps shared by the figure and the sheet ---------------------------------------------------


def _font_rc() -> dict[RcKeyType, Any]:
    """The figures' rc settings: a CJK font first (looked up when drawn), fonts kept as text."""
    return {"font.family": [cjk_family(), "DejaVu Sans"], **FIGURE_RC}


def _blank_page(spec: FigureSpec) -> Figure:
    """The white page, ``spec.size_inches`` at ``spec.dpi``."""
    fig = Figure(figsize=spec.size_inches, dpi=spec.dpi)
    PageCanvas(fig)
    fig.patch.set_facecolor("white")
    return fig


def _titles(fig, spec: FigureSpec, title: str, scenario: str | None) -> None:
    """The title and the subtitle (a scenario's, whatever the planner typed) at the top of the page."""
    draw_titles(fig, title, figure_subtitle(spec, spec.lang, scenario), height_in=spec.size_inches[1])


def _footer(fig, spec: FigureSpec, *, y: float, fontsize: float) -> None:
    """The line under the map: the approval number (审图号) or the internal-use note, then the sources."""
    L = spec.lang
    approval = approval_note(spec.approval, L)
    sources = t("fig_source", L, date=spec.date, borders=spec.borders or t("borders_default", L))
    separator = "。" if L == "zh" else ". "
    fig.text(
        0.03,
        y,
        approval + separator + sources,
        fontsize=fontsize,
        color="#555555",
        va="center",
        wrap=True,
        parse_math=False,
        gid="footer",
    )


PNG_COMPRESS_LEVEL = 3  # zlib level: a 300 dpi page encodes in 0.4 s instead of 0.9 s, 10 % larger


def _to_bytes(fig, spec: FigureSpec, *, title: str | None = None) -> bytes:
    """The figure as PNG, SVG or PDF bytes (fonts embedded in PDF, text kept as text in SVG);
    ``title`` goes in a PDF's or SVG's metadata."""
    buffer = io.BytesIO()
    metadata = {"Title": title} if title is not None and spec.fmt in ("pdf", "svg") else None
    png = {"pil_kwargs": {"compress_level": PNG_COMPRESS_LEVEL}} if spec.fmt == "png" else {}
    with plt.rc_context(SAVE_RC):
        fig.savefig(buffer, format=spec.fmt, dpi=spec.dpi, metadata=metadata, **png)
    return buffer.getvalue()


# -- the single figure: a map, its legend and locator, the place list --------------------------


def listed_in_figure(atlas, spec: FigureSpec) -> pd.DataFrame:
    """The grouped places a figure shows: none without the facilities layer; unit badges only with
    the labels layer (they sit in the label); sub-areas inside the map's focus."""
    if "facilities" not in spec.layers:
        return atlas.places.iloc[:0]
    places = atlas.places
    if "labels" not in spec.layers:
        places = places.loc[places["kind"] != "unit"]
    shown = [spec.focus] if spec.focus else list(spec.corridors)
    if shown:  # a figure of some corridors lists what lies in their members, not the whole city's
        by_id = atlas.corridors.set_index("id")["member_adcodes"]
        members = {code for cid in shown for code in by_id.loc[cid]}
        places = places.loc[places["adcode"].isin(members)]
    return places


def _map_axes(fig, spec: FigureSpec, *, list_height_in: float) -> tuple[Axes, Axes]:
    """The map's axes (left, above the place list) and the legend's (right, above the locator)."""
    height_in = spec.size_inches[1]
    top_band, bottom_band = TOP_BAND_IN / height_in, MAP_BOTTOM_BAND_IN / height_in
    list_band = list_height_in / height_in
    ax = fig.add_axes((0.03, bottom_band + list_band, 0.72, 1 - top_band - bottom_band - list_band))
    legend_ax = fig.add_axes((0.77, bottom_band, 0.21, 1 - top_band - bottom_band))  # the locator under the legend
    legend_ax.axis("off")
    return ax, legend_ax


def _map_extent(ax, spec: FigureSpec, layers: PlanningLayers) -> Extent:
    """The map's frame (x0, x1, y0, y1, EPSG:4549): the focus corridor's zone or the city, fitted to the axes."""
    focus = layers.zones.loc[spec.focus] if spec.focus else shapely.union_all(layers.units.geometry.values)
    width_in, height_in = spec.size_inches
    box = ax.get_position()
    aspect = (box.width * width_in) / (box.height * height_in)
    return fit_extent(focus.bounds, aspect)


def _draw_corridors(ax, atlas, layers: PlanningLayers, spec: FigureSpec, handles: list) -> None:
    """The corridors shown, each with its legend swatch; one alone also outlines its member units."""
    ids = list(atlas.corridors["id"])
    shown = [c for c in ids if c in spec.corridors] if spec.corridors else ids
    spines = "spines" in spec.layers
    thematic = spec.theme is not None  # the classes fill the units: corridors are outlines over them
    style = dataclasses.replace(
        FIGURE_CORRIDOR,
        members_lw=FIGURE_CORRIDOR.members_lw if len(shown) == 1 else None,
        spine_lw=FIGURE_CORRIDOR.spine_lw if spines else None,
        filled=not thematic,
        footprint_lw=THEMATIC_OUTLINE_LW if thematic else FIGURE_CORRIDOR.footprint_lw,
    )
    arrows = axis_arrows(atlas)
    for cid in shown:
        colour = corridor_colour(cid, atlas.corridors["id"])
        draw_corridor(ax, layers, cid, colour, arrows.get(cid, []), style)
        swatch = (
            Patch(facecolor="none", edgecolor=colour, linewidth=THEMATIC_OUTLINE_LW)
            if thematic
            else Patch(facecolor=colour, alpha=FOOTPRINT_OPACITY, edgecolor=colour, linewidth=0.5)
        )
        swatch.set_label(pick(layers.corridors.loc[cid], spec.lang))
        handles.append(swatch)
        if style.members_lw is not None:
            member_label = capitalised(t("legend_members", spec.lang))
            handles.append(Line2D([], [], color=colour, linewidth=1.3, linestyle=MEMBER_DASH, label=member_label))
    handles += beyond_band_legend(layers, shown, spec.lang)
    if spines and shown:
        handles += spine_legend(set(layers.corridors.loc[list(shown), "spine_precision"]), spec.lang)


def _shown(atlas, spec: FigureSpec) -> list[str]:
    """The ids of the corridors a figure shows (none chosen: all six)."""
    return list(spec.corridors) or list(atlas.corridors["id"])


def _map_layers(
    ax, atlas, layers: PlanningLayers, spec: FigureSpec, extent: Extent, user_layers
) -> tuple[list[Artist], list]:
    """Every layer of the map, bottom to top; returns their legend entries in that order, and the
    neighbours' names with the land each may go on (placed once the frame is final)."""
    L = spec.lang
    handles: list[Artist] = []
    context_labels = draw_context(ax, atlas, extent, L)
    draw_units(ax, layers, atlas, L, handles, theme=spec.theme)
    draw_water(ax, layers, L, handles)
    _draw_corridors(ax, atlas, layers, spec, handles)
    if "facilities" in spec.layers:
        draw_facilities(ax, atlas, extent, L, handles)
    shown = _shown(atlas, spec)
    draw_hubs(ax, atlas, L, handles, middle_x=(extent[0] + extent[1]) / 2, linked_by=layers.spines.loc[shown])
    draw_user_layers(ax, user_layers, handles)
    return handles, context_labels


def _map_furniture(ax, extent: Extent, places, spec: FigureSpec, handles: list) -> None:
    """The frame, the scale bar, the sub-areas' counts (placed once the extent is final, where they
    hide no site) and the north arrow."""
    frame_axes(ax, extent, spine_width=0.6)
    draw_scale_bar(ax, extent, spec.lang)
    if "facilities" in spec.layers:
        draw_sub_area_badges(ax, places, spec.lang, handles)
    draw_north_arrow(ax, spec.lang)


def _planar_label_points(atlas) -> gpd.GeoSeries:
    """Where each unit's name is written (``layers.water.unit_label_points``), in EPSG:4549."""
    return gpd.GeoSeries(unit_label_points(atlas.units), crs=4326).to_crs(PLANNING_CRS)


def _unit_label_items(atlas, layers: PlanningLayers, counts: dict[str, int], extent: Extent, lang: str) -> list:
    """(text, label point, unit polygon) for each unit whose label point is in the frame (English
    names short: ``unit_label_name``); a unit that holds counted facilities carries their number, circled."""
    x0, x1, y0, y1 = extent
    label_points = _planar_label_points(atlas)
    return [
        (
            f"{unit_label_name(row, lang)} {circled(counts[row['adcode']])}"
            if row["adcode"] in counts
            else unit_label_name(row, lang),
            point,
            row.geometry,
        )
        for (_, row), point in zip(layers.units.iterrows(), label_points, strict=True)
        if x0 <= point.x <= x1 and y0 <= point.y <= y1
    ]


def _map_labels(
    fig, ax, atlas, layers: PlanningLayers, places, spec: FigureSpec, extent: Extent, handles: list, context_labels
) -> None:
    """The hubs' labels moved off Suzhou's land, the neighbours' names onto their own land clear of
    the spines drawn over it, the address counts off the sites, then (with the labels layer) the
    units' names off all of them."""
    place_hub_labels(fig, ax, shapely.union_all(layers.units.geometry.values))
    spines = shapely.union_all(layers.spines.loc[_shown(atlas, spec)].values) if "spines" in spec.layers else None
    place_context_labels(fig, ax, context_labels, lines=spines)
    place_user_counts(fig, ax)
    if "labels" not in spec.layers:
        return
    counts = unit_counts(places)
    if counts:
        handles.append(Patch(facecolor="none", edgecolor="none", label=t("fig_legend_unit_count", spec.lang)))
    place_unit_labels(fig, ax, _unit_label_items(atlas, layers, counts, extent, spec.lang))


def _map_legend(fig, legend_ax, handles: list, lang: str) -> float:
    """The legend at the top of the column beside the map, its labels wrapped to the column's measured
    width, in the largest of LEGEND_FONT_SIZES that leaves the locator LOCATOR_MIN_IN under it.
    Returns the legend's bottom (a fraction of the page's height)."""
    renderer = page_renderer(fig)
    labels = [str(handle.get_label()) for handle in handles]
    column = legend_ax.get_window_extent(renderer)
    lowest = column.y0 + LOCATOR_MIN_IN * fig.dpi
    for size in LEGEND_FONT_SIZES:
        legend = _legend_in_column(legend_ax, handles, labels, lang, fontsize=size, right_px=column.x1)
        bottom = legend.get_window_extent(renderer).y0
        if bottom >= lowest:
            break
    return bottom / fig.bbox.height


def _legend_in_column(legend_ax, handles: list, labels: list[str], lang: str, *, fontsize: float, right_px: float):
    """The legend at ``fontsize`` (replacing any drawn before), each label wrapped so its lines end
    before ``right_px`` (the column's right edge, pixels)."""
    renderer = page_renderer(legend_ax.figure)
    legend = legend_ax.legend(
        handles=handles,
        labels=labels,
        loc="upper left",
        frameon=False,
        fontsize=fontsize,
        title=t("legend_title", lang),
        title_fontsize=LEGEND_TITLE_SIZE,
        alignment="left",
    )
    font_px = fontsize * legend_ax.figure.dpi / 72
    # anchored upper left, every label starts past the border pad, the swatch and the gap after it
    start_px = (
        legend.get_window_extent(renderer).x0
        + (legend.borderpad + legend.handlelength + legend.handletextpad) * font_px
    )
    for text, label in zip(legend.get_texts(), labels, strict=True):
        text.set_parse_math(False)  # names are text: "$" never starts mathtext
        text.set_text(wrap_to_width(label, right_px - start_px, partial(_text_width_px, renderer, text)))
    return legend


def _text_width_px(renderer, text: Text, line: str) -> float:
    """The width (pixels) of ``line`` drawn as plain text in ``text``'s font."""
    width, _height, _descent = renderer.get_text_width_height_descent(line, text.get_fontproperties(), ismath=False)
    return float(width)


def _margins(
    fig, atlas, spec: FigureSpec, extent: Extent, columns, *, list_height_in: float, legend_bottom: float
) -> None:
    """Around the map: the locator in the room under the legend (whose bottom is ``legend_bottom``,
    a fraction of the page's height), the place list under the map, the source line."""
    height_in = spec.size_inches[1]
    bottom_band = MAP_BOTTOM_BAND_IN / height_in
    locator_bottom = bottom_band + 0.01
    locator_top = min(legend_bottom - LOCATOR_GAP_IN / height_in, bottom_band + LOCATOR_HEIGHT)
    if (locator_top - locator_bottom) * height_in >= LOCATOR_FLOOR_IN:  # else too small to locate anything
        draw_locator(fig, (0.785, locator_bottom, 0.19, locator_top - locator_bottom), atlas, extent, spec.lang)
    if list_height_in:
        list_top = bottom_band + list_height_in / height_in - 0.12 / height_in
        draw_place_list(fig, columns, top=list_top, height_in=height_in, lang=spec.lang)
    _footer(fig, spec, y=0.18 / height_in, fontsize=6.5)


def draw_figure(atlas, spec: FigureSpec, *, user_layers=()) -> Figure:
    """Draw the layout as a matplotlib Figure (EPSG:4549) following ``spec``.

    ``user_layers`` are a planner's imported layers (``workspace.session.UserLayer``, WGS84),
    drawn above the facilities with their own legend entries.
    """
    spec = spec.validated(list(atlas.corridors["id"]))
    layers = in_planning_crs(atlas)
    places = listed_in_figure(atlas, spec)
    columns = place_list_columns(places, atlas.facilities, spec.lang, width_in=spec.size_inches[0])
    list_height_in = place_list_height_in(columns)
    with plt.rc_context(_font_rc()):
        fig = _blank_page(spec)
        ax, legend_ax = _map_axes(fig, spec, list_height_in=list_height_in)
        extent = _map_extent(ax, spec, layers)
        _titles(fig, spec, figure_title(spec, layers.corridors, spec.lang, atlas.scenario), atlas.scenario)
        handles, context_labels = _map_layers(ax, atlas, layers, spec, extent, user_layers)
        _map_furniture(ax, extent, places, spec, handles)
        _map_labels(fig, ax, atlas, layers, places, spec, extent, handles, context_labels)
        legend_bottom = _map_legend(fig, legend_ax, handles, spec.lang)
        _margins(fig, atlas, spec, extent, columns, list_height_in=list_height_in, legend_bottom=legend_bottom)
    return fig


def render_figure(atlas, spec: FigureSpec, *, user_layers=()) -> bytes:
    """The figure as PNG, SVG or PDF bytes (fonts embedded in PDF, text kept as text in SVG)."""
    fig = draw_figure(atlas, spec, user_layers=user_layers)
    return _to_bytes(fig, spec, title=figure_title(spec, atlas.corridors.set_index("id"), spec.lang, atlas.scenario))


def each_corridor(atlas, spec: FigureSpec, *, user_layers=()) -> dict[str, bytes]:
    """One figure per corridor (zoomed to its zone, only that corridor shown): {file name: bytes}."""
    out = {}
    for order, cid in enumerate(atlas.corridors["id"], start=1):
        one = dataclasses.replace(spec, corridors=(cid,), focus=cid, title=None)
        out[f"{order:02d}_{cid}.{spec.fmt}"] = render_figure(atlas, one, user_layers=user_layers)
    return out


def draw_corridor_sheet(atlas, spec: FigureSpec, *, user_layers=()) -> Figure:
    """One page with a small map per corridor (three a row), each at the same scale over the whole city:
    its footprint, its member units (dotted) and its spine, with a shared legend and source line."""
    spec = spec.validated(list(atlas.corridors["id"]))
    layers = in_planning_crs(atlas)
    arrows = axis_arrows(atlas, length_m=SHEET_ARROW_M)
    with plt.rc_context(_font_rc()):
        fig = _blank_page(spec)
        rects, extent = sheet_cells(spec.size_inches, layers)
        _titles(fig, spec, sheet_title(spec, spec.lang, atlas.scenario), atlas.scenario)
        user_handles: list[Artist] = []
        label_points = dict(zip(atlas.units["adcode"], _planar_label_points(atlas), strict=True))
        for pos, (cid, rect) in enumerate(zip(layers.corridors.index, rects, strict=True)):
            user_handles = draw_sheet_cell(
                fig,
                rect,
                cid,
                atlas=atlas,
                layers=layers,
                arrows=arrows,
                extent=extent,
                lang=spec.lang,
                user_layers=user_layers,
                label_points=label_points,
                first=pos == 0,
            )
        draw_sheet_legend(fig, layers, user_handles, spec.lang, height_in=spec.size_inches[1])
        _footer(fig, spec, y=0.14 / spec.size_inches[1], fontsize=6)
    return fig


def render_corridor_sheet(atlas, spec: FigureSpec, *, user_layers=()) -> bytes:
    """The six-corridor sheet as PNG, SVG or PDF bytes."""
    return _to_bytes(draw_corridor_sheet(atlas, spec, user_layers=user_layers), spec)
