"""Argument checks shared by every call, with the same rules and messages as
src/api/validate.ts, so both clients accept and refuse the same things."""

import json
import math
import re

from .errors import ValidationError
from .js_json import JsonValueError, js_number, js_stringify

# Control characters make names unprintable in the shell and the dashboard.
_CONTROL = re.compile("[\u0000-\u001f\u007f]")
MAX_SAFE_INTEGER = 2**53 - 1
# What JavaScript's String.prototype.trim removes (str.strip() differs on U+0085 and U+FEFF).
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u2028\u2029\u202f\u205f\u3000\ufeff"


def js_trim(s):
    """s without the leading and trailing white space JavaScript's trim() removes."""
    return s.strip(_JS_SPACE)


def describe(value):
    """A short, printable rendering of any value for error messages."""
    if isinstance(value, str):
        return json.dumps(value[:40] + "..." if len(value) > 40 else value, ensure_ascii=False)
    if isinstance(value, float) and not math.isfinite(value):
        return js_number(value)
    try:
        s = js_stringify(value)
    except (JsonValueError, TypeError, ValueError):
        s = repr(value)
    return s[:60] + "..." if len(s) > 60 else s


def _js_length(s):
    """Length in UTF-16 code units, as JavaScript counts it."""
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def _check_name(what, value, limit, extra=None):
    if not isinstance(value, str):
        raise ValidationError("%s must be a string, got %s" % (what, describe(value)), what)
    if js_trim(value) == "":
        raise ValidationError('%s is empty; give it a name such as "TestModel"' % what, what)
    n = _js_length(value)
    if n > limit:
        raise ValidationError('%s "%s..." is %d characters; the limit is %d' % (what, value[:40], n, limit), what)
    if _CONTROL.search(value):
        raise ValidationError("%s %s contains control characters; remove them" % (what, json.dumps(value)), what)
    problem = extra(value) if extra else None
    if problem:
        raise ValidationError(problem, what)
    return value


def check_exp_name(v):
    """An experiment name: a printable string of at most 256 characters."""
    return _check_name("experiment name", v, 256)


def check_project_name(v):
    """A project name: a printable string of at most 128 characters."""
    return _check_name("project name", v, 128)


def check_series_name(v):
    """A series (metric) name: a printable string of at most 128 characters."""
    return _check_name("series name", v, 128)


def check_key(what, v):
    """A param or tag key."""
    return _check_name(what, v, 256)


#: The canonical statuses; any other text is kept as written (src/api/validate.ts).
CANONICAL_STATUSES = ("PENDING", "TRAINING", "VALIDATING", "COMPLETE", "FAILED", "KILLED")


def check_status(v):
    """A status: free text, with the canonical ones matched case-insensitively (after
    trimming) and stored upper-case, as TypeScript's checkStatus; LOST is derived
    from the heartbeat and cannot be set."""

    def not_lost(s):
        if js_trim(s).upper() == "LOST":
            return "status LOST is derived from a stopped heartbeat and cannot be set; use FAILED or KILLED"
        return None

    s = _check_name("status", v, 64, not_lost)
    upper = js_trim(s).upper()
    return upper if upper in CANONICAL_STATUSES else s


def check_split(value):
    """A split is '' (none), 'train', 'valid', ...; no '/' since filters write split/name."""
    if value is None or value == "":
        return ""

    def no_slash(s):
        if "/" in s:
            return 'split "%s" contains "/"; filters address series as split/name, so use another character' % s
        return None

    return _check_name("split", value, 64, no_slash)


def check_step(value):
    """A step is the epoch or iteration: an integer >= 0 (3.0 counts, as in JavaScript)."""
    step = None
    if not isinstance(value, bool):
        if isinstance(value, float):
            if value.is_integer():
                step = int(value)
        elif hasattr(value, "__index__"):
            step = value.__index__()
    if step is None or step < 0 or step > MAX_SAFE_INTEGER:
        raise ValidationError("step must be an integer >= 0 (the epoch or iteration), got %s" % describe(value), "step")
    return step


def check_value(name, value):
    """A value is any real number, NaN and ±inf included; returned as float."""
    if not isinstance(value, (bool, str, bytes)) and (isinstance(value, (int, float)) or hasattr(value, "__float__")):
        try:
            return float(value)
        except (TypeError, ValueError, OverflowError):
            pass
    raise ValidationError(
        'value of "%s" must be a number (NaN and Infinity allowed), got %s' % (name, describe(value)), "value"
    )


def to_json_value(key, value):
    """A param value as JSON text, as JavaScript would write it."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(
            'param "%s" is %s; JSON cannot hold NaN or Infinity, store it as a string' % (key, js_number(value)), key
        )
    try:
        return js_stringify(value)
    except JsonValueError as e:
        raise ValidationError(
            'param "%s" cannot be stored as JSON: %s; use a JSON value (number, string, boolean, None, list, dict)'
            % (key, e),
            key,
        ) from None


def check_record(what, value):
    """A dict of key -> value, as set_params and set_tags take."""
    if not isinstance(value, dict):
        raise ValidationError("%s must be a dict such as {'lr': 0.01}, got %s" % (what, describe(value)), what)
    return value


def tag_text(key, value):
    """A tag value as text: str, or a number/bool written as JavaScript's String() would."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return js_number(value)
    raise ValidationError('tag "%s" must be a string, number or boolean, got %s' % (key, describe(value)), key)
