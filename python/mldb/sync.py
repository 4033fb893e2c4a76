"""The local-first sender, as TypeScript's (src/sync/): with a team server configured
(``Database(server=..., token=...)``, ``MLDB_SERVER`` + ``MLDB_TOKEN`` or ``"server"`` /
``"token"`` in ``~/.mldb_config.json``), logging stays synchronous and local, and a
daemon thread with its own connection pushes what is new, exactly once: each write is
put in the file's ``sync_outbox`` (with its client id and sequence number) before it
is sent and removed in the transaction that records its acknowledgement. One sender
per file and server sends at a time (a lease in ``sync_servers``)."""

import atexit
import json
import os
import random
import socket
import sqlite3
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid as uuidlib
from urllib.parse import quote, urlsplit

from .config import config_file_path, read_config_file
from .connection import open_sqlite
from .errors import ConfigError
from .sql_files import sql
from .sync_plan import UUID_TAG, add_experiment, apply_ack, count_after, experiments, late_count, mark_sent, plan_experiment, points_body, series_state

LEASE_MS = 15000
MAX_BACKOFF_S = 5.0
FULL_SCAN_EVERY_S = 20.0


def resolve_sync_target(server=None, token=None):
    """``(server_url, token)`` or None: the argument, else ``MLDB_SERVER`` / ``MLDB_TOKEN``,
    else the config file's ``server`` / ``token``. ``server=''`` or ``MLDB_SYNC=0``: none."""
    if os.environ.get("MLDB_SYNC") == "0" or server == "":
        return None
    server = server or os.environ.get("MLDB_SERVER")
    token = token or os.environ.get("MLDB_TOKEN")
    if not server or not token:
        file = config_file_path()
        if read_config_file(file) is not None:
            with open(file, encoding="utf-8") as f:
                parsed = json.load(f)
            if not server and parsed.get("server") is not None:
                if not isinstance(parsed["server"], str):
                    raise ConfigError('%s has a "server" that is not a URL; write {"server": "http://host:5757"}' % file, file)
                server = parsed["server"]
            if not token and isinstance(parsed.get("token"), str):
                token = parsed["token"]
    if not server:
        return None
    parts = urlsplit(server)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            'the server "%s" is not an http:// or https:// URL; give one such as http://gpu-box:5757 (MLDB_SERVER or "server" in the config file)'
            % server
        )
    if not server.endswith("/"):
        server += "/"
    return server, token or None


def _owner_gone(owner):
    host, _, rest = owner.partition(":")
    pid = rest.split(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
        return False
    except ProcessLookupError:
        return True
    except OSError:
        return False


class _Outcome:
    def __init__(self, kind, status, message="", data=None):
        self.kind, self.status, self.message, self.data = kind, status, message, data or {}


class Sender:
    """Sends one local file to one server; ``step()`` is one round, ``drain(s)`` sends until done or ``s`` seconds."""

    def __init__(self, path, server, token=None, timeout_s=30.0, max_upload_bytes=50 * 2**20, warn=None):
        self.path, self.server, self.token = path, server, token
        self.timeout_s, self.max_upload_bytes = timeout_s, max_upload_bytes
        self.conn = open_sqlite(path)
        self.conn.isolation_level = None
        self.owner = "%s:%d:%d:%s" % (socket.gethostname(), os.getpid(), threading.get_ident(), uuidlib.uuid4().hex[:6])
        self.warn = warn or (lambda line: sys.stderr.write(line + "\n"))
        self.client = ""
        self.next_try_at = 0.0
        self.sent_points = 0
        self.sent_writes = 0
        self._failures = 0
        self._failing = None
        self._warned = set()
        self._last_full = 0.0

    # ------------------------------------------------------------ file state

    def _tx(self, fn):
        for attempt in range(50):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) and "busy" not in str(e):
                    raise
                time.sleep(0.05 * (attempt + 1))
        try:
            r = fn()
            self.conn.execute("COMMIT")
            return r
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def _server_row(self):
        self.conn.execute(sql("sync/server-ensure"), (self.server, str(uuidlib.uuid4())))
        return self.conn.execute(sql("sync/server-row"), (self.server,)).fetchone()

    def _lease(self):
        # Most rounds find the lease ours for a while yet: a read, so an idle sender never takes the write lock.
        held = self.conn.execute(sql("sync/server-row"), (self.server,)).fetchone()
        if held and held[2] == self.owner and (held[3] or 0) - time.time() * 1000 > LEASE_MS / 2:
            self.client = held[0]
            return True

        def take():
            client, _, owner, until = self._server_row()
            self.client = client
            now = time.time() * 1000
            other = owner is not None and owner != self.owner
            if other and (until or 0) > now and not _owner_gone(owner):
                return False
            if other or (until or 0) - now < LEASE_MS / 2:
                self.conn.execute(sql("sync/set-lease"), (self.owner, now + LEASE_MS, self.server))
            return True

        return self._tx(take)

    def _outbox(self):
        return self.conn.execute(sql("sync/outbox"), (self.server,)).fetchall()

    # ------------------------------------------------------------ HTTP

    def _request(self, method, path, body=None, data=None, headers=None):
        h = dict(headers or {})
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        if body is not None:
            data = body.encode("utf-8")
            h["Content-Type"] = "application/json"
        req = urllib.request.Request(self.server.rstrip("/") + path, data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout_s) as res:
                try:
                    parsed = json.loads(res.read() or b"{}")
                except ValueError:
                    parsed = {}
                return _Outcome("ok", res.status, data=parsed)
        except urllib.error.HTTPError as e:
            try:
                msg = json.loads(e.read() or b"{}").get("error", {}).get("message") or e.reason
            except (ValueError, AttributeError):
                msg = e.reason
            message = "%d %s" % (e.code, msg)
            if e.code in (401, 403):
                return _Outcome("auth", e.code, message)
            if e.code >= 500 or e.code in (408, 429):
                return _Outcome("retry", e.code, message)
            return _Outcome("refused", e.code, message)
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            return _Outcome("retry", 0, str(reason))

    def _upload(self, up):
        try:
            with open(up["path"], "rb") as f:
                return self._request(
                    "PUT", "/api/artifacts/" + up["sha256"], data=f, headers={"Content-Type": "application/octet-stream", "Content-Length": str(up["size"])}
                )
        except OSError as e:
            return _Outcome("refused", 0, str(e))

    # ------------------------------------------------------------ sending

    def step(self, full=False):
        """One round: resend the outbox, else plan and send what is new.
        Returns 'idle', 'more', 'wait' (failed: see next_try_at) or 'busy' (another sender holds the lease)."""
        if time.time() < self.next_try_at:
            return "wait"
        if not self._lease():
            return "busy"
        if not any(r[5] is None for r in self._outbox()):
            now = time.time()
            full = full or now - self._last_full > FULL_SCAN_EVERY_S
            since = None if full else int((self._last_full - 30) * 1000)
            if full:
                self._last_full = now

            # Planning only reads (outside any write lock, so the processes logging never wait on it).
            writes = []
            for e in experiments(self.conn, self.server, since):
                writes.extend(plan_experiment(self.conn, self.server, e, self.max_upload_bytes))
            if not writes:
                return "idle"

            def plan():
                row = self._server_row()
                if row[2] != self.owner:
                    return 0
                first = row[1]
                for w in writes:
                    if w[3]:
                        add_experiment(self.conn, self.server, *w[3])
                self.conn.execute(sql("sync/set-next-seq"), (first + len(writes), self.server))
                for i, (path, body, ack, _) in enumerate(writes):
                    b = dict(client=self.client, seq=first + i, **body)
                    self.conn.execute(
                        sql("sync/outbox-add"), (self.server, first + i, "POST", path, json.dumps(b, allow_nan=False), json.dumps(ack))
                    )
                    mark_sent(self.conn, self.server, ack)
                return len(writes)

            if self._tx(plan) == 0:
                return "busy"
        return self._flush()

    def _flush(self):
        for seq, method, path, body, ack_text, error in self._outbox():
            if error is not None:
                continue
            ack = json.loads(ack_text)
            r = self._send_one(seq, method, path, body, ack)
            if r.kind == "ok":
                self._recovered()
                continue
            if r.kind == "refused":
                key = "refused:" + r.message
                if key not in self._warned:
                    self._warned.add(key)
                    self.warn("mldb: %s refused a write (%s: %s); it stays in the local file, and `mldb sync --pending` lists it" % (self.server, path, r.message))

                def fail():
                    self.conn.execute(sql("sync/outbox-fail"), (r.message, self.server, seq))
                    apply_ack(self.conn, self.server, ack)

                self._tx(fail)
                continue
            self._failed(r)
            return "wait"
        return "more"

    def _send_one(self, seq, method, path, body, ack):
        if ack["t"] == "file" and ack.get("upload"):
            up = self._upload(ack["upload"])
            if up.kind in ("retry", "auth"):
                return up
        r = self._request(method, path, points_body(self.conn, self.server, ack, body) if ack["t"] in ("points", "late") else body)
        if r.kind != "ok":
            return r
        if ack["t"] == "create":
            # The server leaves an existing experiment as is: check that it holds ours, never merge two silently.
            got = self._request("GET", "/api/experiments/" + quote(ack["name"], safe=""))
            if got.kind != "ok":
                return _Outcome("retry", got.status, got.message) if got.kind == "refused" else got
            if (got.data.get("tags") or {}).get(UUID_TAG) != ack["uuid"]:
                local = self.conn.execute("SELECT name FROM experiments WHERE id = ?", (ack["e"],)).fetchone()
                base = local[0] if local else ack["name"]
                rename = "%s-%s" % (base, ack["uuid"] if ack["name"].endswith(ack["uuid"][:8]) else ack["uuid"][:8])
                self.warn('mldb: the server already has another experiment named "%s" (from another machine); this one is sent as "%s"' % (ack["name"], rename))

                def renamed():
                    self.conn.execute(sql("sync/outbox-delete"), (self.server, seq))
                    self.conn.execute("UPDATE sync_experiments SET remote_name = ? WHERE server = ? AND experiment_id = ?", (rename, self.server, ack["e"]))

                self._tx(renamed)
                return r

        def acked():
            # Another sender that took over a lapsed lease may have recorded this write already: record it once.
            if self.conn.execute(sql("sync/outbox-delete"), (self.server, seq)).rowcount != 1:
                return False
            apply_ack(self.conn, self.server, ack)
            return True

        if not self._tx(acked):
            return r
        self.sent_writes += 1
        if ack["t"] == "points":
            self.sent_points += sum(s[3] for s in ack["series"])
        elif ack["t"] == "late":
            self.sent_points += len(ack["keys"])
        return r

    def _failed(self, r):
        self._failures += 1
        delay = min(MAX_BACKOFF_S, 0.25 * 2 ** min(self._failures, 10)) * (0.75 + random.random() / 2)
        self.next_try_at = time.time() + (max(delay, 5.0) if r.kind == "auth" else delay)
        if self._failing:
            return
        self._failing = r.kind
        if r.kind == "auth":
            self.warn(
                "mldb: %s refused the token (%s); logging goes on in the local file: set MLDB_TOKEN to a valid token and run `mldb sync`"
                % (self.server, r.message)
            )
        else:
            self.warn("mldb: cannot reach %s (%s); logging goes on in the local file and the sender retries in the background" % (self.server, r.message))

    def _recovered(self):
        self._failures = 0
        if self._failing:
            self.warn("mldb: sending to %s again" % self.server)
        self._failing = None

    def drain(self, timeout_s, stop=None):
        """Sends until nothing is left or ``timeout_s`` passed; returns pending()."""
        deadline = time.time() + timeout_s
        full = True
        while time.time() < deadline and not (stop and stop.is_set()):
            r = self.step(full)
            if r in ("idle", "busy"):
                break
            if r == "more":
                full = False
                continue
            full = True
            time.sleep(max(0.01, min(self.next_try_at - time.time(), deadline - time.time())))
        return self.pending()

    def pending(self):
        """``{'points', 'writes', 'experiments': [{'name', 'points', 'writes'}]}`` not yet acknowledged."""
        waiting, creating = {}, set()
        for _, _, _, _, ack_text, error in self._outbox():
            ack = json.loads(ack_text)
            if error is None and ack["t"] not in ("points", "late"):
                waiting[ack["e"]] = waiting.get(ack["e"], 0) + 1
            if ack["t"] == "create":
                creating.add(ack["e"])
        out, points, writes = [], 0, 0
        for e in experiments(self.conn, self.server, None):
            n = sum(count_after(self.conn, sid, step, seq) for sid, _, _, step, seq, _ in series_state(self.conn, self.server, e["id"]))
            n += late_count(self.conn, self.server, e["id"])
            w = waiting.get(e["id"], 0) + (0 if (e["sync"] and e["sync"]["created"]) or e["id"] in creating else 1)
            if n or w:
                out.append({"name": e["name"], "points": n, "writes": w})
            points += n
            writes += w
        return {"points": points, "writes": writes, "experiments": out}

    def close(self):
        try:
            def release():
                if self._server_row()[2] == self.owner:
                    self.conn.execute(sql("sync/set-lease"), (None, None, self.server))

            self._tx(release)
        except sqlite3.Error:
            pass  # the lease runs out by itself
        self.conn.close()


def left_line(server, p, db_path):
    """The one line a closing client prints when the server has not acknowledged everything."""
    parts = ("%d point%s" % (p["points"], "" if p["points"] == 1 else "s") if p["points"] else "",
             "%d other write%s" % (p["writes"], "" if p["writes"] == 1 else "s") if p["writes"] else "")
    what = " and ".join(x for x in parts if x)
    n = len(p["experiments"])
    return "mldb: %s of %d experiment%s not yet on %s; they are kept in %s: run `mldb sync --db %s` to send them" % (
        what, n, "" if n == 1 else "s", server, db_path, db_path)


class BackgroundSync:
    """The daemon thread of a Database: sends while the script logs; ``close(wait_s)``
    waits at most that long, then leaves the rest in the file and says so in one line."""

    def __init__(self, path, server, token, wait_s=5.0, max_upload_bytes=50 * 2**20):
        self.path, self.server, self.token, self.wait_s = path, server, token, wait_s
        self.max_upload_bytes = max_upload_bytes
        self._drain = threading.Event()
        self._stop = threading.Event()
        self._done = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="mldb-sync", daemon=True)
        self._thread.start()

    def _run(self):
        try:
            sender = Sender(self.path, self.server, self.token, max_upload_bytes=self.max_upload_bytes)
        except Exception as e:  # noqa: BLE001 - a sender that cannot start must not stop training
            sys.stderr.write("mldb: the sync sender could not start (%s); run `mldb sync` later\n" % e)
            self._done.set()
            return
        try:
            while not self._stop.is_set():
                # Read the flag before the round: only a round that began after close() was called
                # has seen every write the script made, so only its 'idle' may end the drain.
                draining = self._drain.is_set()
                try:
                    r = sender.step(draining)
                except sqlite3.Error as e:
                    sys.stderr.write("mldb: the sync sender hit %s; retrying\n" % e)
                    sender.next_try_at = time.time() + 1
                    r = "wait"
                if r == "more":
                    continue
                if draining and r in ("idle", "busy"):
                    # Give the lease back before saying done: the process may end right after.
                    sender.close()
                    sender = None
                    self._done.set()
                    return
                pause = 0.1 if r == "idle" else 1.0 if r == "busy" else max(0.02, sender.next_try_at - time.time())
                self._drain.wait(pause) if not self._drain.is_set() else time.sleep(pause)
        finally:
            if sender is not None:
                sender.close()

    def close(self):
        if self._closed:
            return
        self._closed = True
        self._drain.set()
        self._done.wait(self.wait_s)
        if not self._done.is_set():
            self._stop.set()
            try:
                s = Sender(self.path, self.server, self.token)
                p = s.pending()
                s.conn.close()
            except Exception:  # noqa: BLE001
                p = None
            if p is None or p["points"] or p["writes"]:
                sys.stderr.write(
                    (left_line(self.server, p, self.path) if p else "mldb: some writes are not yet on %s; run `mldb sync --db %s` to send them" % (self.server, self.path))
                    + "\n"
                )


def start_sync(path, server=None, token=None, wait_s=None, max_upload_bytes=None):
    """Starts the daemon sender of a Database when a server is configured; None otherwise."""
    target = resolve_sync_target(server, token)
    if target is None or path == ":memory:":
        return None
    if wait_s is None:
        env = os.environ.get("MLDB_SYNC_WAIT_MS")
        wait_s = float(env) / 1000 if env and env.replace(".", "", 1).isdigit() else 5.0
    sync = BackgroundSync(path, target[0], target[1], wait_s, max_upload_bytes or 50 * 2**20)
    # A script that ends without close() still gets its bounded wait and its one line.
    atexit.register(sync.close)
    return sync
