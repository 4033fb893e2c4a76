"""Limits on the JSON values mldb stores (param values, file meta) and how
listings read values written before the limits existed: the same numbers and
marker texts as src/store/stored-json.ts (docs/schema.md, "Limits")."""

import json
import sys

#: One JSON value: levels of arrays/objects, array items plus object keys in all, UTF-8 bytes of its JSON text.
JSON_MAX_DEPTH = 32
JSON_MAX_ITEMS = 10_000
JSON_MAX_BYTES = 65_536
#: One experiment: params, tags, and bytes of one tag value.
MAX_PARAMS = 1000
MAX_TAGS = 1000
MAX_TAG_BYTES = 65_536
#: Readers show a stored value nested deeper than this (SQLite's own JSON limit) as a marker.
READ_MAX_DEPTH = 1000
UNDECODABLE = "[not shown: not JSON or nested deeper than %d levels]" % READ_MAX_DEPTH


def unreadable_marker(nbytes):
    """The marker of a stored value over JSON_MAX_BYTES, as every client writes it."""
    return "[not shown: %d bytes, over the limit of %d]" % (nbytes, JSON_MAX_BYTES)


def json_depth(text):
    """The deepest nesting of arrays/objects in JSON text, strings skipped."""
    depth = deepest = 0
    in_string = escaped = False
    for c in text:
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth -= 1
    return deepest


def _refuse_constant(name):
    # Python reads NaN/Infinity, which JSON (and SQLite's json_valid) refuse.
    raise ValueError("%s is not JSON" % name)


def decode_stored_json(text, nbytes=None):
    """A stored JSON text as a value, or the marker text when a listing should not
    decode it: over JSON_MAX_BYTES (only when ``nbytes`` is given), not JSON, or
    nested deeper than READ_MAX_DEPTH. Never raises RecursionError."""
    if text is None or (nbytes is not None and nbytes > JSON_MAX_BYTES):
        return unreadable_marker(nbytes or 0)
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        # Only values about 1,000 deep get here: decode those SQLite would, refuse the rest.
        if json_depth(text) > READ_MAX_DEPTH:
            return UNDECODABLE
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(old + 2 * READ_MAX_DEPTH)
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except (RecursionError, ValueError):
            return UNDECODABLE
        finally:
            sys.setrecursionlimit(old)
    except ValueError:
        return UNDECODABLE


def check_shape(value):
    """None if value is within JSON_MAX_DEPTH and JSON_MAX_ITEMS, else the problem
    ("nested" or "items"); walked without recursion, stopping at the first limit."""
    items = 0
    stack = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, dict):
            children = list(v.values())
        elif isinstance(v, (list, tuple)):
            children = v
        else:
            continue
        if depth > JSON_MAX_DEPTH:
            return "nested"
        items += len(children)
        if items > JSON_MAX_ITEMS:
            return "items"
        stack.extend((c, depth + 1) for c in children)
    return None
