"""The numbered ``.sql`` migrations, read from the one place they are kept: the
repository's ``migrations/`` folder. A built package carries a byte-for-byte copy
made by setup.py at build time; a source checkout (``PYTHONPATH=python``) reads
the repository's folder directly."""

import os
import re

_NAME = re.compile(r"^\d{3}-[a-z0-9-]+\.sql$")
_cache = None


def migrations_dir():
    """The folder holding the ``.sql`` files: inside the package when installed,
    else the repository root's ``migrations/``."""
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (os.path.join(here, "migrations"), os.path.join(here, "..", "..", "migrations")):
        if os.path.isfile(os.path.join(candidate, "001-initial.sql")):
            return os.path.normpath(candidate)
    raise RuntimeError("mldb: the migrations/ folder is missing from the installed package; reinstall mldb")


def load_migrations():
    """All migrations as ``(version, name, sql)`` in version order, read once per process."""
    global _cache
    if _cache is None:
        folder = migrations_dir()
        found = []
        for name in sorted(f for f in os.listdir(folder) if _NAME.match(f)):
            with open(os.path.join(folder, name), "rb") as f:
                found.append((int(name[:3]), name, f.read().decode("utf-8")))
        for i, (version, name, _) in enumerate(found):
            if version != i + 1:
                raise RuntimeError("mldb: migration %s is out of sequence" % name)
        _cache = found
    return _cache


def latest_version():
    """The schema version this mldb writes."""
    return len(load_migrations())
