"""Hostile filters are FilterSyntaxErrors with a column (never RecursionError or
sqlite3.OperationalError), and short forms resolve against the file, as in TypeScript
(test/api/filter-limits.test.ts)."""

import pytest

from mldb import Database, FilterSyntaxError

HOSTILE = [
    ("(" * 3000 + "params.lr = 1" + ")" * 3000, 33),
    ("not " * 1000 + "params.lr = 1", 129),
    (" or ".join(["x = 1"] * 999), 256 * 9 + 1),
    (" or ".join(["params.lr = 1"] * 999), 10_001),
    ("params.lr in (%s)" % ",".join(["1"] * 40_000), 10_001),
    ("params.lr in (%s)" % ",".join(["1"] * 4_000), 15 + 2 * 1000),
    ("min(" * 1000 + "metrics.x" + ")" * 1000 + " < 1", 8),
]


@pytest.fixture
def db(db_path):
    with Database(db_path) as db:
        db.set_params("a", {"lr": 0.01, "both": 1, "model.depth": 3})
        db.set_params("b", {"lr": 0.5, "both": 2, "model.depth": 5})
        db.add_loss_value("a", "valid", 0, 0.2)
        db.add_loss_value("b", "valid", 0, 0.9)
        db.add_metric_value("a", "both", 0, 1)
        yield db


def names(db, **kw):
    return [e["name"] for e in db.list_experiments(**kw)]


@pytest.mark.parametrize("where, column", HOSTILE, ids=["(x3000", "notx1000", "999 or", "999 long or", "in 40000", "in 4000", "min(x1000"])
def test_hostile_filters_name_a_column(db, where, column):
    for call in (lambda: db.list_experiments(where=where), lambda: db.best_experiment("valid/loss", "min", where=where)):
        with pytest.raises(FilterSyntaxError) as info:
            call()
        assert info.value.column == column


def test_filters_up_to_the_limits_run(db):
    assert names(db, where="(" * 32 + "params.lr = 0.01" + ")" * 32) == ["a"]
    assert names(db, where="not " * 31 + "params.lr = 0.5") == ["a"]
    assert names(db, where=" or ".join(["params.lr = 2"] * 255) + " or params.lr = 0.5") == ["b"]
    assert names(db, where="params.lr in (%s, 0.5)" % ",".join(["1"] * 999)) == ["b"]


def test_short_forms(db):
    assert names(db, where="lr < 0.1") == ["a"]
    assert names(db, where="valid/loss > 0.5") == ["b"]
    assert names(db, where="min(valid/loss) < 0.5 and model.depth = 3") == ["a"]
    assert names(db, order_by="valid/loss desc") == ["b", "a"]
    assert names(db, order_by="lr") == ["a", "b"]
    assert db.best_experiment("valid/loss", "min", where="lr > 0.1")["name"] == "b"


def test_short_forms_name_the_candidates(db):
    with pytest.raises(FilterSyntaxError, match=r'^"both" is ambiguous: it names params\.both and metrics\.both') as info:
        db.list_experiments(where="lr < 1 and both = 1")
    assert info.value.column == 12
    with pytest.raises(FilterSyntaxError, match='^unknown field "lrr": no param or series has that name'):
        db.list_experiments(where="lrr < 1")
    with pytest.raises(FilterSyntaxError, match=r'unknown series "lr" in min\(\)'):
        db.list_experiments(where="min(lr) < 1")
    # the caller's own columns, though best adds a condition of its own
    with pytest.raises(FilterSyntaxError) as info:
        db.best_experiment("valid/loss", "min", where="lr < 1 and nope = 1")
    assert info.value.column == 12


def test_dates_are_iso_8601_in_utc(db):
    assert names(db, where="created > '2000-01-01'") == ["b", "a"]
    assert names(db, where="created > '2000-01-01T10:00:00+02:00'") == ["b", "a"]
    for text in ("Aug 3 2026", "2026-02-30", "2026/08/03", "yesterday"):
        with pytest.raises(FilterSyntaxError, match="ISO 8601") as info:
            db.list_experiments(where="created > '%s'" % text)
        assert info.value.column == 1
