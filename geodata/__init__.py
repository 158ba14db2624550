"""Embedded Suzhou data files and their manifest; a tiny loader that lists and locates them."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
MANIFEST_PATH = DATA_DIR / "manifest.json"


@lru_cache(maxsize=1)
def manifest() -> dict:
    """The parsed manifest: ``{"datasets": {name: record}}``."""
    return json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))


def list_datasets() -> list[str]:
    """Names of every dataset the manifest records, sorted."""
    return sorted(manifest()["datasets"])


def path(name: str) -> Path:
    """Path of dataset ``name``; an unknown name raises KeyError listing the known ones."""
    records = manifest()["datasets"]
    if name not in records:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(sorted(records))}")
    return DATA_DIR / records[name]["file"]
