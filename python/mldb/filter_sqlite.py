"""The SQLite compiler of the filter language, as src/query/compile-sqlite.ts: a resolved
tree -> ``(sql, params)`` over ``experiments e JOIN projects p``. User text only ever
travels as ``?`` parameters; ``@now`` is bound by the caller (bind_now)."""

import re

from .filter_status import ATTRIBUTE_SQL
from .sql_files import sql

#: Each metric aggregate's column of the series row ``x`` (sql/filter/metric-*.sql).
_COLUMNS = {
    "last": sql("filter/metric-last"),
    "min": sql("filter/metric-min"),
    "max": sql("filter/metric-max"),
    "count": sql("filter/metric-count"),
}

#: The type guard of a param compared with a value of each kind (sql/filter/param-is-*.sql).
_PARAM_GUARDS = {
    "number": sql("filter/param-is-number"),
    "bool": sql("filter/param-is-bool"),
    "text": sql("filter/param-is-text"),
}

#: A ``/*name*/`` slot of a filter fragment (docs/schema.md, "Named SQL"): a block comment, so it
#: cannot collide with ``{folder/name}`` or a ``?``.
_SLOT = re.compile(r"/\*([a-z]+)\*/")


def _fill(text, **slots):
    """The fragment's text with each slot filled; a slot left unfilled is a bug."""

    def one(m):
        if m.group(1) not in slots:
            raise AssertionError("no SQL for the slot /*%s*/ of a filter fragment" % m.group(1))
        return slots[m.group(1)]

    return _SLOT.sub(one, text)


def _exists(field, cond, params):
    kind = field["kind"]
    if kind == "param":
        return (_fill(sql("filter/exists-param"), cond=cond), [field["key"], *params])
    if kind == "tag":
        return (_fill(sql("filter/exists-tag"), cond=cond), [field["key"], *params])
    if kind == "metric":
        return (_fill(sql("filter/exists-series"), cond=cond), [field["name"], field["split"], *params])
    return (cond, list(params))


def _unresolved(field):
    raise AssertionError("compile a resolved filter (field %r)" % (field,))


def _compare(c):
    op = {"in": "IN", "like": "LIKE"}.get(c["op"], c["op"])
    rhs = "(%s)" % ", ".join("?" * len(c["values"])) if c["op"] == "in" else "?"
    # SQLite has no boolean: true and false are 1 and 0, in params' JSON too.
    values = [(1 if v else 0) if isinstance(v, bool) else v for v in c["values"]]
    f = c["field"]
    kind = f["kind"]
    if kind == "param":
        # Params are JSON text; compare numbers with numbers and text with text, never across.
        guard = _PARAM_GUARDS.get(c["kind"], _PARAM_GUARDS["text"])
        return _exists(f, "%s AND %s %s %s" % (guard, sql("filter/param-value"), op, rhs), values)
    if kind == "tag":
        return _exists(f, "%s %s %s" % (sql("filter/tag-value"), op, rhs), values)
    if kind == "metric":
        return _exists(f, "%s %s %s" % (_COLUMNS[f["agg"]], op, rhs), values)
    if kind == "attr":
        return ("(%s %s %s)" % (ATTRIBUTE_SQL[f["name"]], op, rhs), values)
    return _unresolved(f)


def _present(field):
    kind = field["kind"]
    if kind == "attr":
        return ("(%s IS NOT NULL)" % ATTRIBUTE_SQL[field["name"]], [])
    if kind == "bare":
        _unresolved(field)
    if kind == "metric" and field["agg"] != "count":
        return _exists(field, "%s IS NOT NULL" % _COLUMNS[field["agg"]], [])
    return _exists(field, "TRUE", [])


def compile_sqlite_filter(f):
    """``(sql, params)`` of a resolved filter tree."""
    t = f["type"]
    if t in ("and", "or"):
        parts = [compile_sqlite_filter(a) for a in f["args"]]
        joiner = " AND " if t == "and" else " OR "
        return ("(%s)" % joiner.join(p[0] for p in parts), [v for p in parts for v in p[1]])
    if t == "not":
        sql, params = compile_sqlite_filter(f["arg"])
        return ("(NOT %s)" % sql, params)
    if t == "exists":
        return _present(f["field"])
    return _compare(f)


def compile_sqlite_order_by(order):
    """``(sql, params)`` of the ORDER BY terms of a resolved sort key; empty values sort last,
    ties newest row first (``e.id DESC``, as on PostgreSQL) whatever plan SQLite picks."""
    field = order["field"]
    kind = field["kind"]
    if kind == "param":
        expr = (sql("filter/sort-param"), [field["key"]])
    elif kind == "tag":
        expr = (sql("filter/sort-tag"), [field["key"]])
    elif kind == "metric":
        expr = (_fill(sql("filter/sort-series"), column=_COLUMNS[field["agg"]]), [field["name"], field["split"]])
    elif kind == "attr":
        expr = (ATTRIBUTE_SQL[field["name"]], [])
    else:
        _unresolved(field)
    direction = "DESC" if order["direction"] == "desc" else "ASC"
    return (_fill(sql("filter/order-missing-last"), key=expr[0], direction=direction), expr[1] + expr[1])
