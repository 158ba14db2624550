"""The places a figure counts facilities at: the list under the map (two columns, one entry per
place) and the sub-areas' count badges on the map, each moved to where it hides no site."""

from __future__ import annotations

import textwrap

import geopandas as gpd
from matplotlib.lines import Line2D

from exports.furniture import page_renderer
from exports.labels import MARKER_CLEARANCE_PT, clashes, drawn_points_px, text_box
from presentation.i18n import t
from presentation.style import SUB_AREA_BADGE_COLOUR
from spatial.crs import PLANNING_CRS

PLACE_LIST_LINE_IN = 0.13  # line height of the list of facilities without a site of their own (6.5 pt)
PLACE_LIST_FONT_PT = 6.5
PLACE_LIST_CHARS = {"zh": 44, "en": 88}  # characters per line of one column on A4 landscape
A4_LANDSCAPE_WIDTH_IN = 11.69
# where a sub-area's count may sit, on a leader from its point: north-east first, then round it
SUB_AREA_BADGE_OFFSETS_PT = ((9, 9), (-9, 9), (9, -9), (-9, -9), (0, 13), (0, -13), (14, 0), (-14, 0), (15, 15))


def circled(n: int) -> str:
    """The count as a circled number (①-⑳) as drawn after a unit's name; larger counts in brackets."""
    return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"({n})"


def unit_counts(places) -> dict[str, int]:
    """{adcode: facilities counted at the unit} for the places that are whole units."""
    return {row.adcode: int(row.n) for row in places.itertuples(index=False) if row.kind == "unit"}


def place_list_entries(places, facilities, lang: str, *, width: int) -> list[list[str]]:
    """One entry per place (its lines): badge, name and what it holds, wrapped to one column's width."""
    names = facilities.set_index("facility_id")[f"name_{lang}"]
    sep = "、" if lang == "zh" else "; "
    entries = []
    for row in places.itertuples(index=False):
        badge = circled(int(row.n)) if row.kind == "unit" else f"■{row.n}"
        name = row.name_zh if lang == "zh" else row.name_en
        entry = f"{badge}\u00a0{name}{'：' if lang == 'zh' else ': '}" + sep.join(names.loc[list(row.facility_ids)])
        entries.append(textwrap.wrap(entry, width=width, subsequent_indent="    ", break_on_hyphens=False))
    return entries


def place_list_columns(places, facilities, lang: str, *, width_in: float) -> tuple[list[str], list[str]]:
    """The list's two columns for a page ``width_in`` inches wide (A4 landscape holds PLACE_LIST_CHARS)."""
    chars = int(PLACE_LIST_CHARS[lang] * width_in / A4_LANDSCAPE_WIDTH_IN)
    return two_columns(place_list_entries(places, facilities, lang, width=chars))


def place_list_height_in(columns: tuple[list[str], list[str]]) -> float:
    """The height (inches) the list takes under the map: its longer column, its title and a gap; 0 when empty."""
    rows = max(len(columns[0]), len(columns[1]))
    return (rows + 3) * PLACE_LIST_LINE_IN if rows else 0.0


def two_columns(entries: list[list[str]]) -> tuple[list[str], list[str]]:
    """The entries' lines split into two columns of near-equal height, never inside an entry."""
    total = sum(len(e) for e in entries)
    left: list[str] = []
    for pos, entry in enumerate(entries):
        if left and len(left) + len(entry) / 2 > total / 2:
            return left, [line for rest in entries[pos:] for line in rest]
        left += entry
    return left, []


def draw_place_list(fig, columns: tuple[list[str], list[str]], *, top: float, height_in: float, lang: str) -> None:
    """The list under the map, in two columns, headed by what it is."""
    fig.text(
        0.03,
        top,
        t("fig_places_title", lang),
        fontsize=7.5,
        fontweight="bold",
        va="top",
        parse_math=False,
        gid="place_list_title",
    )
    for column, lines in enumerate(columns):
        if lines:
            fig.text(
                0.03 + column * 0.365,
                top - 0.2 / height_in,
                "\n".join(lines),
                fontsize=PLACE_LIST_FONT_PT,
                va="top",
                linespacing=1.35,
                parse_math=False,
                gid="place_list",
            )


def draw_sub_area_badges(ax, places, lang: str, handles: list) -> None:
    """Each sub-area that holds facilities: a dot at its cited point and, on a short leader, a dark
    square with the count, to the side where it hides no site (north-east first)."""
    areas = places.loc[places["kind"] == "sub-area"]
    if areas.empty:
        return
    points = gpd.GeoSeries(areas.geometry.values, crs=4326).to_crs(PLANNING_CRS)
    ax.scatter(
        points.x,
        points.y,
        s=12,
        color=SUB_AREA_BADGE_COLOUR,
        edgecolor="white",
        linewidth=0.5,
        zorder=5.2,
        gid="places_sub_area",
    )
    fig = ax.figure
    renderer = page_renderer(fig)
    clearance = MARKER_CLEARANCE_PT * fig.dpi / 72
    sites_px = drawn_points_px(fig, ax, ("facilities_",))
    for point, n in zip(points, areas["n"], strict=True):
        badge = _count_badge(ax, point, n)
        for offset in SUB_AREA_BADGE_OFFSETS_PT:
            badge.xyann = offset
            if clashes(text_box(badge, renderer), sites_px, clearance, []) == 0:
                break
    handles.append(
        Line2D(
            [],
            [],
            marker="s",
            linestyle="",
            markersize=7,
            markerfacecolor=SUB_AREA_BADGE_COLOUR,
            markeredgecolor="white",
            label=t("legend_place_sub_area", lang),
        )
    )


def _count_badge(ax, point, n):
    """A sub-area's count in a dark square on a leader from its point, at the first offset to try."""
    return ax.annotate(
        str(n),
        (point.x, point.y),
        xytext=SUB_AREA_BADGE_OFFSETS_PT[0],
        textcoords="offset points",
        color="white",
        fontsize=6.5,
        fontweight="bold",
        ha="center",
        va="center",
        zorder=5.3,
        parse_math=False,
        bbox={
            "boxstyle": "square,pad=0.25",
            "facecolor": SUB_AREA_BADGE_COLOUR,
            "edgecolor": "white",
            "linewidth": 0.6,
        },
        arrowprops={
            "arrowstyle": "-",
            "color": SUB_AREA_BADGE_COLOUR,
            "linewidth": 0.8,
            "shrinkA": 0,
            "shrinkB": 2,
        },
        gid="place_count",
    )
