"""start_run / Run: log, finish, fail, heartbeat, and the status a dying script leaves."""

import sqlite3
import time

import pytest
from conftest import run_python

from mldb import Database, ValidationError


def test_run_logs_params_and_finishes(db_path):
    with Database(db_path) as db:
        run = db.start_run(name="r1", project="iris", params={"lr": 0.01}, tags={"team": "a"}, notes="n")
        assert db.get_exp_status("r1") == "TRAINING"
        run.log({"loss": 0.5, "acc": 0.8}, split="train")
        run.log({"loss": 0.4})  # next step, no split
        run.log({"loss": 0.3}, step=10, split="train")
        run.log({"loss": 0.2}, split="train")
        run.finish()
        assert db.get_exp_status("r1") == "COMPLETE"
        assert [(p["step"], p["value"]) for p in db.get_loss_values("r1", "train")] == [(0, 0.5), (10, 0.3), (11, 0.2)]
        assert [p["step"] for p in db.get_metric_values("r1", "loss")] == [1]
        (exp,) = db.list_experiments(project="iris")
        assert exp["params"] == {"lr": 0.01} and exp["tags"] == {"team": "a"} and exp["notes"] == "n"


def test_run_name_must_be_new(db_path):
    with Database(db_path) as db:
        db.set_exp_status("taken", "COMPLETE")
        with pytest.raises(ValidationError, match='an experiment named "taken" already exists'):
            db.start_run(name="taken")
        assert db.start_run().name.endswith("_run")


def test_run_context_manager_marks_failed_with_error_in_notes(db_path):
    with Database(db_path) as db:
        with pytest.raises(ZeroDivisionError):
            with db.start_run(name="r") as run:
                run.log({"loss": 1.0})
                1 / 0
        assert db.get_exp_status("r") == "FAILED"
        assert "ZeroDivisionError" in db.get_notes("r")
        with db.start_run(name="ok"):
            pass
        assert db.get_exp_status("ok") == "COMPLETE"


def test_run_fail(db_path):
    with Database(db_path) as db:
        run = db.start_run(name="r")
        run.fail("diverged")
        assert db.get_exp_status("r") == "FAILED" and db.get_notes("r") == "diverged"


def test_heartbeat_thread_keeps_the_run_alive(db_path):
    with Database(db_path) as db:
        run = db.start_run(name="r", heartbeat_s=0.05)
        db.cursor.execute("UPDATE experiments SET heartbeat_at = 0, updated_at = 0")
        db.commit()  # the script's own writes hold the write lock until committed
        assert db.get_exp_status("r") == "LOST"
        deadline = time.time() + 60
        while db.get_exp_status("r") == "LOST" and time.time() < deadline:
            time.sleep(0.05)
        assert db.get_exp_status("r") == "TRAINING"
        run.finish()


@pytest.mark.parametrize(
    "ending, status",
    [("pass", "COMPLETE"), ("raise RuntimeError('boom')", "FAILED"), ("raise KeyboardInterrupt", "KILLED"),
     ("import os, signal; os.kill(os.getpid(), signal.SIGTERM); import time; time.sleep(30)", "KILLED")],
)
def test_a_script_that_ends_without_finish_leaves_a_status(db_path, ending, status):
    code = "from mldb import Database\ndb = Database(%r)\nrun = db.start_run(name='r')\nrun.log({'loss': 1.0})\n%s\n" % (db_path, ending)
    run_python(code)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT STATUS FROM STATUS").fetchone()[0] == status
    conn.close()


def test_a_killed_script_reads_as_lost_later(db_path):
    code = "import os, signal\nfrom mldb import Database\ndb = Database(%r)\ndb.start_run(name='r')\nos.kill(os.getpid(), signal.SIGKILL)\n" % db_path
    run_python(code)
    with Database(db_path) as db:
        assert db.get_exp_status("r") == "TRAINING"
    # a reader a minute and a second later
    with Database(db_path, clock=lambda: time.time_ns() // 1_000_000 + 61_000) as db:
        assert db.get_exp_status("r") == "LOST"


@pytest.mark.parametrize(
    "bad",
    [
        {"params": {"lr": float("nan")}},
        {"params": {"ok": 1, "bad": object()}},
        {"tags": {"t": [1]}},
        {"notes": 42},
        {"params": "lr=0.1"},
    ],
)
def test_a_rejected_run_writes_nothing_and_its_name_can_be_retried(db_path, bad):
    with Database(db_path) as db:
        with pytest.raises(ValidationError):
            db.start_run(name="r", project="p", **bad)
        for table in ("experiments", "projects", "params", "tags", "status_history"):
            rows = db.connection.execute("SELECT * FROM %s" % table).fetchall()
            assert rows == [] or (table == "projects" and [r[1] for r in rows] == ["default"]), table
        run = db.start_run(name="r", project="p", params={"lr": 0.1}, tags={"t": "x"}, notes="n")
        run.finish()
        assert db.get_params("r") == {"lr": 0.1} and db.get_tags("r") == {"t": "x"} and db.get_notes("r") == "n"

