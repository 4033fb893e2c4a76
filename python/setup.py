"""Build step that ships the repository's migrations inside the package.

The ``.sql`` files live once, in ``../migrations`` (the TypeScript client reads
them there too). Building copies them byte for byte into ``mldb/migrations`` of
the built package, so an installed mldb applies exactly the same schema.
"""

import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "migrations")
DIRECTIONS = os.path.join(HERE, "..", "docs", "series-directions.json")


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
        # the series directions' word list, shared with TypeScript the same way (mldb/direction.py)
        if not os.path.isfile(DIRECTIONS):
            raise RuntimeError("mldb: build from the repository checkout: %s is missing" % os.path.normpath(DIRECTIONS))
        shutil.copyfile(DIRECTIONS, os.path.join(self.build_lib, "mldb", "series-directions.json"))


setup(cmdclass={"build_py": BuildPyWithMigrations})
