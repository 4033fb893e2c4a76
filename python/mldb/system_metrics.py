"""System metrics: CPU, memory, disk, network and (where ``nvidia-smi`` is on PATH)
GPU figures sampled every N seconds into the ``system/*`` series of a run, by a
daemon thread with its own connection, so the training loop's logging never
waits for it. Standard library only; the figures and names are those of
src/api/system-metrics.ts."""

import os
import re
import shutil
import subprocess
import threading
import time

#: The split every system series is logged under (``system/cpu_percent``...).
SYSTEM_SPLIT = "system"
#: Default sampling period in seconds.
SYSTEM_METRICS_EVERY_S = 10.0

_MB = 1024 * 1024
_SKIP_DISK = re.compile(r"^(loop|ram|dm-)|^(sd|vd|xvd|hd)[a-z]+\d+$|p\d+$")


def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def _cpu_times():
    """(busy, total) jiffies of all CPUs from /proc/stat, or None off Linux."""
    text = _read("/proc/stat")
    if not text:
        return None
    f = text.split("\n", 1)[0].split()
    # user nice system idle iowait irq softirq steal: idle as Node counts it (idle only).
    nums = [int(x) for x in f[1:9]]
    total = sum(nums)
    return total - nums[3], total


def _disk_bytes():
    text = _read("/proc/diskstats")
    if text is None:
        return None
    read = write = 0
    for line in text.splitlines():
        f = line.split()
        if len(f) < 10 or _SKIP_DISK.search(f[2]):
            continue
        read += int(f[5]) * 512
        write += int(f[9]) * 512
    return read, write


def _net_bytes():
    text = _read("/proc/net/dev")
    if text is None:
        return None
    recv = sent = 0
    for line in text.splitlines()[2:]:
        iface, _, rest = line.partition(":")
        if not rest or iface.strip() == "lo":
            continue
        f = rest.split()
        recv += int(f[0])
        sent += int(f[8])
    return recv, sent


def _meminfo():
    """(total, available) bytes from /proc/meminfo, or None."""
    text = _read("/proc/meminfo")
    if text is None:
        return None
    vals = {}
    for line in text.splitlines():
        k, _, v = line.partition(":")
        parts = v.split()
        if parts:
            vals[k] = int(parts[0]) * 1024
    if "MemTotal" not in vals:
        return None
    return vals["MemTotal"], vals.get("MemAvailable", vals.get("MemFree", 0))


def _rss_bytes():
    text = _read("/proc/self/statm")
    if text:
        return int(text.split()[1]) * os.sysconf("SC_PAGE_SIZE")
    return None


def parse_nvidia_smi(text):
    """``nvidia-smi --query-gpu=index,utilization.gpu,memory.used,memory.total,temperature.gpu
    --format=csv,noheader,nounits`` as ``{'gpu0_utilization_percent': 35.0, ...}``; ``[N/A]`` fields are left out.

    >>> parse_nvidia_smi('0, 35, 1024, 16384, 51')['gpu0_memory_percent']
    6.25
    """
    out = {}

    def num(s):
        try:
            v = float(s)
        except ValueError:
            return None
        return v if v == v and abs(v) != float("inf") else None

    for line in text.splitlines():
        f = [s.strip() for s in line.split(",")]
        if len(f) < 5 or not f[0].isdigit():
            continue
        g = "gpu" + f[0]
        for key, raw in (("utilization_percent", f[1]), ("memory_used_mb", f[2])):
            v = num(raw)
            if v is not None:
                out["%s_%s" % (g, key)] = v
        used, total = num(f[2]), num(f[3])
        if used is not None and total:
            out[g + "_memory_percent"] = 100.0 * used / total
        t = num(f[4])
        if t is not None:
            out[g + "_temperature_c"] = t
    return out


class SystemMetrics(threading.Thread):
    """Samples system figures every ``every_s`` seconds into ``system/*`` series of
    experiment ``exp`` in the database at ``path``. Made by
    ``db.start_run(system_metrics=True)``; stopped by the run's end. A failed
    sample is skipped, never raised.

    Example::

        with db.start_run(system_metrics=True, system_metrics_every_s=5) as run:
            train()   # system/cpu_percent, system/process_rss_mb... every 5 s
    """

    def __init__(self, path, exp, every_s=SYSTEM_METRICS_EVERY_S):
        super().__init__(name="mldb-system-metrics", daemon=True)
        self.path = path
        self.exp = exp
        self.every_s = every_s
        self.stopped = threading.Event()
        self._step = 0
        self._cpu = _cpu_times()
        self._proc = self._proc_seconds()
        self._at = time.monotonic()
        self._disk0 = _disk_bytes()
        self._net0 = _net_bytes()
        self._nvidia_smi = shutil.which("nvidia-smi")

    @staticmethod
    def _proc_seconds():
        t = os.times()
        return t.user + t.system

    def read(self):
        """One reading of every figure, as series name -> value."""
        out = {}
        now = time.monotonic()
        cpu = _cpu_times()
        if cpu and self._cpu and cpu[1] > self._cpu[1]:
            out["cpu_percent"] = 100.0 * (cpu[0] - self._cpu[0]) / (cpu[1] - self._cpu[1])
        proc = self._proc_seconds()
        if now > self._at:
            out["process_cpu_percent"] = 100.0 * (proc - self._proc) / (now - self._at)
        self._cpu, self._proc, self._at = cpu, proc, now
        rss = _rss_bytes()
        if rss is not None:
            out["process_rss_mb"] = rss / _MB
        mem = _meminfo()
        if mem:
            used = mem[0] - mem[1]
            out["memory_used_mb"] = used / _MB
            out["memory_used_percent"] = 100.0 * used / mem[0]
        disk = _disk_bytes()
        if disk and self._disk0:
            out["disk_read_mb"] = (disk[0] - self._disk0[0]) / _MB
            out["disk_write_mb"] = (disk[1] - self._disk0[1]) / _MB
        net = _net_bytes()
        if net and self._net0:
            out["net_recv_mb"] = (net[0] - self._net0[0]) / _MB
            out["net_sent_mb"] = (net[1] - self._net0[1]) / _MB
        out.update(self._gpu())
        return out

    def _gpu(self):
        if not self._nvidia_smi:
            return {}
        try:
            res = subprocess.run(
                [self._nvidia_smi, "--query-gpu=index,utilization.gpu,memory.used,memory.total,temperature.gpu",
                 "--format=csv,noheader,nounits"],
                capture_output=True, text=True, timeout=5,
            )
        except (OSError, subprocess.SubprocessError):
            return {}
        return parse_nvidia_smi(res.stdout) if res.returncode == 0 else {}

    def run(self):
        from .database import Database

        db = None
        try:
            db = Database(self.path)
            while not self.stopped.wait(self.every_s):
                try:
                    step = self._step
                    self._step += 1
                    points = [{"name": k, "value": v, "step": step, "split": SYSTEM_SPLIT} for k, v in self.read().items()]
                    if not self.stopped.is_set():
                        db.log_batch(self.exp, points)
                except Exception:  # a busy moment; the next sample comes
                    pass
        except Exception:
            pass
        finally:
            if db is not None:
                db.close()

    def stop(self):
        """Stops sampling; idempotent."""
        self.stopped.set()
