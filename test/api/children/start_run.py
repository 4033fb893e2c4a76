"""A Python process that starts a run with the default name at a given moment:
argv: <db path> <project>; reads the moment (ms since 1970) from stdin."""

import sys
import time

from mldb import Database

path, project = sys.argv[1:3]
db = Database(path)
print("ready", flush=True)
at = int(sys.stdin.readline())
while time.time() * 1000 < at:
    pass  # spin: a sleep could wake too late for "the same second"
run = db.start_run(project=project, handle_exit=False)
print("name " + run.name, flush=True)
run.finish()
db.close()
