"""The -wal stays bounded (issue 8 item 8), as in the TypeScript client: once a
long reader that kept it from starting over is gone, the next writes cut it back
under the limit."""

import os
import sqlite3

from mldb import Database

LIMIT = 32 * 1024 * 1024


def test_wal_grown_behind_a_reader_is_cut_back_under_the_limit(db_path):
    with Database(db_path) as db:
        db.add_metric_value("e", "loss", 0, 0.0)
        reader = sqlite3.connect(db_path, isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM points").fetchone()
        wal = db_path + "-wal"
        step = 1
        while os.path.getsize(wal) < LIMIT + 8 * 1024 * 1024:
            db.log_batch("e", [{"name": "loss", "step": step + k, "value": float(k)} for k in range(5000)])
            step += 5000
        reader.execute("COMMIT")
        reader.close()
        for k in range(200):
            db.add_metric_value("e", "lr", k, 0.1)
        assert os.path.getsize(wal) <= LIMIT
        assert [s for s in db.get_series("e") if s["key"] == "loss"][0]["count"] == step


def test_connections_set_journal_size_limit(db_path):
    with Database(db_path) as db:
        assert db.connection.execute("PRAGMA journal_size_limit").fetchone()[0] == LIMIT
