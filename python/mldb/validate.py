"""Argument checks shared by every call, with the same rules and messages as
src/api/validate.ts, so both clients accept and refuse the same things."""

import json
import math
import re

from .errors import ValidationError
from .js_json import JsonValueError, js_number, js_stringify
from .stored_json import JSON_MAX_BYTES, JSON_MAX_DEPTH, JSON_MAX_ITEMS, MAX_PARAMS, MAX_TAG_BYTES, MAX_TAGS, check_shape

# Control characters make names unprintable in the shell and the dashboard (a newline
# splits a name over two lines of `mldb ls`, an escape drives the terminal).
_CONTROL = re.compile("[\u0000-\u001f\u007f]")
# A tab prints as white space; MLflow's run and experiment names may hold one, so
# experiment and project names (what those import as) keep it.
_CONTROL_BUT_TAB = re.compile("[\u0000-\u0008\u000a-\u001f\u007f]")
#: Name lengths in UTF-16 code units, as src/api/validate.ts NAME_LIMITS (docs/schema.md,
#: "Limits"): MLflow's 250-character metric keys and 500-character experiment names, and a
#: 250-character run name plus the "-<32 hex>" an MLflow run of a taken name gets.
MAX_EXPERIMENT_NAME = 300
MAX_PROJECT_NAME = 500
MAX_SERIES_NAME = 250
MAX_KEY = 256
MAX_SAFE_INTEGER = 2**53 - 1
#: A step is any safe integer, negative ones included (MLflow logs step -1 for an
#: evaluation before training). BEFORE_FIRST_STEP lies below every step: the cursor
#: "from the start" (after_step, a series' tail, sync frontiers); -2**53 is exact in
#: JavaScript numbers, SQLite and PostgreSQL. docs/schema.md, "Steps".
MIN_STEP = -MAX_SAFE_INTEGER
MAX_STEP = MAX_SAFE_INTEGER
BEFORE_FIRST_STEP = -(2**53)
# What JavaScript's String.prototype.trim removes (str.strip() differs on U+0085 and U+FEFF).
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u2028\u2029\u202f\u205f\u3000\ufeff"


# A lone UTF-16 surrogate (U+D800..U+DFFF) has no UTF-8 form: sqlite3 would raise a bare
# UnicodeEncodeError, and TypeScript would store invalid UTF-8 (bytes ED B0 80). A Python str
# holds no surrogate pairs, so any such code point is refused (src/api/validate-text.ts).
_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(text):
    """``U+DC00`` of the first lone surrogate in text, or None when text is valid Unicode."""
    m = _SURROGATE.search(text)
    return "U+%04X" % ord(m.group()) if m else None


#: What is wrong with a NUL, without the field's name (src/api/validate-text.ts NUL_PROBLEM):
#: PostgreSQL's text and jsonb cannot hold U+0000 (a team server there answered 500, which a
#: sender retries forever), and Python's SQLite 3.40 cuts a JSON string at it.
NUL_PROBLEM = "contains U+0000 (NUL); PostgreSQL and some SQLite versions cannot keep it \u2014 remove it"


def text_problem(text):
    """What is wrong with text mldb would store, without the field's name (a lone
    surrogate or a NUL), or None when it may be stored."""
    unit = lone_surrogate(text)
    if unit:
        return "contains a lone UTF-16 surrogate (%s); send valid Unicode text" % unit
    return NUL_PROBLEM if "\0" in text else None


def check_unicode(what, field, text):
    """Refuses text mldb cannot store (a lone surrogate, or U+0000) with a ValidationError naming the field."""
    problem = text_problem(text)
    if problem:
        raise ValidationError("%s %s" % (what, problem), field)
    return text


def _text_problem_in_json(value):
    """What is wrong with the first string or dict key of a JSON value that text_problem
    refuses (walked without recursion; the caller has already bounded its size), or None."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            problem = text_problem(v)
            if problem:
                return problem
        elif isinstance(v, dict):
            for k, c in v.items():
                stack.append(k)
                stack.append(c)
        elif isinstance(v, (list, tuple)):
            stack.extend(v)
    return None


def check_json_text(what, field, value):
    """Refuses a JSON value (a sweep config) holding a lone surrogate or NUL in any string or
    key with a ValidationError naming it (src/api/validate-text.ts checkJsonText)."""
    problem = _text_problem_in_json(value)
    if problem:
        raise ValidationError("%s %s" % (what, problem), field)


def js_trim(s):
    """s without the leading and trailing white space JavaScript's trim() removes."""
    return s.strip(_JS_SPACE)


def describe(value):
    """A short, printable rendering of any value for error messages. Never raises:
    a list nested 5,000 deep (whose repr() is a RecursionError) or an object whose
    __repr__ raises still renders, so the ValidationError it is for is what the
    caller gets (issue 8 item 5, as describe() in TypeScript)."""
    try:
        if isinstance(value, str):
            return json.dumps(value[:40] + "..." if len(value) > 40 else value, ensure_ascii=False)
        if isinstance(value, float) and not math.isfinite(value):
            return js_number(value)
        try:
            s = js_stringify(value)
        except (JsonValueError, TypeError, ValueError):
            s = repr(value)
        return s[:60] + "..." if len(s) > 60 else s
    except Exception:  # noqa: BLE001 - an error message must not fail on its own value
        return "a value of type %s" % type(value).__name__


def _js_length(s):
    """Length in UTF-16 code units, as JavaScript counts it."""
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def _check_name(what, value, limit, extra=None, control=_CONTROL):
    if not isinstance(value, str):
        raise ValidationError("%s must be a string, got %s" % (what, describe(value)), what)
    check_unicode(what, what, value)
    if js_trim(value) == "":
        raise ValidationError('%s is empty; give it a name such as "TestModel"' % what, what)
    n = _js_length(value)
    if n > limit:
        raise ValidationError('%s "%s..." is %d characters; the limit is %d' % (what, value[:40], n, limit), what)
    if control.search(value):
        raise ValidationError("%s %s contains control characters; remove them" % (what, json.dumps(value)), what)
    problem = extra(value) if extra else None
    if problem:
        raise ValidationError(problem, what)
    return value


def check_exp_name(v):
    """An experiment name: a printable string (tabs allowed) of at most 300 characters."""
    return _check_name("experiment name", v, MAX_EXPERIMENT_NAME, control=_CONTROL_BUT_TAB)


def check_project_name(v):
    """A project name: a printable string (tabs allowed) of at most 500 characters."""
    return _check_name("project name", v, MAX_PROJECT_NAME, control=_CONTROL_BUT_TAB)


def check_series_name(v):
    """A series (metric) name: a printable string of at most 250 characters (MLflow's metric keys)."""
    return _check_name("series name", v, MAX_SERIES_NAME)


def check_key(what, v):
    """A param or tag key."""
    return _check_name(what, v, MAX_KEY)


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


def series_parts(name, split):
    """The ``(name, split)`` a series is stored under: a W&B-style ``train/loss`` with
    no split of its own is stored as split ``train``, name ``loss``, since every reader
    addresses a series as ``split/name`` (src/api/validate.ts seriesParts; docs/schema.md)."""
    if split != "":
        return name, split
    slash = name.find("/")
    if slash <= 0 or slash == len(name) - 1 or slash > 64:
        return name, split
    return name[slash + 1 :], name[:slash]


def _as_int(value):
    """An int, a float with no fraction (3.0 counts, as in JavaScript) or an index type; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if hasattr(value, "__index__"):
        return value.__index__()
    return None


def check_step(value):
    """A step is the epoch or iteration: any safe integer, negative ones included."""
    step = _as_int(value)
    if step is None or step < MIN_STEP or step > MAX_STEP:
        raise ValidationError(
            "step must be an integer from %d to %d (the epoch or iteration), got %s" % (MIN_STEP, MAX_STEP, describe(value)), "step"
        )
    return step


def check_step_cursor(value, what="after_step"):
    """A cursor such as after_step: a step, or BEFORE_FIRST_STEP (what None means)."""
    if value is None:
        return BEFORE_FIRST_STEP
    step = _as_int(value)
    if step is None or step < BEFORE_FIRST_STEP or step > MAX_STEP:
        raise ValidationError("%s must be an integer step (omit it to start before the first step), got %s" % (what, describe(value)), what)
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


def to_json_value(key, value, what=None):
    """A param value (or file meta) as JSON text, as JavaScript would write it, within
    the limits of stored_json (depth, keys and items, bytes); ``what`` names it in errors."""
    what = what or 'param "%s"' % key
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError("%s is %s; JSON cannot hold NaN or Infinity, store it as a string" % (what, js_number(value)), key)
    problem = check_shape(value)
    if problem == "nested":
        raise ValidationError("%s is nested over %d levels deep; the limit is %d, so flatten it" % (what, JSON_MAX_DEPTH, JSON_MAX_DEPTH), key)
    if problem == "items":
        raise ValidationError(
            "%s has over %d keys and items; the limit is %d, so keep large data in a file (add_file)"
            % (what, JSON_MAX_ITEMS, JSON_MAX_ITEMS),
            key,
        )
    problem = _text_problem_in_json(value)
    if problem:
        raise ValidationError("%s %s" % (what, problem), key)
    try:
        text = js_stringify(value)
    except JsonValueError as e:
        raise ValidationError(
            "%s cannot be stored as JSON: %s; use a JSON value (number, string, boolean, None, list, dict)" % (what, e),
            key,
        ) from None
    nbytes = len(text.encode("utf-8", "surrogatepass"))
    if nbytes > JSON_MAX_BYTES:
        raise ValidationError(
            "%s is %d bytes as JSON; the limit is %d, so keep large data in a file (add_file)" % (what, nbytes, JSON_MAX_BYTES),
            key,
        )
    return text


def check_row_count(count, what, exp):
    """After a write's inserts: refuses (and so rolls back) more params or tags than an experiment may hold."""
    limit = MAX_PARAMS if what == "params" else MAX_TAGS
    if count > limit:
        raise ValidationError(
            'experiment "%s" would have %d %s; the limit is %d per experiment, so keep large data in a file (add_file)'
            % (exp, count, what, limit),
            what,
        )


def check_record(what, value):
    """A dict of key -> value, as set_params and set_tags take."""
    if not isinstance(value, dict):
        raise ValidationError("%s must be a dict such as {'lr': 0.01}, got %s" % (what, describe(value)), what)
    return value


def tag_text(key, value):
    """A tag value as text: str, or a number/bool written as JavaScript's String() would."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (int, float)):
        text = js_number(value)
    else:
        raise ValidationError('tag "%s" must be a string, number or boolean, got %s' % (key, describe(value)), key)
    check_unicode('tag "%s"' % key, key, text)
    nbytes = len(text.encode("utf-8", "surrogatepass"))
    if nbytes > MAX_TAG_BYTES:
        raise ValidationError(
            'tag "%s" is %d bytes; the limit is %d, so keep long text in the notes or a file' % (key, nbytes, MAX_TAG_BYTES), key
        )
    return text


def check_optional_int(what, value, minimum=0):
    """None, or an integer >= minimum (not a bool, not 1.5), as TypeScript's optInt."""
    if value is None:
        return None
    if isinstance(value, bool) or not hasattr(value, "__index__") or value.__index__() < minimum:
        raise ValidationError("%s must be an integer >= %d, got %s" % (what, minimum, describe(value)), what)
    return value.__index__()


def check_optional_text(what, value):
    """None, or a string, as TypeScript's optString."""
    if value is not None and not isinstance(value, str):
        raise ValidationError("%s must be a string, got %s" % (what, describe(value)), what)
    return value
