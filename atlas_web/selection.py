"""Turn what the map component reports about a click into a selection (facility or unit)."""

from __future__ import annotations

from dataclasses import dataclass

from layers.facilities import drawn_as_sites
from presentation.display import DisplayLayers, to_wgs84
from spatial.query import locate_point

CLICK_TOLERANCE_DEG = 2e-5  # Leaflet reports a marker click at the marker's own position


@dataclass(frozen=True)
class Selection:
    unit: str | None = None  # adcode
    facility: str | None = None  # facility_id
    outside: bool = False  # the click fell outside every unit


def click_signature(result: dict | None) -> tuple:
    result = result or {}
    return (repr(result.get("last_object_clicked")), repr(result.get("last_clicked")))


def interpret_click(result: dict | None, *, display: DisplayLayers, atlas, grid) -> Selection | None:
    """The selection a map click makes, or None when the result holds no click.

    A click on a facility marker selects that facility (its tooltip text breaks ties between
    markers at one spot); any other click selects the unit under it, located with the same
    ``locate_point`` as the CLI after converting the display datum back to WGS84.
    """
    if not result:
        return None
    obj, clicked = result.get("last_object_clicked"), result.get("last_clicked")
    point = obj or clicked
    if not point:
        return None
    lat, lng = float(point["lat"]), float(point["lng"])
    if obj:
        fac = drawn_as_sites(display.facilities)  # a badge click selects the unit beneath, which lists them all
        near = fac.loc[
            ((fac.geometry.x - lng).abs() < CLICK_TOLERANCE_DEG) & ((fac.geometry.y - lat).abs() < CLICK_TOLERANCE_DEG)
        ]
        if not near.empty:
            tip = (result.get("last_object_clicked_tooltip") or "").strip()
            named = near.loc[(near["name_zh"] == tip) | (near["name_en"] == tip)]
            chosen = (named if not named.empty else near).iloc[0]
            return Selection(unit=chosen["adcode"], facility=chosen["facility_id"])
    lon_w, lat_w = to_wgs84(lng, lat, display.datum)
    found = locate_point(lon_w, lat_w, units=atlas.units, corridors=atlas.corridors, members=atlas.members, grid=grid)
    if found.unit is None:
        return Selection(outside=True)
    return Selection(unit=found.unit["adcode"])
