"""Answer layout questions: a unit's corridors and roles, a corridor's units, where a point lies."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from atlas_core.errors import CoordinateError
from spatial.address import AddressMatch, Gazetteer
from spatial.classify import OUTSIDE, build_unit_grid, classify_unit_index
from spatial.datum import convert_lonlat, normalise_datum
from spatial.extent import looks_swapped
from spatial.names import resolve_corridor, resolve_unit

# How Amap's coordinate picker copies a point: longitude first, six decimals, one comma.
LONLAT_TEXT_EXAMPLE = "120.738400,31.272900"
# Between the two numbers of one "lon,lat" box: comma, semicolon or Chinese enumeration
# comma (full-width forms are folded by NFKC first), or whitespace alone.
_LONLAT_SEPARATOR = re.compile(r"\s*[,;、]\s*|\s+")


def unit_record(units: pd.DataFrame, adcode: str) -> dict:
    row = units.loc[units["adcode"] == adcode].iloc[0]
    return {"adcode": row["adcode"], "name_zh": row["name_zh"], "name_en": row["name_en"]}


def corridor_record(corridors: pd.DataFrame, corridor_id: str) -> dict:
    row = corridors.loc[corridors["id"] == corridor_id].iloc[0]
    return {"id": row["id"], "name_zh": row["name_zh"], "name_en": row["name_en"], "kind": row["kind"]}


def _role_and_group(member_row) -> dict:
    return {
        "role": {"role_zh": member_row.role_zh, "role_en": member_row.role_en},
        "group": {"group_zh": member_row.group_zh, "group_en": member_row.group_en},
    }


def corridors_of_unit(unit: str, *, units: pd.DataFrame, corridors: pd.DataFrame, members: pd.DataFrame) -> dict:
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


def units_of_corridor(
    corridor: str,
    *,
    units: pd.DataFrame,
    corridors: pd.DataFrame,
    members: pd.DataFrame,
    functions: pd.DataFrame | None = None,
) -> dict:
    """Which units a corridor runs through, with their roles (and the corridor's functions)."""
    corridor_id = resolve_corridor(corridor, corridors)
    rows = members.loc[members["corridor_id"] == corridor_id]
    result = {
        "corridor": corridor_record(corridors, corridor_id),
        "members": [{"unit": unit_record(units, r.adcode), **_role_and_group(r)} for r in rows.itertuples(index=False)],
    }
    if functions is not None:
        mine = functions.loc[functions["corridor_id"] == corridor_id]
        result["functions"] = [
            {"function_zh": f.function_zh, "function_en": f.function_en} for f in mine.itertuples(index=False)
        ]
    return result


def check_lonlat(lon: float, lat: float) -> tuple[float, float]:
    """Validate one lon/lat pair; detect non-numbers, out-of-range and swapped order."""
    try:
        lon_f, lat_f = float(lon), float(lat)
    except (TypeError, ValueError):
        raise CoordinateError(
            f"lon/lat must be numbers; got {lon!r}, {lat!r}", zh=f"经纬度必须是数字；收到 {lon!r}, {lat!r}"
        ) from None
    if not (math.isfinite(lon_f) and math.isfinite(lat_f)):
        raise CoordinateError(
            f"lon/lat must be finite numbers; got {lon!r}, {lat!r}",
            zh=f"经纬度必须是有限数值（不能为空、NaN 或无穷）；收到 {lon!r}, {lat!r}",
        )
    if looks_swapped(lon_f, lat_f):
        raise CoordinateError(
            f"lon={lon_f}, lat={lat_f} look swapped: Suzhou lies near lon 120.6, lat 31.3; "
            f"did you mean lon={lat_f}, lat={lon_f}? Give longitude first",
            zh=f"经度={lon_f}、纬度={lat_f} 似乎填反了：苏州约在经度 120.6、纬度 31.3；"
            f"是否应为 经度={lat_f}、纬度={lon_f}？请先填经度",
        )
    if not (-180.0 <= lon_f <= 180.0 and -90.0 <= lat_f <= 90.0):
        raise CoordinateError(
            f"lon must be in [-180, 180] and lat in [-90, 90]; got {lon_f}, {lat_f}",
            zh=f"经度须在 [-180, 180]、纬度须在 [-90, 90] 之间；收到 {lon_f}, {lat_f}",
        )
    return lon_f, lat_f


# Characters a spreadsheet cell hides: zero-width spaces and joiners, the BOM, soft hyphen.
INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
# Degrees, minutes, seconds: 120°44′18.24″, 120度44分18.24秒, E120°44'18.24", 31°16.374′N, 东经120°…
_DMS = re.compile(
    r"(?P<pre>[NSEW]|东经|西经|北纬|南纬)?\s*(?P<d>\d+(?:\.\d+)?)\s*(?:°|度|:)"
    r"\s*(?:(?P<m>\d+(?:\.\d+)?)\s*(?:'|分|:)?)?\s*(?:(?P<s>\d+(?:\.\d+)?)\s*(?:\"|秒)?)?\s*(?P<post>[NSEW])?",
    re.IGNORECASE,
)
_NEGATIVE_HEMISPHERES = {"S", "W", "西经", "南纬"}


def parse_number(text) -> float | None:
    """A coordinate typed or pasted as text, as a float; None when it is not a finite number.

    Full-width digits and signs (NFKC), a Unicode minus, invisible characters, thousands
    separators ("3,460,000.5") and a trailing degree sign are accepted, and so are degrees,
    minutes and seconds in symbol or Chinese notation with an optional hemisphere, as planners'
    spreadsheets and Chinese input methods produce them. Minutes or seconds of 60 or more are
    not a coordinate.

    >>> parse_number("１２０．７３８４°")
    120.7384
    >>> parse_number("东经120°44′18.24″")
    120.7384
    """
    cleaned = INVISIBLE.sub("", unicodedata.normalize("NFKC", str(text))).strip().replace("\u2212", "-")
    if not cleaned:
        return None
    if _THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    value: float | None
    try:
        value = float(cleaned.removesuffix("°"))
    except ValueError:
        value = _dms(cleaned)
    return value if value is not None and math.isfinite(value) else None


def _dms(text: str) -> float | None:
    """Degrees-minutes-seconds text as decimal degrees; None when it is not that."""
    text = text.replace("′′", '"').replace("″", '"').replace("''", '"').replace("′", "'").replace("º", "°")
    text = text.replace("˚", "°")
    match = _DMS.fullmatch(text)
    if match is None:
        return None
    minutes, seconds = float(match["m"] or 0), float(match["s"] or 0)
    if minutes >= 60 or seconds >= 60 or (match["pre"] and match["post"]):
        return None
    value = float(match["d"]) + minutes / 60 + seconds / 3600
    hemisphere = (match["pre"] or match["post"] or "").upper()
    return -value if hemisphere in _NEGATIVE_HEMISPHERES else value


def parse_lonlat_text(text: str) -> tuple[float, float]:
    """One box holding "longitude,latitude", as Amap's coordinate picker copies it, as floats.

    Parameters
    ----------
    text : str
        Two numbers, longitude first, separated by a comma, a semicolon (half- or
        full-width), a Chinese enumeration comma or whitespace, e.g. ``"120.738400,31.272900"``.
        Full-width digits are accepted. The datum is not part of the text: Amap gives GCJ-02.

    Returns
    -------
    (lon, lat) : tuple of float, degrees, checked like :func:`check_lonlat`.

    Raises
    ------
    CoordinateError
        When the box is empty, does not hold exactly two numbers, or the numbers are
        impossible or look swapped (latitude first): a swapped pair is reported, never
        silently turned round.

    Example
    -------
    >>> parse_lonlat_text("120.738400，31.272900")
    (120.7384, 31.2729)
    """
    folded = unicodedata.normalize("NFKC", str(text if text is not None else "")).strip()
    if not folded:
        raise CoordinateError(
            f"enter one point as 'longitude,latitude', e.g. {LONLAT_TEXT_EXAMPLE} (as Amap's coordinate "
            "picker copies it)",
            zh=f"请输入一个点的“经度,纬度”，例如 {LONLAT_TEXT_EXAMPLE}（与高德坐标拾取器复制的格式相同）",
        )
    parts = _LONLAT_SEPARATOR.split(folded)
    if len(parts) != 2:
        raise CoordinateError(
            f"expected two numbers, longitude then latitude, separated by a comma; got {len(parts)} part(s) "
            f"in {text!r}. Type it as {LONLAT_TEXT_EXAMPLE} (use a point, not a comma, for decimals)",
            zh=f"需要两个数：先经度、后纬度，用逗号分隔；而 {text!r} 分出了 {len(parts)} 段。"
            f"请按 {LONLAT_TEXT_EXAMPLE} 的格式填写（小数点用“.”，不要用逗号）",
        )
    numbers = [parse_number(part) for part in parts]
    bad = [part for part, number in zip(parts, numbers, strict=True) if number is None]
    if bad:
        raise CoordinateError(
            f"{bad[0]!r} is not a number (in {text!r}); type the point as {LONLAT_TEXT_EXAMPLE}",
            zh=f"{bad[0]!r} 不是数字（输入为 {text!r}）；请按 {LONLAT_TEXT_EXAMPLE} 的格式填写",
        )
    lon, lat = (float(n) for n in numbers if n is not None)
    return check_lonlat(lon, lat)


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
        return {
            "lon_wgs84": self.lon_wgs84,
            "lat_wgs84": self.lat_wgs84,
            "datum": self.datum,
            "unit": self.unit,
            "corridors": self.corridors,
            "message": self.message,
        }


def locate_point(
    lon: float,
    lat: float,
    *,
    datum: str = "wgs84",
    units: pd.DataFrame,
    corridors: pd.DataFrame,
    members: pd.DataFrame,
    grid=None,
) -> Location:
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
        return Location(w_lon_f, w_lat_f, datum_name, None, [], "the point is outside Suzhou's ten planning units")
    adcode = str(grid.codes[index])
    found = corridors_of_unit(adcode, units=units, corridors=corridors, members=members)
    name = found["unit"]["name_zh"]
    return Location(
        w_lon_f, w_lat_f, datum_name, found["unit"], found["corridors"], f"the point is in {name} ({adcode})"
    )


def address_precision(found: AddressMatch) -> str | None:
    """``address-town`` when the words name the town (or a zone whose town is known),
    ``address-unit`` when they settle only the unit, None when unplaced."""
    if found.unit is None:
        return None
    return "address-town" if found.town else "address-unit"


def locate_address(
    address: str, *, gazetteer: Gazetteer, units: pd.DataFrame, corridors: pd.DataFrame, members: pd.DataFrame
) -> dict:
    """Where an address lies, by the names it contains (``spatial.address``), answered like a
    point: ``unit`` (None unless settled) and ``corridors``, plus ``match`` (text, level, town_zh),
    ``precision``, ``ambiguous`` (candidate units) and ``outside`` (the other place it names)."""
    found = gazetteer.match(address)
    placed = corridors_of_unit(found.unit, units=units, corridors=corridors, members=members) if found.unit else None
    return {
        "address": address,
        "unit": placed["unit"] if placed else None,
        "corridors": placed["corridors"] if placed else [],
        "match": {"text": found.text, "level": found.level, "town_zh": found.town or None} if placed else None,
        "precision": address_precision(found),
        "ambiguous": [unit_record(units, code) for code in found.ambiguous],
        "outside": found.outside or None,
    }
