"""The model registry (migration 002): named models, numbered versions that each
point to one recorded file of one experiment, and aliases whose every move is
kept. The rules a client must follow are in docs/schema.md; the TypeScript client
implements the same ones in src/registry/, and both run the statements of sql/registry/.

A version copies its evidence at registration (path, sha256, size, the
experiment's params and series summaries), so it outlives its experiment.
"""

import getpass
import json
import math
import os
import re
import socket

from .errors import NotFoundError, ValidationError
from .files import sha256_file, mtime_ms
from .js_json import js_stringify
from .sql_files import sql
from .validate import check_unicode, describe

MAX_MODEL_NAME = 128
MAX_ALIAS = 64
MAX_DESCRIPTION = 100_000
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\Z")
_ALIAS = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*\Z")
_NUMBER_KEYS = ("last", "min", "max")



def _show(v):
    # describe(), not repr(): a list nested 5,000 deep must still give a ValidationError (issue 8 item 5)
    return json.dumps(v) if isinstance(v, str) else describe(v)


def check_model_name(name):
    """A model name: 1-128 letters, digits, ``.``, ``_`` or ``-``, starting with a letter or digit."""
    if not isinstance(name, str) or name == "":
        raise ValidationError("a model name must be a non-empty string, got %s" % _show(name), "name")
    if len(name) > MAX_MODEL_NAME:
        raise ValidationError(
            'model name "%s…" is %d characters; the limit is %d' % (name[:40], len(name), MAX_MODEL_NAME), "name"
        )
    if not _NAME.match(name):
        raise ValidationError(
            "model name %s may hold only letters, digits, '.', '_' and '-' (no spaces, '@' or '/'); e.g. iris-mlp"
            % _show(name),
            "name",
        )
    return name


def check_alias(alias):
    """An alias: 1-64 letters, digits, ``_`` or ``-``, starting with a letter (never a number), not ``latest``."""
    if not isinstance(alias, str) or alias == "":
        raise ValidationError("an alias must be a non-empty string, got %s" % _show(alias), "alias")
    if alias.isdigit() and alias.isascii():
        raise ValidationError('alias "%s" is a number, which reads as a version; pick a word such as champion' % alias, "alias")
    if len(alias) > MAX_ALIAS:
        raise ValidationError('alias "%s…" is %d characters; the limit is %d' % (alias[:40], len(alias), MAX_ALIAS), "alias")
    if not _ALIAS.match(alias):
        raise ValidationError(
            "alias %s must start with a letter and hold only letters, digits, '_' and '-'" % _show(alias), "alias"
        )
    if alias == "latest":
        raise ValidationError('"latest" always means the newest version; pick another alias', "alias")
    return alias


def check_version(version):
    """A version number: a positive integer (or its digits)."""
    v = int(version) if isinstance(version, str) and version.isdigit() and version.isascii() else version
    if isinstance(v, bool) or not isinstance(v, int) or v < 1 or v > 2**53 - 1:
        raise ValidationError("a model version is a whole number from 1, got %s" % _show(version), "version")
    return v


def parse_model_ref(ref):
    """``(name, version, alias)`` of ``'name'``, ``'name/3'`` or ``'name@alias'`` (``@latest`` is the latest)."""
    if not isinstance(ref, str) or ref == "":
        raise ValidationError("a model reference is NAME, NAME/VERSION or NAME@ALIAS, got %s" % _show(ref), "model")
    if "@" in ref:
        name, alias = ref.split("@", 1)
        name = check_model_name(name)
        return (name, None, None) if alias == "latest" else (name, None, check_alias(alias))
    if "/" in ref:
        name, version = ref.split("/", 1)
        return check_model_name(name), check_version(version), None
    return check_model_name(ref), None, None


def _check_description(d):
    if d is None:
        return ""
    if not isinstance(d, str):
        raise ValidationError("description must be a string, got %s" % type(d).__name__, "description")
    if len(d) > MAX_DESCRIPTION:
        raise ValidationError("description is over 100,000 characters; keep long text in a file", "description")
    return check_unicode("description", "description", d)


def _check_tags(tags):
    if tags is None:
        return {}
    if not isinstance(tags, dict):
        raise ValidationError("tags must be a dict of strings", "tags")
    out = {}
    for k, v in tags.items():
        if not isinstance(k, str) or k == "" or len(k) > 128:
            raise ValidationError('tag key "%s" must be 1 to 128 characters' % str(k)[:40], "tags")
        check_unicode("tag key", "tags", k)
        if isinstance(v, bool):
            v = "true" if v else "false"
        elif isinstance(v, (int, float)):
            v = js_stringify(v)
        elif not isinstance(v, str):
            raise ValidationError('tag "%s" must be a string, number or boolean' % k, k)
        out[k] = check_unicode('tag "%s"' % k, k, v)
    return out


def _check_aliases(aliases):
    if aliases is None:
        return []
    if isinstance(aliases, str) or not isinstance(aliases, (list, tuple)):
        raise ValidationError('aliases must be a list of words such as ["champion"]', "aliases")
    out = []
    for a in aliases:
        a = check_alias(a)
        if a not in out:
            out.append(a)
    return out


def who():
    """user@host, for the alias history."""
    try:
        user = getpass.getuser()
    except Exception:  # no passwd entry and no USER (some containers)
        user = ""
    return "%s@%s" % (user or "unknown", socket.gethostname())


def _json_number(x):
    """A non-finite float as the string mldb's JSON uses ("NaN", "Infinity", "-Infinity")."""
    if isinstance(x, float) and not math.isfinite(x):
        return "NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity")
    return x


def _revive_number(x):
    return float(x) if x in ("NaN", "Infinity", "-Infinity") else x


def _from_sql(v):
    return float("nan") if v is None else v


class Registry:
    """The registry over one ``Database``; reached through the Database's methods."""

    def __init__(self, db):
        self.db = db

    @property
    def _conn(self):
        return self.db.connection

    # ------------------------------------------------------------ reading rows

    def _model_row(self, name):
        self.db._open()
        row = self._conn.execute(sql("registry/models"), {"name": name}).fetchone()
        if not row:
            raise NotFoundError(
                'no registered model named "%s" in %s; see them with `mldb model ls`' % (name, self.db.path), "model", name
            )
        return row

    def _aliases(self, model_id):
        return self._conn.execute(sql("registry/aliases"), {"model_id": model_id}).fetchall()

    def _alias(self, model_id, alias):
        row = self._conn.execute(sql("registry/alias"), {"model_id": model_id, "alias": alias}).fetchone()
        return None if row is None else row[0]

    def _version_row(self, model_id, version):
        return self._conn.execute(
            sql("registry/versions"), {"model_id": model_id, "version": version, "experiment_id": None}
        ).fetchone()

    def _to_version(self, r, aliases):
        """A row of registry/versions: id, name, version, experiment_id, file_id, exp_name, path,
        sha256, size, params, metrics, description, registered_at, registered_by, model_id."""
        metrics = {}
        for m in json.loads(r[10]):
            for k in _NUMBER_KEYS:
                m[k] = _revive_number(m[k])
            key = "%s/%s" % (m["split"], m["name"]) if m["split"] else m["name"]
            metrics[key] = {
                "name": m["name"],
                "split": m["split"],
                "count": m["count"],
                "last_step": m["lastStep"],
                "last": m["last"],
                "min": m["min"],
                "max": m["max"],
            }
        return {
            "name": r[1],
            "version": r[2],
            "aliases": [a for a, v in aliases if v == r[2]],
            "path": r[6],
            "sha256": r[7],
            "size": r[8],
            "exp": r[5],
            "exp_exists": r[3] is not None,
            "file_id": r[4],
            "params": json.loads(r[9]),
            "metrics": metrics,
            "description": r[11],
            "registered_at": r[12],
            "registered_by": r[13],
        }

    def _to_model(self, m):
        return {
            "name": m[1],
            "description": m[2],
            "tags": json.loads(m[3]),
            "latest_version": m[8],
            "version_count": m[7],
            "aliases": dict(self._aliases(m[0])),
            "created_at": m[5],
            "updated_at": m[6],
        }

    def _with_aliases(self, rows):
        cache = {}
        out = []
        for r in rows:
            if r[14] not in cache:
                cache[r[14]] = self._aliases(r[14])
            out.append(self._to_version(r, cache[r[14]]))
        return out

    # ------------------------------------------------------------ registering

    def _source_experiment(self, exp, best, goal, where, project):
        if best is not None:
            if exp is not None:
                raise ValidationError("give either exp or best, not both", "best")
            if not isinstance(best, str) or best == "":
                raise ValidationError("best must name a series such as 'valid/loss'", "best")
            if goal is not None and goal not in ("min", "max"):
                raise ValidationError("goal must be 'min' or 'max', got %s" % _show(goal), "goal")
            # without a goal, best_experiment's own default decides (as TypeScript's series direction)
            kwargs = {"where": where, "project": project}
            found = self.db.best_experiment(best, goal, **kwargs) if goal is not None else self.db.best_experiment(best, **kwargs)
            if found is None:
                raise NotFoundError(
                    'no experiment%s has a value in "%s"' % (" matching the filter" if where or project else "", best),
                    "experiment",
                    best,
                )
            return found["name"]
        if where is not None or goal is not None:
            raise ValidationError("where and goal go with best; pass best as well", "best")
        if not isinstance(exp, str) or exp == "":
            raise ValidationError("register_model needs exp and file, or best=series", "exp")
        return exp

    def _find_file(self, exp, eid, file):
        # files/of-experiment: id, experiment, path, kind, step, size, mtime, sha256, ...
        rows = [(r[0], r[2], r[3], r[5], r[6], r[7])
                for r in self._conn.execute(sql("files/of-experiment"), {"id": eid, "kind": None}).fetchall()]
        hint = "record it first with db.add_file(exp, path, kind='model') or `mldb file %s PATH --kind model`" % exp
        if file is None:
            models = [r for r in rows if r[2] == "model"]
            if not models:
                raise NotFoundError('experiment "%s" has no file of kind model; name the file, or %s' % (exp, hint), "file", exp)
            return models[-1]
        if isinstance(file, int) and not isinstance(file, bool):
            for r in rows:
                if r[0] == file:
                    return r
            raise NotFoundError(
                'experiment "%s" has no file record with id %d; see its files with `mldb show %s`' % (exp, file, exp),
                "file",
                str(file),
            )
        if isinstance(file, os.PathLike):
            file = os.fspath(file)
        if not isinstance(file, str) or file == "":
            raise ValidationError("file must be a path or a file record id", "file")
        full = os.path.abspath(file)
        candidates = {full, os.path.realpath(full)}
        matches = [r for r in rows if r[1] in candidates]
        if not matches:
            tail = "/" + re.sub(r"^(\./)+", "", file)
            matches = [r for r in rows if r[1].endswith(tail)]
        paths = list(dict.fromkeys(r[1] for r in matches))
        if not paths:
            raise NotFoundError('experiment "%s" has no recorded file "%s"; %s' % (exp, file, hint), "file", file)
        if len(paths) > 1:
            raise ValidationError(
                '"%s" matches %d files of "%s" (%s); give the full path' % (file, len(paths), exp, ", ".join(paths[:3])),
                "file",
            )
        return matches[-1]

    def _prepare(self, name, exp, file, aliases, description, tags, best, goal, where, project):
        """Checks a registration and finds (and hashes) its file; reads only."""
        model = check_model_name(name)
        alias_list = _check_aliases(aliases)
        desc = _check_description(description)
        tag_map = _check_tags(tags)
        exp_name = self._source_experiment(exp, best, goal, where, project)
        eid = self.db._exp_id(exp_name)
        fid, path, _kind, size, mtime, recorded_sha = self._find_file(exp_name, eid, file)
        try:
            st = os.stat(path)
            ok = os.path.isfile(path)
        except OSError:
            ok = False
        if not ok:
            raise NotFoundError(
                "file %s of experiment \"%s\" no longer exists; a version must point at a file on disk" % (path, exp_name),
                "file",
                path,
            )
        if st.st_size != size or mtime_ms(st) != mtime:
            raise ValidationError(
                'file %s changed since experiment "%s" recorded it; record the file again (mldb file) before registering it'
                % (path, exp_name),
                "file",
            )
        # hashed outside the transaction: model weights take seconds to read
        sha = recorded_sha or sha256_file(path)
        return model, alias_list, desc, tag_map, exp_name, eid, fid, path, size, sha

    def _evidence(self, eid):
        """The experiment's params and series summaries: the evidence a version keeps."""
        conn = self._conn
        params = {}
        for k, v in conn.execute(sql("params/all"), (eid,)):
            params[k] = json.loads(v)
        metrics = []
        # Points logged one call at a time may still be in a series' tail (migration 006); fold them as TypeScript does.
        for (sid,) in conn.execute(sql("series/open-tails")).fetchall():
            self.db._writer.fold(sid)
        for s_name, split, count, _first, last_step, _time, last, lo, hi, _nans in conn.execute(sql("series/summaries"), (eid,)):
            metrics.append(
                {
                    "name": s_name,
                    "split": split,
                    "count": count,
                    "lastStep": last_step,
                    "last": _json_number(float("nan") if count == 0 else _from_sql(last)),
                    "min": _json_number(_from_sql(lo)),
                    "max": _json_number(_from_sql(hi)),
                }
            )
        return params, metrics

    def remote_registration(self, name, exp=None, file=None, aliases=None, description=None, tags=None, best=None,
                            goal=None, where=None, project=None):
        """What a registration sends to a team server (POST /api/models/NAME/versions, without the
        write id): the checked names and the evidence gathered here; writes nothing."""
        model, alias_list, desc, tag_map, exp_name, eid, _fid, path, size, sha = self._prepare(
            name, exp, file, aliases, description, tags, best, goal, where, project)
        params, metrics = self.db._write(lambda: self._evidence(eid))  # folding a series' tail writes
        body = {"exp": exp_name, "path": path, "sha256": sha, "size": size, "params": params, "metrics": metrics,
                "aliases": alias_list, "description": desc, "by": who()}
        if tags is not None:
            body["tags"] = tag_map
        return model, body

    def register(self, name, exp=None, file=None, aliases=None, description=None, tags=None, best=None, goal=None,
                 where=None, project=None):
        model, alias_list, desc, tag_map, exp_name, eid, fid, path, size, sha = self._prepare(
            name, exp, file, aliases, description, tags, best, goal, where, project)
        by = who()
        conn = self._conn

        def write():
            from .database import now_ms

            now = now_ms()
            if not conn.execute(sql("files/by-id"), (fid,)).fetchone():
                raise NotFoundError("the file record of %s was removed meanwhile; register again" % path, "file", path)
            row = conn.execute(sql("registry/models"), {"name": model}).fetchone()
            if row:
                model_id = row[0]
                if tags is not None:
                    merged = dict(json.loads(row[3]))
                    merged.update(tag_map)
                    conn.execute(
                        sql("registry/model-update"),
                        {"description": row[2], "tags": js_stringify(merged), "now": now, "id": model_id},
                    )
            else:
                model_id = conn.execute(
                    sql("registry/model-insert"),
                    {"name": model, "description": desc, "tags": js_stringify(tag_map), "now": now},
                ).fetchone()[0]
            version = conn.execute(sql("registry/next-version"), {"now": now, "id": model_id}).fetchone()[0]
            params, metrics = self._evidence(eid)
            conn.execute(
                sql("registry/version-insert"),
                {"model_id": model_id, "version": version, "experiment_id": eid, "file_id": fid, "exp_name": exp_name,
                 "path": path, "sha256": sha, "size": size, "params": js_stringify(params),
                 "metrics": js_stringify(metrics), "description": desc, "registered_at": now, "registered_by": by},
            )
            for a in alias_list:
                self._set_alias_row(model_id, a, version, now, by)
            return version

        version = self.db._write(write)
        return self.get("%s/%d" % (model, version))

    # ------------------------------------------------------------ aliases

    def _set_alias_row(self, model_id, alias, version, now, by):
        previous = self._alias(model_id, alias)
        if previous == version:
            return
        self._conn.execute(sql("registry/alias-set"), {"model_id": model_id, "alias": alias, "version": version, "now": now})
        self._history_row(model_id, alias, previous, version, now, by)

    def _history_row(self, model_id, alias, from_version, to_version, now, by):
        self._conn.execute(
            sql("registry/alias-history-add"),
            {"model_id": model_id, "alias": alias, "from_version": from_version, "to_version": to_version, "now": now,
             "who": by},
        )
        self._conn.execute(sql("registry/model-touch"), {"now": now, "id": model_id})

    def set_alias(self, name, alias, version):
        n, a, v = check_model_name(name), check_alias(alias), check_version(version)
        by = who()

        def write():
            from .database import now_ms

            m = self._model_row(n)
            if not self._version_row(m[0], v):
                raise NotFoundError(
                    'model "%s" has no version %d; see its versions with `mldb model show %s`' % (n, v, n), "version", "%s/%d" % (n, v)
                )
            self._set_alias_row(m[0], a, v, now_ms(), by)

        self.db._write(write)

    def delete_alias(self, name, alias):
        n, a = check_model_name(name), check_alias(alias)
        by = who()

        def write():
            from .database import now_ms

            m = self._model_row(n)
            previous = self._alias(m[0], a)
            if previous is None:
                raise NotFoundError(
                    'model "%s" has no alias "%s"; see its aliases with `mldb model show %s`' % (n, a, n), "alias", "%s@%s" % (n, a)
                )
            self._conn.execute(sql("registry/alias-delete"), {"model_id": m[0], "alias": a})
            self._history_row(m[0], a, previous, None, now_ms(), by)

        self.db._write(write)

    def update(self, name, description=None, tags=None):
        n = check_model_name(name)
        tag_map = _check_tags(tags)
        desc = None if description is None else _check_description(description)

        def write():
            from .database import now_ms

            m = self._model_row(n)
            merged = dict(json.loads(m[3]))
            merged.update(tag_map)
            self._conn.execute(
                sql("registry/model-update"),
                {"description": m[2] if desc is None else desc, "tags": js_stringify(merged), "now": now_ms(), "id": m[0]},
            )

        self.db._write(write)
        return self._to_model(self._model_row(n))

    # ------------------------------------------------------------ reading

    def get(self, ref):
        name, version, alias = parse_model_ref(ref)
        m = self._model_row(name)
        if alias is not None:
            version = self._alias(m[0], alias)
            if version is None:
                raise NotFoundError(
                    'model "%s" has no alias "%s"; see its aliases with `mldb model show %s`' % (name, alias, name),
                    "alias",
                    "%s@%s" % (name, alias),
                )
        if version is None:
            version = m[8]
        if version is None:
            raise NotFoundError('model "%s" has no versions; register one with `mldb model register`' % name, "version", name)
        row = self._version_row(m[0], version)
        if not row:
            raise NotFoundError(
                'model "%s" has no version %d; see its versions with `mldb model show %s`' % (name, version, name),
                "version",
                "%s/%d" % (name, version),
            )
        return self._to_version(row, self._aliases(m[0]))

    def list(self):
        self.db._open()
        rows = self._conn.execute(sql("registry/models"), {"name": None}).fetchall()
        return [self._to_model(m) for m in rows]

    def versions(self, name=None, exp=None):
        self.db._open()
        filters = {"model_id": None, "version": None, "experiment_id": None}
        if name is not None:
            filters["model_id"] = self._model_row(check_model_name(name))[0]
        if exp is not None:
            filters["experiment_id"] = self.db._exp_id(exp)
        rows = self._conn.execute(sql("registry/versions"), filters).fetchall()
        return self._with_aliases(rows)

    def history(self, name):
        m = self._model_row(check_model_name(name))
        rows = self._conn.execute(sql("registry/history"), {"model_id": m[0]}).fetchall()
        return [{"alias": a, "from": f, "to": t, "time": tm, "who": w} for a, f, t, tm, w in rows]

    def verify(self, ref):
        return _check(self.get(ref))

    def verify_all(self, name=None):
        return [_check(v) for v in self.versions(name)]


def _check(v):
    """The version with ``state``: 'ok', 'missing' or 'changed' (its file re-hashed)."""
    try:
        if not os.path.isfile(v["path"]):
            state = "missing"
        else:
            state = "ok" if sha256_file(v["path"]) == v["sha256"] else "changed"
    except OSError:
        state = "missing"
    return dict(v, state=state)
