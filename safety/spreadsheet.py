"""Text a spreadsheet would misread, made harmless: the one path every CSV and XLSX the project writes goes through.

A cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) would run as a formula
in Excel or WPS: in CSV it gets a leading apostrophe (shown, not run), in XLSX it is stored as a
text cell. Control characters XML cannot hold are replaced (the row itself is kept). Readers of
planners' files use the same patterns to report such cells.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

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

    Written in openpyxl's streaming (write-only) mode. ``progress``, if given, is called with
    the fraction of rows written so far (0 to 1), about a hundred times for a large workbook.
    """
    book = Workbook(write_only=True)
    total = max(1, sum(len(frame) for frame in sheets.values()))
    step = max(1, total // 100)
    done = 0

    def text_cell(sheet, value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # openpyxl would store "=..." as a formula
        return cell

    for name, frame in sheets.items():
        sheet = book.create_sheet(title=name[:31])
        sheet.append([text_cell(sheet, _cell(str(c))) for c in frame.columns])
        for row in frame.itertuples(index=False):
            values = [_cell(v) for v in row]
            # openpyxl takes a string starting with "=" for a formula; only those need a typed cell
            sheet.append([text_cell(sheet, v) if isinstance(v, str) and v.startswith("=") else v for v in values])
            done += 1
            if progress is not None and done % step == 0:
                progress(min(1.0, done / total))
    buffer = io.BytesIO()
    book.save(buffer)
    if progress is not None:
        progress(1.0)
    return buffer.getvalue()


XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters XML cannot hold
XLSX_REPLACEMENT = "\ufffd"


def _cell(value):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return XLSX_ILLEGAL.sub(XLSX_REPLACEMENT, value)  # XML cannot hold these; the row itself is kept
    if isinstance(value, (list, tuple)):
        return "|".join(map(str, value))
    if hasattr(value, "item"):
        return value.item()
    return value
