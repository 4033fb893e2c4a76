"""One workload of `npm run bench:peers` on one store, in a fresh process.

    python harness.py ADAPTER WORKLOAD DIR [ARGS_JSON]

ADAPTER names a module in adapters/ (mldb_py, mlflow_file, optuna_sqlite, ...);
each uses its library's public API only. Prints one JSON line: the figure, or
{"na": reason} when the library has no such call. Timings cover the calls
alone, never imports or opening the store (those are reported beside).
"""

import importlib
import json
import math
import os
import signal
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "adapters"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))  # mldb's Python client, never pip-installed

METRICS = ["train_loss", "valid_loss", "train_acc", "valid_acc", "lr"]
# The filter every store can say: a param equality and a metric's last value below a bound.
FILTER = {"param": "optimizer", "equals": "adam", "metric": "valid_loss", "below": 0.8}


def loss_at(step, seed=0):
    """bench/lib/data.ts lossAt: a noisy decaying curve, never an integer."""
    return 2 * math.exp(-step / 200000) + 0.05 * math.sin(step * 12.9898 + seed * 78.233) + 0.013


def run_params(i):
    return {"lr": 10 ** -(1 + (i % 40) / 10), "batch_size": 32 << (i % 4), "optimizer": "adam" if i % 3 else "sgd", "seed": i}


def run_metrics(i):
    """[(name, step, value)] of run i: 5 series x 10 steps."""
    lr = run_params(i)["lr"]
    return [(m, s, lr if m == "lr" else loss_at(s * 20000, i + k)) for s in range(10) for k, m in enumerate(METRICS)]


def expected_filter_matches(runs):
    n = 0
    for i in range(runs):
        last = [v for m, s, v in run_metrics(i) if m == FILTER["metric"] and s == 9][0]
        n += run_params(i)[FILTER["param"]] == FILTER["equals"] and last < FILTER["below"]
    return n


def du(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total


def out(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def fill_series(a, run, args):
    """One series of args["n"] points, batched where the library can; one call per point
    otherwise, stopping after args["max_s"] seconds (Optuna logs ~100 points/s). Returns the count."""
    n, max_s, t = args["n"], args.get("max_s", 1e9), time.perf_counter()
    if hasattr(a, "log_batch"):
        for b in range(0, n, 1000):
            a.log_batch(run, [("loss", k, loss_at(k)) for k in range(b, min(n, b + 1000))])
        return n
    for k in range(n):
        a.log(run, "loss", k, loss_at(k))
        if k % 100 == 99 and time.perf_counter() - t > max_s:
            return k + 1
    return n


def main():
    adapter_name, workload, folder = sys.argv[1], sys.argv[2], sys.argv[3]
    args = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
    os.makedirs(folder, exist_ok=True)
    os.environ["BENCH_PEER_DIR"] = folder  # for libraries that read their folder from the environment at import
    t = time.perf_counter()
    a = importlib.import_module(adapter_name)
    a.setup(folder)
    import_s = time.perf_counter() - t

    if workload == "percall":
        # one call per point, each as the library documents a single log; stops at n points or max_s seconds
        run = a.open_run(folder, "percall", {})
        n, max_s, done = args["n"], args.get("max_s", 1e9), 0
        t = time.perf_counter()
        while done < n:
            a.log(run, "loss", done, loss_at(done))
            done += 1
            if time.perf_counter() - t > max_s:  # every call: the slowest stores take seconds per call under 16 writers
                break
        seconds = time.perf_counter() - t
        a.finish(run)
        out({"points": done, "seconds": seconds, "points_per_s": done / seconds, "import_s": import_s})
    elif workload == "batched":
        if not hasattr(a, "log_batch"):
            out({"na": "no batch call"})
            return
        run = a.open_run(folder, "batched", {})
        n, size = args["n"], args["batch"]
        batches = [[("s%d" % (k % 10), k // 10, loss_at(k, k % 10)) for k in range(b, min(n, b + size))] for b in range(0, n, size)]
        t = time.perf_counter()
        for b in batches:
            a.log_batch(run, b)
        seconds = time.perf_counter() - t
        a.finish(run)
        out({"points": n, "seconds": seconds, "points_per_s": n / seconds})
    elif workload == "worker":
        # one of 16 processes into one store: ready, wait for "go" on stdin, one call per point
        errors, done = 0, 0
        try:
            run = a.open_run(folder, "worker_%d" % args["index"], {})
        except Exception as e:  # noqa: BLE001 - a store that refuses a writer is what this counts
            out({"ready": True})
            sys.stdin.readline()
            out({"points": 0, "errors": 1, "seconds": 0, "error": repr(e)[:200]})
            return
        out({"ready": True})
        sys.stdin.readline()
        n, max_s = args["n"], args.get("max_s", 1e9)
        t = time.perf_counter()
        first_error = None
        for step in range(n):
            try:
                a.log(run, "loss", step, loss_at(step, args["index"]))
                done += 1
            except Exception as e:  # noqa: BLE001
                errors += 1
                first_error = first_error or repr(e)[:200]
            if time.perf_counter() - t > max_s:
                break
        try:
            a.finish(run)
        except Exception as e:  # noqa: BLE001
            errors += 1
            first_error = first_error or repr(e)[:200]
        out({"points": done, "errors": errors, "seconds": time.perf_counter() - t, "error": first_error})
    elif workload == "count":
        out({"points": a.count_points(folder)})
    elif workload == "bytes":
        run = a.open_run(folder, "bytes", {})
        n = fill_series(a, run, args)
        a.finish(run)
        a.close(folder) if hasattr(a, "close") else None
        size = du(folder)
        out({"points": n, "bytes": size, "bytes_per_point": size / n})
    elif workload == "fill_runs":
        if not hasattr(a, "fill_runs"):
            out({"na": "runs cannot be read back, so none are made"})
            return
        # in chunks of 25 runs until all are in or max_s has passed (Aim takes ~1 s a run)
        t = time.perf_counter()
        done, max_s = 0, args.get("max_s", 1e9)
        while done < args["runs"] and time.perf_counter() - t < max_s:
            chunk = range(done, min(args["runs"], done + 25))
            a.fill_runs(folder, chunk, run_params, run_metrics)
            done = chunk.stop
        out({"runs": done, "seconds": time.perf_counter() - t, "filter_expected": expected_filter_matches(done)})
    elif workload in ("list", "filter"):
        fn = getattr(a, "list_runs" if workload == "list" else "filter_runs", None)
        if fn is None:
            out({"na": "no way to %s runs through the public API" % workload})
            return
        if hasattr(a, "prepare_read"):
            a.prepare_read(folder)
        t = time.perf_counter()
        res = fn(folder, FILTER) if workload == "filter" else fn(folder)
        ms = (time.perf_counter() - t) * 1000
        out({"ms": ms, "runs": res["runs"], "how": res.get("how", "")})
    elif workload == "fill_series":
        run = a.open_run(folder, "series", {})
        n = fill_series(a, run, args)
        a.finish(run)
        out({"points": n})
    elif workload == "read":
        if not hasattr(a, "read_series"):
            out({"na": "no reader"})
            return
        if hasattr(a, "prepare_read"):
            a.prepare_read(folder)
        t = time.perf_counter()
        values = a.read_series(folder, "series", "loss")
        ms = (time.perf_counter() - t) * 1000
        out({"ms": ms, "points": len(values)})
    elif workload == "kill9":
        # 500 single calls, then SIGKILL: no finish, no atexit, no flush
        run = a.open_run(folder, "kill9", {})
        for k in range(args.get("n", 500)):
            a.log(run, "loss", k, loss_at(k))
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)
    else:
        raise SystemExit("unknown workload %s" % workload)


if __name__ == "__main__":
    main()
