"""db.cursor: the script's own SQL is committed on a clean exit and rolled back on an
exception, while each API call is committed when it returns (and refuses to write
while the script's own writes are uncommitted)."""

import sqlite3

import pytest
from conftest import run_python

from mldb import Database, MldbError

INSERT_TAG = "INSERT INTO tags (experiment_id, key, value) SELECT id, 'by', 'cursor' FROM experiments WHERE name = 'e'"


def tags(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT key, value FROM tags").fetchall()
    finally:
        conn.close()


def test_cursor_is_a_real_sqlite3_cursor(db_path):
    with Database(db_path) as db:
        assert isinstance(db.cursor, sqlite3.Cursor)
        db.set_exp_status("e", "COMPLETE")
        db.cursor.execute("SELECT EXP_ID FROM STATUS WHERE STATUS.STATUS = ?", ("COMPLETE",))
        assert db.cursor.fetchall() == [("e",)]


def test_cursor_writes_commit_on_clean_exit(db_path):
    with Database(db_path) as db:
        db.set_exp_status("e", "TRAINING")
        db.cursor.execute(INSERT_TAG)
        assert tags(db_path) == []  # not yet visible to other connections
    assert tags(db_path) == [("by", "cursor")]


def test_cursor_writes_roll_back_on_exception(db_path):
    with pytest.raises(RuntimeError):
        with Database(db_path) as db:
            db.set_exp_status("e", "TRAINING")
            db.cursor.execute(INSERT_TAG)
            raise RuntimeError("boom")
    assert tags(db_path) == []
    with Database(db_path) as db:
        assert db.get_exp_status("e") == "TRAINING"  # the API call had committed


def test_api_values_are_durable_before_the_block_ends(db_path):
    with Database(db_path) as db:
        db.add_loss_value("e", "train", 0, 0.5)
        conn = sqlite3.connect(db_path)
        assert conn.execute("SELECT count(*) FROM LOSS").fetchone()[0] == 1
        conn.close()


def test_api_write_over_uncommitted_cursor_writes_is_refused_until_commit(db_path):
    with Database(db_path) as db:
        db.set_exp_status("e", "TRAINING")
        db.cursor.execute(INSERT_TAG)
        for call in (
            lambda: db.add_loss_value("e", "train", 0, 0.5),  # must not deadlock on our own lock either
            lambda: db.log_batch("e", [{"name": "x", "step": 0, "value": 1.0}]),
            lambda: db.set_exp_status("e", "COMPLETE"),
            lambda: db.set_params("e", {"lr": 0.1}),
            lambda: db.start_run(name="r"),
        ):
            with pytest.raises(MldbError, match=r"db.cursor has uncommitted changes; call db.commit\(\)"):
                call()
        # Reading is fine meanwhile, and sees the script's own writes.
        assert db.get_tags("e") == {"by": "cursor"} and db.get_exp_status("e") == "TRAINING"
        db.commit()
        db.add_loss_value("e", "train", 0, 0.5)
        # Durable when it returns: another connection sees both.
        assert tags(db_path) == [("by", "cursor")]
        conn = sqlite3.connect(db_path)
        try:
            assert conn.execute("SELECT count(*) FROM LOSS").fetchone()[0] == 1
            assert conn.execute("SELECT count(*) FROM experiments").fetchone()[0] == 1  # no run "r"
        finally:
            conn.close()


def test_api_write_works_again_after_rollback(db_path):
    with Database(db_path) as db:
        db.set_exp_status("e", "TRAINING")
        db.cursor.execute(INSERT_TAG)
        with pytest.raises(MldbError):
            db.set_tags("e", {"k": "v"})
        db.rollback()
        db.set_tags("e", {"k": "v"})
    assert tags(db_path) == [("k", "v")]


def test_run_finish_over_uncommitted_cursor_writes_can_be_retried(db_path):
    with Database(db_path) as db:
        run = db.start_run(name="r")
        db.cursor.execute(INSERT_TAG.replace("'e'", "'r'"))
        with pytest.raises(MldbError, match="uncommitted changes"):
            run.finish()
        db.commit()
        run.finish()
        assert db.get_exp_status("r") == "COMPLETE"


def test_uncommitted_cursor_write_is_lost_on_kill_but_api_value_is_not(db_path):
    code = (
        "import os, signal\nfrom mldb import Database\n"
        "db = Database(%r)\n"
        "db.add_loss_value('e', 'train', 0, 0.5)\n"
        "db.cursor.execute(%r)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    ) % (db_path, INSERT_TAG)
    out = run_python(code)
    assert out.returncode != 0
    assert tags(db_path) == []
    with Database(db_path) as db:
        assert [p["value"] for p in db.get_loss_values("e", "train")] == [0.5]
