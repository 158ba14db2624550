"""Print-quality map figures of the layout, drawn in EPSG:4549 so distances on the sheet are true."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import shapely
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.typing import RcKeyType

from atlas_core.errors import FigureSpecError
from exports.fonts import cjk_family
from exports.furniture import draw_scale_bar, fit_extent, title_text, wrap_label
from exports.labels import place_hub_labels, place_unit_labels
from exports.map_layers import MEMBER_DASH, draw_context, draw_footprint, draw_hubs, draw_locator, draw_user_layers
from exports.places import (
    circled,
    draw_place_list,
    draw_sub_area_badges,
    place_list_columns,
    place_list_height_in,
    unit_counts,
)
from layers.facilities import drawn_as_sites
from layers.indicators import theme as indicator_theme
from layers.water import unit_label_points
from presentation.display import axis_arrows
from presentation.i18n import LANGS, approval_note, capitalised, pick, selection_title, t
from presentation.style import (
    CATEGORY_COLOURS,
    CATEGORY_MARKERS,
    FOOTPRINT_OPACITY,
    SPINE_DASH_FIGURE,
    SPINE_LEGEND,
    UNIT_EDGE,
    UNIT_FILL,
    WATER_EDGE,
    WATER_FILL,
    corridor_colour,
)
from presentation.themes import THEMES, theme_fill, theme_legend_entries
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


def figure_title(spec: FigureSpec, corridors, lang: str, scenario: str | None = None) -> str:
    """The planner's own title, else the one the selection calls for (``presentation.i18n.selection_title``);
    a scenario's figure is titled as the scenario, never as the plan."""
    if spec.title is not None:
        return spec.title
    if scenario is not None:
        return t("scenario_title", lang, name=scenario)
    chosen = [spec.focus] if spec.focus else list(dict.fromkeys(spec.corridors))
    title = selection_title([pick(corridors.loc[c], lang) for c in chosen], len(corridors), lang)
    return f"{title} · {t(f'ind_{spec.theme}', lang)}" if spec.theme else title


LOCATOR_HEIGHT = 0.28  # figure fraction under the legend for the locator inset


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


def listed_in_figure(atlas, spec: FigureSpec) -> pd.DataFrame:
    """The grouped places a figure shows: none without the facilities layer; unit badges only with
    the labels layer (they sit in the label); sub-areas inside the map's focus."""
    if "facilities" not in spec.layers:
        return atlas.places.iloc[:0]
    places = atlas.places
    if "labels" not in spec.layers:
        places = places.loc[places["kind"] != "unit"]
    if spec.focus:
        members = set(atlas.corridors.set_index("id").loc[spec.focus, "member_adcodes"])
        places = places.loc[places["adcode"].isin(members)]
    return places


def draw_figure(atlas, spec: FigureSpec, *, user_layers=()) -> Figure:
    """Draw the layout as a matplotlib Figure (EPSG:4549) following ``spec``.

    ``user_layers`` are a planner's imported layers (``workspace.session.UserLayer``, WGS84),
    drawn above the facilities with their own legend entries.
    """
    ids = list(atlas.corridors["id"])
    spec = spec.validated(ids)
    family = cjk_family()
    L = spec.lang
    shown = [c for c in ids if c in spec.corridors] if spec.corridors else ids
    rc: dict[RcKeyType, Any] = {
        "font.family": [family, "DejaVu Sans"],
        "pdf.fonttype": 3,  # Type 42 with Noto CJK (CFF outlines) writes fonts poppler rejects
        "ps.fonttype": 42,
        "svg.fonttype": "none",
        "axes.unicode_minus": False,
    }
    with plt.rc_context(rc):
        fig = Figure(figsize=spec.size_inches, dpi=spec.dpi)
        fig.patch.set_facecolor("white")
        width_in, height_in = spec.size_inches
        top_band, bottom_band = 0.95 / height_in, 0.45 / height_in  # inches kept for titles / source line
        places = listed_in_figure(atlas, spec)
        columns = place_list_columns(places, atlas.facilities, L, width_in=width_in)
        list_band = place_list_height_in(columns) / height_in
        ax = fig.add_axes((0.03, bottom_band + list_band, 0.72, 1 - top_band - bottom_band - list_band))
        legend_ax = fig.add_axes(
            (0.77, bottom_band + LOCATOR_HEIGHT, 0.21, 1 - top_band - bottom_band - LOCATOR_HEIGHT)
        )
        legend_ax.axis("off")

        units = atlas.units.to_crs(PLANNING_CRS)
        corridors = atlas.corridors.set_index("id")
        zones = gpd.GeoSeries(corridors["zone"].values, index=corridors.index, crs=4326).to_crs(PLANNING_CRS)
        spines = gpd.GeoSeries(corridors["spine"].values, index=corridors.index, crs=4326).to_crs(PLANNING_CRS)

        focus_geom = zones.loc[spec.focus] if spec.focus else shapely.union_all(units.geometry.values)
        box = ax.get_position()
        aspect = (box.width * width_in) / (box.height * height_in)
        x0, x1, y0, y1 = fit_extent(focus_geom.bounds, aspect)

        draw_context(ax, atlas, (x0, x1, y0, y1), L)
        handles: list[Artist] = []
        if spec.theme:
            thematic = indicator_theme(atlas, spec.theme)
            fills = [theme_fill(thematic, code) for code in units["adcode"]]
            units.plot(ax=ax, color=fills, edgecolor=UNIT_EDGE, linewidth=0.6, zorder=1, gid="units")
            handles.append(
                Patch(
                    facecolor="none",
                    edgecolor="none",
                    label=t("theme_legend", L, name=t(f"ind_{spec.theme}", L), year=thematic.year or "—"),
                )
            )
            handles += [
                Patch(facecolor=c, edgecolor=UNIT_EDGE, label=label) for c, label in theme_legend_entries(thematic, L)
            ]
        else:
            units.plot(ax=ax, facecolor=UNIT_FILL, edgecolor=UNIT_EDGE, linewidth=0.6, zorder=1, gid="units")
            handles.append(Patch(facecolor=UNIT_FILL, edgecolor=UNIT_EDGE, label=t("legend_units", L)))
        if len(atlas.water):
            atlas.water.to_crs(PLANNING_CRS).plot(
                # above the corridors' translucent fills: lake water is never tinted as corridor land
                ax=ax,
                facecolor=WATER_FILL,
                edgecolor=WATER_EDGE,
                linewidth=0.3,
                zorder=2.5,
                gid="water",
            )
            handles.append(Patch(facecolor=WATER_FILL, edgecolor=WATER_EDGE, label=t("legend_water", L)))
        arrows = axis_arrows(atlas)
        footprints = gpd.GeoSeries(corridors["footprint"].values, index=corridors.index, crs=4326).to_crs(PLANNING_CRS)
        for cid in shown:
            colour = corridor_colour(cid, atlas.corridors["id"])
            draw_footprint(ax, footprints.loc[cid], cid, colour, linewidth=0.5)
            swatch = Patch(facecolor=colour, alpha=FOOTPRINT_OPACITY, edgecolor=colour, linewidth=0.5)
            swatch.set_label(pick(corridors.loc[cid], L))
            handles.append(swatch)
            if len(shown) == 1:  # one corridor: its member units outlined in its colour, no fills stacked
                gpd.GeoSeries([zones.loc[cid]], crs=PLANNING_CRS).boundary.plot(
                    ax=ax, color=colour, linewidth=1.3, linestyle=MEMBER_DASH, zorder=2.7, gid=f"members_{cid}"
                )
                member_label = capitalised(t("legend_members", L))
                handles.append(Line2D([], [], color=colour, linewidth=1.3, linestyle=MEMBER_DASH, label=member_label))
            if "spines" in spec.layers:
                precision = corridors.loc[cid, "spine_precision"]
                gpd.GeoSeries([spines.loc[cid]], crs=PLANNING_CRS).plot(
                    ax=ax, color=colour, linewidth=2.2, linestyle=SPINE_DASH_FIGURE[precision], zorder=3
                )
                heads = arrows.get(cid, [])
                if heads:
                    gpd.GeoSeries(heads, crs=4326).to_crs(PLANNING_CRS).plot(
                        ax=ax, color=colour, linewidth=0, zorder=3.1, gid=f"arrows_{cid}"
                    )
        if "spines" in spec.layers and shown:
            drawn = set(corridors.loc[list(shown), "spine_precision"])
            handles.extend(
                Line2D(
                    [],
                    [],
                    color="#333333",
                    linewidth=1.6,
                    linestyle=SPINE_DASH_FIGURE[precision],
                    label=capitalised(t(key, L)),
                )
                for precision, key in SPINE_LEGEND.items()
                if precision in drawn
            )
        if "facilities" in spec.layers:
            fac = drawn_as_sites(atlas.facilities).to_crs(PLANNING_CRS)  # the others are counted, then listed
            fac = fac.loc[fac.geometry.within(shapely.box(x0, y0, x1, y1))]  # the legend lists what shows
            for cat in [c for c in CATEGORY_COLOURS if c in set(fac["category"])]:
                pts = fac.loc[fac["category"] == cat]
                ax.scatter(
                    pts.geometry.x,
                    pts.geometry.y,
                    s=24,
                    marker=CATEGORY_MARKERS[cat],
                    color=CATEGORY_COLOURS[cat],
                    edgecolor="white",
                    linewidth=0.6,
                    zorder=5,
                    gid=f"facilities_{cat}",
                )
                handles.append(
                    Line2D(
                        [],
                        [],
                        marker=CATEGORY_MARKERS[cat],
                        linestyle="",
                        markersize=6,
                        markerfacecolor=CATEGORY_COLOURS[cat],
                        markeredgecolor="white",
                        label=capitalised(t(f"cat_{cat}", L)),
                    )
                )
        draw_hubs(ax, atlas, L, handles, middle_x=(x0 + x1) / 2)
        draw_user_layers(ax, user_layers, handles)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal")
        draw_scale_bar(ax, (x0, x1, y0, y1), L)
        if "facilities" in spec.layers:  # after the extent is final: a count is placed where it hides no site
            draw_sub_area_badges(ax, places, L, handles)
        ax.annotate(
            t("north", L),
            xy=(0.95, 0.95),
            xytext=(0.95, 0.86),
            xycoords="axes fraction",
            ha="center",
            va="center",
            fontsize=11,
            fontweight="bold",
            arrowprops={"facecolor": "black", "width": 4, "headwidth": 11, "headlength": 11},
            gid="north",
        )
        place_hub_labels(fig, ax, shapely.union_all(units.geometry.values))
        if "labels" in spec.layers:
            label_points = gpd.GeoSeries(unit_label_points(atlas.units), crs=4326).to_crs(PLANNING_CRS)
            counts = unit_counts(places)
            if counts:
                handles.append(Patch(facecolor="none", edgecolor="none", label=t("fig_legend_unit_count", L)))
            items = [
                (
                    f"{pick(row, L)} {circled(counts[row['adcode']])}" if row["adcode"] in counts else pick(row, L),
                    point,
                    row.geometry,
                )
                for (_, row), point in zip(units.iterrows(), label_points, strict=True)
                if x0 <= point.x <= x1 and y0 <= point.y <= y1
            ]
            place_unit_labels(fig, ax, items)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel("")
        ax.set_ylabel("")
        for spine in ax.spines.values():
            spine.set_linewidth(0.6)
        for handle in handles:
            handle.set_label(wrap_label(str(handle.get_label()), 16 if L == "zh" else 30))
        legend = legend_ax.legend(
            handles=handles,
            loc="upper left",
            frameon=False,
            fontsize=8,
            title=t("legend_title", L),
            title_fontsize=10,
            alignment="left",
        )
        for label in legend.get_texts():
            label.set_parse_math(False)  # names are text: "$" never starts mathtext
        title = figure_title(spec, corridors, L, atlas.scenario)
        subtitle = spec.subtitle if spec.subtitle is not None else t("fig_subtitle", L)
        if atlas.scenario is not None:  # whatever the planner typed, the sheet says it is not the plan
            subtitle = t("scenario_note", L, date=dt.date.today().isoformat())
        title_text(fig, title, y=1 - 0.35 / height_in)
        if subtitle:
            fig.text(0.03, 1 - 0.70 / height_in, subtitle, fontsize=10, color="#444444", va="center", parse_math=False)
        draw_locator(fig, (0.785, bottom_band + 0.01, 0.19, LOCATOR_HEIGHT - 0.04), atlas, (x0, x1, y0, y1), L)
        if list_band:
            list_top = bottom_band + list_band - 0.12 / height_in
            draw_place_list(fig, columns, top=list_top, height_in=height_in, lang=L)
        _footer(fig, spec, y=0.18 / height_in, fontsize=6.5)
    return fig


def render_figure(atlas, spec: FigureSpec, *, user_layers=()) -> bytes:
    """The figure as PNG, SVG or PDF bytes (fonts embedded in PDF, text kept as text in SVG)."""
    fig = draw_figure(atlas, spec, user_layers=user_layers)
    buffer = io.BytesIO()
    rc: dict[RcKeyType, Any] = {"pdf.fonttype": 3, "svg.fonttype": "none"}
    with plt.rc_context(rc):
        fig.savefig(
            buffer,
            format=spec.fmt,
            dpi=spec.dpi,
            metadata={"Title": figure_title(spec, atlas.corridors.set_index("id"), spec.lang, atlas.scenario)}
            if spec.fmt in ("pdf", "svg")
            else None,
        )
    return buffer.getvalue()


def each_corridor(atlas, spec: FigureSpec, *, user_layers=()) -> dict[str, bytes]:
    """One figure per corridor (zoomed to its zone, only that corridor shown): {file name: bytes}."""
    out = {}
    for order, cid in enumerate(atlas.corridors["id"], start=1):
        one = dataclasses.replace(spec, corridors=(cid,), focus=cid, title=None)
        out[f"{order:02d}_{cid}.{spec.fmt}"] = render_figure(atlas, one, user_layers=user_layers)
    return out


SHEET_COLUMNS = 3  # one small map per corridor, three a row: the plan's six make 2 x 3


def sheet_grid(count: int) -> tuple[int, int]:
    """Rows and columns of small maps for ``count`` corridors (a scenario may have more than six)."""
    return max(1, -(-count // SHEET_COLUMNS)), SHEET_COLUMNS


SHEET_ARROW_M = 9_000.0  # small maps: an axis's arrowhead drawn larger so it reads at their scale


def draw_corridor_sheet(atlas, spec: FigureSpec, *, user_layers=()) -> Figure:
    """One page with a small map per corridor (three a row), each at the same scale over the whole city:
    its footprint, its member units (dotted) and its spine, with a shared legend and source line."""
    spec = spec.validated(list(atlas.corridors["id"]))
    family, L = cjk_family(), spec.lang
    rc: dict[RcKeyType, Any] = {"font.family": [family, "DejaVu Sans"], "pdf.fonttype": 3, "svg.fonttype": "none"}
    with plt.rc_context(rc):
        fig = Figure(figsize=spec.size_inches, dpi=spec.dpi)
        fig.patch.set_facecolor("white")
        width_in, height_in = spec.size_inches
        top, bottom = 1 - 0.95 / height_in, 0.75 / height_in
        rows, cols = sheet_grid(len(atlas.corridors))
        units = atlas.units.to_crs(PLANNING_CRS)
        corridors = atlas.corridors.set_index("id")
        city = shapely.union_all(units.geometry.values)
        cell_w, cell_h = 0.94 / cols, (top - bottom) / rows
        aspect = (cell_w * width_in) / ((cell_h - 0.03) * height_in)
        extent = fit_extent(city.bounds, aspect, margin=0.02)
        water = atlas.water.to_crs(PLANNING_CRS)
        zones = gpd.GeoSeries(corridors["zone"].values, index=corridors.index, crs=4326).to_crs(PLANNING_CRS)
        footprints = gpd.GeoSeries(corridors["footprint"].values, index=corridors.index, crs=4326).to_crs(PLANNING_CRS)
        spines = gpd.GeoSeries(corridors["spine"].values, index=corridors.index, crs=4326).to_crs(PLANNING_CRS)
        arrows = axis_arrows(atlas, length_m=SHEET_ARROW_M)
        for pos, cid in enumerate(corridors.index):
            r, c = divmod(pos, cols)
            ax = fig.add_axes(
                (0.03 + c * cell_w, top - (r + 1) * cell_h, cell_w - 0.01, cell_h - 0.03), gid=f"sheet_{cid}"
            )
            colour = corridor_colour(cid, atlas.corridors["id"])
            units.plot(ax=ax, facecolor=UNIT_FILL, edgecolor=UNIT_EDGE, linewidth=0.3)
            water.plot(ax=ax, facecolor=WATER_FILL, edgecolor="none")
            draw_footprint(ax, footprints.loc[cid], cid, colour, linewidth=0.4)
            gpd.GeoSeries([zones.loc[cid]], crs=PLANNING_CRS).boundary.plot(
                ax=ax, color=colour, linewidth=0.9, linestyle=MEMBER_DASH, gid=f"members_{cid}"
            )
            precision = corridors.loc[cid, "spine_precision"]
            gpd.GeoSeries([spines.loc[cid]], crs=PLANNING_CRS).plot(
                ax=ax, color=colour, linewidth=1.6, linestyle=SPINE_DASH_FIGURE[precision]
            )
            if arrows.get(cid):
                gpd.GeoSeries(arrows[cid], crs=4326).to_crs(PLANNING_CRS).plot(
                    ax=ax, color=colour, linewidth=0, zorder=3, gid=f"arrows_{cid}"
                )
            x0, x1, y0, y1 = extent
            ax.set_xlim(x0, x1)
            ax.set_ylim(y0, y1)
            ax.set_aspect("equal")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_xlabel("")
            ax.set_ylabel("")
            for frame_line in ax.spines.values():
                frame_line.set_linewidth(0.5)
            name = pick(corridors.loc[cid], L)
            area = t(
                "sheet_areas",
                L,
                footprint=corridors.loc[cid, "footprint_land_km2"],
                members=corridors.loc[cid, "members_land_km2"],
            )
            ax.set_title(wrap_label(name, 18 if L == "zh" else 44), fontsize=9, fontweight="bold", pad=3, loc="left")
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
            )
            user_handles: list[Artist] = []
            draw_user_layers(ax, user_layers, user_handles)
            if pos == 0:
                draw_scale_bar(ax, extent, L, middle=False)
        handles: list[Artist] = [
            Patch(
                facecolor="#888888", alpha=FOOTPRINT_OPACITY + 0.15, edgecolor="#888888", label=t("legend_footprint", L)
            ),
            Line2D([], [], color="#555555", linewidth=1.0, linestyle=MEMBER_DASH, label=t("legend_members", L)),
        ]
        handles += [
            Line2D([], [], color="#333333", linewidth=1.6, linestyle=SPINE_DASH_FIGURE[p], label=t(key, L))
            for p, key in SPINE_LEGEND.items()
            if p in set(corridors["spine_precision"])
        ]
        handles.append(Patch(facecolor=WATER_FILL, edgecolor="none", label=t("legend_water", L)))
        handles += user_handles if user_layers else []
        legend = fig.legend(
            handles=handles,
            loc="lower center",
            bbox_to_anchor=(0.5, 0.32 / height_in),
            ncol=len(handles),
            frameon=False,
            fontsize=7.5,
        )
        for label in legend.get_texts():
            label.set_text(capitalised(label.get_text()))
            label.set_parse_math(False)
        title = spec.title if spec.title is not None else t("sheet_title", L)
        subtitle = spec.subtitle if spec.subtitle is not None else t("fig_subtitle", L)
        if atlas.scenario is not None:  # a scenario's sheet is never titled as the plan's six corridors
            title = spec.title if spec.title is not None else t("scenario_title", L, name=atlas.scenario)
            subtitle = t("scenario_note", L, date=dt.date.today().isoformat())
        title_text(fig, title, y=1 - 0.35 / height_in)
        fig.text(0.03, 1 - 0.70 / height_in, subtitle, fontsize=10, color="#444444", va="center", parse_math=False)
        _footer(fig, spec, y=0.14 / height_in, fontsize=6)
    return fig


def render_corridor_sheet(atlas, spec: FigureSpec, *, user_layers=()) -> bytes:
    """The six-corridor sheet as PNG, SVG or PDF bytes."""
    fig = draw_corridor_sheet(atlas, spec, user_layers=user_layers)
    buffer = io.BytesIO()
    with plt.rc_context({"pdf.fonttype": 3, "svg.fonttype": "none"}):
        fig.savefig(buffer, format=spec.fmt, dpi=spec.dpi)
    return buffer.getvalue()
