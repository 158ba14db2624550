"""Every facility's plan section names it: checked against where the plan's text names each item."""

import pandas as pd
import pytest

import geodata
from layers._io import read_table
from layers.facilities import CONTEXT_SECTION, plan_citation_problems


def _both_tables() -> pd.DataFrame:
    return pd.concat([read_table("facilities"), read_table("facilities_unplaced")], ignore_index=True)


def test_each_named_item_is_cited_to_a_section_that_names_it():
    table = _both_tables()
    assert plan_citation_problems(table) == []
    named = table.loc[table["plan_section"] != CONTEXT_SECTION]
    mentions = read_table("plan_mentions")
    assert set(zip(named["plan_section"], named["plan_name"], strict=True)) <= set(
        zip(mentions["section"], mentions["plan_name"], strict=True)
    )


def test_items_the_plan_does_not_name_are_marked_context_with_their_own_source():
    table = read_table("facilities")
    context = table.loc[table["plan_section"] == CONTEXT_SECTION]
    assert set(context["facility_id"]) >= {"sip_zone", "snd_zone", "kunshan_etdz", "zhangjiagang_etdz"}
    assert context["plan_name"].eq("").all() and context["source_id"].ne("").all()


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"plan_section": "三(五)1"}, "does not name"),  # the kind of citation the zones used to carry
        ({"plan_name": "不存在的机构"}, "does not name"),
        ({"plan_section": CONTEXT_SECTION}, "context item cannot have a plan_name"),
    ],
)
def test_a_wrong_citation_is_reported(change, expected):
    table = read_table("facilities")
    row = table.loc[table["facility_id"] == "gusu_lab"].assign(**change)
    problems = plan_citation_problems(row)
    assert len(problems) == 1 and expected in problems[0]


def test_the_mentions_table_records_the_plan_file_it_came_from():
    record = geodata.manifest()["datasets"]["plan_mentions"]
    assert "sha256 " in record["source"] and "not copied" in record["source"]
