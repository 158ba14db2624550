"""safety.spreadsheet: the one path every CSV and XLSX the project writes goes through."""

from __future__ import annotations

import io
import re

import pandas as pd
from test_architecture import project_sources

from safety.spreadsheet import csv_bytes, csv_text

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
