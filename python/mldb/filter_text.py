"""The text rules and limits of the filter language (docs/schema.md, "Filter language"),
stated in Unicode code points: Python's ``str`` indexes code points, so columns are
plain indexes plus one."""

from .filter_letters import category_class

#: The limits of one filter, the same as src/query/limits.ts.
FILTER_LIMITS = {"length": 10_000, "depth": 32, "terms": 256, "in_values": 1_000}

#: The Unicode White_Space characters: what separates tokens.
WHITESPACE = frozenset(
    "\t\n\v\f\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def ascii_lower(s):
    """Keywords and field names match in any ASCII case only: ``ascii_lower('NOT') == 'not'``."""
    return s.translate(_ASCII_LOWER)


def ascii_upper(s):
    """``ascii_upper('complete') == 'COMPLETE'``; other letters stay as they are."""
    return s.translate(_ASCII_UPPER)


def is_blank(s):
    """Whether a filter is empty or only white space (and so filters nothing)."""
    return all(c in WHITESPACE for c in s)


def ident_start(c):
    """Whether a code point may start a field name: a letter (general category L, Unicode 17.0) or ``_``."""
    return c == "_" or category_class(c) == "L"


def ident_part(c):
    """Whether a code point may continue a field name: letters, digits (category N) and ``_ . - / :``."""
    return c in "_.-/:" or category_class(c) != ""


def quote_key(key):
    """A key as the tokenizer reads it back: ``'valid/loss'`` as is, ``'top-1 acc'`` as ```top-1 acc```."""
    if key and ident_start(key[0]) and all(ident_part(c) for c in key):
        return key
    return "`%s`" % key.replace("`", "``")
