"""Workspace names that look the same are the same name (issue 22 item 3): unique after trimming
and Unicode normalisation (NFC), stored as NFC, found by either form; a store that already holds
two such names keeps both and says so. Each test runs on both backends (``store`` and ``sql``:
tests/store_backends.py)."""

from __future__ import annotations

import unicodedata

import pytest

from workspace.store import BaseStore, StoreError, pack

COMPOSED = "caf\u00e9 规划"  # é as one character
DECOMPOSED = "cafe\u0301 规划"  # e and a combining acute accent
MANIFEST = {"format": "suzhou-atlas-workspace", "version": 1, "layout": None, "view": {}}


def _stored_names(sql) -> list[str]:
    return [name for (name,) in sql("SELECT name FROM workspaces ORDER BY id")]


@pytest.mark.parametrize(("first", "second"), [(COMPOSED, DECOMPOSED), (DECOMPOSED, COMPOSED)])
def test_saving_under_either_form_is_one_workspace_stored_as_nfc(store, sql, first, second):
    one = store.save(first, MANIFEST, {})
    two = store.save(f"  {second} ", MANIFEST, {}, based_on=one.revision)
    assert (one.name, two.name, two.revision) == (COMPOSED, COMPOSED, 2)
    assert _stored_names(sql) == [COMPOSED] and store.names() == [COMPOSED]


@pytest.mark.parametrize("asked", [COMPOSED, DECOMPOSED, f" {DECOMPOSED}  "])
def test_either_form_opens_renames_and_deletes_it(store, asked):
    store.save(DECOMPOSED, MANIFEST, {})
    assert store.load(asked)[2] == 1 and store.manifest(asked)[1] == 1 and store.latest_revision(asked) == 1
    assert store.rename(asked, "新名") == "新名" and store.names() == ["新名"]
    store.rename("新名", asked)
    store.delete(asked)
    assert store.names() == []


def test_a_rename_or_an_import_onto_the_other_form_of_a_taken_name_is_refused_or_numbered(store):
    store.save(COMPOSED, MANIFEST, {})
    store.save("另一个", MANIFEST, {})
    with pytest.raises(StoreError, match="exists already"):
        store.rename("另一个", DECOMPOSED)
    assert store.free_name(DECOMPOSED) == f"{COMPOSED} (2)"
    assert store.import_file(store.export_file(COMPOSED), name=DECOMPOSED).name == f"{COMPOSED} (2)"
    assert store.rename(COMPOSED, DECOMPOSED) == COMPOSED  # its own other form: the same name


def _legacy_store_with_both_forms(store: BaseStore, sql) -> None:
    """Two workspaces whose names differ only in Unicode form, as an older app could save them."""
    store.save("甲", MANIFEST, {})
    store.save("乙", {**MANIFEST, "view": {"corridors": "ring"}}, {})
    sql("UPDATE workspaces SET name = ? WHERE name = '甲'", (COMPOSED,))
    sql("UPDATE workspaces SET name = ? WHERE name = '乙'", (DECOMPOSED,))


def test_a_store_holding_both_forms_already_keeps_both_and_reports_them(store, sql):
    _legacy_store_with_both_forms(store, sql)
    assert sorted(store.names()) == sorted([COMPOSED, DECOMPOSED])
    assert [sorted(group) for group in store.name_clashes()] == [sorted([COMPOSED, DECOMPOSED])]
    assert store.manifest(COMPOSED)[0]["view"] == {} and store.manifest(DECOMPOSED)[0]["view"] == {"corridors": "ring"}
    assert store.save(DECOMPOSED, MANIFEST, {}).revision == 2  # each keeps its own revisions
    assert store.manifest(COMPOSED)[1] == 1
    store.rename(DECOMPOSED, "乙")  # renaming one ends the clash
    assert store.name_clashes() == [] and sorted(store.names()) == sorted([COMPOSED, "乙"])


def test_a_store_with_one_old_decomposed_name_is_found_and_saved_back_as_nfc(store, sql):
    store.save("甲", MANIFEST, {})
    sql("UPDATE workspaces SET name = ?", (DECOMPOSED,))
    assert store.load(COMPOSED)[2] == 1
    assert store.save(COMPOSED, MANIFEST, {}).name == COMPOSED and _stored_names(sql) == [COMPOSED]
    assert unicodedata.is_normalized("NFC", store.names()[0])


@pytest.mark.parametrize("name", ["   ", "\u3000", None])
def test_a_workspace_file_whose_own_name_is_blank_is_imported_under_a_default_name(store, name):
    assert store.import_file(pack({**MANIFEST, "name": name}, {})).name == "workspace"
