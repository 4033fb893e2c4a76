"""Build step that ships the repository's migrations and named SQL inside the package.

The ``.sql`` files live once, in ``../migrations`` and ``../sql`` (the TypeScript
client reads them there too). Building copies them byte for byte into
``mldb/migrations`` and ``mldb/sql`` of the built package, so an installed mldb
applies exactly the same schema and runs exactly the same statements.
"""

import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "migrations")
DIRECTIONS = os.path.join(HERE, "..", "docs", "series-directions.json")
NAMED_SQL = os.path.join(HERE, "..", "sql")


def _not_sql(folder, names):
    """copytree's filter: folders and .sql files only."""
    return [n for n in names if os.path.isfile(os.path.join(folder, n)) and not n.endswith(".sql")]


class BuildPyWithMigrations(build_py):
    """build_py, plus a fresh copy of ../migrations/*.sql into the built package."""

    def run(self):
        super().run()
        if not os.path.isfile(os.path.join(SOURCE, "001-initial.sql")):
            raise RuntimeError("mldb: build from the repository checkout: %s is missing" % os.path.normpath(SOURCE))
        target = os.path.join(self.build_lib, "mldb", "migrations")
        # Start empty so a renamed or removed migration cannot linger from a previous build.
        shutil.rmtree(target, ignore_errors=True)
        os.makedirs(target)
        for name in sorted(os.listdir(SOURCE)):
            if name.endswith(".sql"):
                shutil.copyfile(os.path.join(SOURCE, name), os.path.join(target, name))
        # the named SQL of both clients (mldb/sql_files.py), folders included
        if not os.path.isfile(os.path.join(NAMED_SQL, "status", "derived.sql")):
            raise RuntimeError("mldb: build from the repository checkout: %s is missing" % os.path.normpath(NAMED_SQL))
        sql_target = os.path.join(self.build_lib, "mldb", "sql")
        shutil.rmtree(sql_target, ignore_errors=True)
        shutil.copytree(NAMED_SQL, sql_target, ignore=_not_sql)
        # the series directions' word list, shared with TypeScript the same way (mldb/direction.py)
        if not os.path.isfile(DIRECTIONS):
            raise RuntimeError("mldb: build from the repository checkout: %s is missing" % os.path.normpath(DIRECTIONS))
        shutil.copyfile(DIRECTIONS, os.path.join(self.build_lib, "mldb", "series-directions.json"))


setup(cmdclass={"build_py": BuildPyWithMigrations})
