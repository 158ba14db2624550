"""Unit indicators (people, GDP, budget, R&D, high-tech firms, industrial output) from statistical sources.

One row per unit (or the city, adcode 320500) and indicator in geodata/unit_indicators.csv,
each with its year, unit of measure and source; a missing value is a row with no value and
a reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from layers._io import raise_if_problems, read_table, require_columns
from layers.facilities import CONTEXT_SECTION
from layers.sources import attach_sources, load_sources, reference_problems
from spatial.choropleth import classify
from spatial.indicators import chosen_rows, corridor_table, sum_check, unit_table

CITY_CODE = "320500"
INDICATOR_COLUMNS = ["adcode", "indicator", "value", "unit", "year", "source_id", "method", "note"]
METHODS = ("published", "derived")  # derived: the city's value less the other units' (an additive indicator)
DERIVED_TOLERANCE = 0.01  # a derived value must equal the city less the others to the published rounding


@dataclass(frozen=True)
class Indicator:
    key: str  # English snake_case: what and in which unit
    unit: str  # the unit of measure as the sources publish it
    additive: bool  # units add up to corridors and to the city


INDICATORS = {
    spec.key: spec
    for spec in (
        Indicator("resident_population_10k", "万人", True),
        Indicator("gdp_100m_yuan", "亿元", True),
        Indicator("budget_revenue_100m_yuan", "亿元", True),
        Indicator("rd_expenditure_100m_yuan", "亿元", True),
        Indicator("rd_intensity_pct", "%", False),
        Indicator("high_tech_enterprises", "家", True),
        Indicator("industrial_output_100m_yuan", "亿元", True),
    )
}


def load_indicators(units) -> pd.DataFrame:
    """The indicator rows, validated: known unit or city code, known indicator and its unit of
    measure, a numeric value with a year and a source (geodata/sources.csv), or no value and a
    reason (note). The sources are spelt out (:func:`layers.sources.attach_sources`): source,
    source_url, source_kind, read_at."""
    table = read_table("unit_indicators")
    require_columns(table, INDICATOR_COLUMNS, "unit_indicators")
    sources = load_sources()
    known = {*units["adcode"], CITY_CODE}
    problems = reference_problems(table, "source_id", set(sources["source_id"]), name="unit_indicators", required=False)
    values = []
    for pos, row in enumerate(table.itertuples(index=False), start=2):
        spec = INDICATORS.get(row.indicator)
        if row.adcode not in known:
            problems.append(f"line {pos}: unknown adcode {row.adcode!r}")
        if spec is None:
            problems.append(f"line {pos}: unknown indicator {row.indicator!r}; known: {', '.join(INDICATORS)}")
        elif row.unit != spec.unit:
            problems.append(f"line {pos}: {row.indicator} is in {spec.unit}, not {row.unit!r}")
        value = math.nan
        if row.value:
            try:
                value = float(row.value)
            except ValueError:
                problems.append(f"line {pos}: value {row.value!r} is not a number")
            if not row.source_id:
                problems.append(f"line {pos}: a value needs its source (source_id, geodata/sources.csv)")
            if row.method not in METHODS:
                problems.append(f"line {pos}: a value's method {row.method!r} is not one of {METHODS}")
            elif row.method == "derived" and not (spec and spec.additive and row.note.startswith("derived")):
                problems.append(
                    f"line {pos}: only an additive indicator is derived, and its note starts 'derived' with the formula"
                )
            if not row.year.isdigit():
                problems.append(f"line {pos}: a value needs its year")
        elif not row.note:
            problems.append(f"line {pos}: a missing value needs its reason in note")
        values.append(value)
    dup = table.loc[table.duplicated(["adcode", "indicator", "year"]), ["adcode", "indicator", "year"]]
    problems += [f"duplicate row {tuple(r)}" for r in dup.itertuples(index=False)]
    problems += _derived_problems(table.assign(value=values))
    raise_if_problems("unit_indicators", problems)
    return attach_sources(table.assign(value=values), sources, id_column="source_id")


def _derived_problems(table: pd.DataFrame) -> list[str]:
    """A derived unit value that is not the city's value less the other units' of the same year."""
    problems = []
    for row in table.loc[table["method"] == "derived"].itertuples(index=False):
        same = table.loc[(table["indicator"] == row.indicator) & (table["year"] == row.year)]
        city = same.loc[same["adcode"] == CITY_CODE, "value"]
        others = same.loc[~same["adcode"].isin([CITY_CODE, row.adcode]), "value"]
        if city.empty or others.isna().any():
            problems.append(
                f"{row.adcode} {row.indicator} {row.year}: derived, but the city or another unit has no value"
            )
        elif abs(float(city.iloc[0]) - others.sum() - row.value) > DERIVED_TOLERANCE:
            expected = round(float(city.iloc[0]) - others.sum(), 2)
            problems.append(
                f"{row.adcode} {row.indicator} {row.year}: derived {row.value} "
                f"is not the city less the others, {expected}"
            )
    return problems


@dataclass(frozen=True)
class IndicatorReport:
    """The indicators of the ten units for the year chosen per indicator, the city's values, the
    per-corridor roll-up and the check of the units' sum against the city."""

    rows: pd.DataFrame  # the chosen rows: adcode, indicator, value, unit, year, source_url, source_kind, note
    units: pd.DataFrame  # value by unit (index adcode) and indicator (columns)
    city: pd.Series  # the city's value by indicator
    corridors: pd.DataFrame  # see spatial.indicators.corridor_table
    check: pd.DataFrame  # see spatial.indicators.sum_check

    @property
    def years(self) -> list[int]:
        return sorted({int(y) for y in self.rows["year"] if str(y).isdigit()})


def indicator_report(atlas) -> IndicatorReport:
    """Assemble the report from ``atlas`` (units with land_area_km2, corridors, facilities, indicators)."""

    codes = list(atlas.units["adcode"])
    rows = chosen_rows(atlas.indicators, codes, CITY_CODE)
    wide = unit_table(rows, codes)
    city = rows.loc[rows["adcode"] == CITY_CODE].set_index("indicator")["value"]
    additive = [key for key, spec in INDICATORS.items() if spec.additive and key in wide.columns]
    land = atlas.units.set_index("adcode")["land_area_km2"]
    named = atlas.facilities.loc[atlas.facilities["plan_section"] != CONTEXT_SECTION]  # not the context zones
    corridors = corridor_table(atlas.corridors, wide, city, land, named.groupby("adcode").size(), additive)
    return IndicatorReport(rows, wide, city, corridors, sum_check(wide, city))


@dataclass(frozen=True)
class Theme:
    """A unit indicator ready for a thematic map: its values, year and natural-breaks classes."""

    key: str
    year: int | None
    values: pd.Series  # adcode -> value (NaN: no data)
    classes: object  # spatial.choropleth.Classes
    derived: frozenset[str] = frozenset()  # units whose value is derived, not published (marked wherever shown)


def theme(atlas, key: str, k: int = 4) -> Theme:
    """The thematic map of indicator ``key`` over the units of ``atlas``."""

    report = indicator_report(atlas)
    if key not in report.units.columns:
        raise KeyError(f"no indicator {key!r}; known: {', '.join(report.units.columns)}")
    values = report.units[key]
    years = report.rows.loc[report.rows["indicator"] == key, "year"]
    year = int(years.iloc[0]) if len(years) and str(years.iloc[0]).isdigit() else None
    return Theme(key, year, values, classify(values, k=k), derived_units(report.rows, key))


def derived_units(rows: pd.DataFrame, key: str) -> frozenset[str]:
    """The units whose chosen value of indicator ``key`` is derived (method ``derived``), not published."""
    return frozenset(rows.loc[(rows["indicator"] == key) & (rows["method"] == "derived"), "adcode"])
