"""W&B-style keys: ``run.log({'train/loss': x})`` with no split is reachable as
``train/loss`` by every reader (which addresses series as split/name), as in TypeScript."""

from mldb import Database


def test_split_less_slash_name_is_stored_as_split_and_name(db_path):
    with Database(db_path) as db:
        run = db.start_run(name="wb")
        for step in range(5):
            run.log({"train/loss": 1.0 / (step + 1), "valid/acc": step / 10}, step=step)
        db.add_metric_value("wb", "eval/f1", 0, 0.5)
        run.finish()

        [e] = db.list_experiments(where="metrics.train/loss < 0.3")
        assert e["name"] == "wb"
        assert sorted(e["series"]) == ["eval/f1", "train/loss", "valid/acc"]
        assert db.best_experiment("valid/acc", "max")["best"] == 0.4
        assert [p["value"] for p in db.get_metric_values("wb", "train/loss")] == [1.0, 0.5, 1 / 3, 0.25, 0.2]
        assert len(db.get_metric_values("wb", "loss", split="train")) == 5


def test_a_name_with_its_own_split_is_kept(db_path):
    with Database(db_path) as db:
        db.add_metric_value("e", "a/b", 0, 1.0, split="train")
        assert list(db.list_experiments()[0]["series"]) == ["train/a/b"]


def test_old_split_less_slash_series_still_reads(db_path):
    with Database(db_path) as db:
        db.add_metric_value("old", "loss", 0, 0.7, split="train")
        db.connection.execute("UPDATE series SET name = 'train/loss', split = '' WHERE name = 'loss'")
        db.connection.commit()
    with Database(db_path) as db:
        assert [p["value"] for p in db.get_metric_values("old", "train/loss")] == [0.7]
