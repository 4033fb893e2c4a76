"""What the sender sends: the writes that bring a team server up to date with one
experiment, and what to record when the server acknowledges each. The rows and the
``ack`` JSON are the same as the TypeScript sender's (src/sync/planner.ts), so
either client may finish what the other started in the same file."""

import hashlib
import json
import os
import uuid as uuidlib
from urllib.parse import quote

from .sql_files import sql
from .validate import _text_problem_in_json, text_problem

#: The tag that carries an experiment's uuid on the server (two machines' same names never merge).
UUID_TAG = "mldb.uuid"
#: Points per request.
POINTS_PER_WRITE = 5000


def _exp_path(name, what):
    return "/api/experiments/%s/%s" % (quote(name, safe=""), what)


def wire_value(v):
    """JSON has no NaN or Infinity: the write API takes them as strings (NULL is NaN)."""
    if v is None or v != v:
        return "NaN"
    if v == float("inf"):
        return "Infinity"
    if v == float("-inf"):
        return "-Infinity"
    return v


def _kv(conn, table, exp_id):
    return {k: v for k, v in conn.execute("SELECT key, value FROM %s WHERE experiment_id = ?" % table, (exp_id,))}


def experiments(conn, server, since=None):
    """Live experiments (all, or touched since ``since`` ms) with their sync rows."""
    rows = conn.execute(sql("sync/experiments"), (server, since, since, since)).fetchall()
    out = []
    for r in rows:
        sync = None
        if r[6] is not None:
            sync = dict(uuid=r[7], remote_name=r[8], created=r[9], status_id=r[10], params=r[11], tags=r[12], notes=r[13], file_id=r[14])
        out.append(dict(id=r[0], name=r[1], project=r[2], host=r[3], pid=r[4], notes=r[5], sync=sync))
    return out


def add_experiment(conn, server, exp_id, uuid, name):
    """Records a new experiment's uuid and server name (with its creation write)."""
    conn.execute(
        sql("sync/experiment-add"),
        (server, exp_id, uuid, name),
    )


def series_state(conn, server, exp_id):
    """An experiment's series as (id, name, split, step, seq, count) with what the server acknowledged."""
    return conn.execute(sql("sync/series-state"), (server, exp_id)).fetchall()


def count_after(conn, series_id, step, seq):
    return conn.execute(sql("sync/count-after"), (series_id, step, step, seq)).fetchone()[0]


def _parsed(stored):
    return {k: json.loads(v) for k, v in stored.items()}


def _holdable(stored, parse):
    """The params or tags a server can hold (src/sync/planner.ts holdable): a row written
    before U+0000 was refused may still hold one. The creation write leaves those out and
    does not count them acknowledged, so they follow in a write of their own that the
    server refuses once, instead of refusing the creation and every later write with it."""
    return {k: v for k, v in stored.items() if text_problem(k) is None and _text_problem_in_json(parse(v)) is None}


def plan_experiment(conn, server, exp, max_upload_bytes):
    """The writes for one experiment, as ``(path, body, ack, register)``: its creation alone
    first (``register``: the sync row to write with it, for a new experiment), then status
    changes, params, tags, notes, file records and points. Only reads."""
    sync = exp["sync"] or dict(uuid=str(uuidlib.uuid4()), remote_name=exp["name"], created=0, status_id=0, params="{}", tags="{}", notes="", file_id=0)
    params = _kv(conn, "params", exp["id"])
    tags = _kv(conn, "tags", exp["id"])
    statuses = conn.execute(
        sql("sync/status-changes"),
        (exp["id"], 0 if not sync["created"] else sync["status_id"]),
    ).fetchall()
    if not sync["created"]:
        create_params = _holdable(params, json.loads)
        create_tags = _holdable(tags, lambda v: v)
        body = {"name": sync["remote_name"], "project": exp["project"], "params": _parsed(create_params), "tags": dict(create_tags, **{UUID_TAG: sync["uuid"]})}
        if statuses:
            body["status"] = statuses[0][1]
        # an old host holding U+0000 is left out: no later write sets the host
        if exp["host"] and text_problem(exp["host"]) is None:
            body["host"] = exp["host"]
        if exp["pid"] is not None:
            body["pid"] = exp["pid"]
        ack = {"t": "create", "e": exp["id"], "name": sync["remote_name"], "uuid": sync["uuid"],
               "statusId": statuses[0][0] if statuses else 0, "params": create_params, "tags": create_tags}
        register = None if exp["sync"] else (exp["id"], sync["uuid"], sync["remote_name"])
        return [("/api/experiments", body, ack, register)]
    name = sync["remote_name"]
    out = []
    for sid, status in statuses:
        out.append((_exp_path(name, "status"), {"status": status}, {"t": "status", "e": exp["id"], "id": sid}, None))
    acked = json.loads(sync["params"])
    new = {k: v for k, v in params.items() if acked.get(k) != v}
    if new:
        out.append((_exp_path(name, "params"), {"params": _parsed(new)}, {"t": "params", "e": exp["id"], "params": params}, None))
    acked = json.loads(sync["tags"])
    new = {k: v for k, v in tags.items() if acked.get(k) != v}
    if new:
        out.append((_exp_path(name, "tags"), {"tags": new}, {"t": "tags", "e": exp["id"], "tags": tags}, None))
    if exp["notes"] != sync["notes"]:
        out.append((_exp_path(name, "notes"), {"notes": exp["notes"]}, {"t": "notes", "e": exp["id"], "notes": exp["notes"]}, None))
    for fid, path, kind, step, size, mtime, sha, meta in conn.execute(
        sql("sync/files-after"),
        (exp["id"], sync["file_id"]),
    ).fetchall():
        ack = {"t": "file", "e": exp["id"], "id": fid}
        if size <= max_upload_bytes and os.path.isfile(path) and os.path.getsize(path) == size:
            if sha is None:
                # Hash here, once: the record sent and its retries then name the same bytes.
                h = hashlib.sha256()
                with open(path, "rb") as f:
                    for chunk in iter(lambda: f.read(1 << 20), b""):
                        h.update(chunk)
                sha = h.hexdigest()
            ack["upload"] = {"path": path, "size": size, "sha256": sha}
        body = {"path": path, "kind": kind, "step": step, "size": size, "mtime": mtime, "sha256": sha, "meta": None if meta is None else json.loads(meta)}
        out.append((_exp_path(name, "files"), body, ack, None))
    # A points write is kept in the outbox as its range, not its body (a few bytes, not ~300 KB).
    budget = POINTS_PER_WRITE
    series, start = [], []
    for sid, _, _, step, seq, _ in series_state(conn, server, exp["id"]):
        if budget <= 0:
            break
        got = conn.execute(sql("sync/keys-after"), (sid, step, step, seq, budget)).fetchall()
        if not got:
            continue
        budget -= len(got)
        series.append([sid, got[-1][0], got[-1][1], len(got)])
        start.append([step, seq])
    if series:
        out.append((_exp_path(name, "points"), {}, {"t": "points", "e": exp["id"], "series": series, "from": start}, None))
    # Points logged behind what was already sent (noted by the points_behind_sync trigger) go by their keys.
    late = conn.execute(sql("sync/late-keys"), (server, exp["id"], POINTS_PER_WRITE)).fetchall()
    if late:
        out.append((_exp_path(name, "points"), {}, {"t": "late", "e": exp["id"], "keys": [list(k) for k in late]}, None))
    return out


def mark_sent(conn, server, ack):
    """Records the frontier of a points write handed to the outbox (see SyncRows.markSent in
    src/sync/sync-rows.ts): from then on the points_behind_sync trigger notes later points behind it."""
    if ack["t"] != "points":
        return
    # In this transaction, every time (a no-op once it exists): a rolled-back first try must not leave it missing.
    conn.execute(sql("sync/late-trigger"))
    for sid, step, seq, _ in ack["series"]:
        conn.execute(sql("sync/mark-sent"), (server, sid, step, seq))


def late_count(conn, server, exp_id):
    return conn.execute(sql("sync/late-count"), (server, exp_id)).fetchone()[0]


def points_body(conn, server, ack, stored):
    """The body of a points write, read back from the outbox row's ack: the same points each
    time it is sent. A range write holds the points after ``from`` up to its last key, less
    those noted late since (a late write sends them)."""
    body = json.loads(stored)
    points = []
    names = {}

    def name_of(sid):
        if sid not in names:
            names[sid] = conn.execute("SELECT name, split FROM series WHERE id = ?", (sid,)).fetchone()
        return names[sid]

    def push(sid, p):
        s = name_of(sid)
        if s is not None and p is not None:
            points.append({"name": s[0], "split": s[1], "step": p[0], "value": wire_value(p[3]), "time": p[2]})

    if ack["t"] == "late":
        for sid, step, seq in ack["keys"]:
            push(sid, conn.execute(sql("sync/point-by-key"), (sid, step, seq)).fetchone())
    else:
        for (sid, last_step, last_seq, _), (step, seq) in zip(ack["series"], ack["from"]):
            for p in conn.execute(sql("sync/points-in-range"), (sid, step, step, seq, last_step, last_step, last_seq, server)).fetchall():
                push(sid, p)
    body["points"] = points
    return json.dumps(body, allow_nan=False)


def _update(conn, server, exp_id, **set_):
    keys = list(set_)
    conn.execute(
        "UPDATE sync_experiments SET %s WHERE server = ? AND experiment_id = ?" % ", ".join("%s = ?" % k for k in keys),
        [set_[k] for k in keys] + [server, exp_id],
    )


def apply_ack(conn, server, ack):
    """Records an acknowledged write (in the transaction that deletes its outbox row)."""
    t, e = ack["t"], ack.get("e")
    if t == "create":
        _update(conn, server, e, created=1, status_id=ack["statusId"], params=json.dumps(ack["params"]), tags=json.dumps(ack["tags"]))
    elif t == "status":
        _update(conn, server, e, status_id=ack["id"])
    elif t == "params":
        _update(conn, server, e, params=json.dumps(ack["params"]))
    elif t == "tags":
        _update(conn, server, e, tags=json.dumps(ack["tags"]))
    elif t == "notes":
        _update(conn, server, e, notes=ack["notes"])
    elif t == "file":
        _update(conn, server, e, file_id=ack["id"])
    elif t == "points":
        for sid, step, seq, n in ack["series"]:
            conn.execute(sql("sync/ack-series"), (server, sid, step, seq, n, step, seq))
    elif t == "late":
        for sid, step, seq in ack["keys"]:
            conn.execute(sql("sync/ack-late"), (server, sid, step, seq))
