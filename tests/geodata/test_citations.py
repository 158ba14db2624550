"""Every data file cites its documents by source id: no address anywhere in geodata/ but in the
registry of sources (sources.csv) and of their hosts (source_hosts.csv); every id resolves; every
host of the registry is classified."""

from __future__ import annotations

import csv
import json
import re

import pytest

import geodata
from layers.sources import host_of, load_source_hosts, load_sources, read_at_urls, split_ids

REGISTRY = ("sources.csv", "source_hosts.csv")  # the only files that may hold an address
ADDRESS = re.compile(r"https?://", re.IGNORECASE)
DATA_FILES = sorted(p.name for p in geodata.DATA_DIR.iterdir() if p.suffix in (".csv", ".geojson"))


def _is_id_field(name: str) -> bool:
    """A field that names documents of sources.csv: source_id, coord_source_id, area_source_id, source_ids..."""
    return name == "source_id" or name.endswith("_source_id") or name.endswith("source_ids")


def _records(name: str) -> list[dict]:
    """The rows of a CSV file, or the properties of a GeoJSON file's features."""
    path = geodata.DATA_DIR / name
    if name.endswith(".csv"):
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    return [feature["properties"] for feature in json.loads(path.read_text(encoding="utf-8"))["features"]]


def _strings(value) -> list[str]:
    """Every string in a JSON value (keys included)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in (key, *_strings(item))]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


@pytest.mark.parametrize("name", [n for n in DATA_FILES if n not in REGISTRY])
def test_a_data_file_holds_no_address(name):
    found = [
        f"line {pos} {field}: {value[:80]}"
        for pos, record in enumerate(_records(name), start=2)
        for field, value in record.items()
        if isinstance(value, str) and ADDRESS.search(value)
    ]
    assert not found, f"{name} holds addresses (cite a source id of sources.csv instead): {found[:3]}"


def test_the_manifest_holds_no_address():
    found = [text[:80] for text in _strings(geodata.manifest()) if ADDRESS.search(text)]
    assert not found, f"manifest.json holds addresses (name the source ids instead): {found[:3]}"


def test_every_source_id_anywhere_resolves():
    known = set(load_sources()["source_id"])
    cited: dict[str, list[str]] = {}
    for name in DATA_FILES:
        for pos, record in enumerate(_records(name), start=2):
            for field in filter(_is_id_field, record):
                for sid in split_ids(record[field] or ""):
                    cited.setdefault(sid, []).append(f"{name} line {pos} {field}")
    for dataset, record in geodata.manifest()["datasets"].items():
        for sid in record.get("source_ids", []):
            cited.setdefault(sid, []).append(f"manifest {dataset}")
    unknown = {sid: where[:2] for sid, where in cited.items() if sid not in known}
    assert cited and not unknown, unknown


def test_every_host_in_the_registry_is_classified():
    sources, hosts = load_sources(), set(load_source_hosts()["host"])
    addresses = [u for u in sources["url"] if u] + [u for f in sources["read_at"] for u in read_at_urls(f)]
    unclassified = sorted({host_of(u) for u in addresses} - hosts)
    assert addresses and not unclassified, unclassified
