"""Unit statistics with their sources, checked against the city, and rolled up per corridor."""

import json
import math

import pandas as pd
import pytest

import layers.indicators as indicators_module
from atlas_core.errors import DataValidationError
from layers._io import read_table
from layers.indicators import CITY_CODE, indicator_report
from spatial.indicators import corridor_table, sum_check, unit_table


@pytest.fixture(scope="module")
def report(atlas):
    return indicator_report(atlas)


def test_population_2023_is_published_for_all_ten_and_adds_up_to_the_city(report):
    population = report.units["resident_population_10k"]
    assert population.notna().all() and len(population) == 10
    # one release lists the ten units and the city; published to 0.01 万人, so the sum agrees to rounding
    assert population.sum() == pytest.approx(report.city["resident_population_10k"], abs=0.05)
    assert set(report.rows.loc[report.rows["indicator"] == "resident_population_10k", "year"]) == {"2023"}


def test_the_ten_gdps_sum_to_the_city_with_gusu_derived_and_marked(report):
    gdp = report.units["gdp_100m_yuan"]
    assert gdp.notna().all() and gdp.sum() == pytest.approx(report.city["gdp_100m_yuan"], rel=1e-3)
    rows = report.rows.loc[report.rows["indicator"] == "gdp_100m_yuan"].set_index("adcode")
    assert set(rows.index[rows["method"] == "derived"]) == {"320508"}  # 姑苏区: its yearbook row was not seen
    assert rows.at["320508", "note"].startswith("derived, not published")
    nine = gdp.drop("320508").sum()  # within one yearbook edition the units add up to the city
    assert gdp["320508"] == pytest.approx(report.city["gdp_100m_yuan"] - nine, abs=0.01)
    assert 0 < gdp["320508"] < 0.05 * report.city["gdp_100m_yuan"]  # the smallest economy of the ten


def test_a_derived_value_that_is_not_the_city_less_the_others_is_refused(atlas, monkeypatch):
    table = read_table("unit_indicators")
    row = table.index[(table["adcode"] == "320508") & (table["indicator"] == "gdp_100m_yuan")][0]
    table.loc[row, "value"] = "990"
    monkeypatch.setattr(indicators_module, "read_table", lambda name: table)
    with pytest.raises(DataValidationError, match=r"not the city less the others, 950\.07"):
        indicators_module.load_indicators(atlas.units)


def test_every_value_has_its_source_and_every_gap_its_reason(atlas):
    rows = atlas.indicators
    values = rows.loc[rows["value"].notna()]
    assert values["source"].ne("").all() and values["year"].str.isdigit().all()
    assert (values["source_url"].str.startswith("http") | values["read_at"].str.startswith("http")).all()
    assert rows.loc[rows["value"].isna(), "note"].str.len().gt(10).all()


def test_a_unit_in_several_corridors_counts_in_each_and_a_gap_leaves_no_partial_sum(report, atlas):
    corridors = report.corridors.set_index("id")
    population = report.units["resident_population_10k"]
    members = atlas.corridors.set_index("id")["member_adcodes"]
    for cid in ("ring", "huning"):  # both hold SIP and 高新区
        assert corridors.loc[cid, "resident_population_10k_sum"] == pytest.approx(population[list(members[cid])].sum())
    assert math.isnan(corridors.loc["ring", "budget_revenue_100m_yuan_sum"])  # 姑苏区, a ring member, has none
    huning_gdp = report.units["gdp_100m_yuan"][list(members["huning"])].sum()
    assert corridors.loc["huning", "gdp_100m_yuan_sum"] == pytest.approx(huning_gdp)
    assert corridors.loc["huning", "gdp_100m_yuan_share_of_city"] == pytest.approx(
        huning_gdp / report.city["gdp_100m_yuan"]
    )


def test_rollup_on_a_small_made_up_layout():
    corridors = pd.DataFrame({"id": ["a", "b"], "member_adcodes": [("1", "2"), ("2", "3")]})
    rows = pd.DataFrame(
        {
            "adcode": ["1", "2", "3", "9"],
            "indicator": ["people"] * 4,
            "value": [10.0, 20.0, math.nan, 40.0],
            "year": ["2023"] * 4,
        }
    )
    wide = unit_table(rows, ["1", "2", "3"])
    city = pd.Series({"people": 40.0})
    land = pd.Series({"1": 100.0, "2": 100.0, "3": 50.0})
    table = corridor_table(corridors, wide, city, land, pd.Series({"1": 2, "3": 1}), ["people"]).set_index("id")
    assert table.loc["a", "people_sum"] == 30 and table.loc["a", "people_share_of_city"] == 0.75
    assert table.loc["a", "people_per_km2_land"] == 0.15 and table.loc["a", "plan_facilities_per_100km2_land"] == 1.0
    assert math.isnan(table.loc["b", "people_sum"])  # unit 3 has no value
    check = sum_check(wide, city).set_index("indicator")
    assert check.loc["people", "units_with_value"] == 2 and check.loc["people", "ratio"] == 0.75


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"indicator": "gdp_usd"}, "unknown indicator"),
        ({"unit": "万元"}, "is in 亿元"),
        ({"source_id": ""}, "needs its source"),
        ({"value": "", "note": ""}, "needs its reason"),
        ({"adcode": "310000"}, "unknown adcode"),
    ],
)
def test_bad_indicator_rows_are_reported(atlas, monkeypatch, change, expected):
    table = read_table("unit_indicators")
    gdp = table.index[(table["indicator"] == "gdp_100m_yuan") & (table["value"] != "")][0]
    for column, value in change.items():
        table.loc[gdp, column] = value
    monkeypatch.setattr(indicators_module, "read_table", lambda name: table)
    with pytest.raises(DataValidationError, match=expected):
        indicators_module.load_indicators(atlas.units)


def test_cli_summary_indicators_json(capsys):
    from atlas_cli import main

    assert main(["summary", "--indicators", "--json"]) in (0, None)
    data = json.loads(capsys.readouterr().out)
    assert data["year"] == 2023 and data["city"]["gdp_100m_yuan"]["value"] == 24653.4
    sip = next(u for u in data["units"] if u["adcode"] == "320571")
    assert sip["resident_population_10k"] == {
        "value": 116.99,
        "unit": "万人",
        "year": 2023,
        "source": sip["resident_population_10k"]["source"],
        "method": "published",
        "source_url": "https://www.suzhou.gov.cn/szsrmzf/tjsjjd/202403/80c89a3391aa42009de0ec55ac3f00af.shtml",
        "note": sip["resident_population_10k"]["note"],
    }  # the statistics bureau's release on the city's portal, not the mirror it was read in (named apart)
    assert "2023年苏州市人口主要数据发布" in sip["resident_population_10k"]["source"]
    assert "read at: http://cjlzp.com/" in sip["resident_population_10k"]["source"]
    huning = next(c for c in data["corridors"] if c["id"] == "huning")
    assert set(huning["gdp_100m_yuan"]) == {"value", "unit", "share_of_city", "per_km2_land", "per_km2_land_unit"}
    assert CITY_CODE not in {u["adcode"] for u in data["units"]}


def test_facility_density_counts_what_the_plan_names_not_the_context_zones(report, atlas):
    from layers.facilities import CONTEXT_SECTION

    named = atlas.facilities.loc[atlas.facilities["plan_section"] != CONTEXT_SECTION]
    assert len(named) < len(atlas.facilities)  # the context zones are there, and must not count
    land = atlas.units.set_index("adcode")["land_area_km2"]
    members = list(atlas.corridors.set_index("id").loc["yangtze", "member_adcodes"])
    expected = named["adcode"].isin(members).sum() / land[members].sum() * 100
    got = report.corridors.set_index("id").loc["yangtze", "plan_facilities_per_100km2_land"]
    assert got == pytest.approx(expected)
