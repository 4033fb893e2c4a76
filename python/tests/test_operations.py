"""Each operation of the Database API, through the public surface."""

import hashlib
import os
import time

import pytest

from mldb import Database, MldbError, NotFoundError, ValidationError


def test_status_create_change_and_history(db_path):
    with Database(db_path) as db:
        db.set_exp_status("e", "training")
        assert db.get_exp_status("e") == "TRAINING"
        db.set_exp_status("e", "COMPLETE")
        assert db.get_exp_status("e") == "COMPLETE"
        assert [h["status"] for h in db.get_status_history("e")] == ["TRAINING", "COMPLETE"]
        exp = db.list_experiments()[0]
        assert exp["project"] == "default"
        assert exp["started_at"] is not None and exp["ended_at"] is not None


def test_status_in_project(db_path):
    with Database(db_path) as db:
        db.set_exp_status("a", "PENDING", project="iris")
        db.set_exp_status("b", "PENDING")
        assert [e["name"] for e in db.list_experiments(project="iris")] == ["a"]


def test_logging_creates_a_training_experiment(db_path):
    with Database(db_path) as db:
        db.add_loss_value("e", "train", 0, 0.5)
        assert db.get_exp_status("e") == "TRAINING"
        assert db.list_experiments()[0]["project"] == "default"


def test_lost_when_heartbeat_is_old(db_path):
    now = [int(time.time() * 1000)]
    with Database(db_path, clock=lambda: now[0]) as db:
        db.set_exp_status("e", "TRAINING")
        now[0] += 61_000  # a minute and a second without a sign of life
        assert db.get_exp_status("e") == "LOST"
        assert [e["name"] for e in db.list_experiments(status="lost")] == ["e"]
        db.heartbeat("e")
        assert db.get_exp_status("e") == "TRAINING"


def test_loss_and_metric_values_in_step_order(db_path):
    with Database(db_path) as db:
        for step in (2, 0, 1):
            db.add_loss_value("e", "train", step, step / 10)
        db.add_metric_value("e", "acc", 0, 0.9, split="valid")
        db.add_metric_value("e", "acc", 0, 0.95, split="valid")  # same step twice: both kept
        assert [p["value"] for p in db.get_loss_values("e", "train")] == [0.0, 0.1, 0.2]
        assert [(p["step"], p["value"]) for p in db.get_metric_values("e", "acc", split="valid")] == [(0, 0.9), (0, 0.95)]
        assert [p["step"] for p in db.get_metric_values("e", "loss", split="train", after_step=0)] == [1, 2]
        p = db.get_loss_values("e", "train")[0]
        assert set(p) == {"step", "time", "value"} and abs(p["time"] - time.time() * 1000) < 60_000


def test_series_summary(db_path):
    with Database(db_path) as db:
        for step, v in enumerate([0.5, 0.2, 0.9, 0.4]):
            db.add_metric_value("e", "rmse", step, v)
        (s,) = db.get_series("e")
        assert (s["key"], s["count"], s["first_step"], s["last_step"], s["last"], s["min"], s["max"], s["nan_count"]) == (
            "rmse", 4, 0, 3, 0.4, 0.2, 0.9, 0,
        )


def test_log_batch(db_path):
    with Database(db_path) as db:
        db.log_batch("e", [{"name": "loss", "split": "train", "step": s, "value": s * 1.5} for s in range(200)])
        assert len(db.get_loss_values("e", "train")) == 200
        assert db.connection.execute("SELECT sum(count) FROM point_blocks").fetchone()[0] == 192


def test_params_written_once(db_path):
    with Database(db_path) as db:
        db.set_params("e", {"lr": 0.01, "hidden": [64, 64], "opt": {"name": "adam"}, "flag": True, "none": None})
        db.set_params("e", {"lr": 0.01})  # same value: a no-op
        with pytest.raises(ValidationError, match='param "lr" of "e" is already 0.01'):
            db.set_params("e", {"lr": 0.1, "new": 1})
        assert db.get_params("e") == {"lr": 0.01, "hidden": [64, 64], "opt": {"name": "adam"}, "flag": True, "none": None}


def test_params_are_stored_as_javascript_writes_them(db_path):
    with Database(db_path) as db:
        db.set_params("e", {"a": 1.0, "b": 1e-7, "c": 1e21, "d": 123456789012345680000.0, "e": "é", "f": [0.1, -0.0]})
        rows = dict(db.connection.execute("SELECT key, value FROM params").fetchall())
    assert rows == {"a": "1", "b": "1e-7", "c": "1e+21", "d": "123456789012345680000", "e": '"é"', "f": "[0.1,0]"}


def test_tags_replaceable(db_path):
    with Database(db_path) as db:
        db.set_tags("e", {"team": "vision", "n": 3, "ok": True})
        db.set_tags("e", {"team": "nlp"})
        assert db.get_tags("e") == {"team": "nlp", "n": "3", "ok": "true"}


def test_notes(db_path):
    with Database(db_path) as db:
        db.set_exp_status("e", "TRAINING")
        assert db.get_notes("e") == ""
        db.set_notes("e", "first try")
        assert db.get_notes("e") == "first try"


def test_add_file_records_pointer(db_path, tmp_path):
    f = tmp_path / "model.bin"
    f.write_bytes(b"weights" * 100)
    rel = os.path.relpath(str(f))
    with Database(db_path) as db:
        rec = db.add_file("e", rel, kind="model", step=3, hash=True, meta={"format": "pt"})
        assert rec["path"] == str(f) and os.path.isabs(rec["path"])
        assert rec["size"] == 700 and rec["kind"] == "model" and rec["step"] == 3
        assert rec["mtime"] == (os.stat(str(f)).st_mtime_ns + 500_000) // 1_000_000  # rounded, as TypeScript
        assert rec["sha256"] == hashlib.sha256(b"weights" * 100).hexdigest()
        assert rec["meta"] == {"format": "pt"} and rec["experiment"] == "e"
        db.add_file("e", str(f))
        assert [r["kind"] for r in db.get_files("e")] == ["model", "other"]
        assert [r["kind"] for r in db.get_files("e", kind="model")] == ["model"]
        assert db.get_files("e")[1]["sha256"] is None
        db.cursor.execute("SELECT EXP_ID, KIND, PATH, EPOCH FROM FILES ORDER BY KIND")
        assert db.cursor.fetchall() == [("e", "model", str(f), 3), ("e", "other", str(f), None)]


def test_list_experiments_newest_first_with_summaries(db_path):
    with Database(db_path) as db:
        for i in range(3):
            db.set_exp_status("e%d" % i, "COMPLETE" if i else "FAILED")
            db.set_params("e%d" % i, {"i": i})
            db.add_loss_value("e%d" % i, "valid", 0, i / 10)
        listed = db.list_experiments()
        assert [e["name"] for e in listed] == ["e2", "e1", "e0"]
        assert listed[0]["params"] == {"i": 2} and listed[0]["series"]["valid/loss"]["last"] == 0.2
        assert [e["name"] for e in db.list_experiments(status="COMPLETE", limit=1)] == ["e2"]
        assert [e["name"] for e in db.list_experiments(name="e*", offset=2)] == ["e0"]
        detail = db.get_experiment("e1")
        assert [h["status"] for h in detail["status_history"]] == ["COMPLETE"] and detail["files"] == []


def test_reading_unknown_things(db_path):
    with Database(db_path) as db:
        with pytest.raises(NotFoundError, match='no experiment named "nope"'):
            db.get_exp_status("nope")
        db.add_loss_value("e", "train", 0, 1.0)
        with pytest.raises(NotFoundError, match='has no series "valid/loss"') as info:
            db.get_loss_values("e", "valid")
        assert isinstance(info.value, LookupError) and info.value.key == "valid/loss"
        with pytest.raises(NotFoundError):
            db.add_file("e", "/no/such/file.bin")


def test_calls_after_close_are_refused(db_path):
    db = Database(db_path)
    db.close()
    with pytest.raises(MldbError, match="closed"):
        db.add_loss_value("e", "train", 0, 1.0)


@pytest.mark.parametrize(
    "given, stored",
    [
        ("training", "TRAINING"),
        ("  Complete\u3000", "COMPLETE"),
        ("\u00a0pending\ufeff", "PENDING"),  # what JavaScript's trim() removes, as TypeScript does
        ("killed", "KILLED"),
        ("Evaluating", "Evaluating"),  # free text is kept as written...
        (" warming up ", " warming up "),  # ...spaces included
        ("\u0085TRAINING", "\u0085TRAINING"),  # U+0085 is not JavaScript white space
    ],
)
def test_status_canonical_case_insensitive_free_text_as_written(db_path, given, stored):
    with Database(db_path) as db:
        db.set_exp_status("e", given)
        assert db.get_exp_status("e") == stored
        run = db.start_run(name="r", status=given)
        assert db.get_exp_status("r") == stored
        run.finish()


def updated_at(db, name):
    return db.connection.execute("SELECT updated_at FROM experiments WHERE name = ?", (name,)).fetchone()[0]


def test_params_and_tags_bump_updated_at(db_path):
    with Database(db_path) as db:
        db.set_exp_status("e", "TRAINING")
        for call in (lambda: db.set_params("e", {"lr": 0.1}), lambda: db.set_tags("e", {"team": "a"})):
            db.connection.execute("UPDATE experiments SET updated_at = 0")
            db.commit()
            call()
            assert updated_at(db, "e") >= int(time.time() * 1000) - 60_000
