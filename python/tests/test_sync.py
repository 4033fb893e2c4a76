"""The Python sender against a server that is not there, and the config it reads:
logging stays local, close() waits at most sync_wait_s and says in one line what is
left and how to send it. (Sending to a real `mldb server` is in test/sync/, where
the server process lives.)"""

import json
import sqlite3

import pytest

from mldb import ConfigError, Database
from mldb.sync import resolve_sync_target

DOWN = "http://127.0.0.1:1"


def test_a_server_that_is_down_keeps_everything_local_and_close_says_what_is_left(tmp_path, capfd):
    path = str(tmp_path / "m.db")
    db = Database(path, server=DOWN, token="t", sync_wait_s=0.5)
    db.set_exp_status("e", "TRAINING")
    for i in range(100):
        db.add_metric_value("e", "acc", i, i / 100)
    db.close()
    err = capfd.readouterr().err.strip().splitlines()
    assert len([l for l in err if "cannot reach" in l]) <= 1
    left = [l for l in err if "not yet on" in l]
    assert len(left) == 1
    assert "100 points" in left[0] and "mldb sync --db " + path in left[0]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM points").fetchone()[0] == 100
    # nothing acknowledged: the outbox still holds the experiment's creation, for `mldb sync`
    assert conn.execute("SELECT count(*) FROM sync_outbox WHERE server = ?", (DOWN + "/",)).fetchone()[0] >= 1
    assert conn.execute("SELECT count(*) FROM sync_series").fetchone()[0] == 0


def test_no_server_means_no_sender(tmp_path, capfd):
    db = Database(str(tmp_path / "m.db"))
    assert db._sync is None
    db.close()
    assert capfd.readouterr().err == ""


def test_server_from_env_config_file_and_off_switch(isolated_home, monkeypatch):
    assert resolve_sync_target() is None
    (isolated_home / ".mldb_config.json").write_text(json.dumps({"server": "http://db:5757", "token": "mldb_x"}))
    assert resolve_sync_target() == ("http://db:5757/", "mldb_x")
    monkeypatch.setenv("MLDB_SERVER", "https://other:1/")
    monkeypatch.setenv("MLDB_TOKEN", "tok")
    assert resolve_sync_target() == ("https://other:1/", "tok")
    assert resolve_sync_target(server="") is None
    monkeypatch.setenv("MLDB_SYNC", "0")
    assert resolve_sync_target() is None


def test_a_server_that_is_not_a_url_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="not an http"):
        Database(str(tmp_path / "m.db"), server="db:5757", token="t")
