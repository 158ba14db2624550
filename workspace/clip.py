"""What a message shows of a value it did not choose (a link's parameter, a name in a hand-edited
file): its start, and its length when it is cut, so a 200,000-character value is not echoed whole."""

from __future__ import annotations

from presentation.i18n import t

SHOWN_CHARS = 60  # of a value too long to show whole


def clipped(value: object, lang: str, *, limit: int = SHOWN_CHARS) -> str:
    """``value`` as text, cut to its first ``limit`` characters with "…" and its length if longer.

    Example: ``clipped("x" * 200_000, "en")`` -> ``"xxx…x… (200000 characters)"`` (60 x's).
    """
    text = str(value)
    if len(text) <= limit:
        return text
    return t("value_cut", lang, start=text[:limit], n=len(text))
