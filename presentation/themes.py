"""Thematic (choropleth) maps: which unit indicators can fill the units, and the colours of their classes.

One home for the web map, the figures and the pages: a unit has the same colour in each.
"""

from __future__ import annotations

from presentation.i18n import DERIVED_MARK, t
from presentation.style import THEME_COLOURS, THEME_MISSING

THEMES = ("resident_population_10k", "gdp_100m_yuan")  # indicators a thematic map can show (all or nine units)
NO_THEME = "none"  # the picker's "none" (a value, so the widget never falls back to an untranslated placeholder)


def chosen_theme(value: str | None) -> str | None:
    """The indicator key a theme picker's value stands for (None for no thematic map).

    >>> chosen_theme("gdp_100m_yuan"), chosen_theme(NO_THEME), chosen_theme("<script>")
    ('gdp_100m_yuan', None, None)
    """
    return value if value in THEMES else None


def theme_fill(thematic, adcode: str) -> str:
    """The fill of unit ``adcode`` in ``thematic`` (a ``layers.indicators.Theme``): its class's colour,
    grey when it has no value."""
    index = int(thematic.classes.by_unit.get(adcode, -1))
    return THEME_MISSING if index < 0 else THEME_COLOURS[index + len(THEME_COLOURS) - len(thematic.classes.bounds)]


def theme_legend_entries(thematic, lang: str) -> list[tuple[str, str]]:
    """(colour, label) for each class shown, and 'no data' when a unit lacks a value."""
    offset = len(THEME_COLOURS) - len(thematic.classes.bounds)
    entries = [(THEME_COLOURS[offset + i], label) for i, label in enumerate(thematic.classes.ranges(1))]
    if (thematic.classes.by_unit < 0).any():
        entries.append((THEME_MISSING, t("theme_missing", lang)))
    return entries


def theme_value_text(thematic, adcode: str, lang: str) -> str:
    """Unit ``adcode``'s value in ``thematic`` as shown in a tooltip: two decimals, marked when derived,
    'no data' when it has none."""
    value = thematic.values.get(adcode)
    if value is None or value != value:
        return t("theme_missing", lang)
    return f"{value:,.2f} {DERIVED_MARK}" if adcode in thematic.derived else f"{value:,.2f}"


def theme_derived_label(thematic, lang: str) -> str | None:
    """The legend's entry for the derived values' outline, or None when every value shown is published."""
    return t("theme_derived", lang, mark=DERIVED_MARK) if thematic.derived else None
