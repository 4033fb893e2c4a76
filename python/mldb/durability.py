"""What a returned write survives, as in src/api/durability.ts: ``"process"`` (the
default: kill -9 and crashes; WAL with synchronous=NORMAL) or ``"power"`` (a power
cut too; synchronous=FULL, an fsync of the WAL on every commit)."""

import json
import os

from .config import config_file_path
from .errors import ConfigError, ValidationError
from .validate import describe

#: The SQLite ``synchronous`` setting of each durability.
SYNCHRONOUS = {"process": "NORMAL", "power": "FULL"}


def check_durability(value, where):
    """``value`` if it is ``"process"`` or ``"power"``, else ValidationError naming ``where``."""
    if isinstance(value, str) and value in SYNCHRONOUS:
        return value
    raise ValidationError(
        '%s must be "process" (survives kill -9) or "power" (survives a power cut, slower), got %s'
        % (where, describe(value)),
        "durability",
    )


def configured_durability():
    """The ``"durability"`` of the config file (``~/.mldb_config.json``), else ``"process"``."""
    file = config_file_path()
    if not os.path.exists(file):
        return "process"
    try:
        with open(file, encoding="utf-8") as f:
            parsed = json.load(f)
    except (ValueError, OSError) as e:
        raise ConfigError("%s is not valid JSON (%s); fix it or delete it" % (file, e), file) from None
    value = parsed.get("durability") if isinstance(parsed, dict) else None
    if value is None:
        return "process"
    try:
        return check_durability(value, '"durability" in %s' % file)
    except ValidationError as e:
        raise ConfigError(str(e), file) from None
