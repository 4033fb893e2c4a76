"""The model registry from Python: the same names, rules and file format as TypeScript."""

import hashlib
import math
import os

import pytest

from mldb import Database, NotFoundError, ValidationError


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


def trained(db, folder, exp, losses, weights=None):
    path = os.path.join(str(folder), "%s-model.json" % exp)
    with open(path, "w") as f:
        f.write(weights or "weights of %s" % exp)
    db.set_params(exp, {"lr": 0.01, "hidden": [64, 64]})
    for i, loss in enumerate(losses):
        db.add_loss_value(exp, "valid", i, loss)
    db.add_file(exp, path, kind="model")
    db.set_exp_status(exp, "COMPLETE")
    return os.path.realpath(path)


def registry_rows(db):
    return [
        db.connection.execute("SELECT * FROM %s" % t).fetchall()
        for t in ("registered_models", "model_versions", "model_aliases", "model_alias_history")
    ]


@pytest.fixture
def db(tmp_path):
    with Database(str(tmp_path / "m.db")) as d:
        yield d


def test_register_versions_with_their_evidence(db, tmp_path):
    path = trained(db, tmp_path, "run-a", [0.9, 0.5, float("nan")])
    trained(db, tmp_path, "run-b", [0.8, 0.3])
    v1 = db.register_model("iris-mlp", exp="run-a", file="run-a-model.json", aliases=["staging"], description="first")
    assert v1["name"] == "iris-mlp" and v1["version"] == 1 and v1["aliases"] == ["staging"]
    assert (v1["path"], v1["sha256"], v1["size"], v1["exp"]) == (path, sha("weights of run-a"), 16, "run-a")
    assert v1["params"] == {"hidden": [64, 64], "lr": 0.01}
    m = v1["metrics"]["valid/loss"]
    assert (m["count"], m["last_step"], m["min"], m["max"]) == (3, 2, 0.5, 0.9) and math.isnan(m["last"])
    assert db.register_model("iris-mlp", exp="run-b")["version"] == 2
    assert db.get_model_version("iris-mlp")["version"] == 2
    assert db.get_model_version("iris-mlp/1")["exp"] == "run-a"
    assert db.get_model_version("iris-mlp@staging")["version"] == 1
    models = db.list_models()
    assert [(x["name"], x["latest_version"], x["version_count"], x["aliases"]) for x in models] == [
        ("iris-mlp", 2, 2, {"staging": 1})
    ]
    assert [v["version"] for v in db.list_model_versions("iris-mlp")] == [1, 2]
    assert [v["version"] for v in db.list_model_versions(exp="run-b")] == [2]


def test_best_experiment_in_one_call(db, tmp_path):
    trained(db, tmp_path, "a", [0.9, 0.5])
    trained(db, tmp_path, "b", [0.8, 0.2])
    trained(db, tmp_path, "c", [0.1])
    db.set_exp_status("c", "FAILED")
    assert db.register_model("m", best="valid/loss", goal="min")["exp"] == "c"
    assert db.register_model("m", best="valid/loss", goal="min", where="status = 'COMPLETE'")["exp"] == "b"
    assert db.register_model("m", best="valid/loss", goal="max")["exp"] == "a"


def test_aliases_move_and_the_history_keeps_every_move(db, tmp_path):
    for e in ("a", "b", "c"):
        trained(db, tmp_path, e, [0.5])
        db.register_model("m", exp=e)
    db.set_model_alias("m", "champion", 1)
    db.set_model_alias("m", "champion", 3)
    db.set_model_alias("m", "champion", 3)
    db.set_model_alias("m", "staging", 2)
    db.delete_model_alias("m", "staging")
    assert db.get_model_version("m@champion")["version"] == 3
    history = db.get_model_history("m")
    assert [(h["alias"], h["from"], h["to"]) for h in history] == [
        ("champion", None, 1),
        ("champion", 1, 3),
        ("staging", None, 2),
        ("staging", 2, None),
    ]
    assert "@" in history[0]["who"] and history[0]["time"] > 0


def test_verify_rehashes_the_file(db, tmp_path):
    path = trained(db, tmp_path, "a", [0.5])
    db.register_model("m", exp="a", aliases=["champion"])
    assert db.verify_model("m@champion")["state"] == "ok"
    with open(path, "w") as f:
        f.write("weights of b")  # same size, other bytes
    assert db.verify_model("m@champion")["state"] == "changed"
    os.remove(path)
    assert [c["state"] for c in db.verify_models()] == ["missing"]


def test_evidence_outlives_a_purged_experiment_and_numbers_are_never_reused(db, tmp_path):
    trained(db, tmp_path, "a", [0.5, 0.25])
    trained(db, tmp_path, "b", [0.5])
    db.register_model("m", exp="a")
    db.connection.execute("DELETE FROM experiments WHERE name = 'a'")  # as a purge does
    db.commit()
    v = db.get_model_version("m/1")
    assert (v["exp"], v["exp_exists"], v["file_id"], v["metrics"]["valid/loss"]["min"]) == ("a", False, None, 0.25)
    db.connection.execute("DELETE FROM model_versions")
    db.commit()
    assert db.register_model("m", exp="b")["version"] == 2


def test_bad_input_is_refused_and_writes_nothing(db, tmp_path):
    trained(db, tmp_path, "a", [0.5])
    db.register_model("m", exp="a", aliases=["champion"])
    with open(os.path.join(str(tmp_path), "other.json"), "w") as f:
        f.write("x")
    before = registry_rows(db)
    cases = [
        (lambda: db.register_model("m", exp="a", file="other.json"), NotFoundError, 'no recorded file "other.json"'),
        (lambda: db.register_model("m", exp="nope"), NotFoundError, 'no experiment named "nope"'),
        (lambda: db.register_model("my model", exp="a"), ValidationError, "no spaces"),
        (lambda: db.register_model("x" * 129, exp="a"), ValidationError, "the limit is 128"),
        (lambda: db.register_model("m", exp="a", aliases=["3"]), ValidationError, "is a number"),
        (lambda: db.set_model_alias("m", "2", 1), ValidationError, "is a number"),
        (lambda: db.set_model_alias("nope", "champion", 1), NotFoundError, 'no registered model named "nope"'),
        (lambda: db.set_model_alias("m", "champion", 7), NotFoundError, "has no version 7"),
        (lambda: db.delete_model_alias("m", "staging"), NotFoundError, 'has no alias "staging"'),
        (lambda: db.get_model_version("m@staging"), NotFoundError, 'has no alias "staging"'),
        (lambda: db.get_model_version("m/0"), ValidationError, "whole number"),
    ]
    for call, kind, message in cases:
        with pytest.raises(kind, match=message):
            call()
    assert registry_rows(db) == before


def test_a_changed_or_missing_recorded_file_is_refused(db, tmp_path):
    path = trained(db, tmp_path, "a", [0.5])
    with open(path, "w") as f:
        f.write("retrained in place, longer")
    with pytest.raises(ValidationError, match='changed since experiment "a" recorded it'):
        db.register_model("m", exp="a")
    os.remove(path)
    with pytest.raises(NotFoundError):
        db.register_model("m", exp="a")
    assert db.list_models() == []


def test_many_processes_registering_at_once_get_distinct_numbers(tmp_path):
    import subprocess
    import sys

    from conftest import child_env

    path = str(tmp_path / "m.db")
    with Database(path) as db:
        trained(db, tmp_path, "a", [0.5])
    code = (
        "import sys\nfrom mldb import Database\n"
        "with Database(sys.argv[1]) as db:\n"
        "    for _ in range(5):\n"
        "        db.register_model('m', exp='a', aliases=['latest-' + sys.argv[2]])\n"
    )
    children = [
        subprocess.Popen([sys.executable, "-c", code, path, "p%d" % i], env=child_env(), stderr=subprocess.PIPE)
        for i in range(4)
    ]
    for c in children:
        assert c.wait(timeout=120) == 0, c.stderr.read()
    with Database(path) as db:
        assert [v["version"] for v in db.list_model_versions("m")] == list(range(1, 21))
        assert len(db.get_model_history("m")) == 20  # each alias set once, then moved 4 times


def test_nul_in_a_description_or_tag_is_refused_naming_it_and_nothing_is_written(db, tmp_path):
    trained(db, tmp_path, "run-a", [0.5])
    problem = "contains U+0000 (NUL); PostgreSQL and some SQLite versions cannot keep it \u2014 remove it"
    before = registry_rows(db)
    for kwargs, message in (({"description": "a\x00b"}, "description "), ({"tags": {"k\x00": "v"}}, "tag key "),
                            ({"tags": {"k": "v\x00"}}, 'tag "k" ')):
        with pytest.raises(ValidationError) as info:
            db.register_model("m", exp="run-a", **kwargs)
        assert str(info.value) == message + problem
    assert registry_rows(db) == before
    db.register_model("m", exp="run-a", description="ok")
    with pytest.raises(ValidationError):
        db.update_model("m", description="a\x00b")
    assert db.list_models()[0]["description"] == "ok"
