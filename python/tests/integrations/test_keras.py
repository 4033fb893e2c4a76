"""MldbCallback with real Keras 3 (torch backend, CPU): a tiny model trained by fit."""

import os

from framework_venv import train  # noqa: F401  (the fixture)

from mldb import Database


def test_fit_logs_train_and_valid_series_params_and_the_best_checkpoint(train, tmp_path):
    db_path = tmp_path / "m.db"
    res = train("train_keras.py", db_path)
    assert res.returncode == 0, res.stderr[-3000:]
    with Database(str(db_path)) as db:
        e = db.get_experiment("keras-run")
        assert e["status"] == "COMPLETE" and e["project"] == "tiny"
        p = e["params"]
        assert p["epochs"] == 4 and p["model"] == "tiny" and p["optimizer"] == "adam"
        assert abs(p["optimizer.learning_rate"] - 0.01) < 1e-6
        assert p["trainable_params"] == 4 * 8 + 8 + 8 + 1
        assert {(s["split"], s["name"]): s["count"] for s in db.get_series("keras-run")} == {
            ("train", "loss"): 4, ("train", "accuracy"): 4, ("valid", "loss"): 4, ("valid", "accuracy"): 4}
        assert [pt["step"] for pt in db.get_metric_values("keras-run", "loss", split="valid")] == [0, 1, 2, 3]
        valid = db.get_metric_values("keras-run", "loss", split="valid")
        best = min(valid, key=lambda pt: pt["value"])
        [ckpt] = db.get_files("keras-run", kind="checkpoint")
        assert ckpt["step"] == best["step"]
        assert ckpt["meta"]["monitor"] == "val_loss" and abs(ckpt["meta"]["score"] - best["value"]) < 1e-6
        assert ckpt["path"] == str(tmp_path / "artifacts" / "keras-run" / "checkpoints" / "best.keras")
        assert os.path.getsize(ckpt["path"]) == ckpt["size"]


def test_a_fit_that_raises_leaves_the_run_failed_with_the_error_and_its_epochs(train, tmp_path):
    db_path = tmp_path / "m.db"
    assert train("train_keras.py", db_path, "error").returncode != 0
    with Database(str(db_path)) as db:
        assert db.get_exp_status("keras-error") == "FAILED"
        assert "FloatingPointError: loss diverged at epoch 1" in db.get_notes("keras-error")
        assert [p["step"] for p in db.get_metric_values("keras-error", "loss", split="train")] == [0, 1]
