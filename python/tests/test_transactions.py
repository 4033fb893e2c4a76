"""db.transaction(): several calls in one write transaction, by the rule both clients
follow (docs/schema.md, "Transactions")."""

import sqlite3

import pytest

from mldb import Database, MldbError, ValidationError


def seen_elsewhere(path):
    """What another connection sees: experiments by name, with their point counts."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT e.name, (SELECT count(*) FROM points p JOIN series s ON s.id = p.series_id"
            " WHERE s.experiment_id = e.id) FROM experiments e"
        ).fetchall()
        return dict(rows)
    finally:
        conn.close()


def test_every_write_call_inside_lands_together_when_the_block_ends(db_path):
    with Database(db_path) as db:
        with db.transaction() as same:
            assert same is db
            db.set_params("t", {"lr": 0.1})
            db.log_batch("t", [{"name": "loss", "step": 0, "value": 1.0}, {"name": "loss", "step": 1, "value": 0.5}])
            db.add_metric_value("t", "acc", 0, 0.9)
            db.set_exp_status("t", "COMPLETE")
            db.cursor.execute("INSERT INTO tags (experiment_id, key, value) SELECT id, 'by', 'cursor' FROM experiments")
            assert seen_elsewhere(db_path) == {}
        assert seen_elsewhere(db_path) == {"t": 3}
        e = db.get_experiment("t")
        assert (e["status"], e["params"], e["tags"]) == ("COMPLETE", {"lr": 0.1}, {"by": "cursor"})


def test_an_exception_writes_nothing_and_the_names_stay_free(db_path):
    with Database(db_path) as db:
        with pytest.raises(RuntimeError, match="abort"):
            with db.transaction():
                db.set_exp_status("gone", "TRAINING")
                db.add_metric_value("gone", "loss", 0, 1.0)
                raise RuntimeError("abort")
        assert seen_elsewhere(db_path) == {}
        # the ids cached inside went with the rows: later calls find or create the right ones
        db.set_exp_status("other", "TRAINING")
        db.add_metric_value("gone", "loss", 1, 5.0)
        assert [p["value"] for p in db.get_metric_values("gone", "loss")] == [5.0]
        assert db.get_exp_status("other") == "TRAINING"


def test_a_refused_call_caught_inside_undoes_only_its_own_rows(db_path):
    with Database(db_path) as db:
        with db.transaction():
            db.set_params("p", {"lr": 0.1})
            db.add_metric_value("p", "loss", 0, 1.0)
            with pytest.raises(ValidationError):
                db.set_params("p", {"batch": 32, "lr": 0.2})
            db.set_tags("p", {"ok": "yes"})
        assert db.get_params("p") == {"lr": 0.1}
        assert db.get_tags("p") == {"ok": "yes"}
        assert [p["value"] for p in db.get_metric_values("p", "loss")] == [1.0]


def test_nested_blocks_are_savepoints(db_path):
    with Database(db_path) as db:
        with db.transaction():
            db.add_metric_value("n", "loss", 0, 1.0)
            with pytest.raises(RuntimeError):
                with db.transaction():
                    db.add_metric_value("n", "loss", 1, 2.0)
                    raise RuntimeError("inner")
            with db.transaction():
                db.add_metric_value("n", "loss", 2, 3.0)
        assert [(p["step"], p["value"]) for p in db.get_metric_values("n", "loss")] == [(0, 1.0), (2, 3.0)]


def test_refused_over_the_scripts_own_uncommitted_cursor_writes(db_path):
    with Database(db_path) as db:
        db.set_exp_status("e", "TRAINING")
        db.cursor.execute("UPDATE experiments SET notes = 'by cursor'")
        with pytest.raises(MldbError, match=r"uncommitted changes.*db.transaction\(\)"):
            with db.transaction():
                db.set_tags("e", {"k": "v"})
        db.commit()
        with db.transaction():
            db.set_tags("e", {"k": "v"})
        assert db.get_tags("e") == {"k": "v"} and db.get_notes("e") == "by cursor"
