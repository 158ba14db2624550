"""Colours shared by the web map and the exported figures, so a report matches the app."""

from typing import Literal

CORRIDOR_COLOURS = {
    "ring": "#d62728",
    "huning": "#1f77b4",
    "tongsujia": "#9467bd",
    "taihu": "#2ca02c",
    "yangtze": "#17becf",
    "hongqiao": "#ff7f0e",
}
CATEGORY_COLOURS = {
    "lab": "#e41a1c",
    "university": "#377eb8",
    "research institute": "#4daf4a",
    "innovation centre": "#984ea3",
    "computing centre": "#ff7f00",
    "platform": "#a65628",
    "park": "#f781bf",
    "innovation district": "#666666",
    "national zone": "#000000",
}
UNIT_EDGE = "#444444"
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
