"""Hostile or broken input (issue 15): each defect an independent test found, reproduced first.

Every case asserts what a planner gets: a file that opens safely, a clear message in both
languages, every row accounted for; never a traceback or a silently wrong reading.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from atlas_cli import main as cli

FORMULA_HEADER = '=HYPERLINK("http://x/","y")'


def _classified_csv(tmp_path, header_cells: str, row_cells: str):
    source = tmp_path / "in.csv"
    source.write_text(f"name,lon,lat,{header_cells}\na,120.62,31.30,{row_cells}\n", encoding="utf-8")
    return source


def test_a_formula_in_a_header_is_text_in_the_csv_and_xlsx_exports(tmp_path):
    quoted = '"' + FORMULA_HEADER.replace('"', '""') + '"'
    source = _classified_csv(tmp_path, quoted, "=1+1")
    for suffix in ("csv", "xlsx"):
        target = tmp_path / f"out.{suffix}"
        assert cli(["classify", str(source), "-o", str(target), "--crs", "wgs84"]) in (0, None)
        if suffix == "csv":
            header = pd.read_csv(target, encoding="utf-8-sig", dtype=str).columns
            assert "'" + FORMULA_HEADER in header and FORMULA_HEADER not in header
        else:
            cell = load_workbook(target)["classified"]["D1"]
            assert cell.value in (FORMULA_HEADER, "'" + FORMULA_HEADER) and cell.data_type == "s"


def test_a_control_character_in_a_header_or_cell_is_replaced_and_the_report_says_so(tmp_path, capsys):
    source = _classified_csv(tmp_path, "备\x0b注", "x\x0by")
    target = tmp_path / "out.xlsx"
    assert cli(["classify", str(source), "-o", str(target), "--crs", "wgs84", "--json"]) in (0, None)
    summary = json.loads(capsys.readouterr().out)
    sheet = load_workbook(target)["classified"]
    assert sheet["D1"].value == "备\ufffd注" and sheet["D2"].value == "x\ufffdy"
    warning = " ".join(w["en"] for w in summary["warnings"])
    assert "control character" in warning and "2" in warning  # one header and one cell
    assert any("控制字符" in w["zh"] for w in summary["warnings"])


def test_a_short_gbk_file_that_is_also_valid_utf8_is_read_as_gbk_and_the_choice_reported():
    from userdata.tables import read_table

    data = "name,lon,lat\n石路,120.60,31.31\n".encode("gbk")
    data.decode("utf-8")  # the trap: these GBK bytes are valid UTF-8 too ("ʯ·")
    frame, info = read_table(data, "t.csv")
    assert frame.iloc[0, 0] == "石路" and info["encoding"] == "gb18030"
    en, zh = info["encoding_note"]
    assert "UTF-8" in en and "GBK" in en and "UTF-8" in zh


@pytest.mark.parametrize("text", ["名称,经度\n苏州站,120.6\n", "name,lon\ncafé Müller,120.6\n", "name,lon\n石路 °,1\n"])
def test_utf8_text_stays_utf8_when_the_gbk_reading_is_no_more_plausible(text):
    from userdata.tables import read_table

    frame, info = read_table(text.encode("utf-8"), "t.csv")
    assert info["encoding"] == "utf-8" and frame.iloc[0, 0] == text.splitlines()[1].split(",")[0]
