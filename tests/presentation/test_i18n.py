"""Every user-facing text exists in Chinese and English, with the same placeholders in both."""

from __future__ import annotations

import re
import string

import pytest

from presentation.i18n import TEXT, t

CJK = re.compile(r"[\u3400-\u9fff]")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_text_has_both_languages_with_the_same_placeholders():
    empty = [key for key, (zh, en) in TEXT.items() if not (zh.strip() and en.strip())]
    mismatched = {key: (_fields(zh), _fields(en)) for key, (zh, en) in TEXT.items() if _fields(zh) != _fields(en)}
    assert not empty, f"texts missing a language: {empty}"
    assert not mismatched, f"placeholders differ between zh and en: {mismatched}"


def test_placeholders_are_read_from_the_format_fields():
    assert _fields("共 {n} 个单元") == {"n"} and _fields("{n} units in {corridor}") == {"n", "corridor"}


def test_english_texts_hold_no_chinese_except_names_of_sources():
    # a few English texts name a Chinese source or show a Chinese label on purpose
    allowed = {
        "fig_subtitle",
        "fig_source",
        "html_source",
        "basemap_amap",
        "basemap_tianditu",
        "fig_approval",
        "fig_internal",
        "ex_approval",
    }
    leaking = [key for key, (_, en) in TEXT.items() if CJK.search(en) and key not in allowed]
    assert not leaking, leaking


def test_unknown_key_raises():
    with pytest.raises(KeyError):
        t("no_such_text", "zh")


@pytest.mark.parametrize(
    "name_zh, name_en, short_zh, short_en",
    [
        ("姑苏区", "Gusu District", "姑苏", "Gusu"),
        ("苏州工业园区", "Suzhou Industrial Park", "园区", "SIP"),
        ("昆山市", "Kunshan", "昆山", "Kunshan"),
    ],
)
def test_unit_short_names(name_zh, name_en, short_zh, short_en):
    from presentation.i18n import unit_short_name

    row = {"name_zh": name_zh, "name_en": name_en}
    assert (unit_short_name(row, "zh"), unit_short_name(row, "en")) == (short_zh, short_en)
