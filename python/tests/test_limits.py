"""Limits on stored values (docs/schema.md, "Limits"), the same as TypeScript's,
and listings that survive rows written before the limits existed."""

import json
import re
import sqlite3
import sys

import pytest

from mldb import Database, ValidationError

UNDECODABLE = "[not shown: not JSON or nested deeper than 1000 levels]"


def nested(levels):
    o = 1
    for _ in range(levels):
        o = [o]
    return o


def nested_text(levels):
    """nested(levels) as JSON text (json.dumps itself gives up near 1,000 levels)."""
    return "[" * levels + "1" + "]" * levels


def legacy_param(db_path, exp, key, text):
    """A param row as a client without limits wrote it."""
    con = sqlite3.connect(db_path)
    with con:
        con.execute(
            "INSERT INTO params (experiment_id, key, value) SELECT id, ?, ? FROM experiments WHERE name = ?", (key, text, exp)
        )
    con.close()


def test_deep_wide_and_large_params_are_refused_naming_the_key_and_limit(db_path):
    with Database(db_path) as db:
        with pytest.raises(ValidationError, match=r'param "d" is nested over 32 levels deep; the limit is 32'):
            db.set_params("e", {"ok": 1, "d": nested(33)})
        with pytest.raises(ValidationError, match="the limit is 32"):
            db.set_params("e", {"d": nested(5000)})
        with pytest.raises(ValidationError, match=r'param "w" has over 10000 keys and items; the limit is 10000'):
            db.set_params("e", {"w": {"k%d" % i: i for i in range(10_001)}})
        with pytest.raises(ValidationError, match=r'param "s" is 70002 bytes as JSON; the limit is 65536'):
            db.set_params("e", {"s": "x" * 70_000})
        with pytest.raises(ValidationError, match="bytes as JSON; the limit is 65536"):
            db.set_params("e", {"s": "€" * 30_000})
        assert db.list_experiments() == []
        db.set_params("e", {"d": nested(32), "w": [0] * 10_000, "s": "x" * 65_000})
        assert db.get_params("e")["d"] == nested(32)


def test_file_meta_tags_and_counts_have_the_same_limits_as_typescript(db_path, tmp_path):
    f = tmp_path / "w.bin"
    f.write_bytes(b"x")
    with Database(db_path) as db:
        with pytest.raises(ValidationError, match="file meta is nested over 32 levels deep"):
            db.add_file("e", str(f), meta={"d": nested(40)})
        db.set_params("e", {"p%d" % i: i for i in range(999)})
        with pytest.raises(ValidationError, match=r'experiment "e" would have 1001 params; the limit is 1000'):
            db.set_params("e", {"a": 1, "b": 2})
        assert len(db.get_params("e")) == 999
        with pytest.raises(ValidationError, match="1001 tags; the limit is 1000"):
            db.set_tags("e", {"t%d" % i: "x" for i in range(1001)})
        assert db.get_tags("e") == {}
        with pytest.raises(ValidationError, match=r'tag "long" is 70000 bytes; the limit is 65536'):
            db.set_tags("e", {"long": "x" * 70_000})
        assert db.get_tags("e") == {} and db.get_files("e") == []


def test_listing_survives_a_1001_deep_and_a_million_key_param_written_before_the_limits(db_path):
    with Database(db_path) as db:
        for name in ("deep", "wide", "broken", "fine"):
            db.set_exp_status(name, "COMPLETE")
        db.set_params("fine", {"d": 1})
    legacy_param(db_path, "deep", "d", nested_text(1001))
    legacy_param(db_path, "wide", "d", json.dumps({"k%d" % i: i for i in range(1_000_000)}))
    legacy_param(db_path, "broken", "d", "{not json")
    with Database(db_path) as db:
        params = {e["name"]: e["params"]["d"] for e in db.list_experiments()}
        assert params["deep"] == UNDECODABLE
        assert re.fullmatch(r"\[not shown: \d{8} bytes, over the limit of 65536\]", params["wide"])
        assert params["broken"] == UNDECODABLE
        assert params["fine"] == 1
        assert [e["name"] for e in db.list_experiments(where="params.d = 1")] == ["fine"]
        assert len(db.list_experiments(where="params.d is not null", order_by="params.d desc")) == 4
        assert db.get_experiment("deep")["params"]["d"] == UNDECODABLE


def test_values_about_1000_deep_decode_whatever_the_stack(db_path):
    """json.loads gives up near the recursion limit; a 999-deep value is still JSON SQLite reads."""
    with Database(db_path) as db:
        db.set_exp_status("e", "COMPLETE")
    legacy_param(db_path, "e", "d", nested_text(999))

    def deep_call(n):
        return deep_call(n - 1) if n else Database(db_path).list_experiments()

    limit = sys.getrecursionlimit()
    got = deep_call(100)[0]["params"]["d"]
    for _ in range(999):  # walked, since == itself would recurse 999 deep
        assert isinstance(got, list) and len(got) == 1
        got = got[0]
    assert got == 1
    assert sys.getrecursionlimit() == limit


def test_file_meta_written_before_the_limits_reads_as_the_marker(db_path, tmp_path):
    f = tmp_path / "w.bin"
    f.write_bytes(b"x")
    with Database(db_path) as db:
        db.add_file("e", str(f), meta={"a": 1})
    con = sqlite3.connect(db_path)
    with con:
        con.execute("UPDATE file_pointers SET meta = ?", ('{"d":' + nested_text(1001) + "}",))
    con.close()
    with Database(db_path) as db:
        assert db.get_files("e")[0]["meta"] == UNDECODABLE
