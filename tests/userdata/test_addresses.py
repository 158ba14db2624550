"""Tables with addresses and no coordinates: every row placed as far as its words allow, or rejected
with the reason (ambiguous, elsewhere, nothing known); never dropped, never guessed."""

import numpy as np
import pytest

from userdata.reading import guess_columns, read_table
from userdata.tables import classify_table

ADDRESS_TABLE = """企业名称,注册地址
甲,苏州工业园区星湖街218号
乙,江苏省苏州市吴江区盛泽镇市场路8号
丙,苏州虎丘景区
丁,无锡市滨湖区蠡湖大道
戊,
己,人民路100号
"""


def _classify(atlas, text, **kwargs):
    frame, info = read_table(text.encode("utf-8"), "register.csv")
    return classify_table(frame, info, atlas=atlas, **kwargs)


def test_the_address_column_is_found_by_its_name():
    assert guess_columns(["名称", "详细地址"])["address"] == "详细地址"
    assert guess_columns(["name", "Address"])["address"] == "Address"
    assert guess_columns(["名称", "经度", "纬度"])["address"] is None


def test_an_address_only_table_is_placed_row_by_row_and_loses_nothing(atlas):
    table, report = _classify(atlas, ADDRESS_TABLE)
    assert len(table) == 6 and report.address_column == "注册地址" and report.lon_column == ""
    assert list(table["atlas_status"]) == ["accepted", "accepted", "rejected", "rejected", "rejected", "rejected"]
    assert list(table["atlas_adcode"][:2]) == ["320571", "320509"] and set(table["atlas_adcode"][2:]) == {""}
    assert list(table["atlas_precision"][:2]) == ["address-unit", "address-town"]
    assert list(table["atlas_match"][:2]) == ["苏州工业园区", "盛泽镇"]
    assert "ring" in table["atlas_corridors"].iloc[0].split("|")
    assert np.isnan(table["atlas_lon_wgs84"]).all()  # placed by words: no invented coordinates
    reasons = list(table["atlas_reason_en"][2:])
    assert "ambiguous" in reasons[0] and "Huqiu District" in reasons[0] and "Gusu District" in reasons[0]
    assert "outside Suzhou" in reasons[1] and "无锡" in reasons[1]
    assert "no address" in reasons[2]
    assert "no Suzhou place name" in reasons[3]
    assert (report.accepted, report.rejected) == (2, 4)
    assert list(report.issues_frame()["row"]) == [4, 5, 6, 7]


def test_a_row_whose_address_disagrees_with_its_coordinates_keeps_their_unit_and_says_so(atlas):
    text = "名称,经度,纬度,地址\n甲,120.7384,31.2729,苏州市吴中区木渎镇\n乙,120.7384,31.2729,苏州工业园区\n"
    table, report = _classify(atlas, text)
    assert list(table["atlas_adcode"]) == ["320571", "320571"] and list(table["atlas_status"]) == ["accepted"] * 2
    assert list(table["atlas_precision"]) == ["coordinates", "coordinates"]
    flagged = report.issues_frame()
    assert list(flagged["row"]) == [2]
    assert "吴中区" in flagged["reason_zh"].iloc[0] and "kept the coordinates' unit" in flagged["reason_en"].iloc[0]


def test_a_table_with_neither_coordinates_nor_addresses_says_what_it_needs(atlas):
    with pytest.raises(Exception, match="address"):
        _classify(atlas, "名称,备注\n甲,无\n")


def test_the_address_column_can_be_chosen_by_hand(atlas):
    table, report = _classify(atlas, "名称,所在\n甲,昆山市周庄镇\n", address_column="所在")
    assert report.address_column == "所在" and table["atlas_adcode"].iloc[0] == "320583"
    assert table["atlas_precision"].iloc[0] == "address-town"
