"""The filter language's parser: text -> a small tree of plain dicts, the same tree
src/query/parse.ts builds (test/golden/filters.json pins both). Short forms (``lr``,
``valid/loss``) stay ``{"kind": "bare"}`` until filter_resolve resolves them."""

import math

from .errors import FilterSyntaxError
from .filter_dates import parse_iso_date
from .filter_text import FILTER_LIMITS, ascii_lower, ascii_upper, is_blank
from .filter_tokens import tokenize

#: The attributes and how they compare: text, a time (ms or an ISO date) or a number of seconds.
ATTRIBUTES = {
    "name": "text",
    "project": "text",
    "status": "text",
    "host": "text",
    "notes": "text",
    "created": "time",
    "started": "time",
    "ended": "time",
    "updated": "time",
    "duration": "number",
}

_AGGREGATES = ("last", "min", "max", "count")
_KEYWORDS = frozenset(("and", "or", "not", "in", "like", "is", "null", "true", "false", "nan", "inf", "infinity"))
_STATUS_WORDS = frozenset(("PENDING", "TRAINING", "VALIDATING", "COMPLETE", "FAILED", "KILLED", "LOST"))

#: The end of an unknown field's message.
FIELD_HELP = "use params.<key>, metrics.<split>/<name>, tags.<key> or one of " + ", ".join(ATTRIBUTES)


def parse_series_key(key):
    """``'valid/loss'`` -> ``('loss', 'valid')``; ``'rmse'`` -> ``('rmse', '')`` (name, split)."""
    name_split = key.split("/", 1)
    return (key, "") if len(name_split) == 1 else (name_split[1], name_split[0])


def _metric(key, agg):
    name, split = parse_series_key(key)
    return {"kind": "metric", "split": split, "name": name, "agg": agg}


def _canonical_status(v):
    """Canonical statuses match in any ASCII case, as the API stores them upper-case."""
    upper = ascii_upper(v)
    return upper if upper in _STATUS_WORDS else v


class _Parser:
    def __init__(self, text, of):
        self.text = text
        # which text this is ("where" or "order_by"), so an error says "sort key" for a sort key
        self.of = of
        self.tokens = tokenize(text, of)
        self.pos = 0
        self.depth = 0
        self.terms = 0

    def peek(self):
        return self.tokens[self.pos]

    def next(self):
        t = self.tokens[self.pos]
        self.pos += 1
        return t

    def fail(self, msg, t=None):
        raise FilterSyntaxError(msg, self.text, (t or self.peek()).column, self.of)

    def is_word(self, word, t=None):
        t = t or self.peek()
        return t.type == "ident" and ascii_lower(t.text) == word

    def filter(self):
        f = self.or_()
        if self.peek().type != "eof":
            self.fail('expected "and", "or" or the end, found "%s"' % self.peek().text)
        return f

    def order_by(self):
        column = self.peek().column
        field = self.field()
        direction = "asc"
        if self.is_word("asc") or self.is_word("desc"):
            direction = ascii_lower(self.next().text)
        if self.peek().type != "eof":
            self.fail('expected asc, desc or the end, found "%s"' % self.peek().text)
        return {"field": field, "direction": direction, "column": column}

    def or_(self):
        args = [self.and_()]
        while self.is_word("or"):
            self.next()
            args.append(self.and_())
        return args[0] if len(args) == 1 else {"type": "or", "args": args}

    def and_(self):
        args = [self.not_()]
        while self.is_word("and"):
            self.next()
            args.append(self.not_())
        return args[0] if len(args) == 1 else {"type": "and", "args": args}

    def not_(self):
        t = self.peek()
        if not (self.is_word("not") or t.type == "lparen"):
            return self.comparison()
        # Each `not` and `(` recurses once: bound them so no filter can exhaust the stack.
        self.depth += 1
        if self.depth > FILTER_LIMITS["depth"]:
            self.fail("the filter nests deeper than %d parentheses and nots; write it flatter" % FILTER_LIMITS["depth"], t)
        self.next()
        if t.type == "lparen":
            f = self.or_()
            if self.peek().type != "rparen":
                self.fail('expected ")"')
            self.next()
        else:
            f = {"type": "not", "arg": self.not_()}
        self.depth -= 1
        return f

    def field(self):
        """A field: params.x, tags.x, metrics.[split/]name, min(metrics.x), an attribute, or a bare name."""
        t = self.next()
        if t.type != "ident":
            self.fail('expected a field such as params.lr, metrics.valid/loss or status, found "%s"' % (t.text or "the end"), t)
        lower = ascii_lower(t.text)
        if lower in _AGGREGATES and self.peek().type == "lparen":
            self.next()
            inner = self.next()
            f = self.plain_field(inner) if inner.type == "ident" else None
            if f is None or f["kind"] not in ("metric", "bare"):
                self.fail("%s() takes a series such as metrics.valid/loss" % lower, t)
            if self.peek().type != "rparen":
                self.fail('expected ")"')
            self.next()
            return dict(f, agg=lower)
        return self.plain_field(t)

    def plain_field(self, t):
        head, dot, rest = t.text.partition(".")
        head = ascii_lower(head)
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
            return _metric(rest, "last")
        lower = ascii_lower(t.text)
        if lower in ATTRIBUTES:
            return {"kind": "attr", "name": lower}
        if lower in _KEYWORDS:
            self.fail('unknown field "%s"; %s' % (t.text, FIELD_HELP), t)
        return {"kind": "bare", "key": t.text}

    def literal(self):
        """(type, value, text) with type number, string, bool or null."""
        t = self.next()
        if t.type in ("number", "string"):
            return (t.type, t.value, t.text)
        if t.type == "ident":
            w = ascii_lower(t.text)
            if w in ("true", "false"):
                return ("bool", w == "true", t.text)
            if w in ("null", "nan"):
                return ("null", None, t.text)
            if w in ("inf", "infinity"):
                return ("number", math.inf, t.text)
        return self.fail("expected a value (a number or a 'quoted string'), found \"%s\"" % (t.text or "the end"), t)

    def literal_list(self):
        if self.peek().type != "lparen":
            self.fail('expected "(" after in')
        self.next()
        values = [self.literal()]
        while self.peek().type == "comma":
            self.next()
            if len(values) >= FILTER_LIMITS["in_values"]:
                self.fail(
                    "an in list takes at most %d values; split it or filter on something else" % FILTER_LIMITS["in_values"]
                )
            values.append(self.literal())
        if self.peek().type != "rparen":
            self.fail('expected "," or ")" in the list')
        self.next()
        return values

    def comparison(self):
        field_token = self.peek()
        self.terms += 1
        if self.terms > FILTER_LIMITS["terms"]:
            self.fail(
                'the filter has more than %d comparisons; use "in (...)" lists or a narrower filter' % FILTER_LIMITS["terms"],
                field_token,
            )
        field = self.field()
        column = field_token.column
        op_token = self.next()
        if self.is_word("is", op_token):
            negate = self.is_word("not")
            if negate:
                self.next()
            if not self.is_word("null"):
                self.fail('expected "null" after "is"')
            self.next()
            exists = {"type": "exists", "field": field, "column": column}
            return exists if negate else {"type": "not", "arg": exists}
        negate = False
        if op_token.type == "op":
            op = {"==": "=", "<>": "!="}.get(op_token.text, op_token.text)
        elif self.is_word("like", op_token) or self.is_word("in", op_token):
            op = ascii_lower(op_token.text)
        elif self.is_word("not", op_token) and (self.is_word("like") or self.is_word("in")):
            negate = True
            op = ascii_lower(self.next().text)
        else:
            return self.fail(
                'expected a comparison (=, !=, <, <=, >, >=, like, in, is null) after the field, found "%s"'
                % (op_token.text or "the end"),
                op_token,
            )
        literals = self.literal_list() if op == "in" else [self.literal()]
        compare = self.compare(field, op, literals, field_token)
        return {"type": "not", "arg": compare} if negate else compare

    def compare(self, field, op, literals, at):
        """The checks that need only the field's kind, and the values in the type the field compares with."""
        first = literals[0][0]
        if any(t != first for t, _, _ in literals):
            self.fail("all values in a list must be of one type", at)
        if first == "null":
            self.fail('compare with null using "is null" or "is not null"', at)
        if op == "like" and first != "string":
            self.fail("like takes a 'quoted pattern' such as 'adam%'", at)

        def node(kind, values):
            return {"type": "compare", "field": field, "op": op, "kind": kind, "values": values, "column": at.column}

        # Text fields take an unquoted number or true/false as written.
        as_text = [v if t == "string" else text for t, v, text in literals]
        own_kind = "text" if first == "string" else first
        own = [v for _, v, _ in literals]
        kind = field["kind"]
        if kind == "tag":
            return node("text", as_text)
        if kind == "metric":
            if first != "number":
                self.fail("metrics compare with numbers, as in metrics.valid/loss < 0.3", at)
            return node(own_kind, own)
        if kind == "attr":
            attr_type = ATTRIBUTES[field["name"]]
            if attr_type == "time":
                values = []
                for t, v, _ in literals:
                    ms = v if t == "number" else parse_iso_date(v) if t == "string" else None
                    if ms is None:
                        self.fail(
                            "times compare with an ISO 8601 date such as '2026-08-03' or '2026-08-03T10:00Z',"
                            " or milliseconds since 1970",
                            at,
                        )
                    values.append(ms)
                return node("number", values)
            if attr_type == "number":
                if first != "number":
                    self.fail("duration compares with a number of seconds", at)
                return node(own_kind, own)
            if field["name"] == "status":
                as_text = [_canonical_status(v) for v in as_text]
            return node("text", as_text)
        return node(own_kind, own)


def parse_filter(text):
    """The tree of a filter, or None for an empty (all white space) one. Raises FilterSyntaxError.

    Example: ``parse_filter("params.lr < 0.1")["op"] == "<"``."""
    if is_blank(text):
        return None
    return _Parser(text, "where").filter()


def parse_order_by(text):
    """The tree of a sort key such as ``min(metrics.valid/loss) desc``, or None when blank."""
    if is_blank(text):
        return None
    return _Parser(text, "order_by").order_by()
