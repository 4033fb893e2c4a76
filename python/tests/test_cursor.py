"""db.cursor: the script's own SQL is committed on a clean exit and rolled back on an
exception, while each API call is committed when it returns."""

import sqlite3

import pytest
from conftest import run_python

from mldb import Database

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


def test_api_call_inside_script_transaction_joins_it(db_path):
    with Database(db_path) as db:
        db.set_exp_status("e", "TRAINING")
        db.cursor.execute(INSERT_TAG)
        db.add_loss_value("e", "train", 0, 0.5)  # must not deadlock on our own lock
        db.rollback()
        assert tags(db_path) == []
        with pytest.raises(Exception):
            db.get_loss_values("e", "train")


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
