"""Planners' boundary files (GeoJSON, GeoPackage, zipped Shapefile), read from memory and checked.

A boundary layer can be shown as an extra layer, or replace the default units when it matches
all ten of them by code or name, so a bureau can use its own authoritative borders.
"""

from __future__ import annotations

import dataclasses
import io
import posixpath
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from atlas_core.errors import AtlasError, BoundaryError, NeedsCRSError
from layers.corridors import load_corridors
from layers.facilities import listed_places
from layers.units import validate_units
from layers.water import with_land_and_water
from spatial.datum import convert_frame
from spatial.extent import SUZHOU_LAT_RANGE, SUZHOU_LON_RANGE
from spatial.names import resolve_unit
from userdata.limits import check_size, check_zip


@dataclass
class BoundaryReport:
    file_kind: str
    layer: str
    layers: list
    source_crs: str
    encoding: str | None
    features: int = 0
    repaired: int = 0
    dropped: list = field(default_factory=list)  # (feature number, reason en, reason zh)
    matched: dict = field(default_factory=dict)  # feature number -> adcode
    unmatched: list = field(default_factory=list)  # feature numbers that match no unit
    missing_units: list = field(default_factory=list)  # adcodes no feature matched
    match_column: str | None = None
    notes: list = field(default_factory=list)  # (en, zh) about the whole file

    @property
    def can_replace_units(self) -> bool:
        return not self.missing_units and len(set(self.matched.values())) == len(self.matched) and bool(self.matched)


# ---------------------------------------------------------------- reading


def _kind(data: bytes, filename: str) -> str:
    lower = filename.lower()
    if data[:4] == b"PK\x03\x04":
        return "zip"
    if data[:16].startswith(b"SQLite format 3"):
        return "gpkg"
    if lower.endswith((".geojson", ".json")) and data.lstrip()[:1] in (b"{", b"["):
        return "geojson"
    raise BoundaryError(
        f"{filename} is not a GeoJSON, GeoPackage or zipped Shapefile (by its content)",
        zh=f"{filename} 不是 GeoJSON、GeoPackage 或 Shapefile 压缩包（按内容判断）",
    )


def list_layers(data: bytes, filename: str) -> list[str]:
    """Layer names in the upload (several for a GeoPackage or a zip of several Shapefiles). A
    Shapefile in a zip is named by its path in the archive without ".shp" ("2023/乡镇"), so two
    of the same name in different folders stay apart."""
    kind = _kind(data, filename)
    if kind == "zip":
        return [layer for layer, _ in _shapefile_members(data)]
    if kind == "gpkg":
        listed, _ = _quiet_gdal(lambda: pyogrio.list_layers(io.BytesIO(data)))
        return [str(name) for name, _ in listed]
    return [posixpath.splitext(posixpath.basename(filename))[0] or "layer"]


def member_name(member: zipfile.ZipInfo) -> str:
    """A zip member's name as its author wrote it: GBK names without the UTF-8 flag (what Windows
    tools write) decoded as GBK rather than shown as cp437 mojibake; backslashes as folders;
    ".", ".." and leading slashes left out. Only compared and shown, never used as a path."""
    name = member.filename
    if not member.flag_bits & 0x800:
        raw = name.encode("cp437", errors="replace")
        for encoding in ("utf-8", "gb18030"):
            try:
                name = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    parts = [part for part in name.replace("\\", "/").split("/") if part not in ("", ".", "..")]
    return "/".join(parts)


def _opened_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise BoundaryError(
            f"the ZIP file is damaged or incomplete ({exc}); download or copy it again",
            zh=f"ZIP 压缩包已损坏或不完整（{exc}）；请重新下载或复制",
        ) from None


def _shapefile_members(data: bytes) -> list[tuple[str, zipfile.ZipInfo]]:
    """(layer, member) for each .shp in the archive; layer is its cleaned path without ".shp"."""
    with _opened_zip(data) as archive:
        members = check_zip(archive)
    shps = [(member_name(m), m) for m in members]
    shps = [
        (posixpath.splitext(name)[0], m)
        for name, m in shps
        if name.lower().endswith(".shp") and not posixpath.basename(name).startswith(".")
    ]
    if not shps:
        raise BoundaryError("the ZIP holds no .shp file", zh="压缩包中没有 .shp 文件")
    return shps


def _shapefile_parts(data: bytes, layer: str | None) -> tuple[dict, str]:
    """The chosen Shapefile's parts as {suffix: bytes}, found anywhere in the archive (nested
    folders tolerated). Member names are only compared, never used as paths."""
    shps = _shapefile_members(data)
    names = [name for name, _ in shps]
    if layer is None:
        stem = names[0]
    elif layer in names:
        stem = layer
    else:
        raise BoundaryError(
            f"no layer {layer!r}; the archive has {', '.join(names)}",
            zh=f"没有图层 {layer!r}；压缩包内有：{'、'.join(names)}",
        )
    parts = {}
    with _opened_zip(data) as archive:
        for member in archive.infolist():
            base, suffix = posixpath.splitext(member_name(member))
            if base == stem and suffix.lower() in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
                parts[suffix.lower()] = _read_member(archive, member)
    for needed in (".shp", ".shx", ".dbf"):
        if needed not in parts:
            raise BoundaryError(
                f"the Shapefile {stem!r} lacks its {needed} part",
                zh=f"Shapefile {stem!r} 缺少 {needed} 文件",
            )
    return parts, stem


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    try:
        return archive.read(member)
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
        raise BoundaryError(
            f"{member_name(member)!r} in the ZIP file is damaged ({exc}); download or copy the file again",
            zh=f"压缩包中的 {member_name(member)!r} 已损坏（{exc}）；请重新下载或复制该文件",
        ) from None


def dbf_encoding(dbf: bytes) -> str:
    """UTF-8 if the field names and the attribute values decode as UTF-8, else GBK (what Chinese GIS
    software writes). The names count too: a 行政代码 column of ASCII codes has only its name to tell."""
    header_len = int.from_bytes(dbf[8:10], "little") if len(dbf) >= 10 else 0
    names = b"".join(dbf[at : at + 11].split(b"\0", 1)[0] for at in range(32, max(32, header_len - 1), 32))
    try:
        names.decode("utf-8")
        dbf[header_len:].decode("utf-8")
        return "UTF-8"
    except UnicodeDecodeError:
        return "GBK"


def guess_crs(bounds) -> str | None:
    """A guess at the CRS of coordinates without one: degrees, or CGCS2000 Gauss-Krüger metres."""
    minx, miny, maxx, maxy = bounds
    if minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90:
        return "EPSG:4326"
    if minx >= 200_000 and maxx <= 800_000 and miny >= 3_000_000 and maxy <= 4_000_000:
        return "EPSG:4549"  # 3-degree zone, CM 120E, no zone prefix
    if minx >= 40_200_000 and maxx <= 40_800_000 and miny >= 3_000_000 and maxy <= 4_000_000:
        return "EPSG:4528"  # 3-degree zone 40 (CM 120E), zone number prefixed
    return None


def read_boundaries(
    data: bytes,
    filename: str,
    *,
    layer: str | None = None,
    crs: str | None = None,
    datum: str = "wgs84",
    max_bytes: int | None = None,
) -> tuple[gpd.GeoDataFrame, BoundaryReport]:
    """Read, repair and convert to WGS84 a boundary upload; report what was repaired or dropped.

    ``crs`` is needed only when the file does not carry one (a Shapefile without .prj);
    ``datum='gcj02'`` says lon/lat came from Amap/Tencent and must be shifted back.
    """
    check_size(len(data), max_bytes)
    kind = _kind(data, filename)
    layers = list_layers(data, filename)
    encoding = None
    notes: list = []
    if kind == "zip":
        parts, name = _shapefile_parts(data, layer)
        if ".cpg" in parts:
            encoding = parts[".cpg"].decode("ascii", "ignore").strip() or None
        else:
            encoding = dbf_encoding(parts[".dbf"])
        rebuilt = io.BytesIO()
        with zipfile.ZipFile(rebuilt, "w") as archive:
            for suffix, content in parts.items():
                if suffix != ".cpg":
                    archive.writestr(f"layer{suffix}", content)
        frame = _read(rebuilt.getvalue(), None, encoding=encoding, notes=notes)
        layer_name = name
    else:
        if layer is not None and layer not in layers:
            raise BoundaryError(
                f"no layer {layer!r}; the file has {', '.join(layers)}",
                zh=f"没有图层 {layer!r}；文件中有：{'、'.join(layers)}",
            )
        layer_name = layer or layers[0]
        frame = _read(data, layer_name if kind == "gpkg" else None, notes=notes)
    if crs:  # the planner's word wins over the file's
        frame = frame.set_crs(crs, allow_override=True)
    elif frame.crs is None:
        raise NeedsCRSError(guess_crs(frame.total_bounds) if len(frame) else None, layer_name)
    elif not _near_suzhou(frame).any():  # e.g. metres in a GeoJSON, which is read as degrees
        raise NeedsCRSError(guess_crs(frame.total_bounds), layer_name, declared=frame.crs.to_string())
    report = BoundaryReport(
        file_kind=kind,
        layer=layer_name,
        layers=layers,
        source_crs=frame.crs.to_string(),
        encoding=encoding,
        features=len(frame),
        notes=notes,
    )
    frame = _repair(frame, report)
    frame = _drop_far_features(frame, report)
    frame = frame.to_crs(4326)
    if datum != "wgs84":
        frame = convert_frame(frame, source=datum, target="wgs84")
    return frame, report


def _near_suzhou(frame: gpd.GeoDataFrame) -> np.ndarray:
    """Per feature: do its WGS84 bounds overlap Suzhou's extent (with its margin)? False for a
    feature whose coordinates cannot be in the frame's CRS (or cannot be converted)."""
    bounds = frame.geometry.bounds.to_numpy()
    finite = np.isfinite(bounds).all(axis=1)
    if frame.crs is not None and frame.crs.is_geographic:
        plausible = (np.abs(bounds[:, [0, 2]]) <= 180).all(axis=1) & (np.abs(bounds[:, [1, 3]]) <= 90).all(axis=1)
        finite &= plausible
    near = np.zeros(len(frame), dtype=bool)
    if finite.any():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            box = frame.loc[finite].geometry.envelope.to_crs(4326).bounds.to_numpy()
        (lon0, lon1), (lat0, lat1) = SUZHOU_LON_RANGE, SUZHOU_LAT_RANGE
        near[finite] = (box[:, 0] <= lon1) & (box[:, 2] >= lon0) & (box[:, 1] <= lat1) & (box[:, 3] >= lat0)
    return near


def _drop_far_features(frame: gpd.GeoDataFrame, report: BoundaryReport) -> gpd.GeoDataFrame:
    """Drop (and report) the features nowhere near Suzhou, so none can stand in for a unit."""
    near = _near_suzhou(frame) if len(frame) else np.zeros(0, dtype=bool)
    if not len(frame) or near.all():
        return frame
    if not near.any():
        raise NeedsCRSError(guess_crs(frame.total_bounds), report.layer, declared=report.source_crs)
    lon, lat = SUZHOU_LON_RANGE, SUZHOU_LAT_RANGE
    for number in frame.loc[~near, "feature"]:
        report.dropped.append(
            (
                int(number),
                f"outside Suzhou's extent (lon {lon[0]}–{lon[1]}, lat {lat[0]}–{lat[1]}) in {report.source_crs}",
                f"按 {report.source_crs} 解读不在苏州范围内（经度 {lon[0]}–{lon[1]}，纬度 {lat[0]}–{lat[1]}）",
            )
        )
    report.dropped.sort()
    return frame.loc[near].copy()


def _quiet_gdal(action):
    """Run a pyogrio call, turning GDAL's warnings into notes for the report instead of noise."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = action()
    notes = []
    for warning in caught:
        text = str(warning.message)
        if "Non closed ring" in text:
            notes.append(
                (
                    "some polygon rings were not closed; they were closed automatically",
                    "部分多边形的环未闭合，已自动闭合",
                )
            )
    return result, notes


def _read(data: bytes, layer: str | None, encoding: str | None = None, notes: list | None = None) -> gpd.GeoDataFrame:
    try:
        frame, found = _quiet_gdal(
            lambda: pyogrio.read_dataframe(io.BytesIO(data), layer=layer, encoding=encoding, on_invalid="fix")
        )
    except Exception as exc:  # GDAL reports many kinds of broken input
        raise BoundaryError(f"the file cannot be read: {exc}", zh=f"无法读取该文件：{exc}") from None
    if notes is not None:
        notes.extend(n for n in found if n not in notes)
    if frame.geometry.isna().all() or len(frame) == 0:
        raise BoundaryError("the layer has no geometries", zh="该图层没有几何要素")
    for column in frame.columns:
        if column != frame.geometry.name and frame[column].dtype == object:
            frame[column] = frame[column].map(lambda v: v if v is None or isinstance(v, str) else str(v))
    return frame


def _repair(frame: gpd.GeoDataFrame, report: BoundaryReport) -> gpd.GeoDataFrame:
    """Keep polygons; repair invalid ones (counted); drop empty, non-polygon or non-finite features
    (reported)."""
    geoms = frame.geometry.values
    keep = np.ones(len(frame), dtype=bool)
    fixed: list = []
    non_finite = _non_finite(geoms)
    for i, geom in enumerate(geoms):
        number = i + 1
        if geom is None or geom.is_empty:
            keep[i] = False
            report.dropped.append((number, "empty geometry", "几何为空"))
            fixed.append(None)
            continue
        if i in non_finite:  # GEOS cannot test or repair these: it raises
            keep[i] = False
            report.dropped.append(
                (number, "a vertex is not a number (NaN or infinite)", "有顶点坐标为非数值（NaN 或无穷大）")
            )
            fixed.append(None)
            continue
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
            report.repaired += 1
        polygonal = _polygonal(geom)
        if polygonal is None:
            keep[i] = False
            report.dropped.append((number, f"not a polygon ({geom.geom_type})", f"不是面要素（{geom.geom_type}）"))
        fixed.append(polygonal)
    out = frame.set_geometry(gpd.GeoSeries(fixed, index=frame.index, crs=frame.crs))
    out.insert(0, "feature", np.arange(1, len(frame) + 1))
    return out.loc[keep].copy()


def _non_finite(geoms) -> set[int]:
    """Positions of the geometries with a NaN or infinite coordinate."""
    coords, owner = shapely.get_coordinates(np.asarray(geoms, dtype=object), return_index=True)
    return {int(i) for i in np.unique(owner[~np.isfinite(coords).all(axis=1)])}


def _polygonal(geom):
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    if geom.geom_type == "GeometryCollection":
        parts = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty]
        return shapely.union_all(parts) if parts else None
    return None


# ---------------------------------------------------------------- matching to the default units


def match_units(frame: gpd.GeoDataFrame, units: pd.DataFrame, report: BoundaryReport) -> BoundaryReport:
    """Match features to the ten units by a code column (6 digits) or a name column (any alias)."""
    best: tuple[int, str | None, dict] = (0, None, {})
    for column in [c for c in frame.columns if c not in ("feature", frame.geometry.name)]:
        found = {}
        for number, value in zip(frame["feature"], frame[column], strict=True):
            text = "" if value is None else str(value).strip()
            if not text:
                continue
            code = text[:6] if text[:6].isdigit() and text[:6] in set(units["adcode"]) else None
            if code is None:
                try:
                    code = resolve_unit(text, units)
                except AtlasError:
                    continue
            found[int(number)] = code
        if len(found) > best[0]:
            best = (len(found), column, found)
    _, column, found = best
    report.match_column = column
    report.matched = found
    report.unmatched = [int(n) for n in frame["feature"] if int(n) not in found]
    report.missing_units = [c for c in units["adcode"] if c not in set(found.values())]
    return report


def replace_units(atlas, frame: gpd.GeoDataFrame, report: BoundaryReport):
    """The atlas with its ten units' borders replaced by the matched features (zones rebuilt)."""
    if not report.can_replace_units:
        raise BoundaryError(
            "the boundaries can replace the default units only when each of the ten units is matched exactly "
            f"once; missing: {', '.join(report.missing_units) or '-'}",
            zh=f"只有十个单元都各匹配到一次时才能替换默认边界；未匹配：{'、'.join(report.missing_units) or '无'}",
        )
    by_code = {code: frame.loc[frame["feature"] == number].geometry.iloc[0] for number, code in report.matched.items()}
    units = atlas.units.copy()
    units["geometry"] = [by_code[code] for code in units["adcode"]]
    units = gpd.GeoDataFrame(units, geometry="geometry", crs=4326)
    units["boundary_precision"] = "user supplied"
    validate_units(units, source="uploaded boundaries")
    units = with_land_and_water(units, atlas.water)  # the bureau's borders measured against the same water
    return dataclasses.replace(
        atlas,
        units=units,
        corridors=load_corridors(units, atlas.members, atlas.water),
        places=listed_places(atlas.facilities, atlas.sub_areas, units),  # unit badges follow the new labels
    )
