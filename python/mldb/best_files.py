"""Which recorded files go with a best value, as TypeScript's src/api/best-files.ts:
the model or checkpoint recorded at (or nearest before) the best step, and the
final model beside it."""

from .sql_files import sql

_WEIGHT_KINDS = ("model", "checkpoint")


def first_step_with_value(connection, exp, name, split, value):
    """The first step (in step order, then as logged) at which experiment ``exp``'s series holds ``value``; None if never."""
    row = connection.execute(
        sql("series/first-step-with-value"), {"exp": exp, "name": name, "split": split, "value": value}
    ).fetchone()
    return None if row is None else row[0]


def _order(f):
    # no step last: a model saved without one is the final save
    return (float("inf") if f["step"] is None else f["step"], f["created_at"], f["id"])


def pick_best_files(files, step):
    """``(best_file, final_file)`` from an experiment's files: the model or checkpoint at
    or nearest before ``step``, and the last model (a checkpoint when there is no model)."""
    weights = sorted((f for f in files if f["kind"] in _WEIGHT_KINDS), key=_order)
    best = None
    if step is not None:
        for f in weights:
            if f["step"] is not None and f["step"] <= step:
                best = f
    models = [f for f in weights if f["kind"] == "model"]
    pool = models or weights
    return best, (pool[-1] if pool else None)
