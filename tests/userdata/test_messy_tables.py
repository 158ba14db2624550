"""Messy tables of issue 22: line endings of any platform, point files with features that have no
geometry, headers merged over two rows, a coordinate column named right but holding words, rows
numbered as Excel shows them after a cell with a line break, and a file cut in the middle of a
character. Each case was reproduced first; every row is accounted for, every message bilingual.
"""

from __future__ import annotations

import pytest

from userdata.reading import read_table
from userdata.tables import classify_table

SIP = (120.7384, 31.2729)  # 苏州工业园区
GUSU = (120.6064, 31.3306)  # 苏州站, 姑苏区
ROWS = [("甲", SIP), ("乙", GUSU), ("丙", SIP)]
TABLE = "名称,经度,纬度\n" + "".join(f"{name},{lon},{lat}\n" for name, (lon, lat) in ROWS)


def _classified(atlas, data: bytes, filename: str = "t.csv", **options):
    frame, info = read_table(data, filename)
    return classify_table(frame, info, atlas=atlas, crs="wgs84", **options)


# ---------------------------------------------------------------- 1. line endings


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_a_small_file_reads_alike_whatever_its_line_endings(atlas, ending):
    table, report = _classified(atlas, TABLE.replace("\n", ending).encode())
    assert list(table["名称"]) == ["甲", "乙", "丙"] and report.accepted == 3
    assert list(table["atlas_row"]) == [2, 3, 4]


@pytest.mark.parametrize("ending", ["\r", "\r\n"], ids=["cr", "crlf"])
def test_a_large_file_with_carriage_returns_is_read_not_refused_as_one_line(atlas, ending):
    rows = 5_000  # well past the 64 KB a first line may have
    text = "名称,经度,纬度" + ending + "".join(f"企业{i},{SIP[0]},{SIP[1]}{ending}" for i in range(rows))
    frame, info = read_table(text.encode(), "big.csv")
    assert len(frame) == rows and frame["名称"].iloc[-1] == f"企业{rows - 1}"
    assert list(info.row_numbers[[0, -1]]) == [2, rows + 1]


def test_mixed_line_endings_are_one_row_each(atlas):
    text = f"名称,经度,纬度\r甲,{SIP[0]},{SIP[1]}\r\n乙,{GUSU[0]},{GUSU[1]}\n丙,bad,{SIP[1]}\r"
    table, report = _classified(atlas, text.encode())
    assert list(table["名称"]) == ["甲", "乙", "丙"] and list(table["atlas_row"]) == [2, 3, 4]
    assert (report.accepted, report.rejected) == (2, 1) and report.issues[0].row == 4


def test_carriage_return_files_with_a_title_and_a_line_break_in_a_cell_keep_excels_row_numbers(atlas):
    text = f'企业名单\r\r名称,备注,经度,纬度\r甲,"一\r二",{SIP[0]},{SIP[1]}\r乙,x,{GUSU[0]},bad\r'
    table, report = _classified(atlas, text.encode())
    assert list(table["备注"]) == ["一\r二", "x"]  # the line break inside the cell is kept as it was
    assert list(table["atlas_row"]) == [4, 5] and report.issues[0].row == 5


def test_a_carriage_return_inside_a_quoted_cell_of_a_line_feed_file_stays_in_its_cell(atlas):
    text = f'名称,备注,经度,纬度\n甲,"一\r二",{SIP[0]},{SIP[1]}\n乙,x,{GUSU[0]},{GUSU[1]}\n'
    table, report = _classified(atlas, text.encode())
    assert list(table["备注"]) == ["一\r二", "x"] and report.accepted == 2
    assert list(table["atlas_row"]) == [2, 3]


# ---------------------------------------------------------------- 3c. rows numbered as Excel shows them


@pytest.mark.parametrize("ending", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_after_a_cell_with_a_line_break_rows_are_numbered_as_excel_shows_them(atlas, ending):
    text = ending.join(
        ["名称,备注,经度,纬度", f'甲,"第一行{ending}第二行",{SIP[0]},{SIP[1]}', f"乙,x,{GUSU[0]},bad", ""]
    )
    table, report = _classified(atlas, text.encode())
    assert list(table["atlas_row"]) == [2, 3] and report.issues[0].row == 3


def test_a_title_with_a_line_break_counts_as_one_row(atlas):
    text = f'"苏州市\n企业名单",,\n名称,经度,纬度\n甲,{SIP[0]},{SIP[1]}\n乙,bad,{GUSU[1]}\n'
    table, report = _classified(atlas, text.encode())
    assert list(table["名称"]) == ["甲", "乙"]
    assert list(table["atlas_row"]) == [3, 4] and report.issues[0].row == 4


def test_blank_lines_are_rows_in_excel_and_keep_their_numbers(atlas):
    text = f'名称,备注,经度,纬度\n甲,"a\nb",{SIP[0]},{SIP[1]}\n\n乙,x,bad,{GUSU[1]}\n'
    table, report = _classified(atlas, text.encode())
    assert list(table["atlas_row"]) == [2, 4] and report.issues[0].row == 4


def test_excels_sep_line_is_not_a_row_excel_shows(atlas):
    text = f"sep=;\n名称;经度;纬度\n甲;{SIP[0]};{SIP[1]}\n乙;bad;{GUSU[1]}\n"
    table, report = _classified(atlas, text.encode())
    assert list(table["atlas_row"]) == [2, 3] and report.issues[0].row == 3
