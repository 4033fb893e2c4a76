"""What the framework integrations share: splitting metric keys into (split, name),
turning framework config objects into JSON params, and owning a run."""

import math
import numbers

_SPLITS = {"train": "train", "training": "train", "val": "valid", "valid": "valid", "validation": "valid",
           "test": "test", "eval": "eval"}


def split_key(key, default_split=""):
    """``'val_loss'`` and ``'val/loss'`` -> ``('valid', 'loss')``, ``'train_acc'`` -> ``('train', 'acc')``,
    ``'loss'`` -> ``(default_split, 'loss')``."""
    head, sep, tail = key.partition("/")
    if sep and head in _SPLITS and tail:
        return _SPLITS[head], tail
    head, sep, tail = key.partition("_")
    if sep and head in _SPLITS and tail:
        return _SPLITS[head], tail
    return default_split, key


def number(value):
    """A Python float from a float, int, numpy scalar or 0-d tensor; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Real):
        return float(value)
    item = getattr(value, "item", None)
    if callable(item) and getattr(value, "ndim", 0) == 0:
        try:
            v = item()
        except Exception:
            return None
        return float(v) if isinstance(v, numbers.Real) and not isinstance(v, bool) else None
    return None


def json_param(value, depth=0):
    """A JSON-able copy of a config value: numbers, strings, lists and dicts kept,
    anything else (classes, dtypes, tensors of many values) as its text."""
    if value is None or isinstance(value, (bool, str)):
        return value
    n = number(value)
    if n is not None:
        if math.isnan(n) or math.isinf(n):
            return str(n)
        return int(n) if isinstance(value, numbers.Integral) else n
    if depth < 8 and isinstance(value, dict):
        return {str(k): json_param(v, depth + 1) for k, v in value.items()}
    if depth < 8 and isinstance(value, (list, tuple)):
        return [json_param(v, depth + 1) for v in value]
    return str(value)


def set_new_params(run, params):
    """Records the params this run does not have yet (a param is written once per
    experiment; frameworks may report the same ones twice)."""
    have = run._db.get_params(run.name)
    new = {k: json_param(v) for k, v in params.items() if k not in have}
    if new:
        run.set_params(new)


class RunOwner:
    """Either the run the user passed, or one started on first use (and finished by us)."""

    def __init__(self, run=None, db=None, name=None, project="default", tags=None, system_metrics=False):
        self._run = run
        self._owned = run is None
        self._db_arg = db
        self._name = name
        self._project = project
        self._tags = tags
        self._system_metrics = system_metrics

    @property
    def run(self):
        if self._run is None:
            from mldb import Database

            db = self._db_arg if self._db_arg is not None and not isinstance(self._db_arg, str) \
                else Database(self._db_arg)
            self._run = db.start_run(name=self._name, project=self._project, tags=self._tags,
                                     system_metrics=self._system_metrics)
        return self._run

    def log(self, values, step, default_split=""):
        """Logs numeric values, grouped by split, at ``step``; non-numbers are skipped."""
        groups = {}
        for key, value in values.items():
            v = number(value)
            if v is None:
                continue
            split, name = split_key(str(key), default_split)
            groups.setdefault(split, {})[name] = v
        for split, vals in groups.items():
            self.run.log(vals, step=int(step), split=split or None)

    def succeeded(self):
        if self._owned and self._run is not None:
            self._run.finish()

    def failed(self, error=None):
        """KILLED for a KeyboardInterrupt, FAILED with the error in the notes otherwise."""
        if self._run is None:
            return
        if isinstance(error, KeyboardInterrupt):
            self._run._end("KILLED", "interrupted (KeyboardInterrupt)")
        else:
            self._run.fail(error)
