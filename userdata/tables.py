"""Planners' point tables (CSV, XLSX): read as text, find coordinates, validate every row, classify.

Nothing is dropped: every input row comes out, with its original columns untouched and new
``atlas_*`` columns saying where it lies, or why it was rejected or is doubtful.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError as ProjCRSError

from atlas_core.errors import DatumError, UserDataError
from layers.gazetteer import load_gazetteer
from safety.spreadsheet import xlsx_bytes
from spatial.address import AddressMatch
from spatial.classify import OUTSIDE, build_unit_grid, classify_unit_index
from spatial.datum import INPUT_CRS_DATUM, convert_lonlat, parse_input_crs
from spatial.extent import looks_swapped
from spatial.query import address_precision, parse_number
from userdata.messy import split_pairs, totals_rows
from userdata.reading import TableInfo, coordinate_like_columns, guess_columns

NEW_COLUMNS = (
    "atlas_row",
    "atlas_status",
    "atlas_reason_zh",
    "atlas_reason_en",
    "atlas_lon_wgs84",
    "atlas_lat_wgs84",
    "atlas_adcode",
    "atlas_unit_zh",
    "atlas_unit_en",
    "atlas_corridors",
    "atlas_precision",
    "atlas_match",
)
# atlas_precision values: a row placed by its coordinates, or by the words of its address
PRECISIONS = ("coordinates", "address-town", "address-unit")
PRECISION_LABELS: dict[str, tuple[str, str]] = {
    "coordinates": ("坐标", "coordinates"),
    "address-town": ("地址（街道镇）", "address (town)"),
    "address-unit": ("地址（区县）", "address (district)"),
}
ADDED_COLUMNS = ("atlas_precision", "atlas_match")  # later than the others: a table saved before lacks them
# What the atlas_status values and the atlas_* columns are called on screen, (zh, en).
# The app's texts (presentation.i18n im_status_*) say the same; a test keeps them equal.
STATUSES = ("accepted", "doubtful", "rejected")  # atlas_status values
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "accepted": ("接受", "accepted"),
    "doubtful": ("存疑", "doubtful"),
    "rejected": ("拒绝", "rejected"),
}
# One column per concept: atlas_reason and atlas_unit stand for their _zh/_en pair, of which
# the localised table keeps only the one in the UI language.
LOCALISED_COLUMNS: dict[str, tuple[str, str]] = {
    "atlas_row": ("行号", "Row"),
    "atlas_status": ("状态", "Status"),
    "atlas_reason": ("原因", "Reason"),
    "atlas_lon_wgs84": ("经度（WGS84）", "Longitude (WGS84)"),
    "atlas_lat_wgs84": ("纬度（WGS84）", "Latitude (WGS84)"),
    "atlas_adcode": ("单元代码", "Unit code"),
    "atlas_unit": ("所在单元", "Unit"),
    "atlas_corridors": ("所在走廊", "Corridors"),
    "atlas_precision": ("定位精度", "Placed by"),
    "atlas_match": ("地址匹配", "Address words"),
}
# Added to a localised header that a user column already has, (zh, en).
_CLASH_SUFFIX = ("（图集）", " (atlas)")
_LIST_SEPARATOR = ("、", "; ")
_LANGS = ("zh", "en")


ISSUE_COLUMNS = ["row", "status", "reason_en", "reason_zh"]


@dataclass
class RowIssue:
    row: int  # 1-based spreadsheet row; the header is row 1
    status: str  # "rejected" or "doubtful"
    reason_en: str
    reason_zh: str


@dataclass
class TableReport:
    file_kind: str  # csv or xlsx
    encoding: str | None  # what the CSV was decoded with
    delimiter: str | None
    sheet: str | None
    lon_column: str  # "" when the rows are placed by their addresses
    lat_column: str
    name_column: str | None
    crs: str
    address_column: str | None = None
    control_cells: int = 0  # header and data cells holding control characters (XLSX export replaces them)
    rows: int = 0
    accepted: int = 0
    doubtful: int = 0
    rejected: int = 0
    warnings: list = field(default_factory=list)  # (en, zh) about the whole file: doubts and problems
    notes: list = field(default_factory=list)  # (en, zh) how the file was read (header row, sheet, delimiter)
    issue_table: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ISSUE_COLUMNS))

    def issues_frame(self) -> pd.DataFrame:
        """One row per rejected or doubtful row, and per accepted row carrying a note (a swap the
        planner chose): its row number in the file, status and reasons."""
        return self.issue_table

    @property
    def issues(self) -> list[RowIssue]:
        return [RowIssue(*row) for row in self.issue_table.itertuples(index=False)]


# ---------------------------------------------------------------- columns and numbers


def coordinate_texts(frame: pd.DataFrame, lon_column: str, lat_column: str) -> tuple[pd.Series, pd.Series]:
    """The longitude and latitude cells as text; one column named for both holds both ("x,y")."""
    if lon_column == lat_column:
        return split_pairs(frame[lon_column])
    return frame[lon_column], frame[lat_column]


def parse_numbers(values: pd.Series) -> np.ndarray:
    """A column of coordinate cells as floats (NaN where not a finite number), fast for plain
    decimals; cells pandas cannot read (full-width digits, degree signs) go through parse_number."""
    numbers = _arrow_floats(values)
    if numbers is None:  # some cell is not a plain decimal: pandas reads what it can, the rest below
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, copy=True)
    numbers[~np.isfinite(numbers)] = np.nan
    if not np.isnan(numbers).any():
        return numbers
    retry = np.flatnonzero(np.isnan(numbers) & (values.astype(str).str.strip() != "").to_numpy())
    for i in retry:
        parsed = parse_number(values.iloc[i])
        numbers[i] = np.nan if parsed is None else parsed
    return numbers


def _arrow_floats(values: pd.Series) -> np.ndarray | None:
    """Every cell as a float by Arrow's cast (a tenth of pandas' time), or None if any cell is
    not a plain decimal."""

    try:
        array = pa.array(values.to_numpy(dtype=object) if values.dtype == object else values, type=pa.string())
        return pc.cast(array, pa.float64()).to_numpy(zero_copy_only=False).astype(float, copy=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        return None


# ---------------------------------------------------------------- coordinate systems


def resolve_input_crs(crs: str) -> tuple[str, CRS | None]:
    """('wgs84'|'gcj02'|'bd09'|'cgcs2000', None) for a named system (any alias of
    :func:`spatial.datum.parse_input_crs`), else ('geographic'|'projected', pyproj CRS) for an EPSG code."""
    try:
        return parse_input_crs(crs).name, None
    except DatumError:
        pass  # not a name: perhaps an EPSG code
    code = re.sub(r"^epsg:?", "", str(crs).strip().lower().replace(" ", ""))
    try:
        proj = CRS.from_epsg(int(code))
    except (ValueError, ProjCRSError):
        raise UserDataError(
            f"unknown coordinate system {crs!r}; choose wgs84, gcj02, bd09, cgcs2000 or an EPSG code such as EPSG:4549",
            zh=f"未知坐标系 {crs!r}；可选 wgs84、gcj02、bd09、cgcs2000 或 EPSG 代码（如 EPSG:4549）",
        ) from None
    if proj.is_geographic:
        return "geographic", proj
    return "projected", proj


def _to_wgs84(x: np.ndarray, y: np.ndarray, kind: str, proj: CRS | None) -> tuple[np.ndarray, np.ndarray]:
    if kind in INPUT_CRS_DATUM:  # a named system: undo its offset (none for WGS84 and CGCS2000)
        return convert_lonlat(x, y, source=INPUT_CRS_DATUM[kind], target="wgs84")
    transformer = Transformer.from_crs(proj, 4326, always_xy=True)
    return transformer.transform(x, y)


# ---------------------------------------------------------------- the whole import


class _RowFlags:
    """Each row's status and reason, as small codes into STATUSES and ``reasons`` (a million rows
    share a few texts). A rejected row stays rejected: its first reason is the one reported."""

    def __init__(self, n: int) -> None:
        self.status = np.zeros(n, dtype=np.int8)
        self.reason = np.zeros(n, dtype=np.int32)
        self.reasons: dict[tuple[str, str], int] = {("", ""): 0}
        self.noted = np.zeros(n, dtype=bool)  # accepted rows that carry a note (listed in the report)

    def flag(self, mask: np.ndarray, state: str, en: str, zh: str) -> None:
        mask = mask & (self.status != STATUSES.index("rejected"))
        self.status[mask] = STATUSES.index(state)
        self.reason[mask] = self.reasons.setdefault((en, zh), len(self.reasons))

    @property
    def accepted(self) -> np.ndarray:
        return self.status == STATUSES.index("accepted")

    def note(self, mask: np.ndarray, en: str, zh: str) -> None:
        """A reason on accepted rows that says what was done to them (they stay accepted)."""
        mask = mask & self.accepted
        self.reason[mask] = self.reasons.setdefault((en, zh), len(self.reasons))
        self.noted |= mask


def classify_table(
    frame: pd.DataFrame,
    info: TableInfo,
    *,
    atlas,
    lon_column: str | None = None,
    lat_column: str | None = None,
    name_column: str | None = None,
    address_column: str | None = None,
    crs: str = "wgs84",
    grid=None,
    units=None,
    swapped_rows: Sequence[int] = (),
    gazetteer=None,
    by_address: bool | None = None,
) -> tuple[pd.DataFrame, TableReport]:
    """Validate and classify every row; return (original columns + atlas_* columns, report).

    A table with coordinates is placed by them; one without coordinates but with an address
    column (found by name: 地址, 注册地址, 住所, address ...; or ``address_column``) by the words
    of each address (``spatial.address``; ``gazetteer`` defaults to ``layers.gazetteer``'s);
    with both, the coordinates win and a row whose address names another unit says so.
    ``by_address``: True places every row by its address even when the table has coordinates
    (the planner's choice), False never; None decides as above.

    ``swapped_rows``: 0-based rows the planner confirmed were typed latitude first. Their cells
    stay as typed; the two numbers are exchanged when read, and the row says so.

    A pipeline: the columns chosen -> rows that cannot be read -> coordinates out of range ->
    located in a unit -> the table and its report assembled. No row is dropped: a rejected or
    doubtful one carries its reason.
    """
    kind, proj = resolve_input_crs(crs)
    geographic = kind in INPUT_CRS_DATUM or kind == "geographic"
    guessed = guess_columns(frame, geographic=geographic)
    address_column = _address_column(frame, address_column, guessed)
    units = units if units is not None else atlas.units
    grid = grid if grid is not None else build_unit_grid(units)
    if by_address and not address_column:
        raise UserDataError(
            "no address column found; choose the column that holds the addresses",
            zh="未找到地址列；请选择存放地址的列",
        )
    has_coordinates = bool(lon_column or info.lon_column or guessed["lon"])
    if address_column and (by_address or (by_address is None and not has_coordinates)):
        gazetteer = gazetteer if gazetteer is not None else load_gazetteer(units)
        name_column = name_column if name_column is not None else guessed["name"]
        return _classify_by_address(
            frame, info, atlas=atlas, units=units, grid=grid, gazetteer=gazetteer, crs=crs,
            address_column=address_column, name_column=name_column,
        )  # fmt: skip
    lon_column, lat_column, name_column = _chosen_columns(frame, info, (lon_column, lat_column, name_column), guessed)
    report = _new_report(
        frame, info, lon_column=lon_column, lat_column=lat_column, name_column=name_column, crs=crs,
        address_column=address_column,
    )  # fmt: skip
    x_text, y_text = coordinate_texts(frame, lon_column, lat_column)
    x, y = parse_numbers(x_text), parse_numbers(y_text)
    swapped = np.zeros(len(frame), dtype=bool)
    swapped[np.asarray(list(swapped_rows), dtype=int)] = True
    x, y = np.where(swapped, y, x), np.where(swapped, x, y)
    flags = _RowFlags(len(frame))
    pair_column = lon_column if lon_column == lat_column else None  # one cell holding "lon, lat"
    _flag_unreadable(flags, frame, info, (x_text, y_text), (x, y), pair_column=pair_column)
    _warn_unreadable_columns(report, frame, info, x, y, geographic=geographic)
    _flag_out_of_range(flags, report, x, y, geographic=geographic, proj=proj)
    lon_w, lat_w, index = _locate(flags, x, y, kind=kind, proj=proj, grid=grid)
    row_numbers = info.row_numbers if info.row_numbers is not None else np.arange(2, len(frame) + 2)
    _note_swaps(flags, report, swapped, row_numbers)
    if address_column:
        gazetteer = gazetteer if gazetteer is not None else load_gazetteer(units)
        _note_disagreeing_addresses(flags, _cells(frame, address_column), index, grid=grid, units=units, gaz=gazetteer)
    placed = np.where(flags.accepted & (index != OUTSIDE), PRECISIONS[0], "")
    out = _assembled(
        frame, flags, lon_w, lat_w, index, row_numbers=row_numbers, atlas=atlas, units=units, grid=grid,
        precision=placed, match=np.full(len(frame), "", dtype=object),
    )  # fmt: skip
    _count_into(report, flags, row_numbers)
    return out, report


def _address_column(frame: pd.DataFrame, chosen: str | None, guessed: dict) -> str | None:
    """The planner's address column (checked), else the one found by name, else None."""
    if chosen and chosen not in frame.columns:
        raise UserDataError(
            f"no column {chosen!r}; the table has {', '.join(map(str, frame.columns))}",
            zh=f"没有名为 {chosen!r} 的列；现有列：{'、'.join(map(str, frame.columns))}",
        )
    return chosen or guessed["address"]


def _cells(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column's cells as text ("" for a blank)."""
    return frame[column].fillna("").astype(str)


def _unit_names(units, codes, lang: str) -> str:
    names = dict(zip(units["adcode"], units[f"name_{lang}"], strict=True))
    return ("、" if lang == "zh" else ", ").join(names[c] for c in codes)


def _address_reason(found: AddressMatch, units) -> tuple[str, str]:
    """Why an address placed no unit, (en, zh): ambiguous (with the candidates), elsewhere, or nothing known."""
    if found.ambiguous:
        return (
            f"address ambiguous: it may lie in {_unit_names(units, found.ambiguous, 'en')}; add its district or town",
            f"地址有歧义，可能位于{_unit_names(units, found.ambiguous, 'zh')}；请补充区县或街道镇",
        )
    if found.outside:
        return (f"address outside Suzhou ({found.outside})", f"地址在苏州以外（{found.outside}）")
    return (
        "no Suzhou place name (district, town or zone) in the address",
        "地址中没有可识别的苏州地名（区县、街道镇或园区）",
    )


def _classify_by_address(
    frame, info, *, atlas, units, grid, gazetteer, crs: str, address_column: str, name_column: str | None
) -> tuple[pd.DataFrame, TableReport]:
    """Every row placed by the words of its address (see :func:`classify_table`)."""
    report = _new_report(
        frame, info, lon_column="", lat_column="", name_column=name_column, crs=crs, address_column=address_column
    )
    texts = _cells(frame, address_column)
    found = {text: gazetteer.match(text) for text in pd.unique(texts)}  # a register repeats its addresses
    matches = [found[text] for text in texts]
    flags = _RowFlags(len(frame))
    flags.flag((texts.str.strip() == "").to_numpy(), "rejected", "no address", "地址为空")
    unplaced: dict[tuple[str, str], list[int]] = {}
    for row, match in enumerate(matches):
        if match.unit is None:
            unplaced.setdefault(_address_reason(match, units), []).append(row)
    for (en, zh), rows in unplaced.items():
        mask = np.zeros(len(frame), dtype=bool)
        mask[rows] = True
        flags.flag(mask, "rejected", en, zh)
    position = {str(code): i for i, code in enumerate(grid.codes)}
    index = np.array([position[m.unit] if m.unit else OUTSIDE for m in matches], dtype=np.int64)
    precision = np.array([address_precision(m) or "" for m in matches], dtype=object)
    words = np.array([m.text for m in matches], dtype=object)
    row_numbers = info.row_numbers if info.row_numbers is not None else np.arange(2, len(frame) + 2)
    nowhere = np.full(len(frame), np.nan)
    out = _assembled(
        frame, flags, nowhere, nowhere, index, row_numbers=row_numbers, atlas=atlas, units=units, grid=grid,
        precision=precision, match=words,
    )  # fmt: skip
    _count_into(report, flags, row_numbers)
    return out, report


def _note_disagreeing_addresses(flags: _RowFlags, texts: pd.Series, index, *, grid, units, gaz) -> None:
    """Accepted rows whose address settles another unit than their coordinates: noted, unit kept."""
    codes = [str(c) for c in grid.codes]
    names_zh = dict(zip(units["adcode"], units["name_zh"], strict=True))
    names_en = dict(zip(units["adcode"], units["name_en"], strict=True))
    found = {text: gaz.match(text).unit for text in pd.unique(texts)}
    for row in np.flatnonzero(flags.accepted & (index != OUTSIDE)):
        said, there = found[texts.iloc[row]], codes[index[row]]
        if said and said != there:
            mask = np.zeros(len(texts), dtype=bool)
            mask[row] = True
            flags.note(
                mask,
                f"the address says {names_en[said]}, the coordinates lie in {names_en[there]}: "
                "kept the coordinates' unit",
                f"地址为{names_zh[said]}，坐标位于{names_zh[there]}：按坐标定单元",
            )


def _chosen_columns(frame: pd.DataFrame, info: TableInfo, chosen: tuple, guessed: dict):
    """The coordinate and name columns: the planner's choice, else the file's, else ``guessed``
    (by names and values, see ``guess_columns``); checked."""
    lon_column, lat_column, name_column = chosen
    lon_column = lon_column or info.lon_column or guessed["lon"]
    lat_column = lat_column or info.lat_column or guessed["lat"]
    name_column = name_column if name_column is not None else guessed["name"]
    missing = [label for label, col in (("longitude", lon_column), ("latitude", lat_column)) if not col]
    if missing:
        raise UserDataError(
            f"no {' or '.join(missing)} column found among {', '.join(frame.columns)}, nor an address column "
            "(地址, 注册地址, 住所, address); choose the columns by hand",
            zh=f"未找到{'、'.join('经度' if m == 'longitude' else '纬度' for m in missing)}列，也没有地址列"
            f"（地址、注册地址、住所）（现有列：{'、'.join(frame.columns)}）；请手动选择",
        )
    for column in (lon_column, lat_column, name_column):
        if column and column not in frame.columns:
            raise UserDataError(
                f"no column {column!r}; the table has {', '.join(frame.columns)}",
                zh=f"没有名为 {column!r} 的列；现有列：{'、'.join(frame.columns)}",
            )
    return lon_column, lat_column, name_column


def _new_report(frame: pd.DataFrame, info: TableInfo, **chosen) -> TableReport:
    """The report before any row is judged: how the file was read and what was noticed on the way."""
    report = TableReport(
        file_kind=info.file_kind,
        encoding=info.encoding,
        delimiter=info.delimiter,
        sheet=info.sheet,
        control_cells=info.control_cells,
        rows=len(frame),
        **chosen,
    )
    report.notes.extend(info.notes)
    if info.encoding_note:
        report.warnings.append(info.encoding_note)
    if report.control_cells:
        report.warnings.append(
            (
                f"{report.control_cells} header or data cells hold control characters (such as a vertical tab), "
                "which an XLSX file cannot store: the XLSX download shows each as \ufffd; the CSV keeps them",
                f"{report.control_cells} 个表头或单元格含控制字符（如垂直制表符），XLSX 文件无法保存："
                "XLSX 下载中以 \ufffd 代替，CSV 中保留原样",
            )
        )
    return report


def _flag_unreadable(flags: _RowFlags, frame: pd.DataFrame, info: TableInfo, texts, numbers, *, pair_column):
    """Rows whose coordinates cannot be read: misshapen rows, totals, blank or non-numeric cells."""
    (x_text, y_text), (x, y) = texts, numbers
    n = len(frame)
    width = len(frame.columns)
    for reason in dict.fromkeys(info.row_problems.values()):  # what the reader saw (a feature without geometry)
        row = np.zeros(n, dtype=bool)
        row[[i for i, why in info.row_problems.items() if why == reason]] = True
        flags.flag(row, "rejected", *reason)
    for i, fields in info.bad_rows.items():
        row = np.zeros(n, dtype=bool)
        row[i] = True
        flags.flag(
            row,
            "rejected",
            f"the row has {fields} fields where the header has {width} (a stray delimiter or quote?)",
            f"该行有 {fields} 个字段，而表头有 {width} 个（多了分隔符或引号？）",
        )
    unread = np.flatnonzero(np.isnan(x) | np.isnan(y))  # only these can be blank: the rest were read

    def empty(cells: pd.Series) -> np.ndarray:
        mask = np.zeros(n, dtype=bool)
        mask[unread] = (cells.iloc[unread].astype(str).str.strip() == "").to_numpy(dtype=bool)
        return mask

    blank = empty(x_text) | empty(y_text)
    if pair_column:  # a cell that is not a pair of numbers is not blank, it is unreadable
        no_pair = blank.copy()
        blank = empty(frame[pair_column])
        flags.flag(
            no_pair & ~blank,
            "rejected",
            "the cell does not hold two numbers (longitude, latitude)",
            "单元格中不是两个数（经度、纬度）",
        )
    flags.flag(totals_rows(frame, blank), "rejected", "a totals row (合计/Total), not a place", "合计行，不是地点")
    blank_en, blank_zh = "blank coordinate", "坐标为空"
    if info.file_kind == "xlsx":
        blank_en += " (a formula cell is blank until the file is saved in Excel or WPS, which stores its value)"
        blank_zh += "（公式单元格须在 Excel 或 WPS 中保存后才有数值）"
    flags.flag(blank, "rejected", blank_en, blank_zh)
    flags.flag(~blank & (np.isnan(x) | np.isnan(y)), "rejected", "coordinate is not a number", "坐标不是数字")


def _warn_unreadable_columns(report: TableReport, frame: pd.DataFrame, info: TableInfo, x, y, *, geographic) -> None:
    """A warning when the coordinate columns leave most rows without a number: it names them and
    suggests the columns that hold numbers fit for coordinates (rows the reader already explained,
    such as a feature without geometry, are not counted)."""
    unreadable = np.isnan(x) | np.isnan(y)
    if info.row_problems:
        unreadable[list(info.row_problems)] = False
    if not len(frame) or unreadable.sum() <= 0.5 * len(frame):
        return
    count, rows = int(unreadable.sum()), len(frame)
    chosen = list(dict.fromkeys((report.lon_column, report.lat_column)))
    others = coordinate_like_columns(frame, geographic=geographic, exclude=chosen)
    shown_en, shown_zh = ", ".join(repr(c) for c in chosen), "、".join(f"“{c}”" for c in chosen)
    if others:
        advice_en = f"columns that hold such numbers: {', '.join(repr(c) for c in others)}; choose the columns again"
        advice_zh = f"含此类数值的列：{'、'.join(f'“{c}”' for c in others)}；请重新选择列"
    else:
        advice_en, advice_zh = "no other column holds coordinates; check the file", "没有其他列含坐标；请检查文件"
    report.warnings.append(
        (
            f"{count} of {rows} rows have no readable coordinate in {shown_en}: are these the coordinate columns? "
            + advice_en,
            f"{count}/{rows} 行在 {shown_zh} 中没有可读的坐标：所选的是坐标列吗？" + advice_zh,
        )
    )


def _flag_out_of_range(flags: _RowFlags, report: TableReport, x, y, *, geographic: bool, proj) -> None:
    """Rows whose numbers do not fit the declared system (swapped, metres for degrees or the
    reverse), and a warning when most rows say the system or the columns were chosen wrong."""
    valid = ~np.isnan(x) & ~np.isnan(y)
    if not valid.any():
        return
    looks_metres = valid & ((np.abs(x) > 180) | (np.abs(y) > 90))
    looks_degrees = valid & (np.abs(x) <= 180) & (np.abs(y) <= 90)
    swapped = valid & looks_swapped(x, y)  # (31.3, 120.6) is beyond ±90 too, but it is degrees
    most = 0.5 * valid.sum()
    if not geographic:
        if proj is not None and looks_degrees.sum() > most:
            report.warnings.append(
                (
                    f"most coordinates look like degrees, not {proj.name} metres; "
                    "choose WGS84, GCJ-02, BD-09 or CGCS2000",
                    f"大多数坐标像是经纬度（度），而不是 {proj.name} 的米制坐标；"
                    "请选择 WGS84、GCJ-02、BD-09 或 CGCS2000",
                )
            )
        flags.flag(
            looks_degrees, "rejected", "value looks like degrees, not projected metres", "数值像经纬度，不是投影坐标"
        )
        return
    if (looks_metres & ~swapped).sum() > most:
        report.warnings.append(
            (
                "most coordinates are far beyond ±180/±90: they look like projected metres (e.g. EPSG:4549, "
                "CGCS2000 3-degree zone 40); choose that coordinate system",
                "大多数坐标超出 ±180/±90，像是投影坐标（米），例如 EPSG:4549（CGCS2000 3 度带）；请选择对应的坐标系",
            )
        )
    flags.flag(
        swapped,
        "rejected",
        "longitude and latitude look swapped (Suzhou is near lon 120.6, lat 31.3)",
        "经纬度似乎填反了（苏州约在经度 120.6、纬度 31.3）",
    )
    flags.flag(looks_metres, "rejected", "value beyond ±180/±90: not degrees", "数值超出 ±180/±90，不是经纬度")
    if swapped.sum() > most:
        lon_column, lat_column = report.lon_column, report.lat_column
        report.warnings.append(
            (
                f"most rows have longitude and latitude swapped: are {lon_column!r} and {lat_column!r} the "
                "wrong way round? Pick the columns again",
                f"多数行经纬度填反：{lon_column!r} 与 {lat_column!r} 是否选反了？请重新选择列",
            )
        )


def _locate(flags: _RowFlags, x, y, *, kind: str, proj, grid) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """WGS84 lon/lat and the unit index (OUTSIDE when none) of every accepted row; one outside
    every unit becomes doubtful."""
    n = len(x)
    ok = flags.accepted
    lon_w, lat_w = np.full(n, np.nan), np.full(n, np.nan)
    index = np.full(n, OUTSIDE)
    if ok.any():
        lon_w[ok], lat_w[ok] = _to_wgs84(x[ok], y[ok], kind, proj)
        index[ok] = classify_unit_index(grid, lon_w[ok], lat_w[ok])
    flags.flag(ok & (index == OUTSIDE), "doubtful", "outside Suzhou's ten planning units", "不在苏州十个规划单元内")
    return lon_w, lat_w, index


def _note_swaps(flags: _RowFlags, report: TableReport, swapped: np.ndarray, row_numbers) -> None:
    """Rows read with longitude and latitude exchanged at the planner's word: noted on the row and
    in the report (the file's own cells are left as typed)."""
    if not swapped.any():
        return
    flags.note(
        swapped,
        "longitude and latitude swapped when read, as you chose (the cells are left as typed)",
        "已按您的确认交换经纬度读取（原单元格保持原样）",
    )
    rows = [int(r) for r in np.asarray(row_numbers)[swapped]]
    shown = ", ".join(map(str, rows[:20])) + (", …" if len(rows) > 20 else "")
    report.warnings.append(
        (
            f"{len(rows)} row(s) read with longitude and latitude swapped, as you chose: rows {shown}",
            f"{len(rows)} 行已按您的确认交换经纬度读取：第 {shown.replace(', ', '、')} 行",
        )
    )


def _assembled(
    frame, flags: _RowFlags, lon_w, lat_w, index, *, row_numbers, atlas, units, grid, precision, match
) -> pd.DataFrame:
    """The planner's columns, then the atlas_* columns (see NEW_COLUMNS)."""
    zh_names = dict(zip(units["adcode"], units["name_zh"], strict=True))
    en_names = dict(zip(units["adcode"], units["name_en"], strict=True))
    corridor_map = atlas.members.groupby("adcode")["corridor_id"].agg(lambda s: "|".join(s)).to_dict()
    unit_index = np.where(index == OUTSIDE, len(grid.codes), index)
    reason_pairs = list(flags.reasons)
    unit_labels = [str(c) for c in grid.codes] + [""]

    def per_unit(names: dict) -> list[str]:
        return [names.get(code, "") for code in unit_labels]

    text_columns = {  # codes into a few texts: object arrays of shared strings, no per-row lookup
        "atlas_status": _categorical(flags.status, list(STATUSES)),
        "atlas_reason_zh": _categorical(flags.reason, [zh for _en, zh in reason_pairs]),
        "atlas_reason_en": _categorical(flags.reason, [en for en, _zh in reason_pairs]),
        "atlas_adcode": _categorical(unit_index, unit_labels),
        "atlas_unit_zh": _categorical(unit_index, per_unit(zh_names)),
        "atlas_unit_en": _categorical(unit_index, per_unit(en_names)),
        "atlas_corridors": _categorical(unit_index, per_unit(corridor_map)),
        "atlas_precision": precision,
        "atlas_match": match,
    }
    new_values = {
        "atlas_row": pd.Series(np.asarray(row_numbers), index=frame.index),
        **{k: pd.Series(v, index=frame.index, dtype=object, copy=False) for k, v in text_columns.items()},
        "atlas_lon_wgs84": pd.Series(np.round(lon_w, 7), index=frame.index),
        "atlas_lat_wgs84": pd.Series(np.round(lat_w, 7), index=frame.index),
    }
    out = frame.copy(deep=False)  # the user's columns, shared (copy-on-write), then ours one by one:
    clash = [c for c in NEW_COLUMNS if c in out.columns]  # no consolidation of a million-row block
    if clash:
        out = out.rename(columns={c: f"{c}_original" for c in clash})
    for column in NEW_COLUMNS:
        out[column] = new_values[column]
    return out


def _count_into(report: TableReport, flags: _RowFlags, row_numbers) -> None:
    """The report's counts and its table of rejected and doubtful rows."""
    counts = np.bincount(flags.status, minlength=len(STATUSES))
    report.accepted, report.doubtful, report.rejected = (int(counts[STATUSES.index(s)]) for s in STATUSES)
    flagged = np.flatnonzero((flags.status != STATUSES.index("accepted")) | flags.noted)
    reason_pairs = list(flags.reasons)
    report.issue_table = pd.DataFrame(
        {
            "row": np.asarray(row_numbers)[flagged].astype(int),
            "status": np.array(STATUSES, dtype=object)[flags.status[flagged]],
            "reason_en": np.array([en for en, _zh in reason_pairs], dtype=object)[flags.reason[flagged]],
            "reason_zh": np.array([zh for _en, zh in reason_pairs], dtype=object)[flags.reason[flagged]],
        },
        columns=ISSUE_COLUMNS,
    )


def _categorical(codes: np.ndarray, labels: list[str]) -> np.ndarray:
    """``labels[codes]`` as an object array of text (no conversion of each string to Arrow)."""
    return np.array(labels, dtype=object)[codes]


def localised_table(table: pd.DataFrame, *, lang: str, corridors: pd.DataFrame) -> pd.DataFrame:
    """A copy of a classified table for display or export in one language.

    The user's columns come first, untouched. The ``atlas_*`` columns follow under headers in
    ``lang`` (:data:`LOCALISED_COLUMNS`), with status words in ``lang`` (接受/存疑/拒绝 or
    accepted/doubtful/rejected), the reason and unit name in ``lang`` only (the other
    language's column is left out), and corridor ids replaced by corridor names joined with
    "、" (zh) or "; " (en). A header the user's table already has gets "（图集）" / " (atlas)".

    Parameters
    ----------
    table : pandas.DataFrame
        As returned by :func:`classify_table` (original columns plus ``atlas_*`` columns).
    lang : {"zh", "en"}
        The interface language.
    corridors : pandas.DataFrame
        With ``id``, ``name_zh`` and ``name_en``; an id it lacks is shown as it is.

    Returns
    -------
    pandas.DataFrame, new, same index: user columns, then the eight localised atlas columns.

    Raises
    ------
    UserDataError
        For a table without the atlas_* columns, or a ``lang`` other than "zh" or "en".

    Example
    -------
    >>> localised_table(table, lang="zh", corridors=atlas.corridors)["状态"].tolist()  # doctest: +SKIP
    ['接受', '拒绝']
    """
    if lang not in _LANGS:
        raise UserDataError(
            f"unknown language {lang!r}; expected one of {', '.join(_LANGS)}",
            zh=f"未知语言 {lang!r}；可选：{'、'.join(_LANGS)}",
        )
    missing = [c for c in NEW_COLUMNS if c not in table.columns and c not in ADDED_COLUMNS]
    if missing:
        raise UserDataError(
            f"not a classified table: it lacks {', '.join(missing)}; pass the table that classify_table returns",
            zh=f"不是分类结果表：缺少 {'、'.join(missing)}；请传入 classify_table 返回的分类结果",
        )
    i = _LANGS.index(lang)
    user_columns = [c for c in table.columns if c not in NEW_COLUMNS]
    names = dict(zip(corridors["id"], corridors[f"name_{lang}"], strict=True))
    status = table["atlas_status"]
    status_words = status.map({value: labels[i] for value, labels in STATUS_LABELS.items()})
    values = {
        "atlas_row": table["atlas_row"],
        "atlas_status": status_words.where(status_words.notna(), status),
        "atlas_reason": table[f"atlas_reason_{lang}"],
        "atlas_lon_wgs84": table["atlas_lon_wgs84"],
        "atlas_lat_wgs84": table["atlas_lat_wgs84"],
        "atlas_adcode": table["atlas_adcode"],
        "atlas_unit": table[f"atlas_unit_{lang}"],
        "atlas_corridors": _corridor_names(table["atlas_corridors"], names, _LIST_SEPARATOR[i]),
        "atlas_precision": _precision_words(table, i),
        "atlas_match": table["atlas_match"] if "atlas_match" in table else pd.Series("", index=table.index),
    }
    out = table[user_columns].copy()
    for column, labels in LOCALISED_COLUMNS.items():
        header = labels[i] if labels[i] not in user_columns else labels[i] + _CLASH_SUFFIX[i]
        out[header] = values[column].to_numpy()
    return out


def _precision_words(table: pd.DataFrame, i: int) -> pd.Series:
    """atlas_precision in words (a table saved before the column existed: placed by coordinates)."""
    if "atlas_precision" not in table:
        placed = table["atlas_adcode"].astype(str) != ""
        return pd.Series(np.where(placed, PRECISION_LABELS["coordinates"][i], ""), index=table.index)
    words = {value: labels[i] for value, labels in PRECISION_LABELS.items()}
    return table["atlas_precision"].map(lambda v: words.get(v, v))


def _corridor_names(ids: pd.Series, names: dict, separator: str) -> pd.Series:
    """ "ring|huning" as "Middle Ring ...; Shanghai–Nanjing ...", once per distinct value."""
    text = ids.fillna("").astype(str)
    lookup = {v: separator.join(names.get(c, c) for c in v.split("|") if c) for v in text.unique()}
    return text.map(lookup)


def swapped_positions(frame: pd.DataFrame, *, lon_column: str, lat_column: str) -> np.ndarray:
    """0-based positions of the rows whose longitude and latitude look swapped (Suzhou's extent)."""
    x_text, y_text = coordinate_texts(frame, lon_column, lat_column)
    x, y = parse_numbers(x_text), parse_numbers(y_text)
    valid = ~np.isnan(x) & ~np.isnan(y)
    return np.flatnonzero(valid & looks_swapped(x, y))


# ---------------------------------------------------------------- the workbook a planner downloads

WORKBOOK_SHEETS: dict[str, tuple[str, str]] = {
    "classified": ("分类结果", "classified"),
    "report": ("报告", "report"),
    "issues": ("问题行", "issues"),
}
ISSUE_HEADERS = (("行号", "Row"), ("状态", "Status"), ("原因", "Reason"))
# A cell that is a plain decimal number (no leading zero, at most 15 digits: no code or phone
# number loses a digit) goes into the workbook as a number.
_PLAIN_NUMBER = r"-?(?:0|[1-9]\d{0,14})(?:\.\d{1,15})?"


def classified_workbook(
    table: pd.DataFrame,
    report: TableReport,
    *,
    lang: str,
    corridors: pd.DataFrame,
    source_name: str | None = None,
    progress=None,
) -> bytes:
    """The classified table as an XLSX workbook in ``lang``: the rows (the planner's columns, plain
    numbers as numbers), a report (how the file was read, the counts, warnings) and the rows
    rejected, doubtful or noted, each with its row number in the file."""
    i = _LANGS.index(lang) if lang in _LANGS else 0
    rows = localised_table(table, lang=lang, corridors=corridors)
    user_columns = [c for c in table.columns if c not in NEW_COLUMNS]
    for column in user_columns:
        rows[column] = _plain_numbers(rows[column])
    sheets = {
        WORKBOOK_SHEETS["classified"][i]: rows,
        WORKBOOK_SHEETS["report"][i]: report_summary(report, lang=lang, source_name=source_name),
        WORKBOOK_SHEETS["issues"][i]: localised_issues(report, lang=lang),
    }
    return xlsx_bytes(sheets, progress=progress)


def _plain_numbers(cells: pd.Series) -> pd.Series:
    """Text cells that are plain numbers as numbers; every other cell as it was."""
    if pd.api.types.is_numeric_dtype(cells):
        return cells
    text = cells.astype(str).str.strip()
    plain = text.str.fullmatch(_PLAIN_NUMBER).fillna(False).to_numpy(dtype=bool)
    if not plain.any():
        return cells
    if plain.all():  # a column of numbers: numeric, written without a look at each cell
        return pd.to_numeric(text)
    values = cells.to_numpy(dtype=object, copy=True)
    whole = plain & ~text.str.contains(".", regex=False).to_numpy(dtype=bool)
    values[whole] = pd.to_numeric(text[whole]).to_numpy(dtype=np.int64)  # ids stay whole numbers
    values[plain & ~whole] = pd.to_numeric(text[plain & ~whole]).to_numpy(dtype=float)
    return pd.Series(values, index=cells.index, dtype=object)


def localised_issues(report: TableReport, *, lang: str) -> pd.DataFrame:
    """The report's rows (rejected, doubtful, noted) under headers and status words in ``lang``."""
    i = _LANGS.index(lang) if lang in _LANGS else 0
    issues = report.issues_frame()
    status = issues["status"].map({value: labels[i] for value, labels in STATUS_LABELS.items()})
    return pd.DataFrame(
        {
            ISSUE_HEADERS[0][i]: issues["row"].astype(int).to_numpy(),
            ISSUE_HEADERS[1][i]: status.to_numpy(dtype=object),
            ISSUE_HEADERS[2][i]: issues["reason_zh" if lang == "zh" else "reason_en"].to_numpy(dtype=object),
        }
    )


def report_summary(report: TableReport, *, lang: str, source_name: str | None = None) -> pd.DataFrame:
    """How the file was read and what came of it, one (item, value) row each, in ``lang``."""
    zh = lang == "zh"
    items: list[tuple[str, str, object]] = [
        ("文件", "File", source_name),
        ("文件类型", "File kind", report.file_kind),
        ("编码", "Encoding", report.encoding),
        ("分隔符", "Delimiter", report.delimiter),
        ("工作表", "Sheet", report.sheet),
        ("经度列", "Longitude column", report.lon_column),
        ("纬度列", "Latitude column", report.lat_column),
        ("名称列", "Name column", report.name_column),
        ("坐标系", "Coordinate system", report.crs),
        ("总行数", "Rows", report.rows),
        ("接受", "Accepted", report.accepted),
        ("存疑", "Doubtful", report.doubtful),
        ("拒绝", "Rejected", report.rejected),
    ]
    rows = [(z if zh else e, value) for z, e, value in items if value is not None]
    rows += [("说明" if zh else "Note", z if zh else e) for e, z in report.notes]
    rows += [("提醒" if zh else "Warning", z if zh else e) for e, z in report.warnings]
    return pd.DataFrame(rows, columns=["项目", "内容"] if zh else ["Item", "Value"])
