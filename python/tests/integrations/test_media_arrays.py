"""log_image and log_histogram with real numpy arrays and torch tensors (from the
frameworks venv): the PNG holds the pixels a user passed, floats in [0, 1] scaled to 0..255."""

import json
import struct
import zlib

from framework_venv import train  # noqa: F401  (the fixture)

from mldb import Database


def png_pixels(path):
    """(width, height, channels, rows of values) of an 8-bit, unfiltered PNG as mldb writes it."""
    with open(path, "rb") as f:
        data = f.read()
    width, height, _depth, color = struct.unpack(">IIBB", data[16:26])
    channels = {0: 1, 2: 3, 6: 4}[color]
    idat, i = b"", 8
    while i < len(data):
        (length,) = struct.unpack(">I", data[i:i + 4])
        if data[i + 4:i + 8] == b"IDAT":
            idat += data[i + 8:i + 8 + length]
        i += 12 + length
    raw = zlib.decompress(idat)
    row = width * channels + 1
    return width, height, channels, [list(raw[y * row + 1:(y + 1) * row]) for y in range(height)]


def test_numpy_arrays_and_torch_tensors_become_the_pngs_and_histograms_they_hold(train, tmp_path):
    db_path = tmp_path / "m.db"
    res = train("log_arrays.py", db_path)
    assert res.returncode == 0, res.stderr[-3000:]
    with Database(str(db_path)) as db:
        images = {f["meta"]["name"]: f for f in db.get_files("arrays", kind="image")}
        # floats in [0, 1] scaled to 0..255, and past 1 clipped
        assert png_pixels(images["grey_float"]["path"]) == (2, 2, 1, [[0, 128], [255, 255]])
        assert png_pixels(images["rgb_uint8"]["path"]) == (2, 1, 3, [[255, 0, 0, 0, 255, 0]])
        assert png_pixels(images["rgba_uint8"]["path"]) == (2, 3, 4, [[7] * 8] * 3)
        # a float tensor as a float array: not truncated to 0 and 1
        assert png_pixels(images["grey_tensor"]["path"]) == (2, 2, 1, [[0, 128], [255, 64]])
        assert png_pixels(images["grey_tensor_uint8"]["path"]) == (2, 2, 1, [[0, 128], [255, 3]])
        # a C×H×W tensor is turned to H×W×C; it was refused as "1, 3 or 4 channels, got 2"
        assert png_pixels(images["rgb_tensor_chw"]["path"]) == (2, 1, 3, [[255, 0, 0, 0, 255, 0]])
        # a batch is refused naming its shape (it read "image values must be integers 0..255")
        assert "batch: ValidationError: an image is H×W, H×W×C or a tensor C×H×W (C 1, 3 or 4), got shape (2, 3, 4, 4)" in res.stdout
        hists = {f["meta"]["name"]: f for f in db.get_files("arrays", kind="data")}
        with open(hists["weights"]["path"]) as f:
            assert json.load(f) == {"edges": [0, 2.75, 5.5, 8.25, 11], "counts": [3, 3, 3, 3]}
        with open(hists["grads"]["path"]) as f:
            assert json.load(f)["counts"] == [4, 4]
