"""list_experiments(where=, order_by=) and best_experiment: the same fixture and the
same expected names as test/api/listing.test.ts, so both clients read filters alike."""

import math
import sqlite3

import pytest

from mldb import Database, FilterSyntaxError, ValidationError

CONFIGS = [
    ("a", 0.01, "adam", [0.9, 0.5, 0.25], "COMPLETE", "iris"),
    ("b", 0.1, "sgd", [0.8, 0.4, 0.35], "COMPLETE", "iris"),
    ("c", 0.5, "adam", [0.7, 0.2, 0.6], "FAILED", "iris"),
    ("d", 0.05, "sgd", [1, 0.9, 0.1], "TRAINING", "mnist"),
]


@pytest.fixture
def db(db_path):
    with Database(db_path) as db:
        for name, lr, opt, valid, status, project in CONFIGS:
            db.set_exp_status(name, status, project=project)
            db.set_params(name, {"lr": lr, "optimizer": opt})
            for step, v in enumerate(valid):
                db.add_loss_value(name, "valid", step, v)
                db.add_loss_value(name, "train", step, v / 2)
            db.add_metric_value(name, "rmse", 0, lr * 10)
        db.set_tags("a", {"team": "vision"})
        yield db


def names(db, **kw):
    return [e["name"] for e in db.list_experiments(**kw)]


@pytest.mark.parametrize(
    "where, expected",
    [
        ("params.lr < 0.1 and metrics.valid/loss < 0.3 and status = 'COMPLETE'", ["a"]),
        ("params.optimizer = 'adam'", ["c", "a"]),
        ("params.optimizer in ('sgd') or tags.team = 'vision'", ["d", "b", "a"]),
        ("min(metrics.valid/loss) <= 0.2", ["d", "c"]),
        ("max(metrics.valid/loss) >= 1", ["d"]),
        ("not project = 'iris'", ["d"]),
        ("tags.team is null and params.lr >= 0.1", ["c", "b"]),
        ("name like 'a%'", ["a"]),
        ("metrics.train/loss < 0.2 and (params.lr = 0.01 or params.lr = 0.05)", ["d", "a"]),
        # a number never matches a text param, and the other way round
        ("params.optimizer > 0", []),
        ("status = 'complete'", ["b", "a"]),
        ("params.optimizer not in ('sgd')", ["c", "a"]),
        ("name not like 'a%' and tags.team is not null", []),
        ("count(metrics.rmse) = 1 and created > '2000-01-01'", ["d", "c", "b", "a"]),
        ("   ", ["d", "c", "b", "a"]),
    ],
)
def test_where_takes_the_filter_language(db, where, expected):
    assert names(db, where=where) == expected


def test_orders_by_a_series_or_a_param_and_limits(db):
    assert names(db, order_by="metrics.valid/loss") == ["d", "a", "b", "c"]
    assert names(db, order_by="params.lr desc", limit=2) == ["c", "b"]
    assert names(db, order_by="name", limit=2, offset=1) == ["b", "c"]
    assert names(db, where="project = 'iris'", order_by="min(metrics.valid/loss) DESC") == ["b", "a", "c"]


def test_best_experiment_by_the_min_or_max_a_series_reached(db):
    best = db.best_experiment("valid/loss", "min")
    assert (best["name"], best["best"]) == ("d", 0.1)
    best = db.best_experiment("valid/loss", "min", where="status = 'COMPLETE'")
    assert (best["name"], best["best"]) == ("a", 0.25)
    best = db.best_experiment("valid/loss", "max", project="iris")
    assert (best["name"], best["best"]) == ("a", 0.9)
    assert db.best_experiment("nothing/here", "min") is None
    with pytest.raises(ValidationError, match="mode must be 'min' or 'max'"):
        db.best_experiment("valid/loss", "lowest")


def test_points_at_the_column_of_a_syntax_error(db):
    with pytest.raises(FilterSyntaxError) as info:
        db.list_experiments(where="params.lr < 0.1 and and")
    err = info.value
    assert isinstance(err, ValidationError)
    assert (err.column, err.field, err.filter) == (21, "where", "params.lr < 0.1 and and")
    assert str(err) == (
        'unknown field "and"; use params.<key>, metrics.<split>/<name>, tags.<key> or one of name, project, status,'
        " host, notes, created, started, ended, updated, duration at column 21 of filter: params.lr < 0.1 and and"
    )
    with pytest.raises(FilterSyntaxError, match='unknown field "bogus"'):
        db.list_experiments(where="bogus = 1")
    with pytest.raises(FilterSyntaxError, match="unterminated string") as info:
        db.list_experiments(where="name = 'abc")
    assert info.value.column == 8
    with pytest.raises(FilterSyntaxError, match="expected asc, desc or the end") as info:
        db.list_experiments(order_by="params.lr sideways")
    # a sort key's error speaks of the sort key, not of a filter nobody wrote
    assert (info.value.column, info.value.field) == (11, "order_by")
    assert str(info.value).endswith("at column 11 of sort key: params.lr sideways")
    # columns count code points in every client: the emoji takes one
    with pytest.raises(FilterSyntaxError) as info:
        db.list_experiments(where="name = '\U0001f600' and ?")
    assert info.value.column == 16
    with pytest.raises(ValidationError, match="where must be a string"):
        db.list_experiments(where=3)


@pytest.mark.parametrize(
    "where",
    [
        "params.lr < 0.1; DROP TABLE experiments",
        "name = 'a' --",
        "name = 'a' /* x */",
        "params.`lr') OR 1=1 --` = 1 or 1 = 1",
        "status = ''); DELETE FROM experiments; --",
    ],
)
def test_never_runs_sql_from_the_filter(db, db_path, where):
    try:
        listed = names(db, where=where)
    except FilterSyntaxError:
        listed = []
    assert listed == []
    assert len(db.list_experiments()) == 4
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT count(*) FROM experiments").fetchone()[0] == 4
    finally:
        conn.close()


def test_quotes_in_values_stay_values(db):
    db.set_tags("b", {"note": "it's x' OR 1=1 --"})
    assert names(db, where="name = 'x'' OR 1=1 --'") == []
    assert names(db, where="tags.note = 'it''s x'' OR 1=1 --'") == ["b"]
    assert names(db, where='tags.note like "%\'%"') == ["b"]


def test_reads_inf_unicode_and_quoted_series_names(db_path):
    with Database(db_path) as db:
        db.add_metric_value("u", "genauigkeit_ü", 0, -math.inf)
        db.add_metric_value("u", "top-1 acc", 0, 0.75)
        db.add_metric_value("v", "top-1 acc", 0, 0.5)
        assert names(db, where="metrics.genauigkeit_ü = -inf") == ["u"]
        assert names(db, where="metrics.`top-1 acc` > 0.6") == ["u"]
        best = db.best_experiment("top-1 acc", "max")
        assert (best["name"], best["best"]) == ("u", 0.75)
        best = db.best_experiment("genauigkeit_ü", "min")
        assert (best["name"], best["best"]) == ("u", -math.inf)
