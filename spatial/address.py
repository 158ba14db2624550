"""Place a Chinese or English address in a planning unit (and town) from the words it contains.

Offline and honest: the answer says which words settled it and at what level (a town, a zone,
a unit), an address that names another city first is never placed in Suzhou, and words that
point to two units are reported as ambiguous with their candidates rather than guessed.

The names come in as :class:`PlaceName` rows (``layers.gazetteer`` loads them from
``geodata/place_names.csv``); matching is one Aho-Corasick pass (pyahocorasick) per script.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick

KINDS = ("unit", "town", "zone", "former", "city", "ambiguous", "outside")
LEVEL_OF_KIND = {"unit": "unit", "former": "unit", "town": "town", "zone": "zone"}
SPECIFICITY = {"town": 3, "zone": 2, "unit": 1}  # a town settles more than a zone, a zone more than a unit
# after a short name, these make it a road or a landmark's name, not the place: 太平路, 东山大道, 吴中东路
_ROAD_AFTER = re.compile(r"[东西南北中]?(?:路|街|大道|巷|弄|桥|公路|快速路|高速)")
_POSTCODE = re.compile(r"(?:邮编|邮政编码|postcode|post code|zip)?[:：]?\s*\b\d{6}\b", re.IGNORECASE)
_CJK_DROP = re.compile(r"[\s\-–—_'’·.,，、;；:：()（）\[\]【】\"“”]")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")


@dataclass(frozen=True)
class PlaceName:
    """A name the matcher knows: ``kind`` one of KINDS; ``unit`` the adcode it settles (empty for
    city, ambiguous and outside names); ``candidates`` the units an ambiguous name may mean;
    ``town`` the town (街道/镇) it lies in, when known (a town's own row: its full name);
    ``short`` a short form (娄葑 for 娄葑街道), which does not count before a road's suffix."""

    name: str
    kind: str
    unit: str = ""
    town: str = ""
    candidates: tuple[str, ...] = ()
    short: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"place name {self.name!r}: kind {self.kind!r} not in {KINDS}")
        if self.kind in LEVEL_OF_KIND and not self.unit:
            raise ValueError(f"place name {self.name!r} ({self.kind}) names no unit")
        if self.kind == "ambiguous" and len(self.candidates) < 2:
            raise ValueError(f"ambiguous place name {self.name!r} needs two or more candidate units")


@dataclass(frozen=True)
class AddressMatch:
    """What an address says: ``unit`` (adcode) or None; ``level`` (town, zone, unit) and ``text``
    (the words) of the match that settled it; ``town`` where known; ``ambiguous``: the candidate
    units when the words point to several (then ``unit`` is None); ``outside``: the name of
    another place that the address is in (then ``unit`` is None)."""

    unit: str | None
    level: str | None = None
    text: str = ""
    town: str = ""
    ambiguous: tuple[str, ...] = ()
    outside: str = ""
    words: tuple[str, ...] = field(default=(), compare=False)  # every name found, in order


def cjk_key(text: str) -> str:
    """The address folded for Chinese names: NFKC (full-width to half-width), lower case,
    postcodes, spaces and punctuation dropped.

    >>> cjk_key("江苏省 苏州工业园区（星湖街）２１８号  邮编：215123")
    '江苏省苏州工业园区星湖街218号'
    """
    folded = unicodedata.normalize("NFKC", str(text)).lower()
    return _CJK_DROP.sub("", _POSTCODE.sub("", folded))


def ascii_key(text: str) -> str:
    """The address folded for English names: lower-case words joined by single spaces, with a
    space at each end so that a name matches whole words only ("sip" never inside "gossip").

    >>> ascii_key("No. 99, Ren'ai Road, Suzhou Industrial Park")
    ' no 99 ren ai road suzhou industrial park '
    """
    words = _ASCII_WORD.findall(unicodedata.normalize("NFKC", str(text)).lower())
    return f" {' '.join(words)} "


def _is_ascii(name: str) -> bool:
    return name.isascii()


class Gazetteer:
    """The names, compiled once into two automata (Chinese names, English names)."""

    def __init__(self, names: Iterable[PlaceName]) -> None:
        self.names = tuple(names)
        self._cjk = ahocorasick.Automaton()
        self._ascii = ahocorasick.Automaton()
        for place in self.names:
            if _is_ascii(place.name):
                key = ascii_key(place.name)
                automaton = self._ascii
            else:
                key = cjk_key(place.name)
                automaton = self._cjk
            if key.strip() and key not in automaton:  # the first row of a name wins (the file's order)
                automaton.add_word(key, (place, len(key)))
        for automaton in (self._cjk, self._ascii):
            if len(automaton):
                automaton.make_automaton()

    def found(self, address: str) -> list[tuple[int, PlaceName, str]]:
        """(position, name, matched text) of every name in ``address``, longest first where two
        overlap; short names followed by a road's suffix left out."""
        hits: list[tuple[int, PlaceName, str]] = []
        if len(self._cjk):
            key = cjk_key(address)
            for end, (place, length) in self._cjk.iter_long(key):
                start = end - length + 1
                if place.short and _ROAD_AFTER.match(key, end + 1):
                    continue
                hits.append((start, place, key[start : end + 1]))
        if len(self._ascii) and _LATIN.search(address):
            key = ascii_key(address)
            for end, (place, length) in self._ascii.iter_long(key):
                # English runs from small to large ("..., Suzhou, Jiangsu"): order as Chinese would
                hits.append((len(key) - end, place, key[end - length + 1 : end + 1].strip()))
        return sorted(hits, key=lambda hit: hit[0])

    def match(self, address: str) -> AddressMatch:
        """Where ``address`` lies, by the names it contains (see :class:`AddressMatch`)."""
        hits = self.found(address)
        words = tuple(text for _, _, text in hits)
        outside = _outside_first(hits)
        if outside:
            return AddressMatch(None, outside=outside, words=words)
        return _settle([(place, text) for _, place, text in hits if place.kind != "outside"], words)


def _outside_first(hits: list[tuple[int, PlaceName, str]]) -> str:
    """The outside name the address is in: one that comes before every Suzhou name (addresses
    run from the large to the small), or any when no Suzhou name is there at all."""
    for _, place, text in hits:
        if place.kind == "outside":
            return text
        if place.kind in ("city", *LEVEL_OF_KIND):
            return ""
    return ""


def _settle(hits: list[tuple[PlaceName, str]], words: tuple[str, ...]) -> AddressMatch:
    """One unit when every definite name agrees (an ambiguous name then only has to allow it),
    else the candidates; the most specific agreeing name is the match. A short form (凤凰 of
    凤凰镇, inside 凤凰荟) that contradicts full names is the weaker word: it is set aside."""
    found = _agreed(hits, words)
    full = [(place, text) for place, text in hits if not place.short]
    if found.ambiguous and len(full) < len(hits):
        without_short = _agreed(full, words)
        if without_short.unit is not None:
            return without_short
    return found


def _agreed(hits: list[tuple[PlaceName, str]], words: tuple[str, ...]) -> AddressMatch:
    definite = [(place, text) for place, text in hits if place.kind in LEVEL_OF_KIND]
    units = {place.unit for place, _ in definite}
    for place, _ in hits:
        if place.kind == "ambiguous":
            allowed = set(place.candidates)
            units = units & allowed if units else allowed
            if not units:  # the definite names and this one disagree
                units = {p.unit for p, _ in definite} | allowed
                break
    if len(units) == 1 and definite:
        unit = next(iter(units))
        best, text = max(
            ((p, t) for p, t in definite if p.unit == unit), key=lambda pt: SPECIFICITY[LEVEL_OF_KIND[pt[0].kind]]
        )
        return AddressMatch(unit, level=LEVEL_OF_KIND[best.kind], text=text, town=best.town, words=words)
    if len(units) > 1:
        return AddressMatch(None, ambiguous=tuple(sorted(units)), words=words)
    return AddressMatch(None, words=words)
