"""The map's search index: what it holds, the keys it is found by, and that its text stays text."""

from __future__ import annotations

import dataclasses

import pytest

from atlas_web.search_index import build_search_index, pinyin_keys
from layers.gazetteer import load_towns
from presentation.display import build_display_layers
from spatial.names import normalise_key


@pytest.fixture(scope="module")
def display(atlas):
    return build_display_layers(atlas)


@pytest.fixture(scope="module")
def index_zh(atlas, display):
    return build_search_index(atlas, display, lang="zh")


def _find(index, key):
    return [r for r in index if normalise_key(key) in r["keys"]]


def test_every_unit_town_and_facility_is_in_the_index_with_a_unique_label(atlas, index_zh):
    labels = [r["label"] for r in index_zh]
    assert len(labels) == len(set(labels))
    towns = load_towns(atlas.units)
    towns = towns.loc[towns["level"] != "zone"]
    for name in [*atlas.units["name_zh"], *towns["name_zh"], *atlas.facilities["name_zh"]]:
        assert _find(index_zh, name), name


def test_keys_hold_aliases_abbreviations_and_pinyin(index_zh):
    assert pinyin_keys("盛泽镇") == ["shengzezhen", "szz"]
    assert pinyin_keys("Suzhou") == []
    sip = next(r for r in index_zh if r["label"].startswith("苏州工业园区 — "))
    assert {"sip", "园区", "szgyyq", "suzhouindustrialpark"} <= set(sip["keys"])
    suda = next(r for r in index_zh if r["label"].startswith("苏州大学（天赐庄校区）"))
    assert "苏大" in suda["keys"]  # spatial.search's abbreviation, as the Query page knows it
    town = next(r for r in index_zh if r["label"].startswith("盛泽镇 — 吴江区的镇"))
    assert "bounds" in town["target"] and "吴江区" in town["target"]["note"]
    assert town["rank"] < next(r for r in index_zh if r["label"].startswith("盛泽镇 — 地点"))["rank"]


def test_a_facility_with_no_site_of_its_own_opens_its_places_list(atlas, index_zh):
    seid = next(r for r in index_zh if r["label"].startswith("独墅湖科教创新区 — 科教创新区"))
    assert seid["target"]["find"] == "place:dushu_lake"
    unit_only = atlas.facilities.loc[atlas.facilities["precision"] == "unit"].iloc[0]
    record = next(r for r in index_zh if r["label"].startswith(unit_only["name_zh"] + " — "))
    assert record["target"]["find"] == f"place:{unit_only['adcode']}" and "bounds" in record["target"]


def test_hostile_names_are_escaped_in_the_list_and_plain_in_the_labels(atlas):
    payload = '<img src=x onerror="window.__pwned=1">'
    units = atlas.units.copy()
    facilities = atlas.facilities.copy()
    units.loc[units.index[0], "name_zh"] = payload
    facilities.loc[facilities.index[0], "name_zh"] = payload
    hostile = dataclasses.replace(atlas, units=units, facilities=facilities)
    index = build_search_index(hostile, build_display_layers(hostile), lang="zh")
    assert not any("<img" in r["html"] for r in index)
    assert any(r["label"].startswith(payload) for r in index)  # the plugin's key, set as the input's value


def test_positions_follow_the_display_datum(atlas):
    gcj = build_search_index(atlas, build_display_layers(atlas, datum="gcj02"), lang="en")
    wgs = build_search_index(atlas, build_display_layers(atlas), lang="en")
    place = next((a, b) for a, b in zip(gcj, wgs, strict=True) if a["label"].startswith("Dushu Lake"))
    assert place[0]["target"]["lng"] - place[1]["target"]["lng"] > 0.003  # GCJ-02 lies east of WGS84 here


def test_a_planners_drawn_points_are_found_and_open_their_marker(atlas, display):
    import pandas as pd

    from atlas_web.basemaps import resolve_basemap
    from atlas_web.mapview import MapView
    from atlas_web.webmap import build_map, user_points_group

    points = pd.DataFrame({"lon": [120.7384, 120.62], "lat": [31.2729, 31.30], "label": ["星湖街实验室", ""]})
    group = user_points_group(points, name="我的点", lang="zh")
    assert [e.label for e in group.search_entries] == ["星湖街实验室 — 导入的点：我的点"]  # a blank label is left out
    page = build_map(atlas, display, resolve_basemap("none"), MapView(lang="zh"), extra_groups=[group])
    html = page.get_root().render()
    assert '"find": "row:我的点:0"' in html and "xhjsys" in html  # the marker's id, and its pinyin initials
