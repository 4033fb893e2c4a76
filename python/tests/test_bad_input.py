"""Bad input raises a typed error naming the thing, and writes nothing."""

import math
import sqlite3

import pytest

from mldb import Database, MldbError, ValidationError

TABLES = ("projects", "experiments", "status_history", "params", "tags", "series", "points", "point_blocks", "file_pointers")


def snapshot(path):
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute("SELECT * FROM %s ORDER BY 1" % t).fetchall() for t in TABLES}
    finally:
        conn.close()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda db: db.set_exp_status("", "TRAINING"), "experiment name is empty"),
        (lambda db: db.set_exp_status(42, "TRAINING"), "experiment name must be a string, got 42"),
        (lambda db: db.set_exp_status("e\n", "TRAINING"), "control characters"),
        (lambda db: db.set_exp_status("x" * 301, "TRAINING"), "the limit is 300"),
        (lambda db: db.set_exp_status("e", "LOST"), "status LOST is derived"),
        (lambda db: db.set_exp_status("e", "lost"), "status LOST is derived"),
        (lambda db: db.set_exp_status("e", " Lost "), "status LOST is derived"),
        (lambda db: db.start_run(name="r", status="lost"), "status LOST is derived"),
        (lambda db: db.set_exp_status("e", None), "status must be a string"),
        (lambda db: db.add_loss_value("e", "a/b", 0, 1.0), 'split "a/b" contains "/"'),
        (lambda db: db.add_loss_value("e", "train", -(2**53), 1.0), "step must be an integer from -9007199254740991 to 9007199254740991"),
        (lambda db: db.add_loss_value("e", "train", 1.5, 1.0), "step must be an integer from"),
        (lambda db: db.add_loss_value("e", "train", True, 1.0), "step must be an integer from"),
        (lambda db: db.add_loss_value("e", "train", 2**53, 1.0), "step must be an integer from"),
        (lambda db: db.add_loss_value("e", "train", 0, "0.5"), 'value of "loss" must be a number'),
        (lambda db: db.add_metric_value("e", "acc", 0, None), 'value of "acc" must be a number'),
        (lambda db: db.add_metric_value("e", "acc", 0, True), 'value of "acc" must be a number'),
        (lambda db: db.add_metric_value("e", "", 0, 1.0), "series name is empty"),
        (lambda db: db.set_params("e", {"lr": float("nan")}), 'param "lr" is NaN; JSON cannot hold NaN or Infinity'),
        (lambda db: db.set_params("e", {"ok": 1, "lr": float("inf")}), 'param "lr" is Infinity'),
        (lambda db: db.set_params("e", {"s": {1, 2}}), 'param "s" cannot be stored as JSON'),
        (lambda db: db.set_params("e", {"d": {1: 2}}), 'param "d" cannot be stored as JSON'),
        (lambda db: db.set_params("e", [("lr", 1)]), "params must be a dict"),
        (lambda db: db.set_tags("e", {"t": [1]}), 'tag "t" must be a string, number or boolean'),
        (lambda db: db.set_notes("e", 5), "notes must be a string"),
        (lambda db: db.add_file("e", "", kind="model"), "file path must be a non-empty string"),
        (lambda db: db.add_file("e", __file__, kind="weights"), "file kind 'weights' is not one of model"),
        (lambda db: db.log_batch("e", [{"name": "a", "step": 0, "value": 1}, {"name": "b", "step": 0, "value": "x"}]), 'value of "b"'),
        (lambda db: db.log_batch("e", "nope"), "log_batch takes a list"),
    ],
)
def test_rejected_call_raises_and_writes_nothing(db_path, call, message):
    with Database(db_path) as db:
        db.set_exp_status("seed", "TRAINING")
        before = snapshot(db_path)
        with pytest.raises(MldbError, match=message.replace("(", r"\(").replace(")", r"\)")) as info:
            call(db)
        assert isinstance(info.value, (ValidationError, MldbError))
        assert snapshot(db_path) == before


def test_validation_errors_are_value_errors(db_path):
    with Database(db_path) as db, pytest.raises(ValueError):
        db.add_loss_value("e", "train", 0, object())


def test_conflicting_param_leaves_other_keys_unwritten(db_path):
    with Database(db_path) as db:
        db.set_params("e", {"lr": 0.1})
        with pytest.raises(ValidationError):
            db.set_params("e", {"batch": 32, "lr": 0.2})
        assert db.get_params("e") == {"lr": 0.1}


def test_trashed_experiment_is_not_reused(db_path):
    with Database(db_path) as db:
        db.set_exp_status("e", "COMPLETE")
        db.connection.execute("UPDATE experiments SET deleted_at = 1")
    with Database(db_path) as db:
        with pytest.raises(ValidationError, match="is in the trash"):
            db.add_loss_value("e", "train", 0, 1.0)


def test_numbers_that_are_not_python_floats_are_accepted(db_path):
    class Scalar:  # like a numpy or torch scalar
        def __float__(self):
            return 0.25

    class Index:
        def __index__(self):
            return 4

    with Database(db_path) as db:
        db.add_metric_value("e", "acc", Index(), Scalar())
        db.add_metric_value("e", "acc", 5.0, 1)
        assert [(p["step"], p["value"]) for p in db.get_metric_values("e", "acc")] == [(4, 0.25), (5, 1.0)]
        assert not math.isnan(db.get_series("e")[0]["min"])
