"""Addresses placed by the names they contain: the level that settled them, never a guess."""

import pytest

from spatial.address import AddressMatch, Gazetteer, PlaceName, ascii_key, cjk_key

NAMES = [
    PlaceName("苏州", "city"),
    PlaceName("苏州市", "city"),
    PlaceName("苏州工业园区", "unit", "320571"),
    PlaceName("园区", "unit", "320571", short=True),
    PlaceName("Suzhou Industrial Park", "unit", "320571"),
    PlaceName("SIP", "unit", "320571"),
    PlaceName("姑苏区", "unit", "320508"),
    PlaceName("沧浪区", "former", "320508"),
    PlaceName("虎丘区", "unit", "320505"),
    PlaceName("苏州高新区", "unit", "320505"),
    PlaceName("Suzhou New District", "unit", "320505"),
    PlaceName("吴中区", "unit", "320506"),
    PlaceName("吴中", "unit", "320506", short=True),
    PlaceName("吴江区", "unit", "320509"),
    PlaceName("盛泽镇", "town", "320509", town="盛泽镇"),
    PlaceName("盛泽", "town", "320509", town="盛泽镇", short=True),
    PlaceName("娄葑街道", "town", "320571", town="娄葑街道"),
    PlaceName("木渎镇", "town", "320506", town="木渎镇"),
    PlaceName("独墅湖科教创新区", "zone", "320571", town="斜塘街道"),
    PlaceName("虎丘", "ambiguous", candidates=("320505", "320508")),
    PlaceName("阳澄湖", "ambiguous", candidates=("320507", "320571", "320583")),
    PlaceName("无锡", "outside"),
    PlaceName("上海", "outside"),
    PlaceName("宿州", "outside"),
    PlaceName("北京", "outside"),
    PlaceName("江阴", "outside"),
    PlaceName("Wuxi", "outside"),
]


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer(NAMES)


@pytest.mark.parametrize(
    "address, unit, level, text, town",
    [
        ("江苏省苏州市吴中区木渎镇金山路1号", "320506", "town", "木渎镇", "木渎镇"),
        ("苏州工业园区星湖街218号", "320571", "unit", "苏州工业园区", ""),
        ("江苏省苏州市工业园区独墅湖科教创新区仁爱路199号", "320571", "zone", "独墅湖科教创新区", "斜塘街道"),
        ("ＳＩＰ　２１５１２３　苏州 工业园区", "320571", "unit", "苏州工业园区", ""),  # spaces never split a name
        ("No. 111 Ren'ai Road, Suzhou Industrial Park, Suzhou", "320571", "unit", "suzhou industrial park", ""),
        ("苏州市沧浪区十全街", "320508", "unit", "沧浪区", ""),
        ("吴江区盛泽镇", "320509", "town", "盛泽镇", "盛泽镇"),
        ("盛泽东方丝绸市场", "320509", "town", "盛泽", "盛泽镇"),
        ("苏州市姑苏区虎丘路88号", "320508", "unit", "姑苏区", ""),  # 虎丘 allows 姑苏: settled
    ],
)
def test_an_address_is_placed_at_the_level_its_words_support(gazetteer, address, unit, level, text, town):
    found = gazetteer.match(address)
    assert (found.unit, found.level, found.text, found.town) == (unit, level, text, town)
    assert found.ambiguous == () and found.outside == ""


def test_a_short_name_before_a_road_suffix_is_the_road_not_the_place(gazetteer):
    assert gazetteer.match("苏州市吴中东路12号").unit is None  # the road, not 吴中区
    assert gazetteer.match("苏州市盛泽路").unit is None
    assert gazetteer.match("苏州园区金鸡湖").unit == "320571"


@pytest.mark.parametrize(
    "address, outside",
    [
        ("北京市海淀区苏州街18号", "北京"),
        ("安徽省宿州市埇桥区", "宿州"),
        ("江阴市周庄镇", "江阴"),
        ("无锡市滨湖区", "无锡"),
        ("上海市青浦区淀山湖大道", "上海"),
        ("Wuxi New District, Jiangsu", "wuxi"),
    ],
)
def test_an_address_in_another_city_is_never_placed_in_suzhou(gazetteer, address, outside):
    assert gazetteer.match(address) == AddressMatch(None, outside=outside)


def test_a_suzhou_address_on_a_road_named_after_another_city_stays_in_suzhou(gazetteer):
    assert gazetteer.match("苏州市姑苏区上海路").unit == "320508"


@pytest.mark.parametrize(
    "address, candidates",
    [
        ("苏州虎丘景区", ("320505", "320508")),
        ("阳澄湖大闸蟹交易中心", ("320507", "320571", "320583")),
        ("苏州市吴中区娄葑街道", ("320506", "320571")),  # two definite units disagree
    ],
)
def test_words_that_point_to_several_units_are_reported_as_ambiguous(gazetteer, address, candidates):
    found = gazetteer.match(address)
    assert found.unit is None and found.ambiguous == candidates


def test_nothing_known_is_unplaced_not_guessed(gazetteer):
    assert gazetteer.match("人民路100号") == AddressMatch(None)
    assert gazetteer.match("") == AddressMatch(None)


def test_folding():
    assert cjk_key("苏州市 姑苏区（平江路）１２号，邮编 215000") == "苏州市姑苏区平江路12号"
    assert ascii_key("  SIP,Suzhou ") == " sip suzhou "


def test_a_bad_place_name_is_refused():
    with pytest.raises(ValueError, match="kind"):
        PlaceName("x", "village")
    with pytest.raises(ValueError, match="names no unit"):
        PlaceName("x", "town")
    with pytest.raises(ValueError, match="two or more"):
        PlaceName("x", "ambiguous", candidates=("320505",))
