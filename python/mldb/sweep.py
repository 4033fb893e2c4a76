"""Sweeps: hyperparameter searches whose trials are ordinary experiments, claimed
through the database by the rules of docs/schema.md ("Sweeps"), the same rules
the TypeScript client keeps, so Python and TypeScript workers share one sweep. Both
run the statements of sql/sweeps/; the LOST rule is sql/status/derived.sql.

Python asks sample grid, random and bayes (TPE, mldb/sweep_tpe.py) sweeps.

Example::

    with Database() as db:
        sweep = db.create_sweep({'name': 'b', 'method': 'bayes', 'metric': {'name': 'objective'},
                                 'parameters': {'x': {'min': -5.0, 'max': 10.0}}, 'run_cap': 50})
        sweep.optimize(lambda t: (t.params['x'] - 2) ** 2, n_trials=50)
        print(sweep.best())
"""

import json
import os
import random
import socket

from .errors import MldbError, NotFoundError, ValidationError
from .filter_parse import parse_series_key
from .js_json import js_stringify
from .sql_files import sql
from .sweep_config import parse_sweep_config
from .sweep_space import grid_point, grid_size, nest_params, sample_random
from .sweep_tpe import sample_tpe
from .validate import check_json_text, check_unicode, describe

_ACTIVE = ("TRAINING", "VALIDATING")
_LOST_NOTE = "LOST: its worker stopped beating; marked FAILED by the sweep"


def _now():
    from .database import now_ms

    return now_ms()


def seed_for(sweep_seed, number):
    """The seed of one trial's draws: reproducible from the sweep's seed and the trial number."""
    return (sweep_seed * 1_000_003 + number * 7_919 + 17) % (2 ** 32)


class Trial:
    """One claimed trial: the experiment ``<sweep>-<number>`` with its params.

    Example::

        trial.report(epoch, valid_loss)
        if trial.should_prune():
            trial.prune()
        else:
            trial.finish(valid_loss)
    """

    def __init__(self, sweep, number, exp, params):
        self.sweep = sweep
        self.number = number
        self.exp = exp
        self.params = params
        self.ended = False

    def _live(self, what):
        if self.ended:
            raise ValidationError('trial %d of sweep "%s" has ended; %s needs a new trial from ask()'
                                  % (self.number, self.sweep.name, what), "trial")

    def report(self, step, value):
        """A point of the metric's series at ``step``, like add_metric_value."""
        self._live("report")
        name, split = self.sweep.series
        self.sweep.db.add_metric_value(self.exp, name, step, value, split=split)

    def should_prune(self):
        """Whether the sweep's pruner says stop now (False without a pruner)."""
        return self.sweep._prune_decision(self)

    def prune(self):
        """Ends the trial PRUNED; samplers read its value at its deepest step."""
        self._live("prune")
        self.ended = True
        self.sweep._end(self, "PRUNED", None, False)

    def finish(self, value=None):
        """Ends the trial COMPLETE with its value (default: the metric's last reported value)."""
        self._live("finish")
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise ValidationError("finish takes the trial's value as a number, got %r" % (value,), "value")
        self.ended = True
        self.sweep._end(self, "COMPLETE", value, value is not None)

    def fail(self, error=None):
        """Ends the trial FAILED, keeping the error in the experiment's notes."""
        self._live("fail")
        self.ended = True
        self.sweep._end(self, "FAILED", None, False, None if error is None else str(error))


class Sweep:
    """A hyperparameter search; ``db.create_sweep(config)`` or ``db.get_sweep(name)``."""

    def __init__(self, db, sweep_id, config):
        self.db = db
        self.id = sweep_id
        self.config = config
        self.name = config["name"]
        self.project = config["project"]
        self.series = parse_series_key(config["metric"]["name"])

    # ------------------------------------------------------------ reading

    def _rows(self, now=None):
        """The rows of sweeps/trials: number, experiment_id, exp, params, grid_index, requeue, status (LOST
        derived at now), heartbeat_at, updated_at, value, last_step, created_at."""
        name, split = self.series
        args = {"sweep": self.id, "name": name, "split": split, "now": _now() if now is None else now}
        return self.db.connection.execute(sql("sweeps/trials"), args).fetchall()

    def _state(self):
        row = self.db.connection.execute(sql("sweeps/rows"), {"name": self.name}).fetchone()
        return None if row is None else row[4]

    def _loss(self, v):
        if v is None or v != v:
            return None
        return v if self.config["metric"]["goal"] == "minimize" else -v

    def _observations(self, rows):
        out = []
        for r in rows:
            st = r[6]
            state = {"COMPLETE": "complete", "PRUNED": "pruned"}.get(st, "running" if st in _ACTIVE else None)
            if state is None:
                continue
            loss = self._loss(r[9])
            if state == "complete" and loss is None:
                continue
            out.append({"number": r[0], "params": json.loads(r[3]), "state": state,
                        "loss": None if state == "running" else loss, "step": r[10]})
        return out

    def trials(self):
        """Every trial as a dict: number, exp, status (LOST derived), params, value, step."""
        return [{"number": r[0], "exp": r[2], "status": r[6], "params": nest_params(json.loads(r[3])),
                 "value": r[9], "step": r[10]} for r in self._rows()]

    def best(self):
        """The best COMPLETE trial as {exp, number, params, value}, or None."""
        best = None
        for r in self._rows():
            if r[6] != "COMPLETE" or r[9] is None:
                continue
            if best is None or self._loss(r[9]) < self._loss(best[9]):
                best = r
        if best is None:
            return None
        return {"exp": best[2], "number": best[0], "params": nest_params(json.loads(best[3])), "value": best[9]}

    def summary(self):
        """Counts, state and best so far (as `mldb sweep show`)."""
        rows = self._rows()
        sts = [r[6] for r in rows]
        state = self._state()
        return {"name": self.name, "project": self.project, "method": self.config["method"],
                "metric": self.config["metric"], "state": state or "DELETED",
                "run_cap": self.config.get("runCap"), "trials": len(rows),
                "running": sum(s in _ACTIVE for s in sts), "complete": sts.count("COMPLETE"),
                "pruned": sts.count("PRUNED"), "failed": sum(s in ("FAILED", "KILLED", "LOST") for s in sts),
                "best": self.best()}

    # ------------------------------------------------------------ claiming

    def _claim(self):
        """Inside BEGIN IMMEDIATE: the rules of docs/schema.md, "Sweeps"."""
        conn = self.db.connection
        state = self._state()
        if state is None:
            raise NotFoundError('the sweep "%s" was deleted' % self.name, "sweep", self.name)
        if state != "RUNNING":
            return None
        now = _now()
        cfg = self.config
        for number, eid in conn.execute(sql("sweeps/lost"), {"sweep": self.id, "now": now}).fetchall():
            conn.execute(sql("experiments/set-status"), {"status": "FAILED", "now": now, "active": 0, "final": 1, "id": eid})
            conn.execute(sql("sweeps/add-note"), {"note": _LOST_NOTE, "now": now, "id": eid})
            if cfg.get("requeueLost"):
                conn.execute(sql("sweeps/set-requeue"), {"requeue": 1, "sweep": self.id, "number": number})
        pending = None
        if cfg.get("requeueLost"):
            pending = conn.execute(sql("sweeps/pending-requeue"), {"sweep": self.id}).fetchone()
        number, counted, next_grid = conn.execute(sql("sweeps/claim-state"), {"sweep": self.id}).fetchone()
        if pending is None and cfg.get("runCap") is not None and counted >= cfg["runCap"]:
            return None
        grid_index = None
        if pending is not None:
            params, grid_index = json.loads(pending[1]), pending[2]
            conn.execute(sql("sweeps/set-requeue"), {"requeue": 2, "sweep": self.id, "number": pending[0]})
        elif cfg["method"] == "grid":
            grid_index = next_grid
            if grid_index >= grid_size(cfg["parameters"]):
                return None
            params = grid_point(cfg["parameters"], grid_index)
        else:
            rng = random.Random(seed_for(cfg["seed"], number))
            if cfg["method"] == "random":
                params = sample_random(cfg["parameters"], rng)
            else:
                params = sample_tpe(cfg["parameters"], self._observations(self._rows(now)), rng)
        exp = "%s-%d" % (self.name, number)
        if conn.execute(sql("experiments/by-name"), (exp,)).fetchone():
            exp = "%s-%s" % (exp, "%06x" % random.randrange(16 ** 6))
        cur = conn.execute(sql("experiments/insert"), {
            "name": exp, "project_id": self.db._project_id(self.project), "status": "TRAINING", "now": now,
            "started_at": now, "ended_at": None, "host": socket.gethostname(), "pid": os.getpid()})
        eid = cur.lastrowid
        conn.executemany(sql("params/insert"), [(eid, k, js_stringify(v)) for k, v in nest_params(params).items()])
        conn.executemany(sql("params/set-tag"), [(eid, "mldb.sweep", self.name), (eid, "mldb.trial", str(number))])
        conn.execute(sql("sweeps/trial-insert"), {"sweep": self.id, "number": number, "experiment_id": eid,
                                                  "params": js_stringify(params), "grid_index": grid_index, "now": now})
        return number, exp, params

    def ask(self):
        """Claims the next trial (a new TRAINING experiment with sampled params), or
        None when the run cap is reached, the grid is done or the sweep is stopped.
        Report at least once a minute (or heartbeat) or the trial reads LOST."""
        got = self.db._write(self._claim)
        if got is None:
            return None
        number, exp, params = got
        return Trial(self, number, exp, nest_params(params))

    def stop(self):
        """Stops handing out trials (running ones go on)."""
        self.db._write(lambda: self.db.connection.execute(sql("sweeps/set-state"),
                                                          {"state": "STOPPED", "now": _now(), "id": self.id}))

    def optimize(self, objective, n_trials=None):
        """Optuna-style loop: asks up to n_trials trials, calls objective(trial) and
        finishes each with its return value; an objective that called
        trial.prune() leaves it PRUNED; one that raises marks it FAILED and re-raises.

        ``sweep.optimize(lambda t: (t.params['x'] - 2) ** 2, n_trials=20)``
        """
        i = 0
        while n_trials is None or i < n_trials:
            i += 1
            trial = self.ask()
            if trial is None:
                return
            try:
                value = objective(trial)
            except BaseException as e:
                if not trial.ended:
                    trial.fail(e)
                raise
            if not trial.ended:
                trial.finish(value)

    # ------------------------------------------------------------ ending and pruning

    def _end(self, trial, status, value, set_value, note=None):
        db = self.db

        def write():
            conn = db.connection
            if set_value:
                conn.execute(sql("sweeps/set-value"),
                             {"value": None if value != value else value, "sweep": self.id, "number": trial.number})
            eid = conn.execute(sql("sweeps/trial-experiment"), {"sweep": self.id, "number": trial.number}).fetchone()[0]
            now = _now()
            if note:  # added below the notes already there, as TypeScript does
                old = conn.execute(sql("experiments/notes"), (eid,)).fetchone()[0]
                conn.execute(sql("experiments/set-notes"), {"notes": old + "\n" + note if old else note, "now": now, "id": eid})
            conn.execute(sql("experiments/set-status"), {"status": status, "now": now, "active": 0, "final": 1, "id": eid})

        db._write(write)

    def _prune_decision(self, trial):
        spec = self.config.get("earlyTerminate")
        if not spec:
            return False
        conn = self.db.connection
        name, split = self.series
        goal = self.config["metric"]["goal"]

        def better(a, b):
            return a < b if goal == "minimize" else a > b

        eid = conn.execute(sql("sweeps/trial-experiment"), {"sweep": self.id, "number": trial.number}).fetchone()[0]
        own = conn.execute(sql("sweeps/series-values"), {"experiment_id": eid, "name": name, "split": split}).fetchall()
        if not own:
            return False
        step = own[-1][0]
        if spec["type"] == "median":
            if step < spec["nWarmupSteps"] or (step - spec["nWarmupSteps"]) % spec["intervalSteps"]:
                return False
            others = [r[0] for r in conn.execute(sql("sweeps/values-at"), {
                "sweep": self.id, "name": name, "split": split, "step": step, "status": "COMPLETE"}) if r[0] is not None]
            if not others or len(others) < spec["nStartupTrials"]:
                return False
            others.sort()
            m = len(others) // 2
            med = others[m] if len(others) % 2 else (others[m - 1] + others[m]) / 2
            best = own[0][1]
            for _, v in own:
                if better(v, best):
                    best = v
            return better(med, best)
        bracket, b = -1, spec["minIter"]
        while b <= step:
            bracket, b = b, b * spec["eta"]
        if bracket < 0:
            return False
        mine = [v for s, v in own if s <= bracket]
        if not mine:
            return False
        my_best = min(mine) if goal == "minimize" else max(mine)
        others = [r[0] for r in conn.execute(sql("sweeps/best-up-to"), {
            "sweep": self.id, "name": name, "split": split, "step": bracket, "except": trial.number,
            "max": 0 if goal == "minimize" else 1}) if r[0] is not None]
        ranked = sorted(others + [my_best], reverse=goal != "minimize")
        if len(ranked) < spec["eta"]:
            return False
        keep = max(1, int(len(ranked) // spec["eta"]))
        return better(ranked[keep - 1], my_best)


def create_sweep(db, raw):
    config = parse_sweep_config(raw)
    # its name and params become trials' experiment names and params: no NUL or lone surrogate (docs/schema.md, "Limits")
    check_json_text("sweep config", "config", config)
    target = getattr(db, "_server_target", None)
    if target is not None:
        # With a team server the sweep lives there: agents on every machine claim its trials from it.
        from .remote import RemoteSweep, _Http

        http = _Http(*target)
        http.request("creating a sweep", "POST", "/api/sweeps", dict(http.write_id(), config=raw))
        return RemoteSweep(db, config["name"], target)
    conn = db.connection

    def write():
        if conn.execute(sql("sweeps/rows"), {"name": config["name"]}).fetchone():
            raise ValidationError('a sweep named "%s" already exists; reopen it with get_sweep or pick another name'
                                  % config["name"], "name")
        now = _now()
        return conn.execute(sql("sweeps/insert"), {"name": config["name"], "project_id": db._project_id(config["project"]),
                                                   "config": json.dumps(config), "now": now}).fetchone()[0]

    return Sweep(db, db._write(write), config)


def get_sweep(db, name):
    if not isinstance(name, str):
        raise ValidationError("a sweep name must be a string, got %s" % (describe(name),), "name")
    check_unicode("sweep name", "name", name)
    target = getattr(db, "_server_target", None)
    if target is not None:
        from .remote import RemoteSweep

        return RemoteSweep(db, name, target)
    db._open()
    row = db.connection.execute(sql("sweeps/rows"), {"name": name}).fetchone()
    if row is None:
        raise NotFoundError('no sweep named "%s" in %s; see the sweeps with `mldb sweep ls`' % (name, db.path),
                            "sweep", name)
    return Sweep(db, row[0], json.loads(row[3]))


def list_sweeps(db):
    db._open()
    rows = db.connection.execute(sql("sweeps/rows"), {"name": None}).fetchall()
    return [Sweep(db, r[0], json.loads(r[3])).summary() for r in rows]


__all__ = ["Sweep", "Trial", "create_sweep", "get_sweep", "list_sweeps", "MldbError"]
