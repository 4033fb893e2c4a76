"""One add_metric_value call commits one page (the point, in its series' tail);
readers and the file left on close still see exact summaries."""

import math
import sqlite3

from conftest import assert_summaries_consistent
from mldb import Database


def frames_written(db, fn):
    db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    fn()
    return db.connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1]


def test_about_one_page_per_call_as_a_plain_insert(db_path):
    with Database(db_path) as db:
        db.add_metric_value("e", "loss", 0, 1.0)
        calls = 640

        def log():
            for s in range(1, calls + 1):
                db.add_metric_value("e", "loss", s, 1 / s)

        # A raw one-insert-per-commit loop writes ~1.4 frames per row (page splits included); an eager series update wrote 2+.
        assert frames_written(db, log) < 1.6 * calls
        assert db.get_series("e")[0]["count"] == calls + 1


def test_run_log_of_one_value_takes_the_same_one_page_path(db_path):
    with Database(db_path) as db:
        run = db.start_run(name="r")
        run.log({"loss": 1.0})
        calls = 640

        def log():
            for s in range(calls):
                run.log({"loss": 1 / (s + 1)})

        assert frames_written(db, log) < 1.6 * calls
        summary = db.get_series("r")[0]
        assert (summary["count"], summary["last_step"]) == (calls + 1, calls)
        run.finish()


def test_another_connection_reads_exact_summaries_while_points_are_in_the_tail(db_path):
    with Database(db_path) as db:
        values = []
        for s in range(100):
            v = math.nan if s == 70 else math.inf if s == 80 else -math.inf if s == 90 else s / 10
            values.append(v)
            db.add_metric_value("e", "acc", s, v, split="valid")
        with Database(db_path) as reader:
            summary = reader.get_series("e")[0]
            assert (summary["count"], summary["last_step"], summary["min"], summary["max"], summary["nan_count"]) == (
                100, 99, -math.inf, math.inf, 1)
            assert summary["last"] == 9.9
            assert [e["name"] for e in reader.list_experiments(where="count(metrics.valid/acc) = 100")] == ["e"]
            db.add_metric_value("e", "acc", 100, -5.0, split="valid")
            db.add_metric_value("e", "acc", 50, 7.0, split="valid")
            db.add_metric_value("e", "acc", 100, 3.0, split="valid")
            summary = reader.get_series("e")[0]
            assert (summary["count"], summary["last_step"], summary["last"]) == (103, 100, 3.0)
    assert_summaries_consistent(db_path)
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT count, tail FROM series").fetchall() == [(103, 0)]
    finally:
        conn.close()
