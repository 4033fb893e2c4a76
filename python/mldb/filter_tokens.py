"""The tokenizer of the ``where`` filter language (docs/schema.md, "Filter language").

Columns are 1-based and counted in Unicode code points, as every client counts them."""

import json
import math
import re

from .errors import FilterSyntaxError
from .filter_text import FILTER_LIMITS, WHITESPACE, ascii_lower, ident_part, ident_start

_NUMBER = re.compile(r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?", re.ASCII)
_TWO_CHAR_OPS = ("<=", ">=", "!=", "<>", "==")
_DIGITS = "0123456789"


class Token:
    """One token: ``type`` (ident, number, string, op, lparen, rparen, comma, eof),
    its ``text``, the parsed ``value`` of a number or string, its 1-based ``column``."""

    __slots__ = ("type", "text", "value", "column")

    def __init__(self, type, text, column, value=None):
        self.type = type
        self.text = text
        self.value = value
        self.column = column

    def __repr__(self):
        return "Token(%s, %r, %d)" % (self.type, self.text, self.column)


def _infinity_at(text, k):
    """The length of ``inf``/``infinity`` (any ASCII case) at k when no field-name character follows, else 0."""
    for word in ("infinity", "inf"):
        end = k + len(word)
        if ascii_lower(text[k:end]) == word and not (end < len(text) and ident_part(text[end])):
            return len(word)
    return 0


def tokenize(text, of="where"):
    """Splits a filter such as ``params.lr < 0.1 and status = 'COMPLETE'`` into tokens;
    ``of`` is ``"order_by"`` for a sort key, so its errors say so."""
    n = len(text)

    def fail(msg, at):
        raise FilterSyntaxError(msg, text, at + 1, of)

    if n > FILTER_LIMITS["length"]:
        fail(
            'the filter is longer than %d characters; split it or use "in (...)" lists' % FILTER_LIMITS["length"],
            FILTER_LIMITS["length"],
        )
    # A lone surrogate is no Unicode text: no client could bind it to SQL as written.
    lone = next((k for k, c in enumerate(text) if "\ud800" <= c <= "\udfff"), None)
    if lone is not None:
        fail("unexpected character %s (a lone surrogate: the filter is not Unicode text)" % json.dumps(text[lone]), lone)
    tokens = []
    i = 0
    while i < n:
        c = text[i]
        if c in WHITESPACE:
            i += 1
            continue
        start = i
        nxt = text[i + 1] if i + 1 < n else ""
        if c in "(),":
            tokens.append(Token({"(": "lparen", ")": "rparen", ",": "comma"}[c], c, start + 1))
            i += 1
        elif c in "'\"":
            s = []
            i += 1
            while True:
                if i >= n:
                    fail("unterminated string (missing closing %s)" % c, start)
                d = text[i]
                if d == c:
                    if i + 1 < n and text[i + 1] == c:
                        s.append(c)
                        i += 2
                        continue
                    i += 1
                    break
                s.append(d)
                i += 1
            tokens.append(Token("string", text[start:i], start + 1, "".join(s)))
        elif c == "`":
            # A quoted key: params.`learning rate`, metrics.`top-1 acc`; `` inside stands for `.
            key = []
            i += 1
            while True:
                if i >= n:
                    fail("unterminated ` quote", start)
                if text[i] == "`":
                    if i + 1 < n and text[i + 1] == "`":
                        key.append("`")
                        i += 2
                        continue
                    i += 1
                    break
                key.append(text[i])
                i += 1
            prev = tokens[-1] if tokens else None
            if prev and prev.type == "ident" and prev.text.endswith(".") and prev.column + len(prev.text) == start + 1:
                prev.text += "".join(key)
            else:
                fail("a ` quoted key must follow params., metrics. or tags.", start)
        elif c in "-+" and _infinity_at(text, i + 1):
            length = 1 + _infinity_at(text, i + 1)
            tokens.append(Token("number", text[i : i + length], start + 1, -math.inf if c == "-" else math.inf))
            i += length
        elif c in _DIGITS or (c in "-+." and nxt != "" and nxt in _DIGITS + "."):
            m = _NUMBER.match(text, i)
            if not m:
                fail("bad number", start)
            word = m.group(0)
            tokens.append(Token("number", word, start + 1, float(word)))
            i += len(word)
        elif ident_start(c):
            while i < n and ident_part(text[i]):
                i += 1
            tokens.append(Token("ident", text[start:i], start + 1))
        else:
            two = text[i : i + 2]
            if two in _TWO_CHAR_OPS:
                tokens.append(Token("op", two, start + 1))
                i += 2
            elif c in "<>=":
                tokens.append(Token("op", c, start + 1))
                i += 1
            else:
                fail("unexpected character %s" % json.dumps(c, ensure_ascii=False), start)
    tokens.append(Token("eof", "", n + 1))
    return tokens
