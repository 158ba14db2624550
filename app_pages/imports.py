"""Import page: a planner's point table or boundary file, checked row by row and put in the workspace."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from pyproj import CRS

from app_pages import session
from app_pages.common import for_display
from atlas_core import settings
from atlas_core.errors import AtlasError, DatabaseError, NeedsCRSError, TooManyRowsError
from database.catalog import Table, columns, list_tables
from database.classify import Counts
from database.connection import connect, describe
from presentation.i18n import t
from presentation.media import media_type
from safety.markup import markdown as md
from safety.spreadsheet import csv_bytes
from userdata.boundaries import list_layers, replace_units
from userdata.from_database import (
    NAMED_SYSTEMS,
    SNAPSHOT_PREFIX,
    check_srid,
    classify_inside,
    snapshot,
    snapshot_kind,
    source_name,
)
from userdata.reading import ENCODINGS, TableInfo, guess_columns, list_sheets, read_table
from userdata.tables import classified_workbook, localised_table, swapped_positions
from workspace.session import (
    POINT_STATUSES,
    ImportedBoundary,
    ImportedPoints,
    SourceFile,
    Workspace,
    classify_points,
    read_boundary,
)

INPUT_CRS = ("wgs84", "cgcs2000", "gcj02", "bd09", "projected")
SWAPS_KEY = "_im_swapped_rows"  # file digest -> 0-based rows whose lon/lat the planner swapped
XLSX_PROGRESS_ROWS = 20_000  # above this an XLSX is made with a progress bar, on request
PAGE_PULL_ROWS = 500_000  # a database table larger than this is counted inside the database, not read here
GEOMETRY_TYPES = {  # what each section may read from the database, by the column's declared type
    "points": ("POINT", "MULTIPOINT", "GEOMETRY", ""),  # "": no geometry column (placed by address or columns)
    "borders": ("POLYGON", "MULTIPOLYGON", "GEOMETRY"),
}


@st.cache_resource(show_spinner=False, max_entries=4)
def _read(digest: str, filename: str, encoding: str | None, sheet: str | None, kind: str | None, _data: bytes):

    return read_table(_data, filename, encoding=encoding, sheet=sheet, kind=kind)


@st.cache_resource(show_spinner=False, max_entries=4)  # shared, never mutated: no copy per rerun
def _classify(digest: str, options: str, atlas_token: str, _source: SourceFile, _ws: Workspace) -> ImportedPoints:
    o = _source.options
    read = _read(digest, _source.name, o.get("encoding"), o.get("sheet"), o.get("kind"), _source.data)
    return classify_points(_source, _ws.atlas, _ws.derived.grid(), read=read)


@st.cache_resource(show_spinner=False, max_entries=4)
def _boundaries(digest: str, options: str, _source: SourceFile, _units):
    """Read, repair and match a boundary file once per choice (the same frame on every rerun)."""
    return read_boundary(_source, _units)


@dataclass(frozen=True)
class StoredUpload:
    """An uploaded file kept for the session: the upload box forgets it on a page switch, we do not."""

    name: str
    data: bytes
    digest: str  # of the content: a choice made for a file is remembered for the same file
    kind: str | None = None  # what the bytes are, when the atlas made them (rows read from the database)


def uploaded(label: str, types: list[str], key: str) -> StoredUpload | None:
    """The file in the upload box, or the one uploaded there before a visit to another page."""
    store_key = f"_stored_{key}"

    def changed() -> None:
        file = st.session_state[key]
        if file is None:  # the planner removed it from the box
            st.session_state.pop(store_key, None)
        else:
            data = file.getvalue()
            st.session_state[store_key] = StoredUpload(file.name, data, hashlib.sha256(data).hexdigest()[:20])

    st.file_uploader(label, type=types, key=key, on_change=changed, max_upload_size=settings.current().max_upload_mb)
    stored = st.session_state.get(store_key)
    if stored is not None and st.session_state.get(key) is None:
        st.caption(t("im_current_file", session.lang(), name=md(stored.name)))
    return stored


@st.cache_data(ttl=60, show_spinner=False)  # one database per server (ATLAS_DB): one list for every session
def _database_tables(where: str) -> list[Table]:
    """The spatial tables and views the role may read in the database ``where`` (what
    ``describe`` shows of ATLAS_DB: the cache's key, without the password); listed again after a
    minute."""
    conninfo = settings.current().db_conninfo
    assert conninfo is not None
    with connect(conninfo) as connection:
        return list_tables(connection, spatial_only=False)


@st.cache_data(ttl=60, show_spinner=False)
def _table_columns(where: str, table: Table) -> list[str]:
    conninfo = settings.current().db_conninfo
    assert conninfo is not None
    with connect(conninfo) as connection:
        return [name for name, _kind in columns(connection, table) if name != table.geometry_column]


def _table_label(table: Table, L: str) -> str:
    rows = t("db_rows_about", L, n=table.rows_estimate) if table.rows_estimate is not None else t("db_rows_unknown", L)
    if table.geometry_column is None:
        return f"{table.qualified} · {t('db_no_geometry', L)} · {rows}"
    return f"{table.qualified} ({table.geometry_column}) · {table.geometry_type} · SRID {table.srid} · {rows}"


def from_database(key: str, kind: str, L: str) -> StoredUpload | None:
    """Pick a table or view of the configured database (and one filter), and read it: its rows
    become a GeoPackage kept like an uploaded file, so the same checks read it, and a saved
    workspace keeps them. A table too large to read here can be counted inside the database."""
    store_key = f"_stored_{key}"
    conninfo = settings.current().db_conninfo
    if conninfo is None:
        st.info(t("db_not_set", L))
        return None
    st.caption(t("im_db_where", L, where=md(describe(conninfo))))
    try:
        listed = _database_tables(describe(conninfo))
        tables = [x for x in listed if (x.geometry_type or "").upper() in GEOMETRY_TYPES[kind]]
    except AtlasError as exc:
        session.show_error(exc)
        return None
    if not tables:
        st.info(t("im_db_none", L, kind=t(f"im_db_kind_{kind}", L)))
        return None
    by_key = {f"{x.qualified}.{x.geometry_column}": x for x in tables}
    chosen = session.kept(
        st.selectbox,
        f"im_db_table_{key}",
        t("im_db_table", L),
        list(by_key),
        default=next(iter(by_key)),
        format_func=lambda k: _table_label(by_key[k], L),
    )
    table = by_key[chosen]
    c1, c2 = st.columns(2)
    try:
        names = _table_columns(describe(conninfo), table)
    except AtlasError as exc:
        session.show_error(exc)
        return None
    column = session.kept(
        c1.selectbox,
        f"im_db_filter_{key}_{chosen}",
        t("im_db_filter_column", L),
        ["", *names],
        default="",
        format_func=lambda c: c or t("im_db_filter_none", L),
    )
    value = session.kept(c2.text_input, f"im_db_value_{key}_{chosen}", t("im_db_filter_value", L), default="")
    filters = [(column, value)] if column else []
    selection = (chosen, tuple(filters))
    read = st.button(t("im_db_read", L), key=f"im_db_read_{key}")
    if read and _read_database_table(conninfo, table, filters, key=key, kind=kind, L=L):
        st.session_state[f"_im_db_selection_{key}"] = selection
    if st.session_state.get(f"_im_db_count_{key}") == selection:
        _count_inside(conninfo, table, filters, L)
    stored = st.session_state.get(store_key)
    if stored is None or st.session_state.get(f"_im_db_selection_{key}") != selection:
        return None  # what was read before belongs to another table or filter: not shown under this one
    srid, doubt = st.session_state.get(f"_im_db_note_{stored.digest}", (None, None))
    if doubt is not None:
        st.warning(md(doubt[1] if L == "zh" else doubt[0]))
    elif srid:
        st.caption(t("im_db_read_as", L, name=md(stored.name), srid=srid))
    return stored


def _read_database_table(conninfo: str, table: Table, filters: list, *, key: str, kind: str, L: str) -> bool:
    """Read the table into a snapshot kept as this section's file, with the coordinate system its
    column declares chosen in advance (the planner may change it). Points whose numbers cannot be
    in Suzhou in that system are read all the same, with the reason and no system chosen. True
    when the rows were read."""
    doubt: AtlasError | None = None
    try:
        with st.spinner(t("working", L)), connect(conninfo) as connection:
            if kind == "points" and table.srid:
                try:
                    check_srid(connection, table, filters)
                except DatabaseError as exc:
                    doubt = exc
            data = snapshot(connection, table, filters, max_rows=PAGE_PULL_ROWS)
    except TooManyRowsError as exc:
        st.warning(t("im_db_too_many", L, n=exc.limit))
        _offer_count(key, table, filters)
        return False
    except AtlasError as exc:
        session.show_error(exc)
        return False
    limit_mb = settings.current().max_upload_mb
    if len(data) > limit_mb * 1024 * 1024:  # the page holds no more than an upload may bring
        st.warning(t("im_db_too_large", L, mb=len(data) / 1048576, limit=limit_mb))
        _offer_count(key, table, filters)
        return False
    digest = hashlib.sha256(data).hexdigest()[:20]
    stored = StoredUpload(source_name(table, filters), data, digest, snapshot_kind(table))
    st.session_state[f"_stored_{key}"] = stored
    kept = st.session_state.setdefault(session.KEPT_KEY, {})
    if kind == "points" and table.srid and doubt is None:
        named = NAMED_SYSTEMS.get(table.srid)
        kept[f"im_crs_{stored.digest}"] = named or "projected"
        if named is None:
            kept[f"im_epsg_{stored.digest}"] = f"EPSG:{table.srid}"
    elif kind == "borders" and table.srid in NAMED_SYSTEMS:
        kept[f"im_boundary_datum_{stored.digest}"] = "wgs84"
    doubt_text = (str(doubt), doubt.message("zh")) if doubt is not None else None
    st.session_state[f"_im_db_note_{stored.digest}"] = (table.srid, doubt_text)
    return True


def _offer_count(key: str, table: Table, filters: list) -> None:
    """From now on, while this table and filter are chosen, offer to count them inside the database."""
    st.session_state[f"_im_db_count_{key}"] = (f"{table.qualified}.{table.geometry_column}", tuple(filters))


def _count_inside(conninfo: str, table: Table, filters: list, L: str) -> None:
    """Counts per unit, corridor and footprint of a table too large to read, computed by PostGIS."""
    ws = session.workspace()
    asked = (table.qualified, table.geometry_column, tuple(filters), ws.atlas_token)
    if st.button(t("im_db_count", L), key="im_db_count"):
        try:
            with (
                st.spinner(t("working", L)),
                connect(conninfo) as connection,
            ):
                counted = classify_inside(connection, table, filters, atlas=ws.atlas, grid=ws.derived.grid())
        except AtlasError as exc:
            session.show_error(exc)
            return
        st.session_state["_im_db_counts"] = (asked, counted)
    kept = st.session_state.get("_im_db_counts")
    if kept is not None and kept[0] == asked:
        _show_counts(ws, table, kept[1], L)


def _show_counts(ws: Workspace, table: Table, counts: Counts, L: str) -> None:
    """The counts as three tables (largest first) and one CSV, naming the borders they were made with."""
    placed = sum(counts.by_unit.values())
    headline = t(
        "im_db_counts",
        L,
        table=md(table.qualified),
        rows=counts.rows,
        placed=placed,
        outside=counts.outside,
        no_point=counts.no_point,
    )
    if ws.borders is not None:
        headline += t("im_db_counts_borders", L, name=md(ws.borders))
    st.success(headline)
    name_column = "name_zh" if L == "zh" else "name_en"
    units = dict(zip(ws.atlas.units["adcode"], ws.atlas.units[name_column], strict=True))
    corridors = dict(zip(ws.atlas.corridors["id"], ws.atlas.corridors[name_column], strict=True))
    frames = []
    for heading, found, names in (
        ("db_by_unit", counts.by_unit, units),
        ("db_by_corridor", counts.by_corridor, corridors),
        ("db_by_footprint", counts.by_footprint, corridors),
    ):
        st.caption(t(heading, L))
        ordered = sorted(found.items(), key=lambda item: -item[1])
        frame = pd.DataFrame(
            {
                t("name", L): [names.get(k, k) for k, _n in ordered],
                t("im_db_count_col", L): [n for _k, n in ordered],
            }
        )
        st.dataframe(
            for_display(frame),
            hide_index=True,
            width="stretch",
            column_config={t("im_db_count_col", L): st.column_config.NumberColumn(format="localized")},
        )
        frames.append(frame.assign(**{t("reason", L): t(heading, L)}))
    st.download_button(
        t("im_db_counts_download", L),
        csv_bytes(pd.concat(frames, ignore_index=True)),
        file_name=f"{table.name}_counts.csv",
        mime=media_type("csv"),
        key="im_db_counts_csv",
        on_click="ignore",
    )


def _source(key: str, L: str) -> str:
    """Where this section's data comes from: an uploaded file, or the configured database."""
    return session.kept(
        st.radio,
        f"im_source_{key}",
        t("im_source", L),
        ("file", "db"),
        default="file",
        horizontal=True,
        format_func=lambda s: t("im_source_file" if s == "file" else "im_source_db", L),
    )


def _sheets(data: bytes) -> list[str]:

    return list_sheets(data)


def _crs_label(choice: str, L: str) -> str:
    if choice == "projected":
        return t("im_crs_projected", L)
    return t("crs_cgcs2000", L) if choice == "cgcs2000" else t(f"datum_{choice}", L)


def template_csv() -> bytes:
    """An empty point table with Chinese headers and one example row marked as such."""
    return csv_bytes(
        pd.DataFrame(
            {
                "名称": ["示例：苏州站（上传前请删除此行）"],
                "经度": ["120.606389"],
                "纬度": ["31.330556"],
                "类别": [""],
                "备注": ["坐标系请在导入页选择；本例为 WGS84"],
            }
        )
    )


def classify_upload(ws: Workspace, upload: StoredUpload) -> ImportedPoints | None:
    """Read options, column choices and the (required) coordinate system; the classified import.

    Every choice is kept per file (by content) for the session.
    """
    L = session.lang()
    encoding, sheet = _reading_choices(upload, L)
    try:
        frame, info = _read(upload.digest, upload.name, encoding, sheet, upload.kind, upload.data)
    except AtlasError as exc:
        session.show_error(exc)
        return None
    show_how_read(frame, info, L, from_database=upload.name.startswith(SNAPSHOT_PREFIX))
    if _placing_choice(frame, upload.digest, L) == "address":
        address, name = _address_choices(frame, upload.digest, L)
        lon = lat = None
        crs: str | None = "wgs84"  # no coordinates are read: the datum plays no part
        st.caption(t("im_by_address_how", L))
    else:
        address = None
        lon, lat, name = _column_choices(frame, upload.digest, L)
        crs = _crs_choice(upload.digest, L)
    if crs is None:
        return None
    swapped = tuple(sorted(st.session_state.get(SWAPS_KEY, {}).get(upload.digest, ())))
    options = {"encoding": encoding, "sheet": sheet, "lon": lon, "lat": lat, "name": name or None}
    options |= {"address": address} if address else {}
    options |= {"kind": upload.kind} if upload.kind else {}
    source = SourceFile(upload.name, upload.data, {**options, "crs": crs, "swapped": list(swapped)})
    if ws.points is not None and ws.points.source == source:
        imported = ws.points  # classified already, against the borders and layout in force
    else:
        try:
            with st.spinner(t("working", L)):
                options_key = repr(sorted(source.options.items()))
                imported = _classify(upload.digest, options_key, ws.atlas_token, source, ws)
        except AtlasError as exc:
            session.show_error(exc)
            return None
    if lon and lat:
        row_numbers = imported.table["atlas_row"].to_numpy()
        offer_swap(frame, row_numbers, digest=upload.digest, lon=lon, lat=lat, already=swapped)
    return imported


def _reading_choices(upload: StoredUpload, L: str) -> tuple[str | None, str | None]:
    """(encoding, sheet) chosen for the file: None for each means "find it" (a workbook has no encoding)."""
    digest, kept = upload.digest, session.kept
    name = upload.name.lower()
    if upload.name.startswith(SNAPSHOT_PREFIX):  # rows read from the database: no encoding, no sheets
        return None, None
    c1, c2 = st.columns(2)
    if not name.endswith((".xlsx", ".xlsm")):
        encoding = kept(
            c1.selectbox,
            f"im_encoding_{digest}",
            t("im_encoding", L),
            ("auto", *ENCODINGS, "gbk"),
            default="auto",
            format_func=lambda e: t("im_encoding_auto", L) if e == "auto" else e,
        )
        return (None if encoding == "auto" else encoding), None
    sheets = _sheets(upload.data)
    if len(sheets) < 2:
        return None, None
    sheet = kept(
        c2.selectbox,
        f"im_sheet_{digest}",
        t("im_sheet", L),
        ["auto", *sheets],
        default="auto",  # the first visible sheet with coordinate columns, not an instructions sheet
        format_func=lambda name: t("im_sheet_auto", L) if name == "auto" else name,
    )
    return None, (None if sheet == "auto" else sheet)


PLACED_BY = ("coordinates", "address")


def _placing_choice(frame: pd.DataFrame, digest: str, L: str) -> str:
    """How the rows are placed: by coordinates or by the words of an address (the default when the
    table has an address column and no coordinate columns)."""
    guessed = guess_columns(frame)
    default = "address" if guessed["address"] and not guessed["lon"] else "coordinates"
    return session.kept(
        st.radio,
        f"im_by_{digest}",
        t("im_placed_by", L),
        PLACED_BY,
        default=default,
        horizontal=True,
        format_func=lambda v: t(f"im_by_{v}", L),
    )


def _address_choices(frame: pd.DataFrame, digest: str, L: str) -> tuple[str, str]:
    """The address and name columns (name "" for none), guessed by their names until chosen."""
    columns = list(frame.columns)
    guessed = guess_columns(frame)
    c1, c2 = st.columns(2)
    address = session.kept(
        c1.selectbox, f"im_address_{digest}", t("im_address", L), columns, default=guessed["address"] or columns[0]
    )
    name = session.kept(
        c2.selectbox,
        f"im_name_{digest}",
        t("im_name", L),
        ["", *columns],
        default=guessed["name"] or "",
        format_func=lambda c: c if c else t("im_none", L),
    )
    return address, name


def _column_choices(frame: pd.DataFrame, digest: str, L: str) -> tuple[str, str, str]:
    """The longitude, latitude and name columns (name "" for none), guessed by their names and
    values until chosen."""
    kept = session.kept
    columns = list(frame.columns)
    guessed = guess_columns(frame)
    c1, c2, c3 = st.columns(3)
    lon = kept(c1.selectbox, f"im_lon_{digest}", t("im_lon", L), columns, default=guessed["lon"] or columns[0])
    lat = kept(
        c2.selectbox,
        f"im_lat_{digest}",
        t("im_lat", L),
        columns,
        default=guessed["lat"] or columns[min(1, len(columns) - 1)],
    )
    name = kept(
        c3.selectbox,
        f"im_name_{digest}",
        t("im_name", L),
        ["", *columns],
        default=guessed["name"] or "",
        format_func=lambda c: c if c else t("im_none", L),
    )
    return lon, lat, name


def _crs_choice(digest: str, L: str) -> str | None:
    """The coordinate system the planner declares (None until chosen: there is no default, since a
    Baidu table read as WGS84 lands about a kilometre off without a word)."""
    c1, c2 = st.columns(2)
    choice = session.kept(
        c1.selectbox,
        f"im_crs_{digest}",
        t("im_crs", L),
        INPUT_CRS,
        default=None,
        placeholder=t("im_crs_placeholder", L),
        format_func=lambda c: _crs_label(c, L),
    )
    st.caption(t("im_crs_how", L))
    if choice is None:
        st.warning(t("im_crs_required", L))
        return None
    if choice == "projected":
        return session.kept(c2.text_input, f"im_epsg_{digest}", t("im_epsg", L), default="EPSG:4549")
    return choice


def show_how_read(frame: pd.DataFrame, info: TableInfo, L: str, rows: int = 5, *, from_database: bool = False) -> None:
    """How the file was read (kind, encoding, delimiter), any doubt about the encoding, and its first
    rows as read, so that a wrong guess shows before anything is classified. Rows read from the
    database had no file, encoding or delimiter to guess: only their first rows are shown."""
    if from_database:
        with st.expander(t("im_preview", L, n=min(rows, len(frame)))):
            st.dataframe(for_display(frame.head(rows)), hide_index=True, width="stretch")
        return
    st.caption(
        t(
            "im_read_as",
            L,
            kind=info.file_kind.upper(),
            encoding=info.encoding or "-",
            delimiter=md(repr(info.delimiter)) if info.delimiter else "-",
        )
    )
    for en, zh in info.notes:
        st.caption(md(zh if L == "zh" else en))
    if info.encoding_note:
        en, zh = info.encoding_note
        st.warning(md(zh if L == "zh" else en))
    with st.expander(t("im_preview", L, n=min(rows, len(frame))), expanded=bool(info.encoding_note)):
        st.dataframe(for_display(frame.head(rows)), hide_index=True, width="stretch")


def offer_swap(frame: pd.DataFrame, row_numbers, *, digest: str, lon: str, lat: str, already: tuple[int, ...]) -> None:
    """A button that swaps lon and lat in the rows that look swapped (the planner decides, not the app).
    Rows are named by ``row_numbers``, the file's own numbering (the table below shows the same)."""

    L = session.lang()
    rows = [int(r) for r in swapped_positions(frame, lon_column=lon, lat_column=lat) if int(r) not in already]
    if rows:

        def swap() -> None:
            swaps = st.session_state.setdefault(SWAPS_KEY, {})
            swaps[digest] = sorted(set(swaps.get(digest, ())) | set(rows))

        st.button(
            t("im_swap", L, rows=row_list([int(row_numbers[r]) for r in rows], L)),
            on_click=swap,
            key=f"im_swap_{digest}",
        )
    if already:

        def undo() -> None:
            st.session_state.setdefault(SWAPS_KEY, {}).pop(digest, None)

        st.caption(t("im_swapped", L, rows=row_list([int(row_numbers[r]) for r in already], L)))
        st.button(t("im_swap_undo", L), on_click=undo, key=f"im_swap_undo_{digest}")


def row_list(rows: list[int], lang: str, *, most: int = 10) -> str:
    """Spreadsheet row numbers as a reader says them: "第 4、7 行", "row 4", "rows 4, 7, …"."""
    shown = [str(r) for r in rows[:most]] + (["…"] if len(rows) > most else [])
    if lang == "zh":
        return f"第 {'、'.join(shown)} 行"
    return f"{'row' if len(rows) == 1 else 'rows'} {', '.join(shown)}"


def review_points(ws: Workspace, points: ImportedPoints) -> None:
    """The imported table as the app sees it: counts, warnings, every row filterable by status, downloads."""

    L = session.lang()
    report = points.report
    st.info(
        t(
            "im_counts",
            L,
            rows=report.rows,
            accepted=report.accepted,
            doubtful=report.doubtful,
            rejected=report.rejected,
        )
    )
    for en, zh in report.warnings:
        st.warning(md(zh if L == "zh" else en))
    statuses = session.kept(
        st.multiselect,
        "im_filter",
        t("im_filter", L),
        POINT_STATUSES,
        default=list(POINT_STATUSES),
        format_func=lambda s: t(f"im_status_{s}", L),
    )
    table = points.table
    shown = localised_table(table.loc[table["atlas_status"].isin(statuses)], lang=L, corridors=ws.atlas.corridors)
    st.caption(t("im_rows_shown", L, n=len(shown), total=len(table)))
    st.dataframe(for_display(shown), hide_index=True, width="stretch", height=320)
    stem = points.name.rsplit(".", 1)[0]
    d1, d2 = st.columns(2)
    d1.download_button(
        f"{t('im_download', L)} (CSV)",
        lambda: csv_bytes(localised_table(table, lang=L, corridors=ws.atlas.corridors)),
        file_name=f"{stem}_classified.csv",
        mime=media_type("csv"),
        key="im_dl_csv",
        on_click="ignore",
    )
    with d2:
        xlsx_download(ws, points, stem)
    st.success(t("im_on_map", L, name=md(points.name)))


def xlsx_download(ws: Workspace, points: ImportedPoints, stem: str) -> None:
    """The classified table as XLSX; a large one is made on request with a progress bar."""

    L = session.lang()
    label = f"{t('im_download', L)} (XLSX)"

    def workbook(progress=None) -> bytes:
        return classified_workbook(
            points.table,
            points.report,
            lang=L,
            corridors=ws.atlas.corridors,
            source_name=points.name,
            progress=progress,
        )

    if len(points.table) <= XLSX_PROGRESS_ROWS:
        st.download_button(
            label,
            workbook,
            file_name=f"{stem}_classified.xlsx",
            key="im_dl_xlsx",
            on_click="ignore",
        )
        return
    made = st.session_state.get("_im_xlsx")
    stale = made is None or made[0] != (ws.token, L)
    if stale and st.button(t("im_make_xlsx", L, n=len(points.table)), key="im_make_xlsx"):
        bar = st.progress(0.0, text=t("working", L))

        def advance(done: float) -> None:
            bar.progress(done, text=t("working", L))

        content = workbook(progress=advance)
        bar.empty()
        st.session_state["_im_xlsx"] = made = ((ws.token, L), content)
    if made is not None and made[0] == (ws.token, L):
        st.download_button(label, made[1], file_name=f"{stem}_classified.xlsx", key="im_dl_xlsx", on_click="ignore")


def points_section(ws: Workspace) -> None:
    L = session.lang()
    st.subheader(t("im_points", L))
    st.download_button(
        t("im_template", L),
        template_csv(),
        file_name="点位模板.csv",
        mime=media_type("csv"),
        key="im_template",
        on_click="ignore",
    )
    if _source("im_file", L) == "db":
        upload = from_database("im_file", "points", L)
    else:
        upload = uploaded(t("im_upload", L), ["csv", "txt", "xlsx", "xlsm"], "im_file")
    if upload is not None:
        imported = classify_upload(ws, upload)
        if imported is not None:
            ws.set_points(imported)
    if ws.points is not None:
        review_points(ws, ws.points)


def boundaries_section(ws: Workspace) -> None:
    """A boundary file: read it (asking for its layer, coordinate system and datum when it does
    not say), report what was read, and draw it or put it in force as the units' borders."""
    L = session.lang()
    st.subheader(t("im_boundaries", L))
    if ws.borders is not None:
        st.info(t("borders_in_use", L, name=md(ws.borders)))
        st.button(t("im_restore", L), on_click=ws.restore_borders, key="im_restore")
    if _source("im_boundary_file", L) == "db":
        upload = from_database("im_boundary_file", "borders", L)
    else:
        upload = uploaded(t("im_upload", L), ["geojson", "json", "gpkg", "zip"], "im_boundary_file")
    if upload is None:
        if ws.boundary is not None:  # from a reopened workspace
            st.info(t("im_boundary_kept", L, name=md(ws.boundary.name), n=len(ws.boundary.frame)))
        return
    read = _read_boundary_upload(upload, ws, L)
    if read is None:
        return
    frame, report, source = read
    _show_boundary_report(frame, report, L)
    _use_boundary(ws, upload, frame, report, source, L)


def _read_boundary_upload(upload, ws: Workspace, L: str):
    """(frame, report, source) once the file, its layer, coordinate system and datum are known;
    None while the page still asks for one of them (or shows why the file cannot be read)."""
    data, digest, kept = upload.data, upload.digest, session.kept
    try:
        layer_names = list_layers(data, upload.name)
    except AtlasError as exc:
        session.show_error(exc)
        return None
    c1, c2, c3 = st.columns(3)
    layer = (
        kept(c1.selectbox, f"im_boundary_layer_{digest}", t("im_layer", L), layer_names, default=layer_names[0])
        if len(layer_names) > 1
        else None
    )
    crs = session.kept_value(f"im_boundary_crs_{digest}")

    def read_with(datum: str):
        source = SourceFile(upload.name, data, {"layer": layer, "crs": crs, "datum": datum})
        return (*_boundaries(digest, repr(sorted(source.options.items())), source, ws.base.units), source)

    try:
        frame, report, source = read_with("wgs84")
    except NeedsCRSError as exc:
        st.warning(md(exc.message(L)))
        kept(
            c3.selectbox,
            f"im_boundary_crs_{digest}",
            t("im_needs_crs", L),
            ["EPSG:4326", "EPSG:4490", "EPSG:4549", "EPSG:4528", "EPSG:32651"],
            default=None,
            placeholder=t("im_crs_placeholder", L) + (f" ({exc.guess}?)" if exc.guess else ""),
        )
        return None
    except AtlasError as exc:
        session.show_error(exc)
        return None
    if not CRS(report.source_crs).is_geographic:
        return frame, report, source
    # lon/lat may be Amap's GCJ-02, about 500 m off: as for point tables, there is no default
    datum = kept(
        c2.selectbox,
        f"im_boundary_datum_{digest}",
        t("im_boundary_datum", L),
        ("wgs84", "gcj02"),
        default=None,
        placeholder=t("im_crs_placeholder", L),
        format_func=lambda d: t(f"datum_{d}", L),
    )
    if datum is None:
        st.warning(t("im_boundary_datum_required", L))
        return None
    return (frame, report, source) if datum == "wgs84" else read_with(datum)


def _show_boundary_report(frame, report, L: str) -> None:
    """What was read: features, repairs, features left out and why, how they matched the units."""
    st.info(
        t("im_boundary_summary", L, features=report.features, repaired=report.repaired, dropped=len(report.dropped))
    )
    for en, zh in report.notes:
        st.caption(md(zh if L == "zh" else en))
    if report.dropped:
        st.dataframe(
            pd.DataFrame(
                {
                    t("im_feature", L): [d[0] for d in report.dropped],
                    t("reason", L): [d[2] if L == "zh" else d[1] for d in report.dropped],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    if report.match_column:
        st.write(
            t(
                "im_matched",
                L,
                column=md(report.match_column),
                n=len(set(report.matched.values())),
                unmatched=md(", ".join(map(str, report.unmatched)) or "-"),
                missing=md(", ".join(report.missing_units) or "-"),
            )
        )


def _use_boundary(ws: Workspace, upload, frame, report, source: SourceFile, L: str) -> None:
    """Draw the boundaries on the map (or not), and offer to put them in force as the units' borders."""
    text_columns = [c for c in frame.columns if c not in ("feature", frame.geometry.name)]
    show = session.kept(st.checkbox, f"im_boundary_show_{upload.digest}", t("im_show_extra", L), default=True)
    previous = ws.boundary
    if previous is None or previous.frame is not frame or previous.show != show:
        ws.set_boundary(
            ImportedBoundary(
                upload.name, frame, report.match_column or (text_columns[0] if text_columns else None), show, source
            )
        )
    if report.can_replace_units and ws.borders != upload.name and st.button(t("im_replace", L), key="im_replace"):
        ws.replace_borders(replace_units(ws.base, frame, report), name=upload.name, source=source)
        st.rerun()


def render() -> None:
    ws = session.workspace()
    points_section(ws)
    st.divider()
    boundaries_section(ws)
    if ws.points is not None or ws.boundary is not None:
        st.divider()
        st.button(t("im_clear", session.lang()), on_click=clear_imports, args=(ws,), key="im_clear")


def clear_imports(ws: Workspace) -> None:
    ws.clear_imports()
    session.forget_uploads()


render()
