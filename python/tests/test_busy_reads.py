"""Issue 8 item 6, reads under a foreign lock: a read that folds series tails
first (points logged one call at a time) must not wait the full busy timeout
and its retries (a minute) while another process holds the write lock; it
reads without folding and folds once the lock is gone, as TypeScript does."""

import sqlite3
import threading

from mldb import Database


def test_reads_do_not_wait_out_a_foreign_lock_to_fold_tails(db_path):
    writer = Database(db_path)
    for s in range(10):
        writer.add_metric_value("e", "valid/loss", s, 1.0 / (s + 1))
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    other.execute("UPDATE experiments SET notes = 'held'")
    results = {}

    def read():
        try:
            reader = Database(db_path)  # default busy timeout: 10 s, retried 5 times
            results["listed"] = [x["name"] for x in reader.list_experiments()]
            results["series"] = reader.get_series("e")
            results["busy_timeout"] = reader.connection.execute("PRAGMA busy_timeout").fetchone()[0]
            reader.close()
        except Exception as e:  # noqa: BLE001 - reported by the assertion below
            results["error"] = e

    t = threading.Thread(target=read, daemon=True)
    t.start()
    # A hang detector, not a speed check: the fold waits 0.2 s per try; before, a minute.
    t.join(30)
    finished_under_lock = not t.is_alive()
    other.execute("ROLLBACK")
    other.close()
    t.join()
    assert finished_under_lock
    assert "error" not in results, results.get("error")
    assert results["listed"] == ["e"]
    assert results["busy_timeout"] == 10000  # the connection's own timeout is back
    with Database(db_path) as after:
        assert after.get_series("e")[0]["count"] == 10  # folded now that the lock is gone
    writer.close()
