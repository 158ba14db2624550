"""The shapes government spreadsheets come in, found from their first rows: where the header is
(title and note rows above it, a header merged over two rows), what the delimiter is, headers
that repeat or hide characters, a totals row, both coordinates in one cell.

Pure functions on lists of cell texts; :mod:`userdata.tables` reads files with them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from spatial.query import INVISIBLE, parse_number

HEADER_SEARCH_ROWS = 30  # a header further down than this is not looked for
DELIMITERS = (",", "\t", ";", "|")
_SEP_LINE = re.compile(r"\ufeff?sep=(.)\s*")
TOTALS = re.compile(r"(合计|总计|小计|共计|总数|total|totals|sum|subtotal|grand total)[:：]?", re.IGNORECASE)
_PAIR = re.compile(r"^\s*(\S+?)\s*(?:[,;、]|\s)\s*(\S+)\s*$")  # after NFKC: "，" and "；" are "," and ";"


@dataclass(frozen=True)
class Header:
    """Where a table's header is among its first records, and its column names."""

    index: int  # the header's first record (0-based)
    rows: int  # 1, or 2 for a header merged over two rows
    names: list[str]  # cleaned and unique
    skipped: list[str]  # the text of the non-blank records above the header (a title, notes)
    duplicates: list[str]  # names that occurred more than once (kept apart as "name (2)")


def clean_cell(value) -> str:
    """A header cell as text: invisible characters gone, spaces trimmed; None is empty."""
    return "" if value is None else INVISIBLE.sub("", str(value)).strip()


def sep_line(first_line: str) -> str | None:
    """The delimiter named by Excel's ``sep=;`` first line, or None."""
    match = _SEP_LINE.fullmatch(first_line)
    return match.group(1) if match else None


def guess_delimiter(lines: Sequence[str]) -> str:
    """The delimiter that splits the most of ``lines`` into the same number of fields (>1)."""
    best, best_score = ",", 0
    for delimiter in DELIMITERS:
        counts = [line.count(delimiter) for line in lines if line.strip()]
        common = Counter(c for c in counts if c > 0).most_common(1)
        score = common[0][1] if common else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _filled(record: Sequence) -> list[str]:
    return [clean_cell(cell) for cell in record]


def _header_like(cells: list[str], widest: int) -> bool:
    """Enough non-empty cells, and mostly words rather than numbers."""
    present = [c for c in cells if c]
    if len(present) < max(2, math.ceil(widest / 2)):
        return False
    numbers = sum(parse_number(c) is not None for c in present)
    return numbers <= len(present) / 3


def find_header(records: Sequence[Sequence]) -> Header:
    """The header among the first :data:`HEADER_SEARCH_ROWS` records: the first header-like one
    (rows above it are a title or notes). When it has gaps and the next record names the columns
    under a cell merged across them (坐标 over 经度 | 纬度; 名称 merged down is empty below), the
    two are one header merged over two rows: the lower name wins, the upper one fills in where
    the lower is empty."""
    rows = [_filled(r) for r in records[:HEADER_SEARCH_ROWS]]
    widest = max((sum(bool(c) for c in r) for r in rows), default=0)
    index = next((i for i, r in enumerate(rows) if _header_like(r, widest)), 0)
    top = rows[index] if rows else []
    names, count = top, 1
    below = rows[index + 1] if index + 1 < len(rows) else None
    if below is not None:
        width = max(len(top), len(below))
        upper, lower = top + [""] * (width - len(top)), below + [""] * (width - len(below))
        if "" in upper and _names_a_merged_group(upper, lower):
            names, count = [lo or up for up, lo in zip(_forward_filled(upper), lower, strict=True)], 2
    names = [name or f"column_{i + 1}" for i, name in enumerate(names)]
    unique, duplicates = unique_names(names)
    skipped = [" ".join(c for c in r if c) for r in rows[:index] if any(r)]
    return Header(index, count, unique, skipped, duplicates)


def _names_a_merged_group(upper: list[str], lower: list[str]) -> bool:
    """Does the lower row name the columns under an upper cell merged across them (坐标 over
    经度 | 纬度, 基本信息 over 名称 | 区), and nothing else under an upper cell of one column
    (名称 merged down: empty, or the same name repeated)? Then it is the header's second row,
    however few names it has; a row holding a number, or a word under a one-column cell, is data."""
    if any(parse_number(cell) is not None for cell in lower if cell):
        return False
    starts = [column for column, up in enumerate(upper) if up]
    spans = dict(zip(starts, [*starts[1:], len(upper)], strict=True))  # upper cell -> the column after its group
    named_group = False
    for start, stop in spans.items():
        if stop - start == 1 and lower[start] not in ("", upper[start]):  # one column, another name below:
            return False  # the lower row is not part of the header (a merged cell is empty or repeated below)
        named_group = named_group or (stop - start > 1 and bool(lower[start]) and any(lower[start + 1 : stop]))
    return named_group


def _forward_filled(cells: list[str]) -> list[str]:
    out, last = [], ""
    for cell in cells:
        last = cell or last
        out.append(last)
    return out


def unique_names(names: Sequence[str]) -> tuple[list[str], list[str]]:
    """Names made unique by " (2)", " (3)" …; and the names that repeated."""
    seen: Counter = Counter()
    taken = set(names)
    out = []
    for name in names:
        seen[name] += 1
        if seen[name] == 1:
            out.append(name)
            continue
        number = seen[name]
        while f"{name} ({number})" in taken:
            number += 1
        out.append(f"{name} ({number})")
        taken.add(out[-1])
    return out, [name for name, n in seen.items() if n > 1]


def totals_rows(frame: pd.DataFrame, candidates: np.ndarray, columns: int = 3) -> np.ndarray:
    """True for the ``candidates`` rows (a boolean mask: rows without coordinates, say) whose first
    ``columns`` cells include a totals label (合计, 总计, Total …). Only candidates are looked at."""
    mask = np.zeros(len(frame), dtype=bool)
    rows = np.flatnonzero(candidates)
    if not rows.size:
        return mask
    for column in frame.columns[:columns]:
        cells = frame[column].iloc[rows].to_numpy()
        mask[rows] |= np.array([bool(TOTALS.fullmatch(clean_cell(v))) for v in cells], dtype=bool)
    return mask


def split_pairs(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Cells holding both coordinates ("120.62,31.30", Amap's copy format; full-width commas,
    semicolons, "、" or a space between) as two text columns; empty where a cell is not a pair."""

    text = cells.astype(str).map(lambda v: unicodedata.normalize("NFKC", INVISIBLE.sub("", v)))
    parts = text.str.extract(_PAIR.pattern, expand=True).fillna("")
    return parts[0], parts[1]
