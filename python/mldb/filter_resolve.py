"""Short forms of the filter language, resolved against the file, as src/query/resolve.ts:
``lr`` is ``params.lr`` when a param ``lr`` exists and no series has that name,
``valid/loss`` likewise ``metrics.valid/loss``; inside ``min(...)`` only series count.
Ambiguous or unknown names raise FilterSyntaxError naming the candidates."""

from .errors import FilterSyntaxError
from .filter_parse import FIELD_HELP, parse_series_key
from .filter_text import quote_key
from .sql_files import sql


def no_names(key):
    """A lookup for a file that holds nothing: every short form is unknown."""
    return {"param": False, "series": False}


def field_names(connection):
    """A lookup over an open sqlite3 connection: whether some experiment (trashed ones
    included) has a param with that key, or a series with that ``split/name``."""

    def lookup(key):
        name, split = parse_series_key(key)
        param = connection.execute(sql("listing/has-param"), (key,)).fetchone()
        series = connection.execute(sql("listing/has-series"), (name, split)).fetchone()
        return {"param": param is not None, "series": series is not None}

    return lookup


def _field(field, lookup, text, column, of="where"):
    if field["kind"] != "bare":
        return field
    key = field["key"]
    agg = field.get("agg")
    found = lookup(key)
    name, split = parse_series_key(key)
    series = {"kind": "metric", "split": split, "name": name, "agg": agg or "last"}
    if agg:
        if found["series"]:
            return series
        raise FilterSyntaxError(
            'unknown series "%s" in %s(): no experiment has it; write %s(metrics.<split>/<name>)' % (key, agg, agg), text, column, of
        )
    if found["param"] and found["series"]:
        q = quote_key(key)
        raise FilterSyntaxError('"%s" is ambiguous: it names params.%s and metrics.%s; write one of them' % (key, q, q), text, column, of)
    if found["param"]:
        return {"kind": "param", "key": key}
    if found["series"]:
        return series
    raise FilterSyntaxError('unknown field "%s": no param or series has that name; %s' % (key, FIELD_HELP), text, column, of)


def resolve_filter(ast, lookup, text):
    """The tree with every ``bare`` field replaced by a param or a series."""
    if ast is None:
        return None

    def walk(f):
        t = f["type"]
        if t in ("and", "or"):
            return {"type": t, "args": [walk(a) for a in f["args"]]}
        if t == "not":
            return {"type": "not", "arg": walk(f["arg"])}
        field = _field(f["field"], lookup, text, f["column"])
        if t == "compare" and field["kind"] == "metric" and f["kind"] != "number":
            raise FilterSyntaxError("metrics compare with numbers, as in metrics.valid/loss < 0.3", text, f["column"])
        return dict(f, field=field)

    return walk(ast)


def resolve_order_by(order, lookup, text):
    """A sort key with its short form resolved, as resolve_filter does."""
    return order and dict(order, field=_field(order["field"], lookup, text, order["column"], "order_by"))
