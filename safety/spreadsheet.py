"""Text a spreadsheet would misread, made harmless: the one path every CSV and XLSX the project writes goes through.

A cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) would run as a formula
in Excel or WPS: in CSV it gets a leading apostrophe (shown, not run), in XLSX it is stored as a
text cell. Control characters XML cannot hold are replaced (the row itself is kept). Readers of
planners' files use the same patterns to report such cells.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import rustpy_xlsxwriter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (shown, not run), in the
    header as in the cells."""
    out = frame.copy()
    out.columns = ["'" + c if is_formula_like(c) else c for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: "'" + v if is_formula_like(v) else v)
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV text with line feeds (for a terminal or a pipe), formula-like text
    neutralised. When a cell holds a carriage return every text cell is quoted: with line feeds
    between rows, the writer would leave that cell bare, and a reader would break the row there."""
    safe = csv_safe(frame)
    text_cells = [safe[c].astype(str) for c in safe.columns if not pd.api.types.is_numeric_dtype(safe[c])]
    bare_cr = any(cells.str.contains("\r", regex=False).any() for cells in text_cells)
    bare_cr = bare_cr or any("\r" in str(c) for c in safe.columns)
    quoting = csv.QUOTE_NONNUMERIC if bare_cr else csv.QUOTE_MINIMAL
    return safe.to_csv(index=False, lineterminator="\n", quoting=quoting)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM (Excel then reads Chinese correctly), CRLF, formula-like text neutralised
    (a cell holding a line break or carriage return is quoted)."""
    return csv_safe(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, pd.DataFrame], *, progress: Callable[[float], None] | None = None) -> bytes:
    """One workbook, a sheet per table; every text cell is stored as text, never as a formula.

    Each column is made safe first (:func:`xlsx_column`), then the workbook is written by a
    Rust writer (rustpy-xlsxwriter: about ten times openpyxl's streaming mode on 100,000 rows,
    see scripts/bench_userdata.py), which stores strings as text and makes no links.
    ``progress``, if given, is called with the fraction done (0 to 1) as each sheet is prepared.
    """
    names = xlsx_sheet_names(list(sheets))
    entries = []
    for done, (name, frame) in enumerate(zip(names, sheets.values(), strict=True)):
        if progress is not None:
            progress(done / (len(sheets) + 1))
        table = pd.DataFrame({k: xlsx_column(frame.iloc[:, k]).to_numpy() for k in range(frame.shape[1])})
        table.columns = _unique_headers([_xlsx_text(str(c)) for c in frame.columns])
        entries.append((name, table))
    buffer = io.BytesIO()
    rustpy_xlsxwriter.write_worksheets(entries, buffer)
    if progress is not None:
        progress(1.0)
    return buffer.getvalue()


def xlsx_sheet_names(names: list[str]) -> list[str]:
    r"""Sheet names Excel accepts: at most 31 characters, none of []:*?/\, unique (a repeat gets " (2)").

    >>> xlsx_sheet_names(["report", "a/b", "x" * 40, "report"])
    ['report', 'a_b', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'report (2)']
    """
    out: list[str] = []
    for name in names:
        base = re.sub(r"[\[\]:*?/\\]", "_", _xlsx_text(name)).strip("'")[:31] or "sheet"
        candidate, n = base, 1
        while candidate.lower() in (o.lower() for o in out):
            n += 1
            candidate = f"{base[: 31 - len(f' ({n})')]} ({n})"
        out.append(candidate)
    return out


def _unique_headers(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for header in headers:
        seen[header] = seen.get(header, 0) + 1
        out.append(header if seen[header] == 1 else f"{header} ({seen[header]})")
    return out


XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters XML cannot hold
XLSX_REPLACEMENT = "\ufffd"


XLSX_MAX_CELL_CHARS = 32_767  # Excel's limit; a longer cell keeps its start and says it was cut
XLSX_CUT_MARK = "…[cut]"


def _xlsx_text(value: str) -> str:
    text = XLSX_ILLEGAL.sub(XLSX_REPLACEMENT, value)  # XML cannot hold these; the row itself is kept
    if len(text) > XLSX_MAX_CELL_CHARS:
        return text[: XLSX_MAX_CELL_CHARS - len(XLSX_CUT_MARK)] + XLSX_CUT_MARK
    return text


def _xlsx_scalar(value):
    if value is None:
        return None
    if isinstance(value, str):
        return _xlsx_text(value)
    if isinstance(value, list | tuple):
        return _xlsx_text("|".join(map(str, value)))
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None  # NaN, and infinity, which a cell cannot hold: empty
    if isinstance(value, bool | int | float):
        return value
    return None if pd.isna(value) else _xlsx_text(str(value))


def xlsx_column(cells: pd.Series) -> pd.Series:
    r"""One column under the workbook's rules, as an object Series of str, int, float or None.

    Text goes column-wise through the string methods; only a column of mixed kinds goes cell by cell.

    >>> xlsx_column(pd.Series(["a\x0bb", None, "=1"])).tolist()
    ['a\ufffdb', None, '=1']
    >>> xlsx_column(pd.Series([1.5, float("nan"), float("inf")])).tolist()
    [1.5, None, None]
    """
    if pd.api.types.is_bool_dtype(cells.dtype) or pd.api.types.is_numeric_dtype(cells.dtype):
        finite = cells.notna() & ~cells.isin([np.inf, -np.inf])
        return cells.astype(object).where(finite, None)
    values = cells.to_numpy(dtype=object)
    try:  # a column of text (and empty cells) is cleaned in Arrow's C++ string kernels
        text = pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowTypeError, pa.ArrowInvalid):  # numbers or lists among the text: cell by cell
        return pd.Series([_xlsx_scalar(v) for v in values], dtype=object)
    if pc.any(pc.match_substring_regex(text, XLSX_ILLEGAL.pattern)).as_py():
        text = pc.replace_substring_regex(text, XLSX_ILLEGAL.pattern, XLSX_REPLACEMENT)
    if pc.any(pc.greater(pc.utf8_length(text), XLSX_MAX_CELL_CHARS)).as_py():
        return pd.Series([None if v is None else _xlsx_text(v) for v in text.to_pylist()], dtype=object)
    return pd.Series(text.to_numpy(zero_copy_only=False), dtype=object)
