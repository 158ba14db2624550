"""The map's search index: every unit, town or street, zone, former name, place, facility and a
planner's drawn points, each with the folded keys it is found by and where the map goes for it.

Keys are folded by :func:`spatial.names.normalise_key` (the search box folds what is typed the same
way) and hold the names in Chinese and English, the aliases and short names the Query page knows
(``geodata/unit_attributes.csv``, ``spatial.search.FACILITY_ABBREVIATIONS``), and the Chinese names'
pinyin, whole and as initials ("szgyyq", "shengze"). Positions are in the display layers' datum.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pandas as pd
from pypinyin import Style, lazy_pinyin

from layers.gazetteer import load_place_names, load_towns
from presentation.display import DisplayLayers
from presentation.i18n import pick, t
from safety.markup import text
from spatial.names import normalise_key, unit_keys
from spatial.search import FACILITY_ABBREVIATIONS

# the order results of equal closeness are listed in (a unit before a town of the same name ...)
KIND_RANK = {"unit": 0, "town": 1, "place": 2, "zone": 3, "facility": 4, "row": 5, "former": 6}
POINT_ZOOM = 14  # how close the map goes to a point found
ADDRESS_ROW_ZOOM = 11  # a row placed by address: its unit's count, with the unit around it


@dataclass(frozen=True)
class SearchEntry:
    """One thing the search box finds.

    ``label`` is plain text, unique in the index (the search box's own key); ``html`` is the escaped
    line the list shows; ``target`` is {"bounds": [[s, w], [n, e]]} or {"lat", "lng"}, with
    ``find`` naming the registered layer whose popup opens ("fac:<id>", "place:<id>", "row:<n>")
    and ``note`` an escaped text shown where the map goes (a town: no borders of its own)."""

    label: str
    html: str
    keys: tuple[str, ...]
    kind: str
    target: dict

    def record(self) -> dict:
        return {"label": self.label, "html": self.html, "keys": list(self.keys), "rank": KIND_RANK[self.kind]} | {
            "target": self.target
        }


def pinyin_keys(name_zh: str) -> list[str]:
    """The pinyin of a Chinese name, whole and as initials ("盛泽镇" -> shengzezhen, szz); none for Latin."""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in name_zh):
        return []
    syllables = [s for s in lazy_pinyin(name_zh, errors="ignore") if s.isascii()]
    initials = lazy_pinyin(name_zh, style=Style.FIRST_LETTER, errors="ignore")
    return ["".join(syllables), "".join(i for i in initials if i.isascii())]


def _keys(*names: str) -> tuple[str, ...]:
    keys = [normalise_key(n) for n in names if n]
    keys += [k for n in names if n for k in pinyin_keys(n)]
    return tuple(dict.fromkeys(k for k in keys if k))


def _fold(value: str) -> str:
    return unicodedata.normalize("NFKC", str(value)).casefold()


def _bounds(geometry) -> list[list[float]]:
    west, south, east, north = geometry.bounds
    return [[round(south, 6), round(west, 6)], [round(north, 6), round(east, 6)]]


def _point(geometry, find: str | None = None) -> dict:
    return {"lat": round(geometry.y, 6), "lng": round(geometry.x, 6), "zoom": POINT_ZOOM} | (
        {"find": find} if find else {}
    )


def _html(name: str, hint: str) -> str:
    return f"<b>{text(name)}</b> <small>{text(hint)}</small>"


def _label(name: str, hint: str) -> str:
    return f"{name} — {hint}"


def build_search_index(atlas, layers: DisplayLayers, *, lang: str, extra: tuple = ()) -> list[dict]:
    """The search records of the map, units first; ``extra`` adds :class:`SearchEntry` rows (a
    planner's points). Labels are made unique by a number where two would read the same.

    Returns
    -------
    list of dict: label, html, keys, rank, target (see :class:`SearchEntry`).
    """
    units = layers.units.set_index("adcode")
    names = {row.adcode: pick(row, lang) for row in atlas.units.itertuples(index=False)}
    entries = [
        *_unit_entries(atlas, units, lang),
        *_town_entries(atlas, units, names, lang),
        *_place_entries(layers, names, lang),
        *_zone_entries(atlas, units, names, lang),
        *_facility_entries(atlas, layers, units, names, lang),
        *extra,
    ]
    seen: dict[str, int] = {}
    records = []
    for entry in entries:
        record = entry.record()
        seen[entry.label] = seen.get(entry.label, 0) + 1
        if seen[entry.label] > 1:
            record["label"] = f"{entry.label} ({seen[entry.label]})"
        records.append(record)
    return records


def _unit_entries(atlas, units, lang: str) -> list[SearchEntry]:
    hint = t("search_unit", lang)
    return [
        SearchEntry(
            label=_label(pick(row, lang), hint),
            html=_html(pick(row, lang), hint),
            keys=tuple(dict.fromkeys([*unit_keys(row), *_keys(row.name_zh)])),
            kind="unit",
            target={"bounds": _bounds(units.loc[row.adcode, "geometry"]), "find": f"unit:{row.adcode}"},
        )
        for row in atlas.units.itertuples(index=False)
    ]


def _town_entries(atlas, units, names: dict, lang: str) -> list[SearchEntry]:
    """Towns and streets: no borders in the atlas, so the map shows their unit and says so."""
    out = []
    for row in load_towns(atlas.units).itertuples(index=False):
        if row.level == "zone":  # zones are listed by their own names below
            continue
        short = row.name_zh.removesuffix("街道").removesuffix("镇")
        spelt = "".join(lazy_pinyin(short, errors="ignore")).capitalize()
        name = row.name_zh if lang == "zh" else f"{row.name_zh} {spelt}"
        hint = t("search_town_of", lang, unit=names[row.unit_adcode])
        note = t("search_town_note", lang, town=row.name_zh, unit=names[row.unit_adcode])
        out.append(
            SearchEntry(
                label=_label(name, hint),
                html=_html(name, hint),
                keys=_keys(row.name_zh),
                kind="town",
                target={"bounds": _bounds(units.loc[row.unit_adcode, "geometry"]), "note": text(note)},
            )
        )
    return out


def _place_entries(layers: DisplayLayers, names: dict, lang: str) -> list[SearchEntry]:
    """Sub-areas (a town, park or new town at its cited point), with their count's popup."""
    sub_areas = layers.places.loc[layers.places["kind"] == "sub-area"]
    return [
        SearchEntry(
            label=_label(pick(row, lang), hint),
            html=_html(pick(row, lang), hint),
            keys=_keys(row["name_zh"], row["name_en"]),
            kind="place",
            target=_point(row.geometry, f"place:{row['place_id']}"),
        )
        for _, row in sub_areas.iterrows()
        for hint in [t("search_place_in", lang, unit=names[row["adcode"]])]
    ]


def _zone_entries(atlas, units, names: dict, lang: str) -> list[SearchEntry]:
    """Zones and former names of ``geodata/place_names.csv`` that settle one unit (not those named
    already as a unit or a place)."""
    known = {normalise_key(n) for n in [*atlas.units["name_zh"], *atlas.sub_areas["name_zh"]]}
    listed = load_place_names(atlas.units)
    listed = listed.loc[listed["kind"].isin(["zone", "former"]) & listed["unit_adcode"].ne("")]
    out = []
    for row in listed.itertuples(index=False):
        if normalise_key(row.name) in known:
            continue
        key = "search_zone_in" if row.kind == "zone" else "search_former"
        hint = t(key, lang, unit=names[row.unit_adcode])
        out.append(
            SearchEntry(
                label=_label(row.name, hint),
                html=_html(row.name, hint),
                keys=_keys(row.name),
                kind=row.kind,
                target={"bounds": _bounds(units.loc[row.unit_adcode, "geometry"])},
            )
        )
    return out


def _abbreviations(*names: str) -> list[str]:
    """The abbreviations (spatial.search) whose spelt-out words a name holds: 苏州大学 -> 苏大."""
    folded = [_fold(n) for n in names]
    return [abbr for abbr, words in FACILITY_ABBREVIATIONS.items() if any(_fold(words) in f for f in folded)]


def _facility_entries(atlas, layers: DisplayLayers, units, names: dict, lang: str) -> list[SearchEntry]:
    """A facility with a site of its own opens its popup; one known by sub-area or unit only opens
    that place's count (its list)."""
    places = layers.places.set_index("place_id")
    out = []
    for row in layers.facilities.itertuples(index=False):
        hint = t("search_facility_in", lang, category=t(f"cat_{row.category}", lang), unit=names[row.adcode])
        place_id = row.sub_area_id if row.precision == "sub-area" else row.adcode
        if row.precision not in ("sub-area", "unit") and row.geometry is not None and not row.geometry.is_empty:
            target = _point(row.geometry, f"fac:{row.facility_id}")
        elif place_id in places.index:
            place = places.loc[place_id]
            target = (
                _point(place.geometry, f"place:{place_id}")
                if row.precision == "sub-area"
                else {"bounds": _bounds(units.loc[row.adcode, "geometry"]), "find": f"place:{place_id}"}
            )
        else:
            target = {"bounds": _bounds(units.loc[row.adcode, "geometry"])}
        out.append(
            SearchEntry(
                label=_label(pick(row, lang), hint),
                html=_html(pick(row, lang), hint),
                keys=tuple(
                    dict.fromkeys(
                        [
                            *_keys(row.name_zh, row.name_en),
                            *map(normalise_key, _abbreviations(row.name_zh, row.name_en)),
                        ]
                    )
                ),
                kind="facility",
                target=target,
            )
        )
    return out


def row_entries(points: pd.DataFrame, *, layer: str, lang: str, find_prefix: str) -> list[SearchEntry]:
    """A planner's drawn points (lon, lat already in the display datum, ``label``), each opening its
    marker's popup (registered as ``<find_prefix><position>``)."""
    hint = t("search_row", lang, layer=layer)
    return [
        SearchEntry(
            label=_label(str(label), hint),
            html=_html(str(label), hint),
            keys=_keys(str(label)),
            kind="row",
            target={
                "lat": round(float(lat), 6),
                "lng": round(float(lon), 6),
                "zoom": POINT_ZOOM,
                "find": f"{find_prefix}{i}",
            },
        )
        for i, (lon, lat, label) in enumerate(zip(points["lon"], points["lat"], points["label"], strict=True))
        if str(label).strip()
    ]


def address_row_entries(rows: pd.DataFrame, counts: list[dict], unit_names: dict, *, layer: str, lang: str):
    """A planner's rows placed by their address (``label``, ``adcode``): each found at its unit's
    count symbol (``counts``: records with adcode, lat, lng, find), whose list the search opens."""
    at = {c["adcode"]: c for c in counts}
    out = []
    for label, adcode in zip(rows["label"].astype(str), rows["adcode"], strict=True):
        if not label.strip() or adcode not in at:
            continue
        hint = t("search_row_address", lang, layer=layer, unit=unit_names[adcode])
        count = at[adcode]
        out.append(
            SearchEntry(
                label=_label(label, hint),
                html=_html(label, hint),
                keys=_keys(label),
                kind="row",
                target={"lat": count["lat"], "lng": count["lng"], "zoom": ADDRESS_ROW_ZOOM, "find": count["find"]},
            )
        )
    return out
