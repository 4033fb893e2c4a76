"""mldb's name limits are MLflow's (docs/schema.md, "Limits"): what MLflow accepts imports."""

import pytest
from mldb import Database
from mldb.errors import ValidationError


def test_series_name_of_250_characters_and_not_251(db_path):
    with Database(db_path) as db:
        db.add_metric_value("e", "m" * 250, 0, 1.0)
        assert [s["name"] for s in db.get_series("e")] == ["m" * 250]
        with pytest.raises(ValidationError, match="is 251 characters; the limit is 250"):
            db.add_metric_value("e", "m" * 251, 0, 1.0)


def test_experiment_name_of_300_and_project_of_500_characters(db_path):
    with Database(db_path) as db:
        db.set_exp_status("r" * 300, "TRAINING", project="p" * 500)
        assert db.get_experiment("r" * 300)["project"] == "p" * 500
        with pytest.raises(ValidationError, match="is 301 characters; the limit is 300"):
            db.set_exp_status("r" * 301, "TRAINING")
        with pytest.raises(ValidationError, match="the limit is 500"):
            db.set_exp_status("b", "TRAINING", project="p" * 501)


def test_tabs_in_experiment_and_project_names_only(db_path):
    with Database(db_path) as db:
        db.set_exp_status("run\t1", "TRAINING", project="exp\tA")
        assert db.get_experiment("run\t1")["project"] == "exp\tA"
        with pytest.raises(ValidationError, match="control characters"):
            db.set_exp_status("run\n2", "TRAINING")
        with pytest.raises(ValidationError, match="control characters"):
            db.add_metric_value("run\t1", "a\tb", 0, 1.0)
