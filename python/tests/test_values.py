"""NaN and ±inf come back exactly; summaries and blocks stay in step with points."""

import math
import random

from conftest import assert_summaries_consistent, same

from mldb import Database

SPECIAL = [math.nan, math.inf, -math.inf, 0.0, -0.0, 5e-324, 1.7976931348623157e308, 0.1 + 0.2]


def test_nan_and_infinities_round_trip(db_path):
    with Database(db_path) as db:
        for step, v in enumerate(SPECIAL):
            db.add_metric_value("e", "x", step, v)
            db.add_loss_value("e", "train", step, v)
        db.log_batch("e", [{"name": "y", "step": s, "value": v} for s, v in enumerate(SPECIAL)])
    with Database(db_path) as db:
        for name, split in (("x", ""), ("loss", "train"), ("y", "")):
            got = [p["value"] for p in db.get_metric_values("e", name, split=split)]
            assert len(got) == len(SPECIAL) and all(same(a, b) for a, b in zip(got, SPECIAL))
        s = {x["key"]: x for x in db.get_series("e")}["x"]
        assert s["nan_count"] == 1 and s["min"] == -math.inf and s["max"] == math.inf and s["count"] == len(SPECIAL)


def test_nan_last_value_reads_as_nan(db_path):
    with Database(db_path) as db:
        db.add_metric_value("e", "x", 0, 1.0)
        db.add_metric_value("e", "x", 1, math.nan)
        (s,) = db.get_series("e")
        assert math.isnan(s["last"]) and s["min"] == 1.0 and s["nan_count"] == 1


def test_all_nan_series_has_nan_min_and_max(db_path):
    with Database(db_path) as db:
        db.add_metric_value("e", "x", 0, math.nan)
        (s,) = db.get_series("e")
        assert math.isnan(s["min"]) and math.isnan(s["max"])


def test_summaries_and_blocks_match_points_for_any_write_order(db_path):
    rng = random.Random(7)
    with Database(db_path) as db:
        for i in range(700):
            step = rng.randrange(0, 300) if i % 5 == 0 else i
            value = math.nan if i % 11 == 0 else rng.uniform(-1, 1)
            if i % 3 == 0:
                db.add_metric_value("e", "one", step, value)
            db.log_batch("e", [{"name": "many", "step": step + k % 2, "value": value} for k in range(rng.randrange(1, 90))])
    assert_summaries_consistent(db_path)


def blocks(db):
    return db.connection.execute(
        "SELECT first_step, last_step, count, last_value, last_time FROM point_blocks ORDER BY first_step"
    ).fetchall()


def point_time(db, step, seq=0):
    return db.connection.execute("SELECT time FROM points WHERE step = ? AND seq = ?", (step, seq)).fetchone()[0]


def test_a_point_at_or_past_a_blocks_last_step_becomes_its_last_point(db_path):
    with Database(db_path) as db:
        for step in range(64):
            db.add_metric_value("e", "x", step, float(step))
        db.log_batch("e", [{"name": "x", "step": s, "value": float(s)} for s in range(100, 164)])
        assert [b[:4] for b in blocks(db)] == [(0, 63, 64, 63.0), (100, 163, 64, 163.0)]
        # Same step as the block's last: the later-logged point wins, as for the series.
        db.add_metric_value("e", "x", 63, 99.0)
        # In the gap between two blocks: lands in the earlier one and moves its end.
        db.add_metric_value("e", "x", 80, 7.0)
        # A batch of several, in the gap and at the end of the second block.
        db.log_batch("e", [{"name": "x", "step": 90, "value": 9.0, "time": 5}, {"name": "x", "step": 85, "value": 8.0},
                           {"name": "x", "step": 163, "value": math.nan, "time": 6}])
        assert blocks(db) == [(0, 90, 68, 9.0, 5), (100, 163, 65, None, 6)]
        db.add_metric_value("e", "x", 90, -1.0)
        assert blocks(db)[0] == (0, 90, 69, -1.0, point_time(db, 90, 1))
    assert_summaries_consistent(db_path)
