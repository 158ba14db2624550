"""Indicators per unit and rolled up per corridor: sums, shares of the city, densities per km² of land.

A unit in several corridors counts in each, so corridor figures overlap and never add up to
the city; a corridor with a member whose value is missing gets no sum (never a partial one).
"""

from __future__ import annotations

import math

import pandas as pd


def chosen_rows(indicators: pd.DataFrame, unit_codes: list[str], city_code: str) -> pd.DataFrame:
    """For each indicator, the rows (units and city, values or missing) of the year in which the
    most units have a value (the latest such year on a tie)."""
    picked = []
    for _key, rows in indicators.groupby("indicator", sort=False):
        counts = rows.loc[rows["value"].notna() & rows["adcode"].isin(unit_codes)].groupby("year").size()
        year = rows["year"].max() if counts.empty else max(counts.index, key=lambda y: (counts[y], y))
        chosen = rows.loc[(rows["year"] == year) & rows["adcode"].isin([*unit_codes, city_code])]
        picked.append(chosen.drop_duplicates("adcode", keep="first"))
    return pd.concat(picked, ignore_index=True) if picked else indicators.iloc[0:0]


def unit_table(chosen: pd.DataFrame, unit_codes: list[str]) -> pd.DataFrame:
    """Values by unit (rows, in ``unit_codes`` order) and indicator (columns); missing is NaN."""
    wide = chosen.pivot_table(index="adcode", columns="indicator", values="value", aggfunc="first", dropna=False)
    return wide.reindex(index=unit_codes, columns=list(dict.fromkeys(chosen["indicator"])))


def corridor_table(
    corridors: pd.DataFrame,
    wide: pd.DataFrame,
    city: pd.Series,
    land_km2: pd.Series,
    facility_counts: pd.Series,
    additive: list[str],
) -> pd.DataFrame:
    """Per corridor (in the corridors' order): for each additive indicator its members' sum, the
    share of the city's value and the density per km² of the members' land; facilities per
    100 km² of land, from ``facility_counts`` (facilities by unit: the caller decides which count)."""
    rows = []
    for row in corridors.itertuples(index=False):
        codes = list(row.member_adcodes)
        land = float(land_km2.reindex(codes).sum())
        record: dict[str, object] = {"id": row.id, "members_land_km2": land}
        for key in additive:
            values = wide[key].reindex(codes) if key in wide else pd.Series(math.nan, index=codes)
            total = float(values.sum()) if values.notna().all() else math.nan
            city_value = city.get(key, math.nan)
            record[f"{key}_sum"] = total
            record[f"{key}_share_of_city"] = total / city_value if city_value and city_value == city_value else math.nan
            record[f"{key}_per_km2_land"] = total / land if land else math.nan
        facilities = float(facility_counts.reindex(codes).fillna(0).sum())
        record["plan_facilities_per_100km2_land"] = facilities / land * 100 if land else math.nan
        rows.append(record)
    return pd.DataFrame(rows)


def sum_check(wide: pd.DataFrame, city: pd.Series) -> pd.DataFrame:
    """Per indicator: how many units have a value, their sum, the city's value and the ratio."""
    rows = []
    for key in wide.columns:
        present = wide[key].dropna()
        city_value = city.get(key, math.nan)
        rows.append(
            {
                "indicator": key,
                "units_with_value": int(present.size),
                "units_sum": round(float(present.sum()), 4),
                "city": city_value,
                "ratio": float(present.sum()) / city_value if city_value and city_value == city_value else math.nan,
            }
        )
    return pd.DataFrame(rows)
