"""A lone surrogate (U+D800..U+DFFF) has no UTF-8 form: sqlite3 raised a bare
UnicodeEncodeError, and TypeScript stored invalid UTF-8. Every text a write takes refuses
it with a ValidationError naming the field, and the refused call writes nothing
(the same cases as test/api/lone-surrogates.test.ts)."""

import pytest

from mldb import Database, ValidationError

LONE = "a\udc00b"

# (what, the call, the field the error names, the start of the message)
CASES = [
    ("experiment name", lambda db: db.set_params("exp" + LONE, {"lr": 1}), "experiment name", "experiment name contains"),
    ("project name", lambda db: db.set_exp_status("e", "COMPLETE", project=LONE), "project name", "project name contains"),
    ("param key", lambda db: db.set_params("e", {"ok": 1, LONE: 1}), "param key", "param key contains"),
    ("param value string", lambda db: db.set_params("e", {"ok": 1, "p": {"deep": ["x", LONE]}}), "p", 'param "p" contains'),
    ("key inside a param value", lambda db: db.set_params("e", {"ok": 1, "p": {LONE: 1}}), "p", 'param "p" contains'),
    ("tag key", lambda db: db.set_tags("e", {"ok": "x", LONE: "v"}), "tag key", "tag key contains"),
    ("tag value", lambda db: db.set_tags("e", {"ok": "x", "t": LONE}), "t", 'tag "t" contains'),
    ("notes", lambda db: db.set_notes("e", LONE), "notes", "notes contains"),
    ("status", lambda db: db.set_exp_status("e", "DONE" + LONE), "status", "status contains"),
]


@pytest.mark.parametrize("what, call, field, message", CASES, ids=[c[0] for c in CASES])
def test_a_lone_surrogate_is_refused_naming_the_field_and_nothing_is_written(db_path, what, call, field, message):
    with Database(db_path) as db:
        db.set_exp_status("e", "PENDING")
        before = db.get_experiment("e")
        with pytest.raises(ValidationError) as info:
            call(db)
        assert str(info.value) == message + " a lone UTF-16 surrogate (U+DC00); send valid Unicode text"
        assert info.value.field == field
        assert [e["name"] for e in db.list_experiments()] == ["e"]
        assert db.get_experiment("e") == before


def test_names_the_high_half_of_a_broken_pair_and_keeps_a_whole_emoji(db_path):
    with Database(db_path) as db:
        db.set_exp_status("e", "PENDING")
        with pytest.raises(ValidationError, match=r"tag \"t\" contains a lone UTF-16 surrogate \(U\+D83D\); send valid Unicode text"):
            db.set_tags("e", {"t": "x\ud83d"})
        db.set_tags("e", {"t": "\U0001f600"})
        assert db.get_tags("e") == {"t": "\U0001f600"}
