"""series_direction: the same rule and the same word list (docs/series-directions.json)
as TypeScript; best_experiment follows it and names the file at the best step; a LOST
run's duration stops at its last heartbeat."""

import json
import os
import time

import pytest

from mldb import ConfigError, Database, ValidationError, configured_directions, series_direction

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def shared_examples():
    with open(os.path.join(REPO_ROOT, "docs", "series-directions.json"), encoding="utf-8") as f:
        return json.load(f)["examples"]


def test_every_example_of_the_shared_word_list():
    examples = shared_examples()
    assert len(examples) > 10
    assert {k: series_direction(k) for k in examples} == examples


def test_loss_like_min_accuracy_like_max_unknown_min():
    assert [series_direction(k) for k in ("valid/loss", "train/rmse", "mae", "val_perplexity")] == ["min"] * 4
    assert [series_direction(k) for k in ("valid/acc", "f1", "auc", "recall", "miou", "mAP", "bleu")] == ["max"] * 7
    assert series_direction("learning_rate") == "min"


def test_choice_by_key_then_name_then_words():
    dirs = {"valid/score": "min", "loss": "max"}
    assert series_direction("valid/score", dirs) == "min"
    assert series_direction("train/score", dirs) == "max"
    assert series_direction("train/loss", dirs) == "max"


def test_config_file_directions_and_the_database_option(isolated_home, db_path):
    cfg = isolated_home / ".mldb_config.json"
    cfg.write_text(json.dumps({"db_path": db_path, "directions": {"valid/score": "min", "margin": "max"}}))
    assert configured_directions() == {"valid/score": "min", "margin": "max"}
    assert series_direction("valid/score") == "min"
    assert series_direction("train/margin") == "max"
    with Database(db_path, directions={"margin": "min"}) as db:
        assert db.series_direction("valid/score") == "min"
        assert db.series_direction("train/margin") == "min"
    cfg.write_text(json.dumps({"db_path": db_path, "directions": {"valid/score": "up"}}))
    os.utime(cfg, (time.time() + 5, time.time() + 5))
    with pytest.raises(ConfigError, match=r'\["valid/score"\] must be "min" or "max", got "up"'):
        series_direction("valid/score")
    cfg.unlink()
    with pytest.raises(ValidationError):
        Database(db_path, directions={"acc": "highest"})
    with pytest.raises(ValidationError):
        series_direction(42)


def test_best_experiment_follows_the_direction_and_names_the_checkpoint(tmp_path, db_path):
    def acc(step):
        return step / 100 if step <= 80 else 0.8 - (step - 80) / 1000

    with Database(db_path) as db:
        for step in range(150):
            db.log_batch("a", [{"name": "acc", "split": "valid", "step": step, "value": acc(step)}])
            db.log_batch("b", [{"name": "acc", "split": "valid", "step": step, "value": 0.5}])
            if step % 20 == 0:
                f = tmp_path / ("checkpoint-%04d.json" % step)
                f.write_text("{}")
                db.add_file("a", str(f), kind="checkpoint", step=step)
        (tmp_path / "model.json").write_text("{}")
        db.add_file("a", str(tmp_path / "model.json"), kind="model", step=149)
        best = db.best_experiment("valid/acc")
        assert (best["name"], best["best"], best["mode"], best["step"]) == ("a", 0.8, "max", 80)
        assert best["best_file"]["path"] == str(tmp_path / "checkpoint-0080.json")
        assert best["final_file"]["path"] == str(tmp_path / "model.json")
        low = db.best_experiment("valid/acc", "min")
        assert (low["best"], low["step"], low["best_file"]["path"]) == (0, 0, str(tmp_path / "checkpoint-0000.json"))
        only_b = db.best_experiment("valid/acc", where="name = 'b'")
        assert (only_b["name"], only_b["best_file"], only_b["final_file"]) == ("b", None, None)


def test_lost_duration_stops_at_the_last_heartbeat(db_path):
    hour, ran = 3_600_000, 600_000
    with Database(db_path) as db:
        db.set_exp_status("lost-run", "TRAINING")
        db.set_exp_status("live-run", "TRAINING")
    with Database(db_path) as db:
        started = int(time.time() * 1000) - hour
        db.connection.execute(
            "UPDATE experiments SET started_at = ?, heartbeat_at = ?, updated_at = ? WHERE name = 'lost-run'",
            (started, started + ran, started + ran),
        )
        db.connection.execute(
            "UPDATE experiments SET started_at = ?, heartbeat_at = ? WHERE name = 'live-run'", (started, int(time.time() * 1000))
        )
        db.connection.commit()
        lost = db.list_experiments(name="lost-run")[0]
        assert (lost["status"], lost["duration_ms"]) == ("LOST", ran)
        assert db.list_experiments(name="live-run")[0]["duration_ms"] >= hour
        assert [e["name"] for e in db.list_experiments(where="duration = 600")] == ["lost-run"]
        assert [e["name"] for e in db.list_experiments(where="duration >= 3000")] == ["live-run"]
