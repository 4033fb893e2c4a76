"""The ``where`` / ``order_by`` filter language, a port of src/query/filter.ts.

A filter becomes a parameterised SQL condition over ``experiments e JOIN projects p``:
user text only ever travels as ``?`` parameters, in the same order as TypeScript's,
so both clients select the same experiments. Example::

    compile_filter("params.lr < 0.1 and metrics.valid/loss < 0.3 and status = 'COMPLETE'")
"""

import math
import re

from .errors import FilterSyntaxError
from .filter_dates import parse_date_ms
from .filter_tokens import JS_SPACE, ident_part, ident_start, tokenize
from .validate import js_trim
from .js_json import js_number

#: An experiment's derived status: active with a heartbeat older than a minute reads
#: as LOST. ``@now`` is replaced by bind_now with our own clock, never with user input.
STATUS_SQL = (
    "(CASE WHEN e.status IN ('TRAINING', 'VALIDATING') AND coalesce(e.heartbeat_at, e.updated_at) < (@now - 60000)"
    " THEN 'LOST' ELSE e.status END)"
)

#: The heartbeat age after which an active experiment reads as LOST (ms).
LOST_AFTER_MS = 60_000

_STATUS_WORDS = frozenset(("PENDING", "TRAINING", "VALIDATING", "COMPLETE", "FAILED", "KILLED", "LOST"))

_ATTRIBUTES = {
    "name": ("e.name", "text"),
    "project": ("p.name", "text"),
    "status": (STATUS_SQL, "text"),
    "host": ("e.host", "text"),
    "notes": ("e.notes", "text"),
    "created": ("e.created_at", "time"),
    "started": ("e.started_at", "time"),
    "ended": ("e.ended_at", "time"),
    "updated": ("e.updated_at", "time"),
    "duration": ("((coalesce(e.ended_at, CASE WHEN %s = 'LOST' THEN coalesce(e.heartbeat_at, e.updated_at) ELSE @now END) - e.started_at) / 1000.0)" % STATUS_SQL, "number"),
}

_AGGREGATES = {"last": "last_value", "min": "min_value", "max": "max_value", "count": "count"}

_SPACE_CLASS = "[" + "".join(sorted(JS_SPACE)) + "]"
# `.` in JavaScript stops at line terminators; asc/desc are matched in ASCII only.
_ORDER = re.compile(
    "([^\n\r\u2028\u2029]*?)(?:%s+([aA][sS][cC]|[dD][eE][sS][cC]))?%s*" % (_SPACE_CLASS, _SPACE_CLASS)
)


def _canonical_status(v):
    """Canonical statuses match whatever their case, as the API stores them upper-case."""
    if isinstance(v, str) and js_trim(v).upper() in _STATUS_WORDS:
        return js_trim(v).upper()
    return v


def parse_series_key(key):
    """``'valid/loss'`` -> ``('loss', 'valid')``; ``'rmse'`` -> ``('rmse', '')`` (name, split)."""
    name_split = key.split("/", 1)
    return (key, "") if len(name_split) == 1 else (name_split[1], name_split[0])


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


class _Parser:
    def __init__(self, text, tokens):
        self.text = text
        self.tokens = tokens
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos]

    def next(self):
        t = self.tokens[self.pos]
        self.pos += 1
        return t

    def fail(self, msg, t=None):
        raise FilterSyntaxError(msg, self.text, (t or self.peek()).column)

    def is_word(self, word, t=None):
        t = t or self.peek()
        return t.type == "ident" and t.text.lower() == word

    def parse(self):
        f = self.or_()
        if self.peek().type != "eof":
            self.fail('expected "and", "or" or the end, found "%s"' % self.peek().text)
        return f

    def end(self):
        if self.peek().type != "eof":
            self.fail('expected asc, desc or the end, found "%s"' % self.peek().text)

    def or_(self):
        left = self.and_()
        while self.is_word("or"):
            self.next()
            right = self.and_()
            left = ("(%s OR %s)" % (left[0], right[0]), left[1] + right[1])
        return left

    def and_(self):
        left = self.not_()
        while self.is_word("and"):
            self.next()
            right = self.not_()
            left = ("(%s AND %s)" % (left[0], right[0]), left[1] + right[1])
        return left

    def not_(self):
        if self.is_word("not"):
            self.next()
            inner = self.not_()
            return ("(NOT %s)" % inner[0], inner[1])
        if self.peek().type == "lparen":
            self.next()
            inner = self.or_()
            if self.peek().type != "rparen":
                self.fail('expected ")"')
            self.next()
            return inner
        return self.comparison()

    def field(self):
        """A field: params.x, tags.x, metrics.[split/]name, min(metrics.x), or an attribute."""
        t = self.next()
        if t.type != "ident":
            self.fail('expected a field such as params.lr, metrics.valid/loss or status, found "%s"' % (t.text or "the end"), t)
        lower = t.text.lower()
        if lower in _AGGREGATES and self.peek().type == "lparen":
            self.next()
            inner = self.field()
            if inner["kind"] != "metric":
                self.fail("%s() takes a series such as metrics.valid/loss" % lower, t)
            if self.peek().type != "rparen":
                self.fail('expected ")"')
            self.next()
            return dict(inner, column=_AGGREGATES[lower])
        head, dot, rest = t.text.partition(".")
        head = head.lower()
        if head in ("params", "param"):
            if not rest:
                self.fail("params needs a key, as in params.lr", t)
            return {"kind": "param", "key": rest}
        if head in ("tags", "tag"):
            if not rest:
                self.fail("tags needs a key, as in tags.team", t)
            return {"kind": "tag", "key": rest}
        if head in ("metrics", "metric"):
            if not rest:
                self.fail("metrics needs a series, as in metrics.valid/loss", t)
            name, split = parse_series_key(rest)
            return {"kind": "metric", "name": name, "split": split, "column": "last_value"}
        attr = None if dot else _ATTRIBUTES.get(lower)
        if attr is None:
            self.fail(
                'unknown field "%s"; use params.<key>, metrics.<split>/<name>, tags.<key> or one of %s'
                % (t.text, ", ".join(_ATTRIBUTES)),
                t,
            )
        return {"kind": "attr", "sql": attr[0], "type": attr[1]}

    def literal(self):
        """(type, value) with type number, string, bool or null."""
        t = self.next()
        if t.type in ("number", "string"):
            return (t.type, t.value)
        if t.type == "ident":
            w = t.text.lower()
            if w in ("true", "false"):
                return ("bool", w == "true")
            if w in ("null", "nan"):
                return ("null", None)
            if w in ("inf", "infinity"):
                return ("number", math.inf)
        return self.fail("expected a value (a number or a 'quoted string'), found \"%s\"" % (t.text or "the end"), t)

    def literal_list(self):
        if self.peek().type != "lparen":
            self.fail('expected "(" after in')
        self.next()
        literals = [self.literal()]
        while self.peek().type == "comma":
            self.next()
            literals.append(self.literal())
        if self.peek().type != "rparen":
            self.fail('expected "," or ")" in the list')
        self.next()
        return literals

    def comparison(self):
        field_token = self.peek()
        field = self.field()
        op_token = self.next()
        if self.is_word("is", op_token):
            negate = self.is_word("not")
            if negate:
                self.next()
            if not self.is_word("null"):
                self.fail('expected "null" after "is"')
            self.next()
            return self.presence(field, not negate)
        if op_token.type == "op":
            op = {"==": "=", "<>": "!="}.get(op_token.text, op_token.text)
            literals = [self.literal()]
        elif self.is_word("like", op_token) or self.is_word("in", op_token):
            op = op_token.text.upper()
            literals = self.literal_list() if op == "IN" else [self.literal()]
        elif self.is_word("not", op_token) and (self.is_word("like") or self.is_word("in")):
            inner = self.comparison_after_field(field, field_token)
            return ("(NOT %s)" % inner[0], inner[1])
        else:
            return self.fail(
                'expected a comparison (=, !=, <, <=, >, >=, like, in, is null) after the field, found "%s"'
                % (op_token.text or "the end"),
                op_token,
            )
        return self.build(field, op, literals, field_token)

    def comparison_after_field(self, field, field_token):
        op = self.next().text.upper()
        literals = self.literal_list() if op == "IN" else [self.literal()]
        return self.build(field, op, literals, field_token)

    def presence(self, field, is_null):
        if field["kind"] == "attr":
            return ("(%s IS %sNULL)" % (field["sql"], "" if is_null else "NOT "), [])
        if field["kind"] == "metric" and field["column"] != "count":
            f = _exists(field, "x.%s IS NOT NULL" % field["column"], [])
        else:
            f = _exists(field, "TRUE", [])
        return ("(NOT %s)" % f[0], f[1]) if is_null else f

    def build(self, field, op, literals, at):
        first_type = literals[0][0]
        if any(t != first_type for t, _ in literals):
            self.fail("all values in a list must be of one type", at)
        if first_type == "null":
            self.fail('compare with null using "is null" or "is not null"', at)
        if op == "LIKE" and first_type != "string":
            self.fail("like takes a 'quoted pattern' such as 'adam%'", at)
        # JavaScript binds every number, and true/false as 1/0, as a double: so do we.
        values = [float(v) if t in ("number", "bool") else v for t, v in literals]
        rhs = "(%s)" % ", ".join("?" * len(values)) if op == "IN" else "?"
        kind = field["kind"]
        if kind == "param":
            # Params are JSON text; compare numbers with numbers and text with text,
            # never across (SQLite would order any text above any number).
            # A value SQLite cannot parse (written before the depth limit) matches nothing rather than failing.
            jtype = "CASE WHEN json_valid(x.value) THEN json_type(x.value) END"
            guard = {
                "number": jtype + " IN ('integer', 'real')",
                "bool": jtype + " IN ('true', 'false')",
            }.get(first_type, jtype + " = 'text'")
            return _exists(field, "%s AND json_extract(x.value, '$') %s %s" % (guard, op, rhs), values)
        if kind == "tag":
            return _exists(field, "x.value %s %s" % (op, rhs), [v if isinstance(v, str) else js_number(v) for v in values])
        if kind == "metric":
            if first_type != "number":
                self.fail("metrics compare with numbers, as in metrics.valid/loss < 0.3", at)
            return _exists(field, "x.%s %s %s" % (field["column"], op, rhs), values)
        if field["type"] == "time":
            values = []
            for t, v in literals:
                ms = v if t == "number" else parse_date_ms(v) if t == "string" else None
                if ms is None:
                    self.fail("times compare with a date such as '2026-08-03' or milliseconds since 1970", at)
                values.append(float(ms))
        elif field["type"] == "number" and first_type != "number":
            self.fail("duration compares with a number of seconds", at)
        elif field["sql"] == STATUS_SQL:
            values = [_canonical_status(v) for v in values]
        return ("(%s %s %s)" % (field["sql"], op, rhs), values)


def compile_filter(text):
    """``(sql, params)`` of a filter, a condition over ``experiments e JOIN projects p``;
    ``@now`` in the SQL is for bind_now. Raises FilterSyntaxError."""
    return _Parser(text, tokenize(text)).parse()


def series_field(key):
    """A series key as a filter field, quoted when the tokenizer would read it otherwise:
    ``'valid/loss'`` -> ``metrics.valid/loss``, ``'top-1 acc'`` -> ``metrics.`top-1 acc```."""
    if key and ident_start(key[0]) and all(ident_part(c) for c in key[1:]):
        return "metrics." + key
    return "metrics.`%s`" % key.replace("`", "``")


def compile_order_by(text):
    """``(sql, params)`` of an ORDER BY term such as ``metrics.valid/loss desc``;
    empty values sort last either way. Raises FilterSyntaxError."""
    m = _ORDER.fullmatch(text)
    field_text, direction = (m.group(1), (m.group(2) or "asc").upper()) if m else (text, "ASC")
    parser = _Parser(text, tokenize(field_text))
    field = parser.field()
    parser.end()
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
            "(SELECT x.%s FROM series x WHERE x.experiment_id = e.id AND x.name = ? AND x.split = ?)" % field["column"],
            [field["name"], field["split"]],
        )
    else:
        expr = (field["sql"], [])
    return ("%s IS NULL, %s %s" % (expr[0], expr[0], direction), expr[1] + expr[1])


def bind_now(sql, now):
    """Puts the current time (an integer we made, never user input) where ``@now`` stands."""
    return sql.replace("@now", str(int(now)))
