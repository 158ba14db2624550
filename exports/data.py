"""The layout's data for colleagues: GeoJSON, GeoPackage, zipped Shapefile, CSV and XLSX, in a chosen CRS."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from atlas_core.errors import ExportError
from layers import FACILITY_CATEGORIES
from presentation.i18n import t
from safety.spreadsheet import csv_bytes, xlsx_bytes
from spatial.datum import convert_frame
from spatial.summary import corridor_summary, layout_matrix, unit_summary

CRS_CHOICES = {"wgs84": 4326, "cgcs2000": 4490, "cgcs2000_gk120": 4549, "gcj02": 4326}
DATA_FORMATS = ("geojson", "gpkg", "shp", "csv", "xlsx")


# ---------------------------------------------------------------- what is exported


SHAPE_ONLY_LAYERS = ("corridor_zones", "corridor_footprints", "corridor_spines")  # not written as tables


def layers_for_export(atlas) -> dict[str, gpd.GeoDataFrame]:
    """The spatial layers, WGS84: units, water, corridor zones, footprints and spines, facilities."""
    corridors = atlas.corridors
    base = {
        "id": corridors["id"].values,
        "name_zh": corridors["name_zh"].values,
        "name_en": corridors["name_en"].values,
        "kind": corridors["kind"].values,
        "members": ["|".join(codes) for codes in corridors["member_adcodes"]],
    }
    return {
        "units": atlas.units[
            [
                "adcode",
                "name_zh",
                "name_en",
                "kind",
                "land_area_km2",
                "water_area_km2",
                "area_published_km2",
                "area_source",
                "land_published_km2",
                "land_source",
                "geometry",
            ]
        ].copy(),
        "water": atlas.water[["water_id", "name_zh", "name_en", "kind", "area_in_suzhou_km2", "geometry"]].copy(),
        "corridor_zones": gpd.GeoDataFrame(base, geometry=corridors["zone"].values, crs=4326),
        "corridor_footprints": gpd.GeoDataFrame(
            {
                **base,
                "band_km": corridors["band_km"].values,
                "footprint_land_km2": corridors["footprint_land_km2"].values,
                "members_land_km2": corridors["members_land_km2"].values,
            },
            geometry=corridors["footprint"].values,
            crs=4326,
        ),
        "corridor_spines": gpd.GeoDataFrame(
            {**base, "precision": corridors["spine_precision"].values}, geometry=corridors["spine"].values, crs=4326
        ),
        # points only: a "unit" row has none (it is in the facility_register table); "sub-area"
        # rows share their area's point and say so in ``precision`` and ``sub_area_id``
        "facilities": atlas.facilities.loc[
            atlas.facilities["precision"] != "unit",
            [
                "facility_id",
                "name_zh",
                "name_en",
                "category",
                "adcode",
                "precision",
                "sub_area_id",
                "town_code",
                "town_zh",
                "source_datum",
                "source",
                "source_url",
                "source_kind",
                "read_at",
                "coord_source",
                "coord_source_kind",
                "plan_section",
                "note_zh",
                "note_en",
                "geometry",
            ],
        ].replace({column: {"": None} for column in OPTIONAL_FACILITY_TEXT}),  # none reads back the same everywhere
    }


OPTIONAL_FACILITY_TEXT = ("sub_area_id", "town_code", "town_zh", "source_url", "read_at")  # may be empty
REGISTER_COLUMNS = [
    *("facility_id", "name_zh", "name_en", "category", "adcode", "precision", "sub_area_id", "town_code", "town_zh"),
    *("lon", "lat"),
    *("source_datum", "source", "source_url", "source_kind", "read_at", "plan_section", "plan_name", "note_zh"),
    "note_en",
]


def facility_register(atlas) -> pd.DataFrame:
    """Every entity the plan names (and the context zones), one row each, whether it has a point or
    not: ``precision`` is site, campus, sub-area, unit or "none" (unplaced, with the reason in the note)."""
    placed = pd.DataFrame(atlas.facilities.drop(columns="geometry"))[REGISTER_COLUMNS]
    placed = placed.assign(
        lon=placed["lon"].where(placed["precision"] != "unit"), lat=placed["lat"].where(placed["precision"] != "unit")
    )
    unplaced = atlas.unplaced.rename(columns={"reason_zh": "note_zh", "reason_en": "note_en"}).assign(
        adcode="", precision="none"
    )
    return pd.concat([placed, unplaced], ignore_index=True)[placed.columns]


def tables_for_export(atlas) -> dict[str, pd.DataFrame]:
    """The attribute tables: corridor summary, unit summary, memberships with roles, the layout matrix."""
    matrix = layout_matrix(atlas.units, atlas.corridors, atlas.members, lang="zh").drop(columns="name_en")
    return {
        "corridor_summary": corridor_summary(
            atlas.corridors, atlas.units, atlas.facilities, categories=FACILITY_CATEGORIES
        ),
        "unit_summary": unit_summary(atlas.units, atlas.members, atlas.facilities),
        "corridor_members": atlas.members.copy(),
        "facility_register": facility_register(atlas),
        "layout_matrix": matrix,
    } | (
        {  # a scenario's data say what they are, in a table of their own
            "scenario": pd.DataFrame(
                {
                    "scenario": [atlas.scenario],
                    "note_zh": [t("scenario_note", "zh", date=dt.date.today().isoformat())],
                    "note_en": [t("scenario_note", "en", date=dt.date.today().isoformat())],
                }
            )
        }
        if getattr(atlas, "scenario", None) is not None
        else {}
    )


def _require_crs(crs: str) -> None:
    if crs not in CRS_CHOICES:
        raise ExportError(
            f"unknown output CRS {crs!r}; choose one of {', '.join(CRS_CHOICES)}",
            zh=f"未知输出坐标系 {crs!r}；可选：{'、'.join(CRS_CHOICES)}",
        )


def reproject(frame: gpd.GeoDataFrame, crs: str) -> gpd.GeoDataFrame:
    """``frame`` (WGS84) in ``crs``: an EPSG code for wgs84 / cgcs2000 / cgcs2000_gk120, or GCJ-02
    coordinates (labelled EPSG:4326 lon/lat: GCJ-02 has no registered CRS)."""
    _require_crs(crs)
    if crs == "gcj02":
        return convert_frame(frame, source="wgs84", target="gcj02")
    return frame.to_crs(CRS_CHOICES[crs])


# ---------------------------------------------------------------- writers


SHP_RENAMES = {
    "area_published_km2": "area_pub",
    "land_published_km2": "land_pub",
    "land_area_km2": "land_km2",
    "water_area_km2": "water_km2",
    "area_in_suzhou_km2": "area_km2",
    "area_source": "area_src",
    "land_source": "land_src",
    "source_datum": "src_datum",
    "source_url": "src_url",
    "coord_source": "coord_src",
    "coord_source_kind": "coord_kind",
    "source_kind": "src_kind",
    "sub_area_id": "sub_area",
    "plan_section": "plan_sec",
    "facility_id": "fac_id",
    "footprint_land_km2": "fp_km2",
    "members_land_km2": "memb_km2",
}
DBF_TEXT_BYTES = 254


def _byte_chunks(text: str, limit: int = DBF_TEXT_BYTES) -> list[str]:
    """Split ``text`` into pieces of at most ``limit`` UTF-8 bytes, never inside a character and
    never next to a space (DBF pads fields with spaces and readers strip them at both ends)."""
    pieces, start = [], 0
    while len(text[start:].encode("utf-8")) > limit:
        end, size = start, 0
        while size + len(text[end].encode("utf-8")) <= limit:
            size += len(text[end].encode("utf-8"))
            end += 1
        cut = end
        while cut > start + 1 and (text[cut - 1].isspace() or text[cut].isspace()):
            cut -= 1
        if cut == start + 1 and (text[cut - 1].isspace() or text[cut].isspace()):
            cut = end  # a run of spaces longer than a field: nothing better
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def shapefile_ready(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Shapefile limits without losing data: names cut to 10 characters (SHP_RENAMES), and text
    longer than a DBF field (254 bytes) continued in extra fields ``<name>_2``, ``<name>_3``..."""
    out = frame.rename(columns={k: v for k, v in SHP_RENAMES.items() if k in frame.columns})
    for column in [c for c in out.columns if c != out.geometry.name]:
        values = out[column]
        if not (values.dtype == object or pd.api.types.is_string_dtype(values)):
            continue
        chunks = values.fillna("").astype(str).map(_byte_chunks)
        extra = chunks.map(len).max()
        if extra > 1:
            out[column] = chunks.map(lambda parts: parts[0])
            position = list(out.columns).index(column)
            for k in range(2, extra + 1):
                out.insert(
                    position + k - 1,
                    f"{column[:7]}_{k}",
                    chunks.map(lambda parts, k=k: parts[k - 1] if len(parts) >= k else ""),
                )
    return out


def shapefile_restore(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Undo :func:`shapefile_ready`: rejoin continued text fields and restore the long names."""
    out = frame.copy()
    for column in list(out.columns):
        k = 2
        while f"{column[:7]}_{k}" in out.columns:
            out[column] = out[column].fillna("") + out[f"{column[:7]}_{k}"].fillna("")
            out = out.drop(columns=f"{column[:7]}_{k}")
            k += 1
    return out.rename(columns={v: k for k, v in SHP_RENAMES.items()})


def check_data_request(fmt: str, crs: str) -> str:
    """Refuse an impossible format/CRS pair before any work; return the file name it will have."""
    if fmt not in DATA_FORMATS:
        raise ExportError(
            f"unknown data format {fmt!r}; choose one of {', '.join(DATA_FORMATS)}",
            zh=f"未知数据格式 {fmt!r}；可选：{'、'.join(DATA_FORMATS)}",
        )
    if fmt == "geojson" and crs not in ("wgs84", "gcj02"):
        raise ExportError(
            "GeoJSON (RFC 7946) holds WGS84 longitude/latitude only; choose GeoPackage or "
            "Shapefile for a projected CRS such as EPSG:4549",
            zh="GeoJSON（RFC 7946）只能存 WGS84 经纬度；投影坐标系（如 EPSG:4549）请选 GeoPackage 或 Shapefile",
        )
    _require_crs(crs)
    stem = f"suzhou_atlas_{crs}"
    return {
        "csv": f"{stem}_csv.zip",
        "xlsx": f"{stem}.xlsx",
        "gpkg": f"{stem}.gpkg",
        "geojson": f"{stem}_geojson.zip",
        "shp": f"{stem}_shp.zip",
    }[fmt]


def _as_table(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """A layer as a plain table: point layers keep their coordinates as columns, others lose geometry."""
    geometry = frame.geometry
    if len(frame) and geometry.dropna().geom_type.eq("Point").all():
        table = pd.DataFrame(frame.drop(columns=geometry.name))
        geographic = frame.crs.is_geographic
        present = geometry.notna() & ~geometry.is_empty
        table["lon" if geographic else "x_m"] = geometry.x.where(present).round(7 if geographic else 2)
        table["lat" if geographic else "y_m"] = geometry.y.where(present).round(7 if geographic else 2)
        return table
    return pd.DataFrame(frame.drop(columns=geometry.name))


def export_data(
    atlas, fmt: str, crs: str = "wgs84", *, extra_layers: dict[str, gpd.GeoDataFrame] | None = None
) -> tuple[str, bytes]:
    """Write the layout's layers and tables as ``fmt`` in ``crs``; return (file name, bytes).

    ``extra_layers`` (WGS84) are written beside the layout's own, e.g. a planner's classified
    point table (every row, rejected ones without geometry) and imported boundaries. A scenario's
    data say so in every format: the file name starts ``scenario_`` and its table goes along.
    """
    check_data_request(fmt, crs)
    spatial = {name: reproject(frame, crs) for name, frame in layers_for_export(atlas).items()}
    clash = sorted(set(extra_layers or {}) & set(spatial))
    if clash:
        raise ExportError(
            f"extra layer names clash with the layout's: {', '.join(clash)}",
            zh=f"附加图层名与布局图层重名：{'、'.join(clash)}",
        )
    spatial.update({name: reproject(frame, crs) for name, frame in (extra_layers or {}).items()})
    tables = tables_for_export(atlas)
    stem = f"{'scenario_' if 'scenario' in tables else ''}suzhou_atlas_{crs}"
    return _WRITERS[fmt](spatial, tables, stem)


def _write_csv(spatial: dict, tables: dict, stem: str) -> tuple[str, bytes]:
    files = {f"{name}.csv": csv_bytes(table) for name, table in tables.items()}
    files.update(
        {f"{name}.csv": csv_bytes(_as_table(frame)) for name, frame in spatial.items() if name not in SHAPE_ONLY_LAYERS}
    )
    return f"{stem}_csv.zip", zip_bytes(files)


def _write_xlsx(spatial: dict, tables: dict, stem: str) -> tuple[str, bytes]:
    sheets = {name: _as_table(frame) for name, frame in spatial.items() if name not in SHAPE_ONLY_LAYERS}
    return f"{stem}.xlsx", xlsx_bytes({**sheets, **tables})


def _write_gpkg(spatial: dict, tables: dict, stem: str) -> tuple[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / f"{stem}.gpkg"
        for name, frame in spatial.items():
            frame.to_file(target, layer=name, driver="GPKG", engine="pyogrio")
        if "scenario" in tables:
            pyogrio.write_dataframe(tables["scenario"], target, layer="scenario", driver="GPKG")
        return target.name, target.read_bytes()


def _write_geojson(spatial: dict, tables: dict, stem: str) -> tuple[str, bytes]:
    files = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, frame in spatial.items():
            path = Path(tmp) / f"{name}.geojson"
            frame.to_file(path, driver="GeoJSON", engine="pyogrio", layer_options={"RFC7946": "YES"})
            files[path.name] = path.read_bytes()
    if "scenario" in tables:
        files["scenario.csv"] = csv_bytes(tables["scenario"])
    return f"{stem}_geojson.zip", zip_bytes(files)


def _write_shp(spatial: dict, tables: dict, stem: str) -> tuple[str, bytes]:
    files = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, frame in spatial.items():
            shapefile_ready(frame).to_file(
                folder / f"{name}.shp", driver="ESRI Shapefile", engine="pyogrio", encoding="UTF-8"
            )
            for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
                part = folder / f"{name}{suffix}"
                if part.exists():
                    files[part.name] = part.read_bytes()
    if "scenario" in tables:
        files["scenario.csv"] = csv_bytes(tables["scenario"])
    return f"{stem}_shp.zip", zip_bytes(files)


_WRITERS = {"csv": _write_csv, "xlsx": _write_xlsx, "gpkg": _write_gpkg, "geojson": _write_geojson, "shp": _write_shp}
assert set(_WRITERS) == set(DATA_FORMATS)  # one writer per format offered


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(
                zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), content, compress_type=zipfile.ZIP_DEFLATED
            )
    return buffer.getvalue()
