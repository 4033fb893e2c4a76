"""The registry and sweep claims of the Python client with a team server: they go to
a real `mldb server` directly (not through the sync sender), so two machines (two
local files) see one numbering of versions, one alias, and never the same trial."""

import json
import os
import re
import shutil
import subprocess
import urllib.request

import pytest

from mldb import Database
from mldb.remote import ServerUnreachableError

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DOWN = "http://127.0.0.1:1"


@pytest.fixture
def server(tmp_path):
    """`mldb server` on a SQLite file, run from the sources with tsx."""
    node = shutil.which("node")
    tsx = os.path.join(REPO, "node_modules", "tsx")
    if node is None or not os.path.isdir(tsx):
        pytest.skip("node and the npm dependencies are needed to run mldb server")
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [node, "--import", "tsx", os.path.join(REPO, "src", "cli", "main.ts"), "server", "--port", "0", "--db",
         str(tmp_path / "server.db"), "--token", "team-token", "--artifacts", str(tmp_path / "artifacts")],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    text = ""
    while True:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("mldb server exited: " + text)
        text += line
        m = re.search(r"mldb server on (http://\S+?/)", text)
        if m and "Ctrl-C stops it" in text:
            break
    yield m.group(1)
    proc.kill()
    proc.wait()


def machine(tmp_path, name, url):
    return Database(str(tmp_path / (name + ".db")), server=url, token="team-token", sync_wait_s=30)


def test_two_machines_share_versions_and_aliases(tmp_path, server):
    a = machine(tmp_path, "a", server)
    b = machine(tmp_path, "b", server)
    weights = tmp_path / "model.bin"
    weights.write_bytes(b"weights of machine A")
    a.set_exp_status("run-a", "TRAINING")
    a.add_metric_value("run-a", "loss", 0, float("nan"), split="valid")
    a.add_metric_value("run-a", "loss", 1, 0.25, split="valid")
    a.add_file("run-a", str(weights), kind="model")
    v1 = a.register_model("iris", exp="run-a", file=str(weights), aliases=["staging"])
    assert (v1["version"], v1["aliases"]) == (1, ["staging"])
    assert v1["metrics"]["valid/loss"]["last"] == 0.25
    # machine B has no such experiment: it reads the server's registry
    got = b.get_model_version("iris@staging")
    assert (got["sha256"], got["path"], got["exp"]) == (v1["sha256"], str(weights), "run-a")
    b.set_model_alias("iris", "champion", 1)
    b.delete_model_alias("iris", "staging")
    assert a.get_model_version("iris@champion")["version"] == 1
    assert [(h["alias"], h["from"], h["to"]) for h in a.get_model_history("iris")] == [
        ("staging", None, 1), ("champion", None, 1), ("staging", 1, None)]
    assert [m["name"] for m in b.list_models()] == ["iris"]
    assert b.verify_model("iris/1")["state"] == "ok"
    a.close()
    b.close()


def test_two_machines_never_get_the_same_trial(tmp_path, server):
    a = machine(tmp_path, "a", server)
    b = machine(tmp_path, "b", server)
    sweep_a = a.create_sweep({"name": "g", "method": "grid", "metric": {"name": "objective"},
                              "parameters": {"x": {"values": [1, 2, 3, 4, 5]}}})
    sweep_b = b.get_sweep("g")
    numbers = []
    for i in range(6):
        sweep = sweep_a if i % 2 == 0 else sweep_b
        trial = sweep.ask()
        if trial is None:
            break
        numbers.append(trial.number)
        trial.report(0, trial.params["x"] ** 2)
        trial.finish()
    assert sorted(numbers) == [0, 1, 2, 3, 4]
    summary = sweep_b.summary()
    assert (summary["trials"], summary["complete"], summary["best"]["value"]) == (5, 5, 1)
    # each machine's file holds the trials it ran, under the server's names
    mine = [e["name"] for e in a.list_experiments()]
    assert all(n.startswith("g-") for n in mine) and len(mine) == 3
    a.close()
    b.close()
    # the senders brought each trial's points to its own experiment on the server: no renamed second copy
    req = urllib.request.Request(server + "api/experiments?limit=100", headers={"Authorization": "Bearer team-token"})
    with urllib.request.urlopen(req) as res:
        listed = json.loads(res.read())["experiments"]
    assert sorted(e["name"] for e in listed) == ["g-%d" % i for i in range(5)]


def test_without_a_reachable_server_a_direct_call_raises_and_says_it_cannot_be_deferred(tmp_path):
    db = Database(str(tmp_path / "m.db"), server=DOWN, token="t", sync_wait_s=0)
    weights = tmp_path / "model.bin"
    weights.write_bytes(b"w")
    db.add_file("run", str(weights), kind="model")
    with pytest.raises(ServerUnreachableError, match="cannot be deferred like logging"):
        db.register_model("iris", exp="run", file=str(weights))
    with pytest.raises(ServerUnreachableError):
        db.get_sweep("g")
    db.close()
