"""Answer layout questions: a unit's corridors and roles, a corridor's units, where a point lies."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from spatial.classify import OUTSIDE, build_unit_grid, classify_unit_index
from spatial.datum import convert_lonlat, normalise_datum
from spatial.errors import CoordinateError
from spatial.names import resolve_corridor, resolve_unit

# Suzhou's extent with a margin, WGS84 degrees: used to tell swapped or far-off input.
SUZHOU_LON_RANGE = (119.5, 121.8)
SUZHOU_LAT_RANGE = (30.5, 32.3)


def unit_record(units: pd.DataFrame, adcode: str) -> dict:
    row = units.loc[units["adcode"] == adcode].iloc[0]
    return {"adcode": row["adcode"], "name_zh": row["name_zh"], "name_en": row["name_en"]}


def corridor_record(corridors: pd.DataFrame, corridor_id: str) -> dict:
    row = corridors.loc[corridors["id"] == corridor_id].iloc[0]
    return {"id": row["id"], "name_zh": row["name_zh"], "name_en": row["name_en"], "kind": row["kind"]}


def _role_and_group(member_row) -> dict:
    return {"role": {"role_zh": member_row.role_zh, "role_en": member_row.role_en},
            "group": {"group_zh": member_row.group_zh, "group_en": member_row.group_en}}


def corridors_of_unit(unit: str, *, units: pd.DataFrame, corridors: pd.DataFrame,
                      members: pd.DataFrame) -> dict:
    """Which corridors a unit belongs to, with its role in each.

    Returns
    -------
    dict ``{"unit": {adcode, name_zh, name_en}, "corridors": [{"corridor": {...},
    "role": {role_zh, role_en}, "group": {group_zh, group_en}}, ...]}`` in plan order.
    """
    adcode = resolve_unit(unit, units)
    rows = members.loc[members["adcode"] == adcode]
    order = {cid: i for i, cid in enumerate(corridors["id"])}
    rows = rows.assign(_order=rows["corridor_id"].map(order)).sort_values("_order")
    return {
        "unit": unit_record(units, adcode),
        "corridors": [
            {"corridor": corridor_record(corridors, r.corridor_id), **_role_and_group(r)}
            for r in rows.itertuples(index=False)
        ],
    }


def units_of_corridor(corridor: str, *, units: pd.DataFrame, corridors: pd.DataFrame,
                      members: pd.DataFrame, functions: pd.DataFrame | None = None) -> dict:
    """Which units a corridor runs through, with their roles (and the corridor's functions)."""
    corridor_id = resolve_corridor(corridor, corridors)
    rows = members.loc[members["corridor_id"] == corridor_id]
    result = {
        "corridor": corridor_record(corridors, corridor_id),
        "members": [
            {"unit": unit_record(units, r.adcode), **_role_and_group(r)}
            for r in rows.itertuples(index=False)
        ],
    }
    if functions is not None:
        mine = functions.loc[functions["corridor_id"] == corridor_id]
        result["functions"] = [{"function_zh": f.function_zh, "function_en": f.function_en}
                               for f in mine.itertuples(index=False)]
    return result


def check_lonlat(lon: float, lat: float) -> tuple[float, float]:
    """Validate one lon/lat pair; detect non-numbers, out-of-range and swapped order."""
    try:
        lon_f, lat_f = float(lon), float(lat)
    except (TypeError, ValueError):
        raise CoordinateError(f"lon/lat must be numbers; got {lon!r}, {lat!r}",
                              zh=f"经纬度必须是数字；收到 {lon!r}, {lat!r}") from None
    if not (math.isfinite(lon_f) and math.isfinite(lat_f)):
        raise CoordinateError(f"lon/lat must be finite numbers; got {lon!r}, {lat!r}",
                              zh=f"经纬度必须是有限数值（不能为空、NaN 或无穷）；收到 {lon!r}, {lat!r}")
    in_lon = SUZHOU_LON_RANGE[0] <= lon_f <= SUZHOU_LON_RANGE[1]
    in_lat = SUZHOU_LAT_RANGE[0] <= lat_f <= SUZHOU_LAT_RANGE[1]
    swapped = (SUZHOU_LON_RANGE[0] <= lat_f <= SUZHOU_LON_RANGE[1]
               and SUZHOU_LAT_RANGE[0] <= lon_f <= SUZHOU_LAT_RANGE[1])
    if swapped and not (in_lon and in_lat):
        raise CoordinateError(
            f"lon={lon_f}, lat={lat_f} look swapped: Suzhou lies near lon 120.6, lat 31.3; "
            f"did you mean lon={lat_f}, lat={lon_f}? Give longitude first",
            zh=f"经度={lon_f}、纬度={lat_f} 似乎填反了：苏州约在经度 120.6、纬度 31.3；"
               f"是否应为 经度={lat_f}、纬度={lon_f}？请先填经度")
    if not (-180.0 <= lon_f <= 180.0 and -90.0 <= lat_f <= 90.0):
        raise CoordinateError(f"lon must be in [-180, 180] and lat in [-90, 90]; got {lon_f}, {lat_f}",
                              zh=f"经度须在 [-180, 180]、纬度须在 [-90, 90] 之间；收到 {lon_f}, {lat_f}")
    return lon_f, lat_f


@dataclass
class Location:
    """Where a point lies: its unit (None outside Suzhou) and corridors."""

    lon_wgs84: float
    lat_wgs84: float
    datum: str
    unit: dict | None
    corridors: list = field(default_factory=list)
    message: str = ""

    def to_dict(self) -> dict:
        return {"lon_wgs84": self.lon_wgs84, "lat_wgs84": self.lat_wgs84, "datum": self.datum,
                "unit": self.unit, "corridors": self.corridors, "message": self.message}


def locate_point(lon: float, lat: float, *, datum: str = "wgs84", units: pd.DataFrame,
                 corridors: pd.DataFrame, members: pd.DataFrame, grid=None) -> Location:
    """Find the unit and corridors at (lon, lat) given in ``datum`` (wgs84, gcj02 or bd09).

    A point outside every unit returns ``unit=None`` and a message saying so; swapped,
    non-finite or impossible coordinates and unknown datums raise project errors.
    """
    datum_name = normalise_datum(datum)
    lon_f, lat_f = check_lonlat(lon, lat)
    w_lon, w_lat = convert_lonlat(np.array([lon_f]), np.array([lat_f]), source=datum_name, target="wgs84")
    grid = grid if grid is not None else build_unit_grid(units)
    index = int(classify_unit_index(grid, w_lon, w_lat)[0])
    w_lon_f, w_lat_f = round(float(w_lon[0]), 7), round(float(w_lat[0]), 7)
    if index == OUTSIDE:
        return Location(w_lon_f, w_lat_f, datum_name, None, [],
                        "the point is outside Suzhou's ten planning units")
    adcode = str(grid.codes[index])
    found = corridors_of_unit(adcode, units=units, corridors=corridors, members=members)
    name = found["unit"]["name_zh"]
    return Location(w_lon_f, w_lat_f, datum_name, found["unit"], found["corridors"],
                    f"the point is in {name} ({adcode})")
