"""The seed's example as the READMEs show it runs and its own `STATUS="COMPLETE"`
query finds the run (issue 8 items 14 and 17); Python's sqlite3 reads a
double-quoted word that names no column as a string, one that does as the column."""

import json
import os
import re

import pytest
from conftest import REPO_ROOT, run_python

from mldb import Database

PRELUDE = "average_epoch_training_loss = 0.25\naverage_epoch_valid_loss = 0.5\nrmse = 0.125\n"


def seed_example(readme):
    """The README's Python block that runs the seed's query."""
    with open(os.path.join(REPO_ROOT, readme), encoding="utf-8") as f:
        blocks = re.findall(r"```python\n(.*?)```", f.read(), re.S)
    (block,) = [b for b in blocks if 'STATUS.STATUS="COMPLETE"' in b]
    return block


@pytest.mark.parametrize("readme", ["README.md", "python/README.md"])
def test_readme_example_finds_its_own_run(readme, isolated_home, tmp_path):
    db_file = tmp_path / "models.db"
    (isolated_home / ".mldb_config.json").write_text(json.dumps({"db_path": str(db_file)}))
    out = run_python(PRELUDE + seed_example(readme), HOME=str(isolated_home))
    assert out.returncode == 0, out.stderr
    assert re.fullmatch(r"\[\('\d{8}_\d{6}_TestModel',\)\]\n", out.stdout), out.stdout


def test_double_quoted_word_is_a_string_unless_it_names_a_column(db_path):
    with Database(db_path) as db:
        db.set_exp_status("done", "COMPLETE")
        db.set_exp_status("running", "TRAINING")
        db.cursor.execute('SELECT EXP_ID FROM STATUS WHERE STATUS.STATUS="COMPLETE"')
        assert db.cursor.fetchall() == [("done",)]
        db.cursor.execute('SELECT count(*) FROM STATUS WHERE "STATUS" = STATUS')
        assert db.cursor.fetchall() == [(2,)]
