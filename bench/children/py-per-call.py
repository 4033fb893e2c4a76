"""Python's per-call figure for bench/writer-bench.ts: one add_metric_value per point
into a new file, beside a raw sqlite3 loop (autocommit, one INSERT per commit) into a
plain points table with the same settings. Prints {"api": pts/s, "raw": pts/s}."""

import json
import os
import sqlite3
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "python"))
from mldb import Database  # noqa: E402

folder, points = sys.argv[1], int(sys.argv[2])
chunk = points // 10  # the API and the raw loop take turns, so load bursts hit both alike
db = Database(os.path.join(folder, "py-api.db"))
db.set_exp_status("bench", "TRAINING")
raw = sqlite3.connect(os.path.join(folder, "py-raw.db"), isolation_level=None)
for k in ("page_size", "journal_mode", "synchronous", "wal_autocheckpoint"):
    raw.execute("PRAGMA %s = %s" % (k, db.connection.execute("PRAGMA %s" % k).fetchone()[0]))
raw.execute(
    "CREATE TABLE points (series_id INTEGER NOT NULL, step INTEGER NOT NULL, seq INTEGER NOT NULL DEFAULT 0,"
    " time INTEGER NOT NULL, value REAL, PRIMARY KEY (series_id, step, seq)) WITHOUT ROWID"
)
api_s = raw_s = 0.0
for start in range(0, points, chunk):
    t = time.perf_counter()
    for s in range(start, start + chunk):
        db.add_metric_value("bench", "loss", s, 1 / (s + 1.5))
    api_s += time.perf_counter() - t
    t = time.perf_counter()
    for s in range(start, start + chunk):
        raw.execute(
            "INSERT INTO points (series_id, step, seq, time, value) VALUES (?, ?, 0, ?, ?)",
            (1, s, int(time.time() * 1000), 1 / (s + 1.5)),
        )
    raw_s += time.perf_counter() - t
db.close()
raw.close()
print(json.dumps({"api": points / api_s, "raw": points / raw_s}))
