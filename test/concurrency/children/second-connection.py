# The Python twin of second-connection.ts: 50 points, a second Database on the same
# file in this process, "go" on stdin, 50 more points printed as they return, no close.
import sys

import mldb

path, exp = sys.argv[1], sys.argv[2]
db = mldb.Database(path)
for step in range(50):
    db.add_metric_value(exp, "x", step, step)
second = mldb.Database(path)
second.list_experiments()
print("opened", flush=True)
sys.stdin.readline()
for step in range(50, 100):
    db.add_metric_value(exp, "x", step, step)
    print("step %d" % step, flush=True)
print("done", flush=True)
sys.stdin.readline()
