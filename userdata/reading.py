"""Planners' tables read as text: a CSV in whatever encoding and delimiter, an XLSX sheet, or a
GeoJSON, KML or GeoPackage of points; the header found below titles and notes, every row
numbered as the planner sees it. What is read is classified by :mod:`userdata.tables`.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import math
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyogrio
import shapely
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from atlas_core.errors import UserDataError
from safety.spreadsheet import XLSX_ILLEGAL
from spatial.query import INVISIBLE, parse_number
from userdata.limits import check_size
from userdata.messy import HEADER_SEARCH_ROWS, find_header, guess_delimiter, sep_line, split_pairs

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
ADDRESS_NAMES = (
    "地址",
    "详细地址",
    "注册地址",
    "住所",
    "通讯地址",
    "办公地址",
    "所在地址",
    "address",
    "addr",
    "locationaddress",
)
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "utf-16")


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
    row_problems: dict[int, tuple[str, str]] = field(default_factory=dict)  # 0-based row -> (en, zh) why unreadable
    row_numbers: np.ndarray | None = None  # each data row's number as Excel or WPS shows it (header row 1)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (en, zh) what was found: header, sheet...
    lon_column: str | None = None  # a geo file's own coordinate columns
    lat_column: str | None = None


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
    """Decode CSV bytes; return (text, encoding used). BOMs win; then UTF-8; then GB18030 (GBK).

    Bytes that do not decode are refused with the byte offset (counting from 0, in the file as
    it is, a byte order mark included) of the first bad byte, in the encoding that read furthest."""
    if encoding:
        return _decode_as(data, encoding)
    marked = _decode_by_bom(data)
    if marked is not None:
        return marked
    if _looks_utf16(data):
        for name in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(name)
                if "\x00" not in text:
                    return text, name
            except UnicodeDecodeError:
                continue
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        if exc.start > utf8_error.start:  # the encoding that read further is the one the file is in
            raise _undecodable(data, exc, "GB18030/GBK", other=True) from None
        raise _undecodable(data, utf8_error, "UTF-8", other=True) from None


def _decode_as(data: bytes, encoding: str) -> tuple[str, str]:
    """The bytes in the encoding the planner chose."""
    try:
        return data.decode(encoding), encoding
    except LookupError:
        raise UserDataError(
            f"unknown encoding {encoding!r}; try utf-8, gbk, gb18030 or utf-16, or leave it to be detected",
            zh=f"未知编码 {encoding!r}；可选 utf-8、gbk、gb18030、utf-16，或让系统自动识别",
        ) from None
    except UnicodeDecodeError as exc:
        shift = len(codecs.BOM_UTF8) if _skips_utf8_bom(encoding, data) else 0
        raise _undecodable(data, exc, encoding, shift=shift, chosen=True) from None


def _decode_by_bom(data: bytes) -> tuple[str, str] | None:
    """The bytes in the encoding their byte order mark names, or None without one."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _undecodable(data, exc, "UTF-8", shift=len(codecs.BOM_UTF8)) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _undecodable(data, exc, "UTF-16") from None
    return None


def _skips_utf8_bom(encoding: str, data: bytes) -> bool:
    """Does ``encoding`` drop a UTF-8 byte order mark before decoding (its error offsets then start after it)?"""
    return codecs.lookup(encoding).name == "utf-8-sig" and data.startswith(codecs.BOM_UTF8)


def _undecodable(
    data: bytes, exc: UnicodeDecodeError, name: str, *, shift: int = 0, other: bool = False, chosen: bool = False
) -> UserDataError:
    """The error for bytes that ``name`` cannot decode: the bad byte's offset in the file (counting
    from 0), and whether the file ends in the middle of a character (it was cut off)."""
    offset = exc.start + shift
    byte = f"0x{data[offset]:02X}" if offset < len(data) else "?"
    cut_off = exc.end + shift >= len(data) and exc.reason in ("unexpected end of data", "truncated data")
    if cut_off:
        what_en = "starts a character that the end of the file cuts off: the file looks cut off (truncated)"
        what_zh = "开始的字符被文件末尾截断：文件似乎不完整（被截断）"
    else:
        what_en = "is not part of a valid character (a character cut in the middle, or another encoding)"
        what_zh = "处不是有效字符（字符被截断，或为其他编码）"
    if chosen:
        head_en, head_zh = f"the file cannot be read as {name}", f"无法按 {name} 读取该文件"
        fix_en, fix_zh = "try another encoding or leave it to be detected", "请换一种编码或让系统自动识别"
    else:
        head_en, head_zh = f"the file is not valid {name} text", f"该文件不是有效的 {name} 文本"
        if other:  # neither encoding reads it: say where the one that read further stopped
            head_en = f"the file is neither UTF-8 nor GB18030/GBK text (read as {name}, which gets further)"
            head_zh = f"该文件既不是 UTF-8 也不是 GB18030/GBK 文本（按读得更远的 {name} 读取）"
        fix_en, fix_zh = "save it again as UTF-8 CSV or choose its encoding", "请重新另存为 UTF-8 CSV 或指定编码"
    return UserDataError(
        f"{head_en}: the byte {byte} at byte offset {offset} (counting from 0) {what_en}; {fix_en}",
        zh=f"{head_zh}：第 {offset} 字节（从 0 起算）{byte} {what_zh}；{fix_zh}",
    )


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
        try:
            whole = data.decode("gb18030")
        except UnicodeDecodeError:  # GBK-like only in its first 64 KB: the whole file is UTF-8
            return text, used, None
        return (
            whole,
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
    data: bytes,
    filename: str,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    max_bytes: int | None = None,
    kind: str | None = None,
) -> tuple[pd.DataFrame, TableInfo]:
    """Read a CSV or XLSX upload (or a GeoJSON, KML or GeoPackage of points) as text cells;
    return (frame, how it was read).

    The header is looked for below titles and notes, and may be merged over two rows; repeated
    column names are kept apart. ``info.row_numbers`` gives each data row's number as Excel or
    WPS shows it (a quoted cell with line breaks is one row, a blank line a row, a ``sep=`` line
    none); ``info.notes`` says what was found, as (en, zh). CSV lines may end in LF, CR LF or a
    lone CR (classic Mac), mixed or not. ``kind`` ('csv', 'xlsx' or 'geo') is given by a reader
    that made the bytes itself (rows read from a database), instead of found from the name.
    """
    check_size(len(data), max_bytes)
    if not data or data.isspace():
        raise UserDataError(f"{filename} is empty", zh=f"{filename} 是空文件")
    kind = kind or sniff_kind(data, filename)
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
LINE_BREAK = re.compile(r"\r\n|\r|\n")  # Windows, Unix and classic Mac line ends, mixed as they come


def check_row_shape(text: str, delimiter: str) -> None:
    """Refuse, before parsing, text that is not a table of rows: a first line without an end in
    sight or with more than :data:`MAX_COLUMNS` fields (parsing such a file takes minutes)."""
    first_break = LINE_BREAK.search(text, 0, MAX_HEADER_CHARS)  # a line feed, CR LF or a classic Mac CR
    end = first_break.start() if first_break else -1
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
    """A CSV's text as a frame of text cells, with the header found and every row numbered.

    Lines may end in LF, CR LF or a lone CR (classic Mac), even mixed in one file; a line break
    inside a quoted cell stays in the cell as it was."""
    head = text[: MAX_HEADER_CHARS * 4]
    notes: list[tuple[str, str]] = []
    sep_end = 0  # Excel reads a "sep=;" first line as a setting and shows no row for it
    first_break = LINE_BREAK.search(head)
    delimiter = sep_line(head[: first_break.start() if first_break else len(head)])
    if delimiter:
        sep_end = first_break.end() if first_break else len(head)
        notes.append((f"the first line names the delimiter ({delimiter!r})", f"首行指定了分隔符（{delimiter!r}）"))
    # physical lines, for the delimiter guess only (str.splitlines would also break at a vertical tab)
    delimiter = delimiter or guess_delimiter(LINE_BREAK.split(head[sep_end:])[: HEADER_SEARCH_ROWS + 20])
    check_row_shape(text[sep_end:], delimiter)
    records, ends = _leading_records(head[sep_end:], delimiter)
    header = find_header(records)
    notes += _header_notes(header)
    used = header.index + header.rows  # rows before the data as Excel counts them (records, not lines)
    body_start = sep_end + (ends[used - 1] if used and ends else 0)
    if text.startswith("\n", body_start) and text[body_start - 1 : body_start] == "\r":
        body_start += 1  # the head was cut between the CR and LF of one line end
    body = text[body_start:].rstrip("\r\n") + "\n"
    frame, numbers, bad = None, None, {}
    frame = _arrow_csv(body, delimiter, header.names)
    if frame is not None and len(frame) != _count_lines(body):  # blank lines or quoted line breaks: lines
        frame = None  # are not rows, and only the careful reader numbers the rows as the file does
    if frame is not None:  # one line, one row: the header's records, then one number each
        numbers = np.arange(used + 1, used + 1 + len(frame))
    if frame is None:
        frame, numbers, bad = _read_csv_rows(body, delimiter, header.names, first_row=used + 1)
    return frame, TableInfo(file_kind="csv", delimiter=delimiter, bad_rows=bad, row_numbers=numbers, notes=notes)


def _leading_records(head: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    """The first :data:`HEADER_SEARCH_ROWS` records of ``head`` and where each ends (a character
    offset), whatever the line ends; a blank line is an empty record."""
    consumed = 0

    def lines():
        nonlocal consumed
        for line in io.StringIO(head, newline=""):  # newline="": split at LF, CR LF and CR, keep them
            consumed += len(line)
            yield line

    records: list[list[str]] = []
    ends: list[int] = []
    try:
        for record in itertools.islice(csv.reader(lines(), delimiter=delimiter), HEADER_SEARCH_ROWS):
            records.append(record)
            ends.append(consumed)  # the reader asks for a line only when its record needs one
    except csv.Error as exc:
        raise _unreadable_cell(len(records) + 1, exc) from None
    return records, ends


def _unreadable_cell(row: int, exc: csv.Error) -> UserDataError:
    """The error for a record Python's CSV reader gives up on: almost always a quote that is
    never closed, so that the rest of the file reads as one cell longer than the reader allows."""
    return UserDataError(
        f'row {row}: a cell there cannot be read ({exc}); most likely a quote (") opened in it is never closed, '
        "so the rest of the file reads as one cell: close or remove that quote and save again",
        zh=f'第 {row} 行：该行的单元格无法读取（{exc}）；多半是其中的引号（"）未闭合，其后内容都被读成一个单元格：'
        "请补全或删除该引号后重新保存",
    )


def _count_lines(body: str) -> int:
    """Line ends in ``body``: LF, CR LF and lone CR each count once."""
    breaks = body.count("\n")
    carriage_returns = body.count("\r")
    return breaks + carriage_returns - body.count("\r\n") if carriage_returns else breaks


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


def _read_csv_rows(body: str, delimiter: str, names: list[str], *, first_row: int):
    """The careful reader: every non-blank record kept with its row number as Excel or WPS shows
    it (``first_row`` for the first record; a quoted cell holding line breaks is one row, a blank
    line a row of its own); a row with more fields than the header is reported (unless the extra
    fields are empty: a trailing delimiter)."""
    width = len(names)
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)  # LF, CR LF or CR line ends
    rows: list[list[str]] = []
    numbers: list[int] = []
    bad: dict[int, int] = {}
    row_number = first_row - 1
    try:
        for row_number, record in enumerate(reader, start=first_row):  # a blank line is an empty record
            if any(cell.strip() for cell in record):
                trailing_only = len(record) > width and not any(cell.strip() for cell in record[width:])
                if len(record) != width and not trailing_only:  # a stray delimiter or quote shifts the cells
                    bad[len(rows)] = len(record)
                rows.append((record + [""] * width)[:width])
                numbers.append(row_number)
    except csv.Error as exc:
        raise _unreadable_cell(row_number + 1, exc) from None
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


NO_GEOMETRY = (
    "no geometry: the feature has no point (its geometry is null or empty)",
    "无几何：该要素没有点（几何为空）",
)


def _read_geo_points(data: bytes, filename: str) -> tuple[pd.DataFrame, TableInfo]:
    """A GeoJSON, KML or GeoPackage of points, given where a table is expected, as a table: its
    attributes and the points' coordinates. Polygons belong in the boundary import. A feature
    without geometry (null, as GeoJSON allows, or empty) is kept with blank coordinates and
    reported in ``info.row_problems``."""

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            geo = pyogrio.read_dataframe(io.BytesIO(data))
    except Exception as exc:  # GDAL reports many kinds of broken input
        raise UserDataError(f"{filename} cannot be read: {exc}", zh=f"无法读取 {filename}：{exc}") from None
    geometry = np.asarray(geo.geometry.values, dtype=object)
    missing = shapely.is_missing(geometry) | shapely.is_empty(geometry)
    type_names = sorted(set(geo.geometry[~missing].geom_type))
    if not set(type_names) <= {"Point"} or not len(geo):
        raise UserDataError(
            f"{filename} holds {', '.join(type_names) or 'no'} geometries, not points: boundaries go to the "
            "boundary import below (GeoJSON, GeoPackage or zipped Shapefile)",
            zh=f"{filename} 中是{'、'.join(type_names) or '空'}几何而非点：边界文件请在下方“边界文件”处导入",
        )
    frame = pd.DataFrame({c: geo[c].map(lambda v: "" if v is None else str(v)) for c in geo.columns if c != "geometry"})
    geographic = geo.crs is None or geo.crs.is_geographic
    x_name, y_name = ("lon", "lat") if geographic else ("x", "y")
    x_name, y_name = [n if n not in frame.columns else f"{n} (geometry)" for n in (x_name, y_name)]
    x, y = np.full(len(geo), np.nan), np.full(len(geo), np.nan)
    x[~missing], y[~missing] = shapely.get_x(geometry[~missing]), shapely.get_y(geometry[~missing])
    frame[x_name], frame[y_name] = _float_texts(x), _float_texts(y)
    crs = geo.crs.to_string() if geo.crs is not None else "none given"
    info = TableInfo(
        file_kind="geo",
        row_numbers=np.arange(1, len(frame) + 1),
        row_problems=dict.fromkeys(np.flatnonzero(missing).tolist(), NO_GEOMETRY),
        lon_column=x_name,
        lat_column=y_name,
        notes=[_geo_note(filename, len(frame), int(missing.sum()), crs)],
    )
    return frame, info


def _float_texts(values: np.ndarray) -> list[str]:
    """Coordinates as the shortest text that reads back the same float; "" for NaN (no point)."""
    return ["" if math.isnan(v) else repr(v) for v in values.tolist()]


def _geo_note(filename: str, features: int, without_geometry: int, crs: str) -> tuple[str, str]:
    note_en = (
        f"{filename} is a file of {features} points, read as a table (its coordinate system: {crs}); "
        "row numbers are feature numbers"
    )
    note_zh = f"{filename} 是含 {features} 个点的地理文件，已按表格读取（文件所标坐标系：{crs}）；行号即要素序号"
    if without_geometry:
        note_en += f"; {without_geometry} feature(s) have no geometry: kept and rejected"
        note_zh += f"；其中 {without_geometry} 个要素无几何：已保留并标为拒绝"
    return note_en, note_zh


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


GUESS_SAMPLE_ROWS = 500  # the first cells of a column that a guess by values reads
MOSTLY = 0.5  # a column is "mostly numbers" when more than this share of its non-blank cells are
DEGREES = {"lon": 180.0, "lat": 90.0}  # the largest absolute longitude and latitude, degrees


def guess_columns(columns, *, geographic: bool = True) -> dict:
    """Guess the lon, lat, name and address columns (zh or en); None where nothing fits.

    Given names only (a list, a frame's ``columns``), by name. Given a frame, by name and by
    values: among the columns a name fits, one whose first cells are mostly numbers in range
    (degrees when ``geographic``, else beyond them: projected metres) wins, so a ``lon`` column
    of place names loses to ``经度(°)``, and a pair column ("120.62,31.30") that holds pairs wins
    over coordinate columns that hold no numbers.

    Example
    -------
    >>> frame = pd.DataFrame({"lon": ["园区"], "经度(°)": ["120.6"], "纬度": ["31.3"]})
    >>> guess_columns(frame.columns)["lon"], guess_columns(frame)["lon"]
    ('lon', '经度(°)')
    """
    frame = columns if isinstance(columns, pd.DataFrame) else None
    norm = {c: _normalise_header(c) for c in (frame.columns if frame is not None else columns)}

    def named(names) -> list:
        return [column for wanted in names for column, key in norm.items() if key == wanted]

    lon_named, lat_named, pair_named = named(LON_NAMES), named(LAT_NAMES), named(PAIR_NAMES)
    name = next(iter(named(NAME_NAMES)), None)
    address = next(iter(named(ADDRESS_NAMES)), None)
    if frame is None:
        lon_ok, lat_ok, pair_ok = [], [], []
    else:
        sample = frame.head(GUESS_SAMPLE_ROWS)
        lon_ok = [c for c in lon_named if _in_range_share(sample[c], "lon", geographic=geographic) > MOSTLY]
        lat_ok = [c for c in lat_named if _in_range_share(sample[c], "lat", geographic=geographic) > MOSTLY]
        pair_ok = [c for c in pair_named if _pair_share(sample[c], geographic=geographic) > MOSTLY]
    lon, lat = next(iter(lon_ok + lon_named), None), next(iter(lat_ok + lat_named), None)
    if pair_ok and not (lon_ok and lat_ok):  # a pair column that holds pairs beats columns that hold no numbers
        lon = lat = pair_ok[0]
    elif not (lon and lat):  # both coordinates in one column ("120.62,31.30", as Amap copies them)
        lon = lat = next(iter(pair_named), None)
    return {"lon": lon, "lat": lat, "name": name, "address": address}


def coordinate_like_columns(frame: pd.DataFrame, *, geographic: bool = True, exclude=()) -> list[str]:
    """The columns (but ``exclude``) whose first cells are mostly numbers that could be a
    longitude or latitude (degrees when ``geographic``, else projected metres): what a warning
    suggests when the chosen columns hold no coordinates."""
    sample = frame.head(GUESS_SAMPLE_ROWS)
    axis = "lon" if geographic else "lat"  # any coordinate: within a longitude's degrees, or beyond a latitude's
    return [
        c
        for c in frame.columns
        if c not in exclude and _in_range_share(sample[c], axis, geographic=geographic) > MOSTLY
    ]


def _in_range_share(cells: pd.Series, axis: str, *, geographic: bool) -> float:
    """The share of the non-blank ``cells`` that are numbers fit for ``axis`` ("lon" or "lat")."""
    texts = _present(cells)
    if not texts:
        return 0.0
    return float(np.mean(_fits(_numbers(texts), axis, geographic=geographic)))


def _pair_share(cells: pd.Series, *, geographic: bool) -> float:
    """The share of the non-blank ``cells`` holding two numbers fit for a longitude and a latitude."""
    texts = _present(cells)
    if not texts:
        return 0.0
    x_text, y_text = split_pairs(pd.Series(texts, dtype=object))
    x_fits = _fits(_numbers(x_text.tolist()), "lon", geographic=geographic)
    return float(np.mean(x_fits & _fits(_numbers(y_text.tolist()), "lat", geographic=geographic)))


def _present(cells: pd.Series) -> list[str]:
    return [text for text in map(str, cells.tolist()) if text.strip()]


def _numbers(texts: list[str]) -> np.ndarray:
    return np.array([np.nan if (v := parse_number(t)) is None else v for t in texts], dtype=float)


def _fits(numbers: np.ndarray, axis: str, *, geographic: bool) -> np.ndarray:
    """Numbers (NaN never fits) within ``axis``'s degrees when ``geographic``, else beyond them (metres)."""
    size = np.abs(numbers)
    return (size <= DEGREES[axis]) if geographic else (size > DEGREES[axis])
