"""Build geodata/corridors.geojson: one schematic spine line per corridor (WGS84).

Linear corridors: a line through the waypoints listed in geodata/corridor_spines.csv,
each a unit waypoint (geodata/spine_waypoints.csv) or an outside anchor
(geodata/anchors.csv). The ring: a circle of RING_RADIUS_KM drawn in EPSG:4549 around
姑苏区's waypoint (the old city, which the middle ring encloses). Every spine is
schematic: it shows which units a corridor links and in which order, not a route.
Zones are not stored: layers.corridors() builds them as the union of member units.

Run: python scripts/build_corridors.py  (deterministic; no network, no build extra)
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.build_units import feature, write_collection

RING_CENTRE_ADCODE = "320508"
RING_RADIUS_KM = 11.0
RING_SEGMENTS = 96
PLANNING_CRS = "EPSG:4549"


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(ROOT / "geodata" / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def waypoint_lookup() -> dict[str, tuple[float, float]]:
    points = {row["adcode"]: (float(row["lon"]), float(row["lat"])) for row in _read_csv("spine_waypoints.csv")}
    for row in _read_csv("anchors.csv"):
        points[f"anchor:{row['anchor_id']}"] = (float(row["lon"]), float(row["lat"]))
    return points


def ring_line(centre: tuple[float, float]) -> LineString:
    """A circle of RING_RADIUS_KM around ``centre`` (lon, lat), drawn in EPSG:4549."""
    to_plan = Transformer.from_crs("EPSG:4326", PLANNING_CRS, always_xy=True)
    to_wgs = Transformer.from_crs(PLANNING_CRS, "EPSG:4326", always_xy=True)
    x, y = to_plan.transform(*centre)
    circle = LineString(Point(x, y).buffer(RING_RADIUS_KM * 1000.0, quad_segs=RING_SEGMENTS // 4).exterior.coords)
    return shapely.transform(
        circle, lambda xy: shapely.get_coordinates(shapely.points(*to_wgs.transform(xy[:, 0], xy[:, 1])))
    )


def spine_lines() -> dict[str, LineString]:
    points = waypoint_lookup()
    sequences: dict[str, list[tuple[int, str]]] = {}
    for row in _read_csv("corridor_spines.csv"):
        sequences.setdefault(row["corridor_id"], []).append((int(row["seq"]), row["waypoint"]))
    lines = {cid: LineString([points[w] for _, w in sorted(seq)]) for cid, seq in sequences.items()}
    lines["ring"] = ring_line(points[RING_CENTRE_ADCODE])
    return lines


def build() -> str:
    lines = spine_lines()
    features = []
    for row in _read_csv("corridors.csv"):
        props = {
            "id": row["id"],
            "name_zh": row["name_zh"],
            "name_en": row["name_en"],
            "kind": row["kind"],
            "order": int(row["order"]),
            "geometry_note": "schematic spine",
        }
        features.append(feature(props, lines[row["id"]]))
    return write_collection(ROOT / "geodata" / "corridors.geojson", "corridor_spines", features)


if __name__ == "__main__":
    print(f"corridors.geojson  sha256={build()}")
