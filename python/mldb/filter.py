"""The ``where`` / ``order_by`` filter language: parse (filter_parse) -> a small tree ->
short forms resolved against the file (filter_resolve) -> SQLite (filter_sqlite).

The rules are written in docs/schema.md ("Filter language") and pinned, for this client
and the TypeScript one alike, by test/golden/filters.json. Example::

    compile_filter("params.lr < 0.1 and metrics.valid/loss < 0.3 and status = 'COMPLETE'")
"""

import json
import math

from .filter_parse import parse_filter, parse_order_by, parse_series_key
from .filter_resolve import field_names, no_names, resolve_filter, resolve_order_by
from .filter_sqlite import compile_sqlite_filter, compile_sqlite_order_by
from .filter_status import LOST_AFTER_MS, STATUS_SQL, bind_now
from .filter_text import FILTER_LIMITS, quote_key
from .sql_files import sql

__all__ = [
    "FILTER_LIMITS",
    "LOST_AFTER_MS",
    "STATUS_SQL",
    "ast_to_json",
    "bind_now",
    "compile_filter",
    "compile_order_by",
    "field_names",
    "parse_filter",
    "parse_order_by",
    "parse_series_key",
    "series_field",
]


def compile_filter(text, lookup=None):
    """``(sql, params)`` of a filter, a condition over ``experiments e JOIN projects p``
    (``TRUE`` when blank); ``lookup`` (see field_names) resolves short names such as ``lr``.
    ``@now`` in the SQL is for bind_now. Raises FilterSyntaxError."""
    ast = resolve_filter(parse_filter(text), lookup or no_names, text)
    return compile_sqlite_filter(ast) if ast is not None else ("TRUE", [])


def compile_order_by(text, lookup=None):
    """``(sql, params)`` of an ORDER BY term such as ``metrics.valid/loss desc``; empty values
    sort last either way; blank means newest first. Raises FilterSyntaxError."""
    order = resolve_order_by(parse_order_by(text), lookup or no_names, text)
    return compile_sqlite_order_by(order) if order is not None else (sql("listing/order-default"), [])


def series_field(key):
    """A series key as a filter field, quoted when the tokenizer would read it otherwise:
    ``'valid/loss'`` -> ``metrics.valid/loss``, ``'top-1 acc'`` -> ``metrics.`top-1 acc```."""
    return "metrics." + quote_key(key)


def _plain(v):
    if isinstance(v, float) and math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def ast_to_json(ast):
    """The JSON text of a tree; ±Infinity become the strings "Infinity" / "-Infinity"."""
    return json.dumps(_plain(ast), ensure_ascii=False, allow_nan=False)
