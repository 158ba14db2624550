"""The classified table keeps its audit trail: the planner's cells as they were, the rows the
planner chose to swap flagged, a report sheet in the planner's language, numbers as numbers."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from userdata.reading import read_table
from userdata.tables import classified_workbook, classify_table

# a title line: the header is the file's row 2, the first place its row 3
DATA = "站点清单\n名称,经度,纬度,编号\n甲,120.606389,31.330556,0512\n乙,31.2748,120.73807,7\n丙,abc,31.2,8\n".encode()


@pytest.fixture()
def read():
    return read_table(DATA, "sites.csv")


def test_a_swap_the_planner_chose_keeps_the_cells_as_typed_and_flags_the_row(atlas, read):
    frame, info = read
    table, report = classify_table(frame, info, atlas=atlas, crs="wgs84", swapped_rows=(1,))
    row = table.iloc[1]
    assert (row["经度"], row["纬度"]) == ("31.2748", "120.73807")  # the planner's cells, untouched
    assert row["atlas_status"] == "accepted"
    assert (row["atlas_lon_wgs84"], row["atlas_lat_wgs84"]) == pytest.approx((120.73807, 31.2748))
    assert "swapped" in row["atlas_reason_en"] and "交换" in row["atlas_reason_zh"]
    assert any("swapped" in en and "4" in en for en, _zh in report.warnings)  # the file's row 4
    assert table.iloc[0]["atlas_reason_en"] == ""  # an ordinary accepted row says nothing


def test_swapped_rows_are_listed_in_the_report(atlas, read):
    frame, info = read
    _table, report = classify_table(frame, info, atlas=atlas, crs="wgs84", swapped_rows=(1,))
    issues = report.issues_frame()
    assert 4 in set(issues["row"]) and "swapped" in issues.set_index("row").loc[4, "reason_en"]


@pytest.mark.parametrize(
    "lang, sheets, headers",
    [
        ("zh", ["分类结果", "报告", "问题行"], ["行号", "状态", "原因"]),
        ("en", ["classified", "report", "issues"], ["Row", "Status", "Reason"]),
    ],
)
def test_the_workbook_has_a_report_in_the_planners_language_and_numbers_as_numbers(atlas, read, lang, sheets, headers):
    frame, info = read
    table, report = classify_table(frame, info, atlas=atlas, crs="wgs84")
    book = load_workbook(io.BytesIO(classified_workbook(table, report, lang=lang, corridors=atlas.corridors)))
    assert book.sheetnames == sheets
    summary = {row[0]: row[1] for row in book[sheets[1]].iter_rows(values_only=True) if row[0]}
    assert len(summary) >= 6 and 3 in summary.values() and "sites.csv" not in summary  # counts are numbers
    issues = list(book[sheets[2]].iter_rows(values_only=True))
    assert list(issues[0]) == headers and [r[0] for r in issues[1:]] == [4, 5]
    classified = list(book[sheets[0]].iter_rows(values_only=True))
    first = dict(zip(classified[0], classified[1], strict=True))
    assert first["经度"] == pytest.approx(120.606389) and isinstance(first["纬度"], float)  # numbers, not text
    assert first["编号"] == "0512"  # a code with a leading zero stays text


def test_the_workbook_report_names_the_file_when_given(atlas, read):
    frame, info = read
    table, report = classify_table(frame, info, atlas=atlas, crs="wgs84")
    data = classified_workbook(table, report, lang="zh", corridors=atlas.corridors, source_name="sites.csv")
    values = [v for row in load_workbook(io.BytesIO(data))["报告"].iter_rows(values_only=True) for v in row]
    assert "sites.csv" in values and "wgs84" in values
