"""Many writer processes on one file, and kill -9 in the middle of logging."""

import signal
import sqlite3
import subprocess
import sys

from conftest import assert_summaries_consistent, child_env

from mldb import Database

WRITER = """
import sys
from mldb import Database
path, i, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with Database(path) as db:
    for j in range(n):
        db.add_metric_value('shared', 'common', i * n + j, float(j))   # one series for all
        if j % 50 == 0:
            db.log_batch('own-%d' % i, [{'name': 'loss', 'split': 'train', 'step': j + k, 'value': k} for k in range(50)])
    db.set_exp_status('own-%d' % i, 'COMPLETE')
"""


def test_eight_writer_processes_lose_nothing(db_path):
    procs, n = 8, 500
    children = [
        subprocess.Popen([sys.executable, "-c", WRITER, db_path, str(i), str(n)], env=child_env(),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(procs)
    ]
    results = [c.communicate(timeout=600) for c in children]
    assert [c.returncode for c in children] == [0] * procs, [r[1] for r in results]
    assert all("locked" not in err for _, err in results)
    with Database(db_path) as db:
        steps = [p["step"] for p in db.get_metric_values("shared", "common")]
        assert steps == list(range(procs * n))
        for i in range(procs):
            assert db.get_exp_status("own-%d" % i) == "COMPLETE"
            assert len(db.get_loss_values("own-%d" % i, "train")) == n // 50 * 50
    assert_summaries_consistent(db_path)


LOGGER = """
import sys
from mldb import Database
db = Database(sys.argv[1])
step = 0
while True:
    db.add_loss_value('e', 'train', step, step * 0.5)
    if step % 10 == 0:
        db.log_batch('e', [{'name': 'acc', 'step': step, 'value': 1.0}])
    print(step, flush=True)   # the call above has returned
    step += 1
"""


def test_kill_9_loses_no_returned_value(db_path):
    child = subprocess.Popen([sys.executable, "-c", LOGGER, db_path], env=child_env(), stdout=subprocess.PIPE, text=True)
    returned = -1
    try:
        for line in child.stdout:
            returned = int(line)
            if returned >= 400:
                break
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
    assert returned >= 400
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with Database(db_path) as db:
        steps = [p["step"] for p in db.get_loss_values("e", "train")]
        assert steps[: returned + 1] == list(range(returned + 1))
        assert all(p["value"] == p["step"] * 0.5 for p in db.get_loss_values("e", "train"))
    assert_summaries_consistent(db_path)
