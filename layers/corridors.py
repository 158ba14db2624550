"""Build the corridor layers: six corridors (zone + schematic spine), their members and roles."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

import geodata
from layers._io import raise_if_problems, read_table, require_columns

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


ANCHOR_KINDS = ("city", "hub")  # a city is named by the context layer; a hub gets its own labelled marker


def load_anchors() -> gpd.GeoDataFrame:
    """Outside places the corridors link to (Shanghai, the Hongqiao hub, ...), EPSG:4326 points.

    Columns: anchor_id, name_zh, name_en, kind (city or hub), lon, lat, datum, precision, source.
    """
    table = read_table("anchors")
    bad = [
        f"{row.anchor_id}: kind {row.kind!r} not in {ANCHOR_KINDS}"
        for row in table.itertuples(index=False)
        if row.kind not in ANCHOR_KINDS
    ]
    raise_if_problems("anchors", bad)
    return gpd.GeoDataFrame(
        table, geometry=gpd.points_from_xy(table["lon"].astype(float), table["lat"].astype(float)), crs=4326
    )


def load_corridors(units: gpd.GeoDataFrame, members: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """Return the six corridors with a zone polygon and a schematic spine, EPSG:4326.

    Parameters
    ----------
    units : GeoDataFrame
        The planning units (see ``layers.load_units``); zones are unions of member units.
    members : DataFrame, optional
        Membership table; loaded when not given.

    Returns
    -------
    GeoDataFrame with columns id, name_zh, name_en, kind, order, summary_zh, summary_en,
    plan_section, member_adcodes (tuple of str), zone (Polygon/MultiPolygon, active
    geometry), spine (LineString, schematic).
    """
    members = load_corridor_members(units) if members is None else members
    table = read_table("corridors")
    spines = gpd.read_file(geodata.path("corridor_spines")).set_index("id")
    problems = [f"corridor {cid!r} missing" for cid in CORRIDOR_IDS if cid not in set(table["id"])]
    problems += [f"corridor {cid!r} has no spine" for cid in table["id"] if cid not in spines.index]
    problems += [
        f"corridor {row.id!r}: kind {row.kind!r} not in {sorted(CORRIDOR_KINDS)}"
        for row in table.itertuples()
        if row.kind not in CORRIDOR_KINDS
    ]
    raise_if_problems("corridors", problems)
    geom_by_code = dict(zip(units["adcode"], units.geometry, strict=True))
    member_codes = {cid: tuple(grp["adcode"]) for cid, grp in members.groupby("corridor_id", sort=False)}
    table = table.assign(
        order=table["order"].astype(int),
        member_adcodes=[member_codes.get(cid, ()) for cid in table["id"]],
    )
    zones = [shapely.union_all([geom_by_code[c] for c in codes]) for codes in table["member_adcodes"]]
    frame = gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(zones, crs=4326), crs=4326)
    frame = frame.rename_geometry("zone")
    frame["spine"] = gpd.GeoSeries([spines.geometry[cid] for cid in frame["id"]], crs=4326).values
    return frame.sort_values("order").reset_index(drop=True)
