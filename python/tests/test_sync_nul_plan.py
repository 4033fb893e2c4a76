"""An experiment that never synced, holding a U+0000 written before the rule that refuses
it: its creation write carries only what a server can hold, and the rest follows in a
write of its own (which the server refuses once). Refusing the creation whole left the
experiment and every point logged to it off the server for good (test/sync/nul-old-create.test.ts
sends the TypeScript sender's to a real server)."""

import sqlite3

from mldb import Database
from mldb.sync_plan import add_experiment, apply_ack, experiments, plan_experiment

SERVER = "http://127.0.0.1:1/"


def test_the_creation_write_leaves_out_an_old_nul_and_it_follows_alone(tmp_path):
    path = str(tmp_path / "m.db")
    db = Database(path)
    db.add_metric_value("e1", "acc", 0, 0.5)
    db.set_params("e1", {"lr": 0.1, "opt": "adam"})
    db.set_tags("e1", {"team": "vision", "lab": "north"})
    db.close()
    conn = sqlite3.connect(path)
    # what a client wrote before NUL was refused
    conn.execute("UPDATE tags SET value = 'a' || char(0) || 'b' WHERE key = 'team'")
    conn.execute("""UPDATE params SET value = '"ad\\u0000am"' WHERE key = 'opt'""")
    conn.commit()

    [exp] = experiments(conn, SERVER)
    [(path_, body, ack, register)] = plan_experiment(conn, SERVER, exp, 1 << 20)
    assert path_ == "/api/experiments"
    assert body["params"] == {"lr": 0.1}
    assert {k: v for k, v in body["tags"].items() if k != "mldb.uuid"} == {"lab": "north"}

    add_experiment(conn, SERVER, *register)
    apply_ack(conn, SERVER, ack)
    [exp] = experiments(conn, SERVER)
    later = {p: b for p, b, _a, _r in plan_experiment(conn, SERVER, exp, 1 << 20)}
    assert later["/api/experiments/e1/params"] == {"params": {"opt": "ad\0am"}}
    assert later["/api/experiments/e1/tags"] == {"tags": {"team": "a\0b"}}
