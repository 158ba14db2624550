"""Colours shared by the web map and the exported figures, so a report matches the app.

Corridors take mid-tone colours, facility categories deep ones, so a point never reads as a
corridor; none is near the water's blue. tests/test_style.py keeps every pair apart in CIELAB.
"""

from typing import Literal

import numpy as np

CORRIDOR_COLOURS = {
    "ring": "#f46d43",
    "huning": "#8c6bb1",
    "tongsujia": "#a6761d",
    "taihu": "#1b9e77",
    "yangtze": "#66a61e",
    "hongqiao": "#e6ab02",
}
# For corridors a layout file adds (a scenario's own ids): distinct from the six above, in order.
EXTRA_CORRIDOR_COLOURS = ("#e7298a", "#1f78b4", "#b15928", "#6a3d9a", "#33a02c", "#ff7f00")


def corridor_colour(corridor_id: str, layout_ids) -> str:
    """The corridor's colour: the plan's own for its six ids, else one of EXTRA_CORRIDOR_COLOURS by
    the corridor's position among ``layout_ids`` (the layout's corridor ids, in order), so that the
    web map, the legend and the figures agree."""
    if corridor_id in CORRIDOR_COLOURS:
        return CORRIDOR_COLOURS[corridor_id]
    position = list(layout_ids).index(corridor_id)
    return EXTRA_CORRIDOR_COLOURS[position % len(EXTRA_CORRIDOR_COLOURS)]


CATEGORY_COLOURS = {
    "lab": "#8c0d26",
    "university": "#08306b",
    "research institute": "#014636",
    "innovation centre": "#3f007d",
    "computing centre": "#993404",
    "platform": "#4d004b",
    "park": "#ce1256",
    "innovation district": "#525252",
    "national zone": "#000000",
}
# In figures each category also has its own marker shape (matplotlib codes), so deep colours
# that look alike at print size still tell apart; legend and map use the same.
CATEGORY_MARKERS = {
    "lab": "^",
    "university": "s",
    "research institute": "D",
    "innovation centre": "o",
    "computing centre": "h",
    "platform": "v",
    "park": "P",
    "innovation district": "p",
    "national zone": "X",
}
FOOTPRINT_OPACITY = 0.25  # a corridor's footprint fill, on the web map, in figures and in their legends
AXIS_ARROW_M = 4_000.0  # an axis's arrowhead where it leaves Suzhou toward the place it links (web and figures)
# Thematic maps: a sequential yellow-orange-brown (never blue, which reads as water) and a grey
# for a unit without a value.
THEME_COLOURS = ("#fff7bc", "#fec44f", "#ec7014", "#8c2d04")
THEME_MISSING = "#a0a0a0"
# A unit whose thematic value is derived (not published) is outlined in black dots, on the web map
# (dash pattern in px) and in figures (matplotlib on-off pattern in points); the legend says why.
DERIVED_EDGE = "#000000"
DERIVED_DASH_WEB = "1 5"
DERIVED_WEIGHT_WEB = 3.0
DERIVED_DASH_FIGURE: tuple[float, tuple[float, ...]] = (0, (1, 2))
DERIVED_LW_FIGURE = 1.6
USER_POINT_COLOUR = "#c51b8a"  # a planner's points: a magenta no corridor or facility category uses
USER_POINT_EDGE = "#000000"
USER_BOUNDARY_COLOUR = "#6a3d9a"  # a planner's boundaries
HEX_SIZE_M = 1500.0  # circumradius of the hexagons a large point table is drawn as (map and workspace)
CHANGED_UNIT_COLOUR = "#111111"  # a dashed outline: units whose membership a scenario changes
SELECTION_COLOUR = "#00ffff"  # the selected unit's outline: no corridor, category or water is near it
UNIT_EDGE = "#444444"
UNIT_FILL = "#f7f7f4"  # figures; the web map leaves units unfilled over its basemap
CONTEXT_FILL = "#ededed"  # the neighbouring cities: quiet, under everything of Suzhou's
WATER_FILL = "#b3d4ec"  # lakes and the Yangtze, on the web map and in figures
WATER_EDGE = "#7fb0d6"
# A spine traced along its real feature is drawn solid; a schematic one dashed (web dash
# pattern in px, matplotlib on-off pattern in points), with the legend label of its class.
SPINE_DASH_WEB = {"traced": None, "schematic": "8 6"}
SPINE_DASH_FIGURE: dict[str, Literal["solid"] | tuple[float, tuple[float, ...]]] = {
    "traced": "solid",
    "schematic": (0, (5, 3)),
}
SPINE_LEGEND = {"traced": "legend_spine_traced", "schematic": "legend_spine"}


def _cielab(colour: str) -> np.ndarray:
    """CIELAB (D65) of a ``#rrggbb`` sRGB colour."""
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255.0
    linear = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(first: str, second: str) -> float:
    """Perceived difference of two ``#rrggbb`` colours (CIE76 ΔE*ab; about 2 is just noticeable)."""
    return float(np.linalg.norm(_cielab(first) - _cielab(second)))


def rgba(colour: str, alpha: float) -> str:
    """CSS ``rgba()`` of a ``#rrggbb`` colour: a legend swatch with the same see-through fill as the map."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


# Facilities without a site of their own: a sub-area's count in a dark square at its cited point
SUB_AREA_BADGE_COLOUR = "#37474f"
