"""The web map draws footprints, not stacked whole-unit fills, and a unit's tooltip names all its corridors."""

import html
import re

import pytest

from atlas_web.basemaps import resolve_basemap
from atlas_web.mapview import MapView
from atlas_web.popups import legend_html, unit_html, unit_roles
from atlas_web.webmap import build_map
from presentation.display import build_display_layers
from presentation.style import CORRIDOR_COLOURS, FOOTPRINT_OPACITY, rgba


@pytest.fixture(scope="module")
def display(atlas):
    return build_display_layers(atlas)


def test_wuzhong_tooltip_names_every_corridor_with_its_role(atlas):
    # Before: the topmost zone's tooltip covered 吴中区 and named one corridor only.
    roles = unit_roles(atlas, "zh")["320506"]
    expected = atlas.members.loc[atlas.members["adcode"] == "320506"]
    assert len(roles) == len(expected) == 3
    wuzhong = atlas.units.set_index("adcode").loc["320506"].copy()
    wuzhong["adcode"] = "320506"
    tip = unit_html(wuzhong, "zh", roles)
    for row in expected.itertuples():
        name = atlas.corridors.set_index("id").loc[row.corridor_id, "name_zh"]
        assert f"{html.escape(name)}: {html.escape(row.role_zh)}" in tip


def test_a_unit_in_no_corridor_says_so(atlas):
    unit = atlas.units.iloc[0].copy()
    assert "不属于任何走廊" in unit_html(unit, "zh", [])


def test_footprints_let_clicks_through_and_are_simplified(atlas, display):
    fmap = build_map(atlas, display, resolve_basemap("none"), MapView(lang="zh", corridors=("ring",)))
    page = fmap.get_root().render()
    # the footprint is drawn as a non-interactive layer in the corridor's colour
    styles = re.findall(r"interactive: false, style: function \(\) \{ return (\{.*?\}); \}", page)
    ring = CORRIDOR_COLOURS["ring"]
    assert any(f'"fillColor": "{ring}"' in s and f'"fillOpacity": {FOOTPRINT_OPACITY}' in s for s in styles), styles
    assert "<b>中环科技创新走廊</b><br>" not in page  # no more zone tooltip on top of the units
    full = sum(len(g.exterior.coords) for g in atlas.corridors.set_index("id").loc["ring", "footprint"].geoms)
    drawn = display.footprints["ring"]
    drawn_vertices = sum(len(g.exterior.coords) for g in getattr(drawn, "geoms", [drawn]))
    assert drawn_vertices < full / 3


def test_legend_swatch_is_the_footprint_fill(atlas):
    legend = legend_html(atlas.corridors, MapView(lang="en", corridors=("taihu",)))
    assert f"background:{rgba(CORRIDOR_COLOURS['taihu'], FOOTPRINT_OPACITY)};border:1px solid" in legend
    assert CORRIDOR_COLOURS["ring"] not in legend  # only what is shown


def test_facility_clusters_take_their_category_colour(atlas, display):
    # Before: Leaflet's default green and yellow cluster icons, which read as categories of their own.
    from layers import drawn_as_sites
    from presentation.style import CATEGORY_COLOURS

    categories = tuple(drawn_as_sites(atlas.facilities)["category"].unique())
    view = MapView(lang="zh", categories=categories)
    page = build_map(atlas, display, resolve_basemap("none"), view).get_root().render()
    assert "iconCreateFunction" in page and "atlas-cluster" in page
    for cat in categories:
        assert f'"colour": "{CATEGORY_COLOURS[cat]}"' in page, cat


def test_axes_point_toward_the_places_they_link_on_the_web_map(atlas, display):
    assert len(display.arrows["huning"]) == 1 and len(display.arrows["tongsujia"]) == 2
    assert "ring" not in display.arrows  # only axes carry arrows
    page = build_map(atlas, display, resolve_basemap("none"), MapView(lang="zh", corridors=("huning",)))
    html_page = page.get_root().render()
    colour = CORRIDOR_COLOURS["huning"]
    assert f'"fillColor": "{colour}", "fillOpacity": 1.0' in html_page


def test_a_thematic_map_fills_units_by_class_with_a_classed_legend(atlas, display):
    from layers.indicators import theme
    from presentation.style import THEME_COLOURS

    thematic = theme(atlas, "gdp_100m_yuan")
    assert thematic.year == 2023 and thematic.classes.by_unit["320583"] == len(thematic.classes.bounds) - 1  # 昆山
    view = MapView(lang="zh", theme="gdp_100m_yuan")
    page = build_map(atlas, display, resolve_basemap("none"), view).get_root().render()
    assert f'"fillColor": "{THEME_COLOURS[-1]}"' in page
    legend = legend_html(atlas.corridors, view, (), thematic)
    assert "地区生产总值（亿元），2023 年" in legend and "无数据" not in legend  # all ten have a value
    for low_high in thematic.classes.ranges(1):
        assert html.escape(low_high) in legend
    tip = unit_html(atlas.units.iloc[0], "zh", [], thematic)
    assert "地区生产总值（亿元）: " in tip


def test_a_derived_value_is_marked_in_the_tooltip_outline_and_legend_never_shown_as_published(atlas, display):
    """姑苏区's 2023 GDP is the city less the nine others: classed like the rest, but marked (issue 26)."""
    from atlas_web.webmap import theme_style
    from layers.indicators import theme
    from presentation.i18n import DERIVED_MARK
    from presentation.style import DERIVED_DASH_WEB

    thematic = theme(atlas, "gdp_100m_yuan")
    assert thematic.derived == {"320508"} and thematic.classes.by_unit["320508"] >= 0
    gusu = atlas.units.set_index("adcode", drop=False).loc["320508"]
    assert f"950.07 {DERIVED_MARK}" in unit_html(gusu, "zh", [], thematic)
    assert DERIVED_MARK not in unit_html(atlas.units.iloc[0], "zh", [], thematic)  # 虎丘: published
    assert theme_style(thematic, "320508")["dashArray"] == DERIVED_DASH_WEB
    assert "dashArray" not in theme_style(thematic, "320505")
    for lang, words in (("zh", "推算值"), ("en", "derived")):
        legend = legend_html(atlas.corridors, MapView(lang=lang, theme="gdp_100m_yuan"), (), thematic)
        assert f"{DERIVED_MARK} {words}" in legend
    page = build_map(atlas, display, resolve_basemap("none"), MapView(lang="zh", theme="gdp_100m_yuan"))
    script = page.get_root().render()
    assert script.count(f'"dashArray": "{DERIVED_DASH_WEB}"') == 1  # 姑苏 alone, drawn after its neighbours
    assert script.index("unit:320508") > max(
        script.index(f"unit:{code}") for code in atlas.units["adcode"] if code != "320508"
    )
    population = theme(atlas, "resident_population_10k")  # all published: no mark anywhere
    assert not population.derived
    assert DERIVED_MARK not in legend_html(atlas.corridors, MapView(lang="zh"), (), population)


def test_a_unit_without_a_value_is_grey_and_the_legend_says_no_data(atlas, display):
    import dataclasses

    from layers.indicators import theme
    from presentation.style import THEME_MISSING

    rows = atlas.indicators.copy()
    rows.loc[(rows["adcode"] == "320508") & (rows["indicator"] == "gdp_100m_yuan"), ["value", "method"]] = [
        float("nan"),
        "",
    ]
    lacking = dataclasses.replace(atlas, indicators=rows)
    thematic = theme(lacking, "gdp_100m_yuan")
    assert thematic.classes.by_unit["320508"] == -1 and not thematic.derived
    view = MapView(lang="zh", theme="gdp_100m_yuan")
    page = build_map(lacking, display, resolve_basemap("none"), view).get_root().render()
    assert f'"fillColor": "{THEME_MISSING}"' in page
    assert "无数据" in legend_html(lacking.corridors, view, (), thematic)
    gusu = lacking.units.set_index("adcode", drop=False).loc["320508"]
    assert "无数据" in unit_html(gusu, "zh", [], thematic)


def test_water_is_drawn_above_the_units_so_a_lake_never_takes_a_class_colour(atlas, display):
    # Seen in the thematic map's screenshot: Taihu was filled with 吴中区's GDP class.
    from atlas_web.webmap import WATER_STYLE

    page = build_map(atlas, display, resolve_basemap("none"), MapView(lang="zh", theme="gdp_100m_yuan"))
    script = page.get_root().render()
    suzhou_water = '"color": "{color}", "weight": {weight}, "fillColor": "{fillColor}"'.format(**WATER_STYLE)
    # Suzhou's own water (with its shore line; the water around, under the units, has none) after the units
    assert script.index(suzhou_water) > script.index('"tip"')


def test_a_member_beyond_the_band_is_hatched_in_its_corridors_layer_with_a_legend_entry(atlas):
    """吴中 added to 沿江 far from the river: the scenario's map shows it (hatch lines in 沿江's layer)."""
    import shapely

    from layers.layout import atlas_with_layout, plan_layout, with_member

    scenario = atlas_with_layout(atlas, with_member(plan_layout(), "yangtze", {"adcode": "320506", "role_zh": "试验"}))
    layers = build_display_layers(scenario)
    hatch = layers.beyond_band["yangtze"]
    wuzhong = atlas.units.set_index("adcode").geometry["320506"]
    assert hatch.length > 0 and wuzhong.buffer(0.002).covers(hatch)
    assert build_display_layers(atlas).beyond_band.get("yangtze") is None
    view = MapView(lang="en", corridors=("yangtze",))
    page = build_map(scenario, layers, resolve_basemap("none"), view).get_root().render()
    first = shapely.get_coordinates(hatch)[0]
    assert f"[{round(first[1], 6)}, {round(first[0], 6)}]" in page.replace("[ ", "[")
    assert "beyond the corridor" in legend_html(scenario.corridors, view)
    assert "beyond the corridor" not in legend_html(atlas.corridors, view)
    assert "beyond the corridor" not in legend_html(
        scenario.corridors, MapView(lang="en", corridors=("huning", "taihu"))
    )


def test_rows_placed_by_address_are_counts_at_their_unit_not_sites(atlas):
    """A register without coordinates: a proportional count symbol per unit, a list on click, a legend entry."""
    import folium

    from atlas_web.webmap import address_count_records, workspace_groups
    from userdata.reading import read_table
    from userdata.tables import classify_table
    from workspace.session import ImportedPoints, new_workspace

    data = (
        "名称,地址\n甲,苏州工业园区星湖街218号\n乙,苏州工业园区金鸡湖大道1号\n丙,吴江区盛泽镇\n丁,苏州虎丘\n".encode()
    )
    frame, info = read_table(data, "register.csv")
    table, report = classify_table(frame, info, atlas=atlas)
    records = address_count_records(table, atlas.units, lang="en", label="名称")
    by_unit = {r["adcode"]: r for r in records}
    assert set(by_unit) == {"320571", "320509"} and by_unit["320571"]["n"] == 2 and by_unit["320509"]["n"] == 1
    assert by_unit["320571"]["size"] > by_unit["320509"]["size"]  # the symbol grows with the count
    assert "甲" in by_unit["320571"]["popup"] and "乙" in by_unit["320571"]["popup"]
    assert "Shengze" in by_unit["320509"]["popup"] or "盛泽镇" in by_unit["320509"]["popup"]
    ws = new_workspace(atlas)
    ws.set_points(ImportedPoints("register.csv", table, "名称", "wgs84", report=report))
    groups, legend = workspace_groups(ws, lang="en")
    page = folium.Map()
    for group in groups:
        group.add_to(page)
    script = page.get_root().render()
    assert "atlas-address-count" in script and "NaN" not in script
    assert any("placed by address" in entry[1] for entry in legend)
    # the search box finds each row placed, at its unit's count, whose list it opens
    entries = {e.label.split(" — ")[0]: e for group in groups for e in getattr(group, "search_entries", ())}
    assert set(entries) == {"甲", "乙", "丙"}  # the ambiguous row is placed nowhere, so found nowhere
    park = by_unit["320571"]
    assert (entries["甲"].target["lat"], entries["甲"].target["lng"]) == (park["lat"], park["lng"])
    assert park["find"] == "addr:320571" and entries["甲"].target["find"].endswith(":320571")
    assert entries["乙"].target["find"] == entries["甲"].target["find"] != entries["丙"].target["find"]
    assert "Wujiang" in entries["丙"].label and entries["丙"].target["find"] in script  # registered for the search
