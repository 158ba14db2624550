"""The media type of every kind of file the atlas offers or embeds, by its extension: one map for
the download buttons, the CLI and the self-contained HTML map."""

from __future__ import annotations

MEDIA_TYPES = {
    "png": "image/png",
    "gif": "image/gif",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "zip": "application/zip",
    "html": "text/html",
    "json": "application/json",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "gpkg": "application/geopackage+sqlite3",
    "geojson": "application/geo+json",
}
FALLBACK = "application/octet-stream"


def media_type(name: str) -> str:
    """The media type of a file name or a bare extension.

    >>> media_type("figure.svg"), media_type("pdf"), media_type("notes.unknown")
    ('image/svg+xml', 'application/pdf', 'application/octet-stream')
    """
    return MEDIA_TYPES.get(name.rsplit(".", 1)[-1].lower(), FALLBACK)
