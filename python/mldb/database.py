"""The model database: the seed's API over one SQLite file, in snake_case, doing
what src/api/database.ts does so both clients can share a file."""

import json
import os
import socket
import sqlite3

from .best_files import first_step_with_value, pick_best_files
from .config import resolve_db_path
from .direction import check_directions, configured_directions, series_direction
from .connection import BUSY_TIMEOUT_S, busy_seconds, is_busy, open_sqlite, short_busy_wait
from .errors import DatabaseBusyError, MldbError, NotFoundError, ReadOnlyDatabaseError, ValidationError
from .filter import LOST_AFTER_MS, bind_now, compile_filter, compile_order_by, field_names, parse_series_key, series_field
from .filter_text import is_blank
from .exp_name import first_free_name
from .clock import now_ms
from .experiment_writes import ACTIVE, FINAL, ensure_exp, maybe_beat, project_id, series_id
from .id_cache import IdCache
from .tail_append import append as _append
from .files import check_kind, sha256_file, stat_file
from .durability import SYNCHRONOUS, check_durability, configured_durability
from .points import OPEN_TAILS, PointWriter, from_sql
from .registry import Registry
from .remote import routed_registry
from .stored_json import JSON_MAX_BYTES, decode_stored_json
from .sync import resolve_sync_target, start_sync
from .listing_sql import listing_sql
from .sql_files import sql
from .sqlite_errors import map_sqlite_errors
from .transactions import Transaction, Transactions
from .wal_guard import WalGuard
from .validate import (
    MAX_SAFE_INTEGER,
    check_exp_name,
    check_key,
    check_optional_int,
    check_optional_text,
    check_project_name,
    check_record,
    check_row_count,
    check_series_name,
    check_split,
    check_status,
    check_step,
    check_step_cursor,
    check_unicode,
    check_value,
    describe,
    series_parts,
    tag_text,
    to_json_value,
)


def _last_beat(r):
    """A listing row's last sign of life (heartbeat, else last update): where a LOST run's duration stops, as in TypeScript."""
    return r[9] if r[9] is not None else r[8]


def _parse_summary(text):
    """An experiment_lists summary ``[params, tags, series rows]`` (migration 008), or None
    when there is none or it is nested too deep for Python's parser (read the tables then)."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except RecursionError:
        return None


def _file_from_row(r):
    return {
        "id": r[0],
        "experiment": r[1],
        "path": r[2],
        "kind": r[3],
        "step": r[4],
        "size": r[5],
        "mtime": r[6],
        "sha256": r[7],
        "meta": None if r[8] is None else decode_stored_json(r[8]),
        "created_at": r[9],
    }


def _series_from_row(r):
    name, split, count, first_step, last_step, last_time, last, lo, hi, nan_count = r
    return {
        "name": name,
        "split": split,
        "key": "%s/%s" % (split, name) if split else name,
        "count": count,
        "first_step": first_step,
        "last_step": last_step,
        "last_time": last_time,
        # an empty series has no last value; a NaN last value is NULL with count > 0
        "last": float("nan") if count == 0 else from_sql(last),
        "min": from_sql(lo),
        "max": from_sql(hi),
        "nan_count": nan_count,
    }


def _param_entries(params):
    """``[(key, JSON text)]`` of a params dict, or ValidationError."""
    return [(check_key("param key", k), to_json_value(k, v)) for k, v in check_record("params", params).items()]


def _tag_entries(tags):
    """``[(key, text)]`` of a tags dict, or ValidationError."""
    return [(check_key("tag key", k), tag_text(k, v)) for k, v in check_record("tags", tags).items()]


def _check_text(what, value, example="params.lr < 0.1"):
    """A filter (or sort) argument is a string, or ValidationError."""
    if not isinstance(value, str):
        raise ValidationError("%s must be a string such as \"%s\", got %s" % (what, example, describe(value)), what)
    return value


def _check_notes(notes):
    """Notes are a string of at most 1,000,000 characters, or ValidationError."""
    if not isinstance(notes, str):
        raise ValidationError("notes must be a string, got %s" % describe(notes), "notes")
    if len(notes) > 1_000_000:
        raise ValidationError("notes are over 1,000,000 characters; keep long text in a file and add_file it", "notes")
    check_unicode("notes", "notes", notes)


class Database:
    """One mldb SQLite file, safe for many processes at once.

    Every API call is its own short transaction and is durable when it returns.
    ``cursor`` is a plain ``sqlite3`` cursor for raw SQL (the seed's ``STATUS``,
    ``LOSS``, ``METRICS``, ``FILES`` views); what a script writes through it is
    committed when the ``with`` block ends cleanly (or at ``commit()``) and rolled
    back on an exception. Inside a transaction the caller opened (``with
    db.transaction():``, or uncommitted writes through ``cursor``) API calls join
    it, each in a savepoint: they are durable when that transaction commits.

    Example::

        with Database() as db:
            db.set_exp_status('20260803_091702_TestModel', 'TRAINING')
            db.add_loss_value('20260803_091702_TestModel', 'train', 0, 0.93)
    """

    def __init__(self, path=None, busy_timeout_ms=None, directions=None, durability=None, server=None, token=None, sync_wait_s=None,
                 clock=None):
        if clock is not None and not callable(clock):
            raise ValidationError("clock must be a function returning ms since 1970, got %s" % describe(clock), "clock")
        #: the time (ms since 1970) this connection writes and judges LOST by: ``clock`` when given
        #: (tests move time on with it instead of editing the file's columns), else the wall clock
        self._now = now_ms if clock is None else (lambda: int(clock()))
        self.path = resolve_db_path(path)[0]
        # which way series are optimised, by key or name; wins over the config file's "directions"
        self._directions = check_directions(directions, "directions")
        # How long one attempt waits for another process's lock (retried 5 times before DatabaseBusyError).
        self._busy_timeout_s = BUSY_TIMEOUT_S if busy_timeout_ms is None else busy_timeout_ms / 1000
        #: what a returned write survives: "process" (kill -9; the default) or "power" (a power cut too;
        #: synchronous=FULL); wins over the config file's "durability"
        self.durability = configured_durability() if durability is None else check_durability(durability, "durability")
        self.connection = open_sqlite(self.path, self._busy_timeout_s)
        if self.durability == "power":
            # A per-connection setting, not stored in the file: each writer chooses what its commits survive.
            self.connection.execute("PRAGMA synchronous = %s" % SYNCHRONOUS["power"])
        # API writes issue BEGIN IMMEDIATE themselves; the script's own INSERTs through
        # `cursor` get sqlite3's implicit transaction, so they can be rolled back.
        self.connection.isolation_level = "DEFERRED"
        self.cursor = self.connection.cursor()
        self._writer = PointWriter(self.connection)
        # Checkpoints the -wal when sustained writing has grown it past its limit.
        self._wal_guard = WalGuard(self.connection, self.path, self._busy_timeout_s * 1000)
        self._tx = Transactions(self.connection, self._forget, self._wal_guard.after_commit)
        # ids of experiments and series this connection writes to (id_cache.py)
        self._ids = IdCache()
        # Names already checked, by (exp, name, split) as passed: a training loop repeats the same few.
        self._checked_names = {}
        self._beats = {}
        self._closed = False
        # With a team server the registry and sweep claims go to it directly (remote.py), not through the sender.
        self._server_target = None if self.path == ":memory:" else resolve_sync_target(server, token)
        self._registry = routed_registry(Registry(self), self._server_target)
        # With a team server (server/token, MLDB_SERVER/MLDB_TOKEN or the config file), a daemon
        # thread pushes what is logged; close() waits for it at most sync_wait_s (default 5 s).
        self._sync = start_sync(self.path, server, token, sync_wait_s)

    # ------------------------------------------------------------ life cycle

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._closed:
            return False
        if exc_type is None:
            self.close()
        else:
            self.rollback()
            self.close()
        return False

    def commit(self):
        """Commits what the script wrote through ``cursor``."""
        self._open()
        self.connection.commit()

    def rollback(self):
        """Rolls back what the script wrote through ``cursor`` since the last commit."""
        self._open()
        self.connection.rollback()

    def close(self):
        """Commits what the script wrote through ``cursor`` and closes the file."""
        if self._closed:
            return
        try:
            if self.connection.in_transaction:
                self.connection.commit()
            # Leave the file as an eager writer would: every summary describes all its points.
            try:
                self._fold_tails()
            except Exception:  # noqa: BLE001 - the points are committed; the next reader or writer folds
                pass
        finally:
            self._closed = True
            self.connection.close()
            if self._sync is not None:
                self._sync.close()

    def _open(self):
        if self._closed:
            raise MldbError("the database %s is closed; open a new Database" % self.path)

    def _forget(self):
        # A rolled-back transaction may have created rows we cached ids of.
        self._ids.forget()

    def _fold_tails(self):
        """Folds every open series tail into its summary (and closes it), so the
        ``series`` rows read next describe every point. One probe of a partial index
        when no tail is open. Inside the script's own transaction, or when the lock
        or the file cannot be written, the summaries read next lag the points of a
        series logged one call at a time by fewer than 64 points."""
        conn = self.connection
        if self._closed or conn.in_transaction:
            return
        ids = [r[0] for r in conn.execute(OPEN_TAILS).fetchall()]
        if not ids:
            return

        def fold():
            for sid in ids:
                self._writer.close_tail(sid)

        try:
            with short_busy_wait(conn):  # a read waits briefly, not the full busy timeout
                self._write(fold)
        except (DatabaseBusyError, ReadOnlyDatabaseError):
            pass  # _write is wrapped by map_sqlite_errors: the read goes on without folding
        except sqlite3.OperationalError as e:
            if not is_busy(e) and "readonly" not in str(e):
                raise

    def _write(self, fn):
        """Runs fn as one write: BEGIN IMMEDIATE (retried while another process holds the
        lock), or a savepoint of the transaction the caller opened (transactions.py)."""
        self._open()
        return self._tx.write(fn)

    def _no_script_transaction(self):
        """Refuses to write while the script's own writes through ``cursor`` are
        uncommitted outside ``db.transaction()`` (a Run asks before it ends)."""
        self._open()
        if self.connection.in_transaction:
            self._tx.refuse_script_transaction()

    def transaction(self):
        """A write transaction for several calls: everything written inside the ``with``
        block (API calls and ``cursor`` SQL) lands when it ends cleanly, or none of it
        when it raises. An API call inside that raises undoes only its own rows (a
        savepoint), so a caught ValidationError leaves the rest. Nested blocks are
        savepoints. Values logged inside are durable once the outermost block commits.

        Example::

            with db.transaction():
                db.set_params(exp, {'lr': 0.1})
                db.log_batch(exp, points)
                db.set_exp_status(exp, 'COMPLETE')
        """
        self._open()
        return Transaction(self)

    def _begin_transaction(self):
        self._open()
        return self._tx.begin()

    def _end_transaction(self, scope, failed):
        self._tx.end(scope, failed)

    # ------------------------------------------------------------ experiments

    def _project_id(self, project):
        return project_id(self, project)

    def _ensure_exp(self, name, status="TRAINING", project="default"):
        """The id of a live experiment, created (TRAINING, in project) when new. Inside a write (experiment_writes.py)."""
        return ensure_exp(self, name, status, project)

    def _exp_id(self, exp):
        """The id of an existing live experiment, or NotFoundError."""
        name = check_exp_name(exp)
        self._open()
        cached = self._ids.exps.get(name)
        if cached is not None:
            return cached
        row = self.connection.execute(sql("experiments/live-id"), (name,)).fetchone()
        if not row:
            raise NotFoundError(
                'no experiment named "%s" in %s; check the name with `mldb ls`' % (name, self.path), "experiment", name
            )
        return row[0]

    def set_exp_status(self, exp, status, project=None):
        """Sets the status, creating the experiment when new; every change is kept in
        the status history. ``db.set_exp_status(exp, 'COMPLETE')``"""
        name = check_exp_name(exp)
        st = check_status(status)
        proj = "default" if project is None else check_project_name(project)

        def write():
            eid = self._ensure_exp(name, st, proj)
            now = self._now()
            self._set_status(eid, st, now)

        self._write(write)

    def _set_status(self, eid, st, now):
        """Writes a status change (the status_history trigger records it). Inside a write."""
        self.connection.execute(
            sql("experiments/set-status"),
            {"status": st, "now": now, "id": eid, "active": int(st in ACTIVE), "final": int(st in FINAL)},
        )
        self._beats[eid] = now

    def get_exp_status(self, exp):
        """The status; LOST when an active experiment's heartbeat is over a minute old."""
        eid = self._exp_id(exp)
        return self.connection.execute(bind_now(sql("status/of-experiment"), self._now()), (eid,)).fetchone()[0]

    def get_status_history(self, exp):
        """Every status the experiment had, oldest first: ``[{'status', 'time'}]``."""
        eid = self._exp_id(exp)
        rows = self.connection.execute(sql("experiments/status-history"), (eid,)).fetchall()
        return [{"status": s, "time": t} for s, t in rows]

    def heartbeat(self, exp):
        """Marks the experiment alive now (a Run does this on a timer)."""
        name = check_exp_name(exp)

        def write():
            eid = self._ensure_exp(name)
            now = self._now()
            self.connection.execute(sql("experiments/heartbeat"), {"now": now, "id": eid})
            self._beats[eid] = now

        self._write(write)

    def _maybe_beat(self, eid, now):
        maybe_beat(self, eid, now)

    # ------------------------------------------------------------ points

    def _series_id(self, eid, name, split):
        return series_id(self, eid, name, split)

    def add_metric_value(self, exp, name, epoch, value, split=""):
        """Adds one value of the series (name, split); durable when it returns.
        ``db.add_metric_value(exp, 'rmse', epoch, 0.12)``"""
        # Names checked once per connection: a training loop repeats the same three.
        key = (exp, name, split)
        checked = self._checked_names.get(key) if type(exp) is str and type(name) is str and type(split) is str else None
        if checked is None:
            checked = (check_exp_name(exp),) + series_parts(check_series_name(name), check_split(split))
            if len(self._checked_names) < 10_000:
                self._checked_names[key] = checked
        e, n, s = checked
        # The common types skip the general checks (same rules: a safe int step, a float value).
        step = epoch if type(epoch) is int and -MAX_SAFE_INTEGER <= epoch <= MAX_SAFE_INTEGER else check_step(epoch)
        v = value if type(value) is float else check_value(n, value)
        if _append(self, e, n, s, step, v):
            return

        def write():
            eid = self._ensure_exp(e)
            now = self._now()
            sid = self._series_id(eid, n, s)
            self._ids.past_blocked[sid] = self._writer.write_one(sid, step, now, v)
            self._maybe_beat(eid, now)

        self._write(write)

    def add_loss_value(self, exp, split, epoch, value):
        """Adds one loss value: the series ('loss', split). ``db.add_loss_value(exp, 'train', epoch, 0.31)``"""
        self.add_metric_value(exp, "loss", epoch, value, split=check_split(split))

    def log_batch(self, exp, points):
        """Many values in one transaction, the fast way to log: points are dicts
        ``{'name', 'split' (optional), 'step', 'value', 'time' (optional, ms)}``."""
        e = check_exp_name(exp)
        if isinstance(points, (str, bytes, dict)) or not hasattr(points, "__iter__"):
            raise ValidationError("log_batch takes a list of points, got %s" % describe(points), "points")
        now = self._now()
        groups = {}
        # Validate everything before writing anything.
        for p in points:
            if not isinstance(p, dict):
                raise ValidationError(
                    "each point is a dict such as {'name': 'loss', 'step': 0, 'value': 0.3}, got %s" % describe(p),
                    "points",
                )
            name, split = series_parts(check_series_name(p.get("name")), check_split(p.get("split")))
            step = check_step(p.get("step"))
            value = check_value(name, p.get("value"))
            t = p.get("time", now)
            if isinstance(t, bool) or not isinstance(t, (int, float)) or t != t or t in (float("inf"), float("-inf")):
                raise ValidationError('time of "%s" must be ms since 1970, got %s' % (name, describe(t)), "time")
            groups.setdefault((name, split), []).append((step, int(t), value))
        if not groups:
            return

        def write():
            eid = self._ensure_exp(e)
            for (name, split), pts in groups.items():
                sid = self._series_id(eid, name, split)
                self._ids.past_blocked[sid] = self._writer.write_many(sid, pts)
            self._maybe_beat(eid, now)

        self._write(write)

    def _find_series(self, exp, name, split):
        eid = self._exp_id(exp)
        as_written = check_series_name(name)
        n, s = series_parts(as_written, check_split(split))
        row = self.connection.execute(sql("series/id"), (eid, n, s)).fetchone()
        if not row and n != as_written:
            # a split-less a/b logged before names were split is still found as written
            row = self.connection.execute(sql("series/id"), (eid, as_written, "")).fetchone()
        if not row:
            key = "%s/%s" % (s, n) if s else n
            raise NotFoundError(
                'experiment "%s" has no series "%s"; see its series with `mldb show %s`' % (exp, key, exp), "series", key
            )
        return row[0]

    def get_metric_values(self, exp, name, split="", after_step=None, limit=None):
        """The values of a series in step order (equal steps in the order logged), as
        dicts ``{'step', 'time', 'value'}``; NaN and ±inf come back as they went in."""
        sid = self._find_series(exp, name, split)
        rows = self.connection.execute(
            sql("series/points"),
            (sid, check_step_cursor(after_step), -1 if limit is None else int(limit)),
        ).fetchall()
        return [{"step": s, "time": t, "value": from_sql(v)} for s, t, v in rows]

    def get_loss_values(self, exp, split):
        """The values of the series ('loss', split)."""
        return self.get_metric_values(exp, "loss", split=split)

    def get_series(self, exp):
        """Every series of the experiment with count, first/last step, last, min, max and nan_count."""
        eid = self._exp_id(exp)
        self._fold_tails()
        rows = self.connection.execute(sql("series/summaries"), (eid,)).fetchall()
        return [_series_from_row(r) for r in rows]

    # ------------------------------------------------------------ params, tags, notes

    def set_params(self, exp, params):
        """Records hyperparameters (JSON values) once per key: a different value for an
        existing key is a ValidationError, the same value a no-op.
        ``db.set_params(exp, {'lr': 0.01, 'hidden': [64, 64]})``"""
        e = check_exp_name(exp)
        entries = _param_entries(params)
        self._write(lambda: self._put_params(self._ensure_exp(e), e, entries))

    def _put_params(self, eid, name, entries):
        """Writes checked params. Inside a write."""
        for k, v in entries:
            old = self.connection.execute(sql("params/value"), (eid, k)).fetchone()
            if old and not self._same_param_value(old[0], v):
                raise ValidationError(
                    'param "%s" of "%s" is already %s; params are written once, so start a new experiment to try %s'
                    % (k, name, old[0], v),
                    k,
                )
        self.connection.executemany(sql("params/insert"), [(eid, k, v) for k, v in entries])
        check_row_count(self._count("params", eid), "params", name)
        self._touch(eid)

    def _same_param_value(self, old, new):
        """Whether two param values (JSON texts) are the same value, so setting it again is a
        no-op: parsed and compared by sql/params/same-value.sql, the one rule both clients run
        (key order ignored, numbers by numeric value; docs/schema.md, "params and tags")."""
        if old == new:
            return True
        return self.connection.execute(sql("params/same-value"), {"old": old, "new": new}).fetchone()[0] == 1

    def _touch(self, eid):
        # updated_at tells live dashboards (/api/changes) that something changed.
        self.connection.execute(sql("experiments/touch"), {"now": self._now(), "id": eid})

    def get_params(self, exp):
        """The hyperparameters as Python values."""
        eid = self._exp_id(exp)
        rows = self.connection.execute(sql("params/all"), (eid,)).fetchall()
        return {k: decode_stored_json(v) for k, v in rows}

    def set_tags(self, exp, tags):
        """Sets tags (text; numbers and booleans are written as text); unlike params they may change."""
        e = check_exp_name(exp)
        entries = _tag_entries(tags)
        self._write(lambda: self._put_tags(self._ensure_exp(e), entries, e))

    def _count(self, table, eid):
        """How many params (or tags) an experiment has. Inside a write, after its inserts."""
        return self.connection.execute("SELECT count(*) FROM %s WHERE experiment_id = ?" % table, (eid,)).fetchone()[0]

    def _put_tags(self, eid, entries, name):
        """Writes checked tags. Inside a write."""
        self.connection.executemany(sql("params/set-tag"), [(eid, k, v) for k, v in entries])
        check_row_count(self._count("tags", eid), "tags", name)
        self._touch(eid)

    def get_tags(self, exp):
        """The tags as a dict of text."""
        eid = self._exp_id(exp)
        rows = self.connection.execute(sql("params/tags"), (eid,))
        return dict(rows.fetchall())

    def set_notes(self, exp, notes):
        """Replaces the free-text notes."""
        _check_notes(notes)
        eid = self._exp_id(exp)
        self._write(lambda: self._put_notes(eid, notes))

    def _put_notes(self, eid, notes):
        """Writes checked notes. Inside a write."""
        self.connection.execute(sql("experiments/set-notes"), {"notes": notes, "now": self._now(), "id": eid})

    def get_notes(self, exp):
        """The notes ('' when none)."""
        eid = self._exp_id(exp)
        return self.connection.execute(sql("experiments/notes"), (eid,)).fetchone()[0]

    # ------------------------------------------------------------ files

    def add_file(self, exp, path, kind="other", step=None, hash=False, meta=None):
        """Records a pointer to a file on disk: absolute path, size, mtime (ms) and, with
        ``hash=True``, its sha256. ``db.add_file(exp, 'ckpt/10.bin', kind='checkpoint', step=10)``"""
        e = check_exp_name(exp)
        k = check_kind(kind)
        st = None if step is None else check_step(step)
        meta_json = None if meta is None else to_json_value("meta", check_record("meta", meta), "file meta")
        full, size, mtime = stat_file(path)
        sha = sha256_file(full) if hash else None

        def write():
            eid = self._ensure_exp(e)
            cur = self.connection.execute(sql("files/insert"), (eid, full, k, st, size, mtime, sha, meta_json, self._now()))
            return cur.fetchone()[0]

        fid = self._write(write)
        row = self.connection.execute(sql("files/by-id"), (fid,)).fetchone()
        return _file_from_row(row)

    def log_image(self, exp, name, step, image):
        """Stores an image for one step under the experiment's artifact folder
        (``<database folder>/artifacts/<exp>/media/<name>/<step>.png``) and records it
        as an ``image`` file with meta ``{'media': 'image', 'name', 'format', 'width', 'height'}``.
        Takes PNG/JPEG bytes, a path (copied), a numpy array or rows of pixels (encoded
        as PNG with the standard library), or a Pillow image.
        ``db.log_image(exp, 'samples', epoch, array)``"""
        from .media import log_image

        return log_image(self, exp, name, step, image)

    def log_table(self, exp, name, step, table, format="json"):
        """Stores a table for one step as JSON (``{'columns', 'rows'}``) or CSV under the
        artifact folder, recorded as a ``data`` file with meta ``{'media': 'table', ...}``.
        ``db.log_table(exp, 'predictions', epoch, [{'label': 'cat', 'score': 0.91}])``"""
        from .media import log_table

        return log_table(self, exp, name, step, table, format=format)

    def log_histogram(self, exp, name, step, values, bins=64):
        """Stores a histogram for one step (``{'edges', 'counts'}`` JSON; raw values are
        binned into ``bins`` buckets) under the artifact folder, recorded as a ``data``
        file with meta ``{'media': 'histogram', 'name', 'bins', 'total', 'min', 'max'}``.
        ``db.log_histogram(exp, 'weights/fc1', epoch, weights)``"""
        from .media import log_histogram

        return log_histogram(self, exp, name, step, values, bins=bins)

    def get_files(self, exp, kind=None):
        """The files of an experiment, optionally of one kind, in the order recorded."""
        eid = self._exp_id(exp)
        k = None if kind is None else check_kind(kind)
        rows = self.connection.execute(sql("files/of-experiment"), {"id": eid, "kind": k}).fetchall()
        return [_file_from_row(r) for r in rows]

    # ------------------------------------------------------------ reading many

    def list_experiments(self, project=None, status=None, name=None, limit=None, offset=None, trashed=False, where=None,
                         order_by=None, _id=None):
        """Experiments, newest first, with params, tags and each series' summary.
        ``status`` matches the derived status (LOST included) in any case; ``name`` is exact
        or a pattern with ``*``; ``where`` takes TypeScript's filter language and ``order_by``
        a field with ``asc``/``desc`` (FilterSyntaxError when they do not parse).

        Example::

            db.list_experiments(where="params.lr < 0.1 and metrics.valid/loss < 0.3 and status = 'COMPLETE'",
                                order_by="min(metrics.valid/loss)", limit=10)
        """
        self._open()
        now = self._now()
        conds = [sql("listing/where-trashed" if trashed else "listing/where-live")]
        args = []
        if project is not None:
            conds.append(sql("listing/where-project"))
            args.append(check_project_name(project))
        if status is not None:
            conds.append(sql("listing/where-status"))
            args.append(check_optional_text("status", status))
        if check_optional_text("name", name) is not None:
            conds.append(sql("listing/where-name-glob" if "*" in name else "listing/where-name"))
            args.append(name)
        if _id is not None:
            conds.append("e.id = ?")
            args.append(_id)
        if where is not None and not is_blank(_check_text("where", where)):
            cond, params = compile_filter(where, field_names(self.connection))
            conds.append(cond)
            args.extend(params)
        order = (sql("listing/order-default"), [])
        if order_by is not None and not is_blank(_check_text("order_by", order_by, "metrics.valid/loss desc")):
            order = compile_order_by(order_by, field_names(self.connection))
        args.extend(order[1])
        limit = check_optional_int("limit", limit)
        offset = check_optional_int("offset", offset)
        args.append(-1 if limit is None else limit)
        args.append(0 if offset is None else offset)
        text = listing_sql("listing/experiments", now, where=" AND ".join(conds), order=order[0])
        # After the filter compiled (a rejected call writes nothing): points logged one call at a time into the summaries.
        self._fold_tails()
        rows = self.connection.execute(text, args).fetchall()
        out = []
        from_tables = {}
        for r in rows:
            started, ended = r[6], r[7]
            s = {
                "id": r[0],
                "name": r[1],
                "project": r[2],
                "status": r[3],
                "stored_status": r[4],
                "created_at": r[5],
                "started_at": started,
                "ended_at": ended,
                "updated_at": r[8],
                "heartbeat_at": r[9],
                "duration_ms": None if started is None else (ended if ended is not None else _last_beat(r) if r[3] == "LOST" else now) - started,
                "host": r[10],
                "pid": r[11],
                "notes": r[12],
                "deleted_at": r[13],
                "params": {},
                "tags": {},
                "series": {},
            }
            summary = _parse_summary(r[14])
            if summary is None:
                from_tables[r[0]] = s
            else:
                s["params"], s["tags"] = summary[0], summary[1]
                for row in summary[2]:
                    one = _series_from_row(row)
                    s["series"][one["key"]] = one
            out.append(s)
        if from_tables:
            self._summaries_from_tables(from_tables)
        return out

    def _summaries_from_tables(self, by_id):
        """Fills params, tags and series of the listed experiments whose experiment_lists row
        is missing (a write dropped it; Python leaves rebuilding it to the TypeScript client)."""
        ids = {"ids": json.dumps(list(by_id)), "max_bytes": JSON_MAX_BYTES}
        for eid, k, v, nbytes in self.connection.execute(sql("listing/params-of"), ids):
            # a value written before the limits existed shows as a marker (stored_json.py), never an error
            by_id[eid]["params"][k] = decode_stored_json(v, nbytes)
        for eid, k, v in self.connection.execute(sql("listing/tags-of"), {"ids": ids["ids"]}):
            by_id[eid]["tags"][k] = v
        for r in self.connection.execute(sql("listing/series-of"), {"ids": ids["ids"]}):
            summary = _series_from_row(r[1:])
            by_id[r[0]]["series"][summary["key"]] = summary

    def series_direction(self, key):
        """The direction series ``key`` is optimised in: this connection's ``directions``,
        then the config file's, then the shared word list (loss-like min, accuracy-like max).

        Example::

            db.series_direction('valid/acc')  # 'max'
        """
        merged = dict(configured_directions())
        merged.update(self._directions)
        return series_direction(key, merged)

    def best_experiment(self, series, mode=None, where=None, project=None):
        """The experiment with the lowest (``'min'``) or highest (``'max'``) value ever
        reached in a series such as ``'valid/loss'``, with that value under ``best``;
        None when no experiment has it. Without a mode, the series' direction decides
        (``series_direction``). Also ``mode``, ``step`` (where the best was first reached),
        ``best_file`` (the model or checkpoint recorded at or nearest before that step)
        and ``final_file`` (the last model). ``where`` narrows the candidates.

        Example::

            db.best_experiment('valid/loss', 'min', where="status = 'COMPLETE'")
            db.best_experiment('valid/acc')['best_file']['path']  # '/runs/a/checkpoint-0080.json'
        """
        if mode is not None and mode not in ("min", "max"):
            raise ValidationError("mode must be 'min' or 'max', got %s" % describe(mode), "mode")
        if not isinstance(series, str):
            raise ValidationError("series must be a string such as 'valid/loss', got %s" % describe(series), "series")
        name, split = parse_series_key(series)
        check_series_name(name)
        check_split(split)
        key = "%s/%s" % (split, name) if split else name
        if mode is None:
            mode = self.series_direction(key)
        agg = "%s(%s)" % (mode, series_field(key))
        has = "%s is not null" % agg
        own = where is not None and not is_blank(_check_text("where", where))
        if own:
            # the caller's filter alone first, so that its errors point at its own columns
            self._open()
            compile_filter(where, field_names(self.connection))
        cond = "(%s) and %s" % (where, has) if own else has
        found = self.list_experiments(where=cond, project=project, order_by="%s %s" % (agg, "asc" if mode == "min" else "desc"), limit=1)
        if not found:
            return None
        best = found[0]
        best["best"] = best["series"][key][mode]
        best["mode"] = mode
        best["step"] = first_step_with_value(self.connection, best["name"], name, split, best["best"])
        best["best_file"], best["final_file"] = pick_best_files(self.get_files(best["name"]), best["step"])
        return best

    def get_experiment(self, exp):
        """One experiment as list_experiments shows it, plus status_history and files."""
        name = check_exp_name(exp)
        found = self.list_experiments(_id=self._exp_id(name))
        if not found:
            raise NotFoundError('no experiment named "%s"' % name, "experiment", name)
        detail = found[0]
        detail["status_history"] = self.get_status_history(name)
        detail["files"] = self.get_files(name)
        return detail

    # ------------------------------------------------------------ model registry

    def register_model(self, name, exp=None, file=None, aliases=None, description=None, tags=None, best=None,
                       goal=None, where=None, project=None):
        """Registers the next version of a model (created when new): one recorded file of
        one experiment, with its sha256 (hashed now when the record has none), size, and
        the experiment's params and series summaries. ``file`` is a path, a unique path
        ending or a file record id (default: the experiment's last ``model`` file); with
        ``best='valid/loss'`` (and ``goal``, ``where``, ``project``) the best experiment's.

        Example::

            db.register_model('iris-mlp', exp=exp, file='model.json', aliases=['staging'])
            db.register_model('iris-mlp', best='valid/loss', goal='min', where="status = 'COMPLETE'")
        """
        return self._registry.register(name, exp, file, aliases, description, tags, best, goal, where, project)

    def get_model_version(self, ref):
        """A version by ``'name@alias'``, ``'name/3'`` or ``'name'`` (the latest):
        ``db.get_model_version('iris-mlp@champion')['path']``"""
        return self._registry.get(ref)

    def set_model_alias(self, name, alias, version):
        """Points an alias at a version, recorded in the model's history:
        ``db.set_model_alias('iris-mlp', 'champion', 3)``"""
        self._registry.set_alias(name, alias, version)

    def delete_model_alias(self, name, alias):
        """Removes an alias, recorded in the history: ``db.delete_model_alias('iris-mlp', 'staging')``"""
        self._registry.delete_alias(name, alias)

    def update_model(self, name, description=None, tags=None):
        """Sets a model's description and merges tags: ``db.update_model('iris-mlp', description='...')``"""
        return self._registry.update(name, description, tags)

    def list_models(self):
        """Every registered model by name, with latest_version and aliases: ``db.list_models()``"""
        return self._registry.list()

    def list_model_versions(self, name=None, exp=None):
        """The versions of a model (of all without a name; of one experiment with ``exp``),
        oldest first: ``db.list_model_versions('iris-mlp')``"""
        return self._registry.versions(name, exp)

    def get_model_history(self, name):
        """Every alias move (alias, from, to, time, who), oldest first: ``db.get_model_history('iris-mlp')``"""
        return self._registry.history(name)

    def verify_model(self, ref):
        """Re-hashes a version's file; ``state`` is 'ok', 'missing' or 'changed':
        ``db.verify_model('iris-mlp@champion')['state']``"""
        return self._registry.verify(ref)

    def verify_models(self, name=None):
        """Re-hashes the files of every version (of one model, or all): ``db.verify_models()``"""
        return self._registry.verify_all(name)

    # ------------------------------------------------------------ runs

    # ------------------------------------------------------------ sweeps

    def create_sweep(self, config):
        """Creates a sweep (a hyperparameter search) from a config in W&B's format.

        ``sweep = db.create_sweep({'name': 'b', 'method': 'bayes', 'metric': {'name': 'loss'},
        'parameters': {'lr': {'distribution': 'log_uniform_values', 'min': 1e-4, 'max': 0.1}}, 'run_cap': 30})``
        """
        from .sweep import create_sweep

        self._open()
        return create_sweep(self, config)

    def get_sweep(self, name):
        """Reopens a sweep by name, from any process: ``db.get_sweep('b').ask()``"""
        from .sweep import get_sweep

        return get_sweep(self, name)

    def list_sweeps(self):
        """Every sweep with its counts and best trial, newest first."""
        from .sweep import list_sweeps

        return list_sweeps(self)

    def _join_run(self, exp, status, params=None, tags=None):
        """Takes over the existing experiment MLDB_EXP names (a sweep trial): owner, status, params, tags."""
        name = check_exp_name(exp)
        st = check_status(status)
        param_entries = None if params is None else _param_entries(params)
        tag_entries = None if tags is None else _tag_entries(tags)

        def write():
            row = self.connection.execute(sql("experiments/live-id"), (name,)).fetchone()
            if row is None:
                raise NotFoundError('MLDB_EXP names "%s", which is not a live experiment; unset MLDB_EXP' % name,
                                    "experiment", name)
            self.connection.execute(sql("experiments/set-owner"), {"host": socket.gethostname(), "pid": os.getpid(), "id": row[0]})
            self._set_status(row[0], st, self._now())
            if param_entries:
                self._put_params(row[0], name, param_entries)
            if tag_entries:
                self._put_tags(row[0], tag_entries, name)
            return name

        return self._write(write)

    def start_run(self, name=None, project="default", params=None, tags=None, notes=None, status="TRAINING",
                  heartbeat_s=15.0, handle_exit=True, system_metrics=False, system_metrics_every_s=10.0):
        """Starts a run: a new experiment (TRAINING) with params, a heartbeat thread,
        and FAILED/KILLED/COMPLETE recorded if the script ends without finish().
        ``system_metrics=True`` samples CPU, memory, disk, network and GPU (where
        nvidia-smi is present) into ``system/*`` series every ``system_metrics_every_s``.

        Example::

            with db.start_run(project='iris', params={'lr': 0.01}) as run:
                run.log({'loss': 0.31, 'acc': 0.9}, step=0, split='train')
        """
        from .run import Run

        return Run(self, name=name, project=project, params=params, tags=tags, notes=notes, status=status,
                   heartbeat_s=heartbeat_s, handle_exit=handle_exit, system_metrics=system_metrics,
                   system_metrics_every_s=system_metrics_every_s)

    def _create_run(self, exp, project, status, params=None, tags=None, notes=None, unique_name=False):
        """Creates a run's experiment with its params, tags and notes in one transaction,
        everything validated first, so a rejected run writes nothing and its name stays free.
        With ``unique_name`` (a default name) a taken name gets a free ``_2``, ``_3``... suffix.
        Returns the name."""
        base = check_exp_name(exp)
        st = check_status(status)
        proj = check_project_name(project)
        param_entries = None if params is None else _param_entries(params)
        tag_entries = None if tags is None else _tag_entries(tags)
        if notes is not None:
            _check_notes(notes)

        def taken(n):
            return self.connection.execute(sql("experiments/by-name"), (n,)).fetchone() is not None

        def write():
            name = first_free_name(base, taken) if unique_name else base
            if not unique_name and taken(name):
                raise ValidationError(
                    'an experiment named "%s" already exists; a run needs a new name (exp_name() makes one)' % name,
                    "name",
                )
            eid = self._ensure_exp(name, st, proj)
            if param_entries:
                self._put_params(eid, name, param_entries)
            if tag_entries:
                self._put_tags(eid, tag_entries, name)
            if notes is not None:
                self._put_notes(eid, notes)
            return name

        return self._write(write)


# SQLite's own failures (disk full, busy, read-only, I/O, corrupt) leave every method as mldb exceptions.
map_sqlite_errors(Database, lambda db: db.path, lambda db: busy_seconds(db._busy_timeout_s))
