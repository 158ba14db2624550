"""Suzhou's extent and the checks that use it (in range, lon/lat swapped), vectorised.

The one home of these numbers: query inputs, imported tables and the web map all import
them from here, so a point that looks swapped in one place looks swapped everywhere.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

# Suzhou's extent with a margin, WGS84 degrees (lon, then lat): used to tell swapped or
# far-off input. The two ranges must not overlap, or a swapped pair could also look right.
SUZHOU_LON_RANGE: tuple[float, float] = (119.5, 121.8)
SUZHOU_LAT_RANGE: tuple[float, float] = (30.5, 32.3)

# For web maps, which take (lat, lon) order: the view's centre and the city's bounds
# (south-west, north-east), WGS84 degrees, without the margin above.
SUZHOU_CENTER_LATLON: tuple[float, float] = (31.38, 120.75)
SUZHOU_BOUNDS_LATLON: tuple[tuple[float, float], tuple[float, float]] = ((30.75, 119.90), (32.05, 121.40))


def _between(values: np.ndarray, bounds: tuple[float, float]) -> np.ndarray:
    # NaN compares False, so missing values are never "in".
    return (values >= bounds[0]) & (values <= bounds[1])


def in_extent(lon: npt.ArrayLike, lat: npt.ArrayLike) -> np.ndarray:
    """True where (lon, lat) lies in Suzhou's extent (with a margin); NaN gives False.

    Parameters
    ----------
    lon, lat : array-like of float
        WGS84 (or GCJ-02/BD-09: the offsets are far smaller than the margin) degrees,
        broadcastable shapes.

    Returns
    -------
    numpy.ndarray of bool, the broadcast shape (0-dimensional for scalars).

    Example
    -------
    >>> in_extent([120.6, 121.47], [31.3, 39.9]).tolist()
    [True, False]
    """
    lon_arr, lat_arr = np.asarray(lon, dtype="float64"), np.asarray(lat, dtype="float64")
    return _between(lon_arr, SUZHOU_LON_RANGE) & _between(lat_arr, SUZHOU_LAT_RANGE)


def looks_swapped(lon: npt.ArrayLike, lat: npt.ArrayLike) -> np.ndarray:
    """True where (lon, lat) is outside Suzhou but (lat, lon) would be inside: the values
    were given latitude first. NaN gives False.

    Parameters
    ----------
    lon, lat : array-like of float
        The values as received, degrees, broadcastable shapes.

    Returns
    -------
    numpy.ndarray of bool, the broadcast shape (0-dimensional for scalars).

    Example
    -------
    >>> looks_swapped([31.3, 120.6], [120.6, 31.3]).tolist()
    [True, False]
    """
    return in_extent(lat, lon) & ~in_extent(lon, lat)
