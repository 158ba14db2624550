"""Find a real CJK font for figures: Chinese must never render as missing-glyph boxes."""

from __future__ import annotations

from functools import lru_cache

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from atlas_core.errors import CJKFontMissingError

# Preferred families, simplified-Chinese forms first. Debian's fonts-noto-cjk provides the first.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK JP",
    "Droid Sans Fallback",
)
PROBE = "苏州园区走廊"


def _covers(path: str, face_index: int, text: str) -> bool:
    try:
        font = FT2Font(path, face_index=face_index)
    except (OSError, RuntimeError, ValueError):
        return False
    charmap = font.get_charmap()
    return all(ord(ch) in charmap for ch in text)


@lru_cache(maxsize=1)
def cjk_family() -> str:
    """The family name of an installed CJK font (registered with matplotlib), or raise.

    Fonts installed after matplotlib built its cache are found by scanning the system
    font folders; a family counts only if it really has glyphs for Chinese text.
    """
    known = {entry.name: entry for entry in font_manager.fontManager.ttflist}
    if not any(name in known for name in CJK_FAMILIES):
        for path in font_manager.findSystemFonts():
            lower = path.lower()
            if any(key in lower for key in ("cjk", "hans", "wqy", "wenquanyi", "droidsansfallback", "sourcehan")):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        known = {entry.name: entry for entry in font_manager.fontManager.ttflist}
    for name in CJK_FAMILIES:
        entry = known.get(name)
        if entry is not None and _covers(entry.fname, getattr(entry, "index", 0) or 0, PROBE):
            return name
    raise CJKFontMissingError(
        "no CJK font found, so Chinese text would print as empty boxes; install Debian's "
        "fonts-noto-cjk (`apt-get install fonts-noto-cjk`, or `make system-deps`) and try again",
        zh="未找到中文字体，中文会显示为方框；请安装 Debian 的 fonts-noto-cjk"
        "（apt-get install fonts-noto-cjk，或 make system-deps）后重试",
    )
