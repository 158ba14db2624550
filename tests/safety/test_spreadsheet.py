"""safety.spreadsheet: the one path every CSV and XLSX the project writes goes through."""

from __future__ import annotations

import io
import re
import zipfile

import pandas as pd
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook
from test_architecture import project_sources

from safety.spreadsheet import csv_bytes, csv_text, xlsx_bytes, xlsx_sheet_names

FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]


def test_every_formula_start_is_neutralised_in_header_and_cells():
    frame = pd.DataFrame({"=head": FORMULAS, "ok": ["a"] * len(FORMULAS)})
    read = pd.read_csv(io.StringIO(csv_text(frame)), dtype=str, keep_default_na=False)
    assert list(read.columns) == ["'=head", "ok"]
    assert all(value.startswith("'") for value in read["'=head"])


def test_a_carriage_return_in_a_cell_stays_in_its_cell_in_both_writers():
    frame = pd.DataFrame({"a": ["x\ry", "p\nq"], "b": [1, 2]})
    for text in (csv_text(frame), csv_bytes(frame).decode("utf-8-sig")):
        read = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        assert read["a"].tolist() == ["x\ry", "p\nq"] and read["b"].tolist() == ["1", "2"]


def test_csv_bytes_are_utf8_with_a_bom_and_crlf():
    data = csv_bytes(pd.DataFrame({"名称": ["苏州"]}))
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and "苏州".encode() in data


def test_no_module_writes_csv_around_the_neutralising_path():
    writers = re.compile(r"\.to_csv\(|csv\.writer\(")
    found = [
        path for path, source in project_sources().items() if path != "safety/spreadsheet.py" and writers.search(source)
    ]
    assert found == []


def test_the_workbook_keeps_every_cell_as_it_was_meant():
    long_text = "长" * 40_000
    frame = pd.DataFrame(
        {
            "=head": [*FORMULAS, "_x0041_", long_text, None],
            "n": [1, 2.5, float("nan"), float("inf"), 5, 6, 7, 8, 9],
        }
    )
    data = xlsx_bytes({"report": frame, "report ": frame.head(1)})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml and "<hyperlink" not in xml  # no formula, no link
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["report", "report "]  # different names to Excel, kept apart
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("=head", "n")
    texts = [r[0] for r in rows[1:]]
    assert texts[: len(FORMULAS) - 1] == FORMULAS[:-1]  # each stored as the text it was
    escaped = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()[len(FORMULAS) + 1][0]
    assert escaped == "_x0041_"  # Excel's own escape, kept literally (as Excel and calamine read it)
    assert texts[len(FORMULAS) + 1].endswith("…[cut]") and len(texts[len(FORMULAS) + 1]) == 32_767
    assert texts[-1] is None
    assert [r[1] for r in rows[1:5]] == [1, 2.5, None, None]  # numbers as numbers, NaN and inf empty


def test_sheet_names_are_made_valid_and_unique():
    assert xlsx_sheet_names(["a", "A", "x:y"]) == ["a", "A (2)", "x_y"]
