"""Planners' point tables (CSV, XLSX): read as text, find coordinates, validate every row, classify.

Nothing is dropped: every input row comes out, with its original columns untouched and new
``atlas_*`` columns saying where it lies, or why it was rejected or is doubtful.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyogrio
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError as ProjCRSError
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from atlas_core.errors import DatumError, UserDataError
from safety.spreadsheet import XLSX_ILLEGAL
from spatial.classify import OUTSIDE, build_unit_grid, classify_unit_index
from spatial.datum import INPUT_CRS_DATUM, convert_lonlat, parse_input_crs
from spatial.extent import looks_swapped
from spatial.query import INVISIBLE, parse_number
from userdata.limits import check_size
from userdata.messy import HEADER_SEARCH_ROWS, find_header, guess_delimiter, sep_line, split_pairs, totals_rows

ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "utf-16")
LON_NAMES = ("lon", "lng", "long", "longitude", "x", "经度", "东经", "x坐标", "坐标x", "gps经度", "wgs84经度")
LAT_NAMES = ("lat", "latitude", "y", "纬度", "北纬", "y坐标", "坐标y", "gps纬度", "wgs84纬度")
PAIR_NAMES = (
    "坐标",
    "经纬度",
    "经纬度坐标",
    "坐标经纬度",
    "gps坐标",
    "lnglat",
    "lonlat",
    "lng,lat",
    "coordinates",
    "coordinate",
    "location",
)
NAME_NAMES = ("name", "名称", "name_zh", "企业名称", "单位名称", "机构名称", "项目名称", "名字", "title", "company")
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
)
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
}
# Added to a localised header that a user column already has, (zh, en).
_CLASH_SUFFIX = ("（图集）", " (atlas)")
_LIST_SEPARATOR = ("、", "; ")
_LANGS = ("zh", "en")


ISSUE_COLUMNS = ["row", "status", "reason_en", "reason_zh"]


@dataclass
class TableInfo:
    """How a table was read (:func:`read_table`): what the Import page shows and classify_table reports."""

    file_kind: str = "csv"  # csv, xlsx or geo (a GeoJSON, KML or GeoPackage of points)
    encoding: str | None = None  # what a CSV was decoded with
    delimiter: str | None = None
    sheet: str | None = None  # the XLSX sheet read
    encoding_note: tuple[str, str] | None = None  # (en, zh) when the encoding was a close call
    control_cells: int = 0  # header and data cells holding control characters (XLSX cannot store them)
    bad_rows: dict[int, int] = field(default_factory=dict)  # 0-based row -> its number of fields
    row_numbers: np.ndarray | None = None  # each data row's line or row number as the planner sees it
    notes: list[tuple[str, str]] = field(default_factory=list)  # (en, zh) what was found: header, sheet...
    lon_column: str | None = None  # a geo file's own coordinate columns
    lat_column: str | None = None


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
    lon_column: str
    lat_column: str
    name_column: str | None
    crs: str
    control_cells: int = 0  # header and data cells holding control characters (XLSX export replaces them)
    rows: int = 0
    accepted: int = 0
    doubtful: int = 0
    rejected: int = 0
    warnings: list = field(default_factory=list)  # (en, zh) about the whole file: doubts and problems
    notes: list = field(default_factory=list)  # (en, zh) how the file was read (header row, sheet, delimiter)
    issue_table: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ISSUE_COLUMNS))

    def issues_frame(self) -> pd.DataFrame:
        """One row per rejected or doubtful row: its row number in the file, status and reasons."""
        return self.issue_table

    @property
    def issues(self) -> list[RowIssue]:
        return [RowIssue(*row) for row in self.issue_table.itertuples(index=False)]


# ---------------------------------------------------------------- reading


_UNIT_IN_HEADER = re.compile(r"[(\[【][^)\]】]*[)\]】]")  # 经度(°), 纬度（度）, X坐标[m] (after NFKC)


def _normalise_header(name: str) -> str:
    text = INVISIBLE.sub("", unicodedata.normalize("NFKC", str(name))).strip().lower()
    text = _UNIT_IN_HEADER.sub("", text)
    return re.sub(r"[\s_\-()（）:：°]", "", text)


def sniff_kind(data: bytes, filename: str) -> str:
    """'csv' or 'xlsx' from the bytes, refusing a file that is not what its extension says."""
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    is_zip = data[:4] == b"PK\x03\x04"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UserDataError(
            "this is an old Excel .xls file; open it in Excel or WPS and save it as .xlsx (or CSV)",
            zh="这是旧版 Excel .xls 文件；请在 Excel 或 WPS 中另存为 .xlsx（或 CSV）后再导入",
        )
    if suffix in ("xlsx", "xlsm"):
        if not is_zip:
            raise UserDataError(
                f"{filename} is named .{suffix} but is not an Excel workbook; check the file",
                zh=f"{filename} 扩展名为 .{suffix}，但内容不是 Excel 工作簿；请检查文件",
            )
        return "xlsx"
    if is_zip and _zip_holds_shapefile(data):
        raise UserDataError(
            f"{filename} is a zipped Shapefile: load boundaries in the boundary import below; for points, save "
            "the layer as CSV (with longitude and latitude columns) or GeoJSON",
            zh=f"{filename} 是 Shapefile 压缩包：边界请在下方“边界文件”处导入；"
            "点数据请另存为含经纬度列的 CSV 或 GeoJSON",
        )
    if is_zip:
        raise UserDataError(
            f"{filename} is named .{suffix or '(none)'} but is a ZIP/XLSX archive; rename it to .xlsx "
            "if it is a workbook",
            zh=f"{filename} 的内容是 ZIP/XLSX 压缩包而非文本表格；如为工作簿请改名为 .xlsx",
        )
    if _looks_geographic(data, suffix):
        return "geo"
    has_bom = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if b"\x00" in data[:4096] and not has_bom and not _looks_utf16(data):
        raise UserDataError(
            f"{filename} is not a text table (it contains binary data)",
            zh=f"{filename} 不是文本表格（含二进制内容）",
        )
    return "csv"


def _looks_geographic(data: bytes, suffix: str) -> bool:
    """A GeoJSON, KML or GeoPackage, by its first bytes (whatever the file is called)."""
    head = data[:2048].lstrip(codecs.BOM_UTF8).lstrip()
    if head.startswith(b"SQLite format 3"):
        return True
    if head.startswith(b"{") and b'"type"' in head and (b"Feature" in head or suffix in ("geojson", "json")):
        return True
    return head.startswith((b"<?xml", b"<kml")) and b"<kml" in head


def _zip_holds_shapefile(data: bytes) -> bool:

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(name.lower().endswith(".shp") for name in archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4096]
    return sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4


def decode_text(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode CSV bytes; return (text, encoding used). BOMs win; then UTF-8; then GB18030 (GBK)."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise UserDataError(
                f"the file cannot be read as {encoding}: {exc}; try another encoding or leave it to be detected",
                zh=f"无法按 {encoding} 读取该文件：{exc}；请换一种编码或让系统自动识别",
            ) from None
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    if _looks_utf16(data):
        for name in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(name)
                if "\x00" not in text:
                    return text, name
            except UnicodeDecodeError:
                continue
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return text, "utf-8"
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise UserDataError(
            f"the file is neither UTF-8 nor GB18030/GBK text (bad bytes at position {exc.start}); "
            "save it as UTF-8 CSV or choose its encoding",
            zh=f"该文件既不是 UTF-8 也不是 GB18030/GBK 文本（第 {exc.start} 字节处无法解码）；"
            "请另存为 UTF-8 CSV 或指定编码",
        ) from None


# Characters a Chinese or Western table plausibly holds. Read the wrong way, GBK bytes that happen
# to be valid UTF-8 come out as Latin Extended, IPA, Cyrillic, Arabic or C1 controls ("石路" as "ʯ·").
_PLAUSIBLE = re.compile(
    r"[\u00a0-\u00ff\u2000-\u206f\u2100-\u218f\u2460-\u24ff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
)


def plausibility(text: str) -> float:
    """The share of ``text``'s non-ASCII characters that a Chinese or Western table plausibly holds
    (1.0 when all ASCII)."""
    foreign = [ch for ch in text if ord(ch) > 127]
    if not foreign:
        return 1.0
    return sum(bool(_PLAUSIBLE.match(ch)) for ch in foreign) / len(foreign)


def decode_with_note(data: bytes, encoding: str | None = None) -> tuple[str, str, tuple[str, str] | None]:
    """:func:`decode_text`, then, for bytes that are valid UTF-8 and GB18030/GBK alike (short GBK
    files often are), the reading whose characters are the more plausible; UTF-8 wins a tie. The
    note (en, zh) says so when GBK was preferred to a valid UTF-8 reading, else it is None."""
    text, used = decode_text(data, encoding)
    if encoding or used != "utf-8" or text.isascii():
        return text, used, None
    sample = data[:65536]
    try:
        gbk = sample.decode("gb18030")
    except UnicodeDecodeError:
        return text, used, None
    utf8_score, gbk_score = plausibility(sample.decode("utf-8", errors="ignore")), plausibility(gbk)
    if gbk_score > utf8_score:
        return (
            data.decode("gb18030"),
            "gb18030",
            (
                f"the bytes are valid as both UTF-8 and GBK; read as GBK, whose characters look like Chinese text "
                f"({gbk_score:.0%} plausible against {utf8_score:.0%}). Check the preview; if it looks wrong, "
                "choose the encoding",
                f"该文件的字节既可按 UTF-8 也可按 GBK 解读；按 GBK 读取（可信字符 {gbk_score:.0%}，UTF-8 仅 "
                f"{utf8_score:.0%}）。请核对预览，如有乱码请手动选择编码",
            ),
        )
    return text, used, None


def read_table(
    data: bytes, filename: str, *, encoding: str | None = None, sheet: str | None = None, max_bytes: int | None = None
) -> tuple[pd.DataFrame, TableInfo]:
    """Read a CSV or XLSX upload (or a GeoJSON, KML or GeoPackage of points) as text cells;
    return (frame, how it was read).

    The header is looked for below titles and notes, and may be merged over two rows; repeated
    column names are kept apart. ``info.row_numbers`` gives each data row's line or row number
    in the file as the planner sees it; ``info.notes`` says what was found, as (en, zh).
    """
    check_size(len(data), max_bytes)
    if not data or data.isspace():
        raise UserDataError(f"{filename} is empty", zh=f"{filename} 是空文件")
    kind = sniff_kind(data, filename)
    if kind == "geo":
        frame, info = _read_geo_points(data, filename)
    elif kind == "xlsx":
        records, numbers, sheet_name, notes = _xlsx_records(data, sheet)
        frame, info = _frame_from_records(records, numbers)
        info.file_kind, info.sheet, info.notes = "xlsx", sheet_name, notes + info.notes
    else:
        text, used, note = decode_with_note(data, encoding)
        frame, info = _read_csv_text(text)
        info.encoding, info.encoding_note = used, note
        if _has_control_characters(data, text, used):  # cells are counted only when there are any
            info.control_cells = _count_control_cells(frame)
    if frame.empty:
        raise UserDataError(f"{filename} has a header row but no data rows", zh=f"{filename} 只有表头，没有数据行")
    return frame, info


_NOT_CONTROL = bytes(range(32, 256)) + b"\t\n\r"


def _has_control_characters(data: bytes, text: str, encoding: str) -> bool:
    """Any character an XLSX cell cannot hold? On the bytes when the encoding keeps ASCII as
    ASCII (a quarter of the time of a search of the text), else on the text."""
    if encoding.lower().startswith("utf-16"):
        return XLSX_ILLEGAL.search(text) is not None
    return bool(data.translate(None, _NOT_CONTROL))


def _count_control_cells(frame: pd.DataFrame) -> int:
    """Header and data cells holding a control character that an XLSX file cannot store."""
    header = sum(bool(XLSX_ILLEGAL.search(str(c))) for c in frame.columns)
    return header + sum(int(frame[c].astype(str).str.contains(XLSX_ILLEGAL).sum()) for c in frame.columns)


MAX_HEADER_CHARS = 65_536  # a header line longer than this is not a planner's table
MAX_COLUMNS = 1_000


def check_row_shape(text: str, delimiter: str) -> None:
    """Refuse, before parsing, text that is not a table of rows: a first line without an end in
    sight or with more than :data:`MAX_COLUMNS` fields (parsing such a file takes minutes)."""
    end = text.find("\n", 0, MAX_HEADER_CHARS)
    if end < 0 and len(text) > MAX_HEADER_CHARS:
        raise UserDataError(
            f"the first line is over {MAX_HEADER_CHARS // 1024} KB long: the file has no line breaks (or lost them), "
            "so it is not a table of rows; save it again as CSV with one row per line",
            zh=f"第一行超过 {MAX_HEADER_CHARS // 1024} KB：文件没有换行（或换行已丢失），不是按行排列的表格；"
            "请重新另存为每行一条记录的 CSV",
        )
    fields = text[: end if end >= 0 else len(text)].count(delimiter) + 1
    if fields > MAX_COLUMNS:
        raise UserDataError(
            f"the first line has {fields} fields (at most {MAX_COLUMNS}): is a line break missing, or is the "
            "delimiter wrong? Save it again as CSV with one row per line and a header of column names",
            zh=f"第一行有 {fields} 个字段（最多 {MAX_COLUMNS} 个）：是否缺少换行或分隔符不对？"
            "请重新另存为每行一条记录、首行为列名的 CSV",
        )


def _header_notes(header) -> list[tuple[str, str]]:
    notes = []
    if header.skipped:
        shown = " / ".join(text[:40] for text in header.skipped[:3])
        notes.append(
            (
                f"{len(header.skipped)} line(s) above the header were taken for a title or notes and skipped: {shown}",
                f"表头上方的 {len(header.skipped)} 行视为标题或说明，已跳过：{shown}",
            )
        )
    if header.rows == 2:
        notes.append(
            ("the header is merged over two rows; the lower row names the columns", "表头跨两行合并，列名取自下一行")
        )
    if header.duplicates:
        shown = ", ".join(header.duplicates)
        notes.append(
            (
                f"duplicate column names ({shown}): the repeats are called '… (2)', '… (3)'",
                f"列名重复（{shown}）：重复的列依次命名为“…（2）”“…（3）”",
            )
        )
    return notes


def _read_csv_text(text: str) -> tuple[pd.DataFrame, TableInfo]:
    """A CSV's text as a frame of text cells, with the header found and every row numbered."""
    # split at line feeds only: str.splitlines also breaks at a vertical tab or form feed inside a cell
    lines = [line.rstrip("\r") for line in text[: MAX_HEADER_CHARS * 4].split("\n")[: HEADER_SEARCH_ROWS + 20]]
    notes: list[tuple[str, str]] = []
    skip = 0
    delimiter = sep_line(lines[0]) if lines else None
    if delimiter:
        skip, lines = 1, lines[1:]
        notes.append((f"the first line names the delimiter ({delimiter!r})", f"首行指定了分隔符（{delimiter!r}）"))
    delimiter = delimiter or guess_delimiter(lines)
    check_row_shape(text, delimiter)
    header = find_header(list(csv.reader(lines, delimiter=delimiter)))
    notes += _header_notes(header)
    start = skip + header.index + header.rows  # lines before the data (no quoted line breaks in a header)
    body = (text.split("\n", start)[-1] if start else text).rstrip("\r\n") + "\n"
    frame, numbers, bad = None, None, {}
    frame = _arrow_csv(body, delimiter, header.names)
    if frame is not None and len(frame) != body.count("\n"):  # blank lines or quoted line breaks: lines
        frame = None  # are not rows, and only the careful reader numbers the rows as the file does
    if frame is not None:
        numbers = np.arange(start + 1, start + 1 + len(frame))
    if frame is None:
        frame, numbers, bad = _read_csv_rows(body, delimiter, header.names, first_line=start + 1)
    return frame, TableInfo(file_kind="csv", delimiter=delimiter, bad_rows=bad, row_numbers=numbers, notes=notes)


def _arrow_csv(body: str, delimiter: str, names: list[str]) -> pd.DataFrame | None:
    """The rows as text cells by Arrow's CSV reader, or None when a row does not have the
    header's number of fields (or a quoted cell holds a line break): the careful reader decides."""

    try:
        table = pacsv.read_csv(
            io.BytesIO(body.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    return table.to_pandas()


def _read_csv_rows(body: str, delimiter: str, names: list[str], *, first_line: int):
    """The careful reader: every non-blank record kept with its line number; a row with more
    fields than the header is reported (unless the extra fields are empty: a trailing delimiter)."""
    width = len(names)
    reader = csv.reader(io.StringIO(body), delimiter=delimiter)
    rows: list[list[str]] = []
    numbers: list[int] = []
    bad: dict[int, int] = {}
    line = first_line
    for record in reader:
        if any(cell.strip() for cell in record):
            trailing_only = len(record) > width and not any(cell.strip() for cell in record[width:])
            if len(record) != width and not trailing_only:  # a stray delimiter or quote shifts the cells
                bad[len(rows)] = len(record)
            rows.append((record + [""] * width)[:width])
            numbers.append(line)
        line = first_line + reader.line_num
    return pd.DataFrame(rows, columns=names, dtype=str), np.array(numbers, dtype=int), bad


def _frame_from_records(records: list[list[str]], numbers: list[int]) -> tuple[pd.DataFrame, TableInfo]:
    header = find_header(records)
    width = len(header.names)
    body = records[header.index + header.rows :]
    row_numbers = numbers[header.index + header.rows :]
    kept = [(r, n) for r, n in zip(body, row_numbers, strict=True) if any(str(c).strip() for c in r)]
    bad = {i: len(r) for i, (r, _n) in enumerate(kept) if len(r) > width and any(str(c).strip() for c in r[width:])}
    frame = pd.DataFrame([(r + [""] * width)[:width] for r, _n in kept], columns=header.names, dtype=str)
    numbered = np.array([n for _r, n in kept], dtype=int)
    return frame, TableInfo(bad_rows=bad, row_numbers=numbered, notes=_header_notes(header))


def list_sheets(data: bytes) -> list[str]:
    """The worksheets of a workbook ([] for what is not one: reading it will say why)."""

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return [m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    except (CalamineError, ValueError, OSError):
        return []


def _xlsx_records(data: bytes, sheet: str | None) -> tuple[list[list[str]], list[int], str, list]:
    """The chosen sheet's rows as text cells, their row numbers, its name and notes. Without a
    choice, the first visible sheet whose header names coordinate columns (instructions and
    hidden sheets are passed over), else the first visible sheet.

    Read with calamine (Rust): a formula gives the value Excel or WPS last saved with it."""

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [m for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    except (CalamineError, ValueError, OSError) as exc:
        raise UserDataError(f"the workbook cannot be opened: {exc}", zh=f"无法打开该工作簿：{exc}") from None
    names = [m.name for m in sheets]
    if sheet is not None and sheet not in names:
        raise UserDataError(
            f"no sheet {sheet!r}; the workbook has {', '.join(names)}",
            zh=f"没有名为 {sheet!r} 的工作表；可选：{'、'.join(names)}",
        )
    if not names:
        raise UserDataError("the workbook has no worksheet", zh="该工作簿中没有工作表")
    visible = [m.name for m in sheets if m.visible == SheetVisibleEnum.Visible] or names
    notes: list[tuple[str, str]] = []

    def rows_of(name: str, nrows: int | None = None) -> list[list[str]]:
        try:
            values = book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=nrows)
        except (CalamineError, ValueError) as exc:
            raise UserDataError(f"sheet {name!r} cannot be read: {exc}", zh=f"无法读取工作表“{name}”：{exc}") from None
        return [_row_text(r) for r in values]

    chosen = sheet
    if chosen is None:
        for name in visible:
            first = rows_of(name, HEADER_SEARCH_ROWS)
            guessed = guess_columns(find_header(first).names) if first else {}
            if guessed.get("lon") and guessed.get("lat"):
                chosen = name
                break
        chosen = chosen or visible[0]
        if len(names) > 1:
            others = [n for n in names if n != chosen]
            hidden = [n for n in names if n not in visible]
            notes.append(
                (
                    f"read sheet {chosen!r}, the first with coordinate columns; the workbook also has "
                    f"{', '.join(others)}" + (f" (hidden: {', '.join(hidden)})" if hidden else ""),
                    f"读取工作表“{chosen}”（第一个含坐标列的表）；工作簿中另有：{'、'.join(others)}"
                    + (f"（隐藏：{'、'.join(hidden)}）" if hidden else ""),
                )
            )
    rows = rows_of(chosen)
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise UserDataError("the sheet is empty", zh="该工作表为空")
    return rows, list(range(1, len(rows) + 1)), chosen, notes


def _row_text(row) -> list[str]:
    return ["" if v is None else _cell_text(v) for v in row]


def _read_geo_points(data: bytes, filename: str) -> tuple[pd.DataFrame, TableInfo]:
    """A GeoJSON, KML or GeoPackage of points, given where a table is expected, as a table: its
    attributes and the points' coordinates. Polygons belong in the boundary import."""

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            geo = pyogrio.read_dataframe(io.BytesIO(data))
    except Exception as exc:  # GDAL reports many kinds of broken input
        raise UserDataError(f"{filename} cannot be read: {exc}", zh=f"无法读取 {filename}：{exc}") from None
    types = set(geo.geometry.geom_type.dropna())
    if not types <= {"Point"} or not len(geo):
        raise UserDataError(
            f"{filename} holds {', '.join(sorted(types)) or 'no'} geometries, not points: boundaries go to the "
            "boundary import below (GeoJSON, GeoPackage or zipped Shapefile)",
            zh=f"{filename} 中是{'、'.join(sorted(types)) or '空'}几何而非点：边界文件请在下方“边界文件”处导入",
        )
    frame = pd.DataFrame({c: geo[c].map(lambda v: "" if v is None else str(v)) for c in geo.columns if c != "geometry"})
    geographic = geo.crs is None or geo.crs.is_geographic
    x_name, y_name = ("lon", "lat") if geographic else ("x", "y")
    x_name, y_name = [n if n not in frame.columns else f"{n} (geometry)" for n in (x_name, y_name)]
    frame[x_name] = [repr(p.x) for p in geo.geometry]
    frame[y_name] = [repr(p.y) for p in geo.geometry]
    crs = geo.crs.to_string() if geo.crs is not None else "none given"
    info = TableInfo(
        file_kind="geo",
        row_numbers=np.arange(1, len(frame) + 1),
        lon_column=x_name,
        lat_column=y_name,
        notes=[
            (
                f"{filename} is a file of {len(frame)} points, read as a table (its coordinate system: {crs}); "
                "row numbers are feature numbers",
                f"{filename} 是含 {len(frame)} 个点的地理文件，已按表格读取（文件所标坐标系：{crs}）；行号即要素序号",
            )
        ],
    )
    return frame, info


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------- columns and numbers


def guess_columns(columns) -> dict:
    """Guess the lon, lat and name columns by their names (zh or en); None where nothing fits."""
    norm = {c: _normalise_header(c) for c in columns}

    def find(names):
        for wanted in names:
            for column, key in norm.items():
                if key == wanted:
                    return column
        return None

    lon, lat = find(LON_NAMES), find(LAT_NAMES)
    if not (lon and lat):  # both coordinates in one column ("120.62,31.30", as Amap copies them)
        lon = lat = find(PAIR_NAMES) or None
    return {"lon": lon, "lat": lat, "name": find(NAME_NAMES)}


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

    def flag(self, mask: np.ndarray, state: str, en: str, zh: str) -> None:
        mask = mask & (self.status != STATUSES.index("rejected"))
        self.status[mask] = STATUSES.index(state)
        self.reason[mask] = self.reasons.setdefault((en, zh), len(self.reasons))

    @property
    def accepted(self) -> np.ndarray:
        return self.status == STATUSES.index("accepted")


def classify_table(
    frame: pd.DataFrame,
    info: TableInfo,
    *,
    atlas,
    lon_column: str | None = None,
    lat_column: str | None = None,
    name_column: str | None = None,
    crs: str = "wgs84",
    grid=None,
    units=None,
) -> tuple[pd.DataFrame, TableReport]:
    """Validate and classify every row; return (original columns + atlas_* columns, report).

    A pipeline: the columns chosen -> rows that cannot be read -> coordinates out of range ->
    located in a unit -> the table and its report assembled. No row is dropped: a rejected or
    doubtful one carries its reason.
    """
    lon_column, lat_column, name_column = _chosen_columns(frame, info, lon_column, lat_column, name_column)
    kind, proj = resolve_input_crs(crs)
    report = _new_report(frame, info, lon_column=lon_column, lat_column=lat_column, name_column=name_column, crs=crs)
    x_text, y_text = coordinate_texts(frame, lon_column, lat_column)
    x, y = parse_numbers(x_text), parse_numbers(y_text)
    flags = _RowFlags(len(frame))
    pair_column = lon_column if lon_column == lat_column else None  # one cell holding "lon, lat"
    _flag_unreadable(flags, frame, info, (x_text, y_text), (x, y), pair_column=pair_column)
    _flag_out_of_range(flags, report, x, y, geographic=kind in INPUT_CRS_DATUM or kind == "geographic", proj=proj)
    units = units if units is not None else atlas.units
    grid = grid if grid is not None else build_unit_grid(units)
    lon_w, lat_w, index = _locate(flags, x, y, kind=kind, proj=proj, grid=grid)
    row_numbers = info.row_numbers if info.row_numbers is not None else np.arange(2, len(frame) + 2)
    out = _assembled(frame, flags, lon_w, lat_w, index, row_numbers=row_numbers, atlas=atlas, units=units, grid=grid)
    _count_into(report, flags, row_numbers)
    return out, report


def _chosen_columns(frame: pd.DataFrame, info: TableInfo, lon_column, lat_column, name_column):
    """The coordinate and name columns: the planner's choice, else the file's, else a guess; checked."""
    guessed = guess_columns(frame.columns)
    lon_column = lon_column or info.lon_column or guessed["lon"]
    lat_column = lat_column or info.lat_column or guessed["lat"]
    name_column = name_column if name_column is not None else guessed["name"]
    missing = [label for label, col in (("longitude", lon_column), ("latitude", lat_column)) if not col]
    if missing:
        raise UserDataError(
            f"no {' or '.join(missing)} column found among {', '.join(frame.columns)}; choose the columns by hand",
            zh=f"未找到{'、'.join('经度' if m == 'longitude' else '纬度' for m in missing)}列"
            f"（现有列：{'、'.join(frame.columns)}）；请手动选择",
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


def _assembled(frame, flags: _RowFlags, lon_w, lat_w, index, *, row_numbers, atlas, units, grid) -> pd.DataFrame:
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
    flagged = np.flatnonzero(flags.status != STATUSES.index("accepted"))
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
    missing = [c for c in NEW_COLUMNS if c not in table.columns]
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
    }
    out = table[user_columns].copy()
    for column, labels in LOCALISED_COLUMNS.items():
        header = labels[i] if labels[i] not in user_columns else labels[i] + _CLASH_SUFFIX[i]
        out[header] = values[column].to_numpy()
    return out


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


def swap_lonlat(frame: pd.DataFrame, positions, *, lon_column: str, lat_column: str) -> pd.DataFrame:
    """A copy of ``frame`` with the two coordinate cells exchanged in the rows at ``positions`` (0-based).

    For rows a planner confirmed were typed latitude first; every other cell is untouched.
    """
    rows = np.asarray(list(positions), dtype=int)
    out = frame.copy()
    if len(rows) and lon_column == lat_column:  # one cell holds both: write it back the other way round
        x_text, y_text = coordinate_texts(frame, lon_column, lat_column)
        cells = out[lon_column].to_numpy(copy=True)
        cells[rows] = [f"{y},{x}" for x, y in zip(x_text.to_numpy()[rows], y_text.to_numpy()[rows], strict=True)]
        out[lon_column] = cells
    elif len(rows):
        lon_values = out[lon_column].to_numpy(copy=True)
        lat_values = out[lat_column].to_numpy(copy=True)
        lon_values[rows], lat_values[rows] = lat_values[rows], lon_values[rows].copy()
        out[lon_column], out[lat_column] = lon_values, lat_values
    return out
