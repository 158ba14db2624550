import csv
import hashlib
import json

import pytest

import geodata

REQUIRED_FIELDS = (
    "file",
    "title",
    "source",
    "licence",
    "retrieved",
    "original_datum",
    "stored_datum",
    "processing",
    "precision",
    "rows",
    "sha256",
)
DATA_SUFFIXES = (".geojson", ".csv")


def test_every_data_file_has_a_manifest_record():
    recorded = {rec["file"] for rec in geodata.manifest()["datasets"].values()}
    on_disk = {p.name for p in geodata.DATA_DIR.iterdir() if p.suffix in DATA_SUFFIXES}
    assert on_disk == recorded


@pytest.mark.parametrize("name", geodata.list_datasets())
def test_record_matches_its_file(name):
    rec = geodata.manifest()["datasets"][name]
    missing = [f for f in REQUIRED_FIELDS if not rec.get(f) and rec.get(f) != 0]
    assert not missing, f"{name}: empty fields {missing}"
    data = geodata.path(name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == rec["sha256"], f"{name}: file changed; run scripts/update_manifest.py"
    if rec["file"].endswith(".csv"):
        rows = list(csv.reader(data.decode("utf-8").splitlines()))
        assert rows[0] == rec["columns"] and len(rows) - 1 == rec["rows"]
    else:
        feats = json.loads(data)["features"]
        assert len(feats) == rec["rows"] and list(feats[0]["properties"]) == rec["columns"]


def test_unknown_dataset_lists_known_ones():
    with pytest.raises(KeyError, match=r"unknown dataset 'roads'; known: .*units"):
        geodata.path("roads")
