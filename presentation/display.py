"""Display-ready geometry: the layers simplified for the web map, in the datum of the basemap."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely

from layers.water import unit_label_points
from presentation.style import AXIS_ARROW_M
from spatial.corridor_geometry import hatch_lines, land, outward_arrows
from spatial.crs import PLANNING_CRS
from spatial.datum import convert_geometry, convert_lonlat
from spatial.simplify import simplify_coverage

DISPLAY_TOLERANCE_M = 120.0  # coverage simplification for the web map (about 1 px at zoom 10)
WATER_TOLERANCE_DEG = 0.0005  # about 50 m: GSHHG's shores are no finer than that
HATCH_SPACING_M = 1500.0  # members beyond a corridor's band: about 6 px apart at zoom 9, 50 px at zoom 12


@dataclass(frozen=True)
class DisplayLayers:
    """Units, corridor footprints and spines, facility and label points, all in ``datum`` lon/lat."""

    datum: str
    units: gpd.GeoDataFrame  # adcode, name_zh, name_en, kind, geometry (simplified)
    footprints: dict  # corridor id -> (Multi)Polygon: the members' land near the spine, simplified
    spines: dict  # corridor id -> LineString
    arrows: dict  # corridor id -> [Polygon]: an axis's arrowheads where it leaves Suzhou
    labels: dict  # adcode -> Point inside the unit
    facilities: gpd.GeoDataFrame  # facility rows with display geometry ("unit" rows have none)
    places: gpd.GeoDataFrame  # grouped markers (sub-area points, unit label points) in the display datum
    anchors: gpd.GeoDataFrame
    water: gpd.GeoDataFrame | None = None  # lakes and the Yangtze (water_id, name_zh, name_en, kind)
    context: gpd.GeoDataFrame | None = None  # the neighbouring cities (adcode, name_zh, name_en)
    context_water: gpd.GeoDataFrame | None = None  # all the water around (kind), drawn over the neighbours
    beyond_band: dict = field(default_factory=dict)  # corridor id -> hatch lines over members its band misses


def build_display_layers(atlas, *, datum: str = "wgs84", tolerance_m: float = DISPLAY_TOLERANCE_M) -> DisplayLayers:
    """Simplify the unit coverage and the corridor footprints, and shift everything into ``datum``
    (``gcj02`` for Amap tiles)."""
    simple = simplify_coverage(
        atlas.units[["adcode", "name_zh", "name_en", "kind", "geometry"]], tolerance_m=tolerance_m
    )
    planar = gpd.GeoSeries(atlas.corridors["footprint"].values, crs=4326).to_crs(PLANNING_CRS)
    simplified = gpd.GeoSeries(shapely.simplify(planar.values, tolerance_m), crs=PLANNING_CRS).to_crs(4326)
    footprints = dict(zip(atlas.corridors["id"], simplified.values, strict=True))
    spines = {row.id: row.spine for row in atlas.corridors.itertuples(index=False)}
    arrows = axis_arrows(atlas)
    labels = dict(zip(simple["adcode"], unit_label_points(atlas.units), strict=True))
    beyond_band = beyond_band_hatches(atlas)

    def shift(geom):
        return geom if datum == "wgs84" else _round(convert_geometry(geom, source="wgs84", target=datum))

    facilities = atlas.facilities.copy()
    places = atlas.places.copy()
    anchors = atlas.anchors.copy()
    water = atlas.water[["water_id", "name_zh", "name_en", "kind", "geometry"]].copy()
    water = water.set_geometry(shapely.simplify(water.geometry.values, WATER_TOLERANCE_DEG))
    context = atlas.context.copy()
    context_water = atlas.context_water[["kind", "geometry"]].copy()
    if datum != "wgs84":
        water = water.set_geometry(water.geometry.map(shift))
        context = context.set_geometry(context.geometry.map(shift))
        context_water = context_water.set_geometry(context_water.geometry.map(shift))
        simple = simple.set_geometry(simple.geometry.map(shift))
        footprints = {k: shift(v) for k, v in footprints.items()}
        spines = {k: shift(v) for k, v in spines.items()}
        arrows = {k: [shift(a) for a in v] for k, v in arrows.items()}
        labels = {k: shift(v) for k, v in labels.items()}
        beyond_band = {k: shift(v) for k, v in beyond_band.items()}
        facilities = facilities.set_geometry(facilities.geometry.map(lambda g: None if g is None else shift(g)))
        places = places.set_geometry(places.geometry.map(shift))
        anchors = anchors.set_geometry(anchors.geometry.map(shift))
    return DisplayLayers(
        datum,
        simple,
        footprints,
        spines,
        arrows,
        labels,
        facilities,
        places,
        anchors,
        water,
        context,
        context_water,
        beyond_band,
    )


def beyond_band_hatches(atlas, spacing_m: float = HATCH_SPACING_M) -> dict:
    """For each corridor with members its band does not reach (``beyond_band_adcodes``), hatch
    lines over those members' land (WGS84): the web map's way to show them."""
    wanted = {
        row.id: row.beyond_band_adcodes for row in atlas.corridors.itertuples(index=False) if row.beyond_band_adcodes
    }
    if not wanted:
        return {}
    units = atlas.units.set_index("adcode").geometry.to_crs(PLANNING_CRS)
    water = shapely.union_all(atlas.water.to_crs(PLANNING_CRS).geometry.values)
    hatches = {
        cid: hatch_lines(land(shapely.union_all(units.loc[list(codes)].values), water), spacing_m=spacing_m)
        for cid, codes in wanted.items()
    }
    wgs = gpd.GeoSeries(list(hatches.values()), crs=PLANNING_CRS).to_crs(4326)
    return {cid: _round(line) for cid, line in zip(hatches, wgs.values, strict=True)}


def axis_arrows(atlas, length_m: float = AXIS_ARROW_M) -> dict[str, list]:
    """Each axis's arrowheads (WGS84) where its spine leaves the ten units toward an outside place."""
    city = gpd.GeoSeries([shapely.union_all(atlas.units.geometry.values)], crs=4326).to_crs(PLANNING_CRS).iloc[0]
    out = {}
    for row in atlas.corridors.loc[atlas.corridors["kind"] == "axis"].itertuples(index=False):
        spine = gpd.GeoSeries([row.spine], crs=4326).to_crs(PLANNING_CRS).iloc[0]
        heads = outward_arrows(spine, city, length_m=length_m)
        out[row.id] = list(gpd.GeoSeries(heads, crs=PLANNING_CRS).to_crs(4326).values) if heads else []
    return out


def _round(geom, decimals: int = 6):
    return shapely.transform(geom, lambda xy: np.round(xy, decimals))


def to_wgs84(lon: float, lat: float, datum: str) -> tuple[float, float]:
    """A clicked position on a map drawn in ``datum``, back in WGS84."""
    if datum == "wgs84":
        return float(lon), float(lat)
    w_lon, w_lat = convert_lonlat(np.array([lon]), np.array([lat]), source=datum, target="wgs84")
    return float(w_lon[0]), float(w_lat[0])
