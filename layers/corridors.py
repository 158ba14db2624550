"""Build the corridor layers: six corridors (member zone, spine, footprint), their members and roles."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

import geodata
from layers._io import raise_if_problems, read_table, require_columns
from layers.sources import attach_sources, load_sources, reference_problems
from layers.water import load_water
from spatial.corridor_geometry import footprint, land, members_beyond_band
from spatial.crs import PLANNING_CRS

CORRIDOR_IDS = ("ring", "huning", "tongsujia", "taihu", "yangtze", "hongqiao")
CORRIDOR_KINDS = {"ring", "axis", "belt"}
MEMBER_COLUMNS = ["corridor_id", "adcode", "role_zh", "role_en", "group_zh", "group_en"]


def load_corridor_members(units: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return the corridor membership table (one row per corridor x unit), validated.

    Columns: corridor_id, adcode, role_zh, role_en, group_zh, group_en.
    Every adcode must be one of ``units``; every corridor_id one of CORRIDOR_IDS.
    """
    members = read_table("corridor_members")
    require_columns(members, MEMBER_COLUMNS, "corridor_members")
    known = set(units["adcode"])
    problems = []
    for pos, row in enumerate(members.itertuples(index=False), start=2):
        if row.corridor_id not in CORRIDOR_IDS:
            problems.append(f"line {pos}: unknown corridor_id {row.corridor_id!r}")
        if row.adcode not in known:
            problems.append(f"line {pos}: unknown adcode {row.adcode!r}")
        if not row.role_zh or not row.role_en:
            problems.append(f"line {pos}: role_zh and role_en are required")
    dup = members.duplicated(["corridor_id", "adcode"])
    problems += [f"line {i + 2}: duplicate corridor/unit pair" for i in dup[dup].index]
    raise_if_problems("corridor_members", problems)
    return members[MEMBER_COLUMNS].copy()


def load_corridor_functions() -> pd.DataFrame:
    """Functions the plan assigns to a corridor as a whole (corridor_id, function_zh, function_en)."""
    return read_table("corridor_functions")


ANCHOR_COLUMNS = [
    "anchor_id",
    "name_zh",
    "name_en",
    "kind",
    "lon",
    "lat",
    "datum",
    "precision",
    "source_id",
    "coord_detail",
]
ANCHOR_KINDS = ("city", "hub")  # a city is named by the context layer; a hub gets its own labelled marker


def load_anchors() -> gpd.GeoDataFrame:
    """Outside places the corridors link to (Shanghai, the Hongqiao hub, ...), EPSG:4326 points.

    Columns: anchor_id, name_zh, name_en, kind (city or hub), lon, lat, datum, precision,
    source_id (documents of geodata/sources.csv) and coord_detail (what they give), and the citation
    spelt out (``layers.sources.attach_sources``): source, source_url, source_kind, read_at.
    """
    table = read_table("anchors")
    require_columns(table, ANCHOR_COLUMNS, "anchors")
    sources = load_sources()
    bad = reference_problems(table, "source_id", set(sources["source_id"]), name="anchors", required=True)
    for row in table.itertuples(index=False):
        if row.kind not in ANCHOR_KINDS:
            bad.append(f"{row.anchor_id}: kind {row.kind!r} not in {ANCHOR_KINDS}")
        if not row.coord_detail:
            bad.append(f"{row.anchor_id}: coord_detail (what the source gives) is required")
    raise_if_problems("anchors", bad)
    table = attach_sources(table, sources, id_column="source_id", detail_column="coord_detail")
    return gpd.GeoDataFrame(
        table, geometry=gpd.points_from_xy(table["lon"].astype(float), table["lat"].astype(float)), crs=4326
    )


DEFAULT_BAND_KM = {"ring": 3.0, "axis": 5.0, "belt": 10.0}  # used when corridors.csv leaves band_km blank
SPINE_PRECISIONS = ("traced", "schematic")
BAND_REACH_MIN_KM2 = 5.0  # a member with less of its land in the footprint is drawn as a member beyond the band


def _band_km(row) -> float:
    value = str(row.band_km).strip() if row.band_km is not None else ""
    return float(value) if value and value.lower() != "nan" else DEFAULT_BAND_KM[row.kind]


def corridor_footprints(
    spines: gpd.GeoSeries, band_km: list[float], member_adcodes: list[tuple[str, ...]], units, water
) -> tuple[list[shapely.Geometry], list[float], list[float], list[tuple[str, ...]]]:
    """Each corridor's footprint (EPSG:4326), its area and its members' total land (km2, EPSG:4549),
    and the members beyond its band (less than BAND_REACH_MIN_KM2 of their land in the footprint).

    Land is a unit minus the water layer; the footprint is the members' land within
    ``band_km`` of the spine (``spatial.corridor_geometry.footprint``).
    """
    all_water = shapely.union_all(water.geometry.to_crs(PLANNING_CRS).values) if water is not None else None
    planar_units = units.geometry.to_crs(PLANNING_CRS)
    land_by_code = {
        code: (land(geom, all_water) if all_water is not None else geom)
        for code, geom in zip(units["adcode"], planar_units.values, strict=True)
    }
    planar_spines = spines.to_crs(PLANNING_CRS).values
    shapes, footprint_km2, members_km2, beyond = [], [], [], []
    for spine, band, codes in zip(planar_spines, band_km, member_adcodes, strict=True):
        members_land = shapely.union_all([land_by_code[c] for c in codes])
        shape = footprint(spine, band * 1000.0, members_land)
        shapes.append(shape)
        footprint_km2.append(round(shape.area / 1e6, 1))
        members_km2.append(round(sum(land_by_code[c].area for c in codes) / 1e6, 1))
        lands = {c: land_by_code[c] for c in codes}
        beyond.append(members_beyond_band(lands, shape, min_area_m2=BAND_REACH_MIN_KM2 * 1e6))
    as_wgs = gpd.GeoSeries(shapes, crs=PLANNING_CRS).to_crs(4326)
    return list(as_wgs.values), footprint_km2, members_km2, beyond


def load_corridors(units: gpd.GeoDataFrame, members: pd.DataFrame | None = None, water=None) -> gpd.GeoDataFrame:
    """Return the six corridors with their member zone, spine and footprint, EPSG:4326.

    Parameters
    ----------
    units : GeoDataFrame
        The planning units (see ``layers.load_units``); zones are unions of member units.
    members : DataFrame, optional
        Membership table; loaded when not given.
    water : GeoDataFrame, optional
        The water layer (``layers.load_water``), loaded when not given; footprints and land
        totals leave it out.

    Returns
    -------
    GeoDataFrame with columns id, name_zh, name_en, kind, order, band_km, summary_zh,
    summary_en, plan_section, member_adcodes (tuple of str), zone (union of the member units,
    active geometry), spine (LineString or MultiLineString), spine_method, spine_precision
    (traced or schematic), spine_feature_zh/_en, footprint (the members' land within band_km
    of the spine), footprint_land_km2 and members_land_km2 (EPSG:4549), beyond_band_adcodes
    (tuple of str: the members with less than BAND_REACH_MIN_KM2 of their land in the footprint, so
    that a map of the band alone would not show them).
    """
    members = load_corridor_members(units) if members is None else members
    if water is None:
        water = load_water()
    table = read_table("corridors")
    missing = [f"corridor {cid!r} missing" for cid in CORRIDOR_IDS if cid not in set(table["id"])]
    raise_if_problems("corridors", missing)
    return build_corridors(table, load_spines(), units, members, water)


def load_spines() -> gpd.GeoDataFrame:
    """The plan's built spines (index id; spine_method, spine_precision, spine_feature_zh/_en), EPSG:4326."""
    return gpd.read_file(geodata.path("corridor_spines")).set_index("id")


def build_corridors(
    table: pd.DataFrame, spines: gpd.GeoDataFrame, units: gpd.GeoDataFrame, members: pd.DataFrame, water
) -> gpd.GeoDataFrame:
    """Corridors from a corridor table (the columns of corridors.csv, text or numbers) and their
    spines, with zones and footprints over ``units``; see :func:`load_corridors`."""
    problems = [f"corridor {cid!r} has no spine" for cid in table["id"] if cid not in spines.index]
    problems += [
        f"corridor {row.id!r}: kind {row.kind!r} not in {sorted(CORRIDOR_KINDS)}"
        for row in table.itertuples()
        if row.kind not in CORRIDOR_KINDS
    ]
    problems += [
        f"corridor {cid!r}: spine precision {value!r} not in {SPINE_PRECISIONS}"
        for cid, value in spines.get("spine_precision", pd.Series(dtype=str)).items()
        if value not in SPINE_PRECISIONS
    ]
    raise_if_problems("corridors", problems)
    geom_by_code = dict(zip(units["adcode"], units.geometry, strict=True))
    member_codes = {cid: tuple(grp["adcode"]) for cid, grp in members.groupby("corridor_id", sort=False)}
    table = table.assign(
        order=table["order"].astype(int),
        band_km=[_band_km(row) for row in table.itertuples()],
        member_adcodes=[member_codes.get(cid, ()) for cid in table["id"]],
    )
    zones = [shapely.union_all([geom_by_code[c] for c in codes]) for codes in table["member_adcodes"]]
    frame = gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(zones, crs=4326), crs=4326)
    frame = frame.rename_geometry("zone")
    spine_series = gpd.GeoSeries([spines.geometry[cid] for cid in frame["id"]], crs=4326)
    frame["spine"] = spine_series.values
    for column in ("spine_method", "spine_precision", "spine_feature_zh", "spine_feature_en"):
        frame[column] = [spines[column][cid] for cid in frame["id"]]
    shapes, footprint_km2, members_km2, beyond = corridor_footprints(
        spine_series, list(frame["band_km"]), list(frame["member_adcodes"]), units, water
    )
    frame["footprint"] = gpd.GeoSeries(shapes, crs=4326).values
    frame["footprint_land_km2"] = footprint_km2
    frame["members_land_km2"] = members_km2
    frame["beyond_band_adcodes"] = beyond
    return frame.sort_values("order").reset_index(drop=True)
