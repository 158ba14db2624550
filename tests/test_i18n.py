"""Every user-facing text exists in Chinese and English, with the same placeholders in both."""

from __future__ import annotations

import re
import string

import pytest

from presentation.i18n import TEXT, t

CJK = re.compile(r"[\u3400-\u9fff]")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(TEXT))
def test_text_has_both_languages_with_the_same_placeholders(key):
    zh, en = TEXT[key]
    assert zh.strip() and en.strip(), key
    assert _fields(zh) == _fields(en), key


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
