"""Build the project's GeoDataFrames (units, corridors, facilities), validated, in EPSG:4326."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from layers.corridors import CORRIDOR_IDS, load_anchors, load_corridor_functions, load_corridor_members, load_corridors
from layers.facilities import (
    FACILITY_CATEGORIES,
    PRECISION_CLASSES,
    drawn_as_sites,
    listed_places,
    load_facilities,
    load_sub_areas,
    load_unplaced_facilities,
    present_categories,
)
from layers.indicators import INDICATORS, load_indicators
from layers.units import load_context_cities, load_context_provinces, load_municipal_outline, load_units
from layers.water import load_water, load_water_context, with_land_and_water

__all__ = [
    "CORRIDOR_IDS",
    "FACILITY_CATEGORIES",
    "INDICATORS",
    "PRECISION_CLASSES",
    "Atlas",
    "drawn_as_sites",
    "listed_places",
    "load_anchors",
    "load_atlas",
    "load_context_cities",
    "load_context_provinces",
    "load_corridor_functions",
    "load_corridor_members",
    "load_corridors",
    "load_facilities",
    "load_indicators",
    "load_municipal_outline",
    "load_sub_areas",
    "load_units",
    "load_unplaced_facilities",
    "load_water",
    "load_water_context",
    "present_categories",
]


@dataclass(frozen=True)
class Atlas:
    """Every layer of the layout, loaded together so queries use one consistent set."""

    units: gpd.GeoDataFrame
    corridors: gpd.GeoDataFrame
    members: pd.DataFrame
    functions: pd.DataFrame
    anchors: gpd.GeoDataFrame
    facilities: gpd.GeoDataFrame  # every plan-named entity with a known unit; "unit" rows have no geometry
    sub_areas: gpd.GeoDataFrame  # towns, parks and new towns at their cited points, holding "sub-area" rows
    places: gpd.GeoDataFrame  # one grouped marker per sub-area or unit for rows without a site of their own
    unplaced: pd.DataFrame
    water: gpd.GeoDataFrame  # Taihu's part in Suzhou, the other large lakes, the Yangtze
    context: gpd.GeoDataFrame  # the neighbouring cities, for context on maps and figures
    context_water: gpd.GeoDataFrame  # whole Taihu, the Yangtze's full width ...: drawn, never measured
    provinces: gpd.GeoDataFrame  # Shanghai, Jiangsu, Zhejiang: the locator inset's Yangtze delta
    indicators: pd.DataFrame  # unit and city statistics, one row per code, indicator and year (with source)
    scenario: str | None = None  # the scenario's name when the layout is not the plan's (layers.layout)


def load_atlas() -> Atlas:
    """Load and validate all embedded layers (EPSG:4326); units carry land_area_km2 and water_area_km2."""
    water = load_water()
    units = with_land_and_water(load_units(), water)
    members = load_corridor_members(units)
    sub_areas = load_sub_areas(units)
    facilities = load_facilities(units, sub_areas)
    return Atlas(
        units=units,
        corridors=load_corridors(units, members, water),
        members=members,
        functions=load_corridor_functions(),
        anchors=load_anchors(),
        facilities=facilities,
        sub_areas=sub_areas,
        places=listed_places(facilities, sub_areas, units),
        unplaced=load_unplaced_facilities(facilities),
        water=water,
        context=load_context_cities(),
        context_water=load_water_context(),
        provinces=load_context_provinces(),
        indicators=load_indicators(units),
    )
