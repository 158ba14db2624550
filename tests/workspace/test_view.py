import pytest

from workspace.clip import clipped
from workspace.view import ViewState, from_query, to_query

IDS = ["ring", "huning", "taihu"]
CATS = ["lab", "university"]


def _read(params):
    return from_query(params, corridor_ids=IDS, categories=CATS, adcodes={"320571"}, facility_ids={"cit"})


def test_round_trip_through_the_url():
    state = ViewState(lang="en", basemap="amap", corridors=["ring"], cats=[], unit="320571", fac="cit")
    back, rejected = _read(to_query(state))
    assert back == state and not rejected
    assert to_query(state)["cats"] == "none"


def test_unknown_values_are_dropped_and_reported_never_trusted():
    state, rejected = _read({"lang": "fr", "corridors": "ring,<script>", "unit": "999999", "fac": "x", "page": "map"})
    assert state.lang == "zh" and state.corridors == ["ring"] and state.unit is None and state.fac is None
    assert sorted(rejected) == [("corridors", "<script>"), ("fac", "x"), ("lang", "fr"), ("unit", "999999")]


def test_defaults_show_everything():
    state, rejected = _read({})
    assert state.corridors == IDS and state.cats == CATS and state.basemap == "none" and not rejected


def test_session_only_fields_never_reach_the_link():
    state = ViewState(custom_url="http://tiles.intranet/{z}/{x}/{y}.png", outside=True)
    assert set(to_query(state)) <= {"lang", "basemap", "corridors", "cats", "unit", "fac", "theme"}
    assert "intranet" not in str(to_query(state))


def test_old_links_name_their_page():
    from workspace.view import legacy_page

    assert legacy_page({"page": "export"}) == "export"
    assert legacy_page({"page": ["map", "query"]}) == "query"
    assert legacy_page({"page": "admin"}) is None and legacy_page({}) is None


def test_the_thematic_indicator_travels_in_the_link_and_unknown_ones_are_dropped():
    state = ViewState(theme="gdp_100m_yuan")
    back, rejected = _read(to_query(state))
    assert back.theme == "gdp_100m_yuan" and not rejected
    state, rejected = _read({"theme": "<b>x</b>"})
    assert state.theme == "none" and rejected == [("theme", "<b>x</b>")]


@pytest.mark.parametrize("name", ["corridors", "cats"])
@pytest.mark.parametrize("value", ["nowhere", "nowhere,elsewhere", "<script>", ",,"])
def test_a_list_parameter_whose_values_are_all_unknown_leaves_the_default(name, value):
    state, rejected = _read({name: value})
    assert state.corridors == IDS and state.cats == CATS  # every corridor and category shown
    assert rejected == [(name, value.strip(",") or value)]


def test_none_still_hides_every_corridor_and_a_known_one_among_unknown_ones_is_kept():
    state, rejected = _read({"corridors": "none", "cats": "nowhere,lab"})
    assert state.corridors == [] and state.cats == ["lab"] and rejected == [("cats", "nowhere")]


def test_a_huge_value_is_shown_cut_with_its_length_in_both_languages():
    value = "x" * 200_000
    for lang, length in (("en", "200000 characters"), ("zh", "共 200000 个字符")):
        shown = clipped(value, lang)
        assert shown.startswith("x" * 60 + "…") and length in shown and len(shown) < 100
    assert clipped("ring", "en") == "ring" and clipped("é" * 60, "zh") == "é" * 60


def test_a_workspace_named_in_a_link_is_found_in_either_unicode_form():
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    for asked in (composed, decomposed, f" {decomposed} "):
        state, rejected = from_query(
            {"workspace": asked},
            corridor_ids=IDS,
            categories=CATS,
            adcodes=set(),
            facility_ids=set(),
            workspaces=[composed],
        )
        assert state.workspace == composed and not rejected
