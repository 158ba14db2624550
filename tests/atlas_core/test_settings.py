"""atlas_core.settings: every setting read and checked in one place, a bad value named, never replaced in silence."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

from atlas_core.errors import SettingsError
from atlas_core.settings import DEFAULT_MAX_UPLOAD_MB, current, read_settings


def test_defaults_when_nothing_is_set(tmp_path):
    settings = read_settings({"ATLAS_DATA_DIR": str(tmp_path)})
    assert settings.max_upload_mb == DEFAULT_MAX_UPLOAD_MB and settings.tianditu_key is None
    assert settings.max_upload_bytes == DEFAULT_MAX_UPLOAD_MB * 1024 * 1024


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0", "-5", "1e3", "2049", "12.5", "fifty", "10**30"])
def test_an_upload_limit_that_is_not_a_whole_number_of_megabytes_in_range_is_refused(tmp_path, value):
    with pytest.raises(SettingsError, match=r"ATLAS_MAX_UPLOAD_MB=.* from 1 to 2048") as info:
        read_settings({"ATLAS_MAX_UPLOAD_MB": value, "ATLAS_DATA_DIR": str(tmp_path)})
    assert "ATLAS_MAX_UPLOAD_MB" in info.value.message("zh") and "整数" in info.value.message("zh")


def test_a_data_dir_that_is_a_file_or_under_a_file_is_refused_with_its_name(tmp_path):
    a_file = tmp_path / "store"
    a_file.write_text("x")
    for value in (a_file, a_file / "below"):
        with pytest.raises(SettingsError, match=r"ATLAS_DATA_DIR=.*is a file") as info:
            read_settings({"ATLAS_DATA_DIR": str(value)})
        assert "应用可写的目录" in info.value.message("zh")


def test_a_missing_data_dir_is_fine_it_is_made_when_needed(tmp_path):
    assert read_settings({"ATLAS_DATA_DIR": str(tmp_path / "a" / "b")}).data_dir == tmp_path / "a" / "b"


def test_every_bad_setting_is_reported_at_once_and_a_key_is_never_echoed(tmp_path):
    (tmp_path / "f").write_text("x")
    env = {"ATLAS_MAX_UPLOAD_MB": "nan", "ATLAS_DATA_DIR": str(tmp_path / "f"), "TIANDITU_KEY": "secret<script>"}
    with pytest.raises(SettingsError) as info:
        read_settings(env)
    assert len(info.value.problems) == 3 and "secret" not in str(info.value)


def test_current_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ATLAS_MAX_UPLOAD_MB", "7")
    assert current().max_upload_mb == 7
    monkeypatch.setenv("ATLAS_MAX_UPLOAD_MB", "inf")
    with pytest.raises(SettingsError):
        current()


def test_the_command_line_check_names_the_variable_and_exits_2(tmp_path):
    env = {"ATLAS_MAX_UPLOAD_MB": "inf", "ATLAS_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "atlas_core.settings"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 2 and "ATLAS_MAX_UPLOAD_MB='inf'" in done.stderr
    env["ATLAS_MAX_UPLOAD_MB"] = "30"
    done = subprocess.run(
        [sys.executable, "-m", "atlas_core.settings", "max_upload_mb"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and done.stdout.strip() == "30"


def test_the_database_settings_are_unset_by_default_and_a_store_url_without_it_means_sqlite(tmp_path):
    settings = read_settings({"ATLAS_DATA_DIR": str(tmp_path)})
    assert settings.db_conninfo is None and settings.store_url is None and settings.db_timeout_s == 300


@pytest.mark.parametrize(
    "value", ["postgresql://reader:s3cret@gis.bureau:5433/onemap", "service=onemap", "host=db dbname=gis user=r"]
)
def test_a_libpq_url_or_connection_string_is_taken_as_given_and_never_shown(tmp_path, value):
    settings = read_settings({"ATLAS_DATA_DIR": str(tmp_path), "ATLAS_DB": value})
    assert settings.db_conninfo == value and "s3cret" not in repr(settings)


def test_a_bad_connection_setting_is_refused_without_quoting_it(tmp_path):
    env = {
        "ATLAS_DATA_DIR": str(tmp_path),
        "ATLAS_DB": "host=db password='s3cret",  # an unterminated quote: libpq cannot parse it
        "ATLAS_STORE_URL": "mysql://admin:s3cret@db/atlas",
        "ATLAS_DB_TIMEOUT_S": "0",
    }
    with pytest.raises(SettingsError) as info:
        read_settings(env)
    text = str(info.value) + info.value.message("zh")
    assert len(info.value.problems) == 3 and "s3cret" not in text
    assert "ATLAS_DB is not accepted" in text and "postgresql://" in text and "ATLAS_DB_TIMEOUT_S='0'" in text


def test_the_command_line_never_prints_a_connection_setting(tmp_path):
    env = {"ATLAS_DATA_DIR": str(tmp_path), "ATLAS_DB": "postgresql://r:s3cret@db/gis", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "atlas_core.settings", "db_conninfo"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 2 and "s3cret" not in done.stdout + done.stderr
