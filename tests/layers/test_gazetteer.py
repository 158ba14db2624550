"""The address look-up's names: the statistical towns of every unit, and names that settle nothing alone."""

import pytest

from layers.gazetteer import load_gazetteer, load_place_names, load_towns


@pytest.fixture(scope="module")
def gazetteer(atlas):
    return load_gazetteer(atlas.units)


def test_every_unit_has_its_towns_with_their_2023_codes(atlas):
    towns = load_towns(atlas.units)
    coded = towns.loc[towns["code12"] != ""]
    assert len(coded) == 118 and set(coded["nbs_year"]) == {"2023"}
    assert coded["code12"].str.fullmatch(r"3205\d{8}").all()
    per_unit = towns.groupby("unit_adcode").size()
    assert set(per_unit.index) == set(atlas.units["adcode"]) and per_unit.min() >= 5
    sip = towns.loc[towns["unit_adcode"] == "320571"]
    assert set(sip["name_zh"]) == {"娄葑街道", "斜塘街道", "唯亭街道", "胜浦街道", "金鸡湖街道"}
    assert sip["code12"].str.startswith("320576").all()  # NBS 2023 renumbered SIP; the atlas keeps 320571
    aliases = towns.loc[towns["code12"] == ""]
    assert aliases["note"].str.startswith("alias").all() and len(aliases) == 7


def test_every_listed_name_says_where_it_comes_from(atlas):
    names = load_place_names(atlas.units)
    assert (names["detail"] != "").all()
    cited = names.loc[names["kind"].isin(["former", "zone"])]
    assert (cited["source_id"] != "").all()  # a former name or a zone rests on a document of sources.csv
    ambiguous = names.loc[names["kind"] == "ambiguous"]
    assert (ambiguous["candidates"].str.count(r"\|") >= 1).all() and (ambiguous["unit_adcode"] == "").all()
    assert {"虎丘", "阳澄湖", "高新区"} <= set(ambiguous["name"])


@pytest.mark.parametrize(
    "address, unit, level",
    [
        ("苏州工业园区星湖街218号", "320571", "unit"),
        ("江苏省苏州市吴江区盛泽镇", "320509", "town"),
        ("苏州市高新区科灵路78号", "320505", "unit"),
        ("苏州市相城区高铁新城青龙港路", "320507", "zone"),
        ("常熟市虞山街道", "320581", "town"),
        ("昆山市周庄镇", "320583", "town"),
        ("太仓港区", "320585", "zone"),
        ("苏州市吴中区越溪街道", "320506", "town"),
        ("苏州科技城", "320505", "zone"),
        ("张家港市杨舍镇", "320582", "town"),
        ("平江区", "320508", "unit"),
    ],
)
def test_the_towns_zones_and_former_names_settle_their_unit(gazetteer, address, unit, level):
    found = gazetteer.match(address)
    assert (found.unit, found.level) == (unit, level)


@pytest.mark.parametrize("address", ["苏州虎丘", "阳澄湖", "苏州市工业园区吴中区", "高新区"])
def test_words_for_several_units_stay_ambiguous(gazetteer, address):
    found = gazetteer.match(address)
    assert found.unit is None and len(found.ambiguous) >= 2


def test_an_ambiguous_word_beside_a_unit_that_it_allows_is_settled(gazetteer):
    assert gazetteer.match("苏州市高新区虎丘山路").unit == "320505"
    assert gazetteer.match("苏州市姑苏区虎丘山门内8号").unit == "320508"


ELSEWHERE = ["江阴市周庄镇", "无锡市滨湖区", "上海市青浦区", "北京市海淀区苏州街", "安徽省宿州市"]


@pytest.mark.parametrize("address", ELSEWHERE)
def test_addresses_elsewhere_are_never_placed(gazetteer, address):
    found = gazetteer.match(address)
    assert found.unit is None and found.outside


def test_a_short_town_name_inside_another_word_gives_way_to_the_full_names(gazetteer):
    found = gazetteer.match("江苏省苏州市吴江区盛泽镇凤凰荟购物中心")  # 凤凰 (张家港's 凤凰镇) inside 凤凰荟
    assert (found.unit, found.town) == ("320509", "盛泽镇")
    assert gazetteer.match("Room 501, No. 177, Chang Jiang Road (Middle), Kun Shan City").unit == "320583"


def test_the_published_addresses_are_placed_right_and_none_elsewhere_is_placed(gazetteer):
    """tests/data/addresses.csv: real addresses with their sources (scripts/bench_addresses.py prints
    the same counts beside cpca's and jionlp's). Road-only rows are left to a road gazetteer."""
    import csv
    import io
    from pathlib import Path

    text = (Path(__file__).parents[1] / "data" / "addresses.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    named = [row for row in rows if row["kind"] != "road_only"]
    assert len(named) >= 100 and {row["expected_adcode"] for row in named} >= {"none", "320571", "320585"}
    right = wrong = 0
    for row in named:
        found = gazetteer.match(row["address"])
        expected = row["expected_adcode"]
        if expected == "none":
            ok = found.unit is None and bool(found.outside)
        elif expected.startswith("ambiguous:"):
            ok = found.unit is None and set(found.ambiguous) >= set(expected.split(":")[1].split("|"))
        else:
            ok = found.unit == expected
        right += ok
        wrong += (not ok) and found.unit is not None
        if expected == "none":
            assert found.unit is None, row["id"]  # never placed in Suzhou
        if row["expected_town"] and found.unit == expected and found.town:
            assert found.town == row["expected_town"], row["id"]
    assert right / len(named) >= 0.95 and wrong / len(named) <= 0.01
