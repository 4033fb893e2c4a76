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
