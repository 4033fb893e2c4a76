"""The Python side of the interop tests, driven by vitest through `python3 interop.py CMD ...`
with PYTHONPATH=python. JSON in and out writes NaN/±Infinity as the strings
"NaN"/"Infinity"/"-Infinity", as mldb's TypeScript JSON does."""

import json
import math
import sys

from mldb import Database, FilterSyntaxError, MldbError, ValidationError
from mldb.filter import compile_filter, field_names
from mldb.filter_text import is_blank


def number(v):
    """A JSON number or one of mldb's non-finite strings, as a float."""
    return float(v) if isinstance(v, str) else v


def plain(v):
    """v with non-finite floats turned into mldb's strings, for json.dumps."""
    if isinstance(v, float) and not math.isfinite(v):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v


def replay(db, exp, ops):
    """Applies the operations the test describes, through the public API only."""
    for op in ops:
        kind = op["op"]
        if kind == "status":
            db.set_exp_status(exp, op["status"], project=op.get("project"))
        elif kind == "metric":
            db.add_metric_value(exp, op["name"], op["step"], number(op["value"]), split=op.get("split", ""))
        elif kind == "loss":
            db.add_loss_value(exp, op["split"], op["step"], number(op["value"]))
        elif kind == "batch":
            db.log_batch(exp, [dict(p, value=number(p["value"])) for p in op["points"]])
        elif kind == "params":
            db.set_params(exp, op["params"])
        elif kind == "tags":
            db.set_tags(exp, op["tags"])
        elif kind == "notes":
            db.set_notes(exp, op["notes"])
        elif kind == "file":
            db.add_file(exp, op["path"], kind=op["kind"], step=op.get("step"), hash=op.get("hash", False), meta=op.get("meta"))
        else:
            raise ValueError("unknown op %r" % kind)


def dump(db, exp):
    """Everything the Python API reads back about one experiment."""
    series = db.get_series(exp)
    return {
        "status": db.get_exp_status(exp),
        "history": [h["status"] for h in db.get_status_history(exp)],
        "series": series,
        "values": {s["key"]: db.get_metric_values(exp, s["name"], split=s["split"]) for s in series},
        "params": db.get_params(exp),
        "tags": db.get_tags(exp),
        "notes": db.get_notes(exp),
        "files": db.get_files(exp),
        "experiment": db.get_experiment(exp),
    }


def writer(path, i, n):
    """One of several concurrent writers: waits for "go", then logs n single points
    into a shared series and n points in batches of 25 into its own experiment."""
    print("ready", flush=True)
    assert sys.stdin.readline().strip() == "go"
    with Database(path) as db:
        for j in range(n):
            db.add_metric_value("shared", "common", i * n + j, i + j / 1000)
            if j % 25 == 24:
                db.log_batch("py-%d" % i, [{"name": "loss", "split": "train", "step": s, "value": s / 2} for s in range(j - 24, j + 1)])
        db.set_exp_status("py-%d" % i, "COMPLETE")
    print("done", flush=True)


def statuses(db, exp, given):
    """Sets each status on its own experiment (exp-0, exp-1, ...); what was stored, or
    "refused" when the status was rejected."""
    out = []
    for i, status in enumerate(given):
        try:
            db.set_exp_status("%s-%d" % (exp, i), status)
            out.append(db.get_exp_status("%s-%d" % (exp, i)))
        except ValidationError:
            out.append("refused")
    return out


def listings(db, queries):
    """For each {where, order_by, limit, best}: the names listed (or the best one's name and
    value), the compiled SQL and its parameters, or the FilterSyntaxError's column and message."""
    out = []
    for q in queries:
        where = q.get("where")
        try:
            if "best" in q:
                best = db.best_experiment(q["best"], q.get("mode", "min"), where=where)
                r = {"best": None if best is None else [best["name"], best["best"]]}
            else:
                r = {"names": [e["name"] for e in db.list_experiments(where=where, order_by=q.get("order_by"), limit=q.get("limit"))]}
            if where is not None and not is_blank(where):
                r["sql"], r["params"] = compile_filter(where, field_names(db.connection))
        except FilterSyntaxError as e:
            r = {"error": str(e), "column": e.column}
        except MldbError as e:
            # another refusal (a series key that is no key): its kind, the message is each client's own
            r = {"refused": type(e).__name__}
        out.append(r)
    return out


class Boom(Exception):
    """What a transaction's body raises when the program says it throws."""


def run_program(db, steps):
    """Runs a tx-program.ts program through the Python API: the outcome of each call and
    transaction in order ("ok", the error's class name, or "boom")."""
    log = []

    def run(items, inside):
        for s in items:
            at = len(log)
            log.append("?")
            try:
                if "call" in s:
                    replay(db, s["exp"], [s["call"]])
                else:
                    with db.transaction():
                        run(s["tx"], True)
                        if s.get("throws"):
                            raise Boom()
                log[at] = "ok"
            except Exception as e:  # noqa: BLE001 - the log names it; the other client must name the same
                log[at] = "boom" if isinstance(e, Boom) else type(e).__name__
                if inside and not s.get("catch"):
                    raise

    run(steps, False)
    return log


def tx_programs(now, runs):
    """Each {path, program} run on its own file with a fixed clock; the outcome logs."""
    out = []
    for r in runs:
        with Database(r["path"], clock=lambda: now) as db:
            out.append(run_program(db, r["program"]))
    return out


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    if cmd == "writer":
        writer(path, int(sys.argv[3]), int(sys.argv[4]))
        return
    if cmd == "tx-programs":
        print(json.dumps(tx_programs(int(path), json.loads(sys.stdin.read()))))
        return
    if cmd == "listings":
        # an optional clock (ms), so that LOST and durations read the same in both clients
        clock = (lambda: int(sys.argv[3])) if len(sys.argv) > 3 else None
        with Database(path, clock=clock) as db:
            print(json.dumps(plain(listings(db, json.loads(sys.stdin.read()))), allow_nan=False))
        return
    exp = sys.argv[3]
    with Database(path) as db:
        if cmd == "replay":
            replay(db, exp, json.loads(sys.stdin.read()))
            print(json.dumps(plain(dump(db, exp)), allow_nan=False))
        elif cmd == "dump":
            print(json.dumps(plain(dump(db, exp)), allow_nan=False))
        elif cmd == "set-params":
            db.set_params(exp, json.loads(sys.stdin.read()))
        elif cmd == "statuses":
            print(json.dumps(statuses(db, exp, json.loads(sys.stdin.read()))))
        else:
            raise SystemExit("unknown command " + cmd)


if __name__ == "__main__":
    main()
