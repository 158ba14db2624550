"""Find facilities by what a planner types: part of a name in Chinese or English, or a common abbreviation."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from atlas_core.errors import AtlasError

# Abbreviations planners type, to the words the facilities' names spell out. Every entry
# finds at least one facility in geodata/facilities.csv (tests/test_search.py checks it);
# one that finds nothing is removed rather than kept "for later". Keys and expansions are
# compared after NFKC folding and casefolding. English keys match whole words only.
FACILITY_ABBREVIATIONS: dict[str, str] = {
    "超算": "超级计算",
    "纳米所": "纳米技术与纳米仿生研究所",
    "医工所": "生物医学工程技术研究所",
    "苏大": "苏州大学",
    "苏科大": "苏州科技大学",
    "西交利物浦": "西交利物浦大学",
    "西浦": "西交利物浦大学",
    "中科院": "中国科学院",
    "中科大": "中国科学技术大学",
    "西工大": "西北工业大学",
    "南大": "南京大学",
    "高新区": "高新技术产业开发区",
    "经开区": "经济技术开发区",
    "SIP": "Suzhou Industrial Park",
    "SND": "Suzhou National Hi-tech District",
    "XJTLU": "Xi'an Jiaotong-Liverpool University",
    "SINANO": "Suzhou Institute of Nano-Tech and Nano-Bionics",
    "SIBET": "Suzhou Institute of Biomedical Engineering and Technology",
    "NWPU": "Northwestern Polytechnical University",
}
_LANGS = ("zh", "en")
# Left over between abbreviations in one typed word ("中科院-纳米所"): not part of any name.
_JOINERS = " -_·,，、/"


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).casefold().strip()


_EXPANSIONS: dict[str, str] = {_fold(k): _fold(v) for k, v in FACILITY_ABBREVIATIONS.items()}


def _key_pattern(key: str) -> str:
    escaped = re.escape(key)
    # An English abbreviation is a word of its own: "sip" in "gossip" is not the park.
    return rf"(?<![0-9a-z]){escaped}(?![0-9a-z])" if key.isascii() else escaped


_ABBREVIATION_RE = re.compile("|".join(_key_pattern(k) for k in sorted(_EXPANSIONS, key=len, reverse=True)))


def _expanded_pieces(term: str) -> list[str] | None:
    """The pieces ``term`` stands for once its abbreviations are spelt out (each must
    appear in the name), or None when it holds no abbreviation."""
    pieces: list[str] = []
    last = 0
    for match in _ABBREVIATION_RE.finditer(term):
        pieces.append(term[last : match.start()].strip(_JOINERS))
        pieces.append(_EXPANSIONS[match.group(0)])
        last = match.end()
    if not last:
        return None
    pieces.append(term[last:].strip(_JOINERS))
    return [p for p in pieces if p]


def _term_mask(names: pd.Series, term: str) -> np.ndarray:
    """Where a folded name holds ``term`` as typed, or every piece of its expansion."""
    mask = names.str.contains(term, regex=False).to_numpy(dtype=bool, copy=True)
    pieces = _expanded_pieces(term)
    if pieces:
        expanded = np.ones(len(names), dtype=bool)
        for piece in pieces:
            expanded &= names.str.contains(piece, regex=False).to_numpy(dtype=bool)
        mask |= expanded
    return mask


def search_facilities(facilities: pd.DataFrame, text: str, *, lang: str) -> pd.DataFrame:
    """The facilities whose Chinese or English name matches ``text``, matches in ``lang`` first.

    Matching folds case and full-width forms (NFKC) in both the text and the names and is
    partial ("姑苏" finds 姑苏实验室). Words separated by spaces must each match ("中科院 医工所").
    Common abbreviations are spelt out from :data:`FACILITY_ABBREVIATIONS` ("苏大" finds
    苏州大学, "SIP" finds China-Singapore Suzhou Industrial Park), while the text as typed
    still matches too.

    Parameters
    ----------
    facilities : pandas.DataFrame or geopandas.GeoDataFrame
        With ``name_zh`` and ``name_en`` columns (any CRS; geometry is not used).
    text : str
        What the planner typed; blank finds nothing.
    lang : {"zh", "en"}
        The interface language: facilities matched by their name in it come first; plan
        order is kept otherwise.

    Returns
    -------
    Same type as ``facilities``: a new frame of the matching rows, all columns, same CRS.

    Raises
    ------
    AtlasError
        For a ``lang`` other than "zh" or "en".

    Example
    -------
    >>> search_facilities(atlas.facilities, "纳米所", lang="zh")["facility_id"].tolist()  # doctest: +SKIP
    ['sinano']
    """
    if lang not in _LANGS:
        raise AtlasError(
            f"unknown language {lang!r}; expected one of {', '.join(_LANGS)}",
            zh=f"未知语言 {lang!r}；可选：{'、'.join(_LANGS)}",
        )
    terms = _fold(text).split()
    if not terms:
        return facilities.iloc[:0].copy()
    names = {code: facilities[f"name_{code}"].fillna("").map(_fold) for code in _LANGS}
    matched = np.ones(len(facilities), dtype=bool)
    in_lang = np.ones(len(facilities), dtype=bool)
    for term in terms:
        masks = {code: _term_mask(names[code], term) for code in _LANGS}
        matched &= masks["zh"] | masks["en"]
        in_lang &= masks[lang]
    order = np.concatenate([np.flatnonzero(matched & in_lang), np.flatnonzero(matched & ~in_lang)])
    return facilities.iloc[order].copy()
