"""Runs started without a name get unique names (the four-process test, with
TypeScript and Python together, is test/api/default-names.test.ts)."""

import re

import pytest

from mldb import Database, ValidationError


def test_runs_started_in_the_same_second_get_distinct_names_with_the_seed_prefix(db_path):
    with Database(db_path) as db:
        runs = [db.start_run(project="p", handle_exit=False) for _ in range(4)]
        names = [r.name for r in runs]
        assert len(set(names)) == 4
        for n in names:
            assert re.fullmatch(r"\d{8}_\d{6}_run(_\d+)?", n)
        stamps = {n[:15] for n in names}
        if len(stamps) == 1:  # all in one second: the first as is, then _2, _3, _4
            assert sorted(names) == [names[0][:19]] + ["%s_%d" % (names[0][:19], i) for i in (2, 3, 4)]
        for r in runs:
            r.finish()


def test_a_chosen_name_is_still_refused_when_taken(db_path):
    with Database(db_path) as db:
        run = db.start_run(handle_exit=False)
        with pytest.raises(ValidationError, match="already exists"):
            db.start_run(name=run.name, handle_exit=False)
        run.finish()
