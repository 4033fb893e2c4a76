"""Setting a param again: the same value (as parsed JSON) is a no-op, a different one a
ValidationError that writes nothing. The cases are test/golden/param-values.json, which
test/api/param-values.test.ts loads too, so both clients follow one rule."""

import json
import pathlib

import pytest

from mldb import Database, ValidationError

GOLDEN = json.loads((pathlib.Path(__file__).parents[2] / "test" / "golden" / "param-values.json").read_text("utf-8"))


def store_as_other_writer(db, exp, key, text):
    """Stores a param's JSON text as another writer did (TypeScript, an older version, an import)."""
    db.set_params(exp, {key: "placeholder"})
    db.connection.execute(
        "UPDATE params SET value = ? WHERE key = ? AND experiment_id = (SELECT id FROM experiments WHERE name = ?)", (text, key, exp)
    )
    db.connection.commit()


def stored_text(db, key):
    return db.connection.execute("SELECT value FROM params WHERE key = ?", (key,)).fetchone()[0]


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=[c["name"] for c in GOLDEN["cases"]])
def test_setting_a_param_again(db_path, case):
    with Database(db_path) as db:
        store_as_other_writer(db, "e", "p", case["stored"])
        value = json.loads(case["set"])
        if case["same"]:
            db.set_params("e", {"p": value, "other": 1})
            assert db.get_params("e")["other"] == 1
        else:
            with pytest.raises(ValidationError, match='param "p" of "e" is already'):
                db.set_params("e", {"p": value, "other": 1})
            # refused as a whole: the other key was not written either
            assert "other" not in db.get_params("e")
        # the stored text is never rewritten
        assert stored_text(db, "p") == case["stored"]


def test_a_row_that_is_not_json_is_refused_unless_the_same_text_is_set(db_path):
    with Database(db_path) as db:
        store_as_other_writer(db, "e", "p", "not json")
        with pytest.raises(ValidationError):
            db.set_params("e", {"p": "not json"})
        assert stored_text(db, "p") == "not json"
