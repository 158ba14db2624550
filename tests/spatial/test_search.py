import pandas as pd
import pytest

from atlas_core.errors import AtlasError
from spatial.search import FACILITY_ABBREVIATIONS, search_facilities


def _ids(atlas, text, lang="zh"):
    return list(search_facilities(atlas.facilities, text, lang=lang)["facility_id"])


@pytest.mark.parametrize("abbreviation", sorted(FACILITY_ABBREVIATIONS))
def test_every_abbreviation_finds_a_real_facility(atlas, abbreviation):
    # An abbreviation that finds nothing in the real data does not belong in the table.
    assert _ids(atlas, abbreviation), abbreviation


@pytest.mark.parametrize(
    "text, expected",
    [
        ("超算", ["kunshan_supercomputing"]),
        ("纳米所", ["sinano"]),
        ("医工所", ["sibet"]),
        ("苏大", ["suda_tianci"]),
        ("西浦", ["xjtlu"]),
        ("西交利物浦", ["xjtlu"]),
        ("西交利物浦大学", ["xjtlu"]),
        ("中科院", ["sinano", "sibet"]),
        ("中科院纳米所", ["sinano"]),
        ("中科院 医工所", ["sibet"]),
        ("SIP", ["sip_zone"]),
        ("sip", ["sip_zone"]),
        ("XJTLU", ["xjtlu"]),
        ("SINANO", ["sinano"]),
        ("sibet", ["sibet"]),
        ("中科大", ["ustc_suzhou"]),
        ("西工大", ["nwpu_taicang"]),
        ("苏科大", ["sust"]),
        ("高新区", ["snd_zone", "kunshan_hitech", "changshu_hitech"]),
    ],
)
def test_abbreviations_find_what_planners_mean(atlas, text, expected):
    assert _ids(atlas, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("姑苏", ["gusu_lab"]),  # today's partial match still works
        ("gusu lab", ["gusu_lab"]),
        ("GUSU", ["gusu_lab"]),
        ("ｇｕｓｕ", ["gusu_lab"]),  # full-width letters, NFKC-folded
        ("  姑苏实验室 ", ["gusu_lab"]),
        ("nano-tech", ["sinano", "suzhou_nano_usp"]),
        ("xi'an jiaotong", ["xjtlu"]),
    ],
)
def test_partial_case_insensitive_match_as_before(atlas, text, expected):
    assert _ids(atlas, text) == expected


def test_whole_words_only_for_english_abbreviations(atlas):
    # "sip" inside another word is not Suzhou Industrial Park.
    facilities = pd.DataFrame(
        {
            "facility_id": ["a", "b"],
            "name_zh": ["甲", "乙"],
            "name_en": ["Gossip Hall", "Suzhou Industrial Park Centre"],
        }
    )
    assert list(search_facilities(facilities, "sip", lang="en")["facility_id"]) == ["a", "b"]
    assert list(search_facilities(facilities, "gossip", lang="en")["facility_id"]) == ["a"]


def test_matches_in_the_ui_language_come_first_and_input_is_untouched(atlas):
    facilities = pd.DataFrame(
        {
            "facility_id": ["a", "b", "c"],
            "name_zh": ["SIP 中心", "乙", "丙"],
            "name_en": ["Centre", "SIP Centre", "Other"],
        }
    )
    before = facilities.copy()
    assert list(search_facilities(facilities, "sip", lang="zh")["facility_id"]) == ["a", "b"]
    found = search_facilities(facilities, "sip", lang="en")
    assert list(found["facility_id"]) == ["b", "a"]
    found.loc[found.index[0], "name_zh"] = "x"
    pd.testing.assert_frame_equal(facilities, before)


def test_nothing_or_blank_finds_nothing_with_the_same_columns(atlas):
    for text in ("", "   ", "无此设施"):
        found = search_facilities(atlas.facilities, text, lang="zh")
        assert found.empty and list(found.columns) == list(atlas.facilities.columns)


def test_bad_language_is_rejected_in_both_languages(atlas):
    with pytest.raises(AtlasError, match="unknown language 'fr'") as info:
        search_facilities(atlas.facilities, "苏大", lang="fr")
    assert "未知语言" in info.value.message("zh")
