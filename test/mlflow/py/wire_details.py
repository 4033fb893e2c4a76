"""MLflow's validation as the official client meets it on an mldb server
(MLFLOW_TRACKING_URI): each refused call raises INVALID_PARAMETER_VALUE and
writes nothing; negative steps are kept, as MLflow keeps them; -0.0 reads back as 0.0; a repeated identical metric (a retry)
is kept once. Prints the run id and the refusals' messages as JSON."""
import json
import math
import time

import mlflow
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag
from mlflow.exceptions import MlflowException

client = MlflowClient()
exp_id = mlflow.set_experiment("wire-details").experiment_id
run = client.create_run(exp_id, run_name="wire")
rid = run.info.run_id
now = int(time.time() * 1000)


def refused(fn):
    try:
        fn()
    except MlflowException as e:
        assert e.error_code == "INVALID_PARAMETER_VALUE", (e.error_code, e.message)
        return e.message
    raise AssertionError("not refused")


messages = {
    # a batch with one bad metric writes none of it
    "batch_negative_timestamp": refused(
        lambda: client.log_batch(rid, metrics=[Metric("loss", 0.5, now, 0), Metric("loss", 0.4, -2, 0)], params=[Param("p", "1")])
    ),
    "negative_timestamp": refused(lambda: client.log_metric(rid, "loss", 1.0, timestamp=-5, step=0)),
    "bad_char": refused(lambda: client.log_metric(rid, "loss!", 1.0, timestamp=now, step=0)),
    "path_name": refused(lambda: client.log_param(rid, "a/../b", "1")),
    "long_key": refused(lambda: client.set_tag(rid, "k" * 251, "v")),
    "duplicate_params": refused(lambda: client.log_batch(rid, params=[Param("d", "1"), Param("d", "2")])),
    "experiment_tag": refused(lambda: client.set_experiment_tag(exp_id, "/abs", "v")),
}
got = client.get_run(rid)
assert got.data.metrics == {} and got.data.params == {} and got.data.tags.get("k" * 251) is None, got.data

# negative steps are MLflow's (an evaluation at step -1 before training): kept, read back in step order
client.log_metric(rid, "pre", 0.25, timestamp=now, step=-1)
client.log_batch(rid, metrics=[Metric("pre", 0.5, now, 0), Metric("pre", 0.4, now, -2)])
assert [(m.step, m.value) for m in client.get_metric_history(rid, "pre")] == [(-2, 0.4), (-1, 0.25), (0, 0.5)]

# -0.0 is stored as 0: it reads back as +0.0 everywhere
client.log_metric(rid, "zero", -0.0, timestamp=now, step=0)
hist = client.get_metric_history(rid, "zero")
assert [m.value for m in hist] == [0.0] and math.copysign(1.0, hist[0].value) == 1.0, hist
assert math.copysign(1.0, client.get_run(rid).data.metrics["zero"]) == 1.0

# the same metric sent twice (a retry) is one value; a new value at the same step is another
client.log_metric(rid, "acc", 0.5, timestamp=now, step=3)
client.log_metric(rid, "acc", 0.5, timestamp=now, step=3)
client.log_batch(rid, metrics=[Metric("acc", 0.5, now, 3), Metric("acc", float("nan"), now, 4), Metric("acc", float("nan"), now, 4)])
client.log_metric(rid, "acc", 0.6, timestamp=now, step=3)
hist = [(m.step, m.value) for m in client.get_metric_history(rid, "acc")]
assert hist[0] == (3, 0.5) and hist[1] == (3, 0.6) and hist[2][0] == 4 and math.isnan(hist[2][1]) and len(hist) == 3, hist

# MLflow's name characters are all taken: letters of any script, digits, _ - . space : /
client.log_metric(rid, "valid/top-1 acc:é_2.x", 0.9, timestamp=now, step=0)
client.set_tag(rid, "t" * 250, "ok")
# MLflow's limits are mldb's: a 250-character metric key; two runs of one 250-character
# name with a tab (MLflow checks neither) keep it whole
client.log_metric(rid, "m" * 250, 1.0, timestamp=now, step=0)
long_name = "a\t" + "n" * 248
long_runs = [client.create_run(exp_id, run_name=long_name).info.run_id for _ in range(2)]
assert [client.get_run(r).info.run_name for r in long_runs] == [long_name, long_name]
client.set_terminated(rid)
print(json.dumps({"run_id": rid, "messages": messages, "long_runs": long_runs}))
