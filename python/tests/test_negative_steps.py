"""Steps are any safe integer, negative ones included (MLflow logs step -1 for an
evaluation before training): written, read back in step order, paged past."""

import pytest
from conftest import assert_summaries_consistent
from mldb import Database
from mldb.errors import ValidationError


def steps(points):
    return [p["step"] for p in points]


def test_negative_steps_out_of_order_read_back_in_step_order(db_path):
    with Database(db_path) as db:
        db.add_metric_value("e", "acc", 3, 0.9)
        db.add_metric_value("e", "acc", -1, 0.1)
        db.log_batch("e", [{"name": "acc", "step": 0, "value": 0.5}, {"name": "acc", "step": -5, "value": 0.05}])
        got = db.get_metric_values("e", "acc")
        assert steps(got) == [-5, -1, 0, 3]
        assert [p["value"] for p in got] == [0.05, 0.1, 0.5, 0.9]
        (s,) = [x for x in db.get_series("e") if x["name"] == "acc"]
        assert (s["count"], s["first_step"], s["last_step"], s["min"], s["max"]) == (4, -5, 3, 0.05, 0.9)
    assert_summaries_consistent(db_path)


def test_after_step_pages_across_negative_steps(db_path):
    with Database(db_path) as db:
        for st in [-(2**53 - 1), -7, -5, -1, 0, 3]:
            db.add_metric_value("e", "loss", st, float(st))
        assert steps(db.get_metric_values("e", "loss", limit=2)) == [-(2**53 - 1), -7]
        assert steps(db.get_metric_values("e", "loss", after_step=-7, limit=2)) == [-5, -1]
        assert steps(db.get_metric_values("e", "loss", after_step=-1)) == [0, 3]
        assert len(db.get_metric_values("e", "loss", after_step=-(2**53))) == 6
        with pytest.raises(ValidationError, match="after_step"):
            db.get_metric_values("e", "loss", after_step=-(2**53) - 1)


def test_blocks_close_over_negative_steps(db_path):
    with Database(db_path) as db:
        for st in range(-150, 50):
            db.add_metric_value("e", "loss", st, float(st))
        db.log_batch("e", [{"name": "loss", "step": -300 + i, "value": -1.0} for i in range(100)])
        assert len(db.get_metric_values("e", "loss")) == 300
        assert steps(db.get_metric_values("e", "loss"))[:2] == [-300, -299]
    assert_summaries_consistent(db_path)
