"""Sweeps: hyperparameter searches whose trials are ordinary experiments, claimed
through the database by the rules of docs/schema.md ("Sweeps"), the same rules
the TypeScript client keeps, so Python and TypeScript workers share one sweep.

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
from .filter_status import LOST_AFTER_MS
from .js_json import js_stringify
from .sweep_config import parse_sweep_config
from .sweep_space import grid_point, grid_size, nest_params, sample_random
from .sweep_tpe import sample_tpe

_ACTIVE = ("TRAINING", "VALIDATING")

# The series' last point is read from points, not from the summary columns, which a
# writer may bring up to date later than the point itself.
_LAST_POINT = "FROM points p WHERE p.series_id = s.id ORDER BY p.step DESC, p.seq DESC LIMIT 1"
_TRIALS = (
    "SELECT t.number, t.experiment_id, e.name, t.params, t.grid_index, t.requeue, e.status, e.heartbeat_at,"
    " e.updated_at, coalesce(t.value, (SELECT p.value " + _LAST_POINT + ")), (SELECT p.step " + _LAST_POINT + "),"
    " t.created_at"
    " FROM trials t JOIN experiments e ON e.id = t.experiment_id"
    " LEFT JOIN series s ON s.experiment_id = t.experiment_id AND s.name = ? AND s.split = ?"
    " WHERE t.sweep_id = ?"
)


def _now():
    from .database import now_ms

    return now_ms()


def seed_for(sweep_seed, number):
    """The seed of one trial's draws: reproducible from the sweep's seed and the trial number."""
    return (sweep_seed * 1_000_003 + number * 7_919 + 17) % (2 ** 32)


def _status(row, now):
    status, beat, updated = row[6], row[7], row[8]
    return "LOST" if status in _ACTIVE and (beat if beat is not None else updated) < now - LOST_AFTER_MS else status


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

    def _rows(self):
        name, split = self.series
        return self.db.connection.execute(_TRIALS + " ORDER BY t.number", (name, split, self.id)).fetchall()

    def _loss(self, v):
        if v is None or v != v:
            return None
        return v if self.config["metric"]["goal"] == "minimize" else -v

    def _observations(self, rows, now):
        out = []
        for r in rows:
            st = _status(r, now)
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
        now = _now()
        return [{"number": r[0], "exp": r[2], "status": _status(r, now), "params": nest_params(json.loads(r[3])),
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
        now = _now()
        sts = [_status(r, now) for r in rows]
        state = self.db.connection.execute("SELECT state FROM sweeps WHERE id = ?", (self.id,)).fetchone()
        return {"name": self.name, "project": self.project, "method": self.config["method"],
                "metric": self.config["metric"], "state": state[0] if state else "DELETED",
                "run_cap": self.config.get("runCap"), "trials": len(rows),
                "running": sum(s in _ACTIVE for s in sts), "complete": sts.count("COMPLETE"),
                "pruned": sts.count("PRUNED"), "failed": sum(s in ("FAILED", "KILLED", "LOST") for s in sts),
                "best": self.best()}

    # ------------------------------------------------------------ claiming

    def _claim(self):
        """Inside BEGIN IMMEDIATE: the rules of docs/schema.md, "Sweeps"."""
        conn = self.db.connection
        row = conn.execute("SELECT state FROM sweeps WHERE id = ?", (self.id,)).fetchone()
        if row is None:
            raise NotFoundError('the sweep "%s" was deleted' % self.name, "sweep", self.name)
        if row[0] != "RUNNING":
            return None
        now = _now()
        cfg = self.config
        lost = conn.execute(
            "SELECT t.number, t.experiment_id FROM trials t JOIN experiments e ON e.id = t.experiment_id"
            " WHERE t.sweep_id = ? AND e.status IN ('TRAINING', 'VALIDATING')"
            " AND coalesce(e.heartbeat_at, e.updated_at) < ?", (self.id, now - LOST_AFTER_MS)).fetchall()
        for number, eid in lost:
            conn.execute("UPDATE experiments SET status = 'FAILED', updated_at = ?, heartbeat_at = ?, ended_at = ?,"
                         " notes = ? WHERE id = ?",
                         (now, now, now, "LOST: its worker stopped beating; marked FAILED by the sweep", eid))
            if cfg.get("requeueLost"):
                conn.execute("UPDATE trials SET requeue = 1 WHERE sweep_id = ? AND number = ?", (self.id, number))
        pending = None
        if cfg.get("requeueLost"):
            pending = conn.execute("SELECT number, params, grid_index FROM trials WHERE sweep_id = ? AND requeue = 1"
                                   " ORDER BY number LIMIT 1", (self.id,)).fetchone()
        counted = conn.execute("SELECT count(*) FROM trials WHERE sweep_id = ? AND requeue = 0", (self.id,)).fetchone()[0]
        if pending is None and cfg.get("runCap") is not None and counted >= cfg["runCap"]:
            return None
        number = conn.execute("SELECT coalesce(max(number) + 1, 0) FROM trials WHERE sweep_id = ?",
                              (self.id,)).fetchone()[0]
        grid_index = None
        if pending is not None:
            params, grid_index = json.loads(pending[1]), pending[2]
            conn.execute("UPDATE trials SET requeue = 2 WHERE sweep_id = ? AND number = ?", (self.id, pending[0]))
        elif cfg["method"] == "grid":
            grid_index = conn.execute("SELECT coalesce(max(grid_index) + 1, 0) FROM trials WHERE sweep_id = ?",
                                      (self.id,)).fetchone()[0]
            if grid_index >= grid_size(cfg["parameters"]):
                return None
            params = grid_point(cfg["parameters"], grid_index)
        else:
            rng = random.Random(seed_for(cfg["seed"], number))
            if cfg["method"] == "random":
                params = sample_random(cfg["parameters"], rng)
            else:
                params = sample_tpe(cfg["parameters"], self._observations(self._rows(), now), rng)
        exp = "%s-%d" % (self.name, number)
        if conn.execute("SELECT 1 FROM experiments WHERE name = ?", (exp,)).fetchone():
            exp = "%s-%s" % (exp, "%06x" % random.randrange(16 ** 6))
        cur = conn.execute(
            "INSERT INTO experiments (name, project_id, status, created_at, started_at, ended_at, updated_at,"
            " heartbeat_at, host, pid) VALUES (?, ?, 'TRAINING', ?, ?, NULL, ?, ?, ?, ?)",
            (exp, self.db._project_id(self.project), now, now, now, now, socket.gethostname(), os.getpid()))
        eid = cur.lastrowid
        for k, v in nest_params(params).items():
            conn.execute("INSERT OR IGNORE INTO params (experiment_id, key, value) VALUES (?, ?, ?)",
                         (eid, k, js_stringify(v)))
        for k, v in (("mldb.sweep", self.name), ("mldb.trial", str(number))):
            conn.execute("INSERT INTO tags (experiment_id, key, value) VALUES (?, ?, ?)", (eid, k, v))
        conn.execute("INSERT INTO trials (sweep_id, number, experiment_id, params, grid_index, created_at)"
                     " VALUES (?, ?, ?, ?, ?, ?)", (self.id, number, eid, js_stringify(params), grid_index, now))
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
        self.db._write(lambda: self.db.connection.execute("UPDATE sweeps SET state = 'STOPPED', updated_at = ?"
                                                          " WHERE id = ?", (_now(), self.id)))

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
            if set_value:
                db.connection.execute("UPDATE trials SET value = ? WHERE sweep_id = ? AND number = ?",
                                      (None if value != value else value, self.id, trial.number))
            if note:
                db._put_notes(db._exp_id(trial.exp), note)
            now = _now()
            db.connection.execute(
                "UPDATE experiments SET status = ?, updated_at = ?, heartbeat_at = ?, ended_at = ? WHERE name = ?",
                (status, now, now, now, trial.exp))

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

        eid = conn.execute("SELECT experiment_id FROM trials WHERE sweep_id = ? AND number = ?",
                           (self.id, trial.number)).fetchone()[0]
        own = conn.execute(
            "SELECT p.step, p.value FROM points p JOIN series s ON s.id = p.series_id WHERE s.experiment_id = ?"
            " AND s.name = ? AND s.split = ? AND p.value IS NOT NULL ORDER BY p.step, p.seq", (eid, name, split)).fetchall()
        if not own:
            return False
        step = own[-1][0]
        if spec["type"] == "median":
            if step < spec["nWarmupSteps"] or (step - spec["nWarmupSteps"]) % spec["intervalSteps"]:
                return False
            others = [r[0] for r in conn.execute(
                "SELECT (SELECT p.value FROM points p WHERE p.series_id = s.id AND p.step = ? ORDER BY p.seq DESC LIMIT 1)"
                " FROM trials t JOIN experiments e ON e.id = t.experiment_id JOIN series s ON"
                " s.experiment_id = t.experiment_id AND s.name = ? AND s.split = ?"
                " WHERE t.sweep_id = ? AND e.status = 'COMPLETE'", (step, name, split, self.id)) if r[0] is not None]
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
        agg = "min" if goal == "minimize" else "max"
        others = [r[0] for r in conn.execute(
            "SELECT %s(p.value) FROM trials t JOIN series s ON s.experiment_id = t.experiment_id AND s.name = ?"
            " AND s.split = ? JOIN points p ON p.series_id = s.id AND p.step <= ? WHERE t.sweep_id = ?"
            " AND t.number <> ? AND EXISTS (SELECT 1 FROM points q WHERE q.series_id = s.id AND q.step >= ?)"
            " GROUP BY s.id" % agg,
            (name, split, bracket, self.id, trial.number, bracket)) if r[0] is not None]
        ranked = sorted(others + [my_best], reverse=goal != "minimize")
        if len(ranked) < spec["eta"]:
            return False
        keep = max(1, int(len(ranked) // spec["eta"]))
        return better(ranked[keep - 1], my_best)


def create_sweep(db, raw):
    config = parse_sweep_config(raw)
    target = getattr(db, "_server_target", None)
    if target is not None:
        # With a team server the sweep lives there: agents on every machine claim its trials from it.
        from .remote import RemoteSweep, _Http

        http = _Http(*target)
        http.request("creating a sweep", "POST", "/api/sweeps", dict(http.write_id(), config=raw))
        return RemoteSweep(db, config["name"], target)
    conn = db.connection

    def write():
        if conn.execute("SELECT 1 FROM sweeps WHERE name = ?", (config["name"],)).fetchone():
            raise ValidationError('a sweep named "%s" already exists; reopen it with get_sweep or pick another name'
                                  % config["name"], "name")
        now = _now()
        cur = conn.execute("INSERT INTO sweeps (name, project_id, config, state, created_at, updated_at)"
                           " VALUES (?, ?, ?, 'RUNNING', ?, ?)",
                           (config["name"], db._project_id(config["project"]), json.dumps(config), now, now))
        return cur.lastrowid

    return Sweep(db, db._write(write), config)


def get_sweep(db, name):
    if not isinstance(name, str):
        raise ValidationError("a sweep name must be a string, got %r" % (name,), "name")
    target = getattr(db, "_server_target", None)
    if target is not None:
        from .remote import RemoteSweep

        return RemoteSweep(db, name, target)
    db._open()
    row = db.connection.execute("SELECT id, config FROM sweeps WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise NotFoundError('no sweep named "%s" in %s; see the sweeps with `mldb sweep ls`' % (name, db.path),
                            "sweep", name)
    return Sweep(db, row[0], json.loads(row[1]))


def list_sweeps(db):
    db._open()
    rows = db.connection.execute("SELECT id, config FROM sweeps ORDER BY created_at DESC, id DESC").fetchall()
    return [Sweep(db, r[0], json.loads(r[1])).summary() for r in rows]


__all__ = ["Sweep", "Trial", "create_sweep", "get_sweep", "list_sweeps", "MldbError"]
