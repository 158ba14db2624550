import numpy as np
import pytest

from atlas_core.errors import CoordinateError
from spatial.extent import (
    SUZHOU_BOUNDS_LATLON,
    SUZHOU_CENTER_LATLON,
    SUZHOU_LAT_RANGE,
    SUZHOU_LON_RANGE,
    in_extent,
    looks_swapped,
)
from spatial.query import check_lonlat, parse_lonlat_text


def test_in_extent_and_looks_swapped_are_vectorised_and_nan_safe():
    lon = np.array([120.6, 31.3, 121.47, np.nan, 120.6, 200.0])
    lat = np.array([31.3, 120.6, 31.23, 31.3, np.nan, 31.3])
    assert in_extent(lon, lat).tolist() == [True, False, True, False, False, False]
    assert looks_swapped(lon, lat).tolist() == [False, True, False, False, False, False]


def test_scalars_give_zero_dimensional_answers():
    assert bool(looks_swapped(31.3, 120.6)) and not bool(looks_swapped(120.6, 31.3))
    assert np.asarray(in_extent(120.6, 31.3)).shape == ()


def test_extent_constants_agree_with_each_other():
    (south, west), (north, east) = SUZHOU_BOUNDS_LATLON
    assert SUZHOU_LON_RANGE[0] <= west < east <= SUZHOU_LON_RANGE[1]
    assert SUZHOU_LAT_RANGE[0] <= south < north <= SUZHOU_LAT_RANGE[1]
    assert south < SUZHOU_CENTER_LATLON[0] < north and west < SUZHOU_CENTER_LATLON[1] < east
    # Lon and lat ranges must not overlap, or a swapped pair could also look right.
    assert SUZHOU_LAT_RANGE[1] < SUZHOU_LON_RANGE[0]


def test_scalar_and_table_checks_share_the_swapped_rule(atlas):
    from userdata.reading import read_table
    from userdata.tables import classify_table

    pairs = [(31.3, 120.6), (30.6, 119.6), (32.2, 121.7), (120.6, 31.3), (31.0, 100.0)]
    text = "name,lon,lat\n" + "".join(f"p{i},{x},{y}\n" for i, (x, y) in enumerate(pairs))
    frame, info = read_table(text.encode(), "p.csv")
    table, _ = classify_table(frame, info, atlas=atlas)
    table_says = ["swapped" in r for r in table["atlas_reason_en"]]
    scalar_says = []
    for x, y in pairs:
        try:
            check_lonlat(x, y)
            scalar_says.append(False)
        except CoordinateError as exc:
            scalar_says.append("swapped" in str(exc))
    assert table_says == scalar_says == looks_swapped(*np.array(pairs).T).tolist() == [True, True, True, False, False]


# ---------------------------------------------------------------- one box holding "lon,lat"


@pytest.mark.parametrize(
    "text",
    [
        "120.738400,31.272900",  # Amap's coordinate picker
        "120.738400，31.272900",  # full-width comma
        " 120.7384 , 31.2729 ",
        "120.7384 31.2729",
        "120.7384\t31.2729",
        "120.7384;31.2729",
        "120.7384；31.2729",  # full-width semicolon
        "１２０．７３８４，３１．２７２９",  # full-width digits
        "120.7384、31.2729",
        "120.7384°, 31.2729°",
    ],
)
def test_lonlat_text_accepts_what_planners_paste(text):
    lon, lat = parse_lonlat_text(text)
    assert (lon, lat) == pytest.approx((120.7384, 31.2729))


def test_lat_first_is_reported_as_swapped_not_fixed():
    with pytest.raises(CoordinateError, match=r"look swapped.*did you mean lon=120.7384, lat=31.2729") as info:
        parse_lonlat_text("31.2729, 120.7384")
    assert "填反" in info.value.message("zh")


@pytest.mark.parametrize(
    "text, message, zh",
    [
        ("", "enter one point as 'longitude,latitude'", "请输入"),
        ("   ", "enter one point as 'longitude,latitude'", "请输入"),
        ("120.7384", "expected two numbers.*got 1", "需要两个数"),
        ("120.7,31.2,5", "expected two numbers.*got 3", "需要两个数"),
        ("120,7384,31,2729", "expected two numbers.*got 4", "需要两个数"),
        ("120.7384,abc", "'abc' is not a number", "不是数字"),
        ("120.7384,,31.2729", "expected two numbers", "需要两个数"),
        ("inf,31.2", "'inf' is not a number", "不是数字"),
        ("120.6,131.3", r"lat in \[-90, 90\]", "纬度须在"),
    ],
)
def test_bad_lonlat_text_says_what_to_type(text, message, zh):
    with pytest.raises(CoordinateError, match=message) as info:
        parse_lonlat_text(text)
    assert zh in info.value.message("zh")


@pytest.mark.parametrize("text", ["", "120.7384", "120.7384,abc"])
def test_bad_lonlat_text_shows_an_example_in_both_languages(text):
    with pytest.raises(CoordinateError) as info:
        parse_lonlat_text(text)
    assert "120.738400,31.272900" in info.value.message("en") and "120.738400,31.272900" in info.value.message("zh")
