"""Make data strings safe to show in a Leaflet page: literal text, never markup or script."""

from __future__ import annotations

import json
import re

# HTML-escape plus the characters that matter inside JavaScript template literals (folium
# and Leaflet put content into `...` strings): with these gone, a value can neither close
# the string nor interpolate (${...}) nor start an escape sequence. Braces too: folium
# re-reads every rendered script as a Jinja template, so "{{ ... }}" in data would be
# evaluated on the server.
_ENTITIES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#39;",
    "`": "&#96;",
    "$": "&#36;",
    "\\": "&#92;",
    "{": "&#123;",
    "}": "&#125;",
}
_TABLE = str.maketrans(_ENTITIES)


def text(value) -> str:
    """``value`` as literal text for HTML, safe inside quoted attributes and JS template literals."""
    if value is None:
        return ""
    cleaned = "".join(ch for ch in str(value) if ch in "\t\n" or (ord(ch) >= 32 and ord(ch) != 127))
    return cleaned.translate(_TABLE)


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def js_value(value) -> str:
    """A JSON literal that can sit inside an inline <script> without ending it.

    Inside string literals, braces become \\u007b/\\u007d so that folium's second Jinja pass
    finds no "{{" or "{%" (structural JSON never puts two braces together).
    """
    encoded = json.dumps(value, ensure_ascii=False)
    encoded = _JSON_STRING.sub(lambda m: m.group(0).replace("{", "\\u007b").replace("}", "\\u007d"), encoded)
    return (
        encoded.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:&")
# GFM autolink literals ("http://…", "www.…", "a@b.cn") are found in the text after escapes and
# character references are decoded, so no escape stops them: a WORD JOINER (U+2060, invisible,
# no width) inside the trigger does, as the patterns need it contiguous.
_WORD_JOINER = "\u2060"
_AUTOLINK_TRIGGERS = re.compile(
    r"(?i)(?<=https)(?=:)|(?<=http)(?=:)|(?<=www)(?=\.)|(?<=@)|(?<=mailto)(?=:)|(?<=xmpp)(?=:)"
)


def markdown(value) -> str:
    """``value`` as literal text inside Streamlit markdown: no emphasis, links (autolinked URLs and
    e-mail addresses included), images, HTML or LaTeX. Every user string shown by a Streamlit
    element that reads markdown (markdown, caption, info, warning, error, button labels) passes
    through here."""
    flat = " ".join(str("" if value is None else value).split())
    flat = _AUTOLINK_TRIGGERS.sub(_WORD_JOINER, flat)
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in flat)
