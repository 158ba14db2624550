"""User strings shown by Streamlit elements that read markdown stay literal text."""

import re

import pytest

from safety.markup import markdown

HOSTILE = [
    "**b** ![x](http://evil.example/x.png)",
    "HTTPS://evil.example/a?b=c&d",
    "www.evil.example",
    "mailto:a@evil.example",
    "<img src=x onerror=alert(1)> $x^2$ `code` ~~s~~ # h",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_escape_keeps_every_character_and_breaks_every_autolink(value):
    shown = markdown(value)
    # the text a reader sees: backslash escapes resolved, the invisible word joiner ignored
    assert re.sub(r"\\(.)", r"\1", shown).replace("\u2060", "") == value
    visible = shown.replace("\\", "")
    assert not re.search(r"(?i)https?://|www\.|@[a-z]", visible)  # GFM's autolink triggers, all broken
    assert not re.search(r"(?<!\\)[*_`\[\]()<>!$~#]", shown)  # no unescaped markup character
