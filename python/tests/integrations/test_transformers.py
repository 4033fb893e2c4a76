"""MldbCallback with real Hugging Face Transformers: a tiny BERT built from a
config (no hub download) trained by Trainer with report_to="mldb"."""

import os

from framework_venv import train  # noqa: F401  (the fixture)

from mldb import Database


def test_report_to_mldb_logs_arguments_train_and_eval_series_and_checkpoints(train, tmp_path):
    db_path = tmp_path / "m.db"
    res = train("train_transformers.py", db_path, tmp_path)
    assert res.returncode == 0, res.stderr[-3000:]
    with Database(str(db_path)) as db:
        e = db.get_experiment("hf-run")
        assert e["status"] == "COMPLETE"
        p = e["params"]
        assert p["learning_rate"] == 0.001 and p["num_train_epochs"] == 2 and p["seed"] == 0
        assert p["report_to"] == ["mldb"] and p["model.type"] == "bert" and p["model.parameters"] > 1000
        s = {(x["split"], x["name"]): x["count"] for x in db.get_series("hf-run")}
        # 32 examples / 8 per batch = 4 steps per epoch, 2 epochs, a log every step, eval each epoch
        assert s[("train", "loss")] == 8 and s[("train", "learning_rate")] == 8 and s[("eval", "loss")] == 2
        assert s[("train", "mean_loss")] == 1
        assert [pt["step"] for pt in db.get_metric_values("hf-run", "loss", split="eval")] == [4, 8]
        files = db.get_files("hf-run", kind="checkpoint")
        assert [(os.path.basename(os.path.dirname(f["path"])), os.path.basename(f["path"]), f["step"]) for f in files] \
            == [("checkpoint-4", "model.safetensors", 4), ("checkpoint-8", "model.safetensors", 8)]
