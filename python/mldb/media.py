"""Media per step: images, tables and histograms stored under the experiment's
artifact folder (``<database folder>/artifacts/<exp>/media/<name>/<step>.<ext>``)
and recorded as file pointers with their step and name, exactly as
src/api/media.ts does. Standard library only: numpy arrays are encoded as PNG
with zlib (numpy itself is used only when the caller passes an array)."""

import hashlib
import json
import math
import os
import struct
import zlib

from .errors import ValidationError
from .js_json import js_number
from .validate import check_exp_name, check_series_name, check_step, describe

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_KEEP = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


# Longest path segment mldb writes, in bytes: under the 255-byte file-name limit of common file systems.
_SEGMENT_MAX = 200
# Hex digits of the name's sha256 that end a shortened segment.
_HASH_HEX = 16


def _encode_char(ch, first):
    """One character as a path segment writes it: letters, digits, ``_``, ``-`` kept, ``.`` kept
    unless first, other UTF-8 bytes ``%XX``."""
    b = ch.encode("utf-8")
    if (len(b) == 1 and b[0] in _KEEP) or (ch == "." and not first):
        return ch
    return "".join("%%%02X" % x for x in b)


def _segment(text):
    """One path segment, as in TypeScript (docs/schema.md, "Media files"): letters, digits,
    ``_``, ``-`` kept, ``.`` kept except in front (no ``..``), every other UTF-8 byte as ``%XX``.
    An encoded name over 200 bytes would pass the file system's 255-byte limit: it becomes the
    whole characters that fit in 183 bytes, ``~`` and 16 hex digits of the name's sha256
    (``~`` is never kept as is, so a shortened segment never equals a short name's)."""
    chars = [_encode_char(ch, i == 0) for i, ch in enumerate(text)]
    whole = "".join(chars)
    if len(whole) <= _SEGMENT_MAX:
        return whole
    room = _SEGMENT_MAX - 1 - _HASH_HEX
    prefix = ""
    for c in chars:
        if len(prefix) + len(c) > room:
            break
        prefix += c
    return "%s~%s" % (prefix, hashlib.sha256(text.encode("utf-8")).hexdigest()[:_HASH_HEX])


def artifact_dir(db_path, exp):
    """The folder where mldb writes an experiment's logged media:
    ``<folder of the database file>/artifacts/<experiment>/``.

    >>> artifact_dir('/data/mldb.db', 'run-1')
    '/data/artifacts/run-1'
    """
    return os.path.join(os.path.dirname(db_path), "artifacts", _segment(check_exp_name(exp)))


def _media_parts(name):
    n = check_series_name(name)
    parts = n.split("/")
    if any(p.strip() == "" for p in parts):
        raise ValidationError('media name "%s" has an empty part between slashes; use names such as "samples/valid"' % n,
                              "name")
    return [_segment(p) for p in parts]


def _record_media(db, exp, path, **options):
    """Records a file _write_media wrote; a refused record (read-only, closed, busy) leaves no file behind."""
    try:
        return db.add_file(exp, path, **options)
    except BaseException:
        os.remove(path)
        raise


def _write_media(db, exp, name, step, ext, data):
    folder = os.path.join(artifact_dir(db.path, exp), "media", *_media_parts(name))
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "%d.%s" % (step, ext))
    i = 2
    while os.path.exists(path):
        path = os.path.join(folder, "%d_%d.%s" % (step, i, ext))
        i += 1
    with open(path, "xb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_png(pixels):
    """Encodes 8-bit pixels as PNG bytes: rows of values (grey), of ``[r, g, b]`` or
    ``[r, g, b, a]``; a numpy array of shape (H, W), (H, W, 1|3|4) works too (floats
    in [0, 1] are scaled to 0..255), and so does a torch tensor of that shape or in
    torch's own (C, H, W). ``encode_png([[0, 255]])`` is a 2×1 grey PNG."""
    if hasattr(pixels, "detach") and hasattr(pixels, "is_floating_point"):
        # A torch tensor: its dtype has no numpy ``kind``, so a float one in [0, 1] would be
        # truncated to 0 and 1 below; as numpy (float32: numpy has no bfloat16) it is scaled.
        t = pixels.detach().cpu()
        if t.dim() == 3 and t.shape[0] in (1, 3, 4) and t.shape[2] not in (1, 3, 4):
            # channels first, as torchvision's ToTensor gives it: unambiguous only when the
            # last dimension cannot be channels (a 3×H×3 tensor stays H×W×C)
            t = t.permute(1, 2, 0)
        pixels = (t.float() if t.is_floating_point() else t).numpy()
    shape = getattr(pixels, "shape", None)
    if isinstance(shape, tuple) and not (len(shape) == 2 or (len(shape) == 3 and shape[2] in (1, 3, 4))):
        raise ValidationError("an image is H×W, H×W×C or a tensor C×H×W (C 1, 3 or 4), got shape %s" % (shape,), "image")
    if hasattr(pixels, "shape") and hasattr(pixels, "tolist"):
        kind = getattr(getattr(pixels, "dtype", None), "kind", "")
        if kind == "f":
            pixels = (pixels.clip(0, 1) * 255).round()
        rows = pixels.tolist()
    else:
        rows = pixels
    if not isinstance(rows, (list, tuple)) or not rows or not isinstance(rows[0], (list, tuple)) or not rows[0]:
        raise ValidationError("an image needs rows of pixels (H×W, H×W×3 or H×W×4), got %s" % describe(pixels), "image")
    height, width = len(rows), len(rows[0])
    first = rows[0][0]
    channels = len(first) if isinstance(first, (list, tuple)) else 0
    if channels not in (0, 1, 3, 4):
        raise ValidationError("image pixels must have 1, 3 or 4 channels, got %d" % channels, "image")
    raw = bytearray()
    for row in rows:
        if not isinstance(row, (list, tuple)) or len(row) != width:
            raise ValidationError("image rows must all have %d pixels" % width, "image")
        if channels and any(not isinstance(px, (list, tuple)) or len(px) != channels for px in row):
            raise ValidationError("image pixels must all have %d channels" % channels, "image")
        raw.append(0)
        try:
            raw.extend(int(v) for px in row for v in px) if channels else raw.extend(int(v) for v in row)
        except (TypeError, ValueError):
            raise ValidationError("image values must be integers 0..255 (or floats 0..1 in a numpy array)",
                                  "image") from None
    color = {0: 0, 1: 0, 3: 2, 4: 6}[channels]
    ihdr = struct.pack(">IIBBBBB", width, height, 8, color, 0, 0, 0)
    return _PNG_MAGIC + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(bytes(raw))) + _chunk(b"IEND", b"")


def image_info(data):
    """``{'format', 'width', 'height'}`` of PNG or JPEG bytes, or None for anything else."""
    if len(data) >= 24 and data[:8] == _PNG_MAGIC:
        w, h = struct.unpack(">II", data[16:24])
        return {"format": "png", "width": w, "height": h}
    if len(data) >= 3 and data[:3] == b"\xff\xd8\xff":
        i = 2
        while i + 9 < len(data) and data[i] == 0xFF:
            marker = data[i + 1]
            (length,) = struct.unpack(">H", data[i + 2:i + 4])
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                h, w = struct.unpack(">HH", data[i + 5:i + 9])
                return {"format": "jpeg", "width": w, "height": h}
            i += 2 + length
        return {"format": "jpeg"}
    return None


def log_image(db, exp, name, step, image):
    """``db.log_image``: see there."""
    check_exp_name(exp)
    _media_parts(name)
    check_step(step)
    if isinstance(image, (bytes, bytearray, memoryview)):
        data = bytes(image)
    elif isinstance(image, (str, os.PathLike)):
        try:
            with open(image, "rb") as f:
                data = f.read()
        except OSError:
            raise ValidationError("log_image: cannot read image file %s; give PNG/JPEG bytes or the path of an "
                                  "existing file" % os.fspath(image), "image") from None
    elif hasattr(image, "shape") or isinstance(image, (list, tuple)):
        data = encode_png(image)
    elif hasattr(image, "save") and hasattr(image, "mode"):  # a Pillow image
        import io

        buf = io.BytesIO()
        image.save(buf, format="PNG")
        data = buf.getvalue()
    else:
        raise ValidationError("log_image takes PNG/JPEG bytes, a path, a numpy array or rows of pixels, got %s"
                              % describe(image), "image")
    info = image_info(data)
    if info is None:
        raise ValidationError("log_image: %s are not a PNG or JPEG image"
                              % (image if isinstance(image, str) else "the bytes"), "image")
    path = _write_media(db, exp, name, step, "png" if info["format"] == "png" else "jpg", data)
    return _record_media(db, exp, path, kind="image", step=step, meta=dict({"media": "image", "name": name}, **info))


def _csv_cell(v):
    s = "" if v is None else json.dumps(v, separators=(",", ":")) if isinstance(v, (dict, list)) else \
        ("true" if v is True else "false" if v is False else js_number(v) if isinstance(v, float) else str(v))
    # floats as JavaScript's String() writes them (1.0 -> 1, NaN, 1.5e-7), so CSVs match TypeScript's byte for byte
    return '"%s"' % s.replace('"', '""') if any(c in s for c in '",\n\r') else s


def log_table(db, exp, name, step, table, format="json"):
    """``db.log_table``: see there."""
    check_exp_name(exp)
    _media_parts(name)
    check_step(step)
    if format not in ("json", "csv"):
        raise ValidationError('log_table format must be "json" or "csv", got %s' % describe(format), "format")
    if isinstance(table, (list, tuple)):
        if any(not isinstance(r, dict) for r in table):
            raise ValidationError("log_table rows must be dicts such as {'label': 'cat', 'score': 0.9}", "table")
        columns = []
        for r in table:
            for k in r:
                if k not in columns:
                    columns.append(k)
        rows = [[r.get(c) for c in columns] for r in table]
    elif isinstance(table, dict) and isinstance(table.get("columns"), (list, tuple)):
        columns = list(table["columns"])
        rows = table.get("rows")
        if not isinstance(rows, (list, tuple)) or any(not isinstance(r, (list, tuple)) or len(r) != len(columns)
                                                      for r in rows):
            raise ValidationError("log_table rows must be lists of %d values, one per column" % len(columns), "table")
        rows = [list(r) for r in rows]
    else:
        raise ValidationError("log_table takes rows as dicts or {'columns': [...], 'rows': [[...]]}, got %s"
                              % describe(table), "table")
    if format == "json":
        text = json.dumps({"columns": columns, "rows": _nan_to_null(rows)}, separators=(",", ":"), default=str)
    else:
        text = "".join(",".join(_csv_cell(v) for v in r) + "\n" for r in [columns] + rows)
    path = _write_media(db, exp, name, step, format, text)
    return _record_media(db, exp, path, kind="data", step=step,
                       meta={"media": "table", "name": name, "format": format, "columns": len(columns),
                             "rows": len(rows)})


def _nan_to_null(rows):
    # JSON has no NaN: JSON.stringify writes null, and so do we.
    return [[None if isinstance(v, float) and (math.isnan(v) or math.isinf(v)) else v for v in r] for r in rows]


def histogram(values, bins=64):
    """Edges and counts of ``values`` in ``bins`` equal buckets from min to max (NaN and ±inf left out)."""
    finite = [float(v) for v in values if not (math.isnan(v) or math.isinf(v))]
    if not finite:
        return {"edges": [], "counts": []}
    lo, hi = min(finite), max(finite)
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    width = (hi - lo) / bins
    edges = [hi if i == bins else lo + i * width for i in range(bins + 1)]
    counts = [0] * bins
    for v in finite:
        counts[min(bins - 1, int(math.floor((v - lo) / width)))] += 1
    return {"edges": edges, "counts": counts}


def log_histogram(db, exp, name, step, values, bins=64):
    """``db.log_histogram``: see there."""
    check_exp_name(exp)
    _media_parts(name)
    check_step(step)
    if isinstance(bins, bool) or not isinstance(bins, int) or not 1 <= bins <= 10000:
        raise ValidationError("log_histogram bins must be an integer 1..10000, got %s" % describe(bins), "bins")
    if isinstance(values, dict):
        edges, counts = values.get("edges"), values.get("counts")
        ok = isinstance(edges, (list, tuple)) and isinstance(counts, (list, tuple)) and len(edges) == len(counts) + 1 \
            and all(isinstance(e, (int, float)) and not isinstance(e, bool) and math.isfinite(e) for e in edges) \
            and all(edges[i] > edges[i - 1] for i in range(1, len(edges))) \
            and all(isinstance(c, (int, float)) and not isinstance(c, bool) and math.isfinite(c) and c >= 0
                    for c in counts)
        if not ok:
            raise ValidationError("log_histogram takes increasing finite edges and one count >= 0 per bucket "
                                  "(len(edges) = len(counts) + 1)", "histogram")
        h = {"edges": list(edges), "counts": list(counts)}
    else:
        if hasattr(values, "tolist"):
            values = values.ravel().tolist() if hasattr(values, "ravel") else values.tolist()
        if not isinstance(values, (list, tuple)) or any(
                isinstance(v, bool) or not isinstance(v, (int, float)) for v in values):
            raise ValidationError("log_histogram takes numbers or {'edges': [...], 'counts': [...]}, got %s"
                                  % describe(values), "values")
        h = histogram(values, bins)
    path = _write_media(db, exp, name, step, "json", json.dumps(h, separators=(",", ":")))
    meta = {"media": "histogram", "name": name, "bins": len(h["counts"]), "total": sum(h["counts"])}
    if h["edges"]:
        meta["min"], meta["max"] = h["edges"][0], h["edges"][-1]
    return _record_media(db, exp, path, kind="data", step=step, meta=meta)
