"""list_experiments checks its arguments as TypeScript's listExperiments does:
ValidationError, never a ValueError/TypeError from int() or sqlite3."""

import pytest

from mldb import Database, ValidationError


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"limit": 1.5}, "limit must be an integer >= 0, got 1.5"),
        ({"limit": float("nan")}, "limit must be an integer >= 0, got NaN"),
        ({"limit": -1}, "limit must be an integer >= 0, got -1"),
        ({"limit": "10"}, 'limit must be an integer >= 0, got "10"'),
        ({"offset": True}, "offset must be an integer >= 0, got true"),
        ({"name": 5}, "name must be a string, got 5"),
        ({"status": {}}, "status must be a string, got {}"),
        ({"project": {}}, "project name must be a string"),
        ({"where": 42}, "where must be a string"),
        ({"order_by": 3}, 'order_by must be a string such as "metrics.valid/loss desc", got 3'),
    ],
)
def test_list_experiments_refuses_bad_arguments(db_path, kwargs, message):
    with Database(db_path) as db:
        db.set_exp_status("e", "COMPLETE")
        with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
            db.list_experiments(**kwargs)
        assert [e["name"] for e in db.list_experiments(limit=1, offset=0)] == ["e"]
