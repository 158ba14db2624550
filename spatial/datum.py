"""Convert coordinates between WGS84, GCJ-02 and BD-09, vectorised, for arrays and geometries.

GCJ-02 ("Mars coordinates", used by Amap/Gaode and Tencent) and BD-09 (Baidu) are
obfuscating offsets applied to WGS84 longitude/latitude, not pyproj CRSs. The forward
offsets follow the published formulas; the inverses are solved exactly by fixed-point
iteration (the forward offset changes by well under a part in a thousand per metre, so
each iteration gains about three decimal digits), which the usual one-step inverse does
not do: it leaves 0.5-2 m of error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

import numpy as np
import shapely

from atlas_core.errors import CoordinateError, DatumError

Datum = Literal["wgs84", "gcj02", "bd09"]
DATUMS: tuple[str, ...] = ("wgs84", "gcj02", "bd09")
# The coordinate systems a planner may say their lon/lat are in. CGCS2000 is kept as its own
# name (reports say what the planner picked) but implies the WGS84 datum: the two agree to a
# few centimetres at planning scale, so no offset is applied.
INPUT_CRS_NAMES: tuple[str, ...] = ("wgs84", "gcj02", "bd09", "cgcs2000")
INPUT_CRS_DATUM: dict[str, str] = {"wgs84": "wgs84", "gcj02": "gcj02", "bd09": "bd09", "cgcs2000": "wgs84"}
INPUT_CRS_EPSG: dict[str, int | None] = {"wgs84": 4326, "gcj02": None, "bd09": None, "cgcs2000": 4490}
# Every spelling accepted, to the input coordinate system it names. The one alias table of the
# project: lookups fold case, full-width forms, spaces, hyphens, underscores and colons first
# (see _alias_key), so "WGS-84", "epsg:4326" and "ＧＣＪ－０２" need no entries of their own.
INPUT_CRS_ALIASES: dict[str, str] = {
    "wgs84": "wgs84",
    "wgs": "wgs84",
    "epsg:4326": "wgs84",
    "4326": "wgs84",
    "gps": "wgs84",
    "osm": "wgs84",
    "tianditu": "wgs84",
    "天地图": "wgs84",
    "cgcs2000": "cgcs2000",
    "cgcs": "cgcs2000",
    "epsg:4490": "cgcs2000",
    "4490": "cgcs2000",
    "国家2000": "cgcs2000",
    "gcj02": "gcj02",
    "gcj": "gcj02",
    "mars": "gcj02",
    "amap": "gcj02",
    "gaode": "gcj02",
    "tencent": "gcj02",
    "高德": "gcj02",
    "腾讯": "gcj02",
    "火星": "gcj02",
    "火星坐标": "gcj02",
    "bd09": "bd09",
    "bd": "bd09",
    "baidu": "bd09",
    "百度": "bd09",
}


def _alias_key(text: str) -> str:
    folded = unicodedata.normalize("NFKC", str(text)).strip().casefold()
    return re.sub(r"[\s\-_:]", "", folded)


_ALIAS_INDEX: dict[str, str] = {_alias_key(alias): name for alias, name in INPUT_CRS_ALIASES.items()}
# Datum names by alias, for callers that only need the offset to undo.
DATUM_ALIASES: dict[str, str] = {alias: INPUT_CRS_DATUM[name] for alias, name in INPUT_CRS_ALIASES.items()}


@dataclass(frozen=True)
class InputCRS:
    """The coordinate system a planner said their lon/lat are in, validated once.

    Attributes
    ----------
    name : str
        What was picked, one of :data:`INPUT_CRS_NAMES` (``"cgcs2000"`` stays ``"cgcs2000"``).
    datum : str
        The offset datum it implies, one of :data:`DATUMS` (``"wgs84"`` for CGCS2000).
    epsg : int or None
        Its EPSG code; None for GCJ-02 and BD-09, which have none.
    """

    name: str
    datum: str
    epsg: int | None


def parse_input_crs(text: str) -> InputCRS:
    """The :class:`InputCRS` that ``text`` names (any spelling in :data:`INPUT_CRS_ALIASES`).

    Raises
    ------
    DatumError
        For a name that matches no alias; the message lists the choices.

    Example
    -------
    >>> parse_input_crs("EPSG:4490")
    InputCRS(name='cgcs2000', datum='wgs84', epsg=4490)
    """
    name = _ALIAS_INDEX.get(_alias_key(text))
    if name is None:
        raise DatumError(
            f"unknown coordinate system {text!r}; expected one of {', '.join(INPUT_CRS_NAMES)} "
            "(WGS84 for GPS/OpenStreetMap/Tianditu, GCJ-02 for Amap/Gaode/Tencent, BD-09 for Baidu, "
            "CGCS2000 for EPSG:4490)",
            zh=f"未知坐标系 {text!r}；可选：{'、'.join(INPUT_CRS_NAMES)}"
            "（GPS/OpenStreetMap/天地图用 WGS84，高德/腾讯用 GCJ-02，百度用 BD-09，国家 2000 用 CGCS2000）",
        )
    return InputCRS(name=name, datum=INPUT_CRS_DATUM[name], epsg=INPUT_CRS_EPSG[name])


# Krasovsky 1940 ellipsoid constants used by the published GCJ-02 formula.
_A_M = 6378245.0
_EE = 0.00669342162296594323
_X_PI = np.pi * 3000.0 / 180.0
# Convergence threshold of the iterative inverses, in degrees (about 1 mm).
_INVERSE_TOLERANCE_DEG = 1e-9
_INVERSE_MAX_ITERATIONS = 30


def normalise_datum(datum: str) -> str:
    """Return the canonical datum name for ``datum`` or raise :class:`DatumError`.

    Accepts common spellings (``"WGS-84"``, ``"amap"``, ``"baidu"``); CGCS2000 is
    treated as WGS84, which is correct to a few centimetres at planning scale.

    >>> normalise_datum("GCJ-02")
    'gcj02'
    """
    name = _ALIAS_INDEX.get(_alias_key(datum))
    if name is not None:
        return INPUT_CRS_DATUM[name]
    raise DatumError(
        f"unknown datum {datum!r}; expected one of {', '.join(DATUMS)} "
        "(WGS84 for GPS/OpenStreetMap/Tianditu, GCJ-02 for Amap/Gaode/Tencent, BD-09 for Baidu)",
        zh=f"未知坐标系 {datum!r}；可选：{'、'.join(DATUMS)}"
        "（GPS/OpenStreetMap/天地图用 WGS84，高德/腾讯用 GCJ-02，百度用 BD-09）",
    )


def _offsets_deg(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 minus WGS84, in degrees, at WGS84 positions."""
    x = lon - 105.0
    y = lat - 35.0
    sqrt_abs_x = np.sqrt(np.abs(x))
    six_pi_x = np.sin(6.0 * x * np.pi)
    two_pi_x = np.sin(2.0 * x * np.pi)
    periodic = (20.0 * six_pi_x + 20.0 * two_pi_x) * 2.0 / 3.0
    d_lat = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * sqrt_abs_x
        + periodic
        + (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
        + (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    )
    d_lon = (
        300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * sqrt_abs_x
        + periodic
        + (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
        + (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    )
    rad_lat = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A_M * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    d_lon = (d_lon * 180.0) / (_A_M / sqrt_magic * np.cos(rad_lat) * np.pi)
    return d_lon, d_lat


def _as_float_arrays(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    lon_arr = np.asarray(lon, dtype="float64")
    lat_arr = np.asarray(lat, dtype="float64")
    if lon_arr.shape != lat_arr.shape:
        raise CoordinateError(f"lon and lat must have the same shape; got {lon_arr.shape} and {lat_arr.shape}")
    return lon_arr, lat_arr


def wgs84_to_gcj02(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Shift WGS84 lon/lat (degrees) into GCJ-02. Applies everywhere it is called:
    callers decide whether a point is in China (the offset is only defined there)."""
    lon_arr, lat_arr = _as_float_arrays(lon, lat)
    d_lon, d_lat = _offsets_deg(lon_arr, lat_arr)
    return lon_arr + d_lon, lat_arr + d_lat


def _inverse(forward, lon: np.ndarray, lat: np.ndarray, *, start) -> tuple[np.ndarray, np.ndarray]:
    """The lon/lat that ``forward`` maps onto (``lon``, ``lat``), by fixed-point iteration from
    ``start``: each step moves by the forward image's error, until it is under the tolerance."""
    x, y = start
    for _ in range(_INVERSE_MAX_ITERATIONS):
        f_lon, f_lat = forward(x, y)
        err_lon, err_lat = f_lon - lon, f_lat - lat
        x, y = x - err_lon, y - err_lat
        worst = np.nanmax(np.abs(np.concatenate([np.ravel(err_lon), np.ravel(err_lat)])), initial=0.0)
        if worst < _INVERSE_TOLERANCE_DEG:
            break
    return x, y


def gcj02_to_wgs84(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Exact inverse of :func:`wgs84_to_gcj02` by fixed-point iteration (to about 1 mm).

    Example
    -------
    >>> import numpy as np
    >>> lon, lat = wgs84_to_gcj02(120.62, 31.30)
    >>> back = gcj02_to_wgs84(lon, lat)
    >>> bool(np.allclose(back, (120.62, 31.30), atol=1e-9))
    True
    """
    g_lon, g_lat = _as_float_arrays(lon, lat)
    return _inverse(wgs84_to_gcj02, g_lon, g_lat, start=(g_lon.copy(), g_lat.copy()))


def gcj02_to_bd09(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Baidu's published BD-09 transform of GCJ-02 lon/lat."""
    x, y = _as_float_arrays(lon, lat)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_gcj02(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Exact inverse of :func:`gcj02_to_bd09` by fixed-point iteration."""
    b_lon, b_lat = _as_float_arrays(lon, lat)
    return _inverse(gcj02_to_bd09, b_lon, b_lat, start=(b_lon - 0.0065, b_lat - 0.006))


_STEPS = {
    ("wgs84", "gcj02"): (wgs84_to_gcj02,),
    ("gcj02", "wgs84"): (gcj02_to_wgs84,),
    ("gcj02", "bd09"): (gcj02_to_bd09,),
    ("bd09", "gcj02"): (bd09_to_gcj02,),
    ("wgs84", "bd09"): (wgs84_to_gcj02, gcj02_to_bd09),
    ("bd09", "wgs84"): (bd09_to_gcj02, gcj02_to_wgs84),
}


def convert_lonlat(lon, lat, *, source: str, target: str) -> tuple[np.ndarray, np.ndarray]:
    """Convert lon/lat arrays (degrees) from datum ``source`` to datum ``target``.

    Parameters
    ----------
    lon, lat : array-like of float
        Longitudes and latitudes in degrees, any matching shape.
    source, target : str
        ``"wgs84"``, ``"gcj02"`` or ``"bd09"`` (aliases accepted, see :func:`normalise_datum`).

    Returns
    -------
    (lon, lat) : tuple of numpy arrays, new objects.

    Raises
    ------
    DatumError
        For an unknown datum name.
    """
    src, dst = normalise_datum(source), normalise_datum(target)
    lon_arr, lat_arr = _as_float_arrays(lon, lat)
    if src == dst:
        return lon_arr.copy(), lat_arr.copy()
    for step in _STEPS[(src, dst)]:
        lon_arr, lat_arr = step(lon_arr, lat_arr)
    return lon_arr, lat_arr


def convert_coords(coords: np.ndarray, *, source: str, target: str) -> np.ndarray:
    """Convert an (N, 2) array of lon/lat pairs; returns a new (N, 2) array."""
    arr = np.asarray(coords, dtype="float64")
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise CoordinateError(f"coords must be an (N, 2) array of lon/lat; got shape {arr.shape}")
    lon, lat = convert_lonlat(arr[:, 0], arr[:, 1], source=source, target=target)
    return np.column_stack([lon, lat])


def convert_geometry(geometry, *, source: str, target: str):
    """Convert shapely geometries (a single one or an array) between datums, vertex by vertex.

    Uses :func:`shapely.transform` so every vertex moves in one vectorised call.
    """
    src, dst = normalise_datum(source), normalise_datum(target)
    return shapely.transform(geometry, lambda xy: convert_coords(xy, source=src, target=dst))


def convert_frame(frame, *, source: str, target: str):
    """Return a copy of a GeoDataFrame/GeoSeries in EPSG:4326 with geometries moved to ``target``.

    The CRS stays EPSG:4326: GCJ-02 and BD-09 have no EPSG code, so a frame shifted into
    them is only for drawing over tiles in that datum, never for storage.
    """
    out = frame.copy()
    if hasattr(out, "geometry") and hasattr(out, "set_geometry"):
        out[out.geometry.name] = convert_geometry(out.geometry.values, source=source, target=target)
        return out
    return out.__class__(convert_geometry(out.values, source=source, target=target), index=out.index, crs=out.crs)
