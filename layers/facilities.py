"""Build the facility layer (labs, universities, centres, parks, zones) as EPSG:4326 points."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np

from layers._io import raise_if_problems, read_table, require_columns
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
PRECISION_CLASSES = ("site", "campus", "district centre", "planned")
FACILITY_COLUMNS = [
    "facility_id",
    "name_zh",
    "name_en",
    "category",
    "adcode",
    "lon",
    "lat",
    "source_datum",
    "precision",
    "source_url",
    "coord_source",
    "plan_section",
    "plan_name",
    "note",
]
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


def load_facilities(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the facility points, validated and converted to WGS84 (EPSG:4326).

    Rows recorded in GCJ-02 or BD-09 are converted on load; ``source_datum`` keeps the
    original. Every problem (unknown category, precision or unit, bad coordinate) is
    reported at once.
    """
    table = read_table("facilities")
    require_columns(table, FACILITY_COLUMNS, "facilities")
    known_units = set(units["adcode"])
    problems = []
    lons, lats = [], []
    for pos, row in enumerate(table.itertuples(index=False), start=2):
        if row.category not in FACILITY_CATEGORIES:
            problems.append(f"line {pos} ({row.facility_id}): category {row.category!r} not in {FACILITY_CATEGORIES}")
        if row.precision not in PRECISION_CLASSES:
            problems.append(f"line {pos} ({row.facility_id}): precision {row.precision!r} not in {PRECISION_CLASSES}")
        if row.adcode not in known_units:
            problems.append(f"line {pos} ({row.facility_id}): unknown adcode {row.adcode!r}")
        if row.source_datum not in DATUMS:
            problems.append(f"line {pos} ({row.facility_id}): source_datum {row.source_datum!r} not in {DATUMS}")
        if not row.source_url:
            problems.append(f"line {pos} ({row.facility_id}): source_url is required")
        if not row.coord_source:
            problems.append(
                f"line {pos} ({row.facility_id}): coord_source (where the coordinate comes from) is required"
            )
        try:
            lon, lat = float(row.lon), float(row.lat)
            if not (math.isfinite(lon) and math.isfinite(lat)):
                raise ValueError
        except ValueError:
            problems.append(f"line {pos} ({row.facility_id}): lon/lat {row.lon!r}/{row.lat!r} are not finite numbers")
            lon = lat = math.nan
        lons.append(lon)
        lats.append(lat)
    dup = table["facility_id"][table["facility_id"].duplicated()].tolist()
    if dup:
        problems.append(f"duplicate facility_id: {dup}")
    problems += plan_citation_problems(table)
    raise_if_problems("facilities", problems)
    lon_arr, lat_arr = np.asarray(lons), np.asarray(lats)
    for datum in ("gcj02", "bd09"):
        mask = (table["source_datum"] == datum).to_numpy()
        if mask.any():
            lon_arr[mask], lat_arr[mask] = convert_lonlat(lon_arr[mask], lat_arr[mask], source=datum, target="wgs84")
    out = table.assign(lon=lon_arr, lat=lat_arr)
    return gpd.GeoDataFrame(out, geometry=gpd.points_from_xy(lon_arr, lat_arr), crs=4326)


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
