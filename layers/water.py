"""Build the water layer (Lake Taihu's part in Suzhou, the other large lakes, the Yangtze) in EPSG:4326."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

import geodata
from layers._io import raise_if_problems, read_table, require_columns
from layers.sources import attach_sources, load_sources, reference_problems
from spatial.corridor_geometry import label_point, land
from spatial.crs import PLANNING_CRS

WATER_KINDS = ("lake", "river")
WATER_COLUMNS = ["water_id", "name_zh", "name_en", "kind", "area_in_suzhou_km2"]
BODY_COLUMNS = [
    "water_id",
    "name_zh",
    "name_en",
    "kind",
    "ref_lon",
    "ref_lat",
    "ref_source_id",
    "ref_detail",
    "published_area_km2",
    "area_source_id",
    "area_detail",
    "published_area_note",
    "note_source_ids",
]


def load_water() -> gpd.GeoDataFrame:
    """The water bodies, EPSG:4326, with their published areas and sources (geodata/water_bodies.csv).

    Columns: water_id, name_zh, name_en, kind (lake or river), area_in_suzhou_km2 (EPSG:4549),
    area_whole_gshhg_km2 (lakes, geodesic), published_area_km2 with area_source_id (documents of
    geodata/sources.csv) and area_detail (what they give), the citation spelt out
    (published_area_source, published_area_source_url, published_area_source_kind,
    published_area_read_at: empty where no figure is published), published_area_note, geometry.
    """
    frame = gpd.read_file(geodata.path("water"), engine="pyogrio")
    bodies = read_table("water_bodies")
    require_columns(frame, WATER_COLUMNS, "water.geojson")
    require_columns(bodies, BODY_COLUMNS, "water_bodies.csv")
    problems = []
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        problems.append(f"CRS must be EPSG:4326, got {frame.crs}")
    for row in frame.itertuples(index=False):
        if row.kind not in WATER_KINDS:
            problems.append(f"{row.water_id}: kind {row.kind!r} not in {WATER_KINDS}")
        if row.geometry is None or row.geometry.is_empty or not shapely.is_valid(row.geometry):
            problems.append(f"{row.water_id}: empty or invalid geometry")
    unknown = sorted(set(frame["water_id"]) - set(bodies["water_id"]))
    if unknown:
        problems.append(f"water bodies without a row in water_bodies.csv: {unknown}")
    sources = load_sources()
    problems += _citation_problems(bodies, set(sources["source_id"]))
    raise_if_problems("water", problems)
    extra = attach_sources(
        bodies[["water_id", "published_area_km2", "area_source_id", "area_detail", "published_area_note"]],
        sources,
        id_column="area_source_id",
        prefix="published_area_",
        detail_column="area_detail",
    )
    out = frame.merge(extra, on="water_id", how="left")
    out["published_area_km2"] = pd.to_numeric(out["published_area_km2"], errors="coerce")
    return gpd.GeoDataFrame(out, geometry="geometry", crs=4326)


def _citation_problems(bodies: pd.DataFrame, known: set[str]) -> list[str]:
    """Each reference point and published area names its documents and what they give."""
    problems = reference_problems(bodies, "ref_source_id", known, name="water_bodies", required=True)
    problems += reference_problems(bodies, "area_source_id", known, name="water_bodies", required=False)
    problems += reference_problems(bodies, "note_source_ids", known, name="water_bodies", required=False)
    for row in bodies.itertuples(index=False):
        if not row.ref_detail:
            problems.append(f"{row.water_id}: ref_detail (the coordinate the source gives) is required")
        if bool(row.published_area_km2) != bool(row.area_source_id and row.area_detail):
            problems.append(f"{row.water_id}: a published area needs area_source_id and area_detail, and only one has")
    return problems


CONTEXT_WATER_KINDS = ("lake", "river_sea")


def load_water_context() -> gpd.GeoDataFrame:
    """All the water within 60 km of Suzhou (GSHHG, simplified by 100 m), EPSG:4326: context only.

    The whole of Lake Taihu and the other lakes (their islands left out) and the Yangtze's full
    width (with the sea beyond the coast), drawn beyond Suzhou's border where the neighbours' land
    polygons would cover them; never measured (Suzhou's water is ``load_water``).
    Columns: kind (lake or river_sea), gshhg_record (a lake's GSHHG record; None for river_sea), geometry.
    """
    frame = gpd.read_file(geodata.path("water_context"), engine="pyogrio")
    require_columns(frame, ["kind", "gshhg_record"], "water_context.geojson")
    problems = [
        f"row {pos}: kind {row.kind!r} not in {CONTEXT_WATER_KINDS}"
        for pos, row in enumerate(frame.itertuples(index=False), start=1)
        if row.kind not in CONTEXT_WATER_KINDS
    ]
    problems += [
        f"row {pos}: empty or invalid geometry"
        for pos, geometry in enumerate(frame.geometry, start=1)
        if geometry is None or geometry.is_empty or not shapely.is_valid(geometry)
    ]
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        problems.append(f"CRS must be EPSG:4326, got {frame.crs}")
    raise_if_problems("water_context", problems)
    frame["gshhg_record"] = frame["gshhg_record"].astype("Int64")
    return frame[["kind", "gshhg_record", "geometry"]]


def with_land_and_water(units: gpd.GeoDataFrame, water: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``units`` with ``water_area_km2`` (the water layer inside each unit) and ``land_area_km2`` (the
    rest), both measured in EPSG:4549, and ``label_point`` (WGS84, on the unit's largest piece of
    land: 吴中区's name stays off 西山 island in Taihu); a new frame."""
    planar_units = units.geometry.to_crs(PLANNING_CRS)
    all_water = shapely.union_all(water.geometry.to_crs(PLANNING_CRS).values)
    dry = land(planar_units.values, all_water)  # once: the areas and the label points both use it
    land_m2 = shapely.area(dry)
    out = units.copy()
    out["water_area_km2"] = (np.clip(planar_units.area.values - land_m2, 0.0, None) / 1e6).round(1)
    out["land_area_km2"] = (land_m2 / 1e6).round(1)
    points = [label_point(unit_land) for unit_land in dry]
    out["label_point"] = gpd.GeoSeries(points, crs=PLANNING_CRS).to_crs(4326).values
    return out


def unit_label_points(units: gpd.GeoDataFrame) -> list[shapely.Point]:
    """Where each unit's name goes (WGS84): its ``label_point`` on land when ``with_land_and_water``
    made one, else a point on the unit's surface."""
    if "label_point" in units.columns:
        return list(units["label_point"])
    return list(shapely.point_on_surface(units.geometry.values))
