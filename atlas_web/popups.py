"""The texts the map shows on hover and click, and its legend: HTML built from data, every data
string escaped (:mod:`safety.markup`), in the planner's language.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from atlas_web.elements import BADGE_LEGEND, BADGE_SWATCH
from atlas_web.mapview import MapView
from presentation.i18n import capitalised, pick, t
from presentation.style import (
    CATEGORY_COLOURS,
    DERIVED_EDGE,
    FOOTPRINT_OPACITY,
    SPINE_DASH_WEB,
    SPINE_LEGEND,
    WATER_EDGE,
    WATER_FILL,
    corridor_colour,
    rgba,
)
from presentation.themes import theme_derived_label, theme_legend_entries, theme_value_text
from safety.markup import text


def unit_html(unit_row, lang: str, roles: Sequence[tuple[str, str]] = (), thematic=None) -> str:
    """A unit's tooltip: its name and code, the thematic indicator's value when one is shown, then
    every corridor it is in with its role there."""
    lines = [f"<b>{text(pick(unit_row, lang))}</b> {text(unit_row['adcode'])}"]
    if thematic is not None:
        shown = theme_value_text(thematic, unit_row["adcode"], lang)
        lines.append(f"{text(t('ind_' + thematic.key, lang))}: {text(shown)}")
    lines += [f"{text(corridor)}: {text(role)}" for corridor, role in roles] or [text(t("cli_none", lang))]
    return "<br>".join(lines)


def unit_roles(atlas, lang: str) -> dict[str, list[tuple[str, str]]]:
    """adcode -> [(corridor name, role)] in the corridors' order."""
    names = dict(zip(atlas.corridors["id"], atlas.corridors[f"name_{lang}"], strict=True))
    order = {cid: pos for pos, cid in enumerate(atlas.corridors["id"])}
    roles: dict[str, list[tuple[str, str]]] = {}
    for row in sorted(atlas.members.itertuples(index=False), key=lambda r: order.get(r.corridor_id, 99)):
        roles.setdefault(row.adcode, []).append((names[row.corridor_id], pick(row, lang, "role")))
    return roles


def facility_popup_html(row, unit_names: dict, lang: str) -> str:
    """The facility record as an escaped HTML table (zh and en names, category, unit, source, precision)."""
    rows = [
        (t("name_zh", lang), row["name_zh"]),
        (t("name_en", lang), row["name_en"]),
        (t("category", lang), t(f"cat_{row['category']}", lang)),
        (t("unit", lang), unit_names.get(row["adcode"], row["adcode"])),
        *([(t("facility_town", lang), row["town_zh"])] if row.get("town_zh") else []),
        (t("precision", lang), t(f"prec_{row['precision']}", lang)),
        (t("source", lang), f"{row['source']} ({t('kind_' + row['source_kind'], lang)})"),
        (t("coord_source", lang), row["coord_source"]),
        (t("note", lang), row[f"note_{lang}"]),
    ]
    cells = "".join(f"<tr><th>{text(k)}</th><td>{text(v)}</td></tr>" for k, v in rows)
    return f'<table class="atlas-popup">{cells}</table>'


def place_popup_html(place, facilities, lang: str) -> str:
    """A grouped marker's list: its heading, then each facility's name and category.

    ``facilities`` is the facility table, or :func:`facility_lookup` of it (faster for many places).
    """
    lookup = facilities if isinstance(facilities, dict) else facility_lookup(facilities, lang)
    key = "place_unit_tip" if place["kind"] == "unit" else "place_sub_area_tip"
    heading = t(key, lang, name=pick(place, lang), n=place["n"])
    items = "".join(lookup[facility_id] for facility_id in place["facility_ids"])
    return f'<b>{text(heading)}</b><table class="atlas-popup">{items}</table>'


def facility_lookup(facilities, lang: str) -> dict[str, str]:
    """facility_id -> its escaped list row (name, category) in ``lang``."""
    towns = facilities["town_zh"] if "town_zh" in facilities else pd.Series("", index=facilities.index)
    names = (facilities[f"name_{lang}"] + towns.map(lambda town: f" · {town}" if town else "")).to_numpy()
    categories = facilities["category"].to_numpy()
    return {
        str(facility_id): f"<tr><td>{text(name)}</td><td>{text(t(f'cat_{category}', lang))}</td></tr>"
        for facility_id, name, category in zip(facilities["facility_id"].to_numpy(), names, categories, strict=True)
    }


def shown_places(places, facilities, categories) -> pd.DataFrame:
    """The grouped markers restricted to the shown categories (counts follow the filter; empty ones go)."""
    shown = set(facilities.loc[facilities["category"].isin(categories), "facility_id"])
    ids = places["facility_ids"].map(lambda group: tuple(f for f in group if f in shown))
    out = places.assign(facility_ids=ids, n=ids.map(len))
    return out.loc[out["n"] > 0]


def place_badges(places, facilities, lang: str) -> list[dict]:
    """The badge records (position, kind, count, escaped tooltip and popup) for ``Badges``."""
    badges = []
    lookup = facility_lookup(facilities, lang)
    for _, place in places.iterrows():
        key = "place_unit_tip" if place["kind"] == "unit" else "place_sub_area_tip"
        badges.append(
            {
                "lat": round(place.geometry.y, 6),
                "lng": round(place.geometry.x, 6),
                "kind": "unit" if place["kind"] == "unit" else "sub-area",
                "id": text(place["place_id"]),
                "name": text(pick(place, lang)) if place["kind"] == "unit" else "",
                "n": int(place["n"]),
                "tip": text(t(key, lang, name=pick(place, lang), n=place["n"])),
                "popup": place_popup_html(place, lookup, lang),
            }
        )
    return badges


DERIVED_SWATCH = f"background:#fff;border:2px dotted {DERIVED_EDGE}"
BEYOND_BAND_SWATCH = (
    "background:repeating-linear-gradient(45deg,#555 0 1.5px,transparent 1.5px 5px);border:1px solid #999"
)


def legend_html(
    corridors,
    view: MapView,
    extra: tuple = (),
    thematic=None,
    *,
    site_categories: Sequence[str] | None = None,
    badge_kinds: Sequence[str] = (),
) -> str:
    """The map's legend: only what is drawn. ``site_categories`` are the categories drawn as points
    (default: the view's); ``badge_kinds`` the grouped markers drawn ("sub-area", "unit")."""
    lang = view.lang
    parts = [f"<details><summary><b>{text(t('legend_title', lang))}</b></summary>"]
    if thematic is not None:
        title = t("theme_legend", lang, name=t(f"ind_{thematic.key}", lang), year=thematic.year or "—")
        parts.append(f'<div style="font-style:italic">{text(title)}</div>')
        parts += [
            f'<i style="background:{c};border:1px solid #444"></i>{text(label)}<br>'
            for c, label in theme_legend_entries(thematic, lang)
        ]
        derived = theme_derived_label(thematic, lang)
        if derived:
            parts.append(f'<i style="{DERIVED_SWATCH}"></i>{text(derived)}<br>')
    parts += [
        f'<i style="border:1.5px solid #444;background:#fff"></i>{text(t("legend_units", lang))}<br>',
        f'<i style="background:{WATER_FILL};border:1px solid {WATER_EDGE}"></i>{text(t("legend_water", lang))}<br>',
    ]
    for row in corridors.itertuples(index=False):
        if row.id in view.corridors:
            colour = corridor_colour(row.id, corridors["id"])
            swatch = f"background:{rgba(colour, FOOTPRINT_OPACITY)};border:1px solid {colour}"
            parts.append(f'<i style="{swatch}"></i>{text(pick(row, lang))}<br>')
    if any(row.beyond_band_adcodes for row in corridors.itertuples(index=False) if row.id in view.corridors):
        label = capitalised(t("legend_beyond_band", lang))
        parts.append(f'<i style="{BEYOND_BAND_SWATCH}"></i>{text(label)}<br>')
    shown_precisions = {row.spine_precision for row in corridors.itertuples(index=False) if row.id in view.corridors}
    for precision, key in SPINE_LEGEND.items():
        if precision in shown_precisions:
            dash = "dashed" if SPINE_DASH_WEB[precision] else "solid"
            swatch = f'<i class="ln" style="border-color:#333;border-top-style:{dash}"></i>'
            parts.append(f"{swatch}{text(t(key, lang))}<br>")
    for cat in view.categories if site_categories is None else site_categories:
        label = capitalised(t("cat_" + cat, lang))
        parts.append(f'<i class="pt" style="background:{CATEGORY_COLOURS[cat]}"></i>{text(label)}<br>')
    for kind in badge_kinds:
        swatch = BADGE_SWATCH[kind]
        parts.append(f'<i class="badge" style="{swatch}"></i>{text(t(BADGE_LEGEND[kind], lang))}<br>')
    for entry in extra:
        colour, label = entry[0], entry[1]
        swatch = entry[2] if len(entry) > 2 else f"background:{colour}"  # a legend entry may give its own CSS
        parts.append(f'<i class="pt" style="{swatch}"></i>{text(label)}<br>')
    parts.append("</details>")
    return "".join(parts)
