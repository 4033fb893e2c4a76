"""durability="process" (kill -9) or "power" (a power cut too), as in TypeScript."""

import json
import os

import pytest

from mldb import Database
from mldb.errors import ConfigError, ValidationError


def synchronous(db):
    return db.connection.execute("PRAGMA synchronous").fetchone()[0]


def test_defaults_to_process_and_power_commits_with_synchronous_full(db_path):
    with Database(db_path) as plain, Database(db_path, durability="power") as power:
        assert (plain.durability, synchronous(plain)) == ("process", 1)
        assert (power.durability, synchronous(power)) == ("power", 2)
        for s in range(100):
            power.add_metric_value("e", "loss", s, 1 / (s + 1))
        assert plain.get_series("e")[0]["count"] == 100


def test_reads_durability_from_the_config_file_and_the_keyword_wins(tmp_path):
    with open(os.path.join(os.environ["HOME"], ".mldb_config.json"), "w") as f:
        json.dump({"db_path": str(tmp_path / "c.db"), "durability": "power"}, f)
    with Database() as db:
        assert (db.durability, synchronous(db)) == ("power", 2)
    with Database(durability="process") as db:
        assert synchronous(db) == 1


def test_refuses_anything_else(tmp_path):
    with pytest.raises(ValidationError, match='durability must be "process".*or "power"'):
        Database(str(tmp_path / "a.db"), durability="disk")
    with open(os.path.join(os.environ["HOME"], ".mldb_config.json"), "w") as f:
        json.dump({"durability": "fsync"}, f)
    with pytest.raises(ConfigError, match='"durability" in .* must be "process"'):
        Database(str(tmp_path / "b.db"))
