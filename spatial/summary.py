"""Per-corridor and per-unit summaries: members, footprint and member land, spine length, facility counts."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from spatial.crs import PLANNING_CRS, require_wgs84


def corridor_summary(
    corridors: gpd.GeoDataFrame, units: pd.DataFrame, facilities: gpd.GeoDataFrame, *, categories: tuple[str, ...]
) -> pd.DataFrame:
    """One row per corridor: members, footprint and member land (km2, EPSG:4549), spine length
    inside Suzhou (km, EPSG:4549) and precision, facility counts by category (facilities whose unit is a member).

    Columns: id, name_zh, name_en, kind, member_count, members_zh, members_en, band_km,
    footprint_land_km2 (the members' land within band_km of the spine), members_land_km2 (the
    members' land in total; no lake or river water counts in either), spine_precision,
    spine_length_km, facilities_total, n_<category> for each category.
    """
    require_wgs84(corridors, name="corridors")
    require_wgs84(facilities, name="facilities")
    zh = dict(zip(units["adcode"], units["name_zh"], strict=True))
    en = dict(zip(units["adcode"], units["name_en"], strict=True))
    city = shapely.union_all(gpd.GeoSeries(units.geometry, crs=4326).to_crs(PLANNING_CRS).values)
    spines = gpd.GeoSeries(corridors["spine"], crs=4326).to_crs(PLANNING_CRS)
    spine_km = spines.intersection(city).length / 1e3  # inside Suzhou: an axis runs on to Shanghai or Nantong
    counts = pd.crosstab(facilities["adcode"], facilities["category"]).reindex(columns=list(categories), fill_value=0)
    rows = []
    for pos, row in enumerate(corridors.itertuples(index=False)):
        codes = list(row.member_adcodes)
        per_cat = counts.reindex(codes).fillna(0).sum()
        record = {
            "id": row.id,
            "name_zh": row.name_zh,
            "name_en": row.name_en,
            "kind": row.kind,
            "member_count": len(codes),
            "members_zh": "、".join(zh[c] for c in codes),
            "members_en": ", ".join(en[c] for c in codes),
            "band_km": float(row.band_km),
            "footprint_land_km2": float(row.footprint_land_km2),
            "members_land_km2": float(row.members_land_km2),
            "spine_precision": row.spine_precision,
            "spine_length_km": round(float(spine_km.iloc[pos]), 1),
            "facilities_total": int(per_cat.sum()),
        }
        record.update({f"n_{cat.replace(' ', '_')}": int(per_cat[cat]) for cat in categories})
        rows.append(record)
    return pd.DataFrame(rows)


def unit_summary(units: gpd.GeoDataFrame, members: pd.DataFrame, facilities: pd.DataFrame) -> pd.DataFrame:
    """One row per unit: area measured (km2, EPSG:4549), its land and water parts when the units
    carry them (``layers.with_land_and_water``), published area, corridor ids, facility count."""
    require_wgs84(units, name="units")
    corridor_ids = members.groupby("adcode")["corridor_id"].agg(lambda s: "|".join(s))
    n_fac = facilities.groupby("adcode").size()
    return pd.DataFrame(
        {
            "adcode": units["adcode"].values,
            "name_zh": units["name_zh"].values,
            "name_en": units["name_en"].values,
            "kind": units["kind"].values,
            "area_measured_km2": (units.geometry.to_crs(PLANNING_CRS).area / 1e6).round(1).values,
            **{column: units[column].values for column in ("land_area_km2", "water_area_km2") if column in units},
            "area_published_km2": units["area_published_km2"].values,
            "corridors": units["adcode"].map(corridor_ids).fillna("").values,
            "facilities": units["adcode"].map(n_fac).fillna(0).astype(int).values,
        }
    )


def point_counts(
    adcodes, *, units: pd.DataFrame, corridors: pd.DataFrame, members: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Count classified points per unit and per corridor (a point counts toward every corridor
    its unit belongs to). ``adcodes`` holds each point's unit code, or ''/None outside Suzhou.

    Returns (per_corridor: id, name_zh, name_en, points; per_unit: adcode, name_zh, name_en, points).
    """
    codes = pd.Series(adcodes, dtype=object).fillna("")
    per_unit_counts = codes[codes != ""].value_counts()
    per_unit = pd.DataFrame(
        {
            "adcode": units["adcode"].values,
            "name_zh": units["name_zh"].values,
            "name_en": units["name_en"].values,
            "points": units["adcode"].map(per_unit_counts).fillna(0).astype(int).values,
        }
    )
    by_corridor = members.assign(points=members["adcode"].map(per_unit_counts).fillna(0).astype(int))
    totals = by_corridor.groupby("corridor_id")["points"].sum()
    per_corridor = pd.DataFrame(
        {
            "id": corridors["id"].values,
            "name_zh": corridors["name_zh"].values,
            "name_en": corridors["name_en"].values,
            "points": corridors["id"].map(totals).fillna(0).astype(int).values,
        }
    )
    return per_corridor, per_unit


def layout_matrix(
    units: pd.DataFrame, corridors: pd.DataFrame, members: pd.DataFrame, *, lang: str = "zh"
) -> pd.DataFrame:
    """Units x corridors: each cell the unit's role in that corridor, '' where it is not a member.

    Returns one row per unit (columns adcode, name_zh, name_en, then one column per corridor id,
    in the corridors' order), roles in ``lang`` ("zh" or "en").
    """
    roles = {(r.adcode, r.corridor_id): getattr(r, f"role_{lang}") for r in members.itertuples(index=False)}
    matrix = pd.DataFrame(
        {
            "adcode": units["adcode"].to_numpy(),
            "name_zh": units["name_zh"].to_numpy(),
            "name_en": units["name_en"].to_numpy(),
        }
    )
    for cid in corridors["id"]:
        matrix[cid] = [roles.get((code, cid), "") for code in matrix["adcode"]]
    return matrix


def compare_corridors(before: pd.DataFrame, after: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Two layouts' per-corridor figures side by side, one row per corridor (``id``) and column:
    ``before``, ``after`` and ``change`` (missing where either side lacks the corridor or the
    value). Corridors in ``after``'s order, then those only in ``before``."""
    ids = list(after["id"]) + [c for c in before["id"] if c not in set(after["id"])]
    old, new = before.set_index("id").reindex(ids), after.set_index("id").reindex(ids)
    rows = []
    for cid in ids:
        for column in columns:
            a = pd.to_numeric(pd.Series([old.at[cid, column]]), errors="coerce").iloc[0]
            b = pd.to_numeric(pd.Series([new.at[cid, column]]), errors="coerce").iloc[0]
            rows.append({"id": cid, "column": column, "before": a, "after": b, "change": b - a})
    return pd.DataFrame(rows, columns=["id", "column", "before", "after", "change"])
