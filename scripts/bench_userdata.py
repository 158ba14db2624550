"""Benchmark bring-your-own-data against the import issue's targets, with same-run baselines.

1. A 1,000,000-row CSV from file to classified table (read as text, validated, classified),
   against pandas merely reading the same file with default parsing (the floor any import pays).
2. Map layer for 100,000 points: HTML size and build time (target <= 5 MB and <= 1.5 s), against
   the same points drawn one marker each (what the hexagon grid avoids).
3. The classified 100,000-row table as XLSX (streamed, formula-safe), against openpyxl's default
   in-memory workbook writing the same cells (what the export used before).
Run: python scripts/bench_userdata.py   (or `make bench`)
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

import layers
from atlas_web.basemaps import resolve_basemap
from atlas_web.mapview import MapView
from atlas_web.webmap import build_map, user_points_group
from presentation.display import build_display_layers
from safety.spreadsheet import XLSX_ILLEGAL, XLSX_REPLACEMENT
from spatial.classify import build_unit_grid
from userdata.reading import read_table
from userdata.tables import TableReport, classified_workbook, classify_table, localised_table

SIZE_TARGET_MB, BUILD_TARGET_S = 5.0, 1.5


def make_csv(n: int, seed: int = 7) -> bytes:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "名称": [f"企业{i}" for i in range(n)],
            "统一社会信用代码": [f"91320{i:013d}" for i in range(n)],
            "经度": np.round(rng.uniform(120.2, 121.3, n), 6),
            "纬度": np.round(rng.uniform(30.8, 32.0, n), 6),
        }
    )
    return frame.to_csv(index=False).encode("utf-8")


def map_payload(atlas, display, points: pd.DataFrame, *, force_markers: bool) -> tuple[float, float]:
    import atlas_web.webmap as webmap

    limit = webmap.POINT_MARKER_LIMIT
    if force_markers:
        webmap.POINT_MARKER_LIMIT = len(points)
    try:
        start = time.perf_counter()
        group = user_points_group(points, name="bench", lang="zh")
        fmap = build_map(atlas, display, resolve_basemap("none"), MapView(), extra_groups=[group])
        html = fmap.get_root().render()
        return len(html.encode("utf-8")) / 1048576, time.perf_counter() - start
    finally:
        webmap.POINT_MARKER_LIMIT = limit


def main() -> None:
    atlas = layers.load_atlas()
    grid = build_unit_grid(atlas.units)
    data = make_csv(1_000_000)
    start = time.perf_counter()
    pd.read_csv(io.BytesIO(data))
    floor = time.perf_counter() - start
    start = time.perf_counter()
    frame, info = read_table(data, "bench.csv", max_bytes=len(data) + 1)
    table, report = classify_table(frame, info, atlas=atlas, grid=grid)
    full = time.perf_counter() - start
    print(
        f"1,000,000-row CSV ({len(data) / 1048576:.0f} MB) to classified table: {full:.2f} s "
        f"({report.accepted} accepted, {report.doubtful} doubtful, {report.rejected} rejected); "
        f"baseline pandas.read_csv alone {floor:.2f} s (ratio {full / floor:.1f}x)"
    )
    display = build_display_layers(atlas)
    ok = table.loc[table["atlas_status"] != "rejected"].head(100_000)
    points = pd.DataFrame(
        {"lon": ok["atlas_lon_wgs84"].values, "lat": ok["atlas_lat_wgs84"].values, "label": ok["名称"].values}
    )
    size, seconds = map_payload(atlas, display, points, force_markers=False)
    marker_size, marker_seconds = map_payload(atlas, display, points, force_markers=True)
    print(
        f"map with 100,000 points (hexagon grid): {size:.2f} MB in {seconds:.2f} s; targets <= {SIZE_TARGET_MB} MB "
        f"and <= {BUILD_TARGET_S} s -> {'OK' if size <= SIZE_TARGET_MB and seconds <= BUILD_TARGET_S else 'MISS'}"
    )
    print(
        f"  baseline, one marker per point: {marker_size:.1f} MB in {marker_seconds:.2f} s "
        f"({marker_size / size:.0f}x the size)"
    )
    xlsx_timing(table, atlas)


def xlsx_openpyxl_streaming_baseline(frame: pd.DataFrame) -> bytes:
    """The writer before: openpyxl's streaming (write-only) workbook, each cell cleaned in Python,
    text starting with "=" typed as text. The baseline the target is measured against."""
    from openpyxl import Workbook  # the baseline's own library, only here
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="classified")

    def text_cell(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell

    def clean(value):
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return None
        if isinstance(value, str):
            return XLSX_ILLEGAL.sub(XLSX_REPLACEMENT, value)
        return value.item() if hasattr(value, "item") else value

    sheet.append([text_cell(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        values = [clean(v) for v in row]
        sheet.append([text_cell(v) if isinstance(v, str) and v.startswith("=") else v for v in values])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX_TARGET_S = 3.0


def xlsx_timing(table: pd.DataFrame, atlas) -> None:
    """The classified 100,000-row workbook as a planner downloads it, against the old writer, same run."""
    head = table.head(100_000)
    start = time.perf_counter()
    data = classified_workbook(
        head, TableReport("csv", "utf-8", ",", None, "lon", "lat", None, "wgs84"), lang="zh", corridors=atlas.corridors
    )
    seconds = time.perf_counter() - start
    shown = localised_table(head, lang="zh", corridors=atlas.corridors)
    start = time.perf_counter()
    xlsx_openpyxl_streaming_baseline(shown)
    baseline = time.perf_counter() - start
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    print(
        f"classified 100,000 rows as XLSX: {seconds:.2f} s ({len(rows) - 1:,} rows read back); "
        f"baseline openpyxl streaming {baseline:.2f} s (ratio {baseline / seconds:.1f}x); "
        f"target <= {XLSX_TARGET_S} s -> {'OK' if seconds <= XLSX_TARGET_S else 'MISS'}"
    )


if __name__ == "__main__":
    main()
