"""U+0000 (NUL): PostgreSQL's text cannot hold it (a team server there answered 500 and the
sender re-sent it forever), and Python's SQLite 3.40 cuts a JSON string at it. Every text a
write takes refuses it with a ValidationError naming the field, and the refused call writes
nothing (the same cases as test/api/nul-text.test.ts)."""

import pytest

from mldb import Database, ValidationError

NUL = "a\x00b"
PROBLEM = " contains U+0000 (NUL); PostgreSQL and some SQLite versions cannot keep it \u2014 remove it"

# (what, the call, the field the error names, what the message names)
CASES = [
    ("experiment name", lambda db: db.set_params("exp" + NUL, {"lr": 1}), "experiment name", "experiment name"),
    ("project name", lambda db: db.set_exp_status("e", "COMPLETE", project=NUL), "project name", "project name"),
    ("param key", lambda db: db.set_params("e", {"ok": 1, NUL: 1}), "param key", "param key"),
    ("param value string", lambda db: db.set_params("e", {"ok": 1, "p": {"deep": ["x", NUL]}}), "p", 'param "p"'),
    ("key inside a param value", lambda db: db.set_params("e", {"ok": 1, "p": {NUL: 1}}), "p", 'param "p"'),
    ("tag key", lambda db: db.set_tags("e", {"ok": "x", NUL: "v"}), "tag key", "tag key"),
    ("tag value", lambda db: db.set_tags("e", {"ok": "x", "t": NUL}), "t", 'tag "t"'),
    ("notes", lambda db: db.set_notes("e", NUL), "notes", "notes"),
    ("status", lambda db: db.set_exp_status("e", "DONE" + NUL), "status", "status"),
    ("series name", lambda db: db.add_metric_value("e", NUL, 0, 1.0), "series name", "series name"),
    ("split", lambda db: db.add_metric_value("e", "loss", 0, 1.0, split=NUL), "split", "split"),
]


@pytest.mark.parametrize("what, call, field, named", CASES, ids=[c[0] for c in CASES])
def test_a_nul_is_refused_naming_the_field_and_nothing_is_written(db_path, what, call, field, named):
    with Database(db_path) as db:
        db.set_exp_status("e", "PENDING")
        before = db.get_experiment("e")
        with pytest.raises(ValidationError) as info:
            call(db)
        assert str(info.value) == named + PROBLEM
        assert info.value.field == field
        assert [e["name"] for e in db.list_experiments()] == ["e"]
        assert db.get_experiment("e") == before


def test_a_nul_in_file_meta_is_refused_and_no_file_is_recorded(db_path, tmp_path):
    path = tmp_path / "model.pt"
    path.write_bytes(b"weights")
    with Database(db_path) as db:
        db.set_exp_status("e", "PENDING")
        with pytest.raises(ValidationError) as info:
            db.add_file("e", str(path), meta={"note": NUL})
        assert str(info.value) == "file meta" + PROBLEM
        assert db.get_files("e") == []
