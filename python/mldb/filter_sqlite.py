"""The SQLite compiler of the filter language, as src/query/compile-sqlite.ts: a resolved
tree -> ``(sql, params)`` over ``experiments e JOIN projects p``. User text only ever
travels as ``?`` parameters; ``@now`` is bound by the caller (bind_now)."""

from .filter_status import ATTRIBUTE_SQL

_COLUMNS = {"last": "last_value", "min": "min_value", "max": "max_value", "count": "count"}


def _exists(field, cond, params):
    kind = field["kind"]
    if kind == "param":
        return ("EXISTS (SELECT 1 FROM params x WHERE x.experiment_id = e.id AND x.key = ? AND %s)" % cond, [field["key"], *params])
    if kind == "tag":
        return ("EXISTS (SELECT 1 FROM tags x WHERE x.experiment_id = e.id AND x.key = ? AND %s)" % cond, [field["key"], *params])
    if kind == "metric":
        return (
            "EXISTS (SELECT 1 FROM series x WHERE x.experiment_id = e.id AND x.name = ? AND x.split = ? AND %s)" % cond,
            [field["name"], field["split"], *params],
        )
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
        # Params are JSON text; compare numbers with numbers and text with text, never across
        # (SQLite would order any text above any number). A value SQLite cannot parse
        # (written before the depth limit) matches nothing rather than failing.
        jtype = "CASE WHEN json_valid(x.value) THEN json_type(x.value) END"
        guard = {"number": jtype + " IN ('integer', 'real')", "bool": jtype + " IN ('true', 'false')"}.get(c["kind"], jtype + " = 'text'")
        return _exists(f, "%s AND json_extract(x.value, '$') %s %s" % (guard, op, rhs), values)
    if kind == "tag":
        return _exists(f, "x.value %s %s" % (op, rhs), values)
    if kind == "metric":
        return _exists(f, "x.%s %s %s" % (_COLUMNS[f["agg"]], op, rhs), values)
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
        return _exists(field, "x.%s IS NOT NULL" % _COLUMNS[field["agg"]], [])
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
        expr = (
            "(SELECT CASE WHEN json_valid(x.value) THEN json_extract(x.value, '$') END"
            " FROM params x WHERE x.experiment_id = e.id AND x.key = ?)",
            [field["key"]],
        )
    elif kind == "tag":
        expr = ("(SELECT x.value FROM tags x WHERE x.experiment_id = e.id AND x.key = ?)", [field["key"]])
    elif kind == "metric":
        expr = (
            "(SELECT x.%s FROM series x WHERE x.experiment_id = e.id AND x.name = ? AND x.split = ?)" % _COLUMNS[field["agg"]],
            [field["name"], field["split"]],
        )
    elif kind == "attr":
        expr = (ATTRIBUTE_SQL[field["name"]], [])
    else:
        _unresolved(field)
    return ("%s IS NULL, %s %s, e.id DESC" % (expr[0], expr[0], order["direction"].upper()), expr[1] + expr[1])
