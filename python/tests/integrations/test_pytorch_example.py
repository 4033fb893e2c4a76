"""examples/pytorch-train.py: a plain PyTorch script trains a real small model on CPU
and leaves params, series, system metrics, media and checkpoints in mldb."""

import os

from framework_venv import train  # noqa: F401  (the fixture)

from mldb import Database


def test_the_plain_pytorch_example_trains_and_logs_everything(train, tmp_path):
    db_path = tmp_path / "m.db"
    res = train(os.path.join("examples", "pytorch-train.py"), "--db", db_path, "--epochs", "6", "--name", "ex")
    assert res.returncode == 0, res.stderr[-3000:]
    with Database(str(db_path)) as db:
        e = db.get_experiment("ex")
        assert e["status"] == "COMPLETE" and e["project"] == "examples"
        assert e["params"]["epochs"] == 6 and e["params"]["optimizer"] == "adam"
        s = {(x["split"], x["name"]): x["count"] for x in db.get_series("ex")}
        for key in (("train", "loss"), ("train", "acc"), ("valid", "loss"), ("valid", "acc")):
            assert s[key] == 6
        losses = [p["value"] for p in db.get_metric_values("ex", "loss", split="train")]
        assert losses[-1] < losses[0]  # it learns
        images = db.get_files("ex", kind="image")
        assert [f["step"] for f in images] == [0, 5]
        assert images[0]["meta"]["width"] == 64 and images[0]["path"].endswith(
            os.path.join("artifacts", "ex", "media", "decision_map", "0.png"))
        hist = [f for f in db.get_files("ex", kind="data") if f["meta"]["media"] == "histogram"]
        assert [f["meta"]["total"] for f in hist] == [64, 64]
        [model] = db.get_files("ex", kind="model")
        assert model["sha256"] and os.path.isfile(model["path"])
        assert db.get_files("ex", kind="checkpoint")
