"""JSON text exactly as JavaScript's ``JSON.stringify`` writes it.

Params are written once and compared as text, and both clients write them, so
Python must produce the very bytes TypeScript would: no spaces after separators,
``1`` not ``1.0``, ``1e-7`` not ``1e-07``, non-ASCII left as is.
"""

import json
import math
from decimal import Decimal


def js_number(x):
    """A number as JavaScript's ``String(x)`` renders it (``1.0`` -> ``'1'``)."""
    if isinstance(x, bool):
        raise TypeError("a bool is not a number here")
    if isinstance(x, int):
        return str(x)
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    if x < 0:
        return "-" + js_number(-x)
    # repr is the shortest round-trip form, as JavaScript's; only the layout differs.
    _, digits, exp = Decimal(repr(x)).as_tuple()
    ds = "".join(map(str, digits)).rstrip("0")
    exp += len(digits) - len(ds)
    k = len(ds)
    n = exp + k  # x = 0.ds * 10**n
    if k <= n <= 21:
        return ds + "0" * (n - k)
    if 0 < n <= 21:
        return ds[:n] + "." + ds[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + ds
    e = n - 1
    sign = "+" if e >= 0 else "-"
    mantissa = ds if k == 1 else ds[0] + "." + ds[1:]
    return "%se%s%d" % (mantissa, sign, abs(e))


class JsonValueError(ValueError):
    """A value has no JSON form (NaN, a set, an object ...)."""


def js_stringify(value, _depth=0):
    """``JSON.stringify(value)``; raises JsonValueError for what JSON cannot hold."""
    if _depth > 200:
        raise JsonValueError("it is nested too deeply (or refers to itself)")
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise JsonValueError("JSON cannot hold %s" % js_number(value))
        return js_number(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(js_stringify(v, _depth + 1) for v in value) + "]"
    if isinstance(value, dict):
        parts = []
        for k, v in value.items():
            if not isinstance(k, str):
                raise JsonValueError("its key %r is not a string" % (k,))
            parts.append(json.dumps(k, ensure_ascii=False) + ":" + js_stringify(v, _depth + 1))
        return "{" + ",".join(parts) + "}"
    if hasattr(value, "__index__"):  # numpy integers
        return str(value.__index__())
    if hasattr(value, "__float__") and not isinstance(value, (bytes, bytearray)):
        return js_stringify(float(value), _depth)  # numpy floats, Decimal
    raise JsonValueError("a %s is not a JSON value" % type(value).__name__)
