import geopandas as gpd
import pytest
import shapely

from layers import CORRIDOR_IDS
from spatial.crs import PLANNING_CRS

# Memberships exactly as the plan's section 三(五)1 names them (高新区 = 320505).
PLAN_MEMBERS = {
    "ring": {"320571", "320505", "320506", "320507", "320508", "320509"},
    "huning": {"320585", "320583", "320507", "320571", "320505"},
    "tongsujia": {"320582", "320581", "320507", "320571", "320509", "320506"},
    "taihu": {"320507", "320505", "320506", "320509"},
    "yangtze": {"320582", "320581", "320585"},
    "hongqiao": {"320583", "320585", "320507", "320571", "320581"},
}


def test_six_corridors_with_stable_ids_and_kinds(atlas):
    c = atlas.corridors.set_index("id")
    assert tuple(c.index) == CORRIDOR_IDS
    assert c.loc["ring", "kind"] == "ring"
    assert set(c.loc[["huning", "tongsujia"], "kind"]) == {"axis"}
    assert set(c.loc[["taihu", "yangtze", "hongqiao"], "kind"]) == {"belt"}


@pytest.mark.parametrize("cid", CORRIDOR_IDS)
def test_members_match_the_plan(atlas, cid):
    got = set(atlas.members.loc[atlas.members["corridor_id"] == cid, "adcode"])
    assert got == PLAN_MEMBERS[cid]


@pytest.mark.parametrize("cid", CORRIDOR_IDS)
def test_zone_is_union_of_members_and_footprint_reaches_every_member(atlas, cid):
    row = atlas.corridors.set_index("id").loc[cid]
    units = atlas.units.set_index("adcode")
    expected = shapely.union_all(list(units.loc[list(PLAN_MEMBERS[cid])].geometry))
    assert row["zone"].symmetric_difference(expected).area < 1e-9
    footprint = gpd.GeoSeries([row["footprint"]], crs=4326).to_crs(PLANNING_CRS).iloc[0]
    for code in PLAN_MEMBERS[cid]:
        member = gpd.GeoSeries([units.loc[code].geometry], crs=4326).to_crs(PLANNING_CRS).iloc[0]
        assert footprint.intersection(member).area > 0.5e6, f"{cid}'s footprint misses {code}"


def test_ring_is_a_closed_loop_around_the_old_city_inside_its_members(atlas):
    corridors = atlas.corridors.set_index("id")
    ring = corridors.loc["ring", "spine"]
    assert ring.geom_type == "LineString" and ring.is_closed
    units = atlas.units.set_index("adcode")
    gusu = units.loc["320508"].geometry
    assert shapely.Polygon(ring.coords).contains(gusu)
    members = shapely.union_all(list(units.loc[list(corridors.loc["ring", "member_adcodes"])].geometry))
    assert ring.difference(members).length == 0


def test_hongqiao_belt_has_its_three_functions_and_reaches_hongqiao(atlas):
    f = atlas.functions.loc[atlas.functions["corridor_id"] == "hongqiao", "function_zh"]
    assert set(f) == {"中央商务协作区", "国际贸易协同发展区", "综合交通枢纽功能拓展区"}
    hub = atlas.anchors.set_index("anchor_id").loc["hongqiao"].geometry
    spine = atlas.corridors.set_index("id").loc["hongqiao", "spine"]
    assert spine.distance(hub) < 1e-9


def test_every_role_is_bilingual(atlas):
    assert (atlas.members[["role_zh", "role_en", "group_zh", "group_en"]] != "").all().all()
