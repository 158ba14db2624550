import eviltransform
import numpy as np
import pytest
import shapely
from pyproj import Geod

from atlas_core.errors import CoordinateError, DatumError
from spatial.datum import (
    convert_coords,
    convert_geometry,
    convert_lonlat,
    gcj02_to_wgs84,
    normalise_datum,
    wgs84_to_gcj02,
)

GEOD = Geod(ellps="WGS84")
# A 30 x 30 grid over Suzhou's extent, WGS84.
LON, LAT = (a.ravel() for a in np.meshgrid(np.linspace(119.9, 121.4, 30), np.linspace(30.75, 32.05, 30)))


def distance_m(lon1, lat1, lon2, lat2):
    return GEOD.inv(lon1, lat1, lon2, lat2)[2]


def test_forward_matches_independent_implementation():
    ours = wgs84_to_gcj02(LON, LAT)
    theirs = np.array([eviltransform.wgs2gcj(la, lo) for lo, la in zip(LON, LAT, strict=True)])
    assert np.max(distance_m(ours[0], ours[1], theirs[:, 1], theirs[:, 0])) < 0.05


def test_shift_in_suzhou_is_about_465_m_south_east():
    lon, lat = wgs84_to_gcj02(120.62, 31.30)
    assert 0.0035 < lon - 120.62 < 0.0050 and -0.0030 < lat - 31.30 < -0.0015
    assert 400 < distance_m(120.62, 31.30, lon, lat) < 550


def test_round_trip_is_within_a_decimetre_everywhere_in_suzhou():
    back = gcj02_to_wgs84(*wgs84_to_gcj02(LON, LAT))
    assert np.max(distance_m(LON, LAT, back[0], back[1])) < 0.1


def test_inverse_agrees_with_independent_exact_inverse():
    g_lon, g_lat = wgs84_to_gcj02(LON, LAT)
    ours = gcj02_to_wgs84(g_lon, g_lat)
    theirs = np.array([eviltransform.gcj2wgs_exact(la, lo) for lo, la in zip(g_lon, g_lat, strict=True)])
    assert np.max(distance_m(ours[0], ours[1], theirs[:, 1], theirs[:, 0])) < 0.5


def test_one_step_inverse_would_be_worse():
    # The naive inverse (subtract the forward offset once) is off by decimetres to metres;
    # ours must beat it, or the iteration is not doing anything.
    g_lon, g_lat = wgs84_to_gcj02(LON, LAT)
    naive = (2 * g_lon - wgs84_to_gcj02(g_lon, g_lat)[0], 2 * g_lat - wgs84_to_gcj02(g_lon, g_lat)[1])
    ours = gcj02_to_wgs84(g_lon, g_lat)
    err_naive = np.max(distance_m(LON, LAT, *naive))
    err_ours = np.max(distance_m(LON, LAT, *ours))
    assert err_naive > 0.3 and err_ours < err_naive / 100


def test_bd09_matches_independent_implementation_both_ways():
    ours = convert_lonlat(LON, LAT, source="wgs84", target="bd09")
    theirs = np.array([eviltransform.wgs2bd(la, lo) for lo, la in zip(LON, LAT, strict=True)])
    assert np.max(distance_m(ours[0], ours[1], theirs[:, 1], theirs[:, 0])) < 0.05
    back = convert_lonlat(*ours, source="bd09", target="wgs84")
    assert np.max(distance_m(LON, LAT, back[0], back[1])) < 0.1


def test_geometry_conversion_moves_every_vertex_and_keeps_input():
    poly = shapely.box(120.6, 31.2, 120.7, 31.3)
    moved = convert_geometry(poly, source="wgs84", target="gcj02")
    expected = convert_coords(shapely.get_coordinates(poly), source="wgs84", target="gcj02")
    assert np.allclose(shapely.get_coordinates(moved), expected)
    assert shapely.get_coordinates(poly)[0].tolist() == [120.7, 31.2]


@pytest.mark.parametrize("alias, expected", [("WGS-84", "wgs84"), ("Amap", "gcj02"), ("百度", "bd09")])
def test_datum_aliases(alias, expected):
    assert normalise_datum(alias) == expected


def test_unknown_datum_is_rejected_with_the_choices():
    with pytest.raises(DatumError, match=r"unknown datum 'utm'.*wgs84, gcj02, bd09"):
        convert_lonlat(120.6, 31.3, source="utm", target="wgs84")


def test_mismatched_shapes_are_rejected():
    with pytest.raises(CoordinateError, match="same shape"):
        convert_lonlat([120.6, 120.7], [31.3], source="wgs84", target="gcj02")


# ---------------------------------------------------------------- one alias table for every caller


def _spellings(alias):
    return {
        alias,
        alias.upper(),
        alias.replace(":", ""),
        alias.replace("84", "-84").replace("02", "-02"),
        f" {alias} ",
        alias.replace("84", "_84"),
    }


def test_every_alias_resolves_the_same_way_from_every_call_site():
    from spatial.datum import INPUT_CRS_ALIASES, parse_input_crs
    from userdata.tables import resolve_input_crs

    for alias, name in INPUT_CRS_ALIASES.items():
        for spelling in _spellings(alias):
            parsed = parse_input_crs(spelling)
            assert parsed.name == name, spelling
            assert normalise_datum(spelling) == parsed.datum, spelling
            assert resolve_input_crs(spelling) == (name, None), spelling


@pytest.mark.parametrize(
    "text, name, datum, epsg",
    [
        ("CGCS2000", "cgcs2000", "wgs84", 4490),
        ("EPSG:4490", "cgcs2000", "wgs84", 4490),
        ("4326", "wgs84", "wgs84", 4326),
        ("GPS", "wgs84", "wgs84", 4326),
        ("高德", "gcj02", "gcj02", None),
        ("Tencent", "gcj02", "gcj02", None),
        ("百度", "bd09", "bd09", None),
        ("ＧＣＪ－０２", "gcj02", "gcj02", None),
    ],
)
def test_input_crs_keeps_the_name_picked_and_the_datum_it_implies(text, name, datum, epsg):
    from spatial.datum import InputCRS, parse_input_crs

    parsed = parse_input_crs(text)
    assert parsed == InputCRS(name=name, datum=datum, epsg=epsg)
    with pytest.raises(AttributeError):
        parsed.name = "bd09"  # frozen: validated once, carried as is


def test_unknown_input_crs_is_rejected_in_both_languages():
    from spatial.datum import parse_input_crs

    with pytest.raises(DatumError, match=r"unknown coordinate system 'beijing54'.*cgcs2000") as info:
        parse_input_crs("beijing54")
    assert "未知坐标系" in info.value.message("zh")
