"""log_image / log_table / log_histogram: media per step under the artifact folder,
as test/integrations/media.test.ts checks for TypeScript."""

import json
import os
import struct
import zlib

import pytest

from mldb import Database, ValidationError
from mldb.media import artifact_dir, encode_png

# A minimal baseline JPEG header: SOI, APP0 (JFIF), SOF0 of 3×2.
JPEG = bytes([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00,
              0x01, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x02, 0x00, 0x03, 0x01, 0x01, 0x11, 0x00, 0xFF,
              0xD9])


@pytest.fixture
def db(tmp_path):
    with Database(str(tmp_path / "m.db")) as d:
        yield d


def test_png_bytes_a_jpeg_file_and_pixel_rows_become_image_files_with_step_and_name(db, tmp_path):
    png = encode_png([[[255, 0, 0], [0, 255, 0]], [[0, 0, 255], [255, 255, 255]]])
    a = db.log_image("exp", "samples", 3, png)
    assert a["kind"] == "image" and a["step"] == 3 and a["size"] == len(png)
    assert a["meta"] == {"media": "image", "name": "samples", "format": "png", "width": 2, "height": 2}
    assert a["path"] == str(tmp_path / "artifacts" / "exp" / "media" / "samples" / "3.png")
    assert artifact_dir(db.path, "exp") == str(tmp_path / "artifacts" / "exp")
    assert open(a["path"], "rb").read() == png

    jpg = tmp_path / "photo.jpg"
    jpg.write_bytes(JPEG)
    b = db.log_image("exp", "valid/pred", 4, str(jpg))
    assert b["meta"] == {"media": "image", "name": "valid/pred", "format": "jpeg", "width": 3, "height": 2}
    assert b["path"] == str(tmp_path / "artifacts" / "exp" / "media" / "valid" / "pred" / "4.jpg")

    c = db.log_image("exp", "samples", 3, [[128]])
    assert c["path"] == str(tmp_path / "artifacts" / "exp" / "media" / "samples" / "3_2.png")
    assert [(f["meta"]["name"], f["step"]) for f in db.get_files("exp", kind="image")] == [
        ("samples", 3), ("valid/pred", 4), ("samples", 3)]


def test_encode_png_writes_the_signature_size_and_pixel_rows():
    png = encode_png([[0, 128, 255]])
    assert png[1:4] == b"PNG"
    assert struct.unpack(">II", png[16:24]) + (png[24], png[25]) == (3, 1, 8, 0)
    (n,) = struct.unpack(">I", png[33:37])
    assert png[37:41] == b"IDAT"
    assert list(zlib.decompress(png[41:41 + n])) == [0, 0, 128, 255]


def test_names_that_are_not_plain_words_stay_inside_the_artifact_folder_as_in_typescript(db, tmp_path):
    f = db.log_image("../up", "../../etc", 0, [[0]])
    assert f["path"] == str(tmp_path / "artifacts" / "%2E.%2Fup" / "media" / "%2E." / "%2E." / "etc" / "0.png")


def test_tables_as_json_or_csv_and_histograms_as_edges_and_counts(db):
    t = db.log_table("exp", "predictions", 1, [{"label": "cat", "score": 0.9}, {"label": 'dog, "big"', "score": 0.4,
                                                                                 "extra": True}])
    assert t["kind"] == "data" and t["step"] == 1
    assert t["meta"] == {"media": "table", "name": "predictions", "format": "json", "columns": 3, "rows": 2}
    assert json.load(open(t["path"])) == {"columns": ["label", "score", "extra"],
                                          "rows": [["cat", 0.9, None], ['dog, "big"', 0.4, True]]}
    csv = db.log_table("exp", "predictions", 2, {"columns": ["label", "score"], "rows": [['dog, "big"', 0.4]]},
                       format="csv")
    assert csv["path"].endswith("2.csv")
    assert open(csv["path"]).read() == 'label,score\n"dog, ""big""",0.4\n'

    h = db.log_histogram("exp", "weights", 5, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, float("nan")], bins=5)
    assert h["meta"] == {"media": "histogram", "name": "weights", "bins": 5, "total": 10, "min": 0, "max": 9}
    assert json.load(open(h["path"]))["counts"] == [2, 2, 2, 2, 2]
    given = db.log_histogram("exp", "weights", 6, {"edges": [0, 1, 2], "counts": [3, 4]})
    assert json.load(open(given["path"])) == {"edges": [0, 1, 2], "counts": [3, 4]}


def test_a_csv_table_writes_floats_as_typescript_does_nan_and_infinity_included(db):
    # NaN and Infinity raised "ValueError: cannot convert float NaN to integer" (a stack trace,
    # no file), and 1.5e-7 was written as Python's 1.5e-07 where TypeScript writes 1.5e-7
    rows = [[float("nan"), float("inf"), float("-inf")], [1.5e-7, 2.0, 1e21]]
    f = db.log_table("exp", "odd", 0, {"columns": ["a", "b", "c"], "rows": rows}, format="csv")
    assert open(f["path"]).read() == "a,b,c\nNaN,Infinity,-Infinity\n1.5e-7,2,1e+21\n"


def test_bad_media_writes_neither_a_file_nor_a_record(db, tmp_path):
    with pytest.raises(ValidationError, match="not a PNG or JPEG"):
        db.log_image("exp", "samples", 0, b"hello")
    with pytest.raises(ValidationError):
        db.log_image("exp", "samples", 0, str(tmp_path / "missing.png"))
    with pytest.raises(ValidationError, match="step"):
        db.log_image("exp", "samples", 1.5, JPEG)
    with pytest.raises(ValidationError, match="empty part"):
        db.log_image("exp", "a//b", 0, JPEG)
    with pytest.raises(ValidationError, match="pixels"):
        db.log_image("exp", "raw", 0, [[1, 2], [3]])
    with pytest.raises(ValidationError):
        db.log_table("exp", "t", 0, {"columns": ["a"], "rows": [[1, 2]]})
    with pytest.raises(ValidationError, match="format"):
        db.log_table("exp", "t", 0, [], format="xml")
    with pytest.raises(ValidationError):
        db.log_histogram("exp", "h", 0, {"edges": [0, 1], "counts": [1, 2]})
    assert db.list_experiments() == []
    assert not os.path.exists(tmp_path / "artifacts") or os.listdir(tmp_path / "artifacts") == []


def test_a_run_logs_media_at_its_current_step(db):
    run = db.start_run(name="r", handle_exit=False)
    run.log({"loss": 1.0}, step=7)
    assert run.log_image("samples", JPEG)["step"] == 7
    assert run.log_histogram("w", [1, 2, 3], step=8, bins=2)["step"] == 8
    assert run.log_table("t", [{"a": 1}])["step"] == 7
    run.finish()


def test_a_refused_record_leaves_no_file_behind(tmp_path):
    d = Database(str(tmp_path / "m.db"))
    d.set_exp_status("exp", "TRAINING")
    d.close()
    with pytest.raises(Exception, match="closed"):
        d.log_table("exp", "t", 0, [{"a": 1}])
    media = os.path.join(artifact_dir(d.path, "exp"), "media")
    assert [f for _, _, files in os.walk(media) for f in files] == []
