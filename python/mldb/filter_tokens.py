"""The tokenizer of the ``where`` filter language, a port of src/query/tokenize.ts.

Columns are 1-based and counted in UTF-16 code units, as JavaScript counts them,
so both clients point at the same column of the same filter."""

import json
import math
import re
import unicodedata

from .errors import FilterSyntaxError


#: What JavaScript's ``\\s`` and ``String.prototype.trim`` take as white space
#: (Python's ``str.isspace`` differs: it takes \\x1c-\\x1f and leaves \\ufeff).
JS_SPACE = frozenset("\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                     "\u2028\u2029\u202f\u205f\u3000\ufeff")

_INF = re.compile(r"[-+]inf(inity)?\b", re.ASCII | re.IGNORECASE)
_NUMBER = re.compile(r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")
_TWO_CHAR_OPS = ("<=", ">=", "!=", "<>", "==")


def utf16_len(s):
    """The length JavaScript gives ``s``: astral characters count twice."""
    return len(s) + sum(1 for c in s if ord(c) > 0xFFFF)


def _category_in(c, classes):
    # JavaScript indexes UTF-16 code units, so an astral character reaches its
    # regexps as a lone surrogate that is neither a letter nor a digit.
    return ord(c) <= 0xFFFF and unicodedata.category(c)[0] in classes


def ident_start(c):
    """Whether c may start a field name (a letter or _)."""
    return c == "_" or _category_in(c, "L")


def ident_part(c):
    """Whether c may continue a field name: letters, digits and _ . - / :."""
    return c in "_.-/:" or _category_in(c, "LN")


def _js_quote(c):
    """``JSON.stringify(c)`` of one UTF-16 code unit (the first of an astral character)."""
    if ord(c) > 0xFFFF:
        return '"\\u%04x"' % (0xD800 + ((ord(c) - 0x10000) >> 10))
    return json.dumps(c, ensure_ascii=False)


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


def tokenize(text):
    """Splits a filter such as ``params.lr < 0.1 and status = 'COMPLETE'`` into tokens."""
    tokens = []
    i = 0
    n = len(text)
    # col[i] is the 1-based UTF-16 column of text[i]; col[n] is one past the end.
    col = [1] * (n + 1)
    for k, c in enumerate(text):
        col[k + 1] = col[k] + (2 if ord(c) > 0xFFFF else 1)

    def fail(msg, at):
        raise FilterSyntaxError(msg, text, col[at])

    while i < n:
        c = text[i]
        if c in JS_SPACE:
            i += 1
            continue
        start = i
        nxt = text[i + 1] if i + 1 < n else ""
        if c in "(),":
            tokens.append(Token({"(": "lparen", ")": "rparen", ",": "comma"}[c], c, col[start]))
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
            tokens.append(Token("string", text[start:i], col[start], "".join(s)))
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
            if prev and prev.type == "ident" and prev.text.endswith(".") and prev.column + utf16_len(prev.text) == col[start]:
                prev.text += "".join(key)
            else:
                fail("a ` quoted key must follow params., metrics. or tags.", start)
        elif c in "-+" and _INF.match(text, i):
            word = _INF.match(text, i).group(0)
            tokens.append(Token("number", word, col[start], -math.inf if c == "-" else math.inf))
            i += len(word)
        elif c in "0123456789" or (c in "-+." and nxt != "" and nxt in "0123456789."):
            m = _NUMBER.match(text, i)
            if not m:
                fail("bad number", start)
            word = m.group(0)
            tokens.append(Token("number", word, col[start], float(word)))
            i += len(word)
        elif ident_start(c):
            while i < n and ident_part(text[i]):
                i += 1
            tokens.append(Token("ident", text[start:i], col[start]))
        else:
            two = text[i : i + 2]
            if two in _TWO_CHAR_OPS:
                tokens.append(Token("op", two, col[start]))
                i += 2
            elif c in "<>=":
                tokens.append(Token("op", c, col[start]))
                i += 1
            else:
                fail("unexpected character %s" % _js_quote(c), start)
    tokens.append(Token("eof", "", col[n]))
    return tokens
