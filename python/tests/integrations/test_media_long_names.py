"""Media folders of long names (docs/schema.md, "Media files"): a path segment over 200
bytes becomes a readable prefix, ``~`` and 16 hex digits of the name's sha256, as
test/integrations/media-long-names.test.ts checks for TypeScript."""

import hashlib
import os

import pytest

from mldb import Database
from mldb.media import artifact_dir

# 300 characters of 3 bytes each: 900 bytes of UTF-8, 2700 once percent-encoded.
LONG = "実験" * 150
PREFIX = "%E5%AE%9F%E9%A8%93" * 10  # the whole characters that fit in 183 bytes


def sha16(s):
    return hashlib.sha256(s.encode("utf-8")).hexdigest()[:16]


@pytest.fixture
def db(tmp_path):
    with Database(str(tmp_path / "m.db")) as d:
        yield d


def test_a_300_character_unicode_name_gets_a_prefix_and_a_hash_under_255_bytes(db, tmp_path):
    seg = PREFIX + "~" + sha16(LONG)
    f = db.log_image(LONG, "samples", 1, [[7]])
    assert f["path"] == str(tmp_path / "artifacts" / seg / "media" / "samples" / "1.png")
    assert len(seg.encode()) <= 200 and os.path.exists(f["path"])
    assert artifact_dir(db.path, LONG) == str(tmp_path / "artifacts" / seg)
    t = db.log_table(LONG, "tab", 1, [{"a": 1}])
    h = db.log_histogram(LONG, "hist", 1, [1, 2, 3])
    assert os.path.dirname(os.path.dirname(t["path"])) == str(tmp_path / "artifacts" / seg / "media")
    assert os.path.dirname(os.path.dirname(h["path"])) == str(tmp_path / "artifacts" / seg / "media")


def test_two_long_names_differing_at_the_end_never_share_a_folder(db, tmp_path):
    other = LONG[:-1] + "x"
    a = db.log_image(LONG, "samples", 1, [[7]])
    b = db.log_image(other, "samples", 1, [[7]])
    assert os.path.dirname(a["path"]) != os.path.dirname(b["path"])
    assert b["path"] == str(tmp_path / "artifacts" / (PREFIX + "~" + sha16(other)) / "media" / "samples" / "1.png")


def test_long_media_name_parts_are_shortened_and_short_names_keep_their_folders(db, tmp_path):
    part = "é" * 244
    f = db.log_image("exp", "valid/" + part, 2, [[7]])
    assert f["path"] == str(tmp_path / "artifacts" / "exp" / "media" / "valid" / ("%C3%A9" * 30 + "~" + sha16(part))
                            / "2.png")
    edge = db.log_image("a" * 191 + "é", "x", 0, [[7]])
    assert edge["path"] == str(tmp_path / "artifacts" / ("a" * 191 + "%C3%A9") / "media" / "x" / "0.png")
    seed = db.log_image("20220803_091702_TestModel", "x", 0, [[7]])
    assert seed["path"] == str(tmp_path / "artifacts" / "20220803_091702_TestModel" / "media" / "x" / "0.png")
