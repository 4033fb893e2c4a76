"""Database(clock=...): the time a connection writes and reads LOST by, so a test moves
time on instead of editing the file's columns (as TypeScript's `clock` option)."""

import pytest

from mldb import LOST_AFTER_MS, Database, ValidationError


def test_times_written_and_lost_follow_the_clock(db_path):
    now = [1785748622000]
    with Database(db_path, clock=lambda: now[0]) as db:
        db.set_exp_status("e", "TRAINING")
        db.add_loss_value("e", "train", 0, 0.5)
        e = db.get_experiment("e")
        assert (e["created_at"], e["started_at"], e["heartbeat_at"]) == (now[0],) * 3
        assert db.get_loss_values("e", "train") == [{"step": 0, "time": now[0], "value": 0.5}]

        now[0] += LOST_AFTER_MS + 1
        assert db.get_exp_status("e") == "LOST"
        assert [x["name"] for x in db.list_experiments(where="status = 'LOST'")] == ["e"]
        assert [x["name"] for x in db.list_experiments(status="lost")] == ["e"]

        db.add_loss_value("e", "train", 1, 0.4)  # a sign of life
        assert db.get_exp_status("e") == "TRAINING"
        now[0] += 5000
        db.set_exp_status("e", "COMPLETE")
        start = now[0] - 5000 - LOST_AFTER_MS - 1
        assert [(h["status"], h["time"]) for h in db.get_status_history("e")] == [("TRAINING", start), ("COMPLETE", now[0])]
        assert db.get_experiment("e")["duration_ms"] == LOST_AFTER_MS + 1 + 5000


def test_a_clock_that_is_not_a_function_is_refused(db_path):
    with pytest.raises(ValidationError, match="clock must be a function"):
        Database(db_path, clock=5)
