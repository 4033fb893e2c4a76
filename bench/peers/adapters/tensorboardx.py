"""tensorboardX's SummaryWriter (add_scalar per point, default flush_secs=120)
writing TensorBoard event files. tensorboardX writes only: runs cannot be
listed or filtered, and the series is read back by parsing the event files
(TFRecord framing, tensorboardX's own Event protobuf), as TensorBoard does."""

import glob
import os
import struct

from tensorboardX import SummaryWriter
from tensorboardX.proto.event_pb2 import Event


def setup(folder):
    pass


def open_run(folder, name, params):
    w = SummaryWriter(logdir=os.path.join(folder, "tb", name))
    if params:
        w.add_text("params", repr(params))
    return w


def log(run, name, step, value):
    run.add_scalar(name, value, step)


def finish(run):
    run.close()


def _events(folder, run="*"):
    for path in sorted(glob.glob(os.path.join(folder, "tb", run, "events.out.tfevents.*"))):
        with open(path, "rb") as f:
            data = f.read()
        pos = 0
        while pos + 12 <= len(data):
            (length,) = struct.unpack("<Q", data[pos : pos + 8])
            if pos + 12 + length + 4 > len(data):
                break  # a torn tail
            e = Event()
            e.ParseFromString(data[pos + 12 : pos + 12 + length])
            yield e
            pos += 12 + length + 4


def count_points(folder):
    return sum(1 for e in _events(folder) for v in e.summary.value if v.tag != "params/text_summary")


def read_series(folder, run, name):
    return [v.simple_value for e in _events(folder, run) for v in e.summary.value if v.tag == name]
