"""Where the database is: Database(path) > CONFIG > MLDB_DB_PATH > config file > default."""

import json
import os

import pytest

from mldb import CONFIG, ConfigError, Database, config_file_path, resolve_db_path


def write_config(home, content):
    path = home / ".mldb_config.json"
    path.write_text(content)
    return str(path)


def test_default_is_under_home(isolated_home):
    assert resolve_db_path() == (os.path.join(str(isolated_home), ".mldb", "mldb.db"), "default")
    assert config_file_path() == os.path.join(str(isolated_home), ".mldb_config.json")


def test_precedence(isolated_home, tmp_path, monkeypatch):
    write_config(isolated_home, json.dumps({"db_path": str(tmp_path / "file.db")}))
    assert resolve_db_path() == (str(tmp_path / "file.db"), "config-file")
    monkeypatch.setenv("MLDB_DB_PATH", str(tmp_path / "env.db"))
    assert resolve_db_path() == (str(tmp_path / "env.db"), "env")
    CONFIG["db_path"] = str(tmp_path / "config.db")
    assert resolve_db_path() == (str(tmp_path / "config.db"), "CONFIG")
    assert resolve_db_path(str(tmp_path / "arg.db")) == (str(tmp_path / "arg.db"), "option")


def test_config_amended_by_script_is_used_by_database(tmp_path):
    CONFIG["db_path"] = str(tmp_path / "amended.db")
    with Database() as db:
        db.set_exp_status("e", "TRAINING")
        assert db.path == str(tmp_path / "amended.db")
    assert os.path.exists(str(tmp_path / "amended.db"))


def test_tilde_and_relative_paths(isolated_home, tmp_path, monkeypatch):
    write_config(isolated_home, json.dumps({"db_path": "~/dbs/x.db"}))
    assert resolve_db_path()[0] == os.path.join(str(isolated_home), "dbs", "x.db")
    monkeypatch.chdir(str(tmp_path))
    assert resolve_db_path("rel.db")[0] == str(tmp_path / "rel.db")


@pytest.mark.parametrize("content", ["{not json", "[]", '{"db_path": ""}', '{"path": "/x.db"}', '{"db_path": 3}'])
def test_bad_config_file_names_itself(isolated_home, content):
    file = write_config(isolated_home, content)
    with pytest.raises(ConfigError) as info:
        Database()
    assert file in str(info.value) and info.value.file == file
    assert not os.path.exists(os.path.join(str(isolated_home), ".mldb"))


def test_config_file_without_db_path_uses_the_default(isolated_home):
    write_config(isolated_home, json.dumps({"directions": {"valid/score": "max"}}))
    assert resolve_db_path() == (os.path.join(str(isolated_home), ".mldb", "mldb.db"), "default")


def test_config_file_unknown_key_is_named(isolated_home):
    write_config(isolated_home, json.dumps({"db_pth": "/x.db"}))
    with pytest.raises(ConfigError, match='unknown key "db_pth"'):
        resolve_db_path()
