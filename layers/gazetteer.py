"""The address look-up's names: units (names, short names, aliases), towns and the other names of
``geodata/place_names.csv``, as :class:`spatial.address.PlaceName` rows in the order they win."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from layers._io import raise_if_problems, read_table, require_columns
from layers.sources import load_sources, reference_problems
from spatial.address import KINDS, Gazetteer, PlaceName

# short forms that are a lake, a landmark or a common street name elsewhere: written in full only
NO_SHORT_FORM = {"太湖", "城南", "城厢", "东南", "太平", "元和", "江陵", "金港", "东山", "香山", "虎丘", "阳澄湖"}
NO_SHORT_FORM |= {"锦溪"}
# zone rows of the statistical codes whose names alone say nothing (written with their unit in place_names.csv)
GENERIC_ZONE_NAMES = {"开发区", "经济开发区", "科教新城"}
# unit aliases too loose for an address (科技园区 holds 园区; 工业园区 is in every city)
NOT_ADDRESS_ALIASES = {"园区", "工业园区", "高新区", "old city"}
# how addresses write two units whose short aliases are left out above
ADDRESS_FORMS = {
    "苏州园区": "320571",
    "苏州市工业园区": "320571",
    "苏州市园区": "320571",
    "苏州市高新区": "320505",
    "苏州高新技术产业开发区": "320505",
    # English written syllable by syllable, as many firms' addresses do
    "Kun Shan": "320583",
    "Chang Shu": "320581",
    "Tai Cang": "320585",
    "Zhang Jia Gang": "320582",
    "Wu Jiang": "320509",
    "Wu Zhong": "320506",
    "Xiang Cheng": "320507",
    "Gu Su": "320508",
}


def load_towns(units: gpd.GeoDataFrame) -> pd.DataFrame:
    """``geodata/towns.csv`` checked: every row's unit is one of ``units``, names are unique."""
    towns = read_table("towns")
    require_columns(towns, ["code12", "name_zh", "level", "unit_adcode"], "towns")
    known = set(units["adcode"])
    problems = [
        f"town {r.name_zh}: unknown unit {r.unit_adcode!r}" for r in towns.itertuples() if r.unit_adcode not in known
    ]
    problems += [f"town {name} listed twice" for name in towns.loc[towns["name_zh"].duplicated(), "name_zh"]]
    raise_if_problems("towns", problems)
    return towns


def load_place_names(units: gpd.GeoDataFrame) -> pd.DataFrame:
    """``geodata/place_names.csv`` checked: known kinds, known units and candidates, and what each
    name rests on: ``detail`` (the fact, always) and ``source_id`` (the documents of
    geodata/sources.csv that publish it; none for a general fact such as "another prefecture-level city")."""
    names = read_table("place_names")
    require_columns(
        names, ["name", "kind", "unit_adcode", "town_zh", "candidates", "source_id", "detail"], "place_names"
    )
    known = set(units["adcode"])
    problems = reference_problems(
        names, "source_id", set(load_sources()["source_id"]), name="place_names", required=False
    )
    problems += [
        f"place name {r.name}: detail (what the name rests on) is required" for r in names.itertuples() if not r.detail
    ]
    problems += [
        f"place name {r.name}: kind {r.kind!r} not in {KINDS}" for r in names.itertuples() if r.kind not in KINDS
    ]
    problems += [
        f"place name {r.name}: unknown unit {code!r}"
        for r in names.itertuples()
        for code in [r.unit_adcode, *filter(None, r.candidates.split("|"))]
        if code and code not in known
    ]
    raise_if_problems("place_names", problems)
    return names


def _unit_names(units: gpd.GeoDataFrame) -> list[PlaceName]:
    out = []
    for row in units.itertuples(index=False):
        out += [PlaceName(row.name_zh, "unit", row.adcode), PlaceName(row.name_en, "unit", row.adcode)]
        if row.name_zh.endswith(("区", "市")) and len(row.name_zh) > 2:
            out.append(PlaceName(row.name_zh[:-1], "unit", row.adcode, short=True))
        aliases = [a for a in str(row.aliases).split("|") if a and a not in NOT_ADDRESS_ALIASES]
        out += [PlaceName(a, "unit", row.adcode, short=not a.isascii() and len(a) <= 3) for a in aliases]
    return out


def _town_names(towns: pd.DataFrame) -> list[PlaceName]:
    shorts = [name.removesuffix("街道").removesuffix("镇") for name in towns["name_zh"]]
    counts = pd.Series(shorts).value_counts()
    out = []
    for row, short in zip(towns.itertuples(index=False), shorts, strict=True):
        if row.name_zh in GENERIC_ZONE_NAMES or "（" in row.name_zh:
            continue
        kind = "zone" if row.level == "zone" else "town"
        town = row.name_zh if kind == "town" else ""
        out.append(PlaceName(row.name_zh, kind, row.unit_adcode, town=town))
        unique_short = short != row.name_zh and len(short) >= 2 and counts[short] == 1 and short not in NO_SHORT_FORM
        if kind == "town" and unique_short:
            out.append(PlaceName(short, "town", row.unit_adcode, town=row.name_zh, short=True))
    return out


def _listed_names(names: pd.DataFrame) -> list[PlaceName]:
    return [
        PlaceName(
            r.name,
            r.kind,
            r.unit_adcode,
            town=r.town_zh,
            candidates=tuple(filter(None, r.candidates.split("|"))),
        )
        for r in names.itertuples(index=False)
    ]


def load_gazetteer(units: gpd.GeoDataFrame) -> Gazetteer:
    """Every name the address look-up knows, compiled: the listed names first (an ambiguous or
    outside word wins over a unit's alias), then the address forms, the units, the towns."""
    forms = [PlaceName(name, "unit", code) for name, code in ADDRESS_FORMS.items()]
    listed = _listed_names(load_place_names(units))
    return Gazetteer([*listed, *forms, *_unit_names(units), *_town_names(load_towns(units))])
