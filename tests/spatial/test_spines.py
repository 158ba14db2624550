"""Corridor spines on their real alignments, and footprints of land around them."""

import csv

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString, Polygon, box

import geodata
from layers.corridors import SPINE_PRECISIONS
from layers.sources import load_sources, split_ids
from spatial.corridor_geometry import footprint, land, outer_rings, share_within, waterside_line
from spatial.crs import PLANNING_CRS
from spatial.extent import in_extent


def _planar(geom):
    return gpd.GeoSeries([geom], crs=4326).to_crs(PLANNING_CRS).iloc[0]


def _water(atlas, water_id):
    return _planar(atlas.water.set_index("water_id").loc[water_id].geometry)


def _city_line(atlas):
    import layers

    return shapely.boundary(_planar(layers.load_municipal_outline().geometry.iloc[0]))


def test_taihu_spine_follows_the_shore_for_at_least_90_percent(atlas):
    spine = _planar(atlas.corridors.set_index("id").loc["taihu", "spine"])
    shore = shapely.difference(outer_rings(_water(atlas, "taihu")), shapely.buffer(_city_line(atlas), 300))
    assert share_within(spine, shore, 3000) >= 0.9
    assert spine.length > 100_000  # the whole shore in Suzhou, 虎丘 to 吴江, not a stub


def test_yangtze_spine_follows_the_bank_for_at_least_90_percent(atlas):
    spine = _planar(atlas.corridors.set_index("id").loc["yangtze", "spine"])
    bank = shapely.difference(outer_rings(_water(atlas, "yangtze")), shapely.buffer(_city_line(atlas), 300))
    assert share_within(spine, bank, 3000) >= 0.9
    assert spine.length > 100_000


def test_each_spine_states_its_precision_and_the_feature_it_follows(atlas):
    corridors = atlas.corridors.set_index("id")
    assert set(corridors["spine_precision"]) <= set(SPINE_PRECISIONS)
    assert corridors.loc[["taihu", "yangtze"], "spine_precision"].eq("traced").all()
    assert corridors["spine_feature_zh"].str.len().gt(0).all() and corridors["spine_feature_en"].str.len().gt(0).all()


def test_every_waypoint_has_a_source_a_datum_and_lies_where_it_should():
    with open(geodata.path("spine_waypoints"), encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with open(geodata.path("anchors"), encoding="utf-8", newline="") as fh:
        anchors = {row["anchor_id"] for row in csv.DictReader(fh)}
    known = set(load_sources()["source_id"])
    for row in rows:
        if row["ref"]:
            assert row["ref"].removeprefix("anchor:") in anchors, row
            continue
        assert row["datum"] == "wgs84", row
        assert row["source_id"] and row["coord_detail"], row  # the documents (sources.csv) and what they give
        assert set(split_ids(row["source_id"])) <= known, row
        lon, lat = float(row["lon"]), float(row["lat"])
        assert 119.5 < lon < 121.6 and 30.5 < lat < 32.3, row  # Suzhou and the places it links to


def test_spine_points_inside_suzhou_are_in_its_extent(atlas):
    for row in atlas.corridors.itertuples():
        coords = shapely.get_coordinates(row.spine)
        assert any(in_extent(lon, lat) for lon, lat in coords), row.id


def test_footprints_hold_no_water_and_stay_inside_their_members(atlas):
    water = shapely.union_all([_planar(g) for g in atlas.water.geometry])
    units = atlas.units.set_index("adcode")
    for row in atlas.corridors.itertuples():
        shape = _planar(row.footprint)
        members = _planar(shapely.union_all(list(units.loc[list(row.member_adcodes)].geometry)))
        assert shape.intersection(water).area < 1e4, row.id  # under a hectare: edge noise only
        assert shape.difference(members.buffer(1)).area < 1e4, row.id
        assert shape.area / 1e6 == pytest.approx(row.footprint_land_km2, abs=0.1)
        assert 0 < row.footprint_land_km2 < row.members_land_km2


def test_members_land_is_the_sum_of_their_land(atlas):
    land_km2 = atlas.units.set_index("adcode")["land_area_km2"]
    for row in atlas.corridors.itertuples():
        assert row.members_land_km2 == pytest.approx(land_km2[list(row.member_adcodes)].sum(), abs=0.5)


def test_a_wider_band_gives_a_larger_footprint():
    land_area = box(0, 0, 50_000, 50_000)
    spine = LineString([(0, 25_000), (50_000, 25_000)])
    narrow, wide = footprint(spine, 1_000, land_area), footprint(spine, 5_000, land_area)
    assert narrow.area == pytest.approx(50_000 * 2_000, rel=1e-3)
    assert wide.area == pytest.approx(50_000 * 10_000, rel=1e-3)
    with pytest.raises(ValueError, match="positive"):
        footprint(spine, 0, land_area)


def test_waterside_line_drops_the_city_line_drawn_across_the_water():
    lake = box(0, 0, 10_000, 10_000)  # the city line runs along x = 10 000 through the lake
    city_line = LineString([(10_000, -5_000), (10_000, 15_000)])
    shore = waterside_line(lake, city_line, gap_m=300)
    assert shore.length == pytest.approx(30_000 - 2 * 300, rel=1e-6)  # three sides, ends trimmed
    assert shore.distance(LineString([(10_000, 0), (10_000, 10_000)])) == pytest.approx(300)


def test_waterside_line_ignores_island_shores_and_land_drops_lakes():
    lake = Polygon(box(0, 0, 10_000, 10_000).exterior.coords, [box(4_000, 4_000, 6_000, 6_000).exterior.coords])
    shore = waterside_line(lake, LineString([(20_000, 0), (20_000, 1)]), gap_m=300)
    assert shore.length == pytest.approx(40_000)
    assert land(box(0, 0, 20_000, 10_000), lake).area == pytest.approx(20_000 * 10_000 - lake.area)


def test_share_within_measures_the_near_part():
    line = LineString([(0, 0), (10_000, 0)])
    assert share_within(line, LineString([(0, 100), (5_000, 100)]), 500) == pytest.approx(0.55, abs=0.01)


def test_outward_arrows_sit_where_a_line_leaves_toward_an_outside_end():
    from spatial.corridor_geometry import outward_arrows

    area = box(0, 0, 10_000, 10_000)
    line = LineString([(5_000, 5_000), (20_000, 5_000)])  # starts inside, ends outside to the east
    (arrow,) = outward_arrows(line, area, length_m=1_000)
    assert not area.contains(arrow.centroid) and arrow.bounds[0] == pytest.approx(10_000)
    assert arrow.bounds[2] == pytest.approx(11_000)  # its tip 1 km further along, pointing east
    assert outward_arrows(LineString([(1_000, 1_000), (9_000, 9_000)]), area, length_m=1_000) == []
    both = LineString([(-5_000, 5_000), (15_000, 5_000)])
    assert len(outward_arrows(both, area, length_m=1_000)) == 2


def test_the_axes_point_toward_the_places_they_link(atlas):
    from spatial.corridor_geometry import outward_arrows

    city = _planar(shapely.union_all(list(atlas.units.geometry)))
    corridors = atlas.corridors.set_index("id")
    huning = outward_arrows(_planar(corridors.loc["huning", "spine"]), city, length_m=4_000)
    tongsujia = outward_arrows(_planar(corridors.loc["tongsujia", "spine"]), city, length_m=4_000)
    assert len(huning) == 1 and len(tongsujia) == 2  # toward Shanghai; toward Nantong and Jiaxing
    east = huning[0].centroid
    assert east.x > city.centroid.x and not city.contains(east)
    north, south = sorted(tongsujia, key=lambda a: -a.centroid.y)
    assert north.centroid.y > city.centroid.y > south.centroid.y


def test_summary_spine_length_counts_only_the_part_inside_suzhou(atlas):
    # Seen by the walkthrough: 通苏嘉 reported 160 km, the line from Nantong to Jiaxing.
    from layers import FACILITY_CATEGORIES
    from spatial.summary import corridor_summary

    table = corridor_summary(atlas.corridors, atlas.units, atlas.facilities, categories=FACILITY_CATEGORIES)
    lengths = table.set_index("id")["spine_length_km"]
    city = _planar(shapely.union_all(list(atlas.units.geometry)))
    spines = atlas.corridors.set_index("id")["spine"]
    whole = _planar(spines["tongsujia"]).length / 1000
    inside = _planar(spines["tongsujia"]).intersection(city).length / 1000
    assert lengths["tongsujia"] == pytest.approx(inside, abs=0.1) and inside < whole - 30
    assert lengths["taihu"] == pytest.approx(_planar(spines["taihu"]).length / 1000, abs=1)  # all inside


def test_members_beyond_the_band_are_those_it_barely_reaches():
    from spatial.corridor_geometry import members_beyond_band

    lands = {"near": box(0, 0, 10, 10), "edge": box(10, 0, 20, 10), "far": box(50, 0, 60, 10)}
    band = box(0, 0, 10.5, 10)  # 100 of "near", 5 of "edge", none of "far"
    assert members_beyond_band(lands, band, min_area_m2=10) == ("edge", "far")
    assert members_beyond_band(lands, band, min_area_m2=1) == ("far",)
    assert members_beyond_band(lands, shapely.Polygon(), min_area_m2=1) == ("near", "edge", "far")
    with pytest.raises(ValueError, match="min_area_m2"):
        members_beyond_band(lands, band, min_area_m2=-1)


def test_a_unit_added_far_from_a_spine_is_a_member_beyond_its_band(atlas):
    from layers.layout import atlas_with_layout, plan_layout, with_member

    plan = atlas.corridors.set_index("id")["beyond_band_adcodes"]
    assert plan["ring"] == ("320508",)  # 姑苏 lies inside the middle ring: 1 km² of its land in the band
    assert plan["yangtze"] == () and plan["taihu"] == ()
    layout = with_member(plan_layout(), "yangtze", {"adcode": "320506", "role_zh": "试验"})
    scenario = atlas_with_layout(atlas, layout).corridors.set_index("id")["beyond_band_adcodes"]
    assert scenario["yangtze"] == ("320506",)


def test_hatch_lines_cover_an_area_at_their_spacing_and_stay_inside_it():
    from spatial.corridor_geometry import hatch_lines

    square = box(0, 0, 100, 100)
    lines = hatch_lines(square, spacing_m=10)
    assert square.buffer(1e-6).covers(lines)
    # 45° lines 10 m apart across a 100 m square: its area over the spacing, 1,000 m of line in all
    assert lines.length == pytest.approx(100 * 100 / 10, rel=0.05)
    assert shapely.get_num_geometries(lines) == pytest.approx(100 * 2**0.5 / 10, abs=2)  # the diagonal over the spacing
    assert hatch_lines(box(0, 0, 100, 100).difference(box(10, 10, 90, 90)), spacing_m=10).length < lines.length
    assert hatch_lines(shapely.Polygon(), spacing_m=10).is_empty
    with pytest.raises(ValueError, match="spacing"):
        hatch_lines(square, spacing_m=0)
