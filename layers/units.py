"""Build the planning-units layer: the ten county-level units of Suzhou in EPSG:4326."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

import geodata
from layers._io import raise_if_problems, require_columns
from layers.sources import attach_sources, load_sources, reference_problems

UNIT_COLUMNS = [
    "adcode",
    "name_zh",
    "name_en",
    "kind",
    "aliases",
    "area_published_km2",
    "area_source_id",
    "area_detail",
    "land_published_km2",
    "land_source_id",
    "land_detail",
    "boundary_precision",
]
# Each figure's sources spelt out for readers (layers.sources.attach_sources): the citation with its
# detail, the publishers' addresses, the first source's kind and the copies read.
AREA_CITATION = ("area_source", "area_source_url", "area_source_kind", "area_read_at")
LAND_CITATION = ("land_source", "land_source_url", "land_source_kind", "land_read_at")
UNIT_KINDS = {"district", "county-level city", "functional zone"}
EXPECTED_UNIT_COUNT = 10


def validate_units(frame: gpd.GeoDataFrame, *, source: str = "units") -> None:
    """Raise DataValidationError listing every problem of a units frame."""
    require_columns(frame, UNIT_COLUMNS, source)
    problems: list[str] = []
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        problems.append(f"CRS must be EPSG:4326, got {frame.crs}")
    if len(frame) != EXPECTED_UNIT_COUNT:
        problems.append(f"expected {EXPECTED_UNIT_COUNT} units, got {len(frame)}")
    for pos, row in enumerate(frame.itertuples(index=False), start=1):
        code = str(row.adcode)
        if not (code.isdigit() and len(code) == 6):
            problems.append(f"row {pos}: adcode {code!r} is not a 6-digit code")
        if row.kind not in UNIT_KINDS:
            problems.append(f"row {pos} ({code}): kind {row.kind!r} not in {sorted(UNIT_KINDS)}")
        if not row.name_zh or not row.name_en:
            problems.append(f"row {pos} ({code}): name_zh and name_en are required")
        geom = row.geometry
        if geom is None or geom.is_empty:
            problems.append(f"row {pos} ({code}): empty geometry")
        elif not shapely.is_valid(geom):
            problems.append(f"row {pos} ({code}): invalid geometry ({shapely.is_valid_reason(geom)})")
    duplicated = frame["adcode"][frame["adcode"].duplicated()].tolist()
    if duplicated:
        problems.append(f"duplicate adcodes: {duplicated}")
    raise_if_problems(source, problems)


def load_units() -> gpd.GeoDataFrame:
    """Return the ten planning units as a new, validated GeoDataFrame in EPSG:4326.

    Returns
    -------
    GeoDataFrame with columns adcode (6-digit str), name_zh, name_en, kind, aliases
    (``|``-separated), area_published_km2 (total incl. lake water, float) with area_source_id (the
    documents of geodata/sources.csv) and area_detail (what they give), land_published_km2 (NaN where
    no land figure is published) with land_source_id and land_detail, boundary_precision, the
    citations spelt out (:data:`AREA_CITATION`, :data:`LAND_CITATION`; empty for land where no
    figure is published), geometry (MultiPolygon/Polygon, WGS84).
    """
    frame = gpd.read_file(geodata.path("units"))
    frame["adcode"] = frame["adcode"].astype(str)
    for column in ("area_published_km2", "land_published_km2"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    for column in ("area_source_id", "area_detail", "land_source_id", "land_detail"):
        frame[column] = frame[column].fillna("")
    frame = frame[[*UNIT_COLUMNS, "geometry"]].set_crs(4326, allow_override=True)
    validate_units(frame)
    _check_citations(frame)
    frame = _with_citations(frame)
    return frame.sort_values("adcode").reset_index(drop=True)


def _check_citations(frame: gpd.GeoDataFrame) -> None:
    """Every published figure names its sources (known to geodata/sources.csv) and what they give;
    a land figure that is not published has none."""
    known = set(load_sources()["source_id"])
    problems = reference_problems(frame, "area_source_id", known, name="units", required=True)
    problems += reference_problems(frame, "land_source_id", known, name="units", required=False)
    for row in frame.itertuples(index=False):
        if not row.area_detail:
            problems.append(f"{row.adcode}: area_detail (what the source gives) is required")
        if pd.notna(row.land_published_km2) != bool(row.land_source_id and row.land_detail):
            problems.append(
                f"{row.adcode}: a land figure needs land_source_id and land_detail, and only a figure has them"
            )
    raise_if_problems("units", problems)


def _with_citations(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    sources = load_sources()
    frame = attach_sources(frame, sources, id_column="area_source_id", prefix="area_", detail_column="area_detail")
    frame = attach_sources(frame, sources, id_column="land_source_id", prefix="land_", detail_column="land_detail")
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=4326)


def load_municipal_outline() -> gpd.GeoDataFrame:
    """The source's outline of Suzhou municipality (adcode 320500), EPSG:4326."""
    return gpd.read_file(geodata.path("municipal_outline")).set_crs(4326, allow_override=True)


CONTEXT_COLUMNS = ["adcode", "name_zh", "name_en"]


def load_context_cities() -> gpd.GeoDataFrame:
    """The cities around Suzhou (Shanghai, Wuxi, Nantong, Jiaxing, Huzhou), simplified, EPSG:4326.

    For context on maps and figures only: clipped to 60 km around Suzhou and simplified by
    300 m, so never measured. Columns: adcode, name_zh, name_en, geometry.
    """
    return _load_named_context("context_cities")


def load_context_provinces() -> gpd.GeoDataFrame:
    """Shanghai, Jiangsu and Zhejiang, simplified by 1 km, EPSG:4326: the locator inset's delta.

    Never measured. Columns: adcode, name_zh, name_en, geometry.
    """
    return _load_named_context("context_provinces")


def _load_named_context(name: str) -> gpd.GeoDataFrame:
    """A context dataset of named areas (adcode, name_zh, name_en), checked: EPSG:4326, valid shapes."""
    frame = gpd.read_file(geodata.path(name))
    require_columns(frame, CONTEXT_COLUMNS, f"{name}.geojson")
    problems = [
        f"{row.adcode}: empty or invalid geometry"
        for row in frame.itertuples(index=False)
        if row.geometry is None or row.geometry.is_empty or not shapely.is_valid(row.geometry)
    ]
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        problems.append(f"CRS must be EPSG:4326, got {frame.crs}")
    raise_if_problems(name, problems)
    frame["adcode"] = frame["adcode"].astype(str)
    return frame[[*CONTEXT_COLUMNS, "geometry"]]
