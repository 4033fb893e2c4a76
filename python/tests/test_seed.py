"""The first mldb's example runs unchanged, reading the path from ~/.mldb_config.json."""

import json
import sqlite3

from conftest import run_python

# Verbatim from issue 5 (and DESIGN.md); only the three loss/metric variables are
# defined before it, as the training code around it would.
SEED = """
from datetime import datetime
from mldb import Database

expname = datetime.now().strftime('%Y%m%d_%H%M%S_TestModel')
with Database() as db:
    db.set_exp_status(expname, 'TRAINING')
    for epoch in range(100):
        db.add_loss_value(expname, 'train', epoch, average_epoch_training_loss)
        db.add_loss_value(expname, 'valid', epoch, average_epoch_valid_loss)
        db.add_metric_value(expname, 'rmse', epoch, rmse)

with Database() as db:
    db.cursor.execute('SELECT EXP_ID FROM STATUS WHERE STATUS.STATUS="COMPLETE";')
    print(db.cursor.fetchall())
"""

PRELUDE = "average_epoch_training_loss = 0.25\naverage_epoch_valid_loss = 0.5\nrmse = 0.125\n"


def test_seed_example_runs_verbatim_with_config_file(isolated_home, tmp_path):
    db_file = tmp_path / "seed" / "models.db"
    (isolated_home / ".mldb_config.json").write_text(json.dumps({"db_path": str(db_file)}))

    out = run_python(PRELUDE + SEED, HOME=str(isolated_home))

    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"  # nothing is COMPLETE yet
    conn = sqlite3.connect(str(db_file))
    (exp, status), = conn.execute("SELECT EXP_ID, STATUS FROM STATUS").fetchall()
    assert exp.endswith("_TestModel") and status == "TRAINING"
    assert conn.execute("SELECT SPLIT, count(*), min(EPOCH), max(EPOCH), min(VALUE), max(VALUE) FROM LOSS GROUP BY SPLIT").fetchall() == [
        ("train", 100, 0, 99, 0.25, 0.25),
        ("valid", 100, 0, 99, 0.5, 0.5),
    ]
    assert conn.execute("SELECT NAME, count(*), max(VALUE) FROM METRICS GROUP BY NAME").fetchall() == [("rmse", 100, 0.125)]


def test_seed_query_finds_complete_experiments(isolated_home, tmp_path):
    db_file = tmp_path / "models.db"
    (isolated_home / ".mldb_config.json").write_text(json.dumps({"db_path": str(db_file)}))
    finish = "\nwith Database() as db:\n    db.set_exp_status(expname, 'COMPLETE')\n"
    query = SEED[SEED.index("with Database() as db:\n    db.cursor"):]

    out = run_python(PRELUDE + SEED + finish + query, HOME=str(isolated_home))

    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[0] == "[]"
    assert lines[1].startswith("[('") and lines[1].endswith("_TestModel',)]")
