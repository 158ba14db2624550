import numpy as np
import pytest

from atlas_core.errors import CoordinateError, DatumError, UnknownNameError
from spatial.datum import convert_lonlat
from spatial.names import resolve_corridor, resolve_unit
from spatial.query import corridors_of_unit, locate_point, units_of_corridor


@pytest.mark.parametrize(
    "text, code",
    [
        ("高新区", "320505"),
        ("苏州高新区", "320505"),
        ("SND", "320505"),
        ("园区", "320571"),
        ("SIP", "320571"),
        ("320583", "320583"),
        ("Kunshan", "320583"),
        ("吴江", "320509"),
        ("wujiang district", "320509"),
        ("ＳＩＰ", "320571"),
    ],
)
def test_unit_names_codes_and_aliases_resolve(atlas, text, code):
    assert resolve_unit(text, atlas.units) == code


@pytest.mark.parametrize(
    "text, cid",
    [
        ("沪宁", "huning"),
        ("通苏嘉产业创新轴", "tongsujia"),
        ("中环", "ring"),
        ("环太湖", "taihu"),
        ("yangtze", "yangtze"),
    ],
)
def test_corridor_names_resolve(atlas, text, cid):
    assert resolve_corridor(text, atlas.corridors) == cid


def test_misspelt_unit_gets_the_closest_suggestion(atlas):
    with pytest.raises(
        UnknownNameError,
        match=r"unknown unit '相成区'; did you mean Xiangcheng District "
        r"\(320507\)\? Known: Huqiu District \(320505\)",
    ) as info:
        resolve_unit("相成区", atlas.units)
    assert info.value.message("zh").startswith("未找到规划单元“相成区”；您是否要找：相城区 (320507)？可用：虎丘区")


@pytest.mark.parametrize(
    "typed, en, zh",
    [
        ("Wujaing", "Wujiang District (320509)", "吴江区 (320509)"),
        ("Kunshna", "Kunshan (320583)", "昆山市 (320583)"),
        ("吴中去", "Wuzhong District (320506)", "吴中区 (320506)"),
        ("吴忠区", "Wuzhong District (320506)", "吴中区 (320506)"),
    ],
)
def test_suggestions_speak_the_language_of_the_message(atlas, typed, en, zh):
    with pytest.raises(UnknownNameError) as info:
        resolve_unit(typed, atlas.units)
    error = info.value
    assert en in error.suggestions and zh in error.suggestions_zh
    english, chinese = error.message("en"), error.message("zh")
    assert f"did you mean {error.suggestions[0]}" in english and en in english
    assert zh in chinese and "您是否要找" in chinese
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in english.replace(typed, ""))  # no Chinese names
    assert "Wujiang District" not in chinese and "Known" not in chinese


def test_misspelt_corridor_suggestions_in_both_languages(atlas):
    with pytest.raises(UnknownNameError) as info:
        resolve_corridor("tongsuji", atlas.corridors)
    assert "tongsujia (Nantong–Suzhou–Jiaxing Industrial Innovation Axis)" in info.value.message("en")
    assert "tongsujia（通苏嘉产业创新轴）" in info.value.message("zh")


def test_misspelt_corridor_gets_a_suggestion(atlas):
    with pytest.raises(UnknownNameError, match=r"did you mean .*tongsujia"):
        resolve_corridor("tongsuji", atlas.corridors)


def test_sip_corridors_and_roles(atlas):
    result = corridors_of_unit("SIP", units=atlas.units, corridors=atlas.corridors, members=atlas.members)
    assert result["unit"] == {"adcode": "320571", "name_zh": "苏州工业园区", "name_en": "Suzhou Industrial Park"}
    ids = [c["corridor"]["id"] for c in result["corridors"]]
    assert ids == ["ring", "huning", "tongsujia", "hongqiao"]
    assert result["corridors"][0]["role"]["role_zh"] == "引领辐射"
    assert set(result["corridors"][0]["corridor"]) == {"id", "name_zh", "name_en", "kind"}


def test_gusu_is_only_in_the_ring(atlas):
    result = corridors_of_unit("姑苏区", units=atlas.units, corridors=atlas.corridors, members=atlas.members)
    assert [c["corridor"]["id"] for c in result["corridors"]] == ["ring"]


def test_members_of_huning_with_roles_and_functions(atlas):
    result = units_of_corridor(
        "沪宁", units=atlas.units, corridors=atlas.corridors, members=atlas.members, functions=atlas.functions
    )
    roles = {m["unit"]["adcode"]: m["role"]["role_en"] for m in result["members"]}
    assert roles["320583"] == roles["320585"] == "linking cluster toward Shanghai"
    assert set(roles) == {"320585", "320583", "320507", "320571", "320505"}
    assert result["functions"]


def _locate(atlas, lon, lat, datum="wgs84"):
    return locate_point(lon, lat, datum=datum, units=atlas.units, corridors=atlas.corridors, members=atlas.members)


def test_locate_jinji_lake_in_sip_in_every_datum(atlas):
    lon, lat = 120.691667, 31.313611
    for datum in ("wgs84", "gcj02", "bd09"):
        d_lon, d_lat = convert_lonlat(np.array([lon]), np.array([lat]), source="wgs84", target=datum)
        loc = _locate(atlas, float(d_lon[0]), float(d_lat[0]), datum)
        assert loc.unit["adcode"] == "320571"
        assert abs(loc.lon_wgs84 - lon) < 1e-6


def test_datum_matters_near_a_border(atlas):
    # 72 m inside SIP in WGS84; read as if it were GCJ-02 the point moves ~465 m west into 姑苏区.
    assert _locate(atlas, 120.64639, 31.31444).unit["adcode"] == "320571"
    assert _locate(atlas, 120.64639, 31.31444, "gcj02").unit["adcode"] == "320508"


def test_point_outside_suzhou_says_so(atlas):
    loc = _locate(atlas, 121.4747, 31.2286)
    assert loc.unit is None and loc.corridors == [] and "outside" in loc.message


def test_swapped_coordinates_are_detected(atlas):
    with pytest.raises(CoordinateError, match=r"look swapped.*did you mean lon=120\.7, lat=31\.31"):
        _locate(atlas, 31.31, 120.7)


@pytest.mark.parametrize("lon, lat", [(float("nan"), 31.3), (120.6, float("inf")), ("abc", 31.3)])
def test_non_finite_coordinates_are_rejected(atlas, lon, lat):
    with pytest.raises(CoordinateError, match="must be"):
        _locate(atlas, lon, lat)


def test_impossible_coordinates_are_rejected(atlas):
    with pytest.raises(CoordinateError, match=r"lat in \[-90, 90\]"):
        _locate(atlas, 120.6, 131.3)


def test_unknown_datum_in_locate(atlas):
    with pytest.raises(DatumError, match="unknown datum 'wgs48'"):
        _locate(atlas, 120.6, 31.3, "wgs48")


def test_errors_speak_chinese_and_english(atlas):
    from atlas_core.errors import AtlasError
    from spatial.datum import normalise_datum
    from spatial.names import resolve_unit
    from spatial.query import check_lonlat

    cases = [
        lambda: check_lonlat(31.3, 120.6),
        lambda: check_lonlat("x", 1),
        lambda: normalise_datum("beijing54"),
        lambda: resolve_unit("姑苏去", atlas.units),
    ]
    for case in cases:
        with pytest.raises(AtlasError) as info:
            case()
        zh, en = info.value.message("zh"), info.value.message("en")
        assert zh != en and any("\u4e00" <= ch <= "\u9fff" for ch in zh), (zh, en)
    with pytest.raises(AtlasError) as info:
        check_lonlat(31.3, 120.6)
    assert "填反" in info.value.message("zh") and "swapped" in info.value.message("en")
