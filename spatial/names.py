"""Resolve what a planner types (zh/en name, code, id, alias, pinyin) to a unit or corridor."""

from __future__ import annotations

import difflib
import re
import unicodedata

import pandas as pd

from atlas_core.errors import UnknownNameError

_SUFFIXES_ZH = ("区", "市")
_MAX_SUGGESTIONS = 3


# what a key drops once folded; also a JavaScript regular expression (the map's search box folds typed text with it)
KEY_DROP_PATTERN = r"[\s\-–—_'’·.()（）]"


def normalise_key(text: str) -> str:
    """Lower-case, full-width to half-width (NFKC), drop spaces, hyphens and dashes."""
    folded = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return re.sub(KEY_DROP_PATTERN, "", folded)


def unit_keys(row) -> list[str]:
    """The folded keys a unit is known by: adcode, names, aliases, names without 区/市 or District."""
    keys = [row.adcode, row.name_zh, row.name_en, *str(row.aliases).split("|")]
    if row.name_zh.endswith(_SUFFIXES_ZH):
        keys.append(row.name_zh[:-1])
    if row.name_en.endswith(" District"):
        keys.append(row.name_en[: -len(" District")])
    return [normalise_key(k) for k in keys if k]


def _corridor_keys(row) -> list[str]:
    keys = [row.id, row.name_zh, row.name_en]
    short_zh = row.name_zh.replace("产业创新轴", "").replace("科技研发创新带", "").replace("科技产业创新带", "")
    keys += [short_zh, short_zh + "轴", short_zh + "带"]
    if row.id == "ring":
        keys += ["一环", "中环", "middle ring", "ring corridor"]
    return [normalise_key(k) for k in keys if k]


def _build_index(frame: pd.DataFrame, key_fn, id_column: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for row in frame.itertuples(index=False):
        for key in key_fn(row):
            index.setdefault(key, getattr(row, id_column))
    return index


def _resolve(value: str, index: dict[str, str], *, kind: str, labels: dict[str, tuple[str, str]]) -> str:
    """``index[key of value]``, else raise with suggestions labelled in English and Chinese
    (``labels`` maps an id to its (en, zh) label)."""
    known_en = [en for en, _ in labels.values()]
    known_zh = [zh for _, zh in labels.values()]
    if value is None or not str(value).strip():
        raise UnknownNameError(kind, str(value), [], known_en, suggestions_zh=[], known_zh=known_zh)
    key = normalise_key(value)
    if key in index:
        return index[key]
    close = difflib.get_close_matches(key, list(index), n=_MAX_SUGGESTIONS * 3, cutoff=0.5)
    ids = list(dict.fromkeys(index[match] for match in close))[:_MAX_SUGGESTIONS]
    raise UnknownNameError(
        kind,
        str(value),
        [labels[i][0] for i in ids],
        known_en,
        suggestions_zh=[labels[i][1] for i in ids],
        known_zh=known_zh,
    )


def resolve_unit(value: str, units: pd.DataFrame) -> str:
    """Return the adcode of the unit ``value`` names (name, code or alias, zh or en).

    Raises
    ------
    UnknownNameError
        When nothing matches; the message suggests the closest units and lists all, by
        their English names in the English message and Chinese names in the Chinese one.

    Example
    -------
    >>> resolve_unit("高新区", units)  # doctest: +SKIP
    '320505'
    """
    index = _build_index(units, unit_keys, "adcode")
    labels = {
        r.adcode: (f"{r.name_en} ({r.adcode})", f"{r.name_zh} ({r.adcode})") for r in units.itertuples(index=False)
    }
    return _resolve(value, index, kind="unit", labels=labels)


def resolve_corridor(value: str, corridors: pd.DataFrame) -> str:
    """Return the id of the corridor ``value`` names (id, zh or en name, short name)."""
    index = _build_index(corridors, _corridor_keys, "id")
    labels = {r.id: (f"{r.id} ({r.name_en})", f"{r.id}（{r.name_zh}）") for r in corridors.itertuples(index=False)}
    return _resolve(value, index, kind="corridor", labels=labels)
