"""Calls that go to the team server directly, not through the delayed sync sender.

A model version's number, an alias and a sweep's next trial need one answer for
every machine, so with a server configured (``Database(server=..., token=...)``,
``MLDB_SERVER``/``MLDB_TOKEN`` or the config file) these calls are made at once
and waited for. When the server cannot be reached they raise
:class:`ServerUnreachableError`: unlike logging, they cannot be kept in the
local file and sent later. Standard library only (urllib).
"""

import json
import os
import socket
import uuid as uuidlib
import urllib.error
import urllib.parse
import urllib.request

from .errors import MldbError, NotFoundError, ValidationError
from .registry import _check, _revive_number, check_alias, check_model_name, check_version, parse_model_ref, who


class ServerUnreachableError(MldbError):
    """A direct call (registry, sweep claim) could not reach the team server; nothing was written."""

    def __init__(self, message, server):
        super().__init__(message)
        self.server = server


def _unreachable(what, server, why):
    return ServerUnreachableError(
        "%s needs the team server %s, which did not answer (%s); this call cannot be deferred like logging"
        " (another machine could take the same number meanwhile): retry when the server is up, or unset"
        " MLDB_SERVER to work on the local file" % (what, server, why),
        server,
    )


def _revive(x):
    """The server's JSON with "NaN"/"Infinity" strings back to floats inside metric summaries."""
    return _revive_number(x)


class _Http:
    """JSON requests with the bearer token; one retry when nothing answered (write ids make it safe)."""

    def __init__(self, server, token, timeout_s=30.0):
        self.server, self.token, self.timeout_s = server, token, timeout_s
        self.client = "py-%s" % uuidlib.uuid4()
        self.seq = 0

    def write_id(self):
        self.seq += 1
        return {"client": self.client, "seq": self.seq}

    def request(self, what, method, path, body=None, upload=None, download=None):
        headers = {"Authorization": "Bearer " + self.token} if self.token else {}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode("utf-8")
        why = ""
        for _attempt in range(2):
            f = None
            if upload is not None:
                f = open(upload, "rb")
                headers["Content-Type"] = "application/octet-stream"
                headers["Content-Length"] = str(os.fstat(f.fileno()).st_size)
                data = f
            req = urllib.request.Request(urllib.parse.urljoin(self.server, path), data=data, method=method, headers=headers)
            try:
                with urllib.request.urlopen(req, timeout=self.timeout_s) as res:
                    if download is not None:
                        with open(download, "wb") as out:
                            while True:
                                chunk = res.read(1 << 20)
                                if not chunk:
                                    break
                                out.write(chunk)
                        return {}
                    text = res.read().decode("utf-8")
                    return json.loads(text) if text.startswith("{") else {}
            except urllib.error.HTTPError as e:
                text = e.read().decode("utf-8", "replace")
                try:
                    message = json.loads(text)["error"]["message"]
                except (ValueError, KeyError, TypeError):
                    message = "HTTP %d" % e.code
                if e.code >= 500:
                    raise _unreachable(what, self.server, "HTTP %d: %s" % (e.code, message)) from None
                if e.code == 404:
                    raise NotFoundError(message, "model", what) from None
                if e.code in (401, 403):
                    raise MldbError("the team server %s refused the token (%s); check MLDB_TOKEN (a read-only token"
                                    " cannot change the registry or claim trials)" % (self.server, message)) from None
                raise ValidationError(message) from None
            except (urllib.error.URLError, OSError) as e:
                why = str(getattr(e, "reason", e))
            finally:
                if f is not None:
                    f.close()
        raise _unreachable(what, self.server, why)


def _version(v):
    """A version as the server sends it (camelCase) in the Python client's shape (snake_case)."""
    metrics = {}
    for k, m in v["metrics"].items():
        metrics[k] = {"name": m["name"], "split": m["split"], "count": m["count"], "last_step": m["lastStep"],
                      "last": _revive(m["last"]), "min": _revive(m["min"]), "max": _revive(m["max"])}
    return {"name": v["name"], "version": v["version"], "aliases": v["aliases"], "path": v["path"], "sha256": v["sha256"],
            "size": v["size"], "exp": v["exp"], "exp_exists": v["expExists"], "file_id": v["fileId"], "params": v["params"],
            "metrics": metrics, "description": v["description"], "registered_at": v["registeredAt"],
            "registered_by": v["registeredBy"]}


def _model(m):
    return {"name": m["name"], "description": m["description"], "tags": m["tags"], "latest_version": m["latestVersion"],
            "version_count": m["versionCount"], "aliases": m["aliases"], "created_at": m["createdAt"],
            "updated_at": m["updatedAt"]}


class RoutedRegistry:
    """The registry of a Database with a team server: registrations (the file's bytes uploaded
    first), alias moves and reads go to the server; the local file gathers the evidence."""

    def __init__(self, local, server, token):
        self.local = local
        self.http = _Http(server, token)

    def _model_path(self, name, tail=""):
        return "/api/models/%s%s" % (urllib.parse.quote(name, safe=""), tail)

    def register(self, name, exp=None, file=None, aliases=None, description=None, tags=None, best=None, goal=None,
                 where=None, project=None):
        model, body = self.local.remote_registration(name, exp, file, aliases, description, tags, best, goal, where,
                                                     project)
        what = 'registering a version of "%s"' % model
        self.http.request(what, "PUT", "/api/artifacts/%s" % body["sha256"], upload=body["path"])
        got = self.http.request(what, "POST", self._model_path(model, "/versions"), dict(self.http.write_id(), **body))
        return _version(got["version"])

    def get(self, ref):
        name, version, alias = parse_model_ref(ref)
        tail = alias or (str(version) if version is not None else "latest")
        got = self.http.request('reading "%s"' % ref, "GET", self._model_path(name, "/versions/" + urllib.parse.quote(tail)))
        return _version(got["version"])

    def _alias(self, name, alias, version):
        n = check_model_name(name)
        body = dict(self.http.write_id(), alias=check_alias(alias), version=version, by=who())
        self.http.request('moving the alias "%s" of "%s"' % (alias, n), "POST", self._model_path(n, "/aliases"), body)

    def set_alias(self, name, alias, version):
        self._alias(name, alias, check_version(version))

    def delete_alias(self, name, alias):
        self._alias(name, alias, None)

    def update(self, name, description=None, tags=None):
        return self.local.update(name, description, tags)

    def list(self):
        return [_model(m) for m in self.http.request("listing models", "GET", "/api/models")["models"]]

    def _read(self, name):
        n = check_model_name(name)
        return self.http.request('reading "%s"' % n, "GET", self._model_path(n))

    def versions(self, name=None, exp=None):
        names = [name] if name is not None else [m["name"] for m in self.list()]
        out = [_version(v) for n in names for v in self._read(n)["versions"]]
        return [v for v in out if exp is None or v["exp"] == exp]

    def history(self, name):
        return self._read(name)["history"]

    def verify(self, ref):
        return _check(self.get(ref))

    def verify_all(self, name=None):
        return [_check(v) for v in self.versions(name)]


def routed_registry(local, target):
    """The registry a Database uses: the server's when ``target`` is ``(server, token)``, else ``local``."""
    return local if target is None else RoutedRegistry(local, target[0], target[1])


class RemoteSweep:
    """A sweep on the team server: ``ask()`` claims the next trial there (one transaction on the
    server, so two machines never get the same trial); the trial logs into this machine's file,
    under the uuid the server tagged its experiment with, and the sync sender brings the points."""

    def __init__(self, db, name, target):
        from .filter_parse import parse_series_key

        self.db = db
        self.name = name
        self.server = target[0]
        self.http = _Http(target[0], target[1])
        view = self._view()
        self.config = view["config"]
        self.project = self.config["project"]
        self.series = parse_series_key(self.config["metric"]["name"])

    def _path(self, tail=""):
        return "/api/sweeps/%s%s" % (urllib.parse.quote(self.name, safe=""), tail)

    def _view(self):
        return self.http.request('reading sweep "%s"' % self.name, "GET", self._path())

    def ask(self):
        """Claims the next trial on the server, or None when the sweep has none left."""
        from .sweep import Trial
        from .sync_plan import add_experiment

        claim_uuid = str(uuidlib.uuid4())
        body = dict(self.http.write_id(), uuid=claim_uuid, host=socket.gethostname(), pid=os.getpid())
        t = self.http.request('claiming a trial of sweep "%s"' % self.name, "POST", self._path("/claim"), body)["trial"]
        if t is None:
            return None

        def create():
            # One transaction: the sender must never see the experiment without its uuid (it would give it another).
            self.db._create_run(t["exp"], self.project, "TRAINING", params=t["params"],
                                tags={"mldb.sweep": self.name, "mldb.trial": str(t["number"])})
            add_experiment(self.db.connection, self.server, self.db._exp_id(t["exp"]), claim_uuid, t["exp"])

        self.db._write(create)
        return Trial(self, t["number"], t["exp"], t["params"])

    def _prune_decision(self, trial):
        got = self.http.request('asking the pruner of sweep "%s"' % self.name, "GET",
                                self._path("/trials/%d/prune" % trial.number))
        return got.get("prune") is True

    def _end(self, trial, status, value, set_value, note=None):
        body = dict(self.http.write_id(), status=status)
        if set_value:
            body["value"] = None if value != value else value
        elif status == "COMPLETE":
            points = self.db.get_metric_values(trial.exp, self.series[0], split=self.series[1])
            if points:
                body["value"] = points[-1]["value"] if isinstance(points[-1], dict) else points[-1][1]
        if note:
            body["note"] = note
            self.db.set_notes(trial.exp, "\n".join(x for x in (self.db.get_notes(trial.exp), note) if x))
        self.db.set_exp_status(trial.exp, status)
        self.http.request("ending trial %d of sweep \"%s\"" % (trial.number, self.name), "POST",
                          self._path("/trials/%d/end" % trial.number), body)

    def stop(self):
        """Stops handing out trials, on the server (running ones go on)."""
        self.http.request('stopping sweep "%s"' % self.name, "POST", self._path("/stop"), self.http.write_id())

    def trials(self):
        return self._view()["trials"]

    def summary(self):
        return self._view()["sweep"]

    def best(self):
        return self.summary().get("best")

    def optimize(self, objective, n_trials=None):
        from .sweep import Sweep

        return Sweep.optimize(self, objective, n_trials)
