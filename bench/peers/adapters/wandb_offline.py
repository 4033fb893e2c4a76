"""Weights & Biases in offline mode (wandb.init(mode="offline")): runs are
written to .wandb files under the benchmark's folder by wandb's own service
process and never synced. Offline runs cannot be listed, filtered or read
back through wandb's public API (wandb.Api() asks the W&B server), so those
workloads are n/a; points are counted by scanning the .wandb files (LevelDB's
log format: 32 KiB blocks of records after a 7-byte header) and parsing each
record with wandb's own protobuf (wandb.proto.wandb_internal_pb2.Record)."""

import glob
import os

os.environ.setdefault("WANDB_MODE", "offline")
os.environ.setdefault("WANDB_SILENT", "true")
import wandb  # noqa: E402


def setup(folder):
    pass


def open_run(folder, name, params):
    return wandb.init(mode="offline", dir=folder, project="bench", name=name, config=params or None,
                      settings=wandb.Settings(x_disable_stats=True, console="off"))


def log(run, name, step, value):
    run.log({name: value}, step=step)


def finish(run):
    run.finish()


def _records(path):
    """Each complete record's bytes; a torn tail (kill -9) ends the scan."""
    import struct

    with open(path, "rb") as f:
        data = f.read()
    pos, block, parts = 7, 32768, []
    while pos + 7 <= len(data):
        left = block - pos % block
        if left < 7:  # a block's tail too short for a header is padding
            pos += left
            continue
        _, length, kind = struct.unpack("<IHB", data[pos : pos + 7])
        if kind == 0 or pos + 7 + length > len(data):
            return
        parts.append(data[pos + 7 : pos + 7 + length])
        pos += 7 + length
        if kind in (1, 4):  # FULL or LAST
            yield b"".join(parts)
            parts = []


def count_points(folder):
    from wandb.proto import wandb_internal_pb2

    n = 0
    for path in glob.glob(os.path.join(folder, "wandb", "offline-run-*", "*.wandb")):
        for data in _records(path):
            rec = wandb_internal_pb2.Record()
            rec.ParseFromString(data)
            if rec.WhichOneof("record_type") == "history":
                n += sum(1 for item in rec.history.item if not (item.key or "/".join(item.nested_key)).startswith("_"))
    return n
