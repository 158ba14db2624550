"""CRS checks shared by spatial functions, with messages that say how to fix the input."""

from __future__ import annotations

from atlas_core.errors import CRSError

PLANNING_CRS = "EPSG:4549"  # CGCS2000 / 3-degree Gauss-Kruger CM 120E


def require_wgs84(frame, *, name: str) -> None:
    """Raise CRSError unless ``frame`` has CRS EPSG:4326."""
    crs = getattr(frame, "crs", None)
    if crs is None:
        raise CRSError(
            f"{name} has no CRS; set it with .set_crs('EPSG:4326') if its coordinates are WGS84 longitude/latitude"
        )
    if crs.to_epsg() != 4326:
        raise CRSError(f"{name} is in {crs.to_string()}, expected EPSG:4326; convert it with .to_crs('EPSG:4326')")
