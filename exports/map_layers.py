"""The layers of a figure's map, drawn on a matplotlib axes in EPSG:4549, each adding its legend
entry: the neighbouring cities, the hubs, a planner's own layers, corridors' footprints, and the
locator inset that places the map among Suzhou's neighbours."""

from __future__ import annotations

import geopandas as gpd
import shapely
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from exports.furniture import wrap_label
from presentation.i18n import pick, short_name, t
from presentation.style import (
    CONTEXT_FILL,
    FOOTPRINT_OPACITY,
    UNIT_EDGE,
    USER_BOUNDARY_COLOUR,
    USER_POINT_COLOUR,
    USER_POINT_EDGE,
    WATER_FILL,
)
from spatial.crs import PLANNING_CRS

USER_POINT_SIZE = 30  # marker area (pt²) of a planner's imported points


USER_POINT_SIZE_LARGE = 4  # ... when there are more than USER_POINTS_MANY of them


USER_POINTS_MANY = 2000


USER_POINTS_ZORDER = 7  # above the unit labels (zorder 6): a planner's own sites are never hidden


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
        else:
            frame.plot(ax=ax, facecolor="none", edgecolor=USER_BOUNDARY_COLOUR, linewidth=1.2, zorder=4)
            handles.append(Patch(facecolor="none", edgecolor=USER_BOUNDARY_COLOUR, linewidth=1.2, label=layer.legend))


CONTEXT_EDGE = "#c4c4c4"


CONTEXT_LABEL = "#8a8a8a"


HUB_LABEL_CLEARANCE_M = 15_000  # a city's name keeps this far from a hub, whose own label sits beside it


def draw_context(ax, atlas, extent: tuple[float, float, float, float], lang: str) -> None:
    """The neighbouring cities, named where they show in the frame (their visible part's centre)."""
    if atlas.context is None or not len(atlas.context):
        return
    x0, x1, y0, y1 = extent
    frame = shapely.box(x0, y0, x1, y1)
    context = atlas.context.to_crs(PLANNING_CRS)
    context.plot(ax=ax, facecolor=CONTEXT_FILL, edgecolor=CONTEXT_EDGE, linewidth=0.5, zorder=0.5, gid="context")
    hubs = atlas.anchors.loc[atlas.anchors["kind"] == "hub"].to_crs(PLANNING_CRS)
    keep_clear = shapely.union_all(hubs.geometry.buffer(HUB_LABEL_CLEARANCE_M).values)
    for _, row in context.iterrows():
        visible = shapely.intersection(row.geometry, frame)
        if visible.area < 0.02 * frame.area:  # too little of it shows to carry a name
            continue
        point = shapely.difference(visible, keep_clear).representative_point()  # not under a hub's label
        ax.annotate(
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


HUB_COLOUR = "#222222"


def draw_hubs(ax, atlas, lang: str, handles: list, *, middle_x: float) -> None:
    """Outside hubs the corridors link to (the Hongqiao hub): a labelled star each, and a legend line.

    A label starts toward the middle of the map (left of a star in the eastern half);
    ``place_hub_labels`` then moves it off Suzhou's land once the frame is final.
    """
    hubs = atlas.anchors.loc[atlas.anchors["kind"] == "hub"]
    if hubs.empty:
        return
    points = hubs.to_crs(PLANNING_CRS)
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


MEMBER_DASH = (0, (1, 1.5))  # dotted: a corridor's member units, apart from its solid or dashed spine


def draw_locator(fig, rect, atlas, extent: tuple[float, float, float, float], lang: str) -> None:
    """An inset locating Suzhou among its neighbours, with the main map's frame drawn on it."""
    inset = fig.add_axes(rect, gid="locator")
    context = atlas.context.to_crs(PLANNING_CRS) if atlas.context is not None else None
    city = shapely.union_all(atlas.units.to_crs(PLANNING_CRS).geometry.values)
    if context is not None and len(context):
        context.plot(ax=inset, facecolor=CONTEXT_FILL, edgecolor=CONTEXT_EDGE, linewidth=0.3)
        for _, row in context.iterrows():
            point = row.geometry.representative_point()
            inset.text(
                point.x,
                point.y,
                short_name(pick(row, lang)),
                fontsize=5.5,
                color=CONTEXT_LABEL,
                ha="center",
                va="center",
                parse_math=False,
            )
    gpd.GeoSeries([city], crs=PLANNING_CRS).plot(ax=inset, facecolor="#bdbdbd", edgecolor=UNIT_EDGE, linewidth=0.4)
    if len(atlas.water):
        atlas.water.to_crs(PLANNING_CRS).plot(ax=inset, facecolor=WATER_FILL, edgecolor="none")
    x0, x1, y0, y1 = extent
    inset.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor="none", edgecolor="#d7301f", linewidth=0.8))
    bounds = shapely.union_all([city, *(context.geometry.values if context is not None else [])]).bounds
    inset.set_xlim(bounds[0], bounds[2])
    inset.set_ylim(bounds[1], bounds[3])
    inset.set_aspect("equal")
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_xlabel("")
    inset.set_ylabel("")
    for spine in inset.spines.values():
        spine.set_linewidth(0.5)
    inset.set_title(t("fig_locator", lang), fontsize=7, pad=2)


def draw_footprint(ax, footprint: shapely.Geometry, cid: str, colour: str, *, linewidth: float) -> None:
    """A corridor's footprint (EPSG:4549) in its colour, see-through, under the water like every fill.
    A scenario may leave a corridor without one (no member's land near its spine): nothing is drawn."""
    if footprint is None or footprint.is_empty:
        return
    gpd.GeoSeries([footprint], crs=PLANNING_CRS).plot(
        ax=ax,
        facecolor=colour,
        alpha=FOOTPRINT_OPACITY,
        edgecolor=colour,
        linewidth=linewidth,
        zorder=2.4,
        gid=f"footprint_{cid}",
    )
