"""Build the facility layer (labs, universities, centres, parks, zones) as EPSG:4326 points."""

from __future__ import annotations

import math
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers._io import raise_if_problems, read_table, require_columns
from layers.sources import attach_sources, load_sources, reference_problems
from layers.water import unit_label_points
from spatial.datum import DATUMS, convert_lonlat

FACILITY_CATEGORIES = (
    "lab",
    "university",
    "research institute",
    "innovation centre",
    "computing centre",
    "platform",
    "park",
    "innovation district",
    "national zone",
)
# How well a row's position is known. "site" and "campus" stand at their own cited coordinate;
# "sub-area" rows stand at the cited coordinate of the named town, park or new town that holds
# them (geodata/sub_areas.csv), grouped there as one marker; "unit" rows are known only to their
# county-level unit and have no point at all (shown as a count at the unit's label and in lists).
PRECISION_CLASSES = ("site", "campus", "sub-area", "unit")
OWN_POINT = ("site", "campus")
FACILITY_COLUMNS = [
    "facility_id",
    "name_zh",
    "name_en",
    "category",
    "adcode",
    "precision",
    "sub_area_id",
    "town_code",
    "lon",
    "lat",
    "source_datum",
    "coord_source_id",
    "coord_detail",
    "source_id",
    "plan_section",
    "plan_name",
    "note_zh",
    "note_en",
]
SUB_AREA_COLUMNS = [
    "sub_area_id",
    "name_zh",
    "name_en",
    "adcode",
    "lon",
    "lat",
    "source_datum",
    "coord_source_id",
    "coord_detail",
    "note_zh",
    "note_en",
]
COORDINATE_FIELDS = ("lon", "lat", "source_datum", "coord_source_id", "coord_detail")
UNPLACED_COLUMNS = [
    "facility_id",
    "name_zh",
    "name_en",
    "category",
    "plan_section",
    "plan_name",
    "reason_zh",
    "reason_en",
]
CONTEXT_SECTION = "context"  # an item the plan does not name, shown for context with its own source


def plan_citation_problems(table) -> list[str]:
    """Rows whose ``plan_section`` does not name their ``plan_name`` (geodata/plan_mentions.csv,
    built from the plan's text by scripts/build_plan_mentions.py), and context rows with a plan_name."""
    mentioned = {(row.section, row.plan_name) for row in read_table("plan_mentions").itertuples(index=False)}
    problems = []
    for pos, row in enumerate(table.itertuples(index=False), start=2):
        if row.plan_section == CONTEXT_SECTION:
            if row.plan_name:
                problems.append(f"line {pos} ({row.facility_id}): a context item cannot have a plan_name")
        elif (row.plan_section, row.plan_name) not in mentioned:
            problems.append(
                f"line {pos} ({row.facility_id}): section {row.plan_section} does not name {row.plan_name!r}; "
                "rebuild geodata/plan_mentions.csv (scripts/build_plan_mentions.py) or correct the row"
            )
    return problems


def present_categories(facilities) -> list[str]:
    """The categories that have at least one facility, in the one fixed order of FACILITY_CATEGORIES."""
    found = set(facilities["category"])
    return [category for category in FACILITY_CATEGORIES if category in found]


def _coordinate_problems(row, where: str) -> list[str]:
    """What is wrong with a row's own coordinate: lon/lat, datum and its cited source."""
    problems = []
    if row.source_datum not in DATUMS:
        problems.append(f"{where}: source_datum {row.source_datum!r} not in {DATUMS}")
    if not (row.coord_source_id and row.coord_detail):
        problems.append(f"{where}: coord_source_id (geodata/sources.csv) and coord_detail (what it gives) are required")
    try:
        lon, lat = float(row.lon), float(row.lat)
    except ValueError:
        lon = lat = math.nan
    if not (math.isfinite(lon) and math.isfinite(lat)):
        problems.append(f"{where}: lon/lat {row.lon!r}/{row.lat!r} are not finite numbers")
    return problems


def _to_wgs84(table):
    """lon/lat as WGS84 floats; rows recorded in GCJ-02 or BD-09 are converted (source_datum keeps the original)."""
    lon = np.asarray(table["lon"].replace("", "nan").astype(float))
    lat = np.asarray(table["lat"].replace("", "nan").astype(float))
    for datum in ("gcj02", "bd09"):
        mask = (table["source_datum"] == datum).to_numpy()
        if mask.any():
            lon[mask], lat[mask] = convert_lonlat(lon[mask], lat[mask], source=datum, target="wgs84")
    return lon, lat


def load_sub_areas(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The named towns, parks and new towns that hold facilities, each at its cited coordinate (WGS84)."""
    table = read_table("sub_areas")
    require_columns(table, SUB_AREA_COLUMNS, "sub_areas")
    known_units = set(units["adcode"])
    sources = load_sources()
    problems = reference_problems(table, "coord_source_id", set(sources["source_id"]), name="sub_areas", required=True)
    for pos, row in enumerate(table.itertuples(index=False), start=2):
        where = f"line {pos} ({row.sub_area_id})"
        problems += _coordinate_problems(row, where)
        if row.adcode not in known_units:
            problems.append(f"{where}: unknown adcode {row.adcode!r}")
        if not (row.note_zh and row.note_en):
            problems.append(f"{where}: note_zh and note_en are required")
        if not re.fullmatch(r"[a-z0-9_]+", row.sub_area_id):
            problems.append(f"{where}: sub_area_id must be lower-case letters, digits and '_'")
    dup = table["sub_area_id"][table["sub_area_id"].duplicated()].tolist()
    if dup:
        problems.append(f"duplicate sub_area_id: {dup}")
    raise_if_problems("sub_areas", problems)
    lon, lat = _to_wgs84(table)
    table = _coordinate_citations(table.assign(lon=lon, lat=lat), sources)
    return gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(lon, lat), crs=4326)


def _coordinate_citations(table: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """coord_source (the citation with its detail), coord_source_url, coord_source_kind, coord_read_at."""
    return attach_sources(table, sources, id_column="coord_source_id", prefix="coord_", detail_column="coord_detail")


def load_facilities(units: gpd.GeoDataFrame, sub_areas: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Every plan-named entity whose unit is known, validated, in WGS84 (EPSG:4326).

    "site" and "campus" rows carry their own coordinate (GCJ-02 and BD-09 are converted on
    load; ``source_datum`` keeps the original). "sub-area" rows take the coordinate of their
    sub-area (``sub_area_id``, geodata/sub_areas.csv), so several rows may share one point:
    draw them as one grouped marker (:func:`listed_places`). "unit" rows have no geometry
    (None): they are never drawn as a site. Every problem is reported at once.
    """
    if sub_areas is None:
        sub_areas = load_sub_areas(units)
    table = read_table("facilities")
    require_columns(table, FACILITY_COLUMNS, "facilities")
    known_units = set(units["adcode"])
    area_unit = dict(zip(sub_areas["sub_area_id"], sub_areas["adcode"], strict=True))
    sources = load_sources()
    known_sources = set(sources["source_id"])
    problems = reference_problems(table, "source_id", known_sources, name="facilities", required=True)
    problems += reference_problems(table, "coord_source_id", known_sources, name="facilities", required=False)
    towns = read_table("towns").set_index("code12")
    for pos, row in enumerate(table.itertuples(index=False), start=2):
        problems += _facility_problems(row, f"line {pos} ({row.facility_id})", known_units, area_unit)
        problems += _town_problems(row, f"line {pos} ({row.facility_id})", towns)
    dup = table["facility_id"][table["facility_id"].duplicated()].tolist()
    if dup:
        problems.append(f"duplicate facility_id: {dup}")
    problems += plan_citation_problems(table)
    raise_if_problems("facilities", problems)
    table = attach_sources(table, sources, id_column="source_id")
    table["town_zh"] = [towns.at[code, "name_zh"] if code else "" for code in table["town_code"]]
    return _coordinate_citations(_with_points(table, sub_areas.set_index("sub_area_id")), sources)


def _with_points(table: pd.DataFrame, areas: pd.DataFrame) -> gpd.GeoDataFrame:
    """Rows in WGS84: a sub-area row shows its sub-area's coordinate and that coordinate's source;
    a unit row has no geometry."""
    in_area = (table["precision"] == "sub-area").to_numpy()
    for field in COORDINATE_FIELDS:
        table.loc[in_area, field] = [str(areas.at[a, field]) for a in table.loc[in_area, "sub_area_id"]]
    lon, lat = _to_wgs84(table)
    geometry = [
        shapely.Point(x, y) if precision != "unit" else None
        for x, y, precision in zip(lon, lat, table["precision"], strict=True)
    ]
    return gpd.GeoDataFrame(table.assign(lon=lon, lat=lat), geometry=geometry, crs=4326)


def _facility_problems(row, where: str, known_units: set, area_unit: dict) -> list[str]:
    """What is wrong with one row of geodata/facilities.csv (empty when nothing)."""
    problems = []
    if row.category not in FACILITY_CATEGORIES:
        problems.append(f"{where}: category {row.category!r} not in {FACILITY_CATEGORIES}")
    if row.precision not in PRECISION_CLASSES:
        problems.append(f"{where}: precision {row.precision!r} not in {PRECISION_CLASSES}")
    if row.adcode not in known_units:
        problems.append(f"{where}: unknown adcode {row.adcode!r}")
    if not row.source_id:
        problems.append(f"{where}: source_id (the source for the entity and its unit) is required")
    if not (row.note_zh and row.note_en):
        problems.append(f"{where}: note_zh and note_en are required")
    own = [f for f in COORDINATE_FIELDS if getattr(row, f)]
    if row.precision in OWN_POINT:
        problems += _coordinate_problems(row, where)
    elif own:
        problems.append(f"{where}: a {row.precision!r} row has no coordinate of its own; clear {own}")
    return problems + _sub_area_problems(row, where, area_unit)


def _town_problems(row, where: str, towns: pd.DataFrame) -> list[str]:
    """A named town (``town_code``: its NBS 2023 code in geodata/towns.csv) must lie in the row's unit."""
    if not row.town_code:
        return []
    if row.town_code not in towns.index:
        return [f"{where}: town_code {row.town_code!r} is not an NBS 2023 code in geodata/towns.csv"]
    if towns.at[row.town_code, "unit_adcode"] != row.adcode:
        return [f"{where}: town {row.town_code} lies in {towns.at[row.town_code, 'unit_adcode']}, not {row.adcode}"]
    return []


def _sub_area_problems(row, where: str, area_unit: dict) -> list[str]:
    if row.precision != "sub-area":
        return (
            [f"{where}: sub_area_id is only for 'sub-area' rows (precision {row.precision!r})"]
            if row.sub_area_id
            else []
        )
    if row.sub_area_id not in area_unit:
        return [f"{where}: sub_area_id {row.sub_area_id!r} is not in geodata/sub_areas.csv"]
    if area_unit[row.sub_area_id] != row.adcode:
        return [f"{where}: sub-area {row.sub_area_id} lies in {area_unit[row.sub_area_id]}, not {row.adcode}"]
    return []


def drawn_as_sites(facilities: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The rows drawn as individual points: those at their own site or campus coordinate."""
    return facilities.loc[facilities["precision"].isin(OWN_POINT)]


def listed_places(
    facilities: gpd.GeoDataFrame, sub_areas: gpd.GeoDataFrame, units: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """One grouped marker per sub-area and per unit that holds rows without a site of their own.

    Returns place_id, kind ("sub-area" or "unit"), adcode, name_zh, name_en, facility_ids
    (tuple, in table order) and n, with the sub-area's cited point or the unit's label point
    (where its name is drawn, :func:`layers.water.unit_label_points`) as geometry, EPSG:4326.
    A marker at a unit label stands for "known only to this unit", never for a site.
    """
    records = []
    for area in sub_areas.itertuples(index=False):
        ids = tuple(facilities.loc[facilities["sub_area_id"] == area.sub_area_id, "facility_id"])
        if ids:
            records.append(("sub-area", area.sub_area_id, area.adcode, area.name_zh, area.name_en, ids, area.geometry))
    unit_rows = facilities.loc[facilities["precision"] == "unit"]
    labels = dict(zip(units["adcode"], unit_label_points(units), strict=True))
    for unit in units.itertuples(index=False):
        ids = tuple(unit_rows.loc[unit_rows["adcode"] == unit.adcode, "facility_id"])
        if ids:
            records.append(("unit", unit.adcode, unit.adcode, unit.name_zh, unit.name_en, ids, labels[unit.adcode]))
    frame = pd.DataFrame(
        records, columns=["kind", "place_id", "adcode", "name_zh", "name_en", "facility_ids", "geometry"]
    )
    frame["n"] = frame["facility_ids"].map(len)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=4326)


def load_unplaced_facilities(placed: gpd.GeoDataFrame | None = None):
    """Return the plan-named facilities that have no point yet, each with the reason (zh, en).

    These are kept apart rather than given an invented coordinate; the app lists them so a
    planner sees what the map leaves out. An id already used by a placed facility is an error.
    """
    table = read_table("facilities_unplaced")
    require_columns(table, UNPLACED_COLUMNS, "facilities_unplaced")
    problems = []
    for pos, row in enumerate(table.itertuples(index=False), start=2):
        if row.category not in FACILITY_CATEGORIES:
            problems.append(f"line {pos} ({row.facility_id}): category {row.category!r} not in {FACILITY_CATEGORIES}")
        if not (row.reason_zh and row.reason_en):
            problems.append(f"line {pos} ({row.facility_id}): reason_zh and reason_en are required")
    dup = table["facility_id"][table["facility_id"].duplicated()].tolist()
    if dup:
        problems.append(f"duplicate facility_id: {dup}")
    problems += plan_citation_problems(table)
    if placed is not None:
        both = sorted(set(table["facility_id"]) & set(placed["facility_id"]))
        if both:
            problems.append(f"facility_id both placed and unplaced: {both}")
    raise_if_problems("facilities_unplaced", problems)
    return table
