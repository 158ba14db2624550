"""Build geodata/corridors.geojson: one spine line per corridor (WGS84), with its precision class.

How each spine is drawn is stated per corridor in geodata/corridor_spines.csv (``method``):
- ``waypoints``: a line through the cited points of geodata/spine_waypoints.csv, in ``seq``
  order within each ``part`` (a spine with several parts is a MultiLineString; ``ref`` may
  name an outside anchor of geodata/anchors.csv instead of giving coordinates);
- ``circle``: a loop drawn in EPSG:4549 around the corridor's first waypoint, through its
  second (the ring: no point on the Middle Ring Expressway itself has a published
  coordinate except 苏州北站 on its north side, so the loop is schematic);
- ``shore`` / ``bank``: the longest stretch of the named water body's edge (geodata/water.geojson)
  that is shore or bank rather than the city line drawn across the water, smoothed by
  SMOOTH_M (well inside the 1 km that ``traced`` allows).
The precision class (``traced``: follows the named feature within 1 km; ``schematic``: shows
linkage and order only) is copied from corridor_spines.csv; tests check the traced ones.
Footprints are not stored here: layers.load_corridors builds them from the spine, the
band width in geodata/corridors.csv and the member units' land, so a bureau's own borders
get their own footprints.

Run: python scripts/build_corridors.py  (deterministic; no network, no build extra)
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import shapely
from pyproj import Transformer
from shapely.geometry import LineString, MultiLineString, shape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.build_units import feature, write_collection
from spatial.corridor_geometry import waterside_line
from spatial.crs import PLANNING_CRS

SMOOTH_M = 150.0  # Douglas-Peucker tolerance for shore and bank spines
ADMIN_GAP_M = 300.0  # edge within this distance of the city line is a cut, not a shore
METHODS = ("waypoints", "circle", "shore", "bank")
CIRCLE_SEGMENTS = 96
PRECISIONS = ("traced", "schematic")

_TO_PLAN = Transformer.from_crs("EPSG:4326", PLANNING_CRS, always_xy=True)
_TO_WGS = Transformer.from_crs(PLANNING_CRS, "EPSG:4326", always_xy=True)


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(ROOT / "geodata" / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _transform(geom: shapely.Geometry, transformer: Transformer) -> shapely.Geometry:
    return shapely.transform(
        geom, lambda xy: shapely.get_coordinates(shapely.points(*transformer.transform(xy[:, 0], xy[:, 1])))
    )


def _read_geojson(name: str) -> dict[str, shapely.Geometry]:
    doc = json.loads((ROOT / "geodata" / name).read_text(encoding="utf-8"))
    key = "water_id" if name == "water.geojson" else "adcode"
    return {f["properties"][key]: shape(f["geometry"]) for f in doc["features"]}


def waypoint_line(corridor_id: str, rows: list[dict[str, str]], anchors: dict[str, tuple[float, float]]):
    """The spine through ``corridor_id``'s waypoints: a LineString, or a MultiLineString for several parts."""
    parts: dict[int, list[tuple[int, tuple[float, float]]]] = {}
    for row in rows:
        if row["corridor_id"] != corridor_id:
            continue
        ref = row["ref"]
        point = anchors[ref.removeprefix("anchor:")] if ref else (float(row["lon"]), float(row["lat"]))
        parts.setdefault(int(row["part"]), []).append((int(row["seq"]), point))
    lines = [LineString([p for _, p in sorted(points)]) for _, points in sorted(parts.items())]
    if not lines:
        raise SystemExit(f"corridor {corridor_id!r}: method 'waypoints' but no rows in spine_waypoints.csv")
    return lines[0] if len(lines) == 1 else MultiLineString(lines)


def circle_line(corridor_id: str, rows: list[dict[str, str]]) -> LineString:
    """A loop in EPSG:4549 centred on the first waypoint, through the second (WGS84 out)."""
    points = sorted(
        (int(r["seq"]), (float(r["lon"]), float(r["lat"]))) for r in rows if r["corridor_id"] == corridor_id
    )
    if len(points) != 2:
        raise SystemExit(f"corridor {corridor_id!r}: method 'circle' needs exactly two waypoints (centre, through)")
    centre, through = (shapely.Point(_TO_PLAN.transform(*p)) for _, p in points)
    loop = LineString(
        shapely.get_exterior_ring(centre.buffer(centre.distance(through), quad_segs=CIRCLE_SEGMENTS // 4)).coords
    )
    return _transform(loop, _TO_WGS)


def water_line(water_id: str, water: dict[str, shapely.Geometry], outline: shapely.Geometry) -> LineString:
    """The shore or bank of ``water_id`` inside the city, smoothed, in WGS84."""
    planar = _transform(water[water_id], _TO_PLAN)
    city_line = shapely.boundary(_transform(outline, _TO_PLAN))
    line = waterside_line(planar, city_line, gap_m=ADMIN_GAP_M).simplify(SMOOTH_M)
    return _transform(line, _TO_WGS)


def spine_lines() -> dict[str, tuple[shapely.Geometry, dict[str, str]]]:
    """Each corridor's spine (WGS84) with its row of corridor_spines.csv."""
    anchors = {row["anchor_id"]: (float(row["lon"]), float(row["lat"])) for row in _read_csv("anchors.csv")}
    waypoints = _read_csv("spine_waypoints.csv")
    water = _read_geojson("water.geojson")
    outline = next(iter(_read_geojson("municipal_outline.geojson").values()))
    out = {}
    for row in _read_csv("corridor_spines.csv"):
        method, cid = row["method"], row["corridor_id"]
        if method not in METHODS or row["precision"] not in PRECISIONS:
            raise SystemExit(f"corridor {cid!r}: method {method!r} / precision {row['precision']!r} unknown")
        if method == "waypoints":
            line = waypoint_line(cid, waypoints, anchors)
        elif method == "circle":
            line = circle_line(cid, waypoints)
        else:
            line = water_line(row["water_id"], water, outline)
        out[cid] = (line, row)
    return out


def build() -> str:
    lines = spine_lines()
    features = []
    for row in _read_csv("corridors.csv"):
        line, spine = lines[row["id"]]
        props = {
            "id": row["id"],
            "name_zh": row["name_zh"],
            "name_en": row["name_en"],
            "kind": row["kind"],
            "order": int(row["order"]),
            "spine_method": spine["method"],
            "spine_precision": spine["precision"],
            "spine_feature_zh": spine["feature_zh"],
            "spine_feature_en": spine["feature_en"],
        }
        features.append(feature(props, line))
    return write_collection(ROOT / "geodata" / "corridors.geojson", "corridor_spines", features)


if __name__ == "__main__":
    print(f"corridors.geojson  sha256={build()}")
