import geopandas as gpd
import pytest

import layers
import layers.facilities as facilities_module
from atlas_core.errors import DataValidationError
from layers import FACILITY_CATEGORIES, PRECISION_CLASSES
from layers._io import read_table
from layers.water import unit_label_points


def _plant(monkeypatch, name: str, table) -> None:
    """The loader reads ``table`` in place of geodata/<name>.csv (every other file as it is)."""
    monkeypatch.setattr(facilities_module, "read_table", lambda asked: table if asked == name else read_table(asked))


def test_each_facility_lies_in_its_stated_unit(atlas):
    pointed = atlas.facilities.loc[atlas.facilities["precision"] != "unit"]
    assert len(pointed) >= 5
    joined = gpd.sjoin(
        pointed,
        atlas.units[["adcode", "geometry"]].rename(columns={"adcode": "found"}),
        predicate="within",
        how="left",
    )
    wrong = joined.loc[joined["found"] != joined["adcode"], ["facility_id", "adcode", "found"]]
    assert wrong.empty, wrong.to_string()


def test_facility_fields_are_complete(atlas):
    f = atlas.facilities
    assert f.crs.to_epsg() == 4326
    assert set(f["category"]) <= set(FACILITY_CATEGORIES)
    assert set(f["precision"]) <= set(PRECISION_CLASSES)
    assert (f[["name_zh", "name_en", "source_id", "source", "source_kind", "note_zh", "note_en"]] != "").all().all()
    pointed = f.loc[f["precision"] != "unit"]
    assert (pointed[["source_datum", "coord_source_id", "coord_source", "coord_source_kind"]] != "").all().all()
    assert pointed["coord_source"].str.contains(":").all()  # the citation says what it gives (coord_detail)


def test_a_unit_level_item_is_never_drawn_as_a_site(atlas):
    # Before: 20 of 23 points were unit markers stacked on one another, pretending to be sites.
    f = atlas.facilities
    unit_rows = f.loc[f["precision"] == "unit"]
    assert len(unit_rows) >= 10
    assert unit_rows.geometry.isna().all()
    assert (unit_rows[["lon", "lat"]].isna()).all().all()
    sites = layers.drawn_as_sites(f)
    assert set(sites["precision"]) <= {"site", "campus"}
    assert not sites.geometry.duplicated().any()  # no two sites stacked on one point


def test_sub_area_rows_stand_at_their_sub_areas_cited_point(atlas):
    f, areas = atlas.facilities, atlas.sub_areas.set_index("sub_area_id")
    rows = f.loc[f["precision"] == "sub-area"]
    assert len(rows) >= 4
    for row in rows.itertuples():
        assert row.geometry.equals(areas.at[row.sub_area_id, "geometry"]), row.facility_id
        assert row.coord_source == areas.at[row.sub_area_id, "coord_source"]
    inside = gpd.sjoin(atlas.sub_areas, atlas.units[["adcode", "geometry"]].rename(columns={"adcode": "found"}))
    assert (inside["found"] == inside["adcode"]).all() and len(inside) == len(atlas.sub_areas)


def test_places_group_every_row_without_a_site_exactly_once(atlas):
    f, places = atlas.facilities, atlas.places
    grouped = [fid for ids in places["facility_ids"] for fid in ids]
    expected = f.loc[~f["precision"].isin(["site", "campus"]), "facility_id"]
    assert sorted(grouped) == sorted(expected)
    assert (places["n"] == places["facility_ids"].map(len)).all()
    units = places.loc[places["kind"] == "unit"].set_index("adcode")
    labels = dict(zip(atlas.units["adcode"], unit_label_points(atlas.units), strict=True))
    for adcode, row in units.iterrows():  # a unit's count sits at its name, not at any site
        assert row.geometry.equals(labels[adcode])


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("lon", "120.6", "has no coordinate of its own"),
        ("sub_area_id", "dushu_lake", "only for 'sub-area' rows"),
        ("source_id", "a_blog", "unknown source 'a_blog'"),
        ("source_id", "", "source_id is required"),
        ("note_zh", "", "note_zh and note_en are required"),
    ],
)
def test_a_unit_row_with_a_coordinate_or_bad_source_is_refused(atlas, monkeypatch, column, value, message):
    table = read_table("facilities")
    first_unit = table.index[table["precision"] == "unit"][0]
    table.loc[first_unit, column] = value
    _plant(monkeypatch, "facilities", table)
    with pytest.raises(DataValidationError, match=message):
        facilities_module.load_facilities(atlas.units)


def test_a_sub_area_row_must_name_a_known_sub_area_in_its_unit(atlas, monkeypatch):
    table = read_table("facilities")
    rows = table.index[table["precision"] == "sub-area"]
    table.loc[rows[0], "sub_area_id"] = "nowhere"
    table.loc[rows[1], "adcode"] = "320583"
    _plant(monkeypatch, "facilities", table)
    with pytest.raises(DataValidationError, match=r"2 problem\(s\)") as info:
        facilities_module.load_facilities(atlas.units)
    assert "'nowhere' is not in geodata/sub_areas.csv" in str(info.value) and "not 320583" in str(info.value)


def test_a_named_town_must_be_an_nbs_code_in_the_rows_unit(atlas, monkeypatch):
    table = read_table("facilities")
    with_town = table.index[table["town_code"] != ""]
    table.loc[with_town[0], "town_code"] = "320583100000"  # 玉山镇, in 昆山: not this row's unit
    table.loc[with_town[1], "town_code"] = "320500999000"
    _plant(monkeypatch, "facilities", table)
    with pytest.raises(DataValidationError, match=r"2 problem\(s\)") as info:
        facilities_module.load_facilities(atlas.units)
    assert "lies in 320583" in str(info.value) and "'320500999000' is not an NBS 2023 code" in str(info.value)


def test_a_town_is_named_only_on_a_source_that_names_it_and_shown_in_the_popup_and_the_units_list(atlas):
    """Issue 26: the zones run as one with a town (区镇合一) and the campus whose site notice names its
    town carry that town; its name is in the popup and in the unit's list, never a made-up point."""
    from atlas_web.popups import facility_lookup, facility_popup_html

    facilities = atlas.facilities.set_index("facility_id", drop=False)
    towns = facilities.loc[facilities["town_code"] != "", "town_zh"].to_dict()
    assert towns["zhangjiagang_etdz"] == "杨舍镇" and towns["cacms_university"] == "临湖镇"
    assert towns["xushuguan_etdz"] == "浒墅关经开区（镇）" and towns["naffic"] == "盛泽镇"
    for facility_id in towns:  # a town's name comes with a source that names it (beside the unit's)
        assert facilities.at[facility_id, "source_id"] or facilities.at[facility_id, "sub_area_id"]
    assert facilities.at["zhangjiagang_etdz", "precision"] == "unit"  # no citable coordinate for 杨舍镇
    units = dict(zip(atlas.units["adcode"], atlas.units["name_en"], strict=True))
    assert "<td>杨舍镇</td>" in facility_popup_html(facilities.loc["zhangjiagang_etdz"], units, "en")
    assert "杨舍镇" not in facility_popup_html(facilities.loc["sust"], units, "en")
    assert "· 临湖镇" in facility_lookup(atlas.facilities, "zh")["cacms_university"]


def test_xushuguan_zone_stands_at_its_towns_cited_point_inside_its_unit(atlas):
    zone = atlas.facilities.set_index("facility_id").loc["xushuguan_etdz"]
    assert zone["precision"] == "sub-area" and zone["sub_area_id"] == "xushuguan"
    snd = atlas.units.set_index("adcode").geometry["320505"]
    assert snd.contains(zone.geometry) and zone["coord_source_url"].startswith("https://zh.wikipedia.org/")
    assert "kfd.me" in zone["coord_read_at"]  # the mirror it was read at, apart


# Facilities the action plan names with a site in Suzhou (sections 三(三)1-3, 三(四), 三(七)); each must
# be either on the map or listed, with a reason, among the unplaced ones. Matched by substring of name_zh.
PLAN_NAMED = [
    "姑苏实验室",
    "国家生物药技术创新中心",
    "国家第三代半导体技术创新中心",
    "苏州纳米技术",
    "苏州生物医学工程",
    "国家先进功能纤维创新中心",
    "长三角先进材料研究院",
    "国家超级计算昆山中心",
    "量子科技长三角产业创新中心",
    "特种合金技术创新中心",
    "未来膜技术创新中心",
    "南京大学苏州校区",
    "中国科学技术大学苏州高等研究院",
    "西北工业大学太仓校区",
    "东南大学苏州校区",
    "河海大学苏州研究",
    "南京医科大学姑苏学院",
    "中国中医科学院大学",
    "苏州科技大学",
    "常熟理工学院",
    "西交利物浦大学",
    "苏州城市学院",
    "苏州大学",
    "先进技术成果长三角转化中心",
    "上海交通大学苏州人工智能研究院",
    "集萃脑机融合智能技术研究所",
    "苏州同济区块链研究院",
    "国家工业互联网大数据中心江苏分中心",
    "长三角数字金融数据中心",
    "长三角数字货币研究院",
    "昆山金融改革试验区",
    "知识产权保护中心",
    "人工智能创新发展试验区",
]


def test_every_plan_named_facility_is_mapped_or_listed_as_unplaced(atlas):
    names = list(atlas.facilities["name_zh"]) + list(atlas.unplaced["name_zh"])
    missing = [n for n in PLAN_NAMED if not any(n in name for name in names)]
    assert not missing, missing


def test_unplaced_facilities_say_why_in_both_languages(atlas):
    u = atlas.unplaced
    assert len(u) > 0
    assert (u[["reason_zh", "reason_en", "name_zh", "name_en"]] != "").all().all()
    assert not set(u["facility_id"]) & set(atlas.facilities["facility_id"])


def test_facility_validation_reports_every_problem(atlas, monkeypatch):
    table = read_table("facilities")
    table.loc[0, "coord_source_id"] = ""
    table.loc[1, "category"] = "museum"
    table.loc[2, "lon"] = "nan"
    _plant(monkeypatch, "facilities", table)
    with pytest.raises(DataValidationError, match=r"3 problem\(s\)") as info:
        facilities_module.load_facilities(atlas.units)
    text = str(info.value)
    assert "coord_source_id" in text and "'museum'" in text and "not finite" in text


def test_an_id_both_placed_and_unplaced_is_rejected(atlas, monkeypatch):
    table = read_table("facilities_unplaced")
    table.loc[0, "facility_id"] = atlas.facilities["facility_id"].iloc[0]
    _plant(monkeypatch, "facilities_unplaced", table)
    with pytest.raises(DataValidationError, match="both placed and unplaced"):
        facilities_module.load_unplaced_facilities(atlas.facilities)
