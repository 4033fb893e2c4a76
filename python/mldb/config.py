"""Where the database is, decided as src/config.ts does:
``Database(path)`` > ``CONFIG['db_path']`` > ``$MLDB_DB_PATH`` > the config file
(``~/.mldb_config.json``; on Windows ``%USERPROFILE%\\mldb_config.json``) >
``~/.mldb/mldb.db``."""

import json
import os
import sys

from .errors import ConfigError

#: The in-script override, as in the first mldb: ``CONFIG['db_path'] = '/tmp/sweep.db'``
#: points every later ``Database()`` of this process at that file.
CONFIG = {}


def _home():
    return os.environ.get("HOME") or os.path.expanduser("~")


def config_file_path():
    """``$HOME/.mldb_config.json``, or ``%USERPROFILE%\\mldb_config.json`` on Windows."""
    if sys.platform == "win32":
        return os.path.join(os.environ.get("USERPROFILE") or os.path.expanduser("~"), "mldb_config.json")
    return os.path.join(_home(), ".mldb_config.json")


#: The keys a config file may hold; ``db_path`` is optional, any other key is refused
#: (a typo such as ``path`` would otherwise be silently ignored).
CONFIG_FILE_KEYS = ("db_path", "directions", "server", "token", "durability")


def read_config_file(file):
    """The config file's contents as a dict (``db_path`` None when unset), or None when there is no file."""
    if not os.path.exists(file):
        return None
    try:
        with open(file, encoding="utf-8") as f:
            parsed = json.load(f)
    except (ValueError, OSError) as e:
        raise ConfigError(
            '%s is not valid JSON (%s); write {"db_path": "/path/to/database.db"} or delete it' % (file, e), file
        ) from None
    if not isinstance(parsed, dict):
        raise ConfigError('%s must hold a JSON object such as {"db_path": "/path/to/database.db"}' % file, file)
    unknown = [k for k in parsed if k not in CONFIG_FILE_KEYS]
    if unknown:
        raise ConfigError(
            '%s has an unknown key "%s"; the keys are %s (the database is "db_path")'
            % (file, unknown[0], ", ".join(CONFIG_FILE_KEYS)),
            file,
        )
    if "db_path" not in parsed:
        return {"db_path": None}
    db_path = parsed["db_path"]
    if not isinstance(db_path, str) or db_path.strip() == "":
        raise ConfigError('%s has a "db_path" that is not a path; write {"db_path": "/path/to/database.db"}' % file, file)
    return {"db_path": db_path}


def _expand(p):
    if p == ":memory:":
        return p
    if p == "~" or p.startswith("~/"):
        p = _home() + p[1:]
    return os.path.abspath(p)


def resolve_db_path(path=None):
    """``(path, source)``: the database file and where that choice came from
    (``option``, ``CONFIG``, ``env``, ``config-file`` or ``default``)."""
    if path is not None and path != "":
        return _expand(os.fspath(path)), "option"
    if CONFIG.get("db_path"):
        return _expand(os.fspath(CONFIG["db_path"])), "CONFIG"
    if os.environ.get("MLDB_DB_PATH"):
        return _expand(os.environ["MLDB_DB_PATH"]), "env"
    from_file = read_config_file(config_file_path())
    if from_file and from_file["db_path"] is not None:
        return _expand(from_file["db_path"]), "config-file"
    return _expand(os.path.join(_home(), ".mldb", "mldb.db")), "default"
