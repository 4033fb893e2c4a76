"""MldbLogger with real PyTorch Lightning: a tiny model trained on CPU."""

import os

from framework_venv import train  # noqa: F401  (the fixture)

from mldb import Database


def series(db, exp):
    return {(s["split"], s["name"]): s["count"] for s in db.get_series(exp)}


def test_a_fit_leaves_params_series_at_the_global_step_checkpoints_and_complete(train, tmp_path):
    db_path = tmp_path / "m.db"
    res = train("train_lightning.py", db_path, tmp_path, "ok")
    assert res.returncode == 0, res.stderr[-3000:]
    with Database(str(db_path)) as db:
        e = db.get_experiment("lightning-ok")
        assert e["status"] == "COMPLETE" and e["project"] == "tiny"
        assert e["params"] == {"lr": 0.05, "hidden": 8}
        s = series(db, "lightning-ok")
        # 64 rows / 16 per batch = 4 steps per epoch, 3 epochs; validation once per epoch
        assert s == {("train", "loss"): 12, ("valid", "loss"): 3, ("valid", "mae"): 3}
        assert [p["step"] for p in db.get_metric_values("lightning-ok", "loss", split="valid")] == [3, 7, 11]
        files = db.get_files("lightning-ok", kind="checkpoint")
        names = {os.path.basename(f["path"]) for f in files}
        assert {"last.ckpt", "epoch=2-step=12.ckpt"} <= names
        best = [f for f in files if f["path"].endswith("epoch=2-step=12.ckpt")][0]
        assert best["step"] == 12 and best["meta"]["monitor"] == "val_loss"
        assert os.path.isfile(best["path"])


def test_an_error_marks_the_run_failed_with_the_traceback_and_ctrl_c_killed(train, tmp_path):
    db_path = tmp_path / "m.db"
    assert train("train_lightning.py", db_path, tmp_path, "error").returncode != 0
    assert train("train_lightning.py", db_path, tmp_path, "interrupt").returncode != 0
    with Database(str(db_path)) as db:
        assert db.get_exp_status("lightning-error") == "FAILED"
        assert "RuntimeError: diverged at epoch 1" in db.get_notes("lightning-error")
        assert db.get_exp_status("lightning-interrupt") == "KILLED"
        # the first epoch's points are kept
        assert series(db, "lightning-error")[("train", "loss")] == 4
