"""Run: an experiment plus a heartbeat thread and a status recorded however the
script ends (as src/api/run.ts)."""

import atexit
import os
import signal
import sys
import threading
import traceback

from .connection import connect
from .database import Database, now_ms
from .sql_files import sql
from .errors import ValidationError
from .exp_name import exp_name
from .validate import check_split, check_step, describe

_open_runs = set()
_hooked = False
_lock = threading.Lock()


def _mark_all(status, note=None):
    for run in list(_open_runs):
        try:
            run._end(status, note)
        except Exception:  # the process is going down; try the others
            pass


def _hook_process():
    """Once per process: an uncaught exception marks open runs FAILED (KILLED for
    Ctrl-C), SIGTERM marks them KILLED, a normal exit COMPLETE."""
    global _hooked
    with _lock:
        if _hooked:
            return
        _hooked = True
    previous = sys.excepthook

    def excepthook(exc_type, exc, tb):
        status = "KILLED" if issubclass(exc_type, KeyboardInterrupt) else "FAILED"
        _mark_all(status, "".join(traceback.format_exception(exc_type, exc, tb)).rstrip())
        previous(exc_type, exc, tb)

    sys.excepthook = excepthook
    atexit.register(_mark_all, "COMPLETE")
    # Only take over SIGTERM when nobody else has, and only from the main thread.
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:

        def on_term(signum, frame):
            _mark_all("KILLED", "received SIGTERM")
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)

        signal.signal(signal.SIGTERM, on_term)


class _Heartbeat(threading.Thread):
    """Marks the experiment alive every `every` seconds on its own connection."""

    def __init__(self, path, name, every):
        super().__init__(name="mldb-heartbeat", daemon=True)
        self.path = path
        self.exp = name
        self.every = every
        self.stopped = threading.Event()

    def run(self):
        conn = None
        try:
            conn = connect(self.path)
            while not self.stopped.wait(self.every):
                try:
                    # the beat both clients write (sql/experiments/heartbeat-by-name.sql): a trashed run is left alone
                    conn.execute(sql("experiments/heartbeat-by-name"), {"now": now_ms(), "name": self.exp})
                except Exception:  # a busy moment; the next beat tries again
                    pass
        except Exception:
            pass
        finally:
            if conn is not None:
                conn.close()


class Run:
    """One training run, made by ``db.start_run()``.

    Example::

        with db.start_run(project='iris', params={'lr': 0.01}) as run:
            for epoch in range(10):
                run.log({'loss': 0.3, 'acc': 0.9}, step=epoch, split='train')
        # COMPLETE; FAILED (error kept in the notes) if the block raised
    """

    def __init__(self, db, name=None, project="default", params=None, tags=None, notes=None, status="TRAINING",
                 heartbeat_s=15.0, handle_exit=True, system_metrics=False, system_metrics_every_s=10.0):
        # Checked before anything is written: a run refused here leaves no experiment behind.
        if not isinstance(system_metrics, bool):
            raise ValidationError("system_metrics must be True or False, got %s" % describe(system_metrics), "system_metrics")
        if isinstance(system_metrics_every_s, bool) or not isinstance(system_metrics_every_s, (int, float)) \
                or not system_metrics_every_s > 0 or system_metrics_every_s == float("inf"):
            raise ValidationError("system_metrics_every_s must be a number of seconds > 0, got %s"
                                  % describe(system_metrics_every_s), "system_metrics_every_s")
        self._db = db
        self.project = project
        self._next_step = 0
        self._ended = False
        # Without a name: the seed's YYYYMMDD_HHMMSS_run, with _2, _3... when runs start in the same second.
        trial = os.environ.get("MLDB_EXP") if name is None else None
        if trial:
            # Inside `mldb sweep agent`: a run without a name is the trial's experiment.
            self.name = db._join_run(trial, status, params=params, tags=tags)
        else:
            self.name = db._create_run(exp_name("run") if name is None else name, project, status, params=params,
                                       tags=tags, notes=notes, unique_name=name is None)
        self._beat = _Heartbeat(db.path, self.name, heartbeat_s)
        self._beat.start()
        self._system = None
        if system_metrics:
            from .system_metrics import SystemMetrics

            self._system = SystemMetrics(db.path, self.name, system_metrics_every_s)
            self._system.start()
        if handle_exit:
            _open_runs.add(self)
            _hook_process()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.finish()
        elif issubclass(exc_type, KeyboardInterrupt):
            self._end("KILLED", "interrupted (KeyboardInterrupt)")
        else:
            self.fail(exc)
        return False

    def log(self, values, step=None, split=None):
        """Logs several values at one step in one transaction; without ``step``, the
        step after the last one this run logged. ``run.log({'loss': 0.31}, step=epoch, split='train')``"""
        if not isinstance(values, dict):
            raise ValidationError("run.log takes a dict such as {'loss': 0.3}, got %s" % describe(values), "values")
        s = self._next_step if step is None else check_step(step)
        sp = check_split(split)
        if len(values) == 1:
            # One value: add_metric_value's one-page commit instead of a batch transaction.
            ((k, v),) = values.items()
            self._db.add_metric_value(self.name, k, s, v, split=sp)
            if s >= self._next_step:
                self._next_step = s + 1
            return
        self._db.log_batch(self.name, [{"name": k, "value": v, "step": s, "split": sp} for k, v in values.items()])
        if s >= self._next_step:
            self._next_step = s + 1

    def set_params(self, params):
        """Records hyperparameters (once per key)."""
        self._db.set_params(self.name, params)

    def set_tags(self, tags):
        """Sets tags."""
        self._db.set_tags(self.name, tags)

    def add_file(self, path, kind="other", step=None, hash=False, meta=None):
        """Records a file on disk (model, checkpoint, image, ...)."""
        return self._db.add_file(self.name, path, kind=kind, step=step, hash=hash, meta=meta)

    def _media_step(self, step):
        return max(0, self._next_step - 1) if step is None else step

    def log_image(self, name, image, step=None):
        """Stores an image at a step (default: the last step logged): see ``db.log_image``."""
        return self._db.log_image(self.name, name, self._media_step(step), image)

    def log_table(self, name, table, step=None, format="json"):
        """Stores a table at a step: see ``db.log_table``."""
        return self._db.log_table(self.name, name, self._media_step(step), table, format=format)

    def log_histogram(self, name, values, step=None, bins=64):
        """Stores a histogram at a step: see ``db.log_histogram``."""
        return self._db.log_histogram(self.name, name, self._media_step(step), values, bins=bins)

    def set_status(self, status):
        """Sets an intermediate status such as VALIDATING."""
        self._db.set_exp_status(self.name, status)

    def finish(self, status="COMPLETE"):
        """Marks the run COMPLETE (or the status given) and stops the heartbeat."""
        self._end(status)

    def fail(self, error=None):
        """Marks the run FAILED, keeping the error in the notes."""
        if error is None:
            note = None
        elif isinstance(error, BaseException):
            note = "".join(traceback.format_exception(type(error), error, error.__traceback__)).rstrip()
        else:
            note = str(error)
        self._end("FAILED", note)

    def _end(self, status, note=None):
        if self._ended:
            return
        if not self._db._closed:
            # Before marking the run ended, so that after db.commit() finish() can be retried.
            self._db._no_script_transaction()
        self._ended = True
        self._beat.stopped.set()
        if self._system is not None:
            self._system.stop()
            if self._system is not threading.current_thread():
                self._system.join(5)
        _open_runs.discard(self)
        # At exit the script's Database may be closed already: use a fresh one then.
        db = self._db if not self._db._closed else Database(self._db.path)
        try:
            if note:
                old = db.get_notes(self.name)
                db.set_notes(self.name, old + "\n" + note if old else note)
            db.set_exp_status(self.name, status)
        finally:
            if db is not self._db:
                db.close()
