"""The layers of a figure's map, drawn on a matplotlib axes in EPSG:4549, each adding its legend
entry: the units (plain or thematic), water, corridors (footprint, member units, spine), facilities,
the neighbouring cities, the hubs, a planner's own layers; and the locator inset that places the map
among Suzhou's neighbours."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.transforms import ScaledTranslation

from exports.furniture import fit_extent, frame_axes, wrap_label
from layers.facilities import drawn_as_sites
from layers.indicators import theme as indicator_theme
from presentation.i18n import capitalised, pick, province_name, short_name, t
from presentation.style import (
    CATEGORY_COLOURS,
    CATEGORY_MARKERS,
    CONTEXT_FILL,
    DERIVED_DASH_FIGURE,
    DERIVED_EDGE,
    DERIVED_LW_FIGURE,
    FOOTPRINT_OPACITY,
    SPINE_DASH_FIGURE,
    SPINE_LEGEND,
    UNIT_EDGE,
    UNIT_FILL,
    USER_BOUNDARY_COLOUR,
    USER_POINT_COLOUR,
    USER_POINT_EDGE,
    WATER_EDGE,
    WATER_FILL,
)
from presentation.themes import theme_derived_label, theme_fill, theme_legend_entries
from spatial.crs import PLANNING_CRS

USER_POINT_SIZE = 30  # marker area (pt²) of a planner's imported points
USER_POINT_SIZE_LARGE = 4  # ... when there are more than USER_POINTS_MANY of them
USER_POINTS_MANY = 2000

USER_POINTS_ZORDER = 7  # above the unit labels (zorder 6): a planner's own sites are never hidden
CONTEXT_EDGE = "#c4c4c4"
CONTEXT_LABEL = "#8a8a8a"
HUB_COLOUR = "#222222"
CONTEXT_ZORDER = 0.5  # the neighbours' land, then all the water around (0.55), under Suzhou's units (1)
CONTEXT_WATER_ZORDER = 0.55
LOCATOR_FRAME = "#d7301f"
LOCATOR_MARGIN = 0.04  # around the delta and the map's frame, a fraction of the inset's extent
MEMBER_DASH = (0, (1, 1.5))  # dotted: a corridor's member units, apart from its solid or dashed spine
BEYOND_BAND_HATCH = "////"  # a member the band does not reach: its land hatched in the corridor's colour


@dataclass(frozen=True)
class PlanningLayers:
    """The atlas's layers a figure draws, in EPSG:4549 (corridors indexed by id, their geometries as
    GeoSeries on the same index)."""

    units: gpd.GeoDataFrame
    water: gpd.GeoDataFrame
    corridors: pd.DataFrame
    zones: gpd.GeoSeries
    footprints: gpd.GeoSeries
    spines: gpd.GeoSeries


def in_planning_crs(atlas) -> PlanningLayers:
    """The units, water and corridors' zones, footprints and spines of ``atlas`` (WGS84) in EPSG:4549."""
    corridors = atlas.corridors.set_index("id")

    def projected(column: str) -> gpd.GeoSeries:
        return gpd.GeoSeries(corridors[column].values, index=corridors.index, crs=4326).to_crs(PLANNING_CRS)

    return PlanningLayers(
        units=atlas.units.to_crs(PLANNING_CRS),
        water=atlas.water.to_crs(PLANNING_CRS),
        corridors=corridors,
        zones=projected("zone"),
        footprints=projected("footprint"),
        spines=projected("spine"),
    )


def draw_units(ax, layers: PlanningLayers, atlas, lang: str, handles: list, *, theme: str | None) -> None:
    """The units, filled by ``theme``'s classes (a thematic map) or plain, with their legend entries."""
    units = layers.units
    if not theme:
        units.plot(ax=ax, facecolor=UNIT_FILL, edgecolor=UNIT_EDGE, linewidth=0.6, zorder=1, gid="units")
        handles.append(Patch(facecolor=UNIT_FILL, edgecolor=UNIT_EDGE, label=t("legend_units", lang)))
        return
    thematic = indicator_theme(atlas, theme)
    fills = [theme_fill(thematic, code) for code in units["adcode"]]
    units.plot(ax=ax, color=fills, edgecolor=UNIT_EDGE, linewidth=0.6, zorder=1, gid="units")
    handles.append(
        Patch(
            facecolor="none",
            edgecolor="none",
            label=t("theme_legend", lang, name=t(f"ind_{theme}", lang), year=thematic.year or "—"),
        )
    )
    handles += [
        Patch(facecolor=c, edgecolor=UNIT_EDGE, label=label) for c, label in theme_legend_entries(thematic, lang)
    ]
    derived_label = theme_derived_label(thematic, lang)
    if derived_label:
        units.loc[units["adcode"].isin(thematic.derived)].boundary.plot(
            ax=ax,
            color=DERIVED_EDGE,
            linewidth=DERIVED_LW_FIGURE,
            linestyle=DERIVED_DASH_FIGURE,
            zorder=2.6,
            gid="derived",
        )
        handles.append(
            Patch(
                facecolor="white",
                edgecolor=DERIVED_EDGE,
                linewidth=DERIVED_LW_FIGURE,
                linestyle=DERIVED_DASH_FIGURE,
                label=derived_label,
            )
        )


def draw_water(ax, layers: PlanningLayers, lang: str, handles: list) -> None:
    """Lakes and rivers, above the corridors' translucent fills: lake water is never tinted as corridor land."""
    if not len(layers.water):
        return
    layers.water.plot(ax=ax, facecolor=WATER_FILL, edgecolor=WATER_EDGE, linewidth=0.3, zorder=2.5, gid="water")
    handles.append(Patch(facecolor=WATER_FILL, edgecolor=WATER_EDGE, label=t("legend_water", lang)))


@dataclass(frozen=True)
class CorridorStyle:
    """How a corridor is drawn: line widths (points) and drawing order (zorder; None = matplotlib's own).
    A width of None leaves that part out."""

    footprint_lw: float
    members_lw: float | None
    spine_lw: float | None
    members_zorder: float | None = None
    spine_zorder: float | None = None
    arrows_zorder: float = 3
    filled: bool = True  # False: the footprint as an outline only (over a thematic map's class fills)


def _order(zorder: float | None) -> dict[str, float]:
    return {} if zorder is None else {"zorder": zorder}


def draw_corridor(ax, layers: PlanningLayers, cid: str, colour: str, arrows: list, style: CorridorStyle) -> None:
    """One corridor: its footprint, its member units' outline (dotted), its spine and the arrowheads
    ``arrows`` (WGS84 polygons) on it, as ``style`` says."""
    draw_footprint(ax, layers.footprints.loc[cid], cid, colour, linewidth=style.footprint_lw, filled=style.filled)
    draw_beyond_band(ax, layers, cid, colour)
    if style.members_lw is not None:
        gpd.GeoSeries([layers.zones.loc[cid]], crs=PLANNING_CRS).boundary.plot(
            ax=ax,
            color=colour,
            linewidth=style.members_lw,
            linestyle=MEMBER_DASH,
            gid=f"members_{cid}",
            **_order(style.members_zorder),
        )
    if style.spine_lw is None:
        return
    precision = layers.corridors.loc[cid, "spine_precision"]
    gpd.GeoSeries([layers.spines.loc[cid]], crs=PLANNING_CRS).plot(
        ax=ax,
        color=colour,
        linewidth=style.spine_lw,
        linestyle=SPINE_DASH_FIGURE[precision],
        **_order(style.spine_zorder),
    )
    if arrows:
        gpd.GeoSeries(arrows, crs=4326).to_crs(PLANNING_CRS).plot(
            ax=ax, color=colour, linewidth=0, zorder=style.arrows_zorder, gid=f"arrows_{cid}"
        )


def draw_beyond_band(ax, layers: PlanningLayers, cid: str, colour: str) -> None:
    """Hatch, in ``colour``, the members of corridor ``cid`` its band does not reach
    (``beyond_band_adcodes``): a unit added far from the spine is still seen to be a member.
    Under the water, like every fill, so a lake is not hatched."""
    codes = list(layers.corridors.loc[cid, "beyond_band_adcodes"])
    if not codes:
        return
    members = layers.units.set_index("adcode").loc[codes]
    members.plot(
        ax=ax, facecolor="none", edgecolor=colour, hatch=BEYOND_BAND_HATCH, linewidth=0, zorder=2.4, gid=f"beyond_{cid}"
    )


def beyond_band_legend(layers: PlanningLayers, shown, lang: str) -> list[Patch]:
    """The legend entry for hatched members, when one of the ``shown`` corridors has any."""
    if not any(len(layers.corridors.loc[cid, "beyond_band_adcodes"]) for cid in shown):
        return []
    label = capitalised(t("legend_beyond_band", lang))
    return [Patch(facecolor="none", edgecolor="#555555", hatch=BEYOND_BAND_HATCH, linewidth=0, label=label)]


def spine_legend(precisions: set, lang: str) -> list[Line2D]:
    """A legend line for each way a spine is drawn (exact, schematic ...) among ``precisions``."""
    return [
        Line2D(
            [],
            [],
            color="#333333",
            linewidth=1.6,
            linestyle=SPINE_DASH_FIGURE[precision],
            label=capitalised(t(key, lang)),
        )
        for precision, key in SPINE_LEGEND.items()
        if precision in precisions
    ]


def draw_facilities(ax, atlas, extent: tuple[float, float, float, float], lang: str, handles: list) -> None:
    """The facilities with a site of their own inside the frame, one symbol per category; the legend
    lists what shows (the others are counted at their place, then listed)."""
    x0, x1, y0, y1 = extent
    fac = drawn_as_sites(atlas.facilities).to_crs(PLANNING_CRS)
    fac = fac.loc[fac.geometry.within(shapely.box(x0, y0, x1, y1))]
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
                label=capitalised(t(f"cat_{cat}", lang)),
            )
        )


def draw_footprint(
    ax, footprint: shapely.Geometry, cid: str, colour: str, *, linewidth: float, filled: bool = True
) -> None:
    """A corridor's footprint (EPSG:4549) in its colour, see-through, under the water like every fill;
    ``filled=False``: its outline only, so the units' thematic classes under it can be read.
    A scenario may leave a corridor without one (no member's land near its spine): nothing is drawn."""
    if footprint is None or footprint.is_empty:
        return
    gpd.GeoSeries([footprint], crs=PLANNING_CRS).plot(
        ax=ax,
        facecolor=colour if filled else "none",
        alpha=FOOTPRINT_OPACITY if filled else None,
        edgecolor=colour,
        linewidth=linewidth,
        zorder=2.4,
        gid=f"footprint_{cid}",
    )


def draw_context_areas(ax, atlas, *, linewidth: float = 0.5) -> None:
    """The neighbouring cities' land, then all the water around Suzhou over it (the whole of Lake
    Taihu, the Yangtze's full width: GSHHG, context only), both under Suzhou's units, whose own
    water (``draw_water``) is drawn again over them."""
    if atlas.context is not None and len(atlas.context):
        atlas.context.to_crs(PLANNING_CRS).plot(
            ax=ax,
            facecolor=CONTEXT_FILL,
            edgecolor=CONTEXT_EDGE,
            linewidth=linewidth,
            zorder=CONTEXT_ZORDER,
            gid="context",
        )
    if atlas.context_water is not None and len(atlas.context_water):
        atlas.context_water.to_crs(PLANNING_CRS).plot(
            ax=ax, facecolor=WATER_FILL, edgecolor="none", zorder=CONTEXT_WATER_ZORDER, gid="context_water"
        )


def draw_context(ax, atlas, extent: tuple[float, float, float, float], lang: str) -> list:
    """The neighbouring cities and the water around, the cities named where they show in the frame.

    Returns (label, land) for each name: ``land`` (EPSG:4549) is the city's own land in the frame,
    clear of Suzhou's units and the water, where ``exports.labels.place_context_labels`` moves the
    name once the frame is final (a name at the visible part's centre could run onto Suzhou's land
    or under a corridor's spine)."""
    draw_context_areas(ax, atlas)
    if atlas.context is None or not len(atlas.context):
        return []
    x0, x1, y0, y1 = extent
    frame = shapely.box(x0, y0, x1, y1)
    context = atlas.context.to_crs(PLANNING_CRS)
    taken = shapely.union_all(atlas.units.to_crs(PLANNING_CRS).geometry.values)
    if atlas.context_water is not None and len(atlas.context_water):
        taken = shapely.union(taken, shapely.union_all(atlas.context_water.to_crs(PLANNING_CRS).geometry.values))
    labels = []
    for _, row in context.iterrows():
        visible = shapely.intersection(row.geometry, frame)
        if visible.area < 0.02 * frame.area:  # too little of it shows to carry a name
            continue
        land = shapely.difference(visible, taken)
        point = land.representative_point()
        label = ax.annotate(
            pick(row, lang),
            (point.x, point.y),
            ha="center",
            va="center",
            fontsize=9,
            color=CONTEXT_LABEL,
            style="italic",
            parse_math=False,
            zorder=0.6,
            gid="context_label",
        )
        labels.append((label, land))
    return labels


HUB_LINK_M = 2_000.0  # a spine ending this close to a hub links to it


def draw_hubs(ax, atlas, lang: str, handles: list, *, middle_x: float, linked_by: gpd.GeoSeries) -> None:
    """Outside hubs the shown corridors link to (the Hongqiao hub): a labelled star each, and a legend
    line; a hub no spine in ``linked_by`` (EPSG:4549) reaches is not drawn.

    A label starts toward the middle of the map (left of a star in the eastern half);
    ``place_hub_labels`` then moves it off Suzhou's land once the frame is final.
    """
    hubs = atlas.anchors.loc[atlas.anchors["kind"] == "hub"]
    points = hubs.to_crs(PLANNING_CRS)
    spines = shapely.union_all(gpd.GeoSeries(linked_by, crs=PLANNING_CRS).values)
    linked = points.geometry.distance(spines) <= HUB_LINK_M
    hubs, points = hubs.loc[linked.to_numpy()], points.loc[linked.to_numpy()]
    if hubs.empty:
        return
    ax.scatter(
        points.geometry.x,
        points.geometry.y,
        s=70,
        marker="*",
        color=HUB_COLOUR,
        edgecolor="white",
        linewidth=0.6,
        zorder=5.6,
        gid="hubs",
    )
    for (_, row), point in zip(hubs.iterrows(), points.geometry, strict=True):
        east = point.x > middle_x
        name = short_name(pick(row, lang))
        ax.annotate(
            wrap_label(name, 8 if lang == "zh" else 20),
            (point.x, point.y),
            xytext=(-6 if east else 6, -4),
            textcoords="offset points",
            ha="right" if east else "left",
            va="top",
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.75},
            fontsize=8,
            color=HUB_COLOUR,
            parse_math=False,
            zorder=6,
            gid="hub_label",
            annotation_clip=True,
        )
    handles.append(
        Line2D(
            [],
            [],
            marker="*",
            linestyle="",
            markersize=9,
            markerfacecolor=HUB_COLOUR,
            markeredgecolor="white",
            label=t("legend_hub", lang),
        )
    )


def draw_user_layers(ax, user_layers, handles: list) -> None:
    """A planner's imported layers (``workspace.session.UserLayer``), each with its legend entry."""

    for layer in user_layers:
        frame = layer.frame.to_crs(PLANNING_CRS)
        if layer.kind == "points":
            few = len(frame) <= USER_POINTS_MANY
            ax.scatter(
                frame.geometry.x,
                frame.geometry.y,
                s=USER_POINT_SIZE if few else USER_POINT_SIZE_LARGE,
                marker="D",
                color=USER_POINT_COLOUR,
                edgecolor=USER_POINT_EDGE,
                linewidth=0.6 if few else 0,
                zorder=USER_POINTS_ZORDER,
                gid=f"user_{layer.key}",  # names the group in SVG output
            )
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="D",
                    linestyle="",
                    markersize=6,
                    markerfacecolor=USER_POINT_COLOUR,
                    markeredgecolor=USER_POINT_EDGE,
                    label=layer.legend,
                )
            )
        elif layer.kind == "counts":
            draw_user_counts(ax, frame, layer.legend, handles)
        else:
            frame.plot(ax=ax, facecolor="none", edgecolor=USER_BOUNDARY_COLOUR, linewidth=1.2, zorder=4)
            handles.append(Patch(facecolor="none", edgecolor=USER_BOUNDARY_COLOUR, linewidth=1.2, label=layer.legend))


USER_COUNT_PAD, USER_COUNT_PAD_PER_ROOT = 0.35, 0.25  # the circle round a count grows with its square root


def draw_user_counts(ax, frame: gpd.GeoDataFrame, legend: str, handles: list) -> None:
    """Rows placed by their address (``frame``: n per unit at its label point, EPSG:4549): the count
    in a see-through circle that grows with it, just below the unit's name, which keeps clear of it."""
    shift = ax.transData + ScaledTranslation(0, -USER_COUNT_BELOW_PT / 72, ax.figure.dpi_scale_trans)
    for x, y, n in zip(frame.geometry.x, frame.geometry.y, frame["n"], strict=True):
        pad = USER_COUNT_PAD + USER_COUNT_PAD_PER_ROOT * (float(n) ** 0.5 - 1)
        circle = {"boxstyle": f"circle,pad={pad:.2f}", "facecolor": (1, 1, 1, 0.55), "edgecolor": USER_POINT_COLOUR}
        label = {"ha": "center", "va": "center", "fontsize": 6.5, "fontweight": "bold", "parse_math": False}
        ax.text(x, y, str(int(n)), transform=shift, zorder=USER_POINTS_ZORDER, gid="user_count", bbox=circle, **label)
    handles.append(
        Line2D(
            [], [], marker="o", linestyle="", markersize=8, markerfacecolor="white",
            markeredgecolor=USER_POINT_COLOUR, label=legend,
        )
    )  # fmt: skip


USER_COUNT_BELOW_PT = 12.0  # below the label point, where the unit's name is first tried


def draw_locator(fig, rect, atlas, extent: tuple[float, float, float, float], lang: str) -> None:
    """An inset locating Suzhou in the Yangtze delta (Shanghai, Jiangsu, Zhejiang, named small), its
    land filled, with the main map's frame ``extent`` (x0, x1, y0, y1, EPSG:4549) drawn inside it;
    ``rect`` (figure fractions) holds the inset and its title above it.

    The inset's extent holds the three provinces and the frame whatever the page, so the frame never
    runs outside it."""
    inset = fig.add_axes(rect, gid="locator")
    rect = _under_title(inset, rect, t("fig_locator", lang))
    provinces = atlas.provinces.to_crs(PLANNING_CRS)
    city = shapely.union_all(atlas.units.to_crs(PLANNING_CRS).geometry.values)
    x0, x1, y0, y1 = extent
    provinces.plot(
        ax=inset, facecolor=CONTEXT_FILL, edgecolor=CONTEXT_EDGE, linewidth=0.4, zorder=0.5, gid="locator_provinces"
    )
    gpd.GeoSeries([city], crs=PLANNING_CRS).plot(
        ax=inset, facecolor="#9e9e9e", edgecolor=UNIT_EDGE, linewidth=0.3, zorder=1, gid="locator_city"
    )
    lakes = atlas.context_water.loc[atlas.context_water["kind"] == "lake"]
    if len(lakes):  # Taihu whole; the estuary is left to the provinces' coast at this scale
        lakes.to_crs(PLANNING_CRS).plot(ax=inset, facecolor=WATER_FILL, edgecolor="none", zorder=1.5)
    frame = shapely.box(x0, y0, x1, y1)
    inset.add_patch(
        Rectangle(
            (x0, y0),
            x1 - x0,
            y1 - y0,
            facecolor="none",
            edgecolor=LOCATOR_FRAME,
            linewidth=0.8,
            zorder=3,
            gid="locator_frame",
        )
    )
    labels = _locator_labels(inset, provinces, frame, lang)
    fig_w, fig_h = fig.get_size_inches()
    _fit_locator(
        inset, shapely.union_all([*provinces.geometry.values, frame]), labels, rect[2] * fig_w / (rect[3] * fig_h)
    )


LOCATOR_TITLE_PAD_PT = 2.0


def _under_title(inset, rect, title: str):
    """Title the inset and shrink it from the top of ``rect`` (left, bottom, width, height; figure
    fractions) by the title's measured height, so the two together stay inside ``rect``; the new rect."""
    text = inset.set_title(title, fontsize=7, pad=LOCATOR_TITLE_PAD_PT)
    fig = inset.figure
    title_px = text.get_window_extent(FigureCanvasAgg(fig).get_renderer()).height
    title_px += LOCATOR_TITLE_PAD_PT * fig.dpi / 72 + 1  # the pad, and a pixel to spare for rounding
    left, bottom, width, height = rect
    inner = (left, bottom, width, height - title_px / fig.bbox.height)
    inset.set_position(inner)
    return inner


def _fit_locator(inset, delta: shapely.Geometry, labels: list, aspect: float) -> None:
    """Frame the inset on ``delta`` (EPSG:4549) and the ``labels`` at the inset's ``aspect``: a label's
    size is in points, so its extent is measured once framed and the frame grown until it holds it."""
    renderer = FigureCanvasAgg(inset.figure).get_renderer()
    bounds = delta.bounds
    for _ in range(3):  # the text shrinks in data units as the extent grows: a few rounds settle it
        frame_axes(inset, fit_extent(bounds, aspect, margin=LOCATOR_MARGIN), spine_width=0.5)
        to_data = inset.transData.inverted()
        corners = [to_data.transform(label.get_window_extent(renderer).corners()) for label in labels]
        grown = shapely.union_all([shapely.box(*bounds), *(shapely.MultiPoint(c).envelope for c in corners)]).bounds
        if grown == bounds:
            return
        bounds = grown


def _locator_labels(inset, provinces: gpd.GeoDataFrame, frame: shapely.Polygon, lang: str) -> list:
    """Each province's short name, small, on a part of it clear of the map's frame; a province the
    frame covers (Shanghai) is named just off its eastern shore."""
    reach = max(frame.bounds[2] - frame.bounds[0], frame.bounds[3] - frame.bounds[1])
    clear = frame.buffer(reach * 0.3)
    labels = []
    for _, row in provinces.iterrows():
        free = shapely.difference(row.geometry, clear)
        if free.area >= 0.2 * row.geometry.area:
            point, align = free.representative_point(), "center"
        else:
            east = max(row.geometry.bounds[2], frame.bounds[2]) + reach * 0.08
            point, align = shapely.Point(east, row.geometry.representative_point().y), "left"
        labels.append(
            inset.text(
                point.x,
                point.y,
                province_name(pick(row, lang)),
                fontsize=5.5,
                color=CONTEXT_LABEL,
                ha=align,
                va="center",
                parse_math=False,
                zorder=2,
                gid="province_label",
            )
        )
    return labels
