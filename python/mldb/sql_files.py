"""The named SQL of the repository's ``sql/`` folder, shared byte for byte with the
TypeScript client (as ``migrations/`` is): one statement or expression a file, named by
its path without ``.sql`` (``points/append-tail``). Python only binds and runs them. A
built package carries a copy made by setup.py; a source checkout (``PYTHONPATH=python``)
reads the repository's folder directly."""

import os
import re

_cache = {}

#: ``{folder/name}`` inside a statement: the text of that named SQL (docs/schema.md, "Named SQL").
_INCLUDE = re.compile(r"\{([a-z0-9-]+(?:/[a-z0-9-]+)+)\}")


def sql_dir():
    """The folder holding the named SQL: inside the package when installed, else the repository root's ``sql/``."""
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (os.path.join(here, "sql"), os.path.join(here, "..", "..", "sql")):
        if os.path.isfile(os.path.join(candidate, "status", "derived.sql")):
            return os.path.normpath(candidate)
    raise RuntimeError("mldb: the sql/ folder is missing from the installed package; reinstall mldb")


def strip_comments(text):
    """Drops whole-line ``--`` comments and surrounding white space (docs/schema.md, "Named SQL")."""
    return "\n".join(line for line in text.split("\n") if not line.lstrip().startswith("--")).strip()


def sql(name):
    """The text of a named statement, each ``{folder/name}`` in it replaced by that named SQL; read once per
    process: ``conn.execute(sql('series/id'), (eid, 'loss', 'train'))``."""
    text = _cache.get(name)
    if text is None:
        path = os.path.join(sql_dir(), *name.split("/")) + ".sql"
        if not os.path.isfile(path):
            raise RuntimeError("mldb: no named SQL %r in %s" % (name, sql_dir()))
        with open(path, "rb") as f:
            text = strip_comments(f.read().decode("utf-8"))
        # {status/derived} stands for that expression, so a statement reads the LOST rule from its one file
        text = _INCLUDE.sub(lambda m: sql(m.group(1)), text)
        _cache[name] = text
    return text
