"""Which way a series is optimised: ``min`` for loss-like names, ``max`` for
accuracy-like ones, as the TypeScript client decides (src/api/direction.ts).

The words are not copied here: both clients read ``docs/series-directions.json``
(a built package carries a byte-for-byte copy made by setup.py). The rule is
written in docs/schema.md (Series directions). A choice per series in the config
file, ``{"db_path": ..., "directions": {"valid/score": "max"}}``, wins over the words.

Example::

    from mldb import series_direction
    series_direction('valid/acc')   # 'max'
    series_direction('valid/loss')  # 'min'
"""

import json
import os
import re

from .config import config_file_path
from .errors import ConfigError, ValidationError
from .validate import describe

_FILE = "series-directions.json"
_words = None
_cached = None


def directions_file():
    """The shared word list: inside the package when installed, else the repository's ``docs/``."""
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (os.path.join(here, _FILE), os.path.join(here, "..", "..", "docs", _FILE)):
        if os.path.isfile(candidate):
            return os.path.normpath(candidate)
    raise RuntimeError("mldb: %s is missing from the installed package; reinstall mldb" % _FILE)


def _word_list():
    global _words
    if _words is None:
        with open(directions_file(), encoding="utf-8") as f:
            data = json.load(f)
        by_word = {}
        for w in data["min"]:
            by_word[w] = "min"
        for w in data["max"]:
            by_word[w] = "max"
        # longest first, as TypeScript sorts them (a stable sort over the same order)
        suffixes = sorted(((w, d) for w, d in by_word.items() if len(w) >= 3), key=lambda wd: -len(wd[0]))
        _words = (data["default"], by_word, suffixes, data.get("examples", {}))
    return _words


def _name_words(name):
    # camelCase splits; any character but an ASCII letter or digit separates words
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [w for w in re.sub(r"[^A-Za-z0-9]+", " ", spaced).lower().split(" ") if w]


def _direction_of_name(name):
    default, by_word, suffixes, _ = _word_list()
    words = _name_words(name)
    for w in reversed(words):
        d = by_word.get(w) or by_word.get(re.sub(r"[0-9]+$", "", w))
        if d:
            return d
    if words:
        for w, d in suffixes:
            if words[-1].endswith(w):
                return d
    return default


def check_directions(value, where):
    """A ``directions`` mapping as given: each value ``'min'`` or ``'max'``; raises ValidationError."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError('%s must be an object such as {"valid/score": "max"}, got %s' % (where, describe(value)), "directions")
    for k, v in value.items():
        if v not in ("min", "max"):
            raise ValidationError('%s["%s"] must be "min" or "max", got %s' % (where, k, describe(v)), "directions")
    return dict(value)


def configured_directions():
    """The ``"directions"`` of the config file (``~/.mldb_config.json``); empty when there are none.
    Read again only when the file changes."""
    global _cached
    file = config_file_path()
    try:
        st = os.stat(file)
    except FileNotFoundError:
        return {}
    stamp = (file, st.st_mtime_ns, st.st_size)
    if _cached is not None and _cached[0] == stamp:
        return _cached[1]
    try:
        with open(file, encoding="utf-8") as f:
            parsed = json.load(f)
    except (ValueError, OSError) as e:
        raise ConfigError("%s is not valid JSON (%s); fix it or delete it" % (file, e), file) from None
    try:
        directions = check_directions(parsed.get("directions") if isinstance(parsed, dict) else None, '"directions" in %s' % file)
    except ValidationError as e:
        raise ConfigError(str(e), file) from None
    _cached = (stamp, directions)
    return directions


def series_direction(key, directions=None):
    """The direction series ``key`` (``'split/name'`` or ``'name'``) is optimised in:
    a choice in ``directions`` (default: the config file's) for the key, then for its
    name; else the shared word list (loss-like min, accuracy-like max, anything else min).

    Example::

        series_direction('valid/acc')                             # 'max'
        series_direction('valid/score', {'valid/score': 'min'})   # 'min'
    """
    if not isinstance(key, str):
        raise ValidationError("a series key must be a string such as 'valid/acc', got %s" % describe(key), "series")
    chosen = configured_directions() if directions is None else check_directions(directions, "directions")
    name = key[key.index("/") + 1 :] if "/" in key else key
    if key in chosen:
        return chosen[key]
    if name in chosen:
        return chosen[name]
    return _direction_of_name(name)
